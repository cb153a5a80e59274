"""Facts read back from built PDFs: notes on their call's page, texts, fonts, contents.

The tool's behaviour is read from the fixture project's PDF; the real book's PDFs are held only
to properties that hold whatever the texts say, with what they expect derived from the data."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from helpers import edit, other_warnings, page_contents
from pypdf import PdfReader

from book import pdf as pdf_writer
from book import relayout
from book.cli import main
from book.fidelity import edited_text, plain
from book.make import Project, gather, prepare
from book.sources import load_text


def read_pages(pdf: PdfReader) -> list[str]:
    # Lines are joined and hyphenation undone, so that words can be looked up whole.
    texts = []
    for page in pdf.pages:
        text = page.extract_text()
        text = re.sub(r"[\u2010-]\n", "", text)
        texts.append(re.sub(r"\s+", " ", text))
    return texts


def page_of(pdf: PdfReader, name: str) -> int:
    return pdf.get_destination_page_number(pdf.named_destinations[name])


def squeeze(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def link_destinations(pdf: PdfReader, index: int) -> list[str]:
    return [str(a.get_object().get("/Dest")) for a in pdf.pages[index].get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link"]


@pytest.fixture(scope="module")
def real_pdfs(made, book) -> list[tuple[object, PdfReader, list[str], list]]:
    """Each real edition's PDF, its pages' text, and the texts it holds, in its order."""
    return [(edition, pdf, read_pages(pdf), [book.texts[t] for t in edition.texts])
            for edition, path in made["pdf"] for pdf in [PdfReader(path)]]


# The real book: properties of any content.

def test_every_note_is_on_the_page_of_its_call(real_pdfs):
    checked = 0
    for edition, pdf, pages, texts in real_pdfs:
        for text in texts:
            for note in text.notes:
                where = (edition.name, text.id, note.label)
                call_page = page_of(pdf, f"{text.id}-r{note.label}")
                assert page_of(pdf, f"{text.id}-n{note.label}") == call_page, where
                # The note's own words, with its author's number, are on that page.
                words = squeeze(plain(note.html))[:40]
                assert f"{note.label}. {words}" in pages[call_page], where
                checked += 1
    assert checked == sum(len(t.notes) for _, _, _, texts in real_pdfs for t in texts)


def test_every_text_of_an_edition_is_in_its_pdf(real_pdfs):
    for edition, pdf, pages, texts in real_pdfs:
        for text in texts:
            where = (edition.name, text.id)
            first_page = page_of(pdf, text.id)
            assert text.title.split()[0] in pages[first_page], where
            opening = squeeze(plain(text.paragraphs[0].parts[0]))[:60]
            assert opening in pages[page_of(pdf, text.paragraphs[0].id)], where
            closing = squeeze(plain(text.paragraphs[-1].parts[0]))[-40:]
            assert any(closing in p for p in pages), where


def test_only_the_vendored_fonts_are_embedded(real_pdfs):
    for edition, pdf, _, _ in real_pdfs:
        fonts = {}
        for page in pdf.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object()
                fonts[str(font["/BaseFont"])] = "/FontFile2" in descendant["/FontDescriptor"]
        assert fonts, f"{edition.name}: no fonts found"
        for name, embedded in fonts.items():
            assert re.fullmatch(r"/[A-Z]{6}\+BookText(-Bold)?(-Italic)?", name), name
            assert embedded, (edition.name, name)


def test_pdf_metadata_says_what_the_edition_holds(real_pdfs):
    for edition, pdf, _, texts in real_pdfs:
        assert pdf.pdf_header.startswith("%PDF-")
        assert pdf.metadata.title == edition.title, edition.name
        languages = list(dict.fromkeys(t.lang for t in texts))
        assert pdf.metadata["/languages"] == ", ".join(languages), edition.name
        assert pdf.trailer["/Root"]["/Lang"] == edition.language, edition.name


def test_every_citation_links_to_its_entry_and_the_entry_back(real_pdfs, book):
    for edition, pdf, _, _ in real_pdfs:
        if "bibliography" not in edition.sections:
            continue
        cited = [c for c in book.citations if c.text in edition.texts and c.work]
        for citation in cited:
            # A note that runs over to the next page may carry its link there.
            page = page_of(pdf, f"{citation.text}-n{citation.note}")
            links = link_destinations(pdf, page) + (
                link_destinations(pdf, page + 1) if page + 1 < len(pdf.pages) else [])
            assert f"bib-{citation.work}" in links, (edition.name, citation)
            assert f"bib-{citation.work}" in pdf.named_destinations, (edition.name, citation)
        start = page_of(pdf, "bibliography")
        back = {d for i in range(start, len(pdf.pages)) for d in link_destinations(pdf, i)}
        for c in cited:
            # Notes 30–34 link 30 and 34: a note between is reached from the first.
            linked = {int(d.rsplit("-n", 1)[1]) for d in back if d.startswith(f"{c.text}-n")
                      and d.rsplit("-n", 1)[1].isdigit()}
            assert f"{c.text}-n{c.note}" in back or c.note.isdigit() and any(
                a < int(c.note) < b for a in linked for b in linked), (edition.name, c)
        for name in back:
            assert name in pdf.named_destinations, (edition.name, name)


def test_the_chronology_links_to_every_passage_and_back(real_pdfs, book):
    for edition, pdf, _, _ in real_pdfs:
        if "chronology" not in edition.sections:
            continue
        start = page_of(pdf, "chronology")
        after = [page_of(pdf, s) for s in edition.sections
                 if s in pdf.named_destinations and page_of(pdf, s) > start]
        end = min(after, default=len(pdf.pages))
        forward = {d for i in range(start, end) for d in link_destinations(pdf, i)}
        backward = {d for i in range(start) for d in link_destinations(pdf, i)}
        for event in book.events:
            mentions = [m for m in event.mentions if m.text in edition.texts]
            if not mentions:
                continue
            assert f"chron-{event.id}" in pdf.named_destinations, (edition.name, event.id)
            for mention in mentions:
                # To the quoted words, not to the first line of their paragraph.
                assert mention.place != mention.anchor and mention.place in forward, \
                    (edition.name, event.id, mention.anchor)
            # No ◊ in print: the chronology gives each passage's page or paragraph instead.
            assert f"chron-{event.id}" not in backward, (edition.name, event.id)


# The tool, on the fixture project.

@pytest.fixture(scope="module")
def mini(fixture_dist) -> PdfReader:
    return PdfReader(fixture_dist / "mini" / "mini.pdf")


@pytest.fixture(scope="module")
def mini_pages(mini) -> list[str]:
    return read_pages(mini)


@pytest.fixture(scope="module")
def fixture_texts(fixture_book):
    return fixture_book.texts


def test_the_stamped_date_is_the_pdfs_date_of_creation(mini, fixture_book):
    from datetime import UTC, datetime

    (edition,) = [e for e in fixture_book.editions if e.name == "mini"]
    stamped = datetime.fromisoformat(edition.date).replace(tzinfo=UTC)
    assert mini.metadata.creation_date == mini.metadata.modification_date == stamped
    xmp = mini.xmp_metadata
    assert xmp.xmp_create_date == xmp.xmp_modify_date == stamped.replace(tzinfo=None)


def test_editorial_titles_are_in_brackets(mini, mini_pages):
    assert "[Тестовый текст]" in mini_pages[page_of(mini, "rs")]
    assert "[Tekst próbny]" in mini_pages[page_of(mini, "pol")]
    assert "Author unknown" in mini_pages[page_of(mini, "pol")]
    assert "[Δοκιμαστικό" not in mini_pages[page_of(mini, "gr")]


def test_contents_page_numbers_are_real(mini, mini_pages, fixture_texts):
    contents = mini_pages[page_of(mini, "contents")]
    titles = {"note-on-texts": "A note on this edition", "gr": "Δοκιμαστικό κείμενο",
              "rs": "[Тестовый текст]", "pol": "[Tekst próbny]",
              "de": "Ein Bericht aus Petrograd",
              "gr-s1": str(fixture_texts["gr"].sections[0].title),
              "gr-s2": str(fixture_texts["gr"].sections[1].title)}
    for anchor, title in titles.items():
        number = page_of(mini, anchor) + 1
        assert re.search(re.escape(title) + r"[ .]*" + str(number) + r"\b", contents), anchor


def test_bookmarks_for_texts_and_sections(mini, fixture_texts):
    outline = mini.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["A note on this edition", "Δοκιμαστικό κείμενο", "[Тестовый текст]",
                   "[Tekst próbny]", "Ein Bericht aus Petrograd", "Chronology", "Glossary",
                   "Bibliography"]
    (children,) = [item for item in outline if isinstance(item, list)]
    assert [c.title for c in children] == [str(s.title) for s in fixture_texts["gr"].sections]


def test_pdf_metadata(mini):
    assert mini.metadata.title == "Test book"
    assert mini.metadata["/languages"] == "el, ru, pl, de"
    assert mini.pdf_header.startswith("%PDF-")
    assert mini.trailer["/Root"]["/Lang"] == "en"


def test_a5_pages_unless_the_edition_asks_otherwise(mini):
    box = mini.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (148, 210)


def test_citations_link_to_their_entries_and_entries_back_to_notes(mini, fixture_book):
    assert len(fixture_book.citations) == 6
    for citation in fixture_book.citations:
        page = page_of(mini, f"{citation.text}-n{citation.note}")
        assert f"bib-{citation.work}" in link_destinations(mini, page), citation
    start = page_of(mini, "bibliography")
    back = {d for i in range(start, len(mini.pages)) for d in link_destinations(mini, i)}
    # Each note, and the cross-reference from Papa, Anna to Παπά, Άννα.
    assert back == {"gr-n1", "gr-n2", "gr-n3", "de-n1", "de-n2", "de-n3", "bib-papa1990"}


def test_bibliography_page_shows_greek_entries_in_greek(mini, mini_pages):
    text = " ".join(mini_pages[page_of(mini, "bibliography"):])
    assert "Παπά, Άννα. Ένα βιβλίο για την πόλη" in text
    assert "[Anna Papa]" in text
    assert "Cited in notes (Greek) 1, 2." in text and "Cited in note (German) 3." in text


def test_chronology_links_to_passages_and_back(mini):
    start = page_of(mini, "chronology")
    forward = {d for i in range(start, page_of(mini, "glossary"))
               for d in link_destinations(mini, i)}
    assert {"gr-1-q1", "rs-1-q1", "pol-1-q1", "de-1-q1", "de-2-q1"} <= forward
    # No ◊ leads back in print: the chronology prints the passage's page.
    assert "chron-demonstrations" not in link_destinations(mini, page_of(mini, "gr-1"))


# Longer texts, written into a copy of the fixture: several pages, many notes, long words.

GREEK = ("Η καπιταλιστικοποίηση και η εκβιομηχάνιση της χώρας προχωρούσαν αργά, ενώ οι "
         "αγροτικές περιοχές παρέμεναν καθυστερημένες και οι εργαζόμενοι οργανώνονταν. ")
GREEK_NOTE = ("Βλ. Άννα Παπά, Ένα βιβλίο για την πόλη, Εκδόσεις Δοκιμή, Αθήνα, 1990, όπου "
              "συζητούνται αναλυτικά οι συνθήκες εργασίας και οι απεργίες της περιόδου. ")
LONG = {
    "rs": "Достопримечательности электрификации промышленности сопровождались "
          "преобразованиями общественной жизни и неожиданными последствиями. ",
    # Two sentences, not a whole number of lines long: a sentence of two lines exactly sets
    # each pair of lines alike, a ladder the re-layout mends by setting them unhyphenated.
    "pol": "Najprawdopodobniej przedsiębiorstwa przemysłowe przeprowadzały "
           "reorganizację administracyjną niezależnie od rozporządzeń rządowych. "
           "Robotnicy strajkowali. ",
    # Long enough to be hyphenated under the German limits (the fixture's sources/typography.yaml).
    "de": "Die Arbeiterversammlungen der Industriebetriebe verabschiedeten "
          "Entschließungen über Lebensmittelversorgung und Verkehrsverbindungen. ",
}


def lengthen(project: Path) -> None:
    """Twenty-four long Greek paragraphs in two sections, each calling a long note; long Russian and
    Polish paragraphs. Each original is rewritten to match, as the build checks fidelity."""
    path = project / "sources" / "gr-test.md"
    source = path.read_text(encoding="utf-8")
    paragraphs, notes = [], []
    for i in range(3, 27):
        if i == 15:
            paragraphs.append("{#gr-s3}\n## Τρίτο μέρος\n")
        paragraphs.append(f"{{#gr-{i}}}\n{GREEK * (2 + i % 4)}[^{i + 1}]\n")
        notes.append(f"[^{i + 1}]: {GREEK_NOTE * (1 + i % 3)}")
    source = source.replace("\n[^1]: ", "\n" + "\n".join(paragraphs) + "\n[^1]: ", 1)
    path.write_text(source.rstrip("\n") + "\n" + "\n".join(notes) + "\n", encoding="utf-8")
    for text, words in LONG.items():
        path = next((project / "sources").glob(f"{text}-*.md"))
        source = path.read_text(encoding="utf-8")
        path.write_text(source.rstrip("\n") + f"\n\n{{#{text}-9}}\n{words * 12}\n",
                        encoding="utf-8")
    for path in (project / "sources").glob("*.md"):
        text = load_text(path)
        text.original.write_text("\n".join([*(r.text for r in text.removals),
                                            edited_text(text)]), encoding="utf-8")


def lengthen_at_11pt(project: Path) -> None:
    """The long book, its mini edition at 11 pt: pages whose notes WeasyPrint pushes away."""
    lengthen(project)
    edition = project / "editions" / "mini.toml"
    edition.write_text(edition.read_text() + '\n[page]\ntype_size = "11pt"\n')


def build_pdf(project: Path, out: Path) -> tuple[int, str]:
    printed = io.StringIO()
    code = main(["pdf", "--edition", "mini", "--out", str(out)], stdout=printed,
                project=project)
    return code, printed.getvalue()


@pytest.fixture(scope="module")
def long_book(new_fixture_project, tmp_path_factory) -> tuple[PdfReader, dict]:
    project = new_fixture_project()
    lengthen(project)
    out = tmp_path_factory.mktemp("long-out")
    code, printed = build_pdf(project, out)
    # Its text is made up to fill pages: what the typographic check says of it is no matter.
    assert code == 0 and not other_warnings(printed), printed
    return PdfReader(out / "mini" / "mini.pdf"), gather(Project(project)).texts


def test_long_notes_stay_on_the_page_of_their_call(long_book):
    pdf, texts = long_book
    pages = read_pages(pdf)
    greek = texts["gr"]
    assert len(greek.notes) == 27
    for note in greek.notes:
        call_page = page_of(pdf, f"gr-r{note.label}")
        assert page_of(pdf, f"gr-n{note.label}") == call_page, f"note {note.label}"
        words = squeeze(plain(note.html))[:40]
        assert f"{note.label}. {words}" in pages[call_page], f"note {note.label}"


def test_running_heads_and_page_numbers(long_book):
    # Margin boxes come last in the extracted text: the running head, then the page number.
    # Left pages carry the text's author, right pages the current section's title.
    pdf, texts = long_book
    greek = texts["gr"]
    start, end = page_of(pdf, "gr"), page_of(pdf, "gr-26")
    assert end - start >= 4
    for index in range(start + 1, end + 1):
        lines = pdf.pages[index].extract_text().strip().split("\n")
        assert lines[-1] == str(index + 1)
        if (index + 1) % 2 == 0:
            assert lines[-2] == greek.author
        else:
            section = next(s for s in reversed(greek.sections) if page_of(pdf, s.id) <= index)
            assert lines[-2] == str(section.title)
    # The opening page of a text carries no running head.
    assert pdf.pages[start].extract_text().strip().split("\n")[-2] != greek.title


def test_an_editors_title_is_bracketed_in_every_running_head(long_book):
    # A text with no author is headed by its title on left pages too, bracketed there as on
    # its title page and on right pages when the editors gave it.
    pdf, texts = long_book
    untitled = [t for t in texts.values() if t.title_editorial and not t.author]
    spanned = []
    starts = sorted(page_of(pdf, t.id) for t in texts.values())
    for text in untitled:
        start = page_of(pdf, text.id)
        # Its pages: to the next text's opening, or the next part's, past its last paragraph.
        end = next((s for s in starts if s > start), len(pdf.pages))
        end = max(end, page_of(pdf, text.paragraphs[-1].id) + 1)
        lines = [pdf.pages[i].extract_text().strip().split("\n") for i in range(start + 1, end)]
        heads = {page[-2] for page in lines if len(page) > 1}
        titled = {f"[{text.title}]"} | {str(s.title) for s in text.sections}
        assert heads <= titled, (text.id, heads)
        spanned.append(f"[{text.title}]" in heads)
    assert any(spanned)  # a left page of such a text is read


def test_greek_russian_polish_and_german_are_hyphenated(long_book):
    pdf, texts = long_book
    hyphenated = {}
    for text in texts.values():
        start, end = page_of(pdf, text.id), page_of(pdf, text.paragraphs[-1].id)
        lines = "\n".join(pdf.pages[i].extract_text() for i in range(start, end + 1))
        hyphenated[text.id] = len(re.findall(r"\w\u2010\n\w", lines))
    assert all(hyphenated.values()), hyphenated


@pytest.mark.parametrize("mending", [False, True])
def test_relayout_keeps_notes_with_their_calls_without_holes(fixture_project, tmp_path,
                                                              monkeypatch, mending):
    # At 11 pt the long book has pages whose notes WeasyPrint pushes to the next page: one
    # layout leaves them there; the re-layout brings each back, and mends the paragraph the
    # next page begins with rather than moving a whole paragraph and leaving a hole.
    project = fixture_project
    lengthen_at_11pt(project)
    if not mending:
        monkeypatch.setattr(relayout, "RELAYOUT_STEPS", ())
    code, printed = build_pdf(project, tmp_path / "out")
    assert code == 0
    kept = "some notes could not be kept on the page of their call" not in printed
    assert kept == mending, printed
    assert ("[note-away]" not in printed) == kept
    assert "moved to a new page to keep a note" not in printed


def test_page_references_made_once_are_pydyfs(monkeypatch):
    """pydyf's page references, kept per count of pages (book/pdf.py), are the very ones
    pydyf makes, however many pages are added after a first ask; and a tagged PDF drawn with
    them is byte for byte the one drawn with pydyf's own."""
    import pydyf
    from weasyprint import HTML

    pdf_writer._page_references_kept()
    made = pydyf.PDF()
    for count in (1, 2, 3):
        made.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert made.page_references == pdf_writer._PageReferences.pydyfs.__get__(made)
        assert len(made.page_references) == count

    html = "".join(f'<h1 id="h{n}" style="break-before: page">{n}</h1><p><a href="#h{n + 1}">'
                   f"{'word ' * 40}</a></p>" for n in range(8)) + '<p id="h8">end</p>'
    document = HTML(string=f'<html lang="en"><title>t</title>{html}</html>').render(
        pdf_variant=pdf_writer.PDF_VARIANT)

    def drawn() -> bytes:
        return document.write_pdf(pdf_variant=pdf_writer.PDF_VARIANT, pdf_identifier=b"0" * 32)

    kept = drawn()
    monkeypatch.setattr(pydyf.PDF, "page_references", pdf_writer._PageReferences.pydyfs)
    assert drawn() == kept
    assert len(PdfReader(io.BytesIO(kept)).pages) == 8


