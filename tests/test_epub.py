"""Facts read back from built EPUBs: validity, languages, notes, navigation, metadata.

The tool's behaviour is read from the fixture project's EPUBs; the real book's EPUBs are held
only to properties that hold whatever the texts say, with what they expect derived from the
data."""

from __future__ import annotations

import zipfile

import pytest
from helpers import leads_to
from lxml import etree

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def xml(epub: zipfile.ZipFile, name: str):
    return etree.fromstring(epub.read(f"EPUB/{name}"))


@pytest.fixture(scope="module")
def real_epubs(made, book) -> list[tuple[object, zipfile.ZipFile, list]]:
    """Each real edition's EPUB and the texts it holds, in its order."""
    return [(edition, zipfile.ZipFile(path), [book.texts[t] for t in edition.texts])
            for edition, path in made["epub"]]


# The real book: properties of any content.

def test_each_text_is_a_document_in_its_language(real_epubs):
    for edition, epub, texts in real_epubs:
        for text in texts:
            where = (edition.name, text.id)
            root = xml(epub, f"text-{text.id}.xhtml")
            assert root.get("lang") == root.get(XML_LANG) == text.lang, where
            paragraphs = root.xpath("//x:p[@id]", namespaces=NS)
            assert [p.get("id") for p in paragraphs] == [p.id for p in text.paragraphs], where
            # No-break spaces bind the title's words (the fixture's sources/typography.yaml).
            assert text.title in "".join(root.itertext()).replace("\u00a0", " "), where


def test_lang_and_xml_lang_agree_everywhere(real_epubs):
    for edition, epub, _ in real_epubs:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                for element in etree.fromstring(epub.read(name)).iter():
                    if element.get("lang") or element.get(XML_LANG):
                        assert element.get("lang") == element.get(XML_LANG), \
                            (edition.name, name, element.tag)


def check_notes(root, text, where) -> None:
    refs = root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    calls = [label for p in text.paragraphs for label in p.note_labels]
    assert [r.text for r in refs] == calls, where
    for ref in refs:
        target = ref.get("href").removeprefix("#")
        (aside,) = root.xpath(f"//x:aside[@id='{target}']", namespaces=NS)
        assert aside.get(EPUB_TYPE) == "footnote", (where, target)
        # The aside follows the paragraph that calls it, before the next paragraph.
        (paragraph,) = ref.xpath("ancestor::x:p[1]", namespaces=NS)
        following = paragraph.getnext()
        while following is not None and following.tag.endswith("aside"):
            if following is aside:
                break
            following = following.getnext()
        assert following is aside, (where, target)
        (back,) = aside.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
        assert back.get("href") == f"#{ref.get('id')}", (where, target)


def test_notes_are_asides_after_their_paragraph_with_links_both_ways(real_epubs):
    for edition, epub, texts in real_epubs:
        for text in texts:
            check_notes(xml(epub, f"text-{text.id}.xhtml"), text, (edition.name, text.id))


