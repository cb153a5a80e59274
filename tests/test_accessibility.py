"""The EPUBs as a publisher's accessibility desk checks them: DAISY Ace (the EPUB Accessibility
rules and axe-core over every document), and axe's rules Ace leaves out (tests/axe_rules.js),
on headless Chromium from Debian. `setup.sh` installs Ace into .ace/; nothing is downloaded
here. Then what the metadata says, held to what each EPUB holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import edit, line_of, run
from lxml import etree
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
ACE_MODULES = ROOT / ".ace" / "node_modules"
ACE = ACE_MODULES / ".bin" / "ace-cli"
AXE_RULES = Path(__file__).resolve().parent / "axe_rules.js"
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "x": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Ace checks a document in a few seconds; a hung browser is a failure, not a stalled suite.
TIME_LIMIT = 300


def browser_environment(home: Path) -> dict[str, str]:
    """Puppeteer on Debian's chromium (Ace passes --no-sandbox itself, as tests/axe_rules.js
    does), with Ace's modules, and a home of its own for the logs Ace writes."""
    if not ACE.exists():
        pytest.fail("DAISY Ace is not installed in .ace/: run ./setup.sh")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed: run ./setup.sh")
    return {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "1",
            "NODE_PATH": str(ACE_MODULES), "HOME": str(home)}


@pytest.fixture(scope="module")
def epubs(made, fixture_dist) -> list[Path]:
    """Every shipped edition's EPUB, and the fixture's in the base theme, which adds a German
    text, a note that is only a citation and the questions and glossary the reader lacks (its
    Polish edition in the classroom theme adds nothing classroom-pl does not hold)."""
    return [path for _, path in made["epub"]] + [fixture_dist / "mini" / "mini.epub"]


def failures(report: dict) -> list[tuple[str, str, str]]:
    """(document, rule, impact) of each violation in an Ace report."""
    return [(assertion["earl:testSubject"]["url"], test["earl:test"]["dct:title"],
             test["earl:test"]["earl:impact"])
            for assertion in report["assertions"] for test in assertion["assertions"]
            if test["earl:result"]["earl:outcome"] == "fail"]


@pytest.fixture(scope="module")
def checkers(epubs, tmp_path_factory) -> dict:
    """Ace on each EPUB and axe_rules.js on every document, all started at once (a browser
    each, which mostly waits): {epub: (Ace's process, its report folder)}, and "axe": (the
    process, the documents, their folder)."""
    folder = tmp_path_factory.mktemp("accessibility")
    environment = browser_environment(folder)
    started: dict = {}
    for n, epub in enumerate(epubs):
        report = folder / f"report-{n}"
        started[epub] = (subprocess.Popen(
            [str(ACE), "--silent", "--force", "--outdir", str(report), str(epub)],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), report)
    documents = []
    for n, epub in enumerate(epubs):
        with zipfile.ZipFile(epub) as package:
            package.extractall(folder / f"{n}-{epub.stem}")
        documents += sorted((folder / f"{n}-{epub.stem}").rglob("*.xhtml"))
    started["axe"] = (subprocess.Popen(
        ["node", str(AXE_RULES), *map(str, documents)], env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), documents, folder)
    yield started
    for process, *_ in started.values():
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()  # unread where its test did not run (-k)


def test_ace_finds_no_violation_in_any_epub(epubs, checkers):
    found = {}
    for epub in epubs:
        process, report = checkers[epub]
        printed, _ = process.communicate(timeout=TIME_LIMIT)
        assert process.returncode == 0, (epub.name, printed)
        result = json.loads((report / "report.json").read_text())
        found[epub.name] = failures(result)
        assert result["earl:result"]["earl:outcome"] == "pass" or found[epub.name], epub.name
    assert found == {epub.name: [] for epub in epubs}


def test_axe_rules_ace_leaves_out_find_nothing(epubs, checkers):
    """The landmark rules (one main, no content outside a landmark), a heading on every page,
    targets of 24 px: every XHTML document of every EPUB, in one browser."""
    process, documents, folder = checkers["axe"]
    printed, errors = process.communicate(timeout=TIME_LIMIT)
    assert process.returncode == 0, errors
    violations = [(Path(v["document"]).relative_to(folder).as_posix(), v["rule"], v["impact"],
                   v["targets"]) for v in json.loads(printed)]
    assert violations == []
    assert len(documents) >= 10 * len(epubs)  # a run that read nothing would find nothing