def test_the_layout_keeps_nothing_drawing_never_reads_and_draws_the_same_pdf(
        fixture_project, tmp_path, monkeypatch):
    """What WeasyPrint's layout keeps once the pages are made (book/pdf.py, _lean_layout) is
    let go on the WeasyPrint installed, and the PDF is byte for byte the one drawn with all
    of it kept."""
    from weasyprint import document as module

    contexts = []
    layout_document = module.layout_document

    def seen(html, root_box, context, *args, **kwargs):
        contexts.append(context)
        return layout_document(html, root_box, context, *args, **kwargs)

    monkeypatch.setattr(module, "layout_document", seen)

    def built(out: str) -> bytes:
        code = main(["pdf", "--edition", "mini", "--out", str(tmp_path / out), "--jobs", "1"],
                    project=fixture_project)
        assert code == 0
        return (tmp_path / out / "mini" / "mini.pdf").read_bytes()

    lean = built("lean")
    (context,) = contexts
    assert context.style_for.get_computed_styles() == {}
    assert not context.page_maker and not context.target_collector.target_lookup_items
    monkeypatch.setattr(pdf_writer, "_lean_layout", contextlib.nullcontext)
    assert built("kept") == lean
    assert contexts[1].style_for.get_computed_styles() != {}  # what it let go


