"""Typography per language: quotation marks, hyphenation limits, where a space must not break
a line, and which spacing slips are regularised when a text is loaded.

The rules are the project's data, `sources/typography.yaml`: an entry per language, keyed by
its primary subtag ('el' serves 'el-polyton'). A language without an entry gets no rules, and
so no changes (and WeasyPrint's own hyphenation limits, not those of the language around it).
Every key is declared here (TYPOGRAPHY_KEYS), checked at load with its line, and listed in
docs/reference.md. The spacing rules are patterns, this module's (SPACING): an entry names the
ones its language applies. The quotation marks and hyphenation limits reach both formats as a
stylesheet of the documents (`Typographies.stylesheet`); the spaces are bound in the rendered
documents (book/textnodes.py) and the spacing regularised at load (book/spacing.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .errors import ConfigError, Problems, did_you_mean
from .keys import Key
from .languages import month_names, tag_problem
from .reading import read_source_file
from .yamldata import NORWAY, YamlError, describe, has_type, key_lines, parse_yaml, type_problem

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
    doc: str = ""  # what it mends, for docs/reference.md


# The slips of typed text a language's entry may name. Decimals (3.5, 1.000), abbreviations
# (ό.π., т.е., Π.Ν.), ellipses and URLs are left alone: a letter must follow, a full stop
# needs a word of two letters before it, and URLs are skipped (spacing.py).
SPACING = (
    SpacingRule("after-note-call", r"(?<={call})(?P<space>)(?={letter})", " ",
                "a space after a note's call, before a word: \"εδώ.[3]Τέλος\" → \"εδώ.[3] Τέλος\""),
    SpacingRule("after-comma",
                r"(?<=[,;:])(?P<space>)(?={letter})", " ",
                "a space after a comma, semicolon or colon before a letter: \"a,b\" → \"a, b\""),
    SpacingRule("after-bracket", r"(?<=\))(?P<space>)(?={letter})", " ",
                "a space after a closing bracket before a letter: \"(1917)and\" → \"(1917) and\""),
    SpacingRule("after-full-stop", r"(?<={lower}{lower}\.)(?P<space>)(?={upper}{lower})",
                " ", "a space after a full stop that ends a word of two small letters or more, "
                "before a capitalised word: \"end.Next\" → \"end. Next\" (not \"ό.π.\")"),
    SpacingRule("after-initials", r"(?<!{letter}){upper}\.(?P<space>)(?={upper}{lower})",
                " ", "a space after an initial before a name: \"W.Lenin\" → \"W. Lenin\" "
                "(the initials key keeps the two on one line)"),
    SpacingRule("before-punctuation",
                r"(?<=\S)(?P<space>[ \t]+)(?=[,;:)]|\.(?![.\d]))", "",
                "no space before a comma, semicolon, colon, closing bracket or full stop: "
                "\"word ,\" → \"word,\""),
    SpacingRule("inside-bracket", r"\((?P<space>[ \t]+)(?=\S)", "",
                "no space after an opening bracket: \"( 7 XI\" → \"(7 XI\""),
    SpacingRule("single-spaces", r"(?<=\S)(?P<space>[ \t]{2,})(?=\S)", " ",
                "one space between words where there were several"),
)


@dataclass(frozen=True)
class Typography:
    """One language's rules: each field is the key of its name (TYPOGRAPHY_KEYS)."""

    quotes: tuple[str, str, str, str] | None = None
    hyphenate_chars: tuple[int, int, int] | None = None
    # In em, not %: WeasyPrint takes a percentage of what is left of the line after an inline
    # element (an <em>, a note's call, a passage's anchor), so markup would move line breaks.
    hyphenate_zone: str | None = None
    short_words: int = 0
    before_numbers: tuple[str, ...] = ()
    after_numbers: tuple[str, ...] = ()
    numbers_with_next: bool = False
    months: tuple[str, ...] = ()
    months_before_day: tuple[str, ...] = ()
    initials: bool = False
    dashes: tuple[str, ...] = ()
    spacing: tuple[SpacingRule, ...] = ()


