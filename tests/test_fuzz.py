"""Fuzzing the whole build: a small project broken in generated ways, built, and held to the
promises of the README's "Trust" section.

Whatever the mutation, every run exits 0 or 1 with no traceback, writes nothing outside its
`--out` folder, puts no file of the machine into its outputs, and an EPUB it writes with exit
status 0 passes EPUBCheck.

Each example is a real build (about a second for an EPUB, several for a PDF, more for an
EPUBCheck), so the suite's profiles would take hours here: the default profile draws 25
examples, the same ones on every run (under a minute). Search afresh and harder with

    pytest --hypothesis-profile=explore tests/test_fuzz.py

which draws 300 random examples (BOOK_FUZZ_EXAMPLES=3000 for more).
"""

from __future__ import annotations

import _thread
import contextlib
import hashlib
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

from book.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixture"

PROFILE = settings.get_current_profile_name()
DEFAULT_RUN = PROFILE == "default"
EXAMPLES = int(os.environ.get("BOOK_FUZZ_EXAMPLES", 25 if DEFAULT_RUN else 300))
# EPUBCheck's first book in a worker starts its JVM (seconds; tests/epubchecking.py): the default
# run checks only the first EPUB that differs from the unbroken fixture's; a search checks
# every one.
EPUBCHECK_BUDGET = 1 if DEFAULT_RUN else None
# Seconds one output may take (the tool's own limit), and a guard on the whole run.
TIME_LIMIT = 30
WALL_LIMIT = 150

# ---------------------------------------------------------------------------------------------
# The project each example breaks: tests/fixture/ with the tool's templates beside it, in a
# fresh folder that also holds a secret file outside the project and a sentinel folder.
#
#     <root>/secret.txt, secret.css   the machine's files, which must never reach an output
#     <root>/sentinel/                files that must stay as they are
#     <root>/project/                 the project, built with cwd here
#     <root>/out/                     --out: the only folder a build may write in
# ---------------------------------------------------------------------------------------------

SOURCES = ["sources/gr-test.md", "sources/rs-test.md", "sources/pol-test.md"]
DATA = ["sources/bibliography.yaml", "sources/chronology.yaml", "sources/citations.yaml",
        "sources/glossary.yaml", "sources/questions.yaml"]
EDITIONS = ["editions/mini.toml", "editions/mini-pl.toml"]
TEMPLATES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*")
                   if p.suffix in (".html", ".xhtml"))
STYLESHEETS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.css"))
CATALOGS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.po"))
THEME = "templates/classroom/theme.toml"

# Placeholders, replaced when a mutation is applied (the folder differs for each example):
# {ROOT} the folder holding the secret, {SECRET} the secret's absolute path, {DEEP} a relative
# path that climbs to / from any folder of the project and comes down to {ROOT}.
PLACEHOLDERS = ("{ROOT}", "{SECRET}", "{SECRET_CSS}", "{DEEP}")


def copy_fixture(root: Path) -> Path:
    """What the fixture_project fixture makes, in `root` (hypothesis examples can't share a
    function-scoped fixture)."""
    project = root / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(ROOT / "templates", project / "templates")
    return project


def plant(root: Path, token: str) -> None:
    (root / "secret.txt").write_text(f"secret {token}\n", encoding="utf-8")
    (root / "secret.css").write_text(f'/* {token} */ body::before {{ content: "{token}" }}\n',
                                     encoding="utf-8")
    (root / "sentinel").mkdir()
    (root / "sentinel" / "keep.txt").write_text("keep\n", encoding="utf-8")
    (root / "sentinel" / "nested").mkdir()
    (root / "sentinel" / "nested" / "keep.bin").write_bytes(bytes(range(256)))


def expand(text: str, root: Path) -> str:
    deep = "../" * 24 + root.as_posix().lstrip("/")
    return (text.replace("{SECRET_CSS}", (root / "secret.css").as_posix())
            .replace("{SECRET}", (root / "secret.txt").as_posix())
            .replace("{ROOT}", root.as_posix())
            .replace("{DEEP}", deep))


# ---------------------------------------------------------------------------------------------
# Mutations: tuples (kind, file, ...) that hypothesis prints and shrinks, applied by `apply`.
# ---------------------------------------------------------------------------------------------