@pytest.mark.parametrize("command, steps", [
    (["pdf"], {"layout", "page check", "drawing"}), (["check"], {"layout", "page check"}),
    (["epub"], {"layout"})])
def test_the_collector_runs_less_often_while_the_document_lives_and_as_before_after(
        fixture_project, tmp_path, monkeypatch, command, steps):
    """Python's collector is at the writer's thresholds while WeasyPrint lays the book out,
    the pages are checked and drawn, in a build and a check, and while an EPUB alone has the
    PDF laid out to mark its pages; at the process's own again once they are done."""
    import gc

    from weasyprint import HTML
    from weasyprint.document import Document

    from book import pagecheck

    edit(fixture_project, "editions/mini.toml", 'filename = "mini"', 'filename = "mini"\n'
         "print_pages = true")
    seen = []

    def noted(step, method):
        def call(*args, **kwargs):
            seen.append((step, gc.get_threshold()))
            return method(*args, **kwargs)
        return call

    monkeypatch.setattr(HTML, "render", noted("layout", HTML.render))
    monkeypatch.setattr(pagecheck, "check_pages", noted("page check", pagecheck.check_pages))
    monkeypatch.setattr(Document, "write_pdf", noted("drawing", Document.write_pdf))
    own, previous = (900, 11, 12), gc.get_threshold()
    gc.set_threshold(*own)
    try:
        assert main([*command, "--edition", "mini", "--out", str(tmp_path), "--jobs", "1"],
                    project=fixture_project) == 0
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*previous)
    assert after == own
    assert {step for step, _ in seen} == steps
    assert all(thresholds == pdf_writer.COLLECTOR_THRESHOLDS for _, thresholds in seen)


