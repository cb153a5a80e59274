"""Mistakes in templates, stylesheets, edition files, catalogs and the environment: each is a
`file:line: message` with a hint and exit status 1, never a traceback, and no book is written
(tests on the tests' own small project)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from helpers import files_in, png, run

from book import limits


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


def fails(project: Path, out: Path, where: str, message: str, *argv: str) -> str:
    code, printed = run(project, *(argv or ("epub", "--edition", "mini")), "--out", str(out))
    assert code == 1, printed
    assert where in printed and message in printed, printed
    assert "hint:" in printed and "Traceback" not in printed
    assert not any(p.is_file() for p in out.rglob("*")) if out.exists() else True
    return printed


COLOPHON = "templates/base/parts/colophon.html"

# An expression that fails while the template runs: (what is written, what the message says).
FAILING_EXPRESSIONS = {
    "division by zero": ("{{ 1/0 }}", "division by zero (ZeroDivisionError)"),
    "text plus a number": ("{{ 'a' + 1 }}", "(TypeError)"),
    "a huge range": ("{% for i in range(10**9) %}{% endfor %}", "(OverflowError)"),
    "format with too few values": ("{{ '%s %s'|format(1) }}", "(TypeError)"),
    "a macro that calls itself": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
                                  "templates extend, include or call each other without end"),
}


@pytest.mark.parametrize("case", FAILING_EXPRESSIONS, ids=list(FAILING_EXPRESSIONS))
def test_a_failing_expression_is_located_at_its_line(fixture_project, tmp_path, case):
    written, message = FAILING_EXPRESSIONS[case]
    colophon = fixture_project / COLOPHON
    replace(colophon, "</section>", "\n" + written + "\n</section>")
    fails(fixture_project, tmp_path / "out", f"{COLOPHON}:{line_of(colophon, written)}: ",
          message)


def test_a_template_that_includes_itself_is_located(fixture_project, tmp_path):
    colophon = fixture_project / COLOPHON
    replace(colophon, "</section>", '{% include "parts/colophon.html" %}</section>')
    fails(fixture_project, tmp_path / "out", f"{COLOPHON}:", "without end")


def test_an_override_extending_itself_names_the_fix(fixture_project, tmp_path):
    override = fixture_project / "templates" / "mine" / "parts" / "title_page.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "parts/title_page.html" %}\n', encoding="utf-8")
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + 'templates = "mine"\n',
                       encoding="utf-8")
    printed = fails(fixture_project, tmp_path / "out", "templates/mine/parts/title_page.html:1: ",
                    "templates extend, include or call each other without end")
    assert 'base:parts/title_page.html' in printed


def test_including_a_font_file_is_refused(fixture_project, tmp_path):
    replace(fixture_project / COLOPHON, "</section>",
            '{% include "fonts/GentiumBookPlus-Regular.ttf" %}</section>')
    fails(fixture_project, tmp_path / "out", "templates/base/fonts/GentiumBookPlus-Regular.ttf",
          "'fonts/GentiumBookPlus-Regular.ttf' cannot be used as a template: not UTF-8 text")


def test_including_a_missing_template_is_located(fixture_project, tmp_path):
    colophon = fixture_project / COLOPHON
    replace(colophon, "</section>", '\n{% include "parts/nothing.html" %}</section>')
    fails(fixture_project, tmp_path / "out",
          f"{COLOPHON}:{line_of(colophon, 'nothing.html')}: ",
          "template 'parts/nothing.html' not found")


def test_a_huge_length_in_a_stylesheet_is_located(fixture_project, tmp_path):
    css = fixture_project / "templates" / "base" / "css" / "custom.css"
    css.write_text(css.read_text(encoding="utf-8") + "\np { font-size: 1e9px }\n",
                   encoding="utf-8")
    fails(fixture_project, tmp_path / "out",
          f"templates/base/css/custom.css:{line_of(css, '1e9px')}: ",
          "the length 1e9px is larger than a page (at most 2000 mm)",
          "pdf", "--edition", "mini")


def test_a_huge_length_in_a_style_attribute_is_refused(fixture_project, tmp_path):
    replace(fixture_project / COLOPHON, "</section>",
            '<p style="margin-left: 99999cm">x</p></section>')
    fails(fixture_project, tmp_path / "out", "templates/base",
          "the length 99999cm is larger than a page", "pdf", "--edition", "mini")


def gif(width: int, height: int) -> bytes:
    """A GIF that declares `width` × `height` pixels in a few bytes."""
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b",\x00\x00\x00" \
        b"\x00" + struct.pack("<HH", width, height) + b"\x00\x02\x02D\x01\x00;"




def webp(width: int, height: int) -> bytes:
    """A real WebP image (its header cannot lie as a PNG's can: libwebp checks it)."""
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (width, height)).save(data, "WEBP", lossless=True)
    return data.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("big.gif", png(12000, 12000)),  # a PNG under another name
    ("big", png(12000, 12000)),  # no extension at all
    ("real.gif", gif(12000, 12000)),
    ("real.webp", webp(300, 300)),  # over the bound the test sets
])
def test_an_image_is_bounded_by_its_content_not_its_name(fixture_project, tmp_path,
                                                          monkeypatch, name, data):
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 50_000)
    (fixture_project / "templates" / "base" / name).write_bytes(data)
    replace(fixture_project / COLOPHON, "</section>", f'<img src="{name}" alt="x"/></section>')
    line = line_of(fixture_project / COLOPHON, f'src="{name}"')
    fails(fixture_project, tmp_path / "out", f"{COLOPHON}:{line}: refused: '{name}' ",
          "more than a book needs", "pdf", "--edition", "mini")


