"""The typographic check after layout (book/pagecheck.py): each kind of problem made to happen
on purpose in a copy of the fixture, reported by the build and by `check` with its page and
its source's file:line; `--strict` fails on them; the fixture's own editions are clean."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from helpers import TYPOGRAPHY, edit, font, line_of, other_warnings, run
from pypdf import PdfReader

from book import pagecheck, preview
from book.errors import BookError
from book.fidelity import edited_text
from book.findings import Finding
from book.make import report_findings
from book.model import PageSetup
from book.sources import load_text

# Each problem by construction: a hard line break (<br/>, which sources may hold) puts the
# words where the test wants them, and the edition's own stylesheet (custom.css) narrows a
# paragraph and hyphenates it wherever it can (a ladder), keeps one whole, sets one in a font
# the book does not carry, sets a note in the text, after a page break, or narrows one of long
# words that it does not hyphenate, as a language without patterns is set (loose lines); a
# question's words narrowed so, to be found in its data file.
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
COMPOUNDS = "Die Arbeiterversammlungen verabschiedeten Verfassungsänderungen, " \
    "Genossenschaften forderten Entschädigungszahlungen und Eisenbahnangestellte " \
    "unterstützten Streikbeschlüsse. "
GREEK = "Η καπιταλιστικοποίηση της χώρας προχωρούσαν αργά και οι εργαζόμενοι οργανώνονταν. "
CSS = """
#rs-2 { width: 16mm; hyphenate-limit-zone: 0; }
#gr-3 { break-inside: avoid; }
#de-2 { font-family: monospace; }
#de-n1 { float: none; display: block; break-before: page; }
#pol-q1 .question { width: 10mm; hyphenate-limit-zone: 0; }
#de-3 { width: 55mm; hyphens: manual; }
"""
QUESTION = "Was the long-drawn-out-and-never-ending war a myth?"


def add_paragraphs(project: Path) -> None:
    """The paragraphs above, and a Greek one of twenty-odd lines; each original rewritten to
    match, as the build checks fidelity."""
    for name, extra in (("rs-test.md", RUSSIAN), ("pol-test.md", POLISH)):
        path = project / "sources" / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra,
                        encoding="utf-8")
    edit(project, "sources/gr-test.md", "\n[^1]: ", f"\n{{#gr-3}}\n{GREEK * 12}\n\n[^1]: ")
    edit(project, "sources/de-test.md", "\n[^1]: ", f"\n{{#de-3}}\n{COMPOUNDS * 3}\n\n[^1]: ")
    edit(project, "sources/questions.yaml", "en: When did the congress meet?", f"en: {QUESTION}")
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
    found = {place: (page, message) for place, page, message in findings(printed, "ladder")}
    page, message = found.pop(where(project, "rs-test.md", "rs-2"))
    assert page == page_of(pdf, "rs-2")
    count = int(re.fullmatch(r"(\d+) hyphenated lines in a row \(ladder\)", message)[1])
    assert count > 3
    assert "hint: a ladder of hyphens" in printed
    # A question's words are in the data file: the finding is at its entry there.
    [(place, (page, message))] = found.items()
    assert place == f"sources/questions.yaml:{line_of(project, 'sources/questions.yaml', 'pol-q1')}"
    assert page == page_of(pdf, "pol-q1")


def test_a_heading_too_large_for_its_column_is_an_overfull_line(fixture_copy, tmp_path):
    # 72pt is a size to set a heading in, but not a Greek title's longest word on A5: it ran
    # 23 mm into the margin, where the edge check (5 mm from the trim) never looked.
    project = tmp_path / "p"
    shutil.copytree(fixture_copy, project)
    edit(project, "editions/mini.toml", 'date = "2020-01-01"\n',
         'date = "2020-01-01"\n[page]\nsize = "A5"\n[style]\nheading_size = "72pt"\n')
    code, printed = run(project, "check", "--edition", "mini")
    found = re.findall(r"warning: mini, page \d+: «(\w+)» sticks out ([\d.]+) mm past the end "
                       r"of its column \(an overfull line\) \[overfull\]", printed)
    assert ("Δοκιμαστικό" in dict(found)) and all(float(mm) > 1 for _, mm in found), printed
    assert "hint: a word longer than its column is wide, or type too large" in printed
    assert run(project, "check", "--strict", "--edition", "mini")[0] == 1


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


def test_a_page_left_short_by_the_relayout_is_no_exception(flawed, tmp_path):
    # A forced break of the book's own leaves a page short by design; one the re-layout made
    # to keep a note with its call (book/relayout.py: `moved`) is reported, saying why.
    from book.make import Project, gather, prepare
    from book.pdf import lay_out

    project = tmp_path / "p"
    shutil.copytree(flawed[0], project)
    with (project / "templates" / "base" / "css" / "custom.css").open("a") as css:
        css.write("#de-1 { break-before: page; }\n")
    gathered = gather(Project(project))
    made = prepare(Project(project), next(e for e in gathered.editions if e.name == "mini"),
                   gathered)
    laid = lay_out(made.book, made.env, made.search_path, made.glyph_places)

    def short(moved: frozenset[str]) -> list[str]:
        """The short pages found at the German text's first paragraph."""
        line = line_of(project, "sources/de-test.md", "{#de-1}") + 1
        return [f.message for f in pagecheck.check_pages(made.book, laid.document, moved,
                                                         laid.families)
                if f.code == "short-page" and f.path.name == "de-test.md" and f.line == line]

    assert short(frozenset()) == []
    [message] = short(frozenset({"de-1"}))
    assert message.endswith(" lines short inside the text (the next paragraph was moved to a "
                            "new page to keep a note with its call)"), message


def test_a_fallback_font(flawed):
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "fallback-font")
    assert place == where(project, "de-test.md", "de-2")
    assert page == page_of(pdf, "de-2")
    family = re.fullmatch(r"«Am 3\. März 1918 wurde der Fri…» is set in a fallback font "
                          r"\((.+)\), not the book's typeface", message)[1]
    assert family != "BookText"


