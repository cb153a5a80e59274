"""The chronology as a printer and a reader meet it: one page size, references that point at
something, rows in the order of the dates they show, true column headers, dates that never
break, a legend to read, and in the EPUB one ◊ a finger can touch.

Everything here is the fixture project's (tests/fixture/), with a few events added below."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import tinycss2
from helpers import CLASSROOM, edit, run
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup
from pypdf import PdfReader

from book.chronology import load_chronology
from book.cli import main
from book.dates import WORD_JOINER, row_date, unbreakable
from book.findings import Findings
from book.make import Project, gather, prepare
from book.model import NoteCall, Paragraph
from book.passages import anchor_passages
from book.render import Links, render
from book.sources import load_texts

NS = {"x": "http://www.w3.org/1999/xhtml"}
CHRONOLOGY = "sources/chronology.yaml"
NBSP = "\u00a0"
# An event only the German text dates, in a calendar it does not name, at the paragraph that
# also dates the congress (25 October 1917 O.S.). Written 30 October, it is 17 October O.S.
# read as New Style: it must stand after the congress, where the date it shows belongs.
RUMOUR = """
  - id: rumour
    date: 1917-10-30
    calendar: unknown
    source: text
    label: {en: A rumour, ru: Слух, el: Μια φήμη, pl: Plotka}
    mentions:
      - {text: de, at: de-1, quote: "Die Lage blieb unklar", date: 1917-10-30,
         calendar: unknown, basis: unknown}
