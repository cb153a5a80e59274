"""Stage 2d: the comparative chronology, its dates computed in both calendars and checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .calendars import CALENDARS, GREGORIAN, JULIAN, UNKNOWN, CalendarError, Day
from .dates import format_dual, format_single, leading
from .errors import did_you_mean
from .fidelity import nearest_passage, words_of
from .findings import Findings
from .keys import Key
from .languages import tag_problem
from .model import Event, Flag, Mention, Text, When
from .spacing import regular_words
from .yamldata import key_lines, length_problem, read_data_file, type_problem, value_node

SOURCES = ("reference", "text")
BASES = ("stated", "assumed", "unknown")
DATE_FORMS = "1917-10-25 (a day), 1917-10 (a month), 1917-06-03/1917-06-24 (a range)"
# Each key of an event, of a mention, and of a paired date written as a mapping.
EVENT_KEYS = {
    "id": Key((str,), True, "the event's id, used in the chronology's anchors"),
    "date": Key((str, int), True, f"its reference date, in its own calendar: {DATE_FORMS}"),
    "night": Key((bool,), False, "true: the date is the evening of a night", "false"),
    "calendar": Key((str,), True, "the calendar of the date (unknown: only for an event a "
                    "text alone dates, in a calendar it does not name)",
                    allowed=("julian", "gregorian", "unknown")),
    "source": Key((str,), True, "reference: dated by the standard histories; text: only as "
                  "our texts date it", allowed=SOURCES),
    "label": Key((dict,), True, "what happened, by apparatus language (en:, ru:…)"),
    "mentions": Key((list,), False, "how each text names and dates the event", "none"),
}
MENTION_KEYS = {
    "text": Key((str,), True, "the id of the text that names the event"),
    "at": Key((str,), True, "the id of the paragraph that names it"),
    "quote": Key((str,), True, "the paragraph's words that name it, verbatim"),
    "date": Key((str, int), False, f"the date as the text states it: {DATE_FORMS}",
                "the text does not date it"),
    "night": Key((bool,), False, "true: the text's date is the evening of a night", "false"),
    "calendar": Key((str,), False, "the calendar of the text's date",
                    allowed=("julian", "gregorian", "unknown")),
    "basis": Key((str,), False, "whether the text names its calendar (stated) or its usage "
                 "implies it (assumed)", allowed=BASES),
    "paired": Key((str, int, dict), False, "the date the text gives in the other calendar: "
                  "a date, or {date, night: true} for a night"),
}
PAIRED_KEYS = {
    "date": Key((str, int), True, "the paired date (a night: its evening)"),
    "night": Key((bool,), False, "true: the paired date is a night", "false"),
}
DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_when(value: Any, calendar: str, night: bool = False) -> When:
    """'1917-10-25', '1917-10' or '1917-06-03/1917-06-24' in `calendar`; raises ValueError."""
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}; use one of {', '.join(CALENDARS)}")
    text = str(value)
    first, _, last = text.partition("/")
    try:
        start, start_precision = _parse_one(first, calendar, end=False)
        end, end_precision = _parse_one(last, calendar, end=True) if last else _parse_one(
            first, calendar, end=True)
    except NotADate:
        raise ValueError(_not_a_date(text, calendar)) from None
    if end < start:
        raise ValueError(f"the range {text!r} ends before it starts")
    precision = "range" if last else start_precision
    if night:
        if precision != "day":
            raise ValueError("a night is given by the day of its evening, e.g. 1917-10-25")
        precision = "night"
    return When(calendar, start, end, precision)


class NotADate(ValueError):
    """A part of a date that is not written as the data writes dates."""


# Dates as people write them, read only to suggest the form above: year first with other
# separators or no leading zeros (1917-11-7, 1917/11/07), and day first with full stops, as
# Russian, Greek, Polish and German write it (7.11.1917). A day first with slashes could be a
# month first too, and gets no suggestion.
LOOSE = (re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})(?:[-./](?P<d>\d{1,2}))?$"),
         re.compile(r"^(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})$"))


def _not_a_date(text: str, calendar: str) -> str:
    """What to say of `text`, which is no date as the data writes it: the date in that form
    where it is sure what was meant (the whole of it, or each end of a range), and a day of
    the calendar."""
    for parts in ([text], text.split("/")):
        forms = [_loose(part.strip(), calendar) for part in parts]
        if len(parts) <= 2 and all(forms):
            return f"{text!r} is not a date as the data writes it: write {'/'.join(forms)}"
    return (f"{text!r} is not a date: write 1917-10-25, 1917-10, or a range "
            "1917-06-03/1917-06-24")


def _loose(text: str, calendar: str) -> str | None:
    meant = next((m for m in (p.match(text) for p in LOOSE) if m), None)
    if meant is None:
        return None
    year, month, day = int(meant["y"]), int(meant["m"]), int(meant["d"] or 1)
    try:
        Day.from_calendar(calendar, year, month, day)
    except (CalendarError, ValueError):
        return None
    return f"{year:04}-{month:02}" + (f"-{day:02}" if meant["d"] else "")


def _parse_one(text: str, calendar: str, end: bool) -> tuple[Day, str]:
    day, precision = _parse_day(text, calendar, end)
    # The years a book prints, in both calendars: year 1 O.S. begins in 1 B.C. N.S.
    if not all(1 <= year <= 9999 for year in (day.julian()[0], day.gregorian()[0])):
        raise CalendarError(f"{text.strip()!r} is no year a book can print: years run from 1 "
                            "to 9999, in both calendars")
    return day, precision


def _parse_day(text: str, calendar: str, end: bool) -> tuple[Day, str]:
    match = DATE.match(text.strip())
    if not match or not match.group(2):
        raise NotADate(text)
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3):
        return Day.from_calendar(calendar, year, month, int(match.group(3))), "day"
    if not 1 <= month <= 12:
        raise CalendarError(f"{text!r}: there is no month {month}")
    if not end:
        return Day.from_calendar(calendar, year, month, 1), "month"
    next_month = Day.from_calendar(calendar, year + month // 12, month % 12 + 1, 1) \
        if (calendar != JULIAN or (year, month) < (1918, 1)) else None
    if next_month is None:  # January 1918 O.S.: the month Russia left the Julian calendar
        return Day.from_calendar(calendar, year, month, 31), "month"
    return next_month + -1, "month"


def load_chronology(path: Path, texts: dict[str, Text], findings: Findings) -> list[Event]:
    """The events in date order, with each mention's flags computed."""
    data, root = read_data_file(path, findings, "chronology")
    if root is None:
        return []
    if not isinstance(data, dict) or set(data) != {"events"} or not isinstance(data["events"],
                                                                                list):
        events_key = next((k for k, _ in root.value if k.value == "events"), None) \
            if isinstance(root, yaml.MappingNode) else None
        findings.error("chronology", "the file must hold one key, 'events', a list", path,
                       (events_key or root).start_mark.line + 1)
        return []
    events_node = next(v for k, v in root.value if k.value == "events")
    paragraphs = {p.id: (t, p) for t in texts.values() for p in t.paragraphs}
    events: list[Event] = []
    seen: set[str] = set()
    for item, node in zip(data["events"], events_node.value, strict=True):
        line = node.start_mark.line + 1
        event = _event(item, node, path, line, paragraphs, findings)
        if event is None:
            continue
        if event.id in seen:
            findings.error("chronology", f"the event id {event.id!r} is used twice", path, line)
            continue
        seen.add(event.id)
        events.append(event)
    return sorted(events, key=filing_key)


