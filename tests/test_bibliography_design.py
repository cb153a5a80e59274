"""The bibliography as a book designer sets it: works filed by the name as printed, script by
script, with cross-references from the original forms; runs of note numbers as ranges; language
names in the case each language writes them; no UUID for the reader. Read from the fixture
project or from data written here, never from the book's sources."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from book.bibliography import filed, format_works, load_bibliography
from book.errors import BookError
from book.findings import Findings
from book.languages import language_name
from book.memo import kept_in
from book.runs import Run, runs
from tests.helpers import edit, line_of, run

ROOT = Path(__file__).resolve().parent.parent
CSL = ROOT / "templates" / "base" / "csl"
NS = {"x": "http://www.w3.org/1999/xhtml"}


def spelled_out(collapsed: tuple[Run, ...]) -> list[str]:
    """The labels a reader reads in "1, 3–5, 7a": each range with every number in it."""
    return [label for r in collapsed for label in (
        [r.first] if r.last is None else map(str, range(int(r.first), int(r.last) + 1)))]


# Runs of note numbers.

LABELS = st.lists(st.one_of(st.integers(0, 40).map(str),
                            st.sampled_from(["a", "12a", "iv", "012", "3b"])), max_size=30)


@given(LABELS)
def test_the_collapsed_form_lists_exactly_the_labels(labels):
    assert spelled_out(runs(labels)) == labels


@given(LABELS)
def test_three_or_more_consecutive_numbers_make_a_range_and_fewer_do_not(labels):
    def number(r: Run) -> int | None:
        plain = r.last is None and re.fullmatch(r"0|[1-9][0-9]*", r.first)
        return int(r.first) if plain else None

    collapsed = runs(labels)
    assert all(int(r.last) - int(r.first) >= 2 for r in collapsed if r.last is not None)
    for a, b, c in zip(collapsed, collapsed[1:], collapsed[2:], strict=False):
        numbers = [number(a), number(b), number(c)]
        assert None in numbers or numbers != list(range(numbers[0], numbers[0] + 3))


def test_runs_read_as_a_reader_expects():
    def shown(labels):
        return ", ".join(map(str, runs(labels)))

    assert shown(["30", "31", "32", "33", "34"]) == "30–34"
    assert shown(["23", "26", "27", "30", "31", "32"]) == "23, 26, 27, 30–32"
    # A label that is not a plain number breaks a run and stands alone.
    assert shown(["1", "2", "2a", "3", "4", "5"]) == "1, 2, 2a, 3–5"
    assert shown(["011", "12", "13"]) == "011, 12, 13"
    assert shown([]) == ""


# Filing: by the name as printed, Latin script first, then Greek, Cyrillic and any other.

ENTRIES = """\
- id: zola
  type: book
  author: [{family: Zola, given: Émile}]
  title: Germinal
  issued: {date-parts: [[1885]]}
- id: lukacs
  type: book
  author: [{family: Łukács, given: György}]
  title: Lenin
  issued: {date-parts: [[1924]]}
- id: lenin-el
  type: book
  author: [{family: Λένιν, given: Βλαντιμίρ}]
  title: Κράτος και επανάσταση
  issued: {date-parts: [[1986]]}
  custom:
    original-names: [{family: Lenin, given: Vladimir}]
- id: lenin-ru
  type: book
  author: [{family: Ленин, given: Владимир}]
  title: Государство и революция
  issued: {date-parts: [[1917]]}
  custom:
    original-names: [{family: Lenin, given: Vladimir}]
- id: alfa
  type: book
  author: [{family: Άλφα, given: Όμικρον}]
  title: Δεύτερο
  issued: {date-parts: [[2001]]}
- id: alfa-earlier
  type: book
  author: [{family: Άλφα, given: Όμικρον}]
  title: Πρώτο
  issued: {date-parts: [[1999]]}
- id: beta
  type: book
  author: [{family: Βήτα, given: Ίωτα}]
  title: Τρίτο
  issued: {date-parts: [[1990]]}
- id: hebrew
  type: book
  author: [{family: אבן, given: א}]
  title: ספר
  issued: {date-parts: [[1950]]}