"""
# The German night given a day late and paired with a wrong day: both flags.
NIGHT = ("         date: 1917-10-25, night: true, calendar: julian, basis: stated,\n"
         "         paired: 1917-11-08}")
WRONG_NIGHT = ("         date: 1917-10-26, night: true, calendar: julian, basis: stated,\n"
               "         paired: 1917-11-12}")


@pytest.fixture(scope="module")
def project(new_fixture_project) -> Path:
    root = new_fixture_project()
    with (root / CHRONOLOGY).open("a", encoding="utf-8") as data:
        data.write(RUMOUR)
    edit(root, CHRONOLOGY, NIGHT, WRONG_NIGHT)
    (root / "editions" / "classroom.toml").write_text(CLASSROOM, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def out(project, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("chronology-design")
    printed = io.StringIO()
    assert main(["--out", str(folder)], stdout=printed, project=project) == 0, \
        printed.getvalue()
    return folder


def pdf(out: Path, edition: str) -> PdfReader:
    return PdfReader(out / edition / f"{edition}.pdf")


def epub_doc(out: Path, edition: str, name: str):
    with zipfile.ZipFile(out / edition / f"{edition}.epub") as book:
        return etree.fromstring(book.read(f"EPUB/{name}"))


def text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext()).replace(NBSP, " ")
                  .replace(WORD_JOINER, "")).strip()


def page_of(reader: PdfReader, name: str) -> int:
    return reader.get_destination_page_number(reader.named_destinations[name])


def chronology_pages(reader: PdfReader) -> range:
    return range(page_of(reader, "chronology"), page_of(reader, "glossary"))


def page_text(reader: PdfReader, pages) -> str:
    joined = " ".join(reader.pages[i].extract_text() for i in pages)
    return re.sub(r"\s+", " ", re.sub(r"[\u2010-]\n", "", joined)).replace(NBSP, " ") \
        .replace(WORD_JOINER, "")


def rows(document) -> list:
    return document.xpath("//x:table[@class='chronology-table']/x:tbody/x:tr[@id]",
                          namespaces=NS)


# One trim size.

@pytest.mark.parametrize("edition", ["mini", "classroom"])
def test_every_page_of_the_pdf_has_the_same_size(out, edition):
    reader = pdf(out, edition)
    sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
             for p in reader.pages}
    assert len(sizes) == 1, sizes
    (width, height), = sizes
    assert width < height  # the edition's portrait page, the chronology's too
    assert len(chronology_pages(reader)) >= 1


# References that point at something.

def test_without_paragraph_numbers_print_gives_the_page_of_each_passage(out):
    reader = pdf(out, "mini")
    chronology = page_text(reader, chronology_pages(reader))
    assert "¶" not in chronology
    for anchor, quote in [("gr-1", "στις 23 Φεβρουαρίου 1917"), ("de-2", "Am 3. März 1918")]:
        page = page_of(reader, anchor) + 1  # the folio: pages are counted from the first
        assert re.search(re.escape(quote) + rf"\W+p\. {page}\b", chronology), (anchor, page)
        assert str(page) in reader.pages[page - 1].extract_text().split()


def test_a_page_reference_gives_the_page_of_the_quoted_words_not_of_their_paragraph(
        new_fixture_project, tmp_path):
    root = new_fixture_project()
    # The Polish paragraph made to run over pages before the words the chronology quotes.
    filler = "Zdanie próbne, które wypełnia stronę tekstu. " * 120
    for name in ("sources/pol-test.md", "sources/originals/pol.txt"):
        edit(root, name, "Zjazd zebrał się", filler + "Zjazd zebrał się")
    # A question that quotes those words, and its page reference.
    edit(root, "sources/questions.yaml", "en: When did the congress meet?",
         "en: When did the text's «Zjazd zebrał się» take place?")
    code, printed = run(root, "pdf", "--edition", "mini", "--out", str(tmp_path))
    assert code == 0, printed
    reader = pdf(tmp_path, "mini")
    quoted = next(i for i, page in enumerate(reader.pages)
                  if "Zjazd zebrał" in page_text(reader, [i]))
    assert page_of(reader, "pol-1") < quoted  # the paragraph begins pages before
    chronology = page_text(reader, chronology_pages(reader))
    assert re.search(rf"7 XI według kalendarza gregoriańskiego\W+p\. {quoted + 1}\b",
                     chronology), chronology
    assert page_of(reader, "pol-1-q1") == quoted
    asked = page_text(reader, [page_of(reader, "pol-q1")])
    assert re.search(rf"“Zjazd zebrał się” take place\? \(p\. {quoted + 1}\)", asked), asked


@pytest.mark.parametrize(("parts", "quotes", "marked", "places"), [
    # The anchor holds the word the quote begins in, whole.
    (["Η πρώτη παράγραφος."], ["ρώτη παρ"], ['Η <span id="gr-1-q1">πρώτη</span> παράγραφος.'],
     ["gr-1-q1"]),
    # Inside the element the word stands in; after a note's call, in the part that follows.
    (["Ζ <em>αβγ δεζ</em> η."], ["δεζ η"],
     ['Ζ <em>αβγ <span id="gr-1-q1">δεζ</span></em> η.'], ["gr-1-q1"]),
    (["Ένα μέρος.", NoteCall("1"), " Δύο &quot;τρία&quot; τέσσερα."], ["τρία"],
     ["Ένα μέρος.", NoteCall("1"), ' Δύο <span id="gr-1-q1">&quot;τρία&quot;</span> τέσσερα.'],
     ["gr-1-q1"]),
    # A quote's space before its first word is no word of it.
    (["Ένα δύο."], [" δύο"], ['Ένα <span id="gr-1-q1">δύο.</span>'], ["gr-1-q1"]),
    # An element that holds just the word goes inside the anchor.
    (["Ένα <em>δύο</em> τρία."], ["δύο"], ['Ένα <span id="gr-1-q1"><em>δύο</em></span> τρία.'],
     ["gr-1-q1"]),
    # Two quotes of one word share its anchor; another word's is the paragraph's next.
    (["Ένα δύο τρία."], ["τρία", "ύο", "δύο τρ"],
     ['Ένα <span id="gr-1-q2">δύο</span> <span id="gr-1-q1">τρία.</span>'],
     ["gr-1-q1", "gr-1-q2", "gr-1-q2"]),
    # A word begun in one element and ended in another, or words the paragraph does not
    # hold, leave the mention at the paragraph.
    (["αβ<em>γδ εζ</em>."], ["γδ"], ["αβ<em>γδ εζ</em>."], ["gr-1"]),
    (["Ένα δύο."], ["τρία"], ["Ένα δύο."], ["gr-1"]),
])
def test_an_anchor_holds_the_word_each_quote_begins_in(fixture_copy, parts, quotes, marked,
                                                        places):
    texts = load_texts(fixture_copy / "sources")
    paragraph = Paragraph("gr-1", tuple(Markup(p) if isinstance(p, str) else p for p in parts),
                          1)
    section = replace(texts["gr"].sections[0], paragraphs=(paragraph,))
    texts = {"gr": replace(texts["gr"], sections=(section,))}
    texts, found = anchor_passages(texts, [("gr-1", quote) for quote in quotes])
    assert [str(p) if isinstance(p, str) else p
            for p in texts["gr"].paragraphs[0].parts] == marked
    assert [found.get(("gr-1", quote), "gr-1") for quote in quotes] == places


def test_with_paragraph_numbers_both_formats_give_the_paragraph(out):
    reader = pdf(out, "classroom")
    chronology = page_text(reader, chronology_pages(reader))
    assert re.search(r"στις 23 Φεβρουαρίου 1917\W+¶ 1\b", chronology)
    # A text of one paragraph is pointed to by page: "¶ 1" would say nothing.
    page = page_of(reader, "pol-1") + 1
    assert re.search(r"7 XI według kalendarza gregoriańskiego\W+p\. " + str(page) + r"\b",
                     chronology), chronology
    assert not re.search(r"7 XI według kalendarza gregoriańskiego\W+¶", chronology)
    (row,) = epub_doc(out, "classroom", "chronology.xhtml").xpath(
        "//*[@id='chron-demonstrations']", namespaces=NS)
    assert "¶ 1" in text(row)


def test_the_epub_without_numbers_gives_the_link_alone(out):
    document = epub_doc(out, "mini", "chronology.xhtml")
    assert "¶" not in text(document) and not document.xpath(
        "//*[contains(@class, 'page-ref')]", namespaces=NS)
    (row,) = document.xpath("//*[@id='chron-demonstrations']", namespaces=NS)
    assert row.xpath(".//x:a/@href", namespaces=NS) == ["text-gr.xhtml#gr-1-q1"]


# Rows in the order of the dates they show.

def test_a_date_in_an_unstated_calendar_stands_where_its_written_date_belongs(out):
    document = epub_doc(out, "mini", "chronology.xhtml")
    order = [r.get("id") for r in rows(document)]
    assert order == ["chron-demonstrations", "chron-congress", "chron-rumour", "chron-peace"]
    (rumour,) = document.xpath("//*[@id='chron-rumour']/x:th", namespaces=NS)
    # Shown as written, across both date columns, said to be of no stated calendar.
    assert rumour.get("colspan") == "2"
    assert text(rumour).startswith("October 30") and "calendar not stated" in text(rumour)


MONTHS = {datetime(2000, m, 1).strftime("%B"): m for m in range(1, 13)}


def shown_start(cell: str, year: int) -> tuple[int, int, int]:
    """The first day a rendered English date cell shows: 'night of October 25–26',
    'June 16 – July 7', 'January 2, 1918', 'December 1917 – January 1918', 'May'."""
    first = cell.removeprefix("night of ").split(" – ")[0]
    match = re.match(r"([A-Z][a-z]+)(?: (\d+))?(?:–\d+)?(?:,? (\d{4}))?", first)
    assert match, cell
    return (int(match[3] or year), MONTHS[match[1]], int(match[2] or 1))


@pytest.fixture(scope="module")
def renderer(project):
    """The mini edition's chronology rendered over any events: the events as read from a
    chronology file, so that the order is the tool's."""
    gathered = gather(Project(project))
    edition = next(e for e in gathered.editions if e.name == "mini")
    made = prepare(Project(project), edition, gathered)
    links = Links({t.id: f"text-{t.id}.xhtml" for t in made.book.texts})

    def chronology(source: str, folder: Path):
        path = folder / "chronology.yaml"
        path.write_text(source, encoding="utf-8")
        findings = Findings()
        events = load_chronology(path, gathered.texts, findings)
        assert not findings.failing(strict=True), findings.items
        book = replace(made.book, events=tuple(events))
        return etree.fromstring(render(made.env, "epub/chronology.xhtml", book, links=links,
                                       doc_lang="en").encode())
    return chronology