def filing_key(event: Event) -> tuple:
    """Where an event's row stands: by the days its date shows, in the column it leads in
    (book/dates.py). Not by its absolute day: a date whose calendar the text does not state is
    shown as written, among Old Style dates, and must be filed as written too."""
    _, first, last = leading(event.when)
    return first, last, event.id


def _event(item, node, path, line, paragraphs, findings) -> Event | None:
    def error(message: str, at: int = line, hint: str | None = None) -> None:
        findings.error("chronology", message, path, at, hint)

    if not isinstance(item, dict):
        error("an event must be a mapping")
        return None
    lines = key_lines(node)
    for key in sorted(set(item) - set(EVENT_KEYS), key=str):
        error(f"unknown key {key!r} in an event", lines.get(str(key), line),
              "allowed: " + ", ".join(sorted(EVENT_KEYS)))
    missing = {"id", "date", "calendar", "source", "label"} - set(item)
    if missing:
        error(f"the event lacks {', '.join(sorted(missing))}")
        return None
    if _wrong_types(item, EVENT_KEYS, lambda message, key: error(message, lines.get(key, line))):
        return None
    if item["source"] not in SOURCES:
        error(f"source must be one of {', '.join(SOURCES)}", lines["source"])
    # Labels by language tag; an edition needs the one in its own language (book/wordings.py).
    label_lines = key_lines(value_node(node, "label"))
    if not item["label"]:
        error(f"event {item['id']!r} has no label", lines["label"],
              "give the label in each apparatus language: en, ru, el, pl…")
    for lang, label in item["label"].items():
        if problem := tag_problem(lang):
            error(f"the label of event {item['id']!r}: {problem}",
                  label_lines.get(str(lang), lines["label"]),
                  "a label is given by language tag: en, ru, el, pl, de…")
        elif problem := (type_problem(f"the label of event {item['id']!r} in {lang!r}", label,
                                      str)
                         or length_problem(f"the label of event {item['id']!r} in {lang!r}",
                                           label)):
            error(problem, label_lines.get(lang, line))
    if item["calendar"] not in EVENT_KEYS["calendar"].allowed:
        error(f"unknown calendar {item['calendar']!r}", lines["calendar"],
              "use one of: " + ", ".join(EVENT_KEYS["calendar"].allowed))
        return None
    # The standard histories date an event in a calendar; only a text may leave it unsaid.
    if item["calendar"] == UNKNOWN and item["source"] != "text":
        error("a reference date is in the julian or the gregorian calendar",
              lines["calendar"], "'unknown' is for an event only a text dates (source: text)")
        return None
    try:
        when = parse_when(item["date"], item["calendar"], bool(item.get("night")))
    except ValueError as problem:
        error(str(problem), lines["date"])
        return None
    mentions = []
    mention_nodes = value_node(node, "mentions")
    for mention, mention_node in zip(item.get("mentions") or [],
                                     mention_nodes.value if mention_nodes else [], strict=False):
        found = _mention(mention, mention_node, path, when, item["source"], paragraphs, findings,
                         str(item["id"]))
        if found is not None:
            mentions.append(found)
    return Event(str(item["id"]), when, item["source"], dict(item["label"]), tuple(mentions))


