"""The comparative chronology: calendar arithmetic, the 1918 switch, flags, formatting.

Every date here is the tests' own (the fixture project or inline data), never the book's."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from book.calendars import CalendarError, Day, gregorian_to_julian, julian_to_gregorian
from book.chronology import compute_flags, load_chronology, pair_agrees, parse_when
from book.cli import main
from book.dates import WORD_JOINER, format_dual
from book.fidelity import words_of
from book.findings import Findings
from book.sources import load_texts

CHRONOLOGY = "sources/chronology.yaml"
# The fixture's German night, «in der Nacht zum 26. Oktober (8. November) 1917», as entered.
DE_NIGHT = "         paired: 1917-11-08}"


def load(project: Path):
    """The project's events by id, and what loading them found."""
    findings = Findings()
    texts = load_texts(project / "sources")
    events = load_chronology(project / CHRONOLOGY, texts, findings)
    return {e.id: e for e in events}, findings


def edit(project: Path, old: str, new: str) -> int:
    """Replace `old` in the project's chronology; the line where it stood."""
    path = project / CHRONOLOGY
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source[:source.index(old)].count("\n") + 1


def line_of(project: Path, fragment: str) -> int:
    lines = (project / CHRONOLOGY).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


def check(project: Path, *options: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", *options], stdout=out, project=project), out.getvalue()


def the_night(events):
    return next(m for m in events["congress"].mentions if m.text == "de")


def test_conversion_on_both_sides_of_the_1918_switch():
    assert julian_to_gregorian(1917, 10, 25) == (1917, 11, 7)
    assert julian_to_gregorian(1917, 2, 23) == (1917, 3, 8)
    assert julian_to_gregorian(1918, 1, 31) == (1918, 2, 13)  # the last Old Style day
    assert gregorian_to_julian(1918, 2, 13) == (1918, 1, 31)
    assert gregorian_to_julian(1918, 2, 14) is None  # Russia counts in New Style from here
    assert gregorian_to_julian(1918, 3, 3) is None
    with pytest.raises(CalendarError, match="after 31 January 1918"):
        Day.from_julian(1918, 2, 1)
    # In the nineteenth century the calendars were twelve days apart, not thirteen.
    assert julian_to_gregorian(1899, 12, 31) == (1900, 1, 12)
    assert julian_to_gregorian(1900, 2, 29) == (1900, 3, 13)  # a Julian leap day only
    with pytest.raises(CalendarError):
        Day.from_gregorian(1900, 2, 29)


def test_partial_and_range_dates():
    month = parse_when("1917-04", "julian")
    assert month.precision == "month"
    assert month.start.julian() == (1917, 4, 1) and month.end.julian() == (1917, 4, 30)
    assert (month.start.gregorian(), month.end.gregorian()) == ((1917, 4, 14), (1917, 5, 13))
    january = parse_when("1918-01", "julian")  # the month that ends the Old Style
    assert january.end.julian() == (1918, 1, 31)
    span = parse_when("1917-06-03/1917-06-24", "julian")
    assert span.precision == "range"
    assert (span.start.gregorian(), span.end.gregorian()) == ((1917, 6, 16), (1917, 7, 7))
    night = parse_when("1917-10-25", "julian", night=True)
    assert [d.gregorian() for d in night.span] == [(1917, 11, 7), (1917, 11, 8)]
    for bad in ("1917-13", "1917-02-30", "25.10.1917", "1917-06-24/1917-06-03"):
        with pytest.raises(ValueError):
            parse_when(bad, "julian")
    with pytest.raises(ValueError, match="unknown calendar"):
        parse_when("1917-10-25", "byzantine")


def test_an_old_style_day_pythons_dates_cannot_hold_is_printed():
    # 29 February 1900 O.S. was a day (the Julian calendar leaps every fourth year), though
    # not a Gregorian one: Python's dates, which Babel formats, have no such day.
    from book.dates import format_dual, format_single, row_date

    day = parse_when("1900-02-29", "julian")
    assert format_dual(day, "en") == "February 29 (March 13), 1900"
    assert format_single(day, "ru") == "29 февраля 1900\u202fг."
    assert row_date(day, "en").old_style == "February\u00a029"
    assert format_dual(parse_when("1900-02-27/1900-03-02", "julian"), "pl") == \
        "27 lutego – 2 marca (11–15 marca) 1900"


@pytest.mark.parametrize(("date", "calendar"), [
    ("0000-02-23", "julian"), ("0000-06-01", "gregorian"),
    ("0001-01-01", "julian"),  # 30 December of the year before 1 N.S.
    ("0001-01", "julian")])
def test_a_day_outside_the_years_a_book_prints_is_no_date(date, calendar):
    with pytest.raises(ValueError, match=f"'{date}' is no year a book can print"):
        parse_when(date, calendar)


def test_reference_dates_are_converted_and_the_events_sorted(fixture_project):
    # Entered out of order, in both calendars, on both sides of the switch.
    (fixture_project / CHRONOLOGY).write_text(textwrap.dedent("""\
        events:
          - {id: after, date: 1918-04-02, calendar: gregorian, source: reference,
             label: {en: E, ru: Е, el: Ε, pl: W}}
          - {id: spring, date: 1917-03-20, calendar: julian, source: reference,
             label: {en: E, ru: Е, el: Ε, pl: W}}
          - {id: last-old-day, date: 1918-01-31, calendar: julian, source: reference,
             label: {en: E, ru: Е, el: Ε, pl: W}}
          - {id: autumn, date: 1917-09-14, calendar: julian, source: text,
             label: {en: E, ru: Е, el: Ε, pl: W}}
        """), encoding="utf-8")
    events, findings = load(fixture_project)
    assert findings.items == []
    assert list(events) == ["spring", "autumn", "last-old-day", "after"]
    assert events["spring"].when.start.gregorian() == (1917, 4, 2)
    assert events["autumn"].when.start.gregorian() == (1917, 9, 27)
    assert events["autumn"].source == "text"
    assert events["last-old-day"].when.start.gregorian() == (1918, 2, 13)
    after = events["after"]
    assert after.when.calendar == "gregorian" and after.when.start.old_style is None


def julian(value: str, night: bool = False):
    return parse_when(value, "julian", night)


def gregorian(value: str, night: bool = False):
    return parse_when(value, "gregorian", night)


def kinds(flags):
    return [(f.kind, f.years, f.days) for f in flags]


def test_a_pair_misread_in_the_other_calendar_is_flagged_once_and_says_so():
    # «23 IX (10 X)» for an event of 10 September O.S.: 23 IX is the New Style date, read as
    # the Old Style one; by the calendars 23 IX O.S. is 6 X N.S.
    flags = compute_flags(julian("1917-09-23"), gregorian("1917-10-10"), julian("1917-09-10"),
                          "reference")
    assert kinds(flags) == [("pair", 0, 4)]
    assert flags[0].expected.start.gregorian() == (1917, 10, 6)
    assert flags[0].matches_in_other_calendar


def test_dates_that_differ_from_the_reference_are_flagged_by_years_and_days():
    later = compute_flags(julian("1917-09-15"), None, julian("1917-09-14"), "reference")
    assert kinds(later) == [("reference", 0, 1)]
    earlier = compute_flags(julian("1917-08-30"), None, julian("1917-09-14"), "reference")
    assert kinds(earlier) == [("reference", 0, -15)]
    after_the_switch = compute_flags(gregorian("1918-04-12"), None, gregorian("1918-04-02"),
                                     "reference")
    assert kinds(after_the_switch) == [("reference", 0, 10)]
    # A night of the wrong year, and a day off once the year is set right: told as both.
    wrong_year = compute_flags(gregorian("1918-09-26", night=True), None,
                               julian("1917-09-14", night=True), "reference")
    assert kinds(wrong_year) == [("reference", 1, -1)]
    # An event only the texts date is never checked against its date.
    assert compute_flags(julian("1917-09-20"), None, julian("1917-09-14"), "text") == ()
    # Nor is a date whose calendar the text does not state.
    assert compute_flags(parse_when("1917-09-20", "unknown"), None, julian("1917-09-14"),
                         "reference") == ()


def test_correct_pairs_and_dates_are_not_flagged():
    reference = julian("1917-09-14")
    assert compute_flags(julian("1917-09-14"), gregorian("1917-09-27"), reference,
                         "reference") == ()
    # Month-precision and range dates that contain the reference are not differences.
    assert compute_flags(julian("1917-09"), None, reference, "reference") == ()
    assert compute_flags(julian("1917-09-13/1917-09-15"), None, reference, "reference") == ()
    assert compute_flags(gregorian("1917-09-27"), None, reference, "reference") == ()
    # A day in a reference range, on the New Style side of it.
    assert compute_flags(gregorian("1918-01-19"), None, julian("1918-01-05/1918-01-06"),
                         "reference") == ()
    # The morning of a reference night; a night with the reference's evening.
    night = julian("1917-09-14", night=True)
    assert compute_flags(julian("1917-09-15"), None, night, "reference") == ()
    assert compute_flags(gregorian("1917-09-27", night=True), None, night, "reference") == ()
    assert kinds(compute_flags(julian("1917-09-15", night=True), None, night,
                               "reference")) == [("reference", 0, 1)]


def test_which_readings_of_a_pair_agree():
    night = julian("1917-10-25", night=True)  # 25–26 October O.S., 7–8 November N.S.
    agree = [gregorian("1917-11-08"),  # named by its morning: «in der Nacht zum 8. November»
             gregorian("1917-11-07"),  # named by its evening: «the night of 7 November»
             gregorian("1917-11-07", night=True),
             gregorian("1917-11-07/1917-11-08")]  # the two days it spans
    disagree = [gregorian("1917-11-08", night=True), gregorian("1917-11-06"),
                gregorian("1917-11-09"), gregorian("1917-11-07/1917-11-09"),
                gregorian("1917-11")]
    for paired in agree:
        assert pair_agrees(night, paired), paired
        assert compute_flags(night, paired, julian("1917-10-25"), "reference") == ()
    for paired in disagree:
        assert not pair_agrees(night, paired), paired
    # A day paired with a night: the same rule, from the other side.
    assert pair_agrees(julian("1917-10-26"), gregorian("1917-11-07", night=True))
    assert not pair_agrees(julian("1917-10-27"), gregorian("1917-11-07", night=True))
    # Days, months and ranges: the same days.
    assert pair_agrees(julian("1917-10-25"), gregorian("1917-11-07"))
    assert not pair_agrees(julian("1917-10-25"), gregorian("1917-11-08"))


def test_the_natural_entry_of_a_dual_dated_night_is_not_flagged(fixture_project):
    events, findings = load(fixture_project)
    assert findings.items == []
    mention = the_night(events)
    assert mention.when.precision == "night" and mention.paired.precision == "day"
    assert mention.paired.start.gregorian() == (1917, 11, 8)
    assert mention.flags == ()


@pytest.mark.parametrize("paired", ["{date: 1917-11-07, night: true}", "1917-11-07/1917-11-08",
                                    "{date: 1917-11-08}"])
def test_a_dual_dated_night_paired_as_a_night_or_its_days_is_not_flagged(fixture_project,
                                                                           paired):
    edit(fixture_project, DE_NIGHT, f"         paired: {paired}}}")
    events, findings = load(fixture_project)
    assert findings.items == []
    assert the_night(events).flags == ()
    code, printed = check(fixture_project, "--strict")
    assert code == 0 and "note:" not in printed, printed


def test_a_wrong_paired_night_is_flagged_and_checked_as_a_note(fixture_project):
    line = edit(fixture_project, DE_NIGHT, "         paired: {date: 1917-11-08, night: true}}")
    mention_line = line_of(fixture_project, "at: de-1")
    events, findings = load(fixture_project)
    (flag,) = the_night(events).flags
    assert flag.kind == "pair" and flag.days == 1 and not flag.matches_in_other_calendar
    assert [d.gregorian() for d in flag.expected.span] == [(1917, 11, 7), (1917, 11, 8)]
    assert [(f.level, f.line) for f in findings.items] == [("note", mention_line)]
    assert mention_line <= line
    code, printed = check(fixture_project, "--strict")
    assert code == 0, "a flag is for the editors to review: it fails nothing, not even --strict"
    notes = [x for x in printed.split("\n") if x.startswith(f"{CHRONOLOGY}:{mention_line}:")]
    assert notes == [f"{CHRONOLOGY}:{mention_line}: note: congress, de-1: by the calendars, the "
                     "night of October 25–26, 1917 O.S. is the night of November 7–8, 1917 "
                     "N.S.; the text pairs it with the night of November 8–9, 1917 "
                     "[chronology-flag]"]


TWO_WRONG = ("         date: 1917-10-25, night: true, calendar: julian, basis: stated,\n"
             "         paired: 1917-11-08}",
             "         date: 1917-10-26, night: true, calendar: julian, basis: stated,\n"
             "         paired: 1917-11-12}")


def test_every_discrepancy_of_a_mention_is_flagged_and_checked(fixture_project):
    # The night of 26–27 October O.S. for an event of the 25th, paired with a wrong day.
    edit(fixture_project, *TWO_WRONG)
    mention_line = line_of(fixture_project, "at: de-1")
    events, _ = load(fixture_project)
    assert kinds(the_night(events).flags) == [("pair", 0, 4), ("reference", 0, 1)]
    code, printed = check(fixture_project, "--strict")
    assert code == 0
    notes = [x for x in printed.split("\n") if x.startswith(f"{CHRONOLOGY}:{mention_line}:")]
    assert len(notes) == 3 and all(" note: congress, de-1: " in x for x in notes), printed
    # The quote has 8 (November), the data 12: maybe a slip in the data, reviewed first.
    assert notes[0].endswith("the quote has 26 and 8 but not 12, the day of its 'paired' "
                             "[chronology-quote]")
    assert "November 8–9, 1917 N.S.; the text pairs it with November 12, 1917" in notes[1]
    assert notes[2].endswith("differs from the reference date, October 25 (November 7), 1917 "
                             "O.S. (N.S.): 1 day later [chronology-flag]")
    assert "0 errors, 0 warnings, 3 " in printed


def test_every_flag_of_a_mention_is_printed_in_the_chronology(fixture_project, tmp_path):
    edit(fixture_project, *TWO_WRONG)
    out = tmp_path / "out"
    assert main(["epub", "--edition", "mini", "--out", str(out)], stdout=io.StringIO(),
                project=fixture_project) == 0
    with zipfile.ZipFile(out / "mini" / "mini.epub") as epub:
        page = next(epub.read(n).decode() for n in epub.namelist()
                    if n.endswith("chronology.xhtml"))
    namespaces = {"x": "http://www.w3.org/1999/xhtml"}
    (row,) = etree.fromstring(page.encode()).xpath("//*[@id='chron-congress']",
                                                    namespaces=namespaces)
    (german,) = row.xpath(".//x:li[x:a[@href='text-de.xhtml#de-1-q1']]", namespaces=namespaces)
    flags = [" ".join("".join(f.itertext()).replace(WORD_JOINER, "").split())
             for f in german.xpath("x:span[@class='flag']", namespaces=namespaces)]
    assert len(flags) == 2, flags
    assert flags[0].startswith("‼\ufe0e By the calendars, night of October 26–27, 1917 O.S. is "
                               "night of November 8–9, 1917 N.S., not November 12, 1917."), \
        flags[0]
    assert "The reference date is" in flags[1] and "1 day later" in flags[1]
    # The other texts' mentions of the event carry none.
    assert len(row.xpath(".//x:span[@class='flag']", namespaces=namespaces)) == 2


def test_notes_never_fail_a_check():
    findings = Findings()
    findings.note("chronology-flag", "a flag", Path("x.yaml"), 3)
    findings.warn("x", "acknowledged", acknowledged=True)
    assert [f.level for f in findings.items] == ["note", "note"]
    assert findings.failing(strict=True) == [] and findings.failing(strict=False) == []
    findings.warn("x", "a warning")
    assert [f.level for f in findings.failing(strict=True)] == ["warning"]


def test_every_quote_is_verbatim_at_its_anchor(fixture_project):
    events, findings = load(fixture_project)
    assert findings.items == []
    paragraphs = {p.id: p for t in load_texts(fixture_project / "sources").values()
                  for p in t.paragraphs}
    mentions = [m for event in events.values() for m in event.mentions]
    for mention in mentions:
        assert mention.quote in words_of(paragraphs[mention.anchor])
        assert mention.anchor.startswith(mention.text + "-")
    assert {m.text for m in mentions} == {"gr", "rs", "pol", "de"}

@pytest.mark.parametrize(
    ("lang", "day", "month", "span"),
    [
        # CLDR sets a narrow no-break space before the Russian «г.»
        ("ru", "25 октября (7 ноября) 1917\u202fг.", "октябрь (октябрь – ноябрь) 1917",
         "3–24 июня (16 июня – 7 июля) 1917\u202fг."),
        ("el", "25 Οκτωβρίου (7 Νοεμβρίου) 1917", "Οκτώβριος (Οκτώβριος – Νοέμβριος) 1917",
         "3–24 Ιουνίου (16 Ιουνίου – 7 Ιουλίου) 1917"),
        ("pl", "25 października (7 listopada) 1917", "październik (październik – listopad) 1917",
         "3–24 czerwca (16 czerwca – 7 lipca) 1917"),
        ("en", "October 25 (November 7), 1917", "October (October – November) 1917",
         "June 3–24 (June 16 – July 7), 1917"),
        # The first day of a range takes the form the last has: "3.–24.", never "3–24."
        ("de", "25. Oktober (7. November) 1917", "Oktober (Oktober – November) 1917",
         "3.–24. Juni (16. Juni – 7. Juli) 1917"),
        ("cs", "25. října (7. listopadu) 1917", "říjen (říjen – listopad) 1917",
         "3.–24. června (16. června – 7. července) 1917"),
    ],
)
def test_formatting_in_each_apparatus_language(lang, day, month, span):
    assert format_dual(parse_when("1917-10-25", "julian"), lang) == day
    assert format_dual(parse_when("1917-10", "julian"), lang) == month
    assert format_dual(parse_when("1917-06-03/1917-06-24", "julian"), lang) == span
    # After the switch, New Style alone; across a year's end, each date with its year.
    assert "1918" in format_dual(parse_when("1918-03-03", "gregorian"), lang)
    assert "(" not in format_dual(parse_when("1918-03-03", "gregorian"), lang)
    assert format_dual(parse_when("1917-12-20", "julian"), lang).count("191") == 2


def test_a_flag_is_a_note_of_the_editions_that_print_its_text(fixture_project):
    # The German text's date of the peace a day late: mini prints it, mini-pl does not.
    line = edit(fixture_project, "date: 1918-03-03, calendar: gregorian,\n         basis",
                "date: 1918-03-04, calendar: gregorian,\n         basis")
    flag = f"sources/chronology.yaml:{line}: note: peace, de-2: the text's date"
    counted = {}
    for options in ((), ("--edition", "mini"), ("--edition", "mini-pl")):
        out = io.StringIO()
        assert main(["check", *options], stdout=out, project=fixture_project) == 0
        counted[options] = (flag in out.getvalue(),
                            re.search(r"(\d+) notes? \(", out.getvalue())[1])
    # Its flag, and the quote's 3 that is not the data's 4: both notes about the German text.
    assert counted == {(): (True, "2"), ("--edition", "mini"): (True, "2"),
                       ("--edition", "mini-pl"): (False, "0")}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    date: 1918-03-03\n    calendar: gregorian",
         "    date: 1918-02-05/1918-02-06\n    calendar: julian", "after 31 January 1918"),
        ("    date: 1917-02-23\n    calendar: julian",
         "    date: 1917-02-23\n    calendar: byzantine", "unknown calendar"),
        ('quote: "Am 3. März 1918"', 'quote: "Am 4. März 1918"', "is not in paragraph de-2"),
        # The passage meant is shown; letters alike to the eye by their code points.
        ('quote: "Am 3. März 1918"', 'quote: "Am 3. Marz 1918"',
         "hint: the paragraph has «Am 3. März 1918»: copy the words exactly as the text has "
         "them"),
        ('quote: "Am 3. März 1918"', 'quote: "Am 3. Ma\u0308rz 1918"',
         "hint: the paragraph has «Am 3. März 1918» (U+0061 LATIN SMALL LETTER A, U+0308 "
         "COMBINING DIAERESIS in the quote; U+00E4 LATIN SMALL LETTER A WITH DIAERESIS in the "
         "text): copy"),
        ('quote: "Am 3. März 1918"', 'quote: "Nie im Leben"',
         "is not in paragraph de-2 [chronology]\n  hint: copy the words exactly"),
        ("    date: 1917-10-25", "    date: 1917-09-31", "not a day of the Julian calendar"),
        ("    date: 1917-10-25", "    date: 0000-10-25", "'0000-10-25' is no year a book can "
         "print: years run from 1 to 9999, in both calendars"),
        ("         paired: 1917-11-08}", "         paired: {date: 1917-11-07, nigth: true}}",
         "unknown key 'nigth' in 'paired'"),
        ("         paired: 1917-11-08}", "         paired: {night: true}}",
         "needs its 'date'"),
        ("         paired: 1917-11-08}", "         paired: {date: 1917-11, night: true}}",
         "a night is given by the day of its evening"),
        ("         paired: 1917-11-08}", "         paired: {date: 1917-11-07, night: 1}}",
         "'paired' 'night' must be"),
        ("      en: Demonstrations", "      en: " + "Demonstrations " * 400,
         "the label of event 'demonstrations' in 'en' is 5,999 characters long, more than the "
         "5,000"),
    ],
)
def test_bad_chronology_data_is_an_error_with_its_line(fixture_project, tmp_path, old, new,
                                                       message):
    line = edit(fixture_project, old, new)
    out = io.StringIO()
    code = main(["epub", "--out", str(tmp_path / "o")], stdout=out, project=fixture_project)
    assert code == 1
    assert not (tmp_path / "o").exists()
    report = out.getvalue()
    assert message in report
    # The line named is the changed one, or the mention or event it belongs to.
    named = [int(x) for x in re.findall(r"sources/chronology\.yaml:(\d+):", report)]
    assert named and all(line - 3 <= n <= line + 1 for n in named), (line, report)