def test_a_data_url_gif_is_bounded_too(fixture_project, tmp_path):
    import base64

    url = "data:image/gif;base64," + base64.b64encode(gif(12000, 12000)).decode()
    replace(fixture_project / COLOPHON, "</section>", f'<img src="{url}" alt="x"/></section>')
    fails(fixture_project, tmp_path / "out", "the PDF was not written",
          "a data: URL is 12,000 × 12,000 pixels", "pdf", "--edition", "mini")


# A bad value in an edition file: (old, new, what the message says).
EDITION_VALUES = {
    "a page of no size": ('date = "2020-01-01"', 'date = "2020-01-01"\n[page]\n'
                          'size = "0mm 0mm"', "is not a size a printer can print"),
    "a type size of a house": ('date = "2020-01-01"', 'date = "2020-01-01"\n[page]\n'
                               'type_size = "999999pt"', "is not a size to read a book in"),
    "margins wider than the page": ('date = "2020-01-01"', 'date = "2020-01-01"\n[page]\n'
                                    'margins = { inner = "100mm", outer = "100mm" }',
                                    "the margins leave a text block of -52 × "),
    "a date in year 9999": ('date = "2020-01-01"', 'date = "9999-12-31"',
                            "date '9999-12-31' is not between 1980-01-01 and 2099-12-31"),
    "a date in year 1": ('date = "2020-01-01"', 'date = "0001-01-01"',
                         "date '0001-01-01' is not between"),
}


@pytest.mark.parametrize("case", EDITION_VALUES, ids=list(EDITION_VALUES))
def test_an_edition_value_beyond_a_book_is_located(fixture_project, tmp_path, case):
    old, new, message = EDITION_VALUES[case]
    edition = fixture_project / "editions" / "mini.toml"
    replace(edition, old, new)
    key = new.split("\n")[-1].split(" =")[0]
    fails(fixture_project, tmp_path / "out", f"editions/mini.toml:{line_of(edition, key)}: ",
          message)