ODD_CHARACTERS = ["\x00", "\x07", "\x0b", "\x0c", "\r", "\t", "\x1b", "\x7f", "\x85", "\x9f",
                  "\u00a0", "\u00ad", "\u200b", "\u200d", "\u2028", "\u2029", "\u202e", "\u2066",
                  "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U0001f600", "\U0010ffff", "\u0301",
                  "\u0483", "\u05d0", "\u0627", "\u0e01", "\u4e00", "ﬀ", "ǅ", "İ", "ß"]
odd_text = st.text(st.one_of(st.sampled_from(ODD_CHARACTERS),
                             st.characters(blacklist_categories=("Cs",))), max_size=12)

MARKDOWN = [
    "[^1]", "[^2]", "[^99]", "[^]", "[^1]: a second note one", "[^x y]", "[^1][^1]",
    "\n[^7]: a note with no call\n", "\n## A heading\n", "\n# Top\n", "\n###### Deep\n",
    "\n{#gr-1}\n", "\n{#gr-s1}\n", "\n{#x}\n", "\n{#}\n", "{#rs-1}", "\n{#a b}\n",
    "\n{.class}\n", "\n{#el-9 lang=fr}\n",
    "<script>alert(1)</script>", "<img src=\"{DEEP}/secret.txt\">", "<em>", "</em>",
    "<em>x</em>", "<span lang=\"xx-!!\">x</span>", "<span lang=\"el\">x</span>",
    "<span onclick=\"x\">x</span>", "<br>", "<br/>", "<sup>1</sup>", "<!-- comment -->",
    "<div>", "</span>", "<p>", "<svg><script>x</script></svg>", "<abbr title=\"&\">x</abbr>",
    "&#0;", "&#x1F;", "&#xFFFE;", "&nbsp;", "&bogus;", "&amp;", "]]>", "<![CDATA[x]]>",
    "---", "\n---\n", "***", "\n    indented code\n", "\n```\nfenced\n```\n", "\n> quote\n",
    "\n* item\n", "\n1. item\n", "\n| a | b |\n|---|---|\n", "[link](javascript:alert(1))",
    "![img]({DEEP}/secret.txt)", "![x](file:///etc/passwd)", "![x]({SECRET})",
    "[x](file://{SECRET})", "<https://example.com/x>", "\\", "*", "_", "`", "**x", "«", "»",
    "ό.π.", "23 Φεβρουαρίου 1917", "1917", "\n\n", "\r\n", "\x00", "\x07", "\ufffe",
]
repeat = st.builds(lambda piece, times: piece * times,
                   st.sampled_from(["x", "word ", "[^1]", "<em>x</em>", "*a* ", "\n\n{#gr-9}\nx",
                                    "«", "\u0301", "> ", "\n## H"]),
                   st.integers(2, 4000))
markdown_text = st.one_of(st.sampled_from(MARKDOWN), odd_text, repeat)

YAML_VALUES = [
    "[1, 2]", "{a: 1}", "123", "-1", "0", "1.5", "true", "false", "null", "~", '""', "''",
    '"\\x07"', '"\\uFFFE"', '"\\u0000"', '"\\x85"', '"\\U0001F600"', '"\\e"', '"a\\nb"',
    "!!binary aGVsbG8=", '!!python/object/apply:os.system ["true"]', "!!set {a, b}",
    "!!omap [a: 1]", "!!str", "!!int x", "&a x", "*a", "*nothing", "&a [*a]",
    "[&a [x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a], &c [*b, *b, *b, *b, *b, *b], "
    "&d [*c, *c, *c, *c, *c, *c], &e [*d, *d, *d, *d, *d, *d]]",
    "2011-13-45", "0001-01-01", "9999-12-31", "1917-02-29", "1917-02-30", "1917-13",
    "99999-01-01", "-1917-01-01", "1e309", ".nan", ".inf", "-.inf", "0x1F", "0o17", "1_000",
    "|\n  a block", ">-\n  folded", "[[[[", "]", "{", "'unterminated", '"unterminated',
    "@x", "`x", "%x", "? complex", "<<: {a: 1}", "- list", "\t tab", "ό.π.", "{#gr-1}",
    "<script>x</script>", '"{{ 1/0 }}"', "x" * 5000, "[" * 60 + "]" * 60,
    "../../secret.txt", "{SECRET}", "{DEEP}/secret.txt", "/etc/passwd", "/proc/self/environ",
    "/dev/zero", "originals", ".", "gr", "gr-1", "papa1990", "julian", "gregorian", "el",
    "x-klingon", "en-US-x-twain",
]
yaml_value = st.one_of(st.sampled_from(YAML_VALUES), odd_text.map(lambda s: repr(s)[1:-1]))

BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\x80", b"\xe9t\xe9",
             b"\x00\x00", b"\xef\xbb\xbf"]


def text_edit(files: list[str], text: st.SearchStrategy[str]) -> st.SearchStrategy[tuple]:
    where = st.integers(0, 10**6)
    return st.one_of(
        st.tuples(st.just("insert"), st.sampled_from(files), where, text),
        st.tuples(st.just("delete"), st.sampled_from(files), where, st.integers(1, 200)),
        st.tuples(st.just("replace-line"), st.sampled_from(files), where, text),
        st.tuples(st.just("delete-line"), st.sampled_from(files), where),
        st.tuples(st.just("repeat-line"), st.sampled_from(files), where, st.integers(2, 300)),
        st.tuples(st.just("bytes"), st.sampled_from(files), where, st.sampled_from(BAD_BYTES)),
    )


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


TOML_VALUES = {
    "title": ['""', '"\\u0007bell"', '"\\uFFFE"', '"<b>&amp;</b>]]>"', '"{{ 1/0 }}"',
              toml_string("T" * 5000), '"\\u202e"', '"\\U0001F600"', '"a\\nb"', "1"],
    "subtitle": ['""', '"\\u0085"', '"</dc:description>"', toml_string("S" * 3000), "[]"],
    "language": ['"xx"', '"EN"', '"en-US"', '"el"', '"ru"', '"pl"', '""', '"../en"', "1"],
    "texts": ["[]", '["gr", "gr"]', '["nope"]', '["pol"]', '["rs"]', "[1]", '"gr"',
              '["gr", "rs", "pol", "x"]'],
    "sections": ["[]", '["bibliography"]', '["notes"]', '["contents", "contents"]',
                 '["nope"]', '["glossary"]', '["chronology"]', '["questions"]', '"notes"'],
    "formats": ["[]", '["pdf"]', '["epub", "epub"]', '["mobi"]', '"epub"'],
    "filename": ['"."', '".."', '"..."', '"a/b"', '"-x"', '"mini.pdf"', '"CON"', '"a..b"',
                 '""', "1"] + [toml_string("f" * n) for n in (100, 200, 240, 250, 255, 300)],
    "templates": ['"classroom"', '"base"', '"locales"', '"nope"', '"../x"', '"."', '""'],
    "paragraph_numbers": ["true", '"yes"', "1"],
    "date": ['"0001-01-01"', '"9999-12-31"', '"1970-01-01"', '"1979-12-31"', '"2020-02-30"',
             "0001-01-01", "9999-12-31", '"20200101"', '"2020-W01-1"', '"2020-01-01T00:00"',
             '""', '"2100-01-01"', "2020-01-01T00:00:00Z"],
    "chronology": ["{worksheet = true}", '{worksheet = "x"}', "{x = 1}", "1"],
    "class_line": ['"<b>&amp;</b>]]>"', '"{{ 1/0 }}"', '"\\u0007"', toml_string("C" * 3000),
                   "1"],
    "teacher": ['"</p><script>"', '"%(name)s %s"', '""', "[]"],
    "style": ['{accent_colour = "red; } * { display: none"}', '{accent_colour = "#fff"}',
              '{heading_size = "1e9pt"}', '{heading_size = "72pt"}', "{accent_colour = 1}",
              '{heading_size = "0.001pt", accent_colour = "Teal"}', "{x = 1}", '"red"'],
    "page": ["1", '"A4"', "{}"],
    "unknown": ["1"],
}
PAGE_VALUES = {
    "size": ['"0mm 0mm"', '"0.001mm 0.001mm"', '"100000mm 100000mm"', '"1e9mm 1mm"',
             '"A5 landscape"', '"A0"', '"letter portrait"', '"A5 A5"', '""', '"-1mm 1mm"',
             '"9999999999999999999999mm 1mm"', '"1mm 1mm"', "1"],
    "type_size": ['"0pt"', '"0.0001pt"', '"100000pt"', '"1e9pt"', '"1mm"', '"999999999pt"'],
    "margins": ['{top = "0mm"}', '{top = "500mm", bottom = "500mm"}', '{inner = "99999cm"}',
                '{outer = "0.00001mm"}', '{left = "1mm"}', '{top = 1}', "[]"],
    "mirrored": ['"yes"', "false"],
    "bleed": ['"3mm"'],
}
EDITION_NAMES = ["...toml", "..toml", ".toml", " mini.toml", "mini .toml", "MINI.toml",
                 "mi ni.toml", "ü.toml", "-mini.toml", "mini.toml.toml", "mini\x07.toml",
                 "mini\n.toml", "m" * 240 + ".toml", "m" * 250 + ".toml", "nav.toml"]