def test_nav_lists_texts_and_sections(real_epubs):
    for edition, epub, texts in real_epubs:
        nav = xml(epub, "nav.xhtml")
        (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
        links = [a.get("href") for a in toc.xpath(".//x:a", namespaces=NS)]
        for text in texts:
            assert f"text-{text.id}.xhtml#{text.id}" in links, (edition.name, text.id)
            for section in text.sections:
                if section.id:
                    assert f"text-{text.id}.xhtml#{section.id}" in links, \
                        (edition.name, section.id)
        # The printed edition's pages are listed where the edition asks for them.
        page_list = nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
        assert len(page_list) == edition.print_pages, edition.name


def test_metadata_says_what_the_edition_holds(real_epubs):
    for edition, epub, texts in real_epubs:
        opf = xml(epub, "content.opf")
        assert opf.xpath("//dc:title/text()", namespaces=NS) == [edition.title]
        languages = list(dict.fromkeys([edition.language, *(t.lang for t in texts)]))
        assert opf.xpath("//dc:language/text()", namespaces=NS) == languages, edition.name
        assert epub.namelist()[0] == "mimetype"
        assert epub.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


def test_editorial_titles_are_marked(real_epubs):
    for edition, epub, texts in real_epubs:
        for text in texts:
            (title,) = xml(epub, f"text-{text.id}.xhtml").xpath("//x:h1", namespaces=NS)
            marked = bool(title.xpath("x:span[@class='editorial']", namespaces=NS))
            assert marked == text.title_editorial, (edition.name, text.id)
            if text.title_editorial:
                assert "".join(title.itertext()).replace("\u00a0", " ") == f"[{text.title}]", \
                    (edition.name, text.id)


def internal_links(epub: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Every link from one document of the book to a fragment, checked to resolve."""
    documents = {name.removeprefix("EPUB/"): etree.fromstring(epub.read(name))
                 for name in epub.namelist() if name.endswith(".xhtml")}
    ids = {name: set(root.xpath("//@id")) for name, root in documents.items()}
    checked = []
    for name, root in documents.items():
        for href in root.xpath("//x:a/@href", namespaces=NS):
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in documents, (name, href)
            if fragment:
                assert fragment in ids[target], (name, href)
                checked.append((name, href))
    return checked


def test_every_link_inside_the_book_reaches_an_existing_anchor(real_epubs):
    for edition, epub, texts in real_epubs:
        # At least each note call and its way back.
        assert len(internal_links(epub)) >= 2 * sum(len(t.notes) for t in texts), edition.name


def test_every_citation_is_a_link_and_every_entry_links_back(real_epubs, book):
    for edition, epub, texts in real_epubs:
        if "bibliography" not in edition.sections:
            continue
        entries = {li.get("id"): li for li in xml(epub, "bibliography.xhtml").xpath(
            "//x:li[@id]", namespaces=NS)}
        for text in texts:
            where = (edition.name, text.id)
            # Citations are listed in the order of sources/citations.yaml, links in the
            # note's: each note's are compared as sets with their numbers.
            cited = [c for c in book.citations if c.text == text.id and c.work]
            expected: dict[str, list[str]] = {}
            for c in cited:
                expected.setdefault(f"{text.id}-n{c.note}", []).append(
                    f"bibliography.xhtml#bib-{c.work}")
            found: dict[str, list[str]] = {}
            root = xml(epub, f"text-{text.id}.xhtml")
            for link in root.xpath("//x:a[@role='doc-biblioref']", namespaces=NS):
                note = link.xpath("ancestor::x:aside/@id", namespaces=NS)[0]
                found.setdefault(note, []).append(link.get("href"))
            assert {n: sorted(h) for n, h in found.items()} == \
                {n: sorted(h) for n, h in expected.items()}, where
            for c in cited:
                backs = entries[f"bib-{c.work}"].xpath(
                    ".//x:span[@class='cited-in']//x:a/@href", namespaces=NS)
                # A range "30–34" links its ends: the notes between are reached from the first.
                for first, last in entries[f"bib-{c.work}"].xpath(
                        ".//x:span[@class='note-range']", namespaces=NS):
                    prefix = first.get("href").rsplit("-n", 1)[0]
                    backs += [f"{prefix}-n{n}" for n in range(
                        int(first.text) + 1, int(last.text))]
                assert f"text-{text.id}.xhtml#{text.id}-n{c.note}" in backs, (where, c)


def test_every_event_is_linked_both_ways(real_epubs, book):
    for edition, epub, texts in real_epubs:
        if "chronology" not in edition.sections:
            continue
        (table,) = xml(epub, "chronology.xhtml").xpath("//x:table", namespaces=NS)
        documents = {t.id: xml(epub, f"text-{t.id}.xhtml") for t in texts}
        for event in book.events:
            mentions = [m for m in event.mentions if m.text in edition.texts]
            rows = table.xpath(f"x:tbody/x:tr[@id='chron-{event.id}']", namespaces=NS)
            if not mentions:
                continue
            (row,) = rows
            links = row.xpath(".//x:a/@href", namespaces=NS)
            for mention in mentions:
                # To the word where the quoted words begin, in their paragraph.
                assert f"text-{mention.text}.xhtml#{mention.place}" in links, \
                    (edition.name, event.id, mention.anchor)
                assert mention.place != mention.anchor
                assert leads_to(documents[mention.text], mention.place, mention.anchor,
                                mention.quote), (edition.name, event.id, mention.place)
                # One ◊ per paragraph, to the first row that quotes it (rows in date order).
                marks = documents[mention.text].xpath(
                    f"//*[@id='{mention.anchor}']//x:a[@class='chron-mark']/@href",
                    namespaces=NS)
                first = next(e for e in book.events
                             if any(m.anchor == mention.anchor and m.text in edition.texts
                                    for m in e.mentions))
                assert marks == [f"chronology.xhtml#chron-{first.id}"], \
                    (edition.name, event.id, mention.anchor)


# The tool, on the fixture project.

@pytest.fixture(scope="module")
def mini(fixture_dist) -> zipfile.ZipFile:
    return zipfile.ZipFile(fixture_dist / "mini" / "mini.epub")


def test_epubcheck_reports_nothing(fixture_dist, epubcheck):
    # Every real edition's EPUB is checked in test_editions.py.
    check = epubcheck(fixture_dist / "mini" / "mini.epub")
    assert [str(m) for m in check.messages] == []
    assert check.valid


def test_notes_are_asides_after_their_paragraph(mini, fixture_book):
    for text in fixture_book.texts.values():
        check_notes(xml(mini, f"text-{text.id}.xhtml"), text, text.id)
    root = xml(mini, "text-gr.xhtml")
    assert [r.text for r in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)] == \
        ["1", "2", "3"]
    (note_3,) = root.xpath("//x:aside[@id='gr-n3']", namespaces=NS)
    assert "Test Press, London, 2001" in "".join(note_3.itertext())


def test_the_nav_lists_each_text_and_its_sections(mini):
    nav = xml(mini, "nav.xhtml")
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    links = [a.get("href") for a in toc.xpath(".//x:a", namespaces=NS)]
    for expected in ("text-gr.xhtml#gr", "text-gr.xhtml#gr-s1", "text-gr.xhtml#gr-s2",
                     "text-rs.xhtml#rs", "text-pol.xhtml#pol", "text-de.xhtml#de"):
        assert expected in links


def test_fonts_embedded_and_metadata(mini):
    opf = xml(mini, "content.opf")
    fonts = opf.xpath("//opf:item[contains(@href, 'fonts/')]", namespaces=NS)
    assert fonts  # only the faces the documents print with: tests/test_epub_size.py
    assert {f.get("media-type") for f in fonts} == {"font/ttf"}
    assert opf.xpath("//dc:title/text()", namespaces=NS) == ["Test book"]
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["en", "el", "ru", "pl", "de"]
    (identifier,) = opf.xpath("//dc:identifier/text()", namespaces=NS)
    assert identifier.startswith("urn:uuid:")
    assert opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS)
    assert mini.namelist()[0] == "mimetype"
    assert mini.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


def test_editorial_titles_marked_in_the_epub(mini):
    (title,) = xml(mini, "text-rs.xhtml").xpath("//x:h1", namespaces=NS)
    assert "".join(title.itertext()) == "[Тестовый текст]"
    assert title.xpath("x:span[@class='editorial']", namespaces=NS)
    (title,) = xml(mini, "text-gr.xhtml").xpath("//x:h1", namespaces=NS)
    assert not title.xpath("x:span[@class='editorial']", namespaces=NS)


def test_links_between_notes_and_the_bibliography_resolve(mini):
    links = internal_links(mini)
    assert ("text-gr.xhtml", "#gr-n1") in links
    assert ("bibliography.xhtml", "text-de.xhtml#de-n3") in links


def test_citations_and_back_references_in_the_epub(mini):
    cites = {}
    for text in ("gr", "de"):
        for cite in xml(mini, f"text-{text}.xhtml").xpath("//x:a[@role='doc-biblioref']",
                                                         namespaces=NS):
            note = cite.xpath("ancestor::x:aside/@id", namespaces=NS)[0]
            cites.setdefault(note, []).append(cite.get("href").removeprefix(
                "bibliography.xhtml#bib-"))
    # «ό.π.» and «Ebd.» resolve to the work of the author cited last.
    assert cites == {"gr-n1": ["papa1990"], "gr-n2": ["papa1990"], "gr-n3": ["smith2001"],
                     "de-n1": ["smith2001"], "de-n2": ["smith2001"], "de-n3": ["papa1990"]}
    bibliography = xml(mini, "bibliography.xhtml")
    (papa,) = bibliography.xpath("//x:li[@id='bib-papa1990']", namespaces=NS)
    # The entry is in the work's language; the lines under it in the apparatus's.
    assert papa.xpath("x:span[@class='entry']/@lang", namespaces=NS) == ["el"]
    assert papa.get("lang") is None
    backs = papa.xpath(".//x:span[@class='cited-in']/x:a/@href", namespaces=NS)
    assert backs == ["text-gr.xhtml#gr-n1", "text-gr.xhtml#gr-n2", "text-de.xhtml#de-n3"]


def test_chronology_is_an_accessible_table_linked_both_ways(mini):
    chronology = xml(mini, "chronology.xhtml")
    (table,) = chronology.xpath("//x:table", namespaces=NS)
    assert table.xpath("x:caption", namespaces=NS)
    heads = table.xpath("x:thead//x:th", namespaces=NS)
    assert {h.get("scope") for h in heads} == {"col"}
    # Each event's row is headed by its date; each year's rows by the year.
    rows = table.xpath("x:tbody/x:tr[@id]", namespaces=NS)
    assert all(len(r.xpath("x:th[@scope='row']", namespaces=NS)) == 1 for r in rows)
    years = table.xpath("x:tbody/x:tr[@class='year']/x:th", namespaces=NS)
    assert [(y.get("scope"), y.text) for y in years] == [("rowgroup", "1917"),
                                                         ("rowgroup", "1918")]
    (row,) = table.xpath("x:tbody/x:tr[@id='chron-congress']", namespaces=NS)
    assert "".join(row.xpath("x:th", namespaces=NS)[0].itertext()) == "October\u00a025"
    links = row.xpath(".//x:a/@href", namespaces=NS)
    assert links == ["text-rs.xhtml#rs-1-q1", "text-pol.xhtml#pol-1-q1",
                     "text-de.xhtml#de-1-q1"]
    assert leads_to(xml(mini, "text-de.xhtml"), "de-1-q1", "de-1", "in der Nacht zum 26.")
    marks = xml(mini, "text-de.xhtml").xpath("//x:p[@id='de-1']/x:a[@class='chron-mark']/@href",
                                              namespaces=NS)
    assert marks == ["chronology.xhtml#chron-congress"]


def test_a_reading_system_fakes_no_face_the_fonts_lack(fixture_dist, tmp_path):
    # A script without italics (Hebrew, Georgian) is set upright in the PDF, where WeasyPrint
    # fakes no italic or bold; a browser slants and smears what a font lacks, unless told not
    # to. Small capitals, which WeasyPrint draws from capitals, the browser draws too.
    from test_preview import browser

    with zipfile.ZipFile(fixture_dist / "mini" / "mini.epub") as package:
        package.extractall(tmp_path)
    documents = sorted(tmp_path.rglob("*.xhtml"))
    assert documents
    driver = browser()
    try:
        for document in documents:
            driver.get(document.as_uri())
            synthesis = driver.execute_script(
                "return getComputedStyle(document.body).fontSynthesis")
            assert synthesis == "small-caps", (document.name, synthesis)
    finally:
        driver.quit()