def test_a_text_whose_justified_lines_are_mostly_loose(flawed):
    # The narrowed paragraph of long words is most of the German text's justified lines.
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "loose-lines")
    assert (place, page) == (where(project, "de-test.md", "de-3"), page_of(pdf, "de-3"))
    loose, lines, median = re.fullmatch(
        r"the German text is set loose: (\d+) of its (\d+) justified lines space their words "
        r"wider than 0\.5 em \((\d\.\d\d) em by their median\), which runs rivers of white "
        "down its pages", message).groups()
    assert int(lines) / 2 < int(loose) <= int(lines) and float(median) > 0.5, message
    assert "hint: justified lines whose words cannot be broken" in printed


def test_check_reports_what_the_build_does_and_strict_fails(flawed, tmp_path):
    project, printed, _ = flawed
    code, checked = run(project, "check", "--strict")
    assert code == 1
    for kind in ("ladder", "short-last-line", "one-letter-word", "short-page", "fallback-font",
                 "note-away", "overfull", "loose-lines"):
        assert findings(checked, kind) == findings(printed, kind), kind
    out = tmp_path / "out"
    code, built = run(project, "pdf", "--edition", "mini", "--strict", "--out", str(out))
    assert code == 1
    # The eight made on purpose, and the narrowed question's hyphenated word, a hair too long.
    assert "9 typographic problems in mini.pdf stop the build (--strict)" in built, built
    assert not (out / "mini" / "mini.pdf").exists()


def test_the_fixture_is_clean_under_strict(fixture_copy):
    code, printed = run(fixture_copy, "check", "--strict")
    assert code == 0, printed
    assert "0 errors, 0 warnings" in printed


def test_a_title_page_run_over_onto_the_next_page_is_a_warning(fixture_project):
    """Lines too many at its foot, and the title page spills onto the next page."""
    edit(fixture_project, "templates/base/parts/title_page.html",
         "{% block title_extra %}{% endblock %}",
         "{% block title_extra %}" + "<p>Lyceum No. 3, room 12</p>" * 40 + "{% endblock %}")
    code, printed = run(fixture_project, "check", "--edition", "mini")
    split = re.findall(r"mini, page (\d+): <(\w+)(?: class='([\w -]+)')?> runs over onto page "
                       r"(\d+), though its style keeps it on one page \(break-inside: avoid\) "
                       r"\[split-block\]", printed)
    assert [(tag, classes) for _, tag, classes, _ in split] == [("section", "title-page")], \
        printed
    first, last = map(int, (split[0][0], split[0][3]))
    assert last > first and code == 0


def test_the_copies_of_an_edition_are_each_named_with_their_pages(fixture_project):
    """Each copy is laid out apart: a finding says which copy's page it is on."""
    edit(fixture_project, "templates/base/parts/title_page.html",
         "{% block title_extra %}{% endblock %}",
         "{% block title_extra %}" + "<p>Lyceum No. 3, room 12</p>" * 40 + "{% endblock %}")
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\ncopies = ["student", "teacher"]')
    code, printed = run(fixture_project, "check", "--edition", "mini")
    assert re.findall(r"mini, (\w+)'s copy, page \d+: <section class='title-page'>",
                      printed) == ["student", "teacher"], printed


def test_lines_too_long_to_read_are_a_warning(fixture_project):
    """An A4 page turned to landscape: lines of some 130 characters."""
    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[page]\nsize = "A4 landscape"\n',
                    encoding="utf-8")
    code, printed = run(fixture_project, "check", "--edition", "mini")
    found = re.findall(r"editions/mini\.toml: warning: mini, page \d+: the text's lines hold "
                       r"(\d+) characters \(the median of its justified lines\)", printed)
    assert len(found) == 1 and int(found[0]) > pagecheck.LONG_LINE, printed
    assert "[long-lines]" in printed and code == 0


def test_a_note_away_from_its_call(flawed):
    project, printed, pdf = flawed
    [(place, page, message)] = findings(printed, "note-away")
    assert place == f"sources/de-test.md:{line_of(project, 'sources/de-test.md', '[^1]: ')}"
    assert page == page_of(pdf, "de-r1")
    assert message == f"note 1 is set on page {page_of(pdf, 'de-n1')}, away from its call"
    assert page_of(pdf, "de-n1") > page


def test_a_kind_found_often_is_listed_SHOWN_times_then_counted():
    found = [("ladder", page, f"mini, page {page + 1}: a ladder", Path("a.md"), page, ())
             for page in range(pagecheck.SHOWN + 3)]
    listed = pagecheck._capped(list(reversed(found)), "mini", Path("editions/mini.toml"))
    assert [f.line for f in listed[:-1]] == list(range(pagecheck.SHOWN))
    last = listed[-1]
    assert (last.level, last.code, last.path, last.line) == \
        ("warning", "ladder", Path("editions/mini.toml"), None)
    pages = ", ".join(str(p + 1) for p in range(pagecheck.SHOWN, pagecheck.SHOWN + 3))
    assert last.message == f"mini, pages {pages}: 3 more ladders"
    assert other_warnings(f"editions/mini.toml: warning: {last.message} [ladder]") == []


def test_the_hint_of_an_emphasis_printed_upright_writes_its_rule_for_the_texts_language():
    # A Hebrew text's emphasis is not told of a rule for Yiddish; the count of the rest
    # names the languages of all of them.
    message = "the emphasis «מילה» is printed upright: the book's font for it (Hebrew) has " \
              "no italic"
    found = [("upright-italic", page, f"mini, page {page + 1}: {message}",
              Path("sources/he-test.md"), 7, ("he",) if page else ("he", "yi"))
             for page in range(pagecheck.SHOWN + 2)]
    listed = pagecheck._capped(found, "mini", Path("editions/mini.toml"))
    first, last = listed[0], listed[-1]
    assert (first.path, first.line, first.message) == (
        Path("sources/he-test.md"), 7, f"mini, page 1: {message}")
    assert "as Yiddish and Hebrew books do: ':lang(he) em, :lang(yi) em { font-style: normal; " \
        "letter-spacing: 0.15em; }'" in first.hint
    assert [":lang(he) em { font-style: normal;" in f.hint for f in listed[1:]] == \
        [True] * len(listed[1:])
    assert ":lang(yi)" not in last.hint and last.message.endswith("2 more pages with an "
                                                                  "emphasis printed upright")
    # Text of no language known: the rule for any emphasis.
    assert "do: 'em { font-style: normal;" in pagecheck._hint("upright-italic")