edition_edit = st.one_of(
    st.sampled_from(sorted(TOML_VALUES)).flatmap(
        lambda key: st.tuples(st.just("toml-set"), st.sampled_from(EDITIONS), st.just(key),
                              st.sampled_from(TOML_VALUES[key]))),
    st.sampled_from(sorted(PAGE_VALUES)).flatmap(
        lambda key: st.tuples(st.just("toml-page"), st.sampled_from(EDITIONS), st.just(key),
                              st.sampled_from(PAGE_VALUES[key]))),
    st.tuples(st.just("rename"), st.just("editions/mini.toml"), st.sampled_from(EDITION_NAMES)),
    text_edit(EDITIONS, st.sampled_from(['title = "x"', "[page]", "[[x]]", "= 1", '"', "\x00",
                                         "\ufeff", 'texts = ["gr"]', "a.b.c = 1"])),
)

TEMPLATE_SNIPPETS = [
    "{{ 1/0 }}", "{{ 'a' + 1 }}", "{{ 1 + none }}", "{{ [] | first }}", "{{ {}['x'] }}",
    "{{ book.texts[99] }}", "{{ 'x' * 100000000 }}", "{{ range(10**9) | list | length }}",
    "{{ 10 ** 100000 }}", "{{ '%s' % () }}", "{{ '{}'.format }}", "{{ 'x' | int(1/0) }}",
    "{{ '' | month_year }}", "{{ 'x-y-z' | month_year }}", "{{ none | dual_date }}",
    "{{ 'xx' | language_name }}", "{{ '' | quotes }}", "{{ book }}", "{{ edition }}",
    "{{ edition.path }}", "{{ book.texts[0].source }}", "{{ book.texts[0].original }}",
    "{{ book.texts[0].source.read_text() }}", "{{ ''.__class__.__mro__ }}", "{{ lipsum(1) }}",
    "{{ cycler }}", "{{ self }}", "{{ self._TemplateReference__context }}", "{{ config }}",
    "{{ titel }}", "{{ _('x') }}", "{{ gettext('%(x)s') }}", "{{ ngettext('a', 'b', 'c') }}",
    "{% if %}", "{{ }}", "{% endfor %}", "{%", "{{ x", "{# unterminated", "{% raw %}",
    "{% extends 'nonexistent.html' %}", "{% extends 'epub/layout.xhtml' %}",
    "{% block title %}{% block title %}{% endblock %}{% endblock %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% include 'epub/text.xhtml' %}", "{% include 'epub/layout.xhtml' %}",
    "{% include 'secret.txt' %}", "{% include '../../secret.txt' %}",
    "{% include '{SECRET}' %}", "{% include '{DEEP}/secret.txt' %}", "{% include '' %}",
    "{% include '\\x00' %}", "{% include 'leak/secret.txt' %}", "{% include 'fonts/OFL.txt' %}",
    "{% include 'fonts/GentiumBookPlus-Regular.ttf' %}", "{% import 'macros.html' as m %}",
    "{% for i in range(100000) %}{% endfor %}", "{% set x = namespace(a=1) %}{{ x }}",
    "<script>alert(1)</script>", "<div>", "</div>", "</body>", "<p><p>", "<html>",
    "<img src=\"{DEEP}/secret.txt\"/>", "<img src=\"file://{SECRET}\"/>",
    "<img src=\"file:///etc/passwd\"/>", "<img src=\"http://127.0.0.1:9/x.png\"/>",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\"/>", "<img src=\"\"/>",
    "<link rel=\"stylesheet\" href=\"{DEEP}/secret.css\"/>",
    "<link rel=\"stylesheet\" href=\"../../../secret.css\"/>",
    "<link rel=\"attachment\" href=\"{SECRET}\"/>",
    "<style>@import url({DEEP}/secret.css);</style>",
    "<object data=\"{SECRET}\"></object>", "<iframe src=\"{SECRET}\"></iframe>",
    "<a href=\"file://{SECRET}\">x</a>", "<embed src=\"{SECRET}\"/>",
    "<svg><image href=\"{SECRET}\"/></svg>", "&bogus;", "]]>", "\x00", "\ufffe",
]
template_text = st.one_of(st.sampled_from(TEMPLATE_SNIPPETS), odd_text)

