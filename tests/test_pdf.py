"""Facts read back from the built PDF: notes on their call's page, texts, fonts, contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from book.fidelity import plain
from book.sources import load_texts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pdf(built) -> PdfReader:
    return PdfReader(built["pdf"])


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    # Lines are joined and hyphenation undone, so that words can be looked up whole.
    texts = []
    for page in pdf.pages:
        text = page.extract_text()
        text = re.sub(r"[\u2010-]\n", "", text)
        texts.append(re.sub(r"\s+", " ", text))
    return texts


@pytest.fixture(scope="module")
def texts():
    return load_texts(ROOT / "sources")


def page_of(pdf: PdfReader, name: str) -> int:
    return pdf.get_destination_page_number(pdf.named_destinations[name])


def squeeze(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_every_greek_note_is_on_the_page_of_its_call(pdf, pages, texts):
    greek = texts["el"]
    assert len(greek.notes) == 35
    for note in greek.notes:
        call_page = page_of(pdf, f"el-r{note.label}")
        assert page_of(pdf, f"el-n{note.label}") == call_page, f"note {note.label}"
        # The note's own words, with its author's number, are on that page.
        words = squeeze(plain(note.html))[:40]
        assert f"{note.label}. {words}" in pages[call_page], f"note {note.label}"


def test_the_three_texts_are_in_the_pdf(pdf, pages, texts):
    for text in texts.values():
        first_page = page_of(pdf, text.id)
        assert text.title.split()[0] in pages[first_page]
        opening = squeeze(plain(text.paragraphs[0].parts[0]))[:60]
        assert opening in pages[page_of(pdf, text.paragraphs[0].id)]
        closing = squeeze(plain(text.paragraphs[-1].parts[0]))[-40:]
        assert any(closing in p for p in pages)


def test_editorial_titles_are_in_brackets(pages, pdf):
    assert "[Сталин в 1917 году]" in pages[page_of(pdf, "ru")]
    assert "[Rewolucja październikowa]" in pages[page_of(pdf, "pl")]
    assert "Author unknown" in pages[page_of(pdf, "pl")]


def test_only_the_vendored_fonts_are_embedded(pdf):
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descendant["/FontDescriptor"]
    assert fonts, "no fonts found"
    for name, embedded in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+BookText(-Bold)?(-Italic)?", name), name
        assert embedded, name


def test_contents_page_numbers_are_real(pdf, pages, texts):
    contents = pages[page_of(pdf, "contents")]
    for anchor in ("note-on-texts", "ru", "el", "pl", "el-s1", "el-s9"):
        number = page_of(pdf, anchor) + 1
        title = {"note-on-texts": "A note on this edition", "ru": "[Сталин в 1917 году]",
                 "pl": "[Rewolucja październikowa]", "el": "Οκτωβριανής επανάστασης",
                 "el-s1": str(texts["el"].sections[0].title),
                 "el-s9": str(texts["el"].sections[8].title)}[anchor]
        assert re.search(re.escape(title) + r"[ .]*" + str(number) + r"\b", contents), anchor


def test_bookmarks_for_texts_and_sections(pdf, texts):
    outline = pdf.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["A note on this edition", "[Сталин в 1917 году]",
                   texts["el"].title, "[Rewolucja październikowa]", "Chronology", "Bibliography"]
    children = next(item for item in outline if isinstance(item, list))
    assert [c.title for c in children] == [str(s.title) for s in texts["el"].sections]


def test_running_heads_and_page_numbers(pdf, texts):
    # Margin boxes come last in the extracted text: the running head, then the page number.
    # Left pages carry the text's title, right pages the current section's.
    greek = texts["el"]
    start = page_of(pdf, "el")
    for index in (start + 1, start + 2, page_of(pdf, "el-60")):
        lines = pdf.pages[index].extract_text().strip().split("\n")
        assert lines[-1] == str(index + 1)
        if (index + 1) % 2 == 0:
            assert lines[-2] == greek.title
        else:
            section = next(s for s in reversed(greek.sections) if page_of(pdf, s.id) <= index)
            assert lines[-2] == str(section.title)
    # The opening page of a text carries no running head.
    assert pdf.pages[start].extract_text().strip().split("\n")[-2] != greek.title


def test_greek_russian_and_polish_are_hyphenated(pdf, texts):
    hyphenated = {}
    for text in texts.values():
        start, end = page_of(pdf, text.id), page_of(pdf, text.paragraphs[-1].id)
        lines = "\n".join(pdf.pages[i].extract_text() for i in range(start, end + 1))
        hyphenated[text.id] = len(re.findall(r"\w\u2010\n\w", lines))
    assert all(hyphenated.values()), hyphenated


def test_pdf_metadata(pdf):
    assert pdf.metadata.title == "1917"
    assert pdf.metadata["/languages"] == "ru, el, pl"
    assert pdf.pdf_header.startswith("%PDF-")
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_a5_pages(pdf):
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (148, 210)


def link_destinations(pdf: PdfReader, index: int) -> list[str]:
    return [str(a.get_object().get("/Dest")) for a in pdf.pages[index].get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link"]


def test_citations_link_to_their_entries_and_entries_back_to_notes(pdf):
    from book.make import Project, gather

    gathered = gather(Project(ROOT))
    for citation in gathered.citations:
        page = page_of(pdf, f"el-n{citation.note}")
        assert f"bib-{citation.work}" in link_destinations(pdf, page), citation
        assert f"bib-{citation.work}" in pdf.named_destinations
    start = page_of(pdf, "bibliography")
    back = {d for i in range(start, len(pdf.pages)) for d in link_destinations(pdf, i)}
    assert {f"el-n{c.note}" for c in gathered.citations} <= back
    for name in back:
        assert name in pdf.named_destinations, name


def test_bibliography_page_shows_greek_entries_in_greek(pdf, pages):
    text = " ".join(pages[page_of(pdf, "bibliography"):])
    assert "Κλιφ, Τόνι. Λένιν, 1893–1914: τα χρόνια της συγκρότησης των Μπολσεβίκων" in text
    assert "[Tony Cliff]" in text
    assert "Cited in notes 1, 2, 3, 5, 12, 13." in text


def test_chronology_links_to_passages_and_back(pdf):
    from book.make import Project, gather

    events = gather(Project(ROOT)).events
    start = page_of(pdf, "chronology")
    forward = {d for i in range(start, page_of(pdf, "bibliography"))
               for d in link_destinations(pdf, i)}
    backward = {d for i in range(start) for d in link_destinations(pdf, i)}
    for event in events:
        assert f"chron-{event.id}" in pdf.named_destinations
        for mention in event.mentions:
            assert mention.anchor in forward, (event.id, mention.anchor)
        assert f"chron-{event.id}" in backward, event.id
    # The ◊ after paragraph el-19 (Women's Day) is on that paragraph's last page.
    el_19_end = page_of(pdf, "el-20")
    assert "chron-womens-day" in link_destinations(pdf, el_19_end) + link_destinations(
        pdf, el_19_end - 1)
    # The chronology sits on landscape pages.
    box = pdf.pages[start].mediabox
    assert float(box.width) > float(box.height)