NO_RULES = Typography()
TYPOGRAPHY_FILE = "typography.yaml"  # in sources/
SPACING_NAMES = tuple(rule.kind for rule in SPACING)
MAX_WORDS = 200  # the words of one list: a language's months and abbreviations are a few dozen

TYPOGRAPHY_KEYS = {
    "quotes": Key((list,), False, "the quotation marks: the outer pair, then the pair for a "
                  "quotation inside a quotation, four marks in all ([\"«\", \"»\", \"„\", "
                  "\"“\"])"),
    "hyphenate_chars": Key((list,), False, "the shortest word hyphenated, and the fewest letters "
                           "left before and after the hyphen: three whole numbers ([6, 3, 3]; "
                           "no \"σε-\" alone at a line's end)"),
    "hyphenate_zone": Key((str,), False, "a line is hyphenated only when it would leave more "
                          "than this much of its width empty, in em (4em); the rest are "
                          "justified instead"),
    "short_words": Key((int,), False, "words of at most this many letters are kept with the "
                       "next word (\"в Москве\")", default="0"),
    "before_numbers": Key((list,), False, "abbreviations kept with the number after them "
                          "(\"σ. 497\")", default="[]"),
    "after_numbers": Key((list,), False, "units and words kept with the number before them "
                         "(\"1917 г.\", \"%\")", default="[]"),
    "numbers_with_next": Key((bool,), False, "a number is kept with the word after it, whatever "
                             "it counts (\"2 μήνες\", \"VI съезд\")", default="false"),
    "months": Key((list,), False, "month names or numerals kept with the day before them "
                  "(\"7 listopada\", \"7 XI\")", default="[]"),
    "months_before_day": Key((list,), False, "month names kept with the day after them "
                             "(\"July 7\")", default="[]"),
    "initials": Key((bool,), False, "an initial is kept with what follows (\"W. I. Lenin\")",
                    default="false"),
    "dashes": Key((list,), False, "dashes kept with the word before them (\"word — word\"); a "
                  "hyphen with a space on each side is a dash too", default="[]"),
    "spacing": Key((list,), False, "the spacing slips regularised in the authors' texts, each "
                   "change recorded and counted in the note on the edition",
                   default="[]", allowed=SPACING_NAMES),
}
WORD_LISTS = ("before_numbers", "after_numbers", "months", "months_before_day", "dashes")
MONTH_LISTS = ("months", "months_before_day")
ZONE = re.compile(r"0|(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)em", re.IGNORECASE)
MAX_ZONE_EM = 20  # wider than a line of any page: no line would be hyphenated
# A mark is written into a stylesheet in both formats' documents: no character of markup.
NOT_IN_A_MARK = set("<>&\\")


@dataclass(frozen=True)
class Typographies:
    """Every language's rules, as sources/typography.yaml gives them."""

    by_language: tuple[tuple[str, Typography], ...] = ()

    @cached_property
    def _table(self) -> dict[str, Typography]:
        return dict(self.by_language)

    def rules_for(self, lang: str | None) -> Typography:
        """The rules of a language tag's primary language ('el-polyton' -> 'el'), or none."""
        return self._table.get(primary_language(lang), NO_RULES)

    def has(self, lang: str | None) -> bool:
        return primary_language(lang) in self._table

    @cached_property  # every document of a book carries it
    def stylesheet(self) -> Markup:
        """The CSS of the table: each language's quotation marks and hyphenation limits, for a
        <style> of each document, after common.css (a theme's and an edition's stylesheets
        come after it, and may change them)."""
        lines = ["/* A quotation takes the marks of the language around it, not of the words it "
                 "holds. */"]
        for lang, rules in self.by_language:
            if rules.quotes:
                marks = " ".join(_css_string(m) for m in rules.quotes)
                lines.append(f":lang({lang}) > q {{ quotes: {marks}; }}")
        # The limits are inherited: without this, a text in a language the table lacks would
        # be hyphenated by the apparatus language's (an English edition's, a Polish one's).
        lines.append("[lang] { hyphenate-limit-chars: auto; hyphenate-limit-zone: 0; }")
        for lang, rules in self.by_language:
            limits = []
            if rules.hyphenate_chars:
                limits.append("hyphenate-limit-chars: "
                              + " ".join(map(str, rules.hyphenate_chars)))
            if rules.hyphenate_zone:
                limits.append(f"hyphenate-limit-zone: {rules.hyphenate_zone}")
            if limits:
                lines.append(f":lang({lang}) {{ " + "; ".join(limits) + "; }")
        # Checked at load: the marks hold no character of markup, the limits are numbers.
        return Markup("\n".join(lines))