CSS_SNIPPETS = [
    "body { font-size: 1e9px }", "p { font-size: 1e308px }", "@import url(http://x/a.css);",
    "@import url({DEEP}/secret.css);", "@import url(file://{SECRET_CSS});",
    "@import url(file:///etc/passwd);", "@import url(../../../../secret.css);",
    "@font-face { font-family: X; src: url({DEEP}/secret.txt) } body { font-family: X }",
    "body { background: url({DEEP}/secret.txt) }", "body { background: url(file://{SECRET}) }",
    "body::after { content: url({DEEP}/secret.css) }", "p { content:", "}}}}", "/*", "{",
    "@page { size: 0mm 0mm }", "@page { size: 1e9mm }", "@page { margin: 1e9mm }",
    "@page { size: 1px 1px }", "* { margin: -1e9px }", "html { column-count: 1000 }",
    "body { width: 1e9px }", "p { line-height: 0 }", "p { font-size: 0 }",
    "p::before { content: counter(x, url()) }", "p { counter-increment: x 2147483647 }",
    "p { letter-spacing: 99999em }", "@media print { body { font-size: 1e9pt } }",
    "body { font-size: 1e1000px }", "p { padding: 9999999999999999999999mm }",
    "p::before { content: \"\\0\" }", "@charset \"latin1\";",
]
css_text = st.one_of(st.sampled_from(CSS_SNIPPETS), odd_text)

THEME_EXTENDS = ['"../.."', '"../../.."', '"{ROOT}"', '"classroom"', '"base"', '""', '"."',
                 '"../classroom"', "1", '"nope"', '"base"\nx = 1', '"locales"']

symlink = st.tuples(st.just("symlink"), st.sampled_from([
    ("templates/base/leak", "{ROOT}"),
    ("templates/base/css/custom.css", "{SECRET_CSS}"),
    ("templates/base/parts/colophon.html", "{SECRET}"),
    ("templates/base/epub/colophon.xhtml", "{SECRET}"),
    ("templates/base/fonts/GentiumBookPlus-Regular.ttf", "{SECRET}"),
    ("templates/base/csl/locale-el.xml", "{SECRET}"),
    ("templates/locales/en/LC_MESSAGES/messages.po", "{SECRET}"),
    ("sources/originals/gr.txt", "{SECRET}"),
    ("sources/glossary.yaml", "{SECRET}"),
    ("sources/zz-test.md", "{SECRET}"),
    ("editions/zz.toml", "{SECRET}"),
    ("templates/zz", "{ROOT}"),
    ("templates/base/css/loop.css", "loop.css"),
]))

ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": ["abc", "", " ", "-1", "0", "1e20", "99999999999999", "1.5", " 1",
                          "nan", "inf", "315532800", "4102444800", "1577836800\n"],
    "BOOK_TIME_LIMIT": ["abc", "0", "-1", "", "1e9", "99999999999", "1.5", " 30"],
}
environment = st.sampled_from(sorted(ENVIRONMENT)).flatmap(
    lambda name: st.tuples(st.just("env"), st.just(name), st.sampled_from(ENVIRONMENT[name])))

# Attacks that need a few steps together, so that the search reaches them often.
SCENARIOS = [
    [("theme", '"../.."'),
     ("in-body", "templates/base/epub/text.xhtml", "{% include 'secret.txt' %}")],
    [("theme", '"{ROOT}"'),
     ("in-body", "templates/base/epub/nav.xhtml", "{% include 'secret.txt' %}")],
    [("symlink", ("templates/base/leak", "{ROOT}")),
     ("in-body", "templates/base/epub/text.xhtml", "{% include 'leak/secret.txt' %}")],
    [("symlink", ("templates/zz", "{ROOT}")),
     ("toml-set", "editions/mini.toml", "templates", '"zz"'),
     ("in-body", "templates/base/epub/title.xhtml", "{% include 'secret.txt' %}")],
    [("theme", '"../.."'),
     ("in-body", "templates/base/pdf/book.html", '<link rel="stylesheet" href="secret.css"/>')],
    [("theme", '"../.."'),
     ("append", "templates/base/css/custom.css", "", "@import url(secret.css);")],
    [("set-key", "sources/gr-test.md", "original", "{SECRET}")],
    [("set-key", "sources/gr-test.md", "original", "../../secret.txt")],
    [("set-key", "sources/rs-test.md", "original", "/proc/self/environ")],
]

