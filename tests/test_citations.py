"""Every citation of the Greek notes, resolved to its work and pages, checked both ways."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from book.bibliography import format_works, load_bibliography
from book.cli import main
from book.findings import Findings
from book.make import Project, book_for, gather
from book.render import template_search_path

ROOT = Path(__file__).resolve().parent.parent

# Written by reading the 35 notes: (work, pages) for each citation, in the note's order.
# «ό.π.» is resolved by hand here to the work last cited by the same author.
EXPECTED = {
    "1": [("fitzpatrick2008", "19")],
    "2": [("fitzpatrick2008", "21-23")],
    "3": [("fitzpatrick2008", "23")],
    "4": [("mckay1970", "4")],
    "5": [("fitzpatrick2008", "24")],
    "6": [("cliff1995", "340-352")],
    "7": [("hobsbawm2000", "497-501")],
    "8": [("hobsbawm2000", "82")],
    "9": [("nation1989", "62-169")],
    "10": [("moorehead1960", "144-146")],
    "11": [("moorehead1960", "148-152")],
    "12": [("moorehead1960", "154-160"), ("fitzpatrick2008-february", None)],
    "13": [("moorehead1960", "156"), ("fitzpatrick2008-february", None)],
    "14": [("suny2002", "9")],
    "15": [("suny2002", "12")],
    "16": [("suny2002", "11-13")],
    "17": [("rosenberg1985", "219-20")],
    "18": [("bettelheim", None)],
    "19": [("lenin1986", None), ("moorehead1960", "186-88, 189-191")],
    "20": [("suny2002", "16-17")],
    "21": [("moorehead1960", "192-93")],
    "22": [("moorehead1960", "206-207")],
    "23": [("cliff1995", "283-300")],
    "24": [("moorehead1960", "215")],
    "25": [("moorehead1960", "218")],
    "26": [("cliff1995", "306-7"), ("moorehead1960", "222-227")],
    "27": [("cliff1995", "308-320"), ("moorehead1960", "230-2")],
    "28": [("moorehead1960", "236")],
    "29": [("moorehead1960", "235")],
    "30": [("cliff1995", "327-349")],
    "31": [("cliff1995", "350-353"), ("moorehead1960", "238-42")],
    "32": [("cliff1995", "354")],
    "33": [("cliff1995", "356")],
    "34": [("cliff1995", "27-39")],
    "35": [("rosenberg1985", "221")],
}


@pytest.fixture(scope="module")
def gathered():
    return gather(Project(ROOT))


@pytest.fixture(scope="module")
def book(gathered):
    reader = next(e for e in gathered.editions if e.name == "reader")
    return book_for(reader, gathered, template_search_path(ROOT))


def test_each_note_resolves_to_the_expected_works_and_pages(gathered):
    found: dict[str, list] = {}
    for citation in gathered.citations:
        found.setdefault(citation.note, []).append((citation.work, citation.locator))
    assert found == EXPECTED


def test_op_cit_is_resolved_not_typed(gathered):
    # Note 2 names no work: the data says only «ό.π.» of Fitzpatrick.
    (citation,) = [c for c in gathered.citations if c.note == "2"]
    assert citation.op_cit and citation.work == "fitzpatrick2008"


def test_back_references(book):
    def cited(work_id):
        work = next(w for w in book.works if w.id == work_id)
        return [labels for _, labels in book.cited_in(work)]

    assert cited("fitzpatrick2008") == [["1", "2", "3", "5", "12", "13"]]
    assert cited("moorehead1960") == [["10", "11", "12", "13", "19", "21", "22", "24", "25",
                                       "26", "27", "28", "29", "31"]]
    assert cited("cliff1995") == [["6", "23", "26", "27", "30", "31", "32", "33", "34"]]


def test_the_note_shows_exactly_as_written_with_links_on_the_citing_words(book):
    text = book.texts[1]
    for note in text.notes:
        parts = book.note_parts(text, note)
        assert "".join(str(getattr(p, "html", p)) for p in parts) == note.html
    parts = book.note_parts(text, text.notes_by_label["19"])
    cites = [p for p in parts if hasattr(p, "citation")]
    assert [str(c.html) for c in cites] == [
        "Λένιν Βλαντιμιρ, Οι θέσεις του Απρίλη, Σύγχρονη Εποχή, 1986",
        "Moorehead Alan, ό.π., 1960",
    ]


def test_bibliography_is_formatted_by_the_style(book):
    html = {w.id: str(w.html) for w in book.works}
    # Given names stay whole although the style asks citeproc-py to initialise elsewhere.
    assert html["fitzpatrick2008"].startswith("Fitzpatrick, Sheila. <i>The Russian Revolution</i>")
    # The article's page range, not a locator.
    assert "<i>Slavic Review</i> 44, no. 2 (1985): 213–38." in html["rosenberg1985"]
    # Greek titles in Greek script and not title-cased as English would be.
    assert "Κλιφ, Τόνι. <i>Λένιν, 1893–1914: τα χρόνια της συγκρότησης των Μπολσεβίκων</i>" \
        in html["cliff1995"]
    # The sort rule: Latin-alphabet names, original forms for names cited in Greek.
    assert [w.id for w in book.works] == [
        "bettelheim", "cliff1995", "fitzpatrick2008", "fitzpatrick2008-february",
        "hobsbawm2000", "lenin1986", "mckay1970", "moorehead1960", "nation1989",
        "rosenberg1985", "suny2002"]


@pytest.mark.parametrize(("language", "rosenberg", "fitzpatrick"), [
    # Chicago: prepositions lowercased, a period inside the closing quotation marks.
    ("en", "“Russian Labor and Bolshevik Power after October.”",
     "“The February Revolution and the ‘Dual Power.’”"),
    ("pl", "„Russian Labor and Bolshevik Power after October”.",
     "„The February Revolution and the «Dual Power»”."),
    ("ru", "«Russian Labor and Bolshevik Power after October».",
     "«The February Revolution and the „Dual Power“»."),
    # Greek typography's marks, from csl/locale-el.xml: the CSL locale has ‘…’.
    ("el", "«Russian Labor and Bolshevik Power after October».",
     "«The February Revolution and the “Dual Power”»."),
])
def test_titles_take_the_quotation_marks_of_the_apparatus_language(language, rosenberg,
                                                                 fitzpatrick):
    csl = ROOT / "templates" / "base" / "csl"
    terms = csl / f"locale-{language}.xml"
    entries = load_bibliography(ROOT / "sources" / "bibliography.yaml", Findings())
    html = {w.id: str(w.html) for w in format_works(
        entries, csl / "chicago-notes-bibliography.csl", language,
        terms if terms.exists() else None)}
    assert rosenberg in html["rosenberg1985"]
    assert fitzpatrick in html["fitzpatrick2008-february"]


def test_bibliography_keeps_both_name_forms_and_lists_corrections(book):
    cliff = next(w for w in book.works if w.id == "cliff1995")
    assert cliff.authors == ("Τόνι Κλιφ",) and cliff.original_names == ("Tony Cliff",)
    corrected = {c.cited: c.correct for _, c in book.corrections()}
    assert corrected["Pather"] == "Panther"
    assert corrected["Slavik Review"] == "Slavic Review"
    assert corrected["Oktober"] == "October"
    assert corrected["Nation R. Craig"].startswith("R. Craig Nation")
    assert next(w for w in book.works if w.id == "bettelheim").incomplete


def check(project, *options):
    out = io.StringIO()
    return main(["check", *options], stdout=out, project=project), out.getvalue()


def test_check_reports_note_18_as_acknowledged_and_passes_strict():
    code, printed = check(ROOT, "--strict")
    assert code == 0
    assert re.search(r"citations\.yaml:\d+: note: note 18: «ό.π.» of Bettelheim", printed)
    assert "0 errors, 0 warnings, 1 acknowledged" in printed


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if fragment in line)


def test_check_strict_fails_on_a_broken_copy_and_names_the_lines(project_copy):
    citations = project_copy / "sources" / "citations.yaml"
    bibliography = project_copy / "sources" / "bibliography.yaml"
    source = citations.read_text()
    source = source.replace("work: mckay1970", "work: mckay1907", 1)
    source = source.replace('{op-cit: Suny, words: "Ronald Grigor Suny, ό.π.", locator: "12"}',
                            '{op-cit: Suny, words: "Ronald Suny, ό.π.", locator: "12"}')
    source = source.replace("      acknowledged: [op-cit-without-citation]\n", "")
    citations.write_text(source)
    bib = bibliography.read_text().replace("  type: article-journal", "  type: journal-article")
    bibliography.write_text(bib)

    code, printed = check(project_copy)
    assert code == 0, "warnings alone do not fail without --strict"
    code, printed = check(project_copy, "--strict")
    assert code == 1
    lines = printed.split("\n")
    expect = [
        (citations, "work: mckay1907", "[unknown-work]"),
        (citations, 'words: "Ronald Suny, ό.π."', "[words-not-in-note]"),
        (citations, "op-cit: Bettelheim", "[op-cit-without-citation]"),
        (bibliography, "id: rosenberg1985", "[malformed-entry]"),
        (bibliography, "id: mckay1970", "[uncited-entry]"),
    ]
    for path, fragment, code_name in expect:
        shown = path.relative_to(project_copy)
        assert any(line.startswith(f"{shown}:{line_of(path, fragment)}: warning:")
                   and line.endswith(code_name) for line in lines), (fragment, printed)


def test_the_build_fails_under_strict_when_check_would(project_copy, tmp_path):
    citations = project_copy / "sources" / "citations.yaml"
    citations.write_text(citations.read_text().replace("work: mckay1970", "work: nobody", 1))
    out = io.StringIO()
    assert main(["epub", "--out", str(tmp_path / "o"), "--strict"], stdout=out,
                project=project_copy) == 1
    assert main(["epub", "--out", str(tmp_path / "o")], stdout=out, project=project_copy) == 0
    assert "[unknown-work]" in out.getvalue()
