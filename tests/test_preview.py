"""The live preview (book/preview.py): a real browser (Debian's headless chromium, through
Selenium and Debian's chromedriver) sees a saved question, a saved mistake's located message
over the last good book, and the book again once it is fixed; plain HTTP requests see what the
server refuses."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import edit, line_of, run

from book.cli import main
from book.preview import Preview, View, failure, formats_touched, serve, templates_edited

QUESTIONS = "sources/questions.yaml"


def wait_for(condition, seconds: float = 20, what: str = ""):
    """`condition()`'s first true value, within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


@contextmanager
def preview(project: Path, edition: str | None = "mini") -> Iterator[str]:
    """The preview of `project` served on a free port, as `build.py preview` serves it; its
    address."""
    stop, printed = threading.Event(), []
    thread = threading.Thread(target=serve, args=(project, edition, 0, printed.append, stop))
    thread.start()
    try:
        yield wait_for(lambda: next((re.search(r"http://[\d.:]+/", line)[0]
                                     for line in printed), None), 10, "the address")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def get(url: str, path: str, method: str = "GET", host: str | None = None
        ) -> tuple[int, str, bytes]:
    """Status, media type and body, read without following anything."""
    address = url.split("/")[2]
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request(method, path, headers={"Host": host or address})
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type", ""), response.read()


def state(url: str) -> dict:
    return json.loads(get(url, "/state")[2])


def question(project: Path) -> str:
    """The English wording of the fixture's first question, as its file holds it."""
    return re.search(r"^    en: (.+)$", (project / QUESTIONS).read_text("utf-8"), re.M)[1]


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = {name: shutil.which(name) for name in ("chromium", "chromedriver")}
    assert all(found.values()), f"not installed: {found}; ./setup.sh installs them"
    options = webdriver.ChromeOptions()
    options.binary_location = found["chromium"]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(argument)
    # Debian's driver for Debian's chromium: Selenium downloads nothing.
    return webdriver.Chrome(service=Service(found["chromedriver"]), options=options)


# The text of every EPUB document the page shows, each in its frame.
EPUB_TEXT = """return [...document.querySelectorAll('#documents iframe')]
  .map(f => f.contentDocument && f.contentDocument.body ? f.contentDocument.body.textContent
                                                         : '').join(' ')
  .replace(/\\s+/g, ' ');"""
PAGES = "return [...document.querySelectorAll('#pages img')].map(i => i.src);"
COLOUR = """const f = document.querySelector('#documents iframe:last-child');
  const p = f.contentDocument && f.contentDocument.querySelector('p');
  return p ? getComputedStyle(p).color : '';"""
BANNER = "const e = document.getElementById('errors'); return e.hidden ? '' : e.textContent;"


def test_a_browser_sees_each_save(fixture_project):
    old = question(fixture_project)
    # Words without «quotations», which the page shows as <q> with the language's marks.
    shown = old.split("«")[0].strip()
    new = "How does the text define the two powers, in your own words?"
    driver = browser()
    try:
        with preview(fixture_project) as url:
            driver.get(url)
            wait_for(lambda: shown in driver.execute_script(EPUB_TEXT), 30, "the EPUB")
            pages = wait_for(lambda: driver.execute_script(PAGES), 60, "the PDF's pages")
            assert all(src.startswith(url + "pdf/page-") for src in pages)

            edit(fixture_project, QUESTIONS, old, new)
            saved = time.monotonic()
            wait_for(lambda: new in driver.execute_script(EPUB_TEXT), 20, "the new wording")
            print(f"EPUB view refreshed {time.monotonic() - saved:.1f} s after the save")
            # The question is printed too: the PDF's pages are made again.
            wait_for(lambda: driver.execute_script(PAGES) != pages, 60, "the PDF again")
            pages = driver.execute_script(PAGES)

            broken = "Broken: " + new
            edit(fixture_project, QUESTIONS, new, broken)
            line = line_of(fixture_project, QUESTIONS, broken)
            banner = wait_for(lambda: driver.execute_script(BANNER), 20, "the mistake")
            assert f"{QUESTIONS}:{line}: " in banner
            # The last good book stays in view, the EPUB and the PDF alike. (A frame the page
            # is loading reads as empty: the words are waited for, as above; twice a loaded
            # machine caught one mid-load right after the banner.)
            wait_for(lambda: new in driver.execute_script(EPUB_TEXT), 20, "the last good book")
            assert driver.execute_script(PAGES) == pages

            edit(fixture_project, QUESTIONS, broken, f'"{broken}"')
            wait_for(lambda: broken in driver.execute_script(EPUB_TEXT), 20, "the fixed book")
            assert driver.execute_script(BANNER) == ""

            # A stylesheet saved: the documents that load it are shown again, in its style.
            custom = fixture_project / "templates" / "base" / "css" / "custom.css"
            custom.write_text(custom.read_text("utf-8") + "\np { color: rgb(1, 2, 3); }\n",
                              "utf-8")
            wait_for(lambda: driver.execute_script(COLOUR) == "rgb(1, 2, 3)", 20, "the style")
    finally:
        driver.quit()