primitive = st.one_of(
    text_edit(SOURCES, markdown_text),
    st.tuples(st.just("set-value"), st.sampled_from(SOURCES + DATA), st.integers(0, 10**6),
              yaml_value),
    text_edit(DATA, st.one_of(yaml_value, markdown_text)),
    edition_edit,
    text_edit(TEMPLATES + CATALOGS, template_text),
    st.tuples(st.just("in-body"), st.sampled_from(TEMPLATES), template_text),
    text_edit(STYLESHEETS, css_text),
    st.tuples(st.just("append"), st.sampled_from(STYLESHEETS), st.just(""), css_text),
    st.tuples(st.just("theme"), st.sampled_from(THEME_EXTENDS)),
    symlink,
    environment,
)
mutations = st.lists(st.one_of(primitive.map(lambda m: [m]), st.sampled_from(SCENARIOS)),
                     min_size=1, max_size=3).map(lambda groups: [m for g in groups for m in g])

# What to run: mostly the EPUB of one edition (PDFs take seconds), sometimes a check, a PDF,
# or every edition in every format.
COMMANDS = [["epub"]] * 12 + [["check"]] * 2 + [["pdf"]] * 1 + [["pdf", "epub"]] + [[]]
command = st.sampled_from(COMMANDS)
one_edition = st.sampled_from([True] * 4 + [False])

# Where a line added to a template is rendered (not in a comment, nor outside the blocks of a
# template that extends another): the first of these found in the file.
IN_BODY = ["<body{% block body_attributes %}{% endblock %}>", "{% block body %}", "<body>",
           "</h1>", "</h2>", "<p>"]
KEY_LINE = re.compile(r"^(\s*(?:-\s+)?[\w-]+:)(\s.*|)$")


def _index(sequence_length: int, where: int) -> int:
    return where % (sequence_length + 1)


def apply(mutation: tuple, project: Path, root: Path, environ: dict[str, str]) -> None:
    kind = mutation[0]
    if kind == "env":
        environ[mutation[1]] = mutation[2]
        return
    if kind == "symlink":
        link, target = mutation[1]
        path = project / link
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(expand(target, root))
        return
    if kind == "theme":
        (project / THEME).write_text(expand(f"extends = {mutation[1]}\n", root), encoding="utf-8")
        apply(("toml-set", "editions/mini.toml", "templates", '"classroom"'), project, root,
              environ)
        return
    path = project / mutation[1]
    if kind == "rename":
        if path.exists():
            path.rename(path.with_name(mutation[2]))
        return
    if not path.is_file() or path.is_symlink():
        return
    data = path.read_bytes()
    if kind == "bytes":
        at = _index(len(data), mutation[2])
        path.write_bytes(data[:at] + mutation[3] + data[at:])
        return
    text = data.decode("utf-8", errors="surrogateescape")
    lines = text.split("\n")
    if kind == "insert":
        at = _index(len(text), mutation[2])
        text = text[:at] + expand(mutation[3], root) + text[at:]
    elif kind == "delete":
        at = _index(len(text), mutation[2])
        text = text[:at] + text[at + mutation[3]:]
    elif kind == "replace-line":
        lines[_index(len(lines) - 1, mutation[2])] = expand(mutation[3], root)
        text = "\n".join(lines)
    elif kind == "insert-line":
        lines.insert(_index(len(lines), mutation[2]), expand(mutation[3], root))
        text = "\n".join(lines)
    elif kind == "delete-line":
        del lines[_index(len(lines) - 1, mutation[2])]
        text = "\n".join(lines)
    elif kind == "repeat-line":
        at = _index(len(lines) - 1, mutation[2])
        lines[at:at + 1] = [lines[at]] * mutation[3]
        text = "\n".join(lines)
    elif kind == "in-body":
        marker = next((m for m in IN_BODY if m in text), "")
        at = text.index(marker) + len(marker) if marker else len(text)
        text = text[:at] + "\n" + expand(mutation[2], root) + "\n" + text[at:]
    elif kind == "append":
        text += "\n" + expand(mutation[3], root) + "\n"
    elif kind in ("set-value", "set-key"):
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        if kind == "set-key":
            keyed = [i for i in keyed if lines[i].strip().startswith(mutation[2] + ":")]
        if not keyed:
            return
        at = keyed[_index(len(keyed) - 1, mutation[2]) if kind == "set-value" else 0]
        value = expand(mutation[3], root)
        lines[at] = KEY_LINE.match(lines[at]).group(1) + " " + value
        text = "\n".join(lines)
    elif kind == "toml-set":
        key, value = mutation[2], expand(mutation[3], root)
        lines = [line for line in lines if not re.match(rf"\s*{re.escape(key)}\s*=", line)]
        lines.insert(1, f"{key} = {value}")
        text = "\n".join(lines)
    elif kind == "toml-page":
        if "[page]" not in text:
            text += "\n[page]\n"
        text += f"{mutation[2]} = {expand(mutation[3], root)}\n"
    else:
        raise AssertionError(f"unknown mutation {kind}")
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