FIRST, LAST = date(1917, 1, 1), date(1918, 12, 31)
SWITCH = date(1918, 1, 31)  # the last Old Style day a Julian date may name


@st.composite
def events(draw):
    found = []
    for number in range(draw(st.integers(1, 7))):
        calendar = draw(st.sampled_from(["julian", "gregorian", "unknown"]))
        last = SWITCH if calendar == "julian" else LAST
        start = FIRST + timedelta(days=draw(st.integers(0, (last - FIRST).days)))
        kind = draw(st.sampled_from(["day", "night", "month", "range"]))
        value, night = start.isoformat(), kind == "night"
        if kind == "month":
            value = start.isoformat()[:7]
        elif kind == "range":
            end = min(start + timedelta(days=draw(st.integers(1, 60))), last)
            value = f"{start.isoformat()}/{end.isoformat()}" if end > start else value
        if night and calendar == "julian" and start == SWITCH:
            night = False
        source = "text" if calendar == "unknown" else draw(st.sampled_from(["reference",
                                                                              "text"]))
        found.append(f"  - {{id: e{number}, date: '{value}', calendar: {calendar}, "
                     f"night: {str(night).lower()}, source: {source}, label: {{en: E}}}}\n")
    return "events:\n" + "".join(found)


@settings(max_examples=80)
@given(source=events())
def test_rows_stand_in_the_order_of_the_dates_they_show(renderer, tmp_path_factory, source):
    document = renderer(source, tmp_path_factory.mktemp("events", numbered=True))
    shown = []
    for group in document.xpath("//x:tbody", namespaces=NS):
        year = int(text(group.xpath("x:tr[@class='year']/x:th", namespaces=NS)[0]))
        for row in group.xpath("x:tr[@id]", namespaces=NS):
            (header,) = row.xpath("x:th[@scope='row']", namespaces=NS)
            cell = text(header.xpath("x:span[@class='date']", namespaces=NS)[0])
            shown.append(shown_start(cell, year))
    assert shown == sorted(shown), source