def test_hyphenation_is_read_for_the_languages_pyphen_knows_and_others_are_passed_over(
        monkeypatch):
    import pyphen

    monkeypatch.setattr(pyphen, "hdcache", {})
    pdf_writer.read_hyphenation(["el", "tlh", "de-AT", "el"])
    assert sorted(p.name for p in pyphen.hdcache) == ["hyph_de_AT.dic", "hyph_el_GR.dic"]


# The mending of the pages (book/relayout.py), on the long book at 11 pt, whose notes WeasyPrint
# pushes away on several pages.

@pytest.fixture(scope="module")
def long_mini(new_fixture_project):
    """The fixture's mini edition of the long book at 11 pt, ready to be laid out."""
    project = new_fixture_project()
    lengthen_at_11pt(project)
    gathered = gather(Project(project))
    return prepare(Project(project), next(e for e in gathered.editions if e.name == "mini"),
                   gathered)


def lay_out(made):
    return pdf_writer.lay_out(made.book, made.env, made.search_path, made.glyph_places)


def test_a_blamed_block_goes_down_the_steps_one_at_a_time_to_the_last(long_mini, monkeypatch):
    # Whatever pushes notes away, gr-1 is blamed: it is asked each step in turn, and no more
    # once on a new page; the notes are then said not kept.
    asked, given, depth = [], [], []
    restyle = relayout._restyle

    def blamed(page, blocks):
        asked.append(blocks)
        return "gr-1"

    def restyled(box, name, value, *own):
        # The block's own box, not its descendants; a paragraph tracked is another mending.
        if not depth and name != "letter_spacing":
            given.append((box.element.get("id"), name, value))
        depth.append(box)
        restyle(box, name, value, *own)
        depth.pop()

    monkeypatch.setattr(relayout, "first_block", blamed)
    monkeypatch.setattr(relayout, "_restyle", restyled)
    laid = lay_out(long_mini)
    assert given == [("gr-1", "orphans", 3), ("gr-1", "orphans", 1),
                     ("gr-1", "break_before", "page")]
    assert re.findall(r"#\S+ \{ (?!letter-spacing)[^}]*\}", laid.rules) == [
        "#gr-1 { orphans: 1; break-before: page }"]
    assert laid.moved == {"gr-1"}
    assert "some notes could not be kept on the page of their call" in laid.warnings
    # Paragraphs and sections can be blamed, never anything else.
    book = long_mini.book
    assert asked[0] == {p.id for t in book.texts for p in t.paragraphs} | {
        s.id for t in book.texts for s in t.sections if s.id}
    assert any(s.id in asked[0] for t in book.texts for s in t.sections)


