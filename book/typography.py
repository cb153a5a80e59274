"""Typography per language, in one table: quotation marks, hyphenation limits, where a space
must not break a line, and which spacing slips are regularised when a text is loaded.

A language is an entry of TYPOGRAPHY, keyed by its primary subtag ('el' serves 'el-polyton');
a language without an entry gets no rules, and so no changes (and WeasyPrint's own
hyphenation limits, not those of the language around it). To add one, copy an entry and edit
its lists: no code changes. The quotation and hyphenation rules are written into
templates/base/css/common.css by `python -m book.typography`; the spaces are bound in the
rendered documents (book/textnodes.py) and the spacing regularised at load (book/spacing.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NBSP = "\u00a0"
# Stands, in the text a spacing rule reads, for a note call just before it.
NOTE_CALL = "\ue000"

# Letter classes the patterns may name as {letter}, {upper} and {lower}: Latin, Greek and
# Cyrillic (Python's re knows no \p{Lu}).
_LETTERS = [chr(c) for c in range(0x41, 0x530)]
CLASSES = {
    "letter": r"[^\W\d_]",
    "upper": "[" + "".join(c for c in _LETTERS if c.isupper()) + "]",
    "lower": "[" + "".join(c for c in _LETTERS if c.islower()) + "]",
    "call": NOTE_CALL,
}


@dataclass(frozen=True)
class SpacingRule:
    """A spacing slip and its mending. `pattern` finds it; its group `space` is the whitespace
    (perhaps none) that `space` replaces. A rule can only change whitespace: the engine skips
    a match whose group holds anything else."""

    kind: str  # what it mends: the note on the texts counts each kind, in its own words
    pattern: str
    space: str  # "" or " "


# The slips of typed text in the languages of the book. Decimals (3.5, 1.000), abbreviations
# (ό.π., т.е., Π.Ν.), ellipses and URLs are left alone: a letter must follow, a full stop
# needs a word of two letters before it, and URLs are skipped (spacing.py).
SPACING = (
    SpacingRule("after-note-call", r"(?<={call})(?P<space>)(?={letter})", " "),
    SpacingRule("after-comma",
                r"(?<=[,;:])(?P<space>)(?={letter})", " "),
    SpacingRule("after-bracket", r"(?<=\))(?P<space>)(?={letter})", " "),
    SpacingRule("after-full-stop", r"(?<={lower}{lower}\.)(?P<space>)(?={upper}{lower})",
                " "),
    SpacingRule("after-initials", r"(?<!{letter}){upper}\.(?P<space>)(?={upper}{lower})",
                " "),
    SpacingRule("before-punctuation",
                r"(?<=\S)(?P<space>[ \t]+)(?=[,;:)]|\.(?![.\d]))", ""),
    SpacingRule("inside-bracket", r"\((?P<space>[ \t]+)(?=\S)", ""),
    SpacingRule("single-spaces", r"(?<=\S)(?P<space>[ \t]{2,})(?=\S)", " "),
)

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class Typography:
    """One language's rules. Every list may be empty."""

    # Quotation marks: the outer pair, then the pair for a quotation inside a quotation.
    quotes: tuple[str, str, str, str] | None = None
    # hyphenate-limit-chars: the shortest word hyphenated, the fewest letters before and
    # after the hyphen (no "σε." alone on a line).
    hyphenate_chars: tuple[int, int, int] | None = None
    # hyphenate-limit-zone: a line is hyphenated only when it would leave more than this
    # much of its width empty; the rest are justified instead. In em, not %: WeasyPrint
    # takes a percentage of what is left of the line after an inline element (an <em>, a
    # note's call, a passage's anchor), so that markup would change where lines break.
    hyphenate_zone: str | None = None
    # Words of at most this many letters are kept with the next word ("в Москве").
    short_words: int = 0
    # Abbreviations kept with the number after them ("σ. 497", "s. 12").
    before_numbers: tuple[str, ...] = ()
    # Units and words kept with the number before them ("3 εκατομμύρια", "1917 г.").
    after_numbers: tuple[str, ...] = ()
    # A number kept with the word after it, whatever it counts ("2 μήνες", "177.000 μέλη",
    # "VI съезд", "XI 1917"): these languages' typesetting never parts them.
    numbers_with_next: bool = False
    # Month names or numerals kept with the day before them ("7 XI", "7 listopada").
    months: tuple[str, ...] = ()
    # Month names kept with the day after them ("July 7").
    months_before_day: tuple[str, ...] = ()
    # An initial kept with what follows ("J. Smith", "W. I. Lenin").
    initials: bool = False
    # Dashes kept with the word before them ("word — word").
    dashes: tuple[str, ...] = ()
    # The spacing slips regularised in the authors' texts.
    spacing: tuple[SpacingRule, ...] = ()