# ---------------------------------------------------------------------------------------------
# What a run must not do
# ---------------------------------------------------------------------------------------------


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    """Every entry under `root` but `skip`: its kind and its bytes' hash or its link."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d != skip]
        for name in dirs + files:
            path = here / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = "link " + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted({k for k in before.keys() | after.keys() if before.get(k) != after.get(k)})


def readable_parts(path: Path) -> Iterator[tuple[str, bytes]]:
    """The bytes of an output, of each member if it is a zip, and the text and streams of a
    PDF, where a leaked file would be found."""
    data = path.read_bytes()
    yield path.name, data
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                yield f"{path.name}:{name}", book.read(name)
    if data.startswith(b"%PDF"):
        for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
            with contextlib.suppress(zlib.error):
                yield f"{path.name}:stream", zlib.decompressobj().decompress(stream)
        from pypdf import PdfReader

        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        yield f"{path.name}:text", text.encode("utf-8")
        yield f"{path.name}:metadata", repr(reader.metadata).encode("utf-8")


def needles(token: str) -> list[bytes]:
    return [token.encode("utf-8"), token.encode("utf-16-be"), b"root:x:0:0"]


_epubcheck_results: dict[str, list[str]] = {}


def epubcheck_messages(path: Path, epubcheck) -> list[str] | None:
    """EPUBCheck's messages (`epubcheck`: conftest's fixture), cached by the book's bytes; None
    when the run's budget is spent."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest not in _epubcheck_results:
        # Once a book has failed, every book is checked, so that hypothesis can shrink it.
        if EPUBCHECK_BUDGET is not None and len(_epubcheck_results) >= EPUBCHECK_BUDGET and \
                all(not messages for messages in _epubcheck_results.values()):
            return None
        result = epubcheck(path)
        _epubcheck_results[digest] = [str(m) for m in result.messages] + (
            [] if result.valid else ["EPUBCheck: not valid"])
    return _epubcheck_results[digest]


@contextlib.contextmanager
def environment_of(values: dict[str, str], cwd: Path) -> Iterator[None]:
    """Environment variables and the working folder for one run, restored after it."""
    saved = dict(os.environ)
    saved_cwd = os.getcwd()
    os.environ.update(values)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved)


def run(project: Path, argv: list[str]) -> tuple[int, str, str]:
    """main() in this process, stopped (as by Ctrl-C: exit 130) if it outlives WALL_LIMIT."""
    stdout, stderr = io.StringIO(), io.StringIO()
    guard = threading.Timer(WALL_LIMIT, _thread.interrupt_main)
    guard.start()
    try:
        # The suite turns Python warnings into errors; a library's warning in a broken build
        # is not a bug of the tool, so here they are only recorded.
        with warnings.catch_warnings(record=True), contextlib.redirect_stderr(stderr):
            warnings.simplefilter("always")
            code = main(argv, stdout=stdout, project=project)
    finally:
        guard.cancel()
    return code, stdout.getvalue(), stderr.getvalue()


