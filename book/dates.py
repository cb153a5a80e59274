"""Dates in the apparatus language, by Babel: both calendars, "25 октября (7 ноября) 1917 г."

Day-and-month forms take the genitive where the language has one (Babel's format context);
months alone take the nominative (`LLLL y`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

from babel.dates import format_date, format_interval, format_skeleton

from .calendars import GREGORIAN, JULIAN, UNKNOWN
from .model import When

# The dash of a range as CLDR writes it, spaces and all.
RANGE_DASH = re.compile(r"\s*[–—]\s*")


def format_dual(when: When, lang: str) -> str:
    """Old Style with New Style in brackets; New Style alone once Russia had adopted it, and
    the date as written when its calendar is unknown."""
    if when.calendar == UNKNOWN:
        return format_single(when, lang)
    first, last = when.span
    ns = (first.gregorian(), last.gregorian())
    os = (first.old_style, last.old_style)
    if os[1] is None:
        return _format_span(*ns, when.precision, lang)
    if when.precision == "month":
        return _format_months(os, ns, lang)
    if os[0][0] == os[1][0] == ns[0][0] == ns[1][0]:
        both = f"{_day_months(*os, lang)} ({_day_months(*ns, lang)})"
        return _with_year(both, os[1], lang)
    return f"{_format_span(*os, 'day', lang)} ({_format_span(*ns, 'day', lang)})"


def format_single(when: When, lang: str) -> str:
    """The date in its own calendar only, as a text wrote it."""
    first, last = when.span
    return _format_span(first.in_calendar(when.calendar), last.in_calendar(when.calendar),
                        when.precision, lang)


def _format_span(first, last, precision, lang) -> str:
    if precision == "month":
        return format_date(_month(first), "LLLL y", locale=lang)
    if first[0] != last[0]:
        return f"{_long(first, lang)} – {_long(last, lang)}"
    return _with_year(_day_months(first, last, lang), last, lang)


def _format_months(os, ns, lang) -> str:
    os_month = format_date(_month(os[0]), "LLLL", locale=lang)
    ns_months = format_date(_month(ns[0]), "LLLL", locale=lang)
    if ns[0][:2] != ns[1][:2]:
        ns_months += " – " + format_date(_month(ns[1]), "LLLL", locale=lang)
    return f"{os_month} ({ns_months}) {format_date(_month(os[0]), 'y', locale=lang)}"


def _day_months(first, last, lang) -> str:
    """'25 октября', '3–24 июня', '3.–24. června', '16 июня – 7 июля' (no year)."""
    end = format_skeleton("MMMMd", _day_month(last), locale=lang)
    if first == last:
        return end
    if first[:2] == last[:2]:
        # The language's own range within a month (CLDR's), with the book's dash: an en dash,
        # unspaced ("July 3–5", not CLDR's "July 3 – 5"; "3–5 июля", not "3—5 июля").
        return RANGE_DASH.sub("–", format_interval(_day_month(first), _day_month(last),
                                                   "MMMMd", locale=lang), count=1)
    return f"{format_skeleton('MMMMd', _day_month(first), locale=lang)} – {end}"


def _with_year(day_months: str, some_day, lang) -> str:
    """Day and month set into the language's long date pattern, year and all ('1917 г.')."""
    year, month, day = some_day
    d = Date(year, month, min(day, 28))  # a day of it Python has: its day-month is replaced
    return format_date(d, "long", locale=lang).replace(
        format_skeleton("MMMMd", d, locale=lang), day_months, 1)


def _long(day, lang) -> str:
    return _with_year(_day_months(day, day, lang), day, lang)


# Babel formats Python's dates, which are Gregorian: an Old Style day is formatted by its day
# and month (in a leap year, for 29 February 1900 O.S.) and its year, each on its own.
def _day_month(day: Ymd) -> Date:
    return Date(2000, day[1], day[2])


def _month(day: Ymd) -> Date:
    return Date(day[0], day[1], 1)



NO_BREAK = "\u00a0"
WORD_JOINER = "\u2060"  # no break here, and nothing drawn
# Where a narrow column may break a date the book prints: after a spaced range's dash, and
# before the other calendar's date in brackets; every other space of it is a no-break one. A
# dash between days ("9–13") would break after it too: a word joiner holds the days together.
INNER_SPACE = re.compile(r"(?<!–) (?!\()")
JOINED_DASH = re.compile(r"–(?=\S)")


def unbreakable(date: str) -> str:
    """`date` as the book prints it: "25 October (7 November) 1917" breaks before the bracket
    alone, "July 26 – August 3" after the dash alone, "9–13 June" nowhere."""
    return JOINED_DASH.sub("–" + WORD_JOINER, INNER_SPACE.sub(NO_BREAK, date))


# The chronology's columns.
Ymd = tuple[int, int, int]


def leading(when: When) -> tuple[str, Ymd, Ymd]:
    """The column a chronology row's date leads in, with its first and last day there: "old"
    (Old Style, while Russia used it, with the New Style beside it), "new" (New Style alone,
    after the switch) or "written" (a calendar the text does not state: the date as written).
    Rows are filed by these days, so that they stand in the order of the dates they show."""
    first, last = when.span
    if when.calendar == UNKNOWN:
        return "written", first.in_calendar(UNKNOWN), last.in_calendar(UNKNOWN)
    if last.old_style is None:
        return "new", first.gregorian(), last.gregorian()
    return "old", first.old_style, last.old_style


@dataclass(frozen=True)
class RowDate:
    """A chronology row's date as its columns print it: `year`, the year of the group it is
    filed under, and each column's day or days, without that year (with their own where they
    fall in another); "" where a column has none."""

    year: int
    old_style: str = ""
    new_style: str = ""
    as_written: str = ""


def row_date(when: When, lang: str) -> RowDate:
    column, first, last = leading(when)
    year = first[0]
    # A month is a month in its own calendar only; in the other it is the days it covers.
    own = {"written": when.calendar, "new": GREGORIAN, "old": JULIAN}[column]
    shown = _column(first, last, _precision(when, own), lang, year)
    if column == "written":
        return RowDate(year, as_written=shown)
    if column == "new":
        return RowDate(year, new_style=shown)
    start, end = when.span
    return RowDate(year, old_style=shown, new_style=_column(
        start.gregorian(), end.gregorian(), _precision(when, GREGORIAN), lang, year))


def _precision(when: When, calendar: str) -> str:
    return "range" if when.precision == "month" and when.calendar != calendar \
        else when.precision


def _column(first: Ymd, last: Ymd, precision: str, lang: str, year: int) -> str:
    if precision == "month":
        months = [first] if first[:2] == last[:2] else [first, last]
        pattern = "LLLL" if all(day[0] == year for day in months) else "LLLL y"
        text = " – ".join(format_date(_month(day), pattern, locale=lang) for day in months)
    elif first[0] == last[0] == year:
        text = _day_months(first, last, lang)
    else:
        text = _format_span(first, last, "day", lang)
    return unbreakable(text)