def _mention(item, node, path, reference, source, paragraphs, findings,
             event_id) -> Mention | None:
    line = node.start_mark.line + 1

    def error(message: str, hint: str | None = None) -> None:
        findings.error("chronology", message, path, line, hint)

    if not isinstance(item, dict) or not {"text", "at", "quote"} <= set(item):
        error("a mention needs 'text', 'at' and 'quote'")
        return None
    for key in sorted(set(item) - set(MENTION_KEYS), key=str):
        error(f"unknown key {key!r} in a mention", "allowed: " + ", ".join(sorted(MENTION_KEYS)))
    if _wrong_types(item, MENTION_KEYS, lambda message, key: error(message)):
        return None
    found = paragraphs.get(item["at"])
    if found is None or found[0].id != item["text"]:
        known = sorted({text.id for text, _ in paragraphs.values()})
        if item["text"] not in known:
            error(f"no text has the id {item['text']!r}" + did_you_mean(item["text"], known),
                  "a mention's text is the id in the header of the text it quotes: "
                  + ", ".join(known))
        elif found is not None:
            error(f"paragraph {item['at']!r} is in the {found[0].id} text, not the "
                  f"{item['text']} text", f"write text: {found[0].id}, or the paragraph meant")
        else:
            error(f"the {item['text']} text has no paragraph {item['at']!r}")
        return None
    # The quote spaced as the text is once regularised (book/spacing.py).
    quote = regular_words(str(item["quote"]), found[0])
    if quote not in words_of(found[1]):
        near = nearest_passage(quote, words_of(found[1]))
        error(f"the quote {item['quote']!r} is not in paragraph {item['at']}",
              (f"the paragraph has {near}: " if near else "") + "copy the words exactly as "
              "the text has them")
        return None
    when = paired = None
    calendar = item.get("calendar", UNKNOWN)
    basis = item.get("basis", "unknown")
    if basis not in BASES:
        error(f"basis must be one of {', '.join(BASES)}")
    try:
        if "date" in item:
            when = parse_when(item["date"], calendar, bool(item.get("night")))
        if "paired" in item:
            if calendar not in (JULIAN, GREGORIAN):
                raise ValueError("a paired date needs the calendar of the first one")
            other = GREGORIAN if calendar == JULIAN else JULIAN
            paired = _parse_paired(item["paired"], other)
    except ValueError as problem:
        error(str(problem))
        return None
    for key, dated in (("date", when), ("paired", paired)):
        missing = _day_not_quoted(dated, quote)
        if missing:
            # A note, not a warning: a figure may be an hour or a count, not a day.
            findings.about_text(item["text"]).note(
                "chronology-quote", f"{event_id}, {item['at']}: the quote has {missing[1]} but "
                f"not {missing[0]}, the day of its '{key}'", path, line,
                f"check '{key}' against the quote: a day the data mistypes is read as the "
                "author's, and a flag the book prints can say the text is wrong")
    flags = compute_flags(when, paired, reference, source)
    mention = Mention(item["text"], item["at"], quote, when, basis, paired, flags)
    # Each flag is a note for `check`: the editors review it before the book is printed.
    for flag in flags:
        findings.about_text(mention.text).note(
            "chronology-flag", f"{event_id}, {mention.anchor}: {describe_flag(flag, mention)}",
            path, line)
    return mention