# Each rule at its threshold, on lines made up for the purpose (the block's element, its
# lines), and on a few lines laid out by WeasyPrint: small inputs, no build.

def block_findings(lines: list[tuple[str, bool]], tag: str = "p", justified: bool = True,
                   lang: str = "ru", pages: list[int] | None = None, mirrored: bool = True
                   ) -> list[tuple]:
    """(code, page, message, id) of each finding on one block of `lines` (text, hyphenated)."""
    element = Element(tag, id="x-1")
    found = []
    pagecheck._check_block(element, [
        pagecheck.Line(page, text, hyphenated, lang, element, justified, element.get("id"))
        for (text, hyphenated), page in zip(lines, pages or [0] * len(lines), strict=True)],
        lambda code, page, message, name: found.append((code, page, message, name)), TYPOGRAPHY,
        mirrored)
    return found


LONG = ("a long enough line", False)


def test_a_ladder_is_one_hyphenated_line_more_than_the_limit_in_a_row():
    hyphenated = ("hyphen-", True)
    assert block_findings([hyphenated] * pagecheck.LADDER + [LONG]) == []
    # Where the run starts, with its length, though it ends the block.
    lines = [LONG, *[hyphenated] * (pagecheck.LADDER + 2)]
    assert block_findings(lines, pages=[2, 3, 3, 4, 4, 4]) == [
        ("ladder", 3, "5 hyphenated lines in a row (ladder)", "x-1")]
    # A line not hyphenated ends a run: two short runs are no ladder.
    assert block_findings([hyphenated] * 2 + [LONG] + [hyphenated] * 2 + [LONG]) == []


def test_a_word_broken_across_the_turn_of_a_leaf_is_a_note_and_across_a_spread_nothing():
    broken, line = ("Σοσιαλι‐", True), ("στικό κόμμα", False)
    turn = ("hyphen-at-turn", 16, "a word broken across the turn of the leaf («Σοσιαλι‐» to "
            "page 18)", "x-1")
    # After a right-hand page (page 17, the 16th counted from 0), not after a left-hand one.
    assert block_findings([line, broken, line], pages=[16, 16, 17]) == [turn]
    assert block_findings([line, broken, line], pages=[15, 15, 16]) == []
    # Printed on one side, a leaf turns after every page.
    assert block_findings([line, broken, line], pages=[15, 15, 16], mirrored=False)[0][:2] == \
        ("hyphen-at-turn", 15)
    # A word broken on the page, or a page ending on a whole word, or the block's last line.
    assert block_findings([broken, line, line], pages=[16, 16, 17], mirrored=False) == []
    assert block_findings([line, line], pages=[16, 17], mirrored=False) == []
    assert block_findings([line, broken], pages=[16, 16], mirrored=False) == []
    # Past a page of something else (a figure), the leaf turned all the same.
    assert block_findings([broken, line], pages=[16, 18]) == [turn[:2] + (
        "a word broken across the turn of the leaf («Σοσιαλι‐» to page 19)", "x-1")]
    assert pagecheck.LEVELS["hyphen-at-turn"] == "note"


def test_a_last_line_is_short_below_the_limit_in_a_justified_paragraph_of_lines():
    short = "x" * (pagecheck.SHORT_LAST_LINE - 1)
    assert block_findings([LONG, (f" {short}  ", False)]) == [
        ("short-last-line", 0, f"the last line of the paragraph is 4 characters («{short}»)",
         "x-1")]
    assert block_findings([LONG, ("i.", False)], pages=[1, 2])[0][1:3] == \
        (2, "the last line of the paragraph is 2 characters («i.»)")
    assert block_findings([LONG, ("a", False)])[0][2] == \
        "the last line of the paragraph is 1 character («a»)"
    enough = ("x" * pagecheck.SHORT_LAST_LINE, False)
    assert block_findings([LONG, enough]) == []
    # One line, or a block that is no paragraph, or set ragged, is not judged.
    assert block_findings([("ich.", False)]) == []
    assert block_findings([LONG, ("ich.", False)], tag="li") == []
    assert block_findings([LONG, ("ich.", False)], justified=False) == []


def test_a_one_letter_word_ends_a_line_by_the_rules_of_its_language():
    assert block_findings([("Съезд открылся в", False), LONG], pages=[6, 7]) == [
        ("one-letter-word", 6, "line ends in the one-letter word «в» (Russian)", "x-1")]
    # Not a word of two letters, nor the block's last line, nor a hyphenated line's end, nor
    # in a language that lets it end a line.
    assert block_findings([("Съезд открылся во", False), LONG]) == []
    assert block_findings([LONG, ("Съезд открылся в", False)]) == []
    assert block_findings([("Съезд открылся в", True), LONG]) == []  # a word broken
    assert block_findings([("the congress met a", False), LONG], lang="en") == []


# Pages of ten lines (16 px each) in the book's typeface, for the checks that read a layout.
PAGES = """<style>
@font-face { font-family: BookText; src: url(../fonts/GentiumBookPlus-Regular.ttf); }
@page { size: 80mm 150pt; margin: 15pt 10mm }
html { font: 10pt/12pt BookText; } body, p, h1, h2 { margin: 0; font-size: 10pt; }
p { text-align: justify; hyphens: auto; } </style>"""
CSS_FOLDER = Path(__file__).resolve().parent.parent / "templates" / "base" / "css"


def laid_out(body: str) -> tuple[Any, SimpleNamespace]:
    """The WeasyPrint document of `body` on PAGES, and a book of one text "t" (title "t")
    whose paragraphs are the body's paragraphs t-1, t-2…, with note 1 (call t-r1, note t-n1)."""
    from weasyprint import HTML

    document = HTML(string=PAGES + body, base_url=CSS_FOLDER.as_uri() + "/").render()
    paragraphs = [SimpleNamespace(id=name) for name in re.findall(r'id="(t-\d+)"', body)]
    return document, SimpleNamespace(texts=[SimpleNamespace(
        id="t", paragraphs=paragraphs, notes=[SimpleNamespace(label="1")])])