- id: anonymous
  type: book
  title: Anonymous Pamphlet
  issued: {date-parts: [[1917]]}
"""


def works(tmp_path):
    path = tmp_path / "bibliography.yaml"
    path.write_text(ENTRIES, encoding="utf-8")
    findings = Findings()
    entries = load_bibliography(path, findings)
    assert not findings.items
    return format_works(entries, CSL / "chicago-notes-bibliography.csl", "en")


def test_a_language_citeproc_has_no_terms_for_takes_the_themes_own(tmp_path):
    path = tmp_path / "bibliography.yaml"
    path.write_text(ENTRIES, encoding="utf-8")
    entries = load_bibliography(path, Findings())
    style = CSL / "chicago-notes-bibliography.csl"
    # Belarusian: Babel has its dates, citeproc-py no terms ("edited by"…).
    with pytest.raises(BookError) as caught:
        format_works(entries, style, "be")
    assert caught.value.message == "citeproc-py has no CSL locale for 'be': the " \
        "bibliography's terms (edited by, translated by…) would be English"
    assert caught.value.path == style and "add csl/locale-be.xml" in caught.value.hint
    # Not even when a build keeps what it formats (book/memo.py): nothing was formatted.
    with kept_in(tmp_path / "memo", "tool"), pytest.raises(BookError):
        format_works(entries, style, "be")
    # With the theme's own terms, the works are formatted with them.
    assert len(format_works(entries, style, "be", CSL / "locale-el.xml")) == len(entries)


def test_works_file_by_the_name_as_printed_script_by_script(tmp_path):
    # Ά files with Α, Ł with L; an author's works by year; a work without one by its title.
    assert [w.id for w in works(tmp_path)] == [
        "anonymous", "lukacs", "zola", "alfa-earlier", "alfa", "beta", "lenin-el", "lenin-ru",
        "hebrew"]


def test_an_original_form_is_filed_at_its_place_with_a_reference(tmp_path):
    lines = [(line.name, line.work.id, line.see, line.group_start)
             for line in filed(works(tmp_path))]
    assert lines == [
        ("Anonymous Pamphlet", "anonymous", False, False),
        ("Lenin, Vladimir", "lenin-el", True, False),
        ("Lenin, Vladimir", "lenin-ru", True, False),
        ("Łukács, György", "lukacs", False, False),
        ("Zola, Émile", "zola", False, False),
        # Each script's group starts apart.
        ("Άλφα, Όμικρον", "alfa-earlier", False, True),
        ("Άλφα, Όμικρον", "alfa", False, False),
        ("Βήτα, Ίωτα", "beta", False, False),
        ("Λένιν, Βλαντιμίρ", "lenin-el", False, False),
        ("Ленин, Владимир", "lenin-ru", False, True),
        ("אבן, א", "hebrew", False, True),
    ]


def bibliography(epub_path: Path):
    epub = zipfile.ZipFile(epub_path)
    return etree.fromstring(epub.read("EPUB/bibliography.xhtml"))


def test_the_fixture_bibliography_files_greek_after_latin_with_a_reference(fixture_dist):
    root = bibliography(fixture_dist / "mini" / "mini.epub")
    items = root.xpath("//x:ul[@class='works']/x:li", namespaces=NS)
    assert [li.get("id") or "".join(li.itertext()).strip() for li in items] == [
        "Papa, Anna. See Παπά, Άννα.", "bib-smith2001", "bib-papa1990"]
    (see,) = items[0].xpath("x:a", namespaces=NS)
    assert see.get("href") == "#bib-papa1990" and see.get("lang") == "el"
    assert items[2].get("class") == "group-start"
    intro = "".join(root.xpath("//x:p[@class='bibliography-intro']", namespaces=NS)[0].itertext())
    assert "names in the Latin alphabet first, then those in Greek, in Cyrillic" in intro


def test_a_name_ending_in_an_initial_ends_its_sentence_once(fixture_project, tmp_path):
    edit(fixture_project, "sources/bibliography.yaml", "{family: Papa, given: Anna}",
         "{family: Papa, given: A.}")
    edit(fixture_project, "sources/bibliography.yaml", "{family: Παπά, given: Άννα}",
         "{family: Παπά, given: Α.}")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    root = bibliography(out / "mini" / "mini.epub")
    see = root.xpath("//x:ul[@class='works']/x:li[@class='see']", namespaces=NS)[0]
    assert " ".join("".join(see.itertext()).split()) == "Papa, A. See Παπά, Α."


def test_the_order_is_told_in_the_apparatus_language(fixture_dist):
    root = bibliography(fixture_dist / "mini-pl" / "mini-pl.epub")
    intro = "".join(root.xpath("//x:p[@class='bibliography-intro']", namespaces=NS)[0].itertext())
    assert "najpierw nazwiska zapisane alfabetem łacińskim" in intro
    (see,) = root.xpath("//x:li[@class='see']", namespaces=NS)
    assert "".join(see.itertext()).strip() == "Papa, Anna. Zob. Παπά, Άννα."


# Ranges in the printed book.

def test_consecutive_notes_read_as_a_range_linked_at_both_ends(fixture_project, tmp_path):
    # Greek note 3 cites Papa too, as notes 1 and 2 do, and all three differ from her title.
    edit(fixture_project, "sources/citations.yaml", "    - work: smith2001", "    - work: papa1990")
    edit(fixture_project, "sources/bibliography.yaml", "      - {family: Papa, given: Anna}\n",
         "      - {family: Papa, given: Anna}\n    corrections:\n"
         "      - {cited: \"Δοκιμή\", correct: \"Δοκιμής\", notes: [\"1\", \"2\", \"3\"]}\n")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    root = bibliography(out / "mini" / "mini.epub")
    (papa,) = root.xpath("//x:li[@id='bib-papa1990']", namespaces=NS)
    (greek,) = [s for s in papa.xpath(".//x:span[@class='cited-in']", namespaces=NS)
                if "(Greek)" in "".join(s.itertext())]
    assert " ".join("".join(greek.itertext()).split()) == "Cited in notes (Greek) 1–3."
    (pair,) = greek.xpath("x:span[@class='note-range']", namespaces=NS)
    assert [a.get("href") for a in pair.xpath("x:a", namespaces=NS)] == [
        "text-gr.xhtml#gr-n1", "text-gr.xhtml#gr-n3"]
    (correction,) = root.xpath("//x:ul[@class='corrections']/x:li", namespaces=NS)
    # Two texts have notes here: the correction says whose; the words it quotes are theirs.
    assert "".join(correction.itertext()).startswith("Notes (Greek) 1–3: ")
    assert correction.xpath("x:q/@lang", namespaces=NS) == ["el"]
    pdf = PdfReader(out / "mini" / "mini.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Cited in notes (Greek) 1–3." in text and "Notes (Greek) 1–3:" in text


def test_two_citing_texts_in_one_language_are_told_apart_by_their_titles(fixture_project,
                                                                         tmp_path):
    # The German text, made Greek: two texts in Greek cite Smith.
    edit(fixture_project, "sources/de-test.md", "lang: de", "lang: el")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    root = bibliography(out / "mini" / "mini.epub")
    (smith,) = root.xpath("//x:li[@id='bib-smith2001']", namespaces=NS)
    said = [" ".join("".join(s.itertext()).split())
            for s in smith.xpath(".//x:span[@class='cited-in']", namespaces=NS)]
    assert [s.split("(")[1].split(")")[0] for s in said] == ["Δοκιμαστικό κείμενο",
                                                              "Ein Bericht aus Petrograd"]
    # Languages that differ name the texts as before.
    edit(fixture_project, "sources/de-test.md", "lang: el", "lang: de")
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    root = bibliography(out / "mini" / "mini.epub")
    (smith,) = root.xpath("//x:li[@id='bib-smith2001']", namespaces=NS)
    assert {"".join(s.itertext()).split("(")[1].split(")")[0] for s in smith.xpath(
        ".//x:span[@class='cited-in']", namespaces=NS)} == {"Greek", "German"}


def test_a_correction_names_the_text_whose_notes_it_corrects_in_a_book_that_prints_them(
        fixture_project, tmp_path):
    # Greek notes 1 and 2 cite Papa, and so does German note 3.
    edit(fixture_project, "sources/bibliography.yaml", "      - {family: Papa, given: Anna}\n",
         "      - {family: Papa, given: Anna}\n    corrections:\n"
         "      - {cited: \"Δοκιμή\", correct: \"Δοκιμής\", notes: [\"1\", \"2\"]}\n")
    # mini-pl: the Polish text and the German, whose notes 1 and 2 do not cite Papa.
    edit(fixture_project, "editions/mini-pl.toml", 'texts = ["pol", "gr"]',
         'texts = ["pol", "de"]')
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--out", str(out))
    assert code == 0, printed

    def corrections(epub: str) -> list[str]:
        return [" ".join("".join(li.itertext()).split()) for li in bibliography(
            out / epub).xpath("//x:ul[@class='corrections']/x:li", namespaces=NS)]

    # Two texts have notes: the correction says whose.
    assert corrections("mini/mini.epub") == ["Notes (Greek) 1, 2: Δοκιμή → Δοκιμής"]
    # The Greek notes are not in this book: German notes 1 and 2 are not the ones corrected.
    assert corrections("mini-pl/mini-pl.epub") == []


# Language names.

def test_language_names_take_the_case_of_running_text_unless_they_begin():
    assert [language_name(t, "pl") for t in ("pl", "ru", "el")] == [
        "polski", "rosyjski", "grecki"]
    assert language_name("ru", "ru") == "русский"
    # CLDR capitalises Greek's names as for a menu; Greek writes them in lower case.
    assert language_name("ru", "el") == "ρωσικά"
    assert language_name("el", "en") == "Greek"
    assert [language_name("pl", lang, start=True) for lang in ("pl", "ru", "el", "en")] == [
        "Polski", "Польский", "Πολωνικά", "Polish"]


def test_each_use_of_a_language_name_has_the_case_of_its_place(fixture_dist):
    epub = zipfile.ZipFile(fixture_dist / "mini-pl" / "mini-pl.epub")
    read = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")}
    # Mid-sentence: the colophon's list of texts, the note on the edition's "Język: polski".
    assert "(polski); " in read["EPUB/colophon.xhtml"] and "(grecki)." in read[
        "EPUB/colophon.xhtml"]
    assert "<dt>Język</dt><dd>polski</dd>" in read["EPUB/note-on-texts.xhtml"]
    # A line of its own above a text's title begins with a capital.
    assert '<p class="text-language">Polski</p>' in read["EPUB/text-pol.xhtml"]


# The identifier is the files' business, not the reader's.

def test_no_uuid_is_printed_but_the_files_keep_the_identifier(fixture_dist):
    epub = zipfile.ZipFile(fixture_dist / "mini" / "mini.epub")
    assert not [n for n in epub.namelist() if n.endswith(".xhtml")
                and "urn:uuid" in epub.read(n).decode()]
    assert re.search(r"<dc:identifier[^>]*>urn:uuid:", epub.read("EPUB/content.opf").decode())
    pdf = PdfReader(fixture_dist / "mini" / "mini.pdf")
    assert not any("urn:uuid" in page.extract_text() for page in pdf.pages)
    assert pdf.trailer["/ID"]


def test_macros_found_once_format_as_citeproc_finds_them(monkeypatch):
    """citeproc-py's macros, found once per style (book/bibliography.py), format every entry
    as its own search of the style does: the fixture's and the real book's (a property of
    any content), in a language whose CSL locale citeproc-py ships and in one whose terms the
    theme adds."""
    from citeproc.model import CitationStylesElement

    from book import bibliography

    style = CSL / "chicago-notes-bibliography.csl"
    for data in (Path(__file__).resolve().parent / "fixture" / "sources" / "bibliography.yaml",
                 ROOT / "sources" / "bibliography.yaml"):
        entries = load_bibliography(data, Findings())
        for language, terms in (("en", None), ("pl", None), ("el", CSL / "locale-el.xml")):
            kept = bibliography._citeproc_html(entries, style, language, terms)
            assert CitationStylesElement.get_macro.found_once
            assert len(kept) == len(entries) and all(kept)
            with monkeypatch.context() as plain:
                plain.setattr(bibliography, "_macros_found_once", lambda: None)
                plain.setattr(CitationStylesElement, "get_macro",
                              CitationStylesElement.get_macro.original)
                assert bibliography._citeproc_html(entries, style, language, terms) == kept


def test_a_title_ending_in_an_abbreviation_takes_no_second_full_stop(tmp_path):
    """The style's full stop after a title that ends in its own (an abbreviation's) is one
    full stop, as CSL sets it; an ellipsis keeps its three."""
    path = tmp_path / "bibliography.yaml"
    path.write_text("- id: doroshenko\n  type: book\n  title: Історія України 1917–1923 рр.\n"
                    "  author: [{family: Дорошенко, given: Дмитро}]\n  publisher-place: Ужгород\n"
                    "  issued: {date-parts: [[1932]]}\n  language: uk\n"
                    "- id: pamphlet\n  type: book\n  title: And then...\n"
                    "  issued: {date-parts: [[1917]]}\n", encoding="utf-8")
    findings = Findings()
    entries = load_bibliography(path, findings)
    assert not findings.items
    html = {w.id: str(w.html) for w in format_works(entries, CSL / "chicago-notes-bibliography.csl",
                                                     "en")}
    assert "рр.</i> Ужгород" in html["doroshenko"] and ".." not in html["doroshenko"], html
    assert "Then...</i>. " in html["pamphlet"], html


@pytest.mark.parametrize(("correction", "message"), [
    # No note 7 cites Papa: the correction would leave the book without a word.
    ('{cited: "Δοκιμή", correct: "Δοκιμής", notes: ["1", "7"]}',
     "the correction of «Δοκιμή» names note 7, which cites 'papa1990' in no text"),
    # The notes named write «Δοκιμή», with its accent: the book would correct words no note has.
    ('{cited: "Δοκιμη", correct: "Δοκιμής", notes: ["1", "2"]}',
     "«Δοκιμη» is in none of the notes the correction names (1, 2)"),
])
def test_a_correction_that_no_note_it_names_bears_out_is_refused_at_its_line(
        fixture_project, correction, message):
    edit(fixture_project, "sources/bibliography.yaml", "      - {family: Papa, given: Anna}\n",
         f"      - {{family: Papa, given: Anna}}\n    corrections:\n      - {correction}\n")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "sources/bibliography.yaml", correction)
    assert code == 1
    assert f"sources/bibliography.yaml:{line}: error: {message} [correction]" in printed, printed


def test_a_name_in_brackets_after_its_entry_is_never_broken(fixture_dist):
    # The entry as the theme prints it, set at every measure from narrow to wide: wherever
    # its line ends, no line ends in "[Anna" with "Papa]" on the next.
    from weasyprint import HTML

    with zipfile.ZipFile(fixture_dist / "mini" / "mini.epub") as package:
        page = next(text for name in package.namelist() if name.endswith(".xhtml")
                    and 'class="original-name"' in (text := package.read(name).decode()))
    tree = etree.fromstring(page.encode())
    item = next(li for li in tree.iter("{*}li") if li.find(".//*[@class='original-name']")
                is not None)
    name = "".join(item.find(".//*[@class='original-name']").itertext()).strip("[]")
    assert " " in name, name
    for element in item.iter():  # set many times over: each id once
        element.attrib.pop("id", None)
    html = etree.tostring(item, encoding="unicode")
    css = (ROOT / "templates" / "base" / "css" / "common.css").read_text(encoding="utf-8")
    document = HTML(string=f"<style>{css}</style><body class='bibliography'>" + "".join(
        f"<ul class='works' style='width: {width}px'>{html}</ul>"
        for width in range(80, 420, 3))).render()
    lines = ["".join(box.text for box in line.descendants() if hasattr(box, "text"))
             for page in document.pages for line in page._page_box.descendants()
             if type(line).__name__ == "LineBox"]
    first, last = name.split()[0], name.split()[-1]
    broken = [line for line in lines if f"[{first}" in line and f"{last}]" not in line]
    assert not broken and any(f"[{name}]" in line for line in lines), broken