NO_RULES = Typography()
DASHES = ("—", "–", "-")  # a hyphen with a space on each side is a dash

TYPOGRAPHY: dict[str, Typography] = {
    "en": Typography(
        quotes=("“", "”", "‘", "’"),
        hyphenate_chars=(6, 3, 3),
        hyphenate_zone="4em",
        before_numbers=("p.", "pp.", "vol.", "no.", "No.", "ch.", "§"),
        after_numbers=("million", "millions", "thousand", "km", "per cent", "%"),
        months_before_day=("January", "February", "March", "April", "May", "June", "July",
                           "August", "September", "October", "November", "December"),
        initials=True,
        dashes=DASHES,
        spacing=SPACING,
    ),
    "el": Typography(
        quotes=("«", "»", "“", "”"),
        hyphenate_chars=(6, 3, 3),
        hyphenate_zone="4em",
        short_words=1,  # ο, η, ή, ω
        numbers_with_next=True,
        before_numbers=("σ.", "σσ.", "σελ.", "τ.", "τόμ.", "αρ.", "κεφ.", "§"),
        after_numbers=("εκατομμύρια", "εκατομμυρίων", "εκατομμύριο", "χιλιάδες", "χιλιάδων",
                       "χλμ.", "χιλιόμετρα", "μ.Χ.", "π.Χ.", "%"),
        months=("Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου",
                "Ιουλίου", "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου",
                "Δεκεμβρίου", *ROMAN_MONTHS),
        initials=True,
        dashes=DASHES,
        spacing=SPACING,
    ),
    "ru": Typography(
        quotes=("«", "»", "„", "“"),
        hyphenate_chars=(6, 2, 3),
        hyphenate_zone="4em",
        short_words=1,  # в, и, к, с, о, у, а, я
        numbers_with_next=True,
        before_numbers=("с.", "т.", "№", "стр.", "гл.", "ч.", "§"),
        after_numbers=("г.", "гг.", "в.", "вв.", "млн", "млрд", "тыс.", "км", "чел.", "%"),
        months=("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря", *ROMAN_MONTHS),
        initials=True,
        dashes=DASHES,
        spacing=SPACING,
    ),
    "pl": Typography(
        quotes=("„", "”", "«", "»"),
        hyphenate_chars=(6, 2, 3),
        hyphenate_zone="4em",
        short_words=1,  # w, z, i, a, o, u
        numbers_with_next=True,
        before_numbers=("s.", "t.", "nr", "str.", "rozdz.", "§"),
        after_numbers=("r.", "r", "w.", "mln", "tys.", "km", "proc.", "%"),
        months=("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                "sierpnia", "września", "października", "listopada", "grudnia",
                *ROMAN_MONTHS),
        initials=True,
        dashes=DASHES,
        spacing=SPACING,
    ),
    "de": Typography(
        quotes=("„", "“", "‚", "‘"),
        hyphenate_chars=(6, 3, 3),
        hyphenate_zone="4em",
        before_numbers=("S.", "Bd.", "Nr.", "Kap.", "§"),
        after_numbers=("Mio.", "Millionen", "Tsd.", "km", "%"),
        months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                "September", "Oktober", "November", "Dezember"),
        initials=True,
        dashes=DASHES,
        spacing=SPACING,
    ),
}


def rules_for(lang: str | None) -> Typography:
    """The rules of a language tag's primary language ('el-polyton' -> 'el'), or none."""
    return TYPOGRAPHY.get((lang or "").split("-")[0].lower(), NO_RULES)


@cache
def pattern(source: str) -> re.Pattern:
    """A rule's pattern compiled, its {letter}, {upper}, {lower} and {call} filled in."""
    for name, letters in CLASSES.items():
        source = source.replace("{" + name + "}", letters)
    return re.compile(source)