def package_of(epub: Path):
    with zipfile.ZipFile(epub) as package:
        opf = etree.fromstring(package.read("EPUB/content.opf"))
        colophon = etree.fromstring(package.read("EPUB/colophon.xhtml"))
        names = package.namelist()
    return opf, colophon, names


def meta(opf, name: str) -> list[str]:
    return opf.xpath(f"//opf:meta[@property='{name}']/text()", namespaces=OPF)


def test_the_metadata_says_what_each_epub_holds(made, epubs):
    languages = {path: edition.language for edition, path in made["epub"]}
    for epub in epubs:
        opf, colophon, names = package_of(epub)
        images = [n for n in names if n.rsplit(".", 1)[-1] in ("svg", "png", "jpg", "gif")]
        assert opf.get(XML_LANG) == languages.get(epub, opf.findtext(".//dc:language", None,
                                                                    OPF)), epub.name
        assert sorted(meta(opf, "schema:accessMode")) == (["textual", "visual"] if images
                                                          else ["textual"]), epub.name
        assert meta(opf, "schema:accessModeSufficient") == ["textual"]
        features = meta(opf, "schema:accessibilityFeature")
        assert ("alternativeText" in features) == bool(images), epub.name
        assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(features)
        assert meta(opf, "schema:accessibilityHazard") == ["none"]
        assert meta(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
        # The summary is the colophon's, in its language: one text, translated once.
        (summary,) = meta(opf, "schema:accessibilitySummary")
        printed = colophon.xpath("//x:section[@id='accessibility']/x:p", namespaces=OPF)[0]
        assert " ".join("".join(printed.itertext()).split()) == summary, epub.name
        assert opf.findtext(".//dc:date", None, OPF), epub.name


def test_the_cover_is_the_drawn_title_with_its_words(made):
    for edition, epub in made["epub"]:
        with zipfile.ZipFile(epub) as package:
            opf = etree.fromstring(package.read("EPUB/content.opf"))
            (href,) = opf.xpath("//opf:item[@properties='cover-image']/@href", namespaces=OPF)
            svg = etree.fromstring(package.read(f"EPUB/{href}"))
            cover = etree.fromstring(package.read("EPUB/cover.xhtml"))
        (image,) = cover.xpath("//x:img", namespaces=OPF)
        assert image.get("src") == href
        words = edition.title + (f". {edition.subtitle}" if edition.subtitle else "")
        assert image.get("alt") == words
        assert svg.findtext("{http://www.w3.org/2000/svg}title") == words
        # Drawn as outlines: no text, no font, nothing the reading system must have.
        assert not svg.xpath("//*[local-name()='text' or local-name()='font-face']")
        assert svg.xpath("//*[local-name()='path']")
        first = opf.xpath("//opf:itemref/@idref", namespaces=OPF)[0]
        assert opf.xpath(f"//opf:item[@id='{first}']/@href", namespaces=OPF) == ["cover.xhtml"]


def test_no_publisher_or_editor_is_made_up(made):
    for edition, epub in made["epub"]:
        opf, _, _ = package_of(epub)
        assert [p.text for p in opf.findall(".//dc:publisher", OPF)] == \
            ([edition.publisher] if edition.publisher else [])
        assert opf.findall(".//dc:contributor", OPF) == []


def test_publisher_and_editors_named_by_the_edition(fixture_project, tmp_path):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\npublisher = "Wydawnictwo Próbne Sp. z o.o."\n'
         'editors = ["Anna Nowak", "Jan Kowalski"]')
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(tmp_path))
    assert code == 0, printed
    opf, colophon, _ = package_of(tmp_path / "mini" / "mini.epub")
    assert opf.findtext(".//dc:publisher", None, OPF) == "Wydawnictwo Próbne Sp. z o.o."
    # The colophon of both formats names it, in the edition's language (English here), its
    # last full stop the sentence's.
    words = "Publisher: Wydawnictwo Próbne Sp. z o.o."
    assert words in "".join(colophon.itertext()) and words + "." not in "".join(
        colophon.itertext())
    pdf = PdfReader(tmp_path / "mini" / "mini.pdf")
    assert any(words in page.extract_text() for page in pdf.pages)
    editors = opf.findall(".//dc:contributor", OPF)
    assert [e.text for e in editors] == ["Anna Nowak", "Jan Kowalski"]
    for editor in editors:
        role = opf.xpath(f"//opf:meta[@refines='#{editor.get('id')}']", namespaces=OPF)
        assert [(r.get("property"), r.text) for r in role] == [("role", "edt")]