# True headers, one date style, dates that never break.

def test_columns_hold_what_their_headers_say(out):
    document = epub_doc(out, "mini", "chronology.xhtml")
    heads = [text(th) for th in document.xpath("//x:thead//x:th", namespaces=NS)]
    assert heads == ["O.S.", "N.S.", "Event"]
    years = [text(th) for th in document.xpath("//x:tr[@class='year']/x:th", namespaces=NS)]
    assert years == ["1917", "1918"]
    congress = document.xpath("//*[@id='chron-congress']", namespaces=NS)[0]
    assert [text(c) for c in congress.xpath("x:th|x:td", namespaces=NS)[:2]] == \
        ["October 25", "November 7"]
    # After the switch Russia counted in the New Style only: the date stands under N.S.
    peace = document.xpath("//*[@id='chron-peace']", namespaces=NS)[0]
    os_cell, ns_cell = peace.xpath("x:th|x:td", namespaces=NS)[:2]
    assert "os" in os_cell.get("class") and text(os_cell) == "—"
    assert "ns" in ns_cell.get("class") and text(ns_cell) == "March 3"


# Where a date may break: before the other calendar's date, after a spaced range's dash.
BREAKABLE = re.compile(r" (?=\()|(?<=–) ")


def test_a_date_breaks_only_between_its_calendars_or_after_a_spaced_dash(out):
    shown_dates = ["".join(span.itertext())
                   for edition in ("mini", "mini-pl")
                   for span in epub_doc(out, edition, "chronology.xhtml").xpath(
                       "//x:span[@class='date']", namespaces=NS)]
    assert len(shown_dates) >= 12
    for shown in shown_dates:
        assert shown.count(" ") == len(BREAKABLE.findall(shown)), shown
        # Days joined by a dash ("26–27") never part.
        assert not re.search(f"–(?![ {WORD_JOINER}])", shown), shown
    assert any(" (" in shown for shown in shown_dates)
    assert any(f"–{WORD_JOINER}" in shown for shown in shown_dates)
    rules = css_rules("chronology.css")
    assert ("white-space", "nowrap") not in rules[".chronology .date"]
    assert ("hyphens", "manual") in rules[".chronology .date"]


