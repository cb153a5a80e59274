"""The typographic check after layout (book/pagecheck.py): each kind of problem made to happen
on purpose in a copy of the fixture, reported by the build and by `check` with its page and
its source's file:line; `--strict` fails on them; the fixture's own editions are clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import edit, line_of, other_warnings, run
from pypdf import PdfReader

from book import pagecheck
from book.fidelity import edited_text
from book.sources import load_text

# Each problem by construction: a hard line break (<br/>, which sources may hold) puts the
# words where the test wants them, and the edition's own stylesheet (custom.css) narrows a
# paragraph, keeps one whole, sets one in a font the book does not carry, or sets a note in
# the text, after a page break.
RUSSIAN = """
{#rs-2}
Достопримечательности электрификации промышленности.

{#rs-3}
Съезд открылся в<br/>
Петрограде, и делегаты спорили до утра.
"""
POLISH = """
{#pol-2}
Delegaci obradowali przez całą noc i ogłosili swoje uchwały<br/>
ich.
"""
GREEK = "Η καπιταλιστικοποίηση της χώρας προχωρούσαν αργά και οι εργαζόμενοι οργανώνονταν. "
CSS = """
#rs-2 { width: 16mm; }
#gr-3 { break-inside: avoid; }
#de-2 { font-family: monospace; }
#de-n1 { float: none; display: block; break-before: page; }
"""


def add_paragraphs(project: Path) -> None:
    """The paragraphs above, and a Greek one of twenty-odd lines; each original rewritten to
    match, as the build checks fidelity."""
    for name, extra in (("rs-test.md", RUSSIAN), ("pol-test.md", POLISH)):
        path = project / "sources" / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra,
                        encoding="utf-8")
    edit(project, "sources/gr-test.md", "\n[^1]: ", f"\n{{#gr-3}}\n{GREEK * 12}\n\n[^1]: ")
    for path in (project / "sources").glob("*.md"):
        text = load_text(path)
        text.original.write_text("\n".join([*(r.text for r in text.removals),
                                            edited_text(text)]), encoding="utf-8")
    (project / "templates" / "base" / "css" / "custom.css").write_text(CSS, encoding="utf-8")


@pytest.fixture(scope="module")
def flawed(new_fixture_project, tmp_path_factory) -> tuple[Path, str, PdfReader]:
    """The fixture with the problems above: the project, what its PDF build printed, the PDF."""
    project = new_fixture_project()
    add_paragraphs(project)
    out = tmp_path_factory.mktemp("flawed-out")
    code, printed = run(project, "pdf", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    return project, printed, PdfReader(out / "mini" / "mini.pdf")


def findings(printed: str, code: str) -> list[tuple[str, int, str]]:
    """(file:line, page, message) of each finding of a kind, as printed."""
    pattern = re.compile(rf"^(\S+): warning: mini, page (\d+): (.*) \[{code}\]$", re.MULTILINE)
    return [(m[1], int(m[2]), m[3]) for m in pattern.finditer(printed)]


def page_of(pdf: PdfReader, name: str) -> int:
    """The printed page number of a named destination (a paragraph's id)."""
    return pdf.get_destination_page_number(pdf.named_destinations[name]) + 1


def where(project: Path, name: str, paragraph: str) -> str:
    return f"sources/{name}:{line_of(project, f'sources/{name}', '{#' + paragraph + '}') + 1}"


def test_a_ladder_of_hyphens(flawed):
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "ladder")
    assert place == where(project, "rs-test.md", "rs-2")
    assert page == page_of(pdf, "rs-2")
    count = int(re.fullmatch(r"(\d+) hyphenated lines in a row \(ladder\)", message)[1])
    assert count > 3
    assert "hint: a ladder of hyphens" in printed


def test_a_short_last_line(flawed):
    project, printed, pdf = flawed
    found = findings(printed, "short-last-line")
    assert (where(project, "pol-test.md", "pol-2"), page_of(pdf, "pol-2"),
            "the last line of the paragraph is 4 characters («ich.»)") in found


def test_a_line_ending_in_a_one_letter_word(flawed):
    project, printed, pdf = flawed
    assert findings(printed, "one-letter-word") == [
        (where(project, "rs-test.md", "rs-3"), page_of(pdf, "rs-3"),
         "line ends in the one-letter word «в» (Russian)")]


def test_a_page_ending_short_inside_a_text(flawed):
    # The long Greek paragraph, kept whole, goes to the next page and leaves a hole; the
    # finding is at the paragraph the next page begins with, where it is mended.
    project, printed, pdf = flawed
    found = {place: (page, message) for place, page, message in findings(printed, "short-page")}
    page, message = found[where(project, "gr-test.md", "gr-3")]
    assert page == page_of(pdf, "gr-2") == page_of(pdf, "gr-3") - 1
    assert int(re.fullmatch(r"the page ends (\d+) lines short inside the text", message)[1]) > 2


def test_a_page_left_short_by_the_relayout_is_no_exception(flawed):
    # The German note set in the text, after a page break, is away from its call: the
    # re-layout tries every step down to starting the paragraph on a new page, which leaves
    # the text's opening page with its title alone. That page is reported, saying why.
    project, printed, pdf = flawed
    found = {place: (page, message) for place, page, message in findings(printed, "short-page")}
    page, message = found[where(project, "de-test.md", "de-1")]
    assert page == page_of(pdf, "de") == page_of(pdf, "de-1") - 1
    assert message.endswith(" lines short inside the text (the next paragraph was moved to a "
                            "new page to keep a note with its call)")
    assert len(found) == 2


def test_a_fallback_font(flawed):
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "fallback-font")
    assert place == where(project, "de-test.md", "de-2")
    assert page == page_of(pdf, "de-2")
    family = re.fullmatch(r"«Am 3\. März 1918 wurde der Fri…» is set in a fallback font "
                          r"\((.+)\), not the book's typeface", message)[1]
    assert family != "BookText"


def test_check_reports_what_the_build_does_and_strict_fails(flawed, tmp_path):
    project, printed, _ = flawed
    code, checked = run(project, "check", "--strict")
    assert code == 1
    for kind in ("ladder", "short-last-line", "one-letter-word", "short-page", "fallback-font",
                 "note-away"):
        assert findings(checked, kind) == findings(printed, kind), kind
    out = tmp_path / "out"
    code, built = run(project, "pdf", "--edition", "mini", "--strict", "--out", str(out))
    assert code == 1
    assert "7 typographic problems in mini.pdf stop the build (--strict)" in built
    assert not (out / "mini" / "mini.pdf").exists()


def test_the_fixture_is_clean_under_strict(fixture_copy):
    code, printed = run(fixture_copy, "check", "--strict")
    assert code == 0, printed
    assert "0 errors, 0 warnings" in printed


def test_a_note_away_from_its_call(flawed):
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "note-away")
    assert place == f"sources/de-test.md:{line_of(project, 'sources/de-test.md', '[^1]: ')}"
    assert page == page_of(pdf, "de-r1")
    assert message == f"note 1 is set on page {page_of(pdf, 'de-n1')}, away from its call"
    assert page_of(pdf, "de-n1") > page


def test_a_kind_found_often_is_listed_SHOWN_times_then_counted():
    found = [("ladder", page, f"mini, page {page + 1}: a ladder", Path("a.md"), page)
             for page in range(pagecheck.SHOWN + 3)]
    listed = pagecheck._capped(list(reversed(found)), "mini", Path("editions/mini.toml"))
    assert [f.line for f in listed[:-1]] == list(range(pagecheck.SHOWN))
    last = listed[-1]
    assert (last.level, last.code, last.path, last.line) == \
        ("warning", "ladder", Path("editions/mini.toml"), None)
    pages = ", ".join(str(p + 1) for p in range(pagecheck.SHOWN, pagecheck.SHOWN + 3))
    assert last.message == f"mini, pages {pages}: 3 more ladders"
    assert other_warnings(f"editions/mini.toml: warning: {last.message} [ladder]") == []