def imports_cleanly(environ: dict[str, str]) -> tuple[int, str]:
    """The tool's modules import under these variables (a value read at import time would
    otherwise crash build.py before any message)."""
    done = subprocess.run([sys.executable, "-c", "import book.cli, book.make, book.limits"],
                          cwd=ROOT, env={**os.environ, **environ}, capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stderr


_unbroken: list[str] = []


def is_unbroken(path: Path) -> bool:
    """Whether `path` is the very EPUB the unbroken fixture gives (built once, to compare)."""
    if not _unbroken:
        root = Path(tempfile.mkdtemp(prefix="fuzz-"))
        try:
            project = copy_fixture(root)
            with environment_of({}, project):
                code, _, errors = run(project, ["epub", "--edition", "mini", "--out",
                                                str(root / "out")])
            assert code == 0, errors
            _unbroken.append(hashlib.sha256(
                (root / "out" / "mini" / "mini.epub").read_bytes()).hexdigest())
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return hashlib.sha256(path.read_bytes()).hexdigest() in _unbroken


@pytest.mark.expected_warnings
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(changes_made=mutations, formats=command, one_edition=one_edition)
# Found by the fuzzer: a rule pasted into a comment's /*, whose words became a selector; the
# EPUB was written, and EPUBCheck refused its stylesheet.
@example(changes_made=[("insert", "templates/base/css/chronology.css", 1,
                        "@page { size: 1px 1px }")], formats=["epub"], one_edition=True)
@example(changes_made=[("rename", "editions/mini.toml", "-mini.toml")], formats=["epub"],
         one_edition=True)
def test_a_broken_project_fails_with_a_message_and_leaks_nothing(changes_made, formats,
                                                                 one_edition, epubcheck):
    code, _, _ = build_broken(changes_made, formats, one_edition, epubcheck)
    event(f"{' '.join(formats) or 'all'}: exit {code}")


def build_broken(changes_made: list[tuple], formats: list[str], one_edition: bool, epubcheck
                 ) -> tuple[int, str, str]:
    """Break a fresh copy of the fixture, run the command, and assert the Trust section's
    promises; the exit status and what was printed."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        token = "FUZZ" + secrets.token_hex(12).upper()
        plant(root, token)
        project = copy_fixture(root)
        out = root / "out"
        environ = {"BOOK_TIME_LIMIT": str(TIME_LIMIT), "BOOK_FUZZ_SECRET": token}
        for mutation in changes_made:
            apply(mutation, project, root, environ)
        edition = "mini"
        for mutation in changes_made:
            if mutation[0] == "rename":
                edition = Path(mutation[2]).stem
        argv = list(formats)
        if formats != ["check"]:
            argv += ["--out", str(out)]
            if one_edition:  # as a name that starts with '-' must be given
                argv += [f"--edition={edition}"]
        note(f"argv: {argv}")

        before = snapshot(root, skip=out)
        with environment_of(environ, project):
            code, printed, errors = run(project, argv)
        after = snapshot(root, skip=out)
        note(f"exit {code}\nstdout:\n{printed[-3000:]}\nstderr:\n{errors[-3000:]}")

        assert code in (0, 1), f"exit status {code} (130: ran past the {WALL_LIMIT} s guard)"
        assert "Traceback" not in errors, errors[-3000:]
        assert not changes(before, after), f"written outside --out: {changes(before, after)}"
        outputs = sorted(p for p in out.rglob("*") if p.is_file() or p.is_symlink())
        assert not [p for p in outputs if p.is_symlink()], "a symbolic link in the output"
        assert not [p for p in outputs if p.name.endswith(".part")], f"debris: {outputs}"
        parts = [part for p in outputs for part in readable_parts(p)]
        for needle in needles(token):
            assert needle not in (printed + errors).encode("utf-8"), "a secret was printed"
            for name, data in parts:
                assert needle not in data, f"a file of the machine is in {name}"
        # Nor the folder it was built in: the same input gives the same bytes anywhere.
        for name, data in parts:
            assert root.as_posix().encode() not in data, f"the build's folder is in {name}"
        if code == 0:
            for book in (p for p in outputs if p.suffix == ".epub" and not is_unbroken(p)):
                messages = epubcheck_messages(book, epubcheck)
                assert not messages, f"{book.name} fails EPUBCheck: {messages}"
        if "BOOK_TIME_LIMIT" in {m[1] for m in changes_made if m[0] == "env"}:
            status, trace = imports_cleanly(environ)
            assert status == 0 and "Traceback" not in trace, trace
        return code, printed, errors
    finally:
        shutil.rmtree(root, ignore_errors=True)