def lines(count: int, word: str = "line") -> str:
    return "<br>".join(f"{word} {number}" for number in range(count))


def short_pages(body: str, moved: frozenset[str] = frozenset()) -> list[tuple]:
    document, book = laid_out(body)
    return list(pagecheck._short_pages(book, document, moved))


def test_a_page_ends_short_by_more_than_the_limit_unless_a_heading_or_a_break_follows():
    # The title and six lines: the paragraph kept whole goes to the next page, 3 lines short.
    body = f'<h1 id="t">T</h1><p id="t-1">{lines(6)}</p>' \
           f'<p id="t-2" style="break-inside: avoid">{lines(4)}</p><p id="t-3">{lines(2)}</p>'
    assert short_pages(body) == [(0, "the page ends 3 lines short inside the text", "t-2")]
    # Two lines short is within the limit.
    assert short_pages(body.replace(lines(6), lines(7))) == []
    # Before a heading, or a break the source asks for, a page may end short.
    assert short_pages(body.replace('<p id="t-2"', '<h2 id="s">S</h2><p id="t-2"')) == []
    forced = body.replace("break-inside: avoid", "break-before: page")
    assert short_pages(forced) == []
    # A break the re-layout forced is reported, saying so; a heading still excuses it.
    assert short_pages(forced, frozenset({"t-2"})) == [
        (0, "the page ends 3 lines short inside the text (the next paragraph was moved to a "
            "new page to keep a note with its call)", "t-2")]
    assert short_pages(body.replace('<p id="t-2" style="break-inside: avoid"',
                                    '<h2 id="s" style="break-before: page">S</h2><p id="t-2"'),
                       frozenset({"s"})) == []


def test_the_last_page_of_a_text_and_pages_outside_it_may_end_short():
    # The text's last page ends short, and so do the pages before its title and after it.
    assert short_pages(f'<p id="x">{lines(2)}</p><h1 id="t" style="break-before: page">T</h1>'
                       f'<p id="t-1">{lines(12)}</p><p id="y">{lines(20)}</p>') == []


def test_a_page_short_before_a_block_of_no_text_is_named_by_its_last_line():
    # The next page opens with no paragraph of the text: the finding names the last one.
    body = f'<h1 id="t">T</h1><p id="t-1">{lines(5)}</p>' \
           f'<div id="box" style="break-inside: avoid">{lines(6)}</div><p id="t-2">{lines(2)}</p>'
    assert short_pages(body) == [(0, "the page ends 4 lines short inside the text", "t-1")]


def test_the_lines_a_page_ends_short_by_are_counted_in_its_last_lines_height():
    document, _ = laid_out(f'<p id="t-1">{lines(3)}</p>')
    page = document.pages[0]._page_box
    text = [line for line, _ in pagecheck._lines(pagecheck._flow(page, notes=False))]
    assert pagecheck._lines_short(page, text) == 10 - 3
    assert pagecheck._lines_short(page, []) is None


def test_a_note_is_away_when_it_is_set_on_another_page_than_its_call():
    document, book = laid_out(f'<p id="t-1">{lines(3)}<a id="t-r1">1</a></p>'
                              f'<p id="t-n1" style="break-before: page">1. A note.</p>')
    assert list(pagecheck._notes_away(book, document)) == [
        (0, "note 1 is set on page 2, away from its call", "t-n1")]
    document, book = laid_out('<p id="t-1"><a id="t-r1">1</a></p><p id="t-n1">1. A note.</p>')
    assert list(pagecheck._notes_away(book, document)) == []


def test_lines_are_read_as_the_reader_sees_them():
    # A line ends hyphenated at the hyphenator's hyphen or a compound's own, before a note
    # call or a space; not at a number's dash. Its language is its last word's.
    document, _ = laid_out(
        '<p id="t-1" lang="de">Die Arbeiter-<span style="float: footnote">Note</span><br>'
        'und im Jahr 1917-<br>die Bauern- <span lang="ru">и-</span><em> </em><br>und</p>'
        '<p id="t-2" lang="de" style="width: 25mm">Unabhängigkeitserklärungsverhandlungen</p>'
        '<p id="t-3" style="text-align: left">left</p><ol><li id="t-4">item</li></ol>')
    found = [pagecheck._line(number, line) for number, page in enumerate(document.pages)
             for line, _ in pagecheck._lines(pagecheck._flow(page._page_box, notes=True))]
    assert [(line.text, line.hyphenated, line.lang, line.block.get("id"), line.justified)
            for line in found] == [
        ("Die Arbeiter-", True, "de", "t-1", True),
        ("und im Jahr 1917-", False, "de", "t-1", True),
        ("die Bauern- и- ", True, "ru", "t-1", True),
        ("und", False, "de", "t-1", True),
        ("Unabhängig\u2010", True, "de", "t-2", True),
        ("keitserklärungs\u2010", True, "de", "t-2", True),
        ("verhandlungen", False, "de", "t-2", True),
        ("Note", False, "de", None, True),
        ("left", False, None, "t-3", False),
        ("item", False, None, "t-4", False)]


def test_characters_set_in_a_font_not_the_books_are_named_per_page_and_font():
    long = "Tavrichesky Palace, Petrograd, 1917"
    document, _ = laid_out(
        '<p id="t-1">Words in the book\'s face <code>mono mono</code> and <code>mono</code>'
        f'</p><p id="t-2">then <code>{long}</code></p>'
        '<p id="t-3" style="break-before: page">The book\'s face alone.</p>')
    found = list(pagecheck._fonts(document, frozenset({"BookText"})))
    assert [(page, code, name) for page, code, _, name, _ in found] == [
        (0, "fallback-font", "t-1")]
    # Each word once, cut after 29 characters.
    family = re.fullmatch(rf"«{f'mono {long}'[:29]}…» is set in a fallback font \((.+)\), not "
                          "the book's typeface", found[0][2])[1]
    assert family != "BookText"
    # Without the book's family, every font of every page is one.
    assert [page for page, *_ in pagecheck._fonts(document, frozenset())] == [0, 0, 1]