def test_an_edition_file_not_in_utf8_is_located(fixture_project, tmp_path):
    edition = fixture_project / "editions" / "mini.toml"
    line = line_of(edition, "title")
    edition.write_bytes(edition.read_bytes().replace(b"Test book", b"Test b\xf6ok"))
    fails(fixture_project, tmp_path / "out", f"editions/mini.toml:{line}: ", "not UTF-8 text")


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("BOOK_TIME_LIMIT", "abc", "BOOK_TIME_LIMIT='abc' is not a time limit"),
    ("BOOK_TIME_LIMIT", "0", "BOOK_TIME_LIMIT='0' is not a time limit"),
    ("SOURCE_DATE_EPOCH", "abc", "SOURCE_DATE_EPOCH='abc' is not a date the build can stamp"),
    ("SOURCE_DATE_EPOCH", "-5", "SOURCE_DATE_EPOCH='-5' is not a date"),
])
def test_a_bad_environment_variable_is_named(fixture_project, tmp_path, monkeypatch, variable,
                                             value, message):
    monkeypatch.setenv(variable, value)
    fails(fixture_project, tmp_path / "out", f"error: {message}", "hint:")


def test_without_git_or_a_date_the_build_asks_for_one(fixture_project, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    replace(fixture_project / "editions" / "mini.toml", 'date = "2020-01-01"\n', "")
    fails(fixture_project, tmp_path / "out", "is not a git checkout with a commit",
          "give the edition a date")


def test_out_naming_a_file_is_refused(fixture_project, tmp_path):
    out = tmp_path / "README.md"
    out.write_text("a file\n", encoding="utf-8")
    code, printed = run(fixture_project, "epub", "--out", str(out))
    assert code == 1 and f"--out {out} is a file, not a folder" in printed
    assert out.read_text(encoding="utf-8") == "a file\n"


@pytest.mark.parametrize("inside", ["sources", "editions", "templates/base"])
def test_out_inside_a_folder_the_build_reads_is_refused(fixture_project, inside):
    before = files_in(fixture_project)
    out = fixture_project / inside / "books"
    code, printed = run(fixture_project, "epub", "--out", str(out))
    assert code == 1, printed
    assert f"--out {out} is inside {inside.split('/')[0]}/, which the build reads" in printed
    assert files_in(fixture_project) == before


def test_a_broken_catalog_is_located(fixture_project, tmp_path):
    catalog = fixture_project / "templates" / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    lines = catalog.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("msgstr")) + 1
    lines.insert(at, "this is not a catalog line")
    catalog.write_text("\n".join(lines), encoding="utf-8")
    fails(fixture_project, tmp_path / "out",
          f"templates/locales/pl/LC_MESSAGES/messages.po:{at + 1}: ",
          "the catalog is broken: Unknown or misformatted keyword", "epub", "--edition",
          "mini-pl")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("</style>", "</styl>", "not well-formed XML"),
    ('<?xml version="1.0" encoding="utf-8"?>',
     '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE style [<!ENTITY e SYSTEM '
     '"/etc/hostname">]>', "may not declare a DOCTYPE or entities"),
])
def test_a_broken_citation_style_is_located(fixture_project, tmp_path, old, new, message):
    style = fixture_project / "templates" / "base" / "csl" / "chicago-notes-bibliography.csl"
    replace(style, old, new)
    fails(fixture_project, tmp_path / "out", "templates/base/csl/chicago-notes-bibliography.csl:",
          message)


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_a_character_the_typeface_lacks_is_located(fixture_project, tmp_path, fmt):
    source = fixture_project / "sources" / "rs-test.md"
    original = fixture_project / "sources" / "originals" / "rs.txt"
    for path in (source, original):
        replace(path, "съезд.", "съезд ꙮ.")
    fails(fixture_project, tmp_path / "out", f"sources/rs-test.md:{line_of(source, 'ꙮ')}: ",
          "the typeface has no glyph for 'ꙮ' (U+A66E CYRILLIC LETTER MULTIOCULAR O)",
          fmt, "--edition", "mini")