def test_the_server_answers_only_for_its_own_files(fixture_project):
    with preview(fixture_project) as url:
        assert url.startswith("http://127.0.0.1:")
        built = wait_for(lambda: (lambda s: s if "epub" in s and "pdf" in s else None)(
            state(url)), 60, "both formats")
        document = built["epub"]["files"][0][0]
        status, media_type, body = get(url, f"/epub/{document}")
        assert (status, media_type) == (200, "application/xhtml+xml")
        assert b"<script" not in body
        assert get(url, "/epub/css/common.css")[:2] == (200, "text/css")
        assert get(url, f"/pdf/{built['pdf']['files'][0][0]}")[:2] == (200, "image/jpeg")
        status, media_type, body = get(url, "/")
        assert status == 200 and b"<main>" in body
        # Nothing of the project, the machine or a listing of folders; GET only; no other
        # site's page, reaching this port by a name of its own, may read it.
        for path in ("/sources/questions.yaml", f"/epub/../{QUESTIONS}",
                     "/epub/%2e%2e/%2e%2e/editions/mini.toml", "/epub/", "/pdf/",
                     "/epub/templates/base/css/common.css", "//etc/passwd", "/state/x"):
            assert get(url, path)[0] == 404, path
        assert get(url, "/state", "POST")[0] == 501
        assert get(url, "/state", host="example.com:80")[0] == 403


def test_a_failed_pdf_is_shown_as_its_errors_without_the_builds_progress():
    printed = ("read 4 texts and 2 editions (0.0 s)\nmini: making mini.pdf\n"
               "mini: mini.pdf laid out in 21 pages; checking them and drawing\n"
               "mini: mini.pdf ready (1.0 s)\nmini: making mini-teacher.pdf\n"
               "editions/mini.toml:3: error: x [past-edge]\nNo output was written or changed.\n")
    assert failure(printed, 1) == "editions/mini.toml:3: error: x [past-edge]"
    assert failure("wrote dist/mini/mini.pdf\n", 1) == "the PDF failed (1)"


def test_a_mistake_in_the_pdf_alone_is_shown_with_its_place(fixture_project):
    with preview(fixture_project) as url:
        wait_for(lambda: "pdf" in state(url), 60, "the PDF")
        template = "templates/base/pdf/book.html"
        edit(fixture_project, template, "</body>", "{{ nothing.here }}</body>")
        errors = wait_for(lambda: state(url)["errors"], 60, "the PDF's error")
        assert errors[0].startswith(
            f"{template}:{line_of(fixture_project, template, 'nothing.here')}: "), errors
        assert "pdf" in state(url)  # its last pages stay


def test_a_pdf_stopped_for_a_newer_save_leaves_nothing_behind(fixture_project, tmp_path,
                                                             monkeypatch):
    temporary, work = tmp_path / "temporary", tmp_path / "work"
    temporary.mkdir(), work.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the job's, as every process it starts
    pdf = Preview(fixture_project, "mini", work)
    pdf.start_pdf()
    # Killed while it lays the pages out, once WeasyPrint has copied the fonts.
    wait_for(lambda: any(tmp_path.rglob("weasyprint-*")), 30, "the layout")
    pdf.stop_pdf()
    assert not list(temporary.iterdir())
    assert [p.name for p in work.iterdir()] == ["memo"]  # the results kept for the next job


def test_a_warning_of_the_data_is_shown_once(fixture_project):
    # The PDF's build prints the data's warnings again, without their hints.
    edit(fixture_project, "sources/glossary.yaml", "A meeting of delegates.",
         "The delegates' meeting.")
    with preview(fixture_project) as url:
        wait_for(lambda: "pdf" in state(url), 60, "the PDF")
        warnings = state(url)["warnings"]
        assert len([w for w in warnings if "writes a straight '" in w]) == 1, warnings
        assert any("\n  hint: write ’ for an apostrophe" in w for w in warnings), warnings