def test_words_meant_in_italic_that_a_face_of_the_book_sets_upright_are_named():
    # PAGES gives the book's family its upright face alone, as a font for a script without
    # italics does: the emphasis would be lost on the page.
    # A heading a theme sets in italic is no emphasis: such a script sets it upright.
    # Each with the languages of its text, which the hint's rule names.
    body = ('<p id="t-1" lang="yi">A <em>word</em>, <i lang="he">another</i> and <b>bold</b>'
            '</p><h2 id="t-s1" style="font-style: italic">Heading</h2>'
            '<p id="t-2" lang="he" style="break-before: page">An <em>ital</em> again</p>')
    document, _ = laid_out(body)
    authors = {"t-1", "t-2", "t-s1"}
    assert list(pagecheck._fonts(document, frozenset({"BookText"}), authors)) == [
        (0, "upright-italic", "the emphasis «word another» is printed upright: the book's font "
         "for it (BookText) has no italic", "t-1", ("yi", "he")),
        (1, "upright-italic", "the emphasis «ital» is printed upright: the book's font for it "
         "(BookText) has no italic", "t-2", ("he",))]
    # With the family's italic face, the same words are set in it.
    italic = ("<style>@font-face { font-family: BookText; font-style: italic; "
              "src: url(../fonts/GentiumBookPlus-Italic.ttf); }</style>")
    document, _ = laid_out(italic + body)
    assert list(pagecheck._fonts(document, frozenset({"BookText"}), authors)) == []
    # An emphasis outside the authors' words (a title in the bibliography) is the theme's.
    document, _ = laid_out(body)
    assert list(pagecheck._fonts(document, frozenset({"BookText"}), {"t-2"})) == [
        (1, "upright-italic", "the emphasis «ital» is printed upright: the book's font for it "
         "(BookText) has no italic", "t-2", ("he",))]


def test_an_emphasis_is_found_inside_a_link_or_a_bold_and_on_each_page_it_stands():
    # The theme's italic heading sets the same letters first: they are no emphasis seen.
    body = ('<h2 id="h" style="font-style: italic">word ital</h2>'
            '<p id="t-1">A <em><strong>word</strong></em> and <i><a href="#h">ital</a></i></p>'
            '<p id="t-2" style="break-before: page">The <em>word</em> again</p>')
    document, _ = laid_out(body)
    found = list(pagecheck._fonts(document, frozenset({"BookText"}), {"t-1", "t-2"}))
    assert [(page, re.search("«(.*)»", message)[1], name) for page, _, message, name, _ in found] \
        == [(0, "word ital", "t-1"), (1, "word", "t-2")]


@pytest.mark.parametrize(("axis", "slants"), [("wght", False), ("slnt", True)])
def test_a_variable_font_slants_only_along_a_slant_or_italic_axis(tmp_path, axis, slants):
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import TTFont

    path = font(tmp_path / "variable.ttf", "Aword ")
    builder = FontBuilder(font=TTFont(str(path)))
    builder.setupFvar(axes=[(axis, -10 if axis == "slnt" else 100, 0 if axis == "slnt" else 400,
                             0 if axis == "slnt" else 900, axis)], instances=[])
    builder.save(str(path))
    document, _ = laid_out(f"<style>@font-face {{ font-family: V; src: url({path.as_uri()}); }}"
                           f"p {{ font-family: V }}</style><p id='t-1'>A <em>word</em></p>")
    found = list(pagecheck._fonts(document, frozenset({"V"}), {"t-1"}))
    assert [code for _, code, *_ in found] == ([] if slants else ["upright-italic"])


# The page of `laid_out` as an edition gives it: its side margins 10 mm wide, as PAGES sets them.
SETUP = PageSetup("80mm 150pt", "10pt", False, ("15pt", "15pt", "10mm", "10mm"))