@pytest.mark.parametrize(("written", "printed"), [
    ("July 26 – August 3, 1917", "July\u00a026\u00a0– August\u00a03,\u00a01917"),
    ("25 October (7 November) 1917", "25\u00a0October (7\u00a0November)\u00a01917"),
    ("3–5 июня 1917 г.", "3–\u20605\u00a0июня\u00a01917\u00a0г."),
    ("night of October 26–27", "night\u00a0of\u00a0October\u00a026–\u206027"),
])
def test_a_date_breaks_only_where_a_narrow_column_may_break_it(written, printed):
    assert unbreakable(written) == printed


# An event of a month's days, another month's in the other calendar: two long dates a row.
MONTH_LONG = """
  - id: sixth
    date: 1917-07-25/1917-08-25
    calendar: julian
    source: reference
    label: {en: The party’s Sixth Congress, ru: Шестой съезд, el: Το έκτο συνέδριο,
            pl: Szósty zjazd}
    mentions:
      - {text: gr, at: gr-1, quote: "στις 23 Φεβρουαρίου 1917", date: 1917-07-25/1917-08-25,
         calendar: julian, basis: assumed}
"""


def test_on_a_narrow_page_the_chronology_stays_in_its_column(new_fixture_project):
    # "July 25 – August 25" and "August 7 – September 7", unbreakable, made the table wider
    # than the text column of an A6 page.
    root = new_fixture_project()
    with (root / CHRONOLOGY).open("a", encoding="utf-8") as data:
        data.write(MONTH_LONG)
    edit(root, CHRONOLOGY, NIGHT, WRONG_NIGHT)  # and flags, with dates of their own
    edition = root / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + '\n[page]\nsize = "A6"\n',
                       encoding="utf-8")
    code, printed = run(root, "check", "--edition", "mini")
    assert code == 0, printed
    assert "[past-edge]" not in printed and "[near-edge]" not in printed, printed


def test_one_date_style_per_language_the_legend_s_too(out):
    english = epub_doc(out, "mini", "chronology.xhtml")
    legend = text(english.xpath("//*[@class='legend']", namespaces=NS)[0])
    # Babel's style for English, in the table and the legend alike.
    assert "January 31, 1918" in legend and "February 14, 1918" in legend
    assert "31 January" not in legend
    polish = epub_doc(out, "mini-pl", "chronology.xhtml")
    legend = text(polish.xpath("//*[@class='legend']", namespaces=NS)[0])
    assert "31 stycznia 1918" in legend and "14 lutego 1918" in legend
    (row,) = polish.xpath("//*[@id='chron-congress']", namespaces=NS)
    assert text(row).startswith("25 października 7 listopada")


# The legend.

def test_the_legend_is_short_and_set_at_a_readable_size(out):
    reader = pdf(out, "mini")
    start = page_of(reader, "chronology")
    sizes = []

    def visit(words, cm, tm, font, size):
        if words.strip() and ("Style" in words or "flag" in words or "passage" in words):
            sizes.append(size * tm[0] * cm[0])

    reader.pages[start].extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 8.5, sizes
    document = epub_doc(out, "mini", "chronology.xhtml")
    (legend,) = document.xpath("//*[@class='legend']", namespaces=NS)
    assert len(text(legend)) < 600
    # The texts' own wording of a date, marked by <q>, never by guillemets in English.
    assert "«" not in text(legend)
    assert "as the texts date it" in [text(q) for q in legend.xpath(".//x:q", namespaces=NS)]


def test_the_worksheet_leaves_the_new_style_blank_and_no_flag_tells_it(out, project):
    document = epub_doc(out, "classroom", "chronology.xhtml")
    events = {e.id: e for e in gather(Project(project)).events}
    checked = 0
    for row in rows(document):
        event = events[row.get("id").removeprefix("chron-")]
        answer = row_date(event.when, "en").new_style.replace(NBSP, " ")
        if not row_date(event.when, "en").old_style:
            continue  # after the switch (or no calendar): nothing to work out
        (blank,) = row.xpath("x:td[contains(@class, 'worksheet-blank')]", namespaces=NS)
        assert text(blank) == ""
        assert answer not in text(row), (row.get("id"), answer)
        checked += 1
    assert checked == 2
    # The flags are there, answers left out.
    (row,) = document.xpath("//*[@id='chron-congress']", namespaces=NS)
    assert len(row.xpath(".//x:span[@class='flag']", namespaces=NS)) == 2
    assert "N.S.: your answer" in text(document)