def _words(words: tuple[str, ...]) -> str:
    """Alternatives for whole words: a word ending in a letter may not run on into another."""
    return "|".join(re.escape(w) + (r"(?!\w)" if w[-1].isalnum() else "")
                    for w in sorted(words, key=len, reverse=True))


@cache
def bindings(lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(kind, pattern) of each place where a language keeps two words on one line: the space
    each pattern's group `space` finds becomes a no-break space."""
    rules = rules_for(lang)
    found = []
    space = r"(?P<space>[ \n])"
    number = r"(?:\d|[IVXLC]+(?![\w]))"
    if rules.short_words:
        found.append(("short word", r"(?<![\w.’'\-]){letter}{1," + str(rules.short_words) + "}"
                                    rf"{space}(?=\S)"))
    if rules.before_numbers:
        found.append(("abbreviation and number",
                      rf"(?<![\w.])(?:{_words(rules.before_numbers)}){space}(?={number})"))
    if rules.after_numbers:
        found.append(("number and unit",
                      rf"(?<=\d){space}(?=(?:{_words(rules.after_numbers)}))"))
    if rules.numbers_with_next:
        found.append(("number and the next word",
                      rf"(?<![\w.,]){number}[\d.,]*(?<![.,]){space}(?=\w)"))
    if rules.months:
        # The German day takes a full stop: "26. Oktober".
        found.append(("day and month",
                      rf"(?<!\w)\d{{1,2}}\.?{space}(?=(?:{_words(rules.months)}))"))
    if rules.months_before_day:
        found.append(("month and day", rf"(?<!\w)(?:{_words(rules.months_before_day)})"
                                       rf"{space}(?=\d)"))
    if rules.initials:
        found.append(("initial", r"(?<!\w){upper}\." + space + "(?={upper})"))
    if rules.dashes:
        dashes = "".join(re.escape(d) for d in rules.dashes)
        found.append(("dash", rf"(?<=\S){space}(?=[{dashes}](?:\s|$))"))
    return tuple((kind, pattern(source)) for kind, source in found)


# The stylesheet's part written from the table, between these lines of common.css.
CSS_START = "/* Typography per language: written by `python -m book.typography` from " \
            "book/typography.py. */"
CSS_END = "/* End of typography per language. */"


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stylesheet() -> str:
    """The CSS of the table: each language's quotation marks and hyphenation limits."""
    lines = [CSS_START,
             "/* A <q> takes the marks of the language around it, not of the words it holds. */"]
    for lang, rules in TYPOGRAPHY.items():
        if rules.quotes:
            marks = " ".join(_css_string(m) for m in rules.quotes)
            lines.append(f":lang({lang}) > q {{ quotes: {marks}; }}")
    # The limits are inherited: without this, a text in a language the table lacks would be
    # hyphenated by the apparatus language's (an English edition's, a Polish one's).
    lines.append("[lang] { hyphenate-limit-chars: auto; hyphenate-limit-zone: 0; }")
    for lang, rules in TYPOGRAPHY.items():
        limits = []
        if rules.hyphenate_chars:
            limits.append("hyphenate-limit-chars: " + " ".join(map(str, rules.hyphenate_chars)))
        if rules.hyphenate_zone:
            limits.append(f"hyphenate-limit-zone: {rules.hyphenate_zone}")
        if limits:
            lines.append(f":lang({lang}) {{ " + "; ".join(limits) + "; }")
    lines.append(CSS_END)
    return "\n".join(lines)


def with_stylesheet(css: str) -> str:
    """`css` with its typography part written anew (appended if it has none)."""
    start, end = css.find(CSS_START), css.find(CSS_END)
    if start < 0 or end < 0:
        return css.rstrip("\n") + "\n\n" + stylesheet() + "\n"
    return css[:start] + stylesheet() + css[end + len(CSS_END):]


def stale_line(css: str) -> int | None:
    """None if `css` holds the table's typography part as `python -m book.typography` writes
    it; else the line where that part begins (1 if it has none), to point the editor at."""
    if with_stylesheet(css) == css:
        return None
    start = css.find(CSS_START)
    return css.count("\n", 0, start) + 1 if start >= 0 else 1


COMMON_CSS = Path(__file__).resolve().parent.parent / "templates" / "base" / "css" / "common.css"

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else COMMON_CSS
    target.write_text(with_stylesheet(target.read_text(encoding="utf-8")), encoding="utf-8")
