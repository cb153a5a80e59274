"""The comparative chronology: calendar arithmetic, the 1918 switch, flags, formatting."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from book.calendars import CalendarError, Day, gregorian_to_julian, julian_to_gregorian
from book.chronology import load_chronology, parse_when
from book.cli import main
from book.dates import format_dual
from book.fidelity import words_of
from book.findings import Findings
from book.sources import load_texts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def texts():
    return load_texts(ROOT / "sources")


@pytest.fixture(scope="module")
def events(texts):
    findings = Findings()
    events = load_chronology(ROOT / "sources" / "chronology.yaml", texts, findings)
    assert findings.items == []
    return {e.id: e for e in events}


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


# The reference dates of the standard histories, and their New Style equivalents.
REFERENCE = {
    "womens-day": ("1917-02-23", (1917, 3, 8)),
    "february-mutiny": ("1917-02-27", (1917, 3, 12)),
    "abdication": ("1917-03-02", (1917, 3, 15)),
    "lenin-returns": ("1917-04-03", (1917, 4, 16)),
    "april-theses": ("1917-04-04", (1917, 4, 17)),
    "milyukov-note": ("1917-04-18", (1917, 5, 1)),
    "first-congress": ("1917-06-03", (1917, 6, 16)),
    "june-offensive": ("1917-06-18", (1917, 7, 1)),
    "july-days": ("1917-07-03", (1917, 7, 16)),
    "sixth-congress": ("1917-07-26", (1917, 8, 8)),
    "fall-of-riga": ("1917-08-21", (1917, 9, 3)),
    "kornilov": ("1917-08-27", (1917, 9, 9)),
    "trotsky-chairman": ("1917-09-25", (1917, 10, 8)),
    "cc-vote": ("1917-10-10", (1917, 10, 23)),
    "insurrection": ("1917-10-25", (1917, 11, 7)),
    "second-congress": ("1917-10-25", (1917, 11, 7)),
    "winter-palace": ("1917-10-25", (1917, 11, 7)),
    "decrees-sovnarkom": ("1917-10-26", (1917, 11, 8)),
    "declaration-rights": ("1917-11-02", (1917, 11, 15)),
    "moscow-taken": ("1917-11-02", (1917, 11, 15)),
    "assembly-elections": ("1917-11-12", (1917, 11, 25)),
    "cheka": ("1917-12-07", (1917, 12, 20)),
    "constituent-assembly": ("1918-01-05", (1918, 1, 18)),
}


def test_every_reference_event_is_present_and_converted(events):
    for event_id, (old_style, new_style) in REFERENCE.items():
        event = events[event_id]
        assert event.source == "reference" and event.when.calendar == "julian"
        assert "-".join(f"{n:02}" for n in event.when.start.julian()) == old_style
        assert event.when.start.gregorian() == new_style, event_id
    brest = events["brest-litovsk"]
    assert brest.when.calendar == "gregorian" and brest.when.start.gregorian() == (1918, 3, 3)
    assert brest.when.start.old_style is None
    starts = [e.when.start for e in events.values()]
    assert starts == sorted(starts)


def flags_of(events):
    return {
        (event.id, mention.text, flag.kind, flag.years, flag.days)
        for event in events.values() for mention in event.mentions for flag in mention.flags
    }


def test_flags_are_exactly_the_wrong_dates(events):
    assert flags_of(events) == {
        # Polish pairs that disagree by calendar arithmetic (the first date is the N.S.
        # reference date; the bracket is wrong): 15 XI O.S. is 28 XI N.S., 25 XI is 8 XII.
        ("moscow-taken", "pl", "pair", 0, 17 - 13),
        ("assembly-elections", "pl", "pair", 0, 17 - 13),
        # Texts against the reference dates.
        ("winter-palace", "pl", "reference", 1, -1),  # «w nocy z 6/7 XI 1918r.»
        ("brest-litovsk", "el", "reference", 0, 10),  # «13 Μαρτίου 1918»
        ("lenin-returns", "el", "reference", 0, 1),  # «στις 4 Απρίλη ... επιστρέφει»
        ("second-congress", "el", "reference", 0, 1),  # «στις 26 Οκτωβρίου, ξεκίνησε»
        ("trotsky-chairman", "el", "reference", 0, -16),  # «Στις 9 Σεπτέμβρη»
    }
    moscow = events["moscow-taken"].mentions[0].flags[0]
    assert moscow.expected.start.gregorian() == (1917, 11, 28)
    assert moscow.matches_in_other_calendar


def test_correct_pairs_and_dates_are_not_flagged(events):
    insurrection = next(m for m in events["insurrection"].mentions if m.text == "pl")
    assert insurrection.paired.start == insurrection.when.start and not insurrection.flags
    assert not events["declaration-rights"].mentions[0].flags
    # Month-precision and range dates that contain the reference are not differences.
    assert not any(m.flags for m in events["sixth-congress"].mentions)  # «В августе»
    assert not any(m.flags for m in events["july-days"].mentions)  # 4 July in 3-5 July
    assert not any(m.flags for m in events["constituent-assembly"].mentions)  # 18 I 1918 N.S.


def test_every_quote_is_verbatim_at_its_anchor(events, texts):
    paragraphs = {p.id: p for t in texts.values() for p in t.paragraphs}
    count = 0
    for event in events.values():
        for mention in event.mentions:
            paragraph = paragraphs[mention.anchor]
            assert mention.quote in words_of(paragraph)
            assert mention.anchor.startswith(mention.text + "-")
            count += 1
    assert count >= 40


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


def break_chronology(project_copy, old, new):
    path = project_copy / "sources" / "chronology.yaml"
    source = path.read_text()
    assert old in source
    path.write_text(source.replace(old, new, 1))
    return path, source[:source.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    date: 1918-01-05/1918-01-06", "    date: 1918-02-05/1918-02-06",
         "after 31 January 1918"),
        ("    date: 1917-02-23\n    calendar: julian",
         "    date: 1917-02-23\n    calendar: byzantine", "unknown calendar"),
        ('quote: "Στις 2 Μαρτίου ο τσάρος Νικόλαος"',
         'quote: "Στις 3 Μαρτίου ο τσάρος Νικόλαος"', "is not in paragraph el-22"),
        ("    date: 1917-04-18", "    date: 1917-04-31", "not a day of the Julian calendar"),
    ],
)
def test_bad_chronology_data_is_an_error_with_its_line(project_copy, tmp_path, capsys, old,
                                                       new, message):
    path, line = break_chronology(project_copy, old, new)
    out = io.StringIO()
    code = main(["epub", "--out", str(tmp_path / "o")], stdout=out, project=project_copy)
    assert code == 1
    assert not (tmp_path / "o").exists()
    report = out.getvalue()
    assert message in report
    # The line named is the changed one, or the mention or event it belongs to.
    named = [int(x) for x in re.findall(r"sources/chronology\.yaml:(\d+):", report)]
    assert named and all(line - 3 <= n <= line + 1 for n in named), (line, report)