@pytest.mark.parametrize(("old", "new", "noted"), [
    # A mistyped paired date: the quote has 25 and 7, the data says 8.
    ("basis: stated, paired: 1917-11-07}", "basis: stated, paired: 1917-11-08}",
     "pol-1: the quote has 25 and 7 but not 8, the day of its 'paired'"),
    ("quote: \"στις 23 Φεβρουαρίου 1917\", date: 1917-02-23",
     "quote: \"στις 23 Φεβρουαρίου 1917\", date: 1917-02-24",
     "gr-1: the quote has 23 but not 24, the day of its 'date'"),
    # A night is named by its evening or its morning: its figures are not the data's day.
    ("         paired: 1917-11-08}", "         paired: {date: 1917-11-09, night: true}}", None),
])
def test_a_day_the_quote_does_not_give_is_a_note_at_the_mention(fixture_project, old, new,
                                                                  noted):
    line = edit(fixture_project, old, new)
    code, printed = run_check(fixture_project, "--strict")
    mention = max(n for n in mention_lines(fixture_project) if n <= line)
    assert code == 0  # a figure may be an hour or a count: the editors decide
    if noted is None:
        assert "[chronology-quote]" not in printed, printed
        return
    assert f"{CHRONOLOGY}:{mention}: note: " in printed and noted in printed, printed
    assert "hint: check '" in printed