def _day_not_quoted(dated: When | None, quote: str) -> tuple[int, str] | None:
    """(the day of the month of `dated`, the figures the quote has) if the quote has figures
    that could be days but not that one: maybe a slip in the data, which a flag would print
    as the author's. A night, named by its evening or its morning, is left be, and a quote
    without such figures (a day in words)."""
    if dated is None or dated.precision != "day" or dated.calendar == UNKNOWN:
        return None
    day = dated.start.in_calendar(dated.calendar)[2]
    # Figures of one or two digits, not an hour's (10:40, 2.30) nor a thousand's (12.000).
    days = [int(n) for n in re.findall(r"(?<![\d:.,])\d{1,2}(?![\d]|[:.,]\d)", quote)
            if 1 <= int(n) <= 31]
    if not days or day in days:
        return None
    figures = list(dict.fromkeys(map(str, days)))
    return day, " and ".join(filter(None, (", ".join(figures[:-1]), figures[-1])))


def _parse_paired(value: Any, calendar: str) -> When:
    """`paired`: a date (a day, a month or a range) or a mapping for a night."""
    if not isinstance(value, dict):
        return parse_when(value, calendar)
    unknown = sorted(set(value) - set(PAIRED_KEYS), key=str)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} in 'paired'; allowed: "
                         + ", ".join(sorted(PAIRED_KEYS)))
    if "date" not in value:
        raise ValueError("'paired' as a mapping needs its 'date' (and 'night: true' for a "
                         "night)")
    for key, declared in PAIRED_KEYS.items():
        problem = type_problem(f"'paired' {key!r}", value[key], *declared.kinds) \
            if key in value else None
        if problem:
            raise ValueError(problem)
    return parse_when(value["date"], calendar, bool(value.get("night")))


def _wrong_types(item: dict, declared: dict[str, Key], error) -> bool:
    """Report each value of `item` that is not of its declared type; True if there was one."""
    wrong = False
    for key, declared_key in declared.items():
        problem = (type_problem(f"{key!r}", item[key], *declared_key.kinds) or (
            f"{key!r} is empty" if isinstance(item[key], str) and not item[key].strip()
            else None)) if key in item else None
        if problem:
            error(problem, key)
            wrong = True
    return wrong


def compute_flags(when: When | None, paired: When | None, reference: When,
                  source: str) -> tuple[Flag, ...]:
    """Every discrepancy of a text's date, each its own flag. Never a correction."""
    if when is None or when.calendar == UNKNOWN:
        return ()
    flags: list[Flag] = []
    if paired is not None and not pair_agrees(when, paired):
        expected = When(paired.calendar, when.start, when.end, when.precision)
        other_reading = _read_in(when, paired.calendar)
        matches = other_reading is not None and _overlaps(other_reading, reference)
        flags.append(Flag("pair", paired.start - when.start, 0, expected, matches))
        if matches:
            # The pair's flag already says it: the first date is the reference date read in
            # the other calendar, and off it by the calendars' difference read in its own.
            return tuple(flags)
    if source == "reference" and not _overlaps(when, reference):
        years, days = _difference(when, reference)
        flags.append(Flag("reference", days, years, reference))
    return tuple(flags)