def test_when_one_output_fails_no_file_of_the_edition_is_replaced(fixture_project, tmp_path):
    out = tmp_path / "out"
    assert run(fixture_project, "--edition", "mini", "--out", str(out))[0] == 0
    before = files_in(out)
    replace(fixture_project / "editions" / "mini.toml", 'title = "Test book"',
            'title = "Another book"')
    # The PDF is made first and would succeed; the EPUB's colophon fails.
    replace(fixture_project / "templates" / "base" / "epub" / "colophon.xhtml",
            "{% endblock %}\n", "{{ 1/0 }}{% endblock %}\n")
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(out))
    assert code == 1 and "ZeroDivisionError" in printed
    assert files_in(out) == before


def test_a_build_cleans_what_a_killed_one_left(fixture_project, tmp_path):
    out = tmp_path / "out"
    debris = [out / "mini" / ".mini.pdf.abc123.part", out / "mini" / ".mini.epub.staged"]
    for path in debris:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a book")
    assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    assert sorted(p.name for p in (out / "mini").iterdir()) == ["mini.epub"]


@pytest.mark.parametrize("stage", ["layout", "drawing"])
def test_sigterm_leaves_the_previous_book_and_no_debris(fixture_project, tmp_path, stage):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    assert run(fixture_project, "--edition", "mini", "--out", str(out))[0] == 0
    before = files_in(out)
    replace(fixture_project / "editions" / "mini.toml", 'title = "Test book"',
            'title = "Another book"')
    script = ("import sys; from pathlib import Path; from book.cli import main; "
              "sys.exit(main(sys.argv[2:], project=Path(sys.argv[1])))")
    build = subprocess.Popen(
        [sys.executable, "-c", script, str(fixture_project), "--edition", "mini", "--out",
         str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "PYTHONPATH": "."})
    # Stop it while it lays the PDF out, or once it writes the PDF's file.
    assert build.stdout.readline().startswith("read ")
    while "making mini.pdf" not in (line := build.stdout.readline()):
        assert line, "the build ended before it made the PDF"
    if stage == "layout":
        time.sleep(0.3)
    else:
        deadline = time.monotonic() + 30
        while not list((out / "mini").glob("*mini.pdf*.part")):
            assert time.monotonic() < deadline and build.poll() is None, "no PDF was written"
            time.sleep(0.01)
    build.send_signal(signal.SIGTERM)
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert files_in(out) == before


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
@pytest.mark.parametrize(("written", "message"), [
    ("p { content:", "a block opened with '{' is never closed"),
    ("}}}}", "a '}' closes no block"),
    ("/*", "a comment is opened with /* and never closed"),
    ("p { color red }", "a declaration does not parse"),
    ("/ p { color: red }", "the selector does not parse: '/' has no place in it"),
])
def test_a_stylesheet_that_does_not_parse_is_located(fixture_project, tmp_path, fmt, written,
                                                    message):
    css = fixture_project / "templates" / "base" / "css" / "custom.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n" + written + "\n", encoding="utf-8")
    line = len(css.read_text(encoding="utf-8").split("\n")) - 1
    fails(fixture_project, tmp_path / "out", f"templates/base/css/custom.css:{line}: ", message,
          fmt, "--edition", "mini")


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_a_stylesheet_saved_in_another_encoding_is_located(fixture_project, tmp_path, fmt):
    """WeasyPrint and a reading system would print the é of a Windows code page as U+FFFD."""
    css = fixture_project / "templates" / "base" / "css" / "custom.css"
    css.write_bytes(css.read_bytes() + b'\nh1::after { content: " caf\xe9"; }\n')
    line = css.read_bytes().count(b"\n")
    fails(fixture_project, tmp_path / "out", f"templates/base/css/custom.css:{line}: ",
          "not UTF-8 text", fmt, "--edition", "mini")