@pytest.mark.parametrize("value, message", [
    ('["Anna Nowak", "Anna Nowak"]', "'editors' must list each editor's name once, as a string"),
    ('[" "]', "'editors' must list each editor's name once, as a string"),
    ('["Anna Nowak", 3]', "'editors' must be a list of text values"),
])
def test_editors_that_are_not_names_once_stop_the_build(fixture_project, tmp_path, value,
                                                        message):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         f'filename = "mini"\neditors = {value}')
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(tmp_path))
    line = line_of(fixture_project, "editions/mini.toml", "editors =")
    assert code == 1
    assert f"editions/mini.toml:{line}: {message}" in printed, printed
    assert "hint:" in printed and not (tmp_path / "mini").exists()


def test_a_long_title_is_set_smaller_within_the_cover():
    import re

    from book import cover

    fonts = ROOT / "templates" / "base" / "fonts"
    long = " ".join(["Revolution"] * 30)
    svg = cover.cover_svg("Supercalifragilisticexpialidociousness " + long, long * 3,
                          (fonts / "GentiumBookPlus-Regular.ttf").read_bytes(),
                          (fonts / "GentiumBookPlus-Italic.ttf").read_bytes()).decode()
    places = [(float(x), float(y), float(s)) for x, y, s in
              re.findall(r'translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+)', svg)]
    assert len(places) == len(("Supercalifragilisticexpialidociousness " + long + long * 3)
                              .replace(" ", ""))
    assert all(cover.MARGIN / 2 < x < cover.WIDTH - cover.MARGIN / 2 and
               cover.MARGIN < y < cover.HEIGHT - cover.MARGIN / 2 for x, y, _ in places)
    assert max(s for *_, s in places) < cover.TITLE_SIZE / 2048  # smaller than "1917"'s


def test_each_theme_that_claims_conformance_is_checked_here(made, epubs):
    """CHECKED_THEMES names the template folders whose EPUBs claim conformance: each makes an
    EPUB that the Ace test above checks (the fixture's is in the base theme)."""
    from book.epub import CHECKED_THEMES

    checked = {edition.templates for edition, path in made["epub"] if path in epubs} | {"base"}
    assert set(CHECKED_THEMES) <= checked


def test_an_edition_with_templates_of_its_own_claims_only_what_they_keep(fixture_project,
                                                                         tmp_path):
    """`new-edition`'s commented starting points change nothing: the claim stands. Once the
    teacher's own block prints, no check has seen the EPUB: it claims no conformance, and
    its summary says nothing of WCAG, in the metadata and in the colophon alike."""
    code, printed = run(fixture_project, "new-edition", "mine", "--from", "mini")
    assert code == 0, printed
    claims = []
    for attempt in ("as made", "changed"):
        out = tmp_path / attempt
        code, printed = run(fixture_project, "epub", "--edition", "mine", "--out", str(out))
        assert code == 0, printed
        opf, colophon, _ = package_of(out / "mine" / "mine.epub")
        (summary,) = meta(opf, "schema:accessibilitySummary")
        printed_summary = colophon.xpath("//x:section[@id='accessibility']/x:p",
                                         namespaces=OPF)[0]
        assert " ".join("".join(printed_summary.itertext()).split()) == summary
        claims.append((meta(opf, "dcterms:conformsTo"), "WCAG" in summary))
        title_page = fixture_project / "editions" / "mine" / "templates" / "parts" / \
            "title_page.html"
        title_page.write_text("\n".join(line for line in title_page.read_text().split("\n")
                                        if line not in ("{#", "#}")))
    assert claims == [(["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"], True), ([], False)]