def test_the_pages_are_made_about_once_and_as_a_layout_with_the_rules_makes_them(
        long_mini, monkeypatch):
    # The pages are made again only from the page before a mended block to where they start
    # as before, and the book is the one a layout from its first page with the mending's
    # rules makes: its notes where they were, its page references right.
    from weasyprint import CSS, HTML
    from weasyprint.layout import page as page_module

    from book.fetch import SearchPathFetcher

    made = []
    remake_page = page_module.remake_page

    def counted(index, *args):
        made.append(index)
        return remake_page(index, *args)

    monkeypatch.setattr(page_module, "remake_page", counted)
    laid = lay_out(long_mini)
    pages = len(laid.document.pages)
    assert laid.rules.count("{") >= 2
    assert "some notes could not be kept on the page of their call" not in laid.warnings
    mending = made[:]
    made.clear()
    search_path = long_mini.search_path
    reference = HTML(string=laid.html, base_url=search_path[0].resolve().as_uri() + "/",
                     url_fetcher=SearchPathFetcher(search_path)).render(
        stylesheets=[CSS(string=laid.rules)], pdf_variant=pdf_writer.PDF_VARIANT)
    assert page_contents(laid.document) == page_contents(reference)
    # Less than one more layout than the reference's for all the mending: a layout for each
    # round of mending had made every page again.
    assert len(mending) < len(made) + pages, (pages, mending, made)