@pytest.mark.parametrize(("title", "message"), [
    ('""', "'title' is empty"),
    ('"  "', "'title' is empty"),
    ('"\\uFFFE"', "'title' holds a noncharacter U+FFFE"),
    # Shown as 1971: an override of direction turns the letters after it around.
    ('"19\\u202e17"', "'title' holds a direction override U+202E"),
    (f'"{"Т" * (limits.MAX_LINE_CHARS + 1)}"', f"'title' is {limits.MAX_LINE_CHARS + 1:,} "
     f"characters long, more than the {limits.MAX_LINE_CHARS} a title page's line may have"),
])
def test_a_title_a_book_cannot_carry_is_located(fixture_project, tmp_path, title, message):
    edition = fixture_project / "editions" / "mini.toml"
    replace(edition, 'title = "Test book"', f"title = {title}")
    fails(fixture_project, tmp_path / "out", f"editions/mini.toml:{line_of(edition, 'title')}: ",
          message)


def test_check_prepares_every_edition_as_a_build_would(fixture_project):
    (fixture_project / "templates" / "classroom" / "theme.toml").write_text(
        'extends = "../.."\n', encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert "templates/classroom/theme.toml: '../..' is not the name of a template folder" \
        in printed


@pytest.mark.expected_warnings
def test_strict_fails_on_a_warning_logged_while_drawing(fixture_project, tmp_path):
    # WeasyPrint warns while it draws the page, after the layout: an SVG image it cannot draw.
    (fixture_project / "templates" / "base" / "bad.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="missing.png" width="5" height="5"/></svg>\n', encoding="utf-8")
    replace(fixture_project / COLOPHON, "</section>", '<img src="bad.svg" alt="x"/></section>')
    fails(fixture_project, tmp_path / "out", "WeasyPrint warned (--strict)",
          "Failed to render SVG image", "pdf", "--strict", "--edition", "mini")
    code, printed = run(fixture_project, "pdf", "--edition", "mini", "--out",
                        str(tmp_path / "loose"))
    assert code == 0 and "warning: mini: Failed to render SVG image" in printed


def test_including_a_folder_is_a_missing_template(fixture_project, tmp_path):
    replace(fixture_project / COLOPHON, "</section>", '{% include "." %}</section>')
    fails(fixture_project, tmp_path / "out", f"{COLOPHON}:", "template '.' not found")


@pytest.mark.parametrize("variable", ["SOURCE_DATE_EPOCH", "BOOK_TIME_LIMIT"])
def test_digits_that_are_no_number_are_named(fixture_project, tmp_path, monkeypatch, variable):
    monkeypatch.setenv(variable, "²")
    fails(fixture_project, tmp_path / "out", f"error: {variable}='²'", "hint:")


def test_a_single_quoted_style_is_bounded_too(fixture_project, tmp_path):
    replace(fixture_project / COLOPHON, "</section>",
            "<p style='font-size: 1e9px'>x</p></section>")
    fails(fixture_project, tmp_path / "out", "templates/base",
          "the length 1e9px is larger than a page", "pdf", "--edition", "mini")


@pytest.mark.parametrize("source", ["../../secret", "../editions/mini"])
def test_new_edition_starts_only_from_an_edition(fixture_project, tmp_path, source):
    (tmp_path / "secret.toml").write_text('title = "not an edition"\n', encoding="utf-8")
    code, printed = run(fixture_project, "new-edition", "mine", "--from", source)
    assert code == 1 and f"no edition named {source!r} to start from" in printed
    assert not (fixture_project / "editions" / "mine").exists()


def test_an_edition_type_error_says_what_the_key_takes(fixture_project, tmp_path):
    edition = fixture_project / "editions" / "mini.toml"
    replace(edition, 'filename = "mini"', 'filename = "mini"\nparagraph_numbers = "yes"')
    printed = fails(fixture_project, tmp_path / "out",
                    f"editions/mini.toml:{line_of(edition, 'paragraph_numbers')}: ",
                    "'paragraph_numbers' must be true or false")
    assert "hint: write it without quotes, paragraph_numbers = true; paragraph_numbers: " \
        "print each paragraph's number" in printed