def test_an_unknown_edition_is_named_on_the_page(fixture_project):
    with preview(fixture_project, "no-such") as url:
        errors = wait_for(lambda: state(url)["errors"], 20, "the error")
        assert errors == ["editions: no edition named no-such\n  hint: editions: mini, mini-pl"]


def test_a_port_in_use_is_refused_with_a_message(fixture_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, printed = run(fixture_project, "preview", "--port", str(port))
    assert code == 1
    assert f"cannot serve the preview on 127.0.0.1:{port}: " in printed
    assert "choose another port with --port" in printed


def test_a_port_that_is_no_port_is_refused(fixture_project, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["preview", "--port", "70000"], project=fixture_project)
    assert caught.value.code == 2
    assert "--port 70000 is not a port: choose one from 1024 to 65535" in capsys.readouterr().err


@pytest.mark.parametrize("names, themes, touched", [
    ({"sources/questions.yaml"}, {"base"}, {"epub", "pdf"}),
    ({"editions/mini.toml"}, {"base"}, {"epub", "pdf"}),
    ({"templates/locales/en/LC_MESSAGES/messages.po"}, {"base"}, {"epub", "pdf"}),
    ({"templates/base/epub/text.xhtml", "templates/base/css/epub.css"}, {"base"}, {"epub"}),
    ({"templates/base/pdf/book.html", "templates/base/css/print.css"}, {"base"}, {"pdf"}),
    ({"templates/base/parts/questions.html"}, {"base"}, {"epub", "pdf"}),
    ({"templates/classroom/css/theme.css"}, {"base"}, set()),
    ({"templates/classroom/css/theme.css"}, None, {"epub", "pdf"}),
    # An edition's own templates, in its folder: for that edition only.
    ({"editions/c/templates/css/print.css"}, {"editions/c", "base"}, {"pdf"}),
    ({"editions/c/templates/epub/text.xhtml"}, {"editions/d", "base"}, set()),
    ({"editions/c/edition.toml"}, {"editions/c", "base"}, {"epub", "pdf"}),
    ({"editions/c/questions.yaml"}, {"editions/c", "base"}, {"epub", "pdf"}),
])
def test_a_save_rebuilds_what_it_changes(names, themes, touched):
    assert formats_touched(names, themes) == touched


@pytest.mark.parametrize("name, before, after, edited", [
    ("templates/base/css/theme.css", True, True, True),
    ("templates/my-class/css/custom.css", False, True, False),  # a new file: a new folder?
    ("templates/base/parts/glossary.html", True, False, False),
    ("templates/locales/pl/LC_MESSAGES/messages.po", True, True, False),
    ("sources/questions.yaml", True, True, False),
    ("editions/mini.toml", True, True, False),
    ("editions/c/templates/parts/title_page.html", True, True, True),
    ("editions/c/questions.yaml", True, True, False),
])
def test_only_templates_edited_in_place_leave_the_sources_unread(name, before, after, edited):
    """A build reads of templates/ only which folders and catalogs there are."""
    assert templates_edited({name}, {name: (1, 1)} if before else {},
                            {name: (2, 1)} if after else {}) is edited


def test_a_stylesheet_saved_reloads_the_documents_that_load_it():
    def view(css: bytes) -> View:
        return View({"a.xhtml": ("application/xhtml+xml", b"<html/>"),
                     "css/common.css": ("text/css", css)}, ("a.xhtml",), 1.0)

    assert [name for name, _ in view(b"p {}").listing()] == ["a.xhtml"]
    assert view(b"p {}").listing() == view(b"p {}").listing()
    assert view(b"p {}").listing() != view(b"p { color: red }").listing()


def test_the_preview_of_an_edition_is_not_held_up_by_another_editions_mistake(fixture_project,
                                                                              tmp_path):
    path = fixture_project / "editions" / "mini-pl.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\ncolour = "red"\n', encoding="utf-8")
    shown = Preview(fixture_project, "mini", tmp_path)
    assert shown.make_epub(render=True)
    assert shown.errors == {}
    broken = Preview(fixture_project, "mini-pl", tmp_path / "other")
    (tmp_path / "other").mkdir()
    assert not broken.make_epub(render=True)
    assert "unknown key 'colour'" in broken.errors["book"]