def pair_agrees(first: When, paired: When) -> bool:
    """Whether a text's two dates name the same time, by the calendars. Two nights: the same
    evening. A night and a day: the day is the night's evening or its morning (a night is
    named by either: «in der Nacht zum 8. November» by its morning). Otherwise the same days:
    a two-day range is the night it spans."""
    if first.precision == "night" and paired.precision == "night":
        return first.start == paired.start
    for night, day in ((first, paired), (paired, first)):
        if night.precision == "night" and day.precision == "day":
            return day.start in night.span
    return first.span == paired.span


def describe_flag(flag: Flag, mention: Mention) -> str:
    """A flag in words, in English, for `check`."""
    if flag.kind == "pair":
        text = (f"by the calendars, {_single(mention.when)} {_STYLE[mention.when.calendar]} is "
                f"{_single(flag.expected)} {_STYLE[flag.expected.calendar]}; the text pairs it "
                f"with {_single(mention.paired)}")
        if flag.matches_in_other_calendar:
            text += (f"; read as {_STYLE[mention.paired.calendar]}, {_single(mention.when)} is "
                     "the reference date")
        return text
    parts = [_count(flag.years, "year"), _count(flag.days, "day")]
    return (f"the text's date, {_single(mention.when)} {_STYLE[mention.when.calendar]}, "
            f"differs from the reference date, {_night_of(flag.expected)}"
            f"{format_dual(flag.expected, 'en')} {_dual_style(flag.expected)}: "
            f"{' and '.join(p for p in parts if p)}")


_STYLE = {JULIAN: "O.S.", GREGORIAN: "N.S."}


def _dual_style(when: When) -> str:
    """What `format_dual` printed: both calendars, or New Style alone after the switch."""
    if when.calendar == UNKNOWN:
        return ""
    return "O.S. (N.S.)" if when.end.old_style is not None else "N.S."


def _single(when: When) -> str:
    return _night_of(when) + format_single(when, "en")


def _night_of(when: When) -> str:
    return "the night of " if when.precision == "night" else ""


def _count(number: int, unit: str) -> str:
    if not number:
        return ""
    plural = "" if abs(number) == 1 else "s"
    return f"{abs(number)} {unit}{plural} {'later' if number > 0 else 'earlier'}"


def _read_in(when: When, calendar: str) -> When | None:
    """The same written date, read in the other calendar."""
    try:
        y, m, d = when.start.in_calendar(when.calendar)
        start = Day.from_calendar(calendar, y, m, d)
    except CalendarError:
        return None
    return When(calendar, start, start + (when.end - when.start), when.precision)


def _overlaps(when: When, reference: When) -> bool:
    if when.precision == "night" and reference.precision == "night":
        return when.start == reference.start
    (a, b), (c, d) = when.span, reference.span
    return a <= d and c <= b


def _difference(when: When, reference: When) -> tuple[int, int]:
    """(years, days) from the reference to the text's date: a wrong year is told as such,
    and the days counted after it is set right."""
    year = when.start.in_calendar(when.calendar)[0]
    reference_year = reference.start.in_calendar(when.calendar)[0]
    shifted = when
    if year != reference_year:
        candidate = _shift_years(when, reference_year - year)
        if candidate is not None:
            shifted = candidate
    years = year - reference_year if shifted is not when else 0
    if _overlaps(shifted, reference):
        return years, 0
    (a, b), (c, d) = shifted.span, reference.span
    if when.precision == "night" and reference.precision == "night":
        return years, shifted.start - reference.start
    return years, (a - d) if a > d else (b - c)


def _shift_years(when: When, years: int) -> When | None:
    y, m, d = when.start.in_calendar(when.calendar)
    try:
        start = Day.from_calendar(when.calendar, y + years, m, d)
    except CalendarError:
        return None
    return When(when.calendar, start, start + (when.end - when.start), when.precision)