def run_check(project: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", *argv], stdout=out, project=project)
    return code, out.getvalue()


def mention_lines(project: Path) -> list[int]:
    lines = (project / CHRONOLOGY).read_text(encoding="utf-8").split("\n")
    return [i for i, text in enumerate(lines, 1) if text.lstrip().startswith("- {text:")]


def test_a_day_in_words_is_left_to_the_editors():
    from book.chronology import _day_not_quoted

    ninth = parse_when("1917-03-09", "gregorian")
    assert _day_not_quoted(ninth, "am neunten März 1917") is None
    assert _day_not_quoted(ninth, "am 8. März 1917") == (9, "8")
    assert _day_not_quoted(ninth, "am 9. März 1917") is None
    # An hour, a count: not days.
    for quote in ("am neunten März um 10:40", "um 2.30 Uhr", "12.000 Soldaten", "12,5 Prozent"):
        assert _day_not_quoted(ninth, quote) is None, quote


@pytest.mark.parametrize(("written", "message", "hint"), [
    # A text id that no text has: said so, with the one meant.
    ("{text: dee, at: de-2,", "no text has the id 'dee' (did you mean 'de'?)",
     "a mention's text is the id in the header of the text it quotes: de, gr, pol, rs"),
    # A paragraph of another text: that text named.
    ("{text: gr, at: de-2,", "paragraph 'de-2' is in the de text, not the gr text",
     "write text: de, or the paragraph meant"),
    ("{text: de, at: de-99,", "the de text has no paragraph 'de-99'",
     "the comments at the top of sources/chronology.yaml give the form of events"),
])
def test_a_mention_of_a_text_or_paragraph_not_there_says_which_is_wrong(fixture_project,
                                                                        written, message, hint):
    line = edit(fixture_project, "{text: de, at: de-2,", written)
    _, findings = load(fixture_project)
    (found,) = [f for f in findings.items if f.level == "error"]
    assert (found.message, found.hint, found.line) == (message, hint, line)


@pytest.mark.parametrize(("key", "said"), [
    ("1917", "1917 is not a language tag (such as en, ru, el, pl)"),
    ("cz", "unknown language tag 'cz'"),
])
def test_a_label_under_no_language_tag_is_refused_at_its_line(fixture_project, key, said):
    line = edit(fixture_project, "      en: Demonstrations\n",
                f"      en: Demonstrations\n      {key}: x\n") + 1
    _, findings = load(fixture_project)
    (found,) = [f for f in findings.items if f.level == "error"]
    assert found.line == line and found.message.startswith(
        f"the label of event 'demonstrations': {said}"), found