def primary_language(tag: str | None) -> str:
    """The subtag a language's entry is keyed by: 'el-polyton' -> 'el'."""
    return (tag or "").split("-")[0].lower()


def _css_string(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def load_typography(path: Path) -> Typographies:
    """The rules of sources/typography.yaml, every problem raised at its line. An empty file
    gives none: the project says its languages have no rules."""
    try:
        data, node = parse_yaml(read_source_file(
            path, f"create {path.name}: each language's typography, an entry per language "
                  "(an empty file means none has rules; docs/adding-a-language.md)"))
    except YamlError as error:
        raise ConfigError(str(error), path, error.line, error.hint) from None
    if data is None:
        return Typographies()
    if not isinstance(data, dict):
        raise ConfigError(f"the typography file must map each language to its rules, not be "
                          f"{describe(data)}", path, node.start_mark.line + 1,
                          "write each language's tag at the start of a line, its rules below "
                          "it, indented (docs/reference.md)")
    problems = Problems()
    table = []
    for (lang, rules), (key_node, value_node_) in zip(data.items(), node.value, strict=True):
        line = key_node.start_mark.line + 1

        def problem(message: str, at: int = line, hint: str | None = None) -> None:
            problems.add(ConfigError(message, path, at, hint))

        if (wrong := _language_problem(lang)) is not None:
            problem(wrong[0], line, wrong[1])
            continue
        if rules is None:
            problem(f"{lang}: has no rules below it", hint=f"write its rules below it, "
                    f"indented, or '{lang}: {{}}' for a language that needs none")
            continue
        if not isinstance(rules, dict):
            problem(f"{lang}: its rules must be keys and values, each on a line below it, "
                    f"not {describe(rules)}", hint=f"or '{lang}: {{}}' for a language that "
                    "needs none")
            continue
        lines = key_lines(value_node_)
        found = []
        for name, value in rules.items():
            at = lines.get(str(name), line)
            if name not in TYPOGRAPHY_KEYS:
                problem(f"{lang}: unknown key {name!r}"
                        + did_you_mean(str(name), TYPOGRAPHY_KEYS),
                        at, "the keys are " + ", ".join(TYPOGRAPHY_KEYS))
            elif (wrong_value := _value_problem(name, value)) is not None:
                key = TYPOGRAPHY_KEYS[name]
                problem(f"{lang}: {wrong_value}", at, key.doc + (
                    ": " + ", ".join(key.allowed) if key.allowed else ""))
            elif name in MONTH_LISTS and (merged := _merged_months(lang, value)):
                problem(f"{lang}: {name}: {merged!r} is {len(merged.split())} month names, "
                        "not one", at, "a comma is missing between them: "
                        f"[{', '.join(merged.split())}]")
            else:
                found.append(name)
        if len(found) == len(rules):
            table.append((lang, _typography(rules)))
    problems.raise_if_any()
    return Typographies(tuple(table))


def typography_beside(folder: Path) -> Typographies:
    """The rules of the typography file in `folder`, for texts loaded without a build (a
    tool's, a test's); none if it has no such file, which only a build requires."""
    path = folder / TYPOGRAPHY_FILE
    return load_typography(path) if path.is_file() else Typographies()


def _language_problem(lang: object) -> tuple[str, str | None] | None:
    """Why a key of the file is no language's primary subtag, and a hint; or None."""
    if (wrong := tag_problem(lang)) is not None:
        return wrong, "an entry is keyed by a language's tag, such as en, el, ru, pl"
    primary = primary_language(lang)
    if lang.lower() == primary != lang:
        return (f"a language's tag is written in small letters: {primary!r}, not {lang!r}",
                None)
    if lang != primary:
        return (f"an entry is keyed by its language alone: {primary!r}, not {lang!r}",
                f"one entry serves every tag of its language ({primary}, {lang}…)")
    return None


def _value_problem(name: str, value: Any) -> str | None:
    """Why `value` cannot stand as the key `name`'s, or None."""
    if name == "hyphenate_zone" and has_type(value, int, float):
        value = str(value)  # 0 is a length; 4 is not
    if (wrong := type_problem(name, value, *TYPOGRAPHY_KEYS[name].kinds)) is not None:
        return wrong
    if name == "quotes":
        if len(value) != 4 or not all(isinstance(m, str) and 0 < len(m) <= 3 for m in value):
            return "quotes must be four marks: the outer pair, then the inner pair"
        if any(set(m) & NOT_IN_A_MARK for m in value):
            return "a quotation mark cannot be <, >, & or \\"
    elif name == "hyphenate_chars":
        if len(value) != 3 or not all(has_type(n, int) and 1 <= n <= 30 for n in value):
            return ("hyphenate_chars must be three whole numbers from 1 to 30: the shortest "
                    "word hyphenated, the fewest letters before the hyphen, and after it")
    elif name == "hyphenate_zone":
        if value.strip().endswith("%"):
            return (f"hyphenate_zone {value!r} is a percentage: write it in em, such as "
                    "'4em' (a percentage would be taken of what is left of a line after an "
                    "emphasis or a note's call, so that markup would move the line breaks)")
        if value.strip().startswith("-"):
            return f"hyphenate_zone {value!r} is less than nothing: write 0 or more, in em"
        if not ZONE.fullmatch(value):
            return f"hyphenate_zone {value!r} is not a length in em, such as '4em'"
        if value != "0" and float(value[:-2]) > MAX_ZONE_EM:
            return (f"hyphenate_zone {value!r} is more than {MAX_ZONE_EM}em, wider than a "
                    "line: no line would be hyphenated (books use 1em to 6em)")
    elif name == "short_words":
        if not 0 <= value <= 3:
            return "short_words must be 0, 1, 2 or 3 letters"
    elif name == "spacing":
        unknown = [rule for rule in value if rule not in SPACING_NAMES]
        if unknown:
            return (f"no spacing rule is named {unknown[0]!r}"
                    + did_you_mean(str(unknown[0]), SPACING_NAMES)
                    + ": the rules are " + ", ".join(SPACING_NAMES))
    elif name in WORD_LISTS:
        if len(value) > MAX_WORDS:
            return f"{name} has {len(value)} words, more than the {MAX_WORDS} a list may have"
        for word in value:
            if not isinstance(word, str):
                return (f"{name} must be a list of words: one is {describe(word)}"
                        + (NORWAY if isinstance(word, bool) else ""))
            if not word.strip() or word != word.strip():
                return (f"{name} must be a list of words: {word!r} has "
                        + ("none" if not word.strip() else "spaces around it"))
    return None


def _merged_months(lang: str, words: list[str]) -> str | None:
    """A word of a month list made of two or more of the language's month names: YAML reads
    '[stycznia lutego, marca]', a comma forgotten, as a list of two, 'stycznia lutego' first."""
    names = month_names(lang)
    return next((word for word in words if len(word.split()) > 1
                 and all(part.casefold() in names for part in word.split())), None)


def _typography(rules: dict[str, Any]) -> Typography:
    """The rules of one language, checked."""
    spacing = tuple(rule for rule in SPACING if rule.kind in rules.get("spacing", ()))
    return Typography(
        quotes=tuple(rules["quotes"]) if "quotes" in rules else None,
        hyphenate_chars=tuple(rules["hyphenate_chars"]) if "hyphenate_chars" in rules
        else None,
        hyphenate_zone=str(rules["hyphenate_zone"]) if "hyphenate_zone" in rules else None,
        short_words=rules.get("short_words", 0),
        numbers_with_next=rules.get("numbers_with_next", False),
        initials=rules.get("initials", False),
        spacing=spacing,
        **{name: tuple(rules.get(name, ())) for name in WORD_LISTS})


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
def bindings(rules: Typography) -> tuple[tuple[str, re.Pattern], ...]:
    """(kind, pattern) of each place where a language's `rules` keep two words on one line:
    the space each pattern's group `space` finds becomes a no-break space."""
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