def test_text_nearer_the_trimmed_edge_than_a_printer_keeps_clear_is_named_per_page_and_side():
    # A folio set at the foot of the 15pt (5.3 mm) margin of odd pages; the text of every
    # page stands in its margins, but a paragraph pushed 9 of the 10 mm into the left one.
    document, _ = laid_out(
        '<style>@page :right { @bottom-center { content: "folio " counter(page); '
        'vertical-align: bottom; } }</style>'
        f'<p id="t-1">{lines(3)}</p>'
        f'<p id="t-2" style="break-before: page">{lines(3)}</p>')
    found = list(pagecheck._near_edge(document, SETUP))
    assert [(page, code) for page, code, _ in found] == [(0, "near-edge")]
    assert re.fullmatch(r"«folio 1» (stands 0\.\d mm from|touches) the bottom edge, within the "
                        "5 mm a printer keeps clear; a bottom margin of 11 mm keeps it clear",
                        found[0][2]), found
    # The nearest text of each side of a page is named, with the edition's margin there:
    # a paragraph 1 mm from the left edge, the nearer of two lines 1 and 2 mm from the right.
    document, _ = laid_out(
        '<p id="t-1" style="margin-left: -9mm">Near</p>'
        '<p id="t-2" style="text-align: right; margin-right: -8mm">Far</p>'
        '<p id="t-3" style="text-align: right; margin-right: -9mm">Nearer</p>')
    assert list(pagecheck._near_edge(document, SETUP)) == [
        (0, "near-edge", "«Near» stands 1.0 mm from the left edge, out of the text column "
         "into the inner margin, within the 5 mm a printer keeps clear"),
        (0, "near-edge", "«Nearer» stands 1.0 mm from the right edge, out of the text column "
         "into the outer margin, within the 5 mm a printer keeps clear")]
    # Text of a margin box at the side (a theme's running head there) stands in the margin:
    # it is not out of the text column.
    document, _ = laid_out('<style>@page { @left-middle { content: "Side"; text-align: left; '
                           'padding-left: 1mm } }</style>' f'<p id="t-1">{lines(3)}</p>')
    assert [message for *_, message in pagecheck._near_edge(document, SETUP)] == [
        "«Side» stands 1.0 mm from the left edge, in the inner margin, within the 5 mm a "
        "printer keeps clear"]
    # Letters past the edge are cut off when the page is trimmed: how far, not "0 mm". On
    # the verso of a bound book the outer margin is at the left.
    document, _ = laid_out('<p id="t-1" style="margin-left: -12mm">Gone</p>'
                           '<p id="t-2" style="break-before: page; margin-left: -12mm">Also</p>')
    assert list(pagecheck._near_edge(document, replace(SETUP, mirrored=True))) == [
        (0, "past-edge", "«Gone» runs 2.0 mm past the left edge, out of the text column "
         "across the inner margin: "
         "trimming the page cuts it off"),
        (1, "past-edge", "«Also» runs 2.0 mm past the left edge, out of the text column "
         "across the outer margin: "
         "trimming the page cuts it off")]
    # Printed on one side, the inner margin is at the left of every page.
    assert [message for page, _, message in pagecheck._near_edge(document, SETUP)
            if page == 1] == ["«Also» runs 2.0 mm past the left edge, out of the text column "
                              "across the inner margin: "
                              "trimming the page cuts it off"]
    # A box that ends at the edge holds letters that may not reach it: near, not past; and
    # at the edge, it is said so, not "0.0 mm" from it.
    document, _ = laid_out('<p id="t-1" style="margin-left: -10.2mm">Edge</p>')
    assert list(pagecheck._near_edge(document, SETUP)) == [
        (0, "near-edge", "«Edge» touches the left edge, out of the text column into the inner "
         "margin, within the 5 mm a printer keeps clear")]
    document, _ = laid_out('<p id="t-1" style="margin-left: -9.9mm">Edge</p>')
    assert [message for *_, message in pagecheck._near_edge(document, SETUP)] == [
        "«Edge» stands 0.1 mm from the left edge, out of the text column into the inner "
        "margin, within the 5 mm a printer keeps clear"]
    # Under the band by a little, the distance is rounded down: not "5.0 mm, within 5 mm".
    nearly, _ = laid_out('<p id="t-1" style="margin-left: -5.04mm">Edge</p>')
    assert [message for *_, message in pagecheck._near_edge(nearly, SETUP)] == [
        "«Edge» stands 4.9 mm from the left edge, out of the text column into the inner "
        "margin, within the 5 mm a printer keeps clear"]
    # The side margins told apart by their widths where they differ (a theme's page may
    # set its own): the left one here is as wide as the outer margin.
    assert [message for *_, message in pagecheck._near_edge(document, replace(
        SETUP, margins=("15pt", "15pt", "30mm", "10mm")))] == [
        "«Edge» stands 0.1 mm from the left edge, out of the text column into the outer "
        "margin, within the 5 mm a printer keeps clear"]
    # At the right, the margin as wide as the page's right margin.
    document, _ = laid_out('<style>@page { margin-left: 30mm; margin-right: 10mm }</style>'
                           '<p id="t-1" style="text-align: right; margin-right: -9mm">R</p>')
    assert [message for *_, message in pagecheck._near_edge(document, replace(
        SETUP, margins=("15pt", "15pt", "30mm", "10mm")))] == [
        "«R» stands 1.0 mm from the right edge, out of the text column into the outer "
        "margin, within the 5 mm a printer keeps clear"]
    # Nothing on pages whose text keeps its distance.
    document, _ = laid_out(f'<p id="t-1">{lines(12)}</p>')
    assert list(pagecheck._near_edge(document, SETUP)) == []


