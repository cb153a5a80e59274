"""Trustworthy builds: clear errors, nothing half-written, nothing read that should not be,
and the same input giving the same bytes."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from helpers import files_in, png
from lxml import etree
from pypdf import PdfReader

from book import epub as epub_writer
from book.cli import main
from book.made import RECORDS
from book.xhtml import check_document

ROOT = Path(__file__).resolve().parent.parent
GREEK = "sources/gr-test.md"
EDITION = "editions/mini.toml"


def run(project: Path, *argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(list(argv), stdout=stdout, project=project)
    return code, stdout.getvalue(), stderr.getvalue()


def edit(project: Path, name: str, old: str, new: str) -> Path:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(project: Path, name: str, fragment: str) -> int:
    lines = (project / name).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


# Each error a user can cause, in the fixture project: (file, old, new, where the error
# points, what it says).
USER_ERRORS = {
    "malformed metadata": (GREEK, "published: 2011-10", "published: [2011-10",
                           "published: [2011-10", "malformed metadata"),
    "a note call with no note": (GREEK, "1917.[^1]", "1917.[^1][^40]", "1917.[^1][^40]",
                                 "note call [^40] has no note"),
    "a note with no call": (GREEK, "συνεχίζει.[^2]", "συνεχίζει.", "[^2]: ",
                            "note [^2] is never called"),
    "a duplicate note number": (GREEK, "[^3]: John", "[^2]: John", "[^2]: John",
                                "note [^2] is defined twice"),
    "an unknown language tag": (GREEK, "lang: el", "lang: greek", "lang: greek",
                                "unknown language tag 'greek'"),
    "a bad date in the chronology": ("sources/chronology.yaml", "    date: 1917-10-25",
                                     "    date: 1917-09-31", "    date: 1917-09-31",
                                     "not a day of the Julian calendar"),
    "a bad calendar in the chronology": ("sources/chronology.yaml",
                                         "    date: 1917-10-25\n    calendar: julian",
                                         "    date: 1917-10-25\n    calendar: byzantin",
                                         "calendar: byzantin", "unknown calendar 'byzantin'"),
    "a broken edition file": (EDITION, 'language = "en"', 'language = "fr"',
                              'language = "fr"', "apparatus language 'fr' is not available"),
    "a template syntax error": ("templates/base/parts/colophon.html", "</section>",
                                "{% if %}</section>", "{% if %}", "syntax error"),
    "an undefined template variable": ("templates/base/parts/colophon.html", "</section>",
                                       "{{ colophn }}</section>", "{{ colophn }}",
                                       "'colophn' is undefined"),
    "raw HTML a source may not hold": (GREEK, "1917.[^1]", "1917.[^1]<script>x</script>",
                                       "1917.[^1]<script>", "the HTML tag <script> is not "
                                       "allowed"),
    "a control character": (GREEK, "title: Δοκιμαστικό", "title: Δοκιμα\x07στικό",
                            "title: Δοκιμα", "control character U+0007"),
}


@pytest.mark.parametrize("case", USER_ERRORS, ids=list(USER_ERRORS))
def test_a_user_error_is_a_located_message_and_changes_nothing(fixture_project, tmp_path, case):
    name, old, new, where, message = USER_ERRORS[case]
    out = tmp_path / "dist"
    assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    before = files_in(out)
    edit(fixture_project, name, old, new)
    code, printed, errors = run(fixture_project, "--out", str(out))
    assert code == 1
    assert f"{name}:{line_of(fixture_project, name, where)}: " in printed + errors
    assert message in printed + errors
    assert "hint:" in printed + errors
    assert "Traceback" not in errors
    assert files_in(out) == before


def test_a_citation_with_no_entry_is_a_warning_and_an_error_under_strict(fixture_project, tmp_path):
    edit(fixture_project, "sources/citations.yaml", "work: smith2001", "work: smyth2001")
    code, printed, errors = run(fixture_project, "epub", "--edition", "mini", "--strict",
                                "--out", str(tmp_path))
    assert code == 1
    line = line_of(fixture_project, "sources/citations.yaml", "work: smyth2001")
    assert f"sources/citations.yaml:{line}: warning: note 3 cites 'smyth2001'" in printed
    assert not any(tmp_path.rglob("*.epub"))


def test_all_problems_of_a_run_are_reported_together(fixture_project, tmp_path):
    edit(fixture_project, GREEK, "1917.[^1]", "1917.[^1][^40]")
    edit(fixture_project, "sources/rs-test.md", "lang: ru", "lang: russisch")
    edit(fixture_project, EDITION, 'language = "en"', 'language = "fr"')
    code, printed, errors = run(fixture_project, "--out", str(tmp_path))
    assert code == 1
    for message in ("note call [^40] has no note", "unknown language tag 'russisch'",
                    "apparatus language 'fr'"):
        assert message in errors
    assert "3 problems found" in errors


def test_a_bug_is_a_traceback_not_a_message(fixture_project, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(epub_writer, "repack", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        main(["epub", "--edition", "mini", "--out", str(out)], stdout=io.StringIO(),
             project=fixture_project)
    assert not any(p.is_file() for p in out.rglob("*"))


def test_ctrl_c_leaves_the_previous_book_and_no_debris(fixture_project, tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    before = files_in(out)

    def interrupted(path, when):
        path.write_bytes(b"half a book")
        raise KeyboardInterrupt

    monkeypatch.setattr(epub_writer, "repack", interrupted)
    # --force: with nothing changed, a build would write nothing to interrupt.
    code, printed, errors = run(fixture_project, "epub", "--edition", "mini", "--out", str(out),
                                "--force")
    assert code == 130 and "interrupted" in errors
    assert files_in(out) == before


def test_control_characters_never_reach_the_epub(fixture_project, tmp_path):
    edit(fixture_project, EDITION, 'title = "Test book"', 'title = "Test\\u000bbook"')
    code, printed, errors = run(fixture_project, "epub", "--out", str(tmp_path))
    assert code == 1 and "'title' holds a control character" in errors


class CountingServer:
    """An HTTP server on 127.0.0.1 that counts the requests a build sends it."""

    def __init__(self):
        self.requests = 0
        counter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                counter.requests += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("where", ["source image", "template stylesheet", "attachment"])
def test_no_request_leaves_the_machine(fixture_project, tmp_path, where):
    with CountingServer() as server:
        if where == "source image":
            edit(fixture_project, GREEK, "1917.[^1]", f"1917.[^1] ![x]({server.url}/a.png)")
        elif where == "template stylesheet":
            edit(fixture_project, "templates/base/pdf/book.html", "</head>",
                 f'<link rel="stylesheet" href="{server.url}/a.css"/></head>')
        else:
            edit(fixture_project, "templates/base/pdf/book.html", "</head>",
                 f'<link rel="attachment" href="{server.url}/secret"/></head>')
        code, printed, errors = run(fixture_project, "pdf", "--edition", "mini", "--out",
                                    str(tmp_path))
        assert code == 1
        if where == "source image":
            assert "an image cannot stand in an author's text" in errors
        else:
            assert server.url in errors and "refused" in errors
        assert server.requests == 0
    assert not any(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize(
    "href",
    ["../../../../etc/hostname", "file:///etc/hostname", "file:///dev/zero", "/dev/zero",
     "css/escape.css"],
)
def test_file_tricks_are_refused(fixture_project, tmp_path, href):
    if href == "css/escape.css":  # a symbolic link inside the templates that leads out
        (fixture_project / "templates" / "base" / "css" / "escape.css").symlink_to(
            "/etc/hostname")
    edit(fixture_project, "templates/base/pdf/book.html", "</head>",
         f'<link rel="attachment" href="{href}"/><link rel="stylesheet" href="{href}"/></head>')
    code, printed, errors = run(fixture_project, "pdf", "--edition", "mini", "--out",
                                str(tmp_path))
    assert code == 1 and ("refused" in errors or "in no template folder" in errors
                          or "templates/base/css/escape.css: error: a symbolic link that leads "
                          "out of templates/" in printed)
    assert not any(tmp_path.rglob("*.pdf"))


def test_the_pdfs_have_no_attachments(dist):
    for pdf in dist.rglob("*.pdf"):
        reader = PdfReader(pdf)
        assert reader.attachments == {}
        assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


def test_text_reaching_the_metadata_is_escaped(fixture_project, tmp_path, epubcheck):
    title = "A & B <c> \\\"d\\\" 'e' </dc:title>"  # TOML escapes the quotes
    edit(fixture_project, EDITION, 'title = "Test book"', f'title = "{title}"')
    assert run(fixture_project, "--edition", "mini", "--out", str(tmp_path))[0] == 0
    expected = "A & B <c> \"d\" 'e' </dc:title>"
    book = zipfile.ZipFile(tmp_path / "mini" / "mini.epub")
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.xpath("//dc:title/text()", namespaces=ns) == [expected]
    nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    assert nav.xpath("//*[local-name()='title']/text()")
    check = epubcheck(tmp_path / "mini" / "mini.epub")
    assert [str(m) for m in check.messages] == []
    assert PdfReader(tmp_path / "mini" / "mini.pdf").metadata.title == expected




@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 'x' * 1000000000 }}", "more text than a book needs"),
        ("{% for i in range(2000) %}<div>{% endfor %}", "nests elements"),
        ('<img src="huge.png" alt="x"/>', "more pixels than a book needs"),
        ('<img src="data:image/png;base64,' + base64.b64encode(png(100_000, 100_000))
         .decode() + '" alt="x"/>', "a data: URL declares more pixels than a book needs"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "took more than 3 s"),
    ],
)
def test_resource_bombs_stop_with_a_message(fixture_project, tmp_path, monkeypatch, template,
                                           message):
    monkeypatch.setenv("BOOK_TIME_LIMIT", "3")
    (fixture_project / "templates" / "base" / "huge.png").write_bytes(png(100_000, 100_000))
    edit(fixture_project, "templates/base/parts/colophon.html", "</section>",
         template + "</section>")
    code, printed, errors = run(fixture_project, "pdf", "--edition", "mini", "--out",
                                str(tmp_path))
    assert code == 1 and message in errors, errors
    assert not any(tmp_path.rglob("*.pdf"))


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_elsewhere(tmp_path: Path, name: str, env: dict[str, str], prefix: list[str],
                    argv: list[str], project: Path = ROOT) -> Path:
    """Build from another working folder, with its own clock and zone."""
    out = tmp_path / name
    work = tmp_path / f"{name}-cwd"
    work.mkdir()
    program = ("import sys; from pathlib import Path; from book.cli import main; "
               "sys.exit(main(sys.argv[2:], project=Path(sys.argv[1])))")
    subprocess.run([*prefix, sys.executable, "-c", program, str(project), *argv,
                    "--out", str(out)], cwd=work, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    return out


def faketime_days() -> tuple[list[str], list[str]]:
    if shutil.which("faketime"):
        return ["faketime", "2031-01-05 03:00:00"], ["faketime", "2029-07-20 22:30:00"]
    return [], []


def test_the_real_book_is_the_same_bytes_on_another_day_in_another_zone(tmp_path, book,
                                                                         dist):
    # Every real edition's EPUB, twice, close together: the project's last commit (the date
    # stamped) moves when someone commits. PDFs are compared on the fixture below. An EPUB
    # that carries its PDF's pages takes them from the session's build (book/memo.py) rather
    # than laying each edition out twice more: they are found by the book's HTML, so a day
    # that changed it would find none and lay it out.
    days = faketime_days()
    for name in ("a", "b"):
        shutil.copytree(dist / RECORDS / "memo", tmp_path / name / RECORDS / "memo")
    first = build_elsewhere(tmp_path, "a", {"TZ": "Pacific/Auckland"}, days[0], ["epub"])
    second = build_elsewhere(tmp_path, "b", {"TZ": "America/Los_Angeles"}, days[1], ["epub"])
    assert hashes(first) == hashes(second)
    # One folder per edition, beside the hidden record of what was made (book/made.py).
    assert sorted(p.name for p in first.iterdir() if not p.name.startswith(".")) == sorted(
        e.name for e in book.editions if "epub" in e.formats)


def test_two_builds_on_different_days_and_zones_are_the_same_bytes(fixture_project, tmp_path):
    days = faketime_days()
    argv = ["--edition", "mini"]
    first = build_elsewhere(tmp_path, "a", {"TZ": "Pacific/Auckland"}, days[0], argv,
                            fixture_project)
    second = build_elsewhere(tmp_path, "b", {"TZ": "America/Los_Angeles"}, days[1], argv,
                             fixture_project)
    assert hashes(first) == hashes(second)
    # And SOURCE_DATE_EPOCH, when set, is the date stamped, in UTC.
    third = build_elsewhere(tmp_path, "c", {"TZ": "Asia/Tokyo",
                                            "SOURCE_DATE_EPOCH": "1700000000"}, days[0],
                            ["epub", *argv], fixture_project)
    fourth = build_elsewhere(tmp_path, "d", {"TZ": "Europe/Warsaw",
                                             "SOURCE_DATE_EPOCH": "1700000000"}, days[1],
                             ["epub", *argv], fixture_project)
    assert hashes(third) == hashes(fourth)
    assert hashes(third)["mini/mini.epub"] != hashes(first)["mini/mini.epub"]
    opf = zipfile.ZipFile(third / "mini" / "mini.epub").read("EPUB/content.opf")
    assert b"2023-11-14T22:13:20Z" in opf


def section_languages(document, lang: str) -> set[str]:
    """The languages the structure tree gives the book's sections (the texts' and the
    apparatus'), each an element's own /Lang or the one it inherits."""
    found = set()
    for part in document.get_object()["/K"]:
        part = part.get_object()
        inherited = str(part.get("/Lang", lang))
        for kid in part["/K"] if part.get("/S") == "/Part" else []:
            kid = kid.get_object()
            if isinstance(kid, dict) and kid.get("/S") == "/Sect":
                found.add(str(kid.get("/Lang", inherited)))
    return found


def test_every_pdf_is_pdf_ua_with_each_text_in_its_language(made, book):
    for edition, path in made["pdf"]:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
        assert root["/Lang"] == edition.language and root["/ViewerPreferences"]["/DisplayDocTitle"]
        assert reader.xmp_metadata.dc_title == {"x-default": edition.title}
        assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()
        languages = section_languages(root["/StructTreeRoot"]["/K"][0], edition.language)
        texts = {book.texts[t].lang for t in edition.texts}
        assert texts <= languages <= texts | {edition.language}, edition.name


# What no EPUB may hold, whatever a template writes.

@pytest.mark.parametrize("element", ["script", "iframe", "object", "embed", "applet", "frame",
                                     "frameset", "base", "form", "svg:foreignObject"])
def test_what_no_epub_may_hold_is_refused(element):
    # One message each, at the element: nothing inside it (an onclick) is read.
    name = element.split(":")[-1]
    document = ('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:svg="http://www.w3.org/2000/svg">'
                f'<body><p>a</p><svg:svg><{element}/></svg:svg></body></html>'
                if element.startswith("svg:") else
                '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                f'<div><{element}><p onclick="x">inside</p></{element}></div></body></html>')
    messages = [p.message for p in check_document("a.xhtml", document).problems]
    assert messages == [f"<{name}> is not allowed in the EPUB"], messages


@pytest.mark.parametrize("attribute", ["onclick", "onLoad", "ONERROR"])
def test_an_event_attribute_in_any_case_is_refused(attribute):
    document = ('<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                f'<p {attribute}="x">a</p></body></html>')
    messages = [p.message for p in check_document("a.xhtml", document).problems]
    assert messages == [f"the attribute {attribute}= is not allowed in the EPUB (it runs code)"]