def test_a_flag_is_a_text_mark(out):
    document = epub_doc(out, "mini", "chronology.xhtml")
    flags = document.xpath("//x:span[@class='flag']", namespaces=NS)
    assert len(flags) == 2
    assert all("".join(f.itertext()).startswith("‼\ufe0e ") for f in flags)


# The ◊.

def test_print_has_no_lozenge(out):
    reader = pdf(out, "mini")
    assert not any("◊" in page.extract_text() for page in reader.pages)
    chronology = set(chronology_pages(reader))
    for index, page in enumerate(reader.pages):
        if index in chronology:
            continue
        for annotation in page.get("/Annots", []):
            assert not str(annotation.get_object().get("/Dest")).startswith("chron-")


def test_the_epub_has_one_lozenge_per_paragraph_held_to_its_last_word(out):
    german = epub_doc(out, "mini", "text-de.xhtml")
    (paragraph,) = german.xpath("//x:p[@id='de-1']", namespaces=NS)
    (mark,) = paragraph.xpath("x:a[@class='chron-mark']", namespaces=NS)
    # Two events: the link leads to the first in date order, the label counts them.
    assert mark.get("href") == "chronology.xhtml#chron-congress"
    assert mark.get("aria-label") == "The 2 events this paragraph dates, in the chronology"
    before = mark.getprevious()
    ahead = (before.tail if before is not None else paragraph.text) or ""
    assert ahead.endswith(NBSP) and not ahead[:-1].endswith(" ")
    assert mark.tail is None or not mark.tail.strip()
    # A paragraph that dates nothing has none; the label is in the apparatus language.
    greek = epub_doc(out, "mini-pl", "text-gr.xhtml")
    assert not greek.xpath("//x:p[@id='gr-2']//x:a[@class='chron-mark']", namespaces=NS)
    (one,) = greek.xpath("//x:p[@id='gr-1']//x:a[@class='chron-mark']", namespaces=NS)
    assert one.get("aria-label") == one.get("title") == \
        "Chronologia: wydarzenie datowane w tym akapicie"


def css_rules(name: str) -> dict[str, list[tuple[str, str]]]:
    """Each top-level rule's selector and its declarations, of a base stylesheet."""
    path = Path(__file__).resolve().parent.parent / "templates" / "base" / "css" / name
    rules = {}
    for rule in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), True, True):
        if rule.type == "qualified-rule":
            declarations = tinycss2.parse_declaration_list(rule.content, True, True)
            rules[tinycss2.serialize(rule.prelude).strip()] = [
                (d.lower_name, tinycss2.serialize(d.value).strip())
                for d in declarations if d.type == "declaration"]
    return rules


def test_the_lozenge_is_a_touch_target_of_44_px():
    declared = dict(css_rules("chronology.css")["a.chron-mark"])
    assert declared["display"] == "inline-block"
    for size in ("min-width", "min-height"):
        assert declared[size].endswith("px") and float(declared[size][:-2]) >= 44


def test_a_small_screen_gets_each_event_as_a_block():
    source = (Path(__file__).resolve().parent.parent / "templates" / "base" / "css" /
              "chronology.css").read_text(encoding="utf-8")
    found = []

    def walk(rules, widths):
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword == "media":
                query = tinycss2.serialize(rule.prelude)
                width = re.search(r"max-width:\s*([\d.]+)em", query)
                walk(tinycss2.parse_stylesheet(tinycss2.serialize(rule.content), True, True),
                     widths + ([float(width[1])] if width else []))
            elif rule.type == "qualified-rule" and widths:
                selector = tinycss2.serialize(rule.prelude)
                declarations = tinycss2.serialize(rule.content)
                if ".chronology-table tr" in selector and "display: block" in declarations:
                    found.append(min(widths))

    walk(tinycss2.parse_stylesheet(source, True, True), [])
    # 600 px of 16 px type: 37.5 em. A row becomes a block at or below that.
    assert found and min(found) * 16 <= 600 and max(found) * 16 >= 480