def test_text_past_the_edge_of_an_edition_without_margins_is_located_at_its_page(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('title = "x"\n\n[page]\nsize = "A5"\n', encoding="utf-8")
    document, _ = laid_out('<p id="t-1" style="margin-left: -12mm">Gone</p>')
    book = SimpleNamespace(texts=[], questions=(), typography=TYPOGRAPHY,
                           edition=SimpleNamespace(name="e", path=path, page=SETUP,
                                                    copies=("student",)))
    (found,) = [f for f in pagecheck.check_pages(book, document, families=frozenset(
        {"BookText"})) if f.code.endswith("-edge")]
    assert (found.level, found.code, found.path, found.line) == ("error", "past-edge", path, 3)


def test_text_near_the_edge_is_a_warning_counted_as_edges():
    found = [("near-edge", page, f"mini, page {page + 1}: «{page + 1}»",
              Path("editions/mini.toml"), 11, ()) for page in range(pagecheck.SHOWN + 2)]
    listed = pagecheck._capped(found, "mini", Path("editions/mini.toml"))
    assert {f.level for f in listed} == {"warning"}
    assert listed[-1].message.endswith(": 2 more page edges with text near them")


def test_text_past_the_edge_is_an_error_counted_whole_when_listed_in_part():
    found = [("past-edge", page, f"mini, page {page + 1}: «{page + 1}» runs past",
              Path("editions/mini.toml"), 11, ()) for page in range(pagecheck.SHOWN + 2)]
    listed = pagecheck._capped(found, "mini", Path("editions/mini.toml"))
    assert {f.level for f in listed} == {"error"}
    last = listed[-1]
    # Counted as what it counts, at the margins line where all of them are.
    assert (last.message, last.line, last.count) == (
        f"mini, pages {pagecheck.SHOWN + 1}, {pagecheck.SHOWN + 2}: 2 more page edges with "
        "text past them", 11, 2)
    printed = []
    with pytest.raises(BookError) as stopped:
        report_findings(listed, "typographic problem", "in mini.pdf", "", printed.append,
                        Path("."), strict=False)
    assert stopped.value.message == \
        f"{pagecheck.SHOWN + 2} typographic problems in mini.pdf stop the build"
    assert len(printed) == pagecheck.SHOWN + 1
    # Errors stop it under --strict as they would without: it is not said to be the cause.
    with pytest.raises(BookError) as stopped:
        report_findings(listed, "typographic problem", "in mini.pdf", "", printed.append,
                        Path("."), strict=True)
    assert stopped.value.message.endswith(" stop the build")
    # One problem is one.
    with pytest.raises(BookError) as stopped:
        report_findings(listed[:1], "typographic problem", "in mini.pdf", "", printed.append,
                        Path("."), strict=False)
    assert stopped.value.message == "1 typographic problem in mini.pdf stops the build"


def test_a_note_of_the_pages_stops_no_build_and_a_warning_only_a_strict_one():
    note = Finding("note", "hyphen-at-turn", "mini, page 3: a word broken across the turn of "
                   "the leaf («re‐» to page 4)", Path("sources/gr-test.md"), 7)
    ladder = Finding("warning", "ladder", "mini, page 5: 4 hyphenated lines in a row (ladder)",
                     Path("sources/gr-test.md"), 9)
    printed = []
    for found, strict in (([note], True), ([note, ladder], False)):
        report_findings(found, "typographic problem", "in mini.pdf", "", printed.append,
                        Path("."), strict=strict)
    with pytest.raises(BookError) as stopped:
        report_findings([note, ladder], "typographic problem", "in mini.pdf", "",
                        printed.append, Path("."), strict=True)
    assert stopped.value.message == \
        "1 typographic problem in mini.pdf stops the build (--strict)"
    assert printed[-2:] == [
        "sources/gr-test.md:7: note: mini, page 3: a word broken across the turn of the leaf "
        "(«re‐» to page 4) [hyphen-at-turn]",
        "sources/gr-test.md:9: warning: mini, page 5: 4 hyphenated lines in a row (ladder) "
        "[ladder]"]


def test_margins_too_small_for_the_folios_and_heads_stop_the_build_at_the_margins(
        fixture_project):
    path = fixture_project / "editions" / "mini.toml"
    source = path.read_text(encoding="utf-8") + '\n[page]\nmargins = { top = "5mm", ' \
        'bottom = "5mm" }\n'
    path.write_text(source, encoding="utf-8")
    line = source.splitlines().index('margins = { top = "5mm", bottom = "5mm" }') + 1
    out = fixture_project / "out"
    # Not only under --strict: the printed book would lose its page numbers.
    code, printed = run(fixture_project, "pdf", "--edition", "mini", "--out", str(out))
    assert code == 1 and not (out / "mini").exists(), printed
    past = re.findall(rf"^editions/mini\.toml:{line}: error: mini, page (\d+): «([^»]+)» runs "
                      r"([\d.]+) mm past the (\w+) edge: trimming the page cuts it off; a "
                      r"(\w+) margin of (\d+) mm keeps it clear \[past-edge\]$", printed,
                      re.MULTILINE)
    # The page numbers at the foot, each its page's; the running heads at the top.
    assert {side for *_, side, _, _ in past} == {"top", "bottom"}, printed
    assert all(page == text for page, text, _, side, *_ in past if side == "bottom"), printed
    # Each told the margin that keeps it 5 mm clear: the 5 mm it has, 5 more, and how far
    # past the edge it runs (said to a tenth of a millimetre).
    for *_, by, side, margin, wanted in past:
        assert margin == side and 0 <= int(wanted) - (10 + float(by)) < 1.06, past
    assert ("hint: a running head or page number needs a wider margin on that side ([page] "
            "margins in the edition file)") in printed
    assert "typographic problems in mini.pdf stop the build\n" in printed
    # The preview shows the errors alone, without the build's progress.
    assert preview.failure(printed, code).startswith(f"editions/mini.toml:{line}: error: ")
    code, printed = run(fixture_project, "check")
    assert code == 1 and f"editions/mini.toml:{line}: error: mini, page" in printed, printed
    # A head on every page too: more than are listed, counted in one more, at the margins line.
    css = fixture_project / "templates" / "base" / "css" / "custom.css"
    css.write_text(css.read_text(encoding="utf-8") + '\n@page { @top-right { content: "Trial";'
                   ' vertical-align: bottom; padding-bottom: 3mm; } }\n', encoding="utf-8")
    code, printed = run(fixture_project, "check")
    listed = len(re.findall(rf"^editions/mini\.toml:{line}: error: mini, page \d+: ", printed,
                            re.MULTILINE))
    more = re.search(rf"^editions/mini\.toml:{line}: error: mini, pages [\d, ]+: (\d+) more page "
                     r"edges with text past them \[past-edge\]$", printed, re.MULTILINE)
    assert code == 1 and listed == pagecheck.SHOWN and more, printed
    assert f"{listed + int(more[1])} errors, 0 warnings" in printed, printed


def test_a_line_is_located_by_the_innermost_box_around_it_a_source_places():
    def box(name: str | None):
        return SimpleNamespace(element=None if name is None else Element("div", id=name)
                               if name else Element("p"))

    places = {"q-1": ("questions.yaml", 4), "t-2": ("t.md", 9)}
    # A question's answer: a paragraph of no id (or an id no source gives) in its item.
    assert pagecheck._name((box("text-t"), box("q-1"), box("")), places) == "q-1"
    assert pagecheck._name((box("q-1"), box("answer-7")), places) == "q-1"
    # A paragraph of a text is its own place, inside whatever holds it; none: no place.
    assert pagecheck._name((box("q-1"), box("t-2")), places) == "t-2"
    assert pagecheck._name((box(None), box("text-t"), box("")), places) is None


def test_the_notes_at_the_foot_of_the_page_are_read_as_the_text_is():
    # A note set as a footnote, in a column too narrow for its compound: a ladder, found at the
    # note's own line of its source. The text of the page, set wide, has none.
    document, _ = laid_out(
        '<style>.fn { float: footnote; width: 10mm; }</style>'
        '<p id="t-1">A paragraph.<span class="fn" id="t-n1">Was the long-drawn-out-and-'
        'never-ending war a myth?</span></p>')
    text = SimpleNamespace(id="t", source=Path("t.md"), lang="en",
                           paragraphs=[SimpleNamespace(id="t-1", line=3)],
                           notes=[SimpleNamespace(label="1", line=9)])
    book = SimpleNamespace(texts=[text], questions=(), typography=TYPOGRAPHY,
                           edition=SimpleNamespace(name="e", path=Path("e.toml"), page=SETUP,
                                                    copies=("student",)))
    found = pagecheck.check_pages(book, document, families=frozenset({"BookText"}))
    assert [(f.path, f.line, f.message) for f in found if f.code == "ladder"] == [
        (Path("t.md"), 9, "e, page 2: 5 hyphenated lines in a row (ladder)")], found


def lines_of(document: Any) -> list[pagecheck.Line]:
    return [pagecheck._line(number, line) for number, page in enumerate(document.pages)
            for line, _ in pagecheck._lines(pagecheck._flow(page._page_box, notes=True))]


ENGLISH = "The congress met in the Tauride Palace at night, and the delegates argued until " \
    "the morning came. "


def test_a_lines_spaces_are_measured_in_ems_as_the_justification_stretched_them():
    # One space between two words, justified across the 60 mm column (its last line too):
    # the space is what the column leaves of the words, measured apart, in ems of 10pt.
    document, _ = laid_out('<p id="t-1" style="text-align-last: justify">Petrograd 1917</p>'
                           '<p id="t-2" style="text-align: left">Petrograd</p>'
                           '<p id="t-3" style="text-align: left">1917</p>')
    justified, *words = lines_of(document)
    _, *apart = pagecheck._lines(pagecheck._flow(document.pages[0]._page_box, notes=False))
    widths = sum(box.width for line, _ in apart for box in pagecheck._text_boxes(line))
    assert justified.space == pytest.approx((60 * 96 / 25.4 - widths) / (10 * 96 / 72),
                                            abs=0.01)
    assert justified.space > 8  # most of the column's 17 em
    assert [line.space for line in words] == [None, None]


def test_only_the_lines_the_justification_stretched_have_their_spaces_measured():
    # A paragraph's last line, a line of one word and a ragged paragraph's lines are set as
    # they are; a justified line with room to spare is spaced a little wider than the font's
    # space (Gentium's, 0.22 em).
    document, _ = laid_out(f'<p id="t-1" lang="en">{ENGLISH}</p>'
                           '<p id="t-2" style="width: 30mm">Unabhängigkeitserklärung und</p>'
                           f'<p id="t-3" style="text-align: left">{ENGLISH}</p>')
    spaces: dict[str, list] = {}
    for line in lines_of(document):
        spaces.setdefault(line.block.get("id"), []).append(line.space)
    *justified, last = spaces.pop("t-1")
    assert last is None and all(0.22 < space < pagecheck.LOOSE_EM for space in justified), \
        justified
    assert spaces == {"t-2": [None, None], "t-3": [None, None, None]}


FINNISH = ("Eduskunta hyväksyi itsenäisyysjulistuksen joulukuussa, mutta kansanvaltuuskunnan "
           "jäsenet vaativat työväenliikkeen vallankumouksellista ohjelmaa ja "
           "maanviljelijäväestön oikeuksien turvaamista kaupunkienvälisissä neuvotteluissa. ")


def loose_texts(body: str, lang: str = "fi") -> list[tuple[Path, int, str]]:
    """The loose-lines findings on `body` laid out as a text in `lang` of paragraphs t-1…, at
    lines 3, 5…, and its note 1 at line 9."""
    document, book = laid_out(body)
    text = SimpleNamespace(id="t", source=Path("t.md"), lang=lang, notes=[
        SimpleNamespace(label="1", line=9)], paragraphs=[
        SimpleNamespace(id=p.id, line=3 + 2 * n) for n, p in enumerate(book.texts[0].paragraphs)])
    book = SimpleNamespace(texts=[text], questions=(), typography=TYPOGRAPHY,
                           edition=SimpleNamespace(name="e", path=Path("e.toml"), page=SETUP,
                                                    copies=("student",)))
    return [(f.path, f.line, f.message) for f in pagecheck.check_pages(
        book, document, families=frozenset({"BookText"})) if f.code == "loose-lines"]


def test_a_text_is_set_loose_when_more_than_half_its_justified_lines_are():
    # Finnish, which Pyphen has no patterns for, in a narrow column: its long words are not
    # broken, and the spaces between them fill the lines. Found at its first loose line.
    body = f'<p id="t-1" style="width: 45mm">{FINNISH}</p><p id="t-2">Kyllä.</p>'
    [(path, line, message)] = loose_texts(body)
    assert (path, line) == (Path("t.md"), 3)
    loose, lines, median = re.fullmatch(
        r"e, page 1: the Finnish text is set loose: (\d+) of its (\d+) justified lines space "
        r"their words wider than 0\.5 em \((\d\.\d\d) em by their median\), which runs rivers "
        "of white down its pages", message).groups()
    assert int(lines) / 2 < int(loose) <= int(lines) and float(median) > 0.5, message
    # Set ragged, its spaces are the font's.
    assert loose_texts(body.replace('style="', 'style="text-align: left; ')) == []
    # In English, of shorter words and hyphenated, the same column is set well.
    assert loose_texts(body.replace(FINNISH, ENGLISH * 3), "en") == []
    # A few loose lines in a text most of whose lines are not: here and there, no rule.
    assert loose_texts(f'<p id="t-1" style="width: 45mm">{FINNISH[:100]}</p>'
                       f'<p id="t-2" lang="en">{ENGLISH * 4}</p>') == []


@pytest.mark.parametrize(("loose", "found"), [(5, False), (6, False), (7, True)])
def test_a_text_is_loose_past_half_its_justified_lines_and_not_at_half(loose, found):
    """Twelve justified lines of a text's paragraph, `loose` of them spaced wider than the
    limit: set loose past six."""
    text = SimpleNamespace(id="t", lang="fi", paragraphs=[SimpleNamespace(id="t-1")], notes=[])
    spaces = [pagecheck.LOOSE_EM + 0.1] * loose + [pagecheck.LOOSE_EM - 0.1] * (12 - loose)
    lines = [pagecheck.Line(1, "a b", False, "fi", None, True, "t-1", space)
             for space in spaces]
    reported = list(pagecheck._loose_texts(SimpleNamespace(texts=[text]), [lines]))
    assert bool(reported) == found
    if found:
        assert reported[0][1].startswith(f"the Finnish text is set loose: {loose} of its 12 ")
