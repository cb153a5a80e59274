"""Language tags and names, from Babel's CLDR data rather than a table of our own."""

from __future__ import annotations

import difflib
from collections import Counter
from contextlib import suppress
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError, localedata
from babel.core import parse_locale
from babel.languages import get_official_languages

# BCP 47's codes for no language in particular, which CLDR reads as English.
NO_LANGUAGE = {"und": "undetermined", "mul": "several languages", "zxx": "no linguistic content",
               "mis": "a language without a code"}


def check_language_tag(tag: str) -> str | None:
    """None if `tag` is a BCP 47 tag that Babel knows, else what is wrong with it. An old
    code CLDR replaces ('iw', 'ji') is refused: Babel reads it as the new one with a country
    of its choosing, and the book would print "Yiddish (Ukraine)"."""
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return f"unknown language tag {tag!r}" + (_meant(tag) if isinstance(tag, str) else "")
    written = parse_locale(tag, sep="-")[0].lower()
    if written in NO_LANGUAGE:
        return f"{tag!r} names no language ({NO_LANGUAGE[written]}): write the language itself"
    if locale.language != written:
        name = Locale.parse(locale.language).get_display_name("en")
        if len(written) == 3 and len(locale.language) == 2:  # ISO 639-2's 'ukr'
            return (f"{written!r} is the three-letter code for {name}: a language tag takes "
                    f"its two-letter code, {locale.language!r}")
        return f"{written!r} is an old code for {name}: write {locale.language!r}"
    return None


def tag_problem(value: object) -> str | None:
    """What makes `value` no language tag, or None: a YAML key may be a number (1917: …)."""
    if isinstance(value, bool):
        from .yamldata import NORWAY

        return f"{str(value).lower()} is not a language tag" + NORWAY
    if not isinstance(value, str):
        return f"{value!r} is not a language tag (such as en, ru, el, pl)"
    return check_language_tag(value)


def canonical_tag(tag: str) -> str:
    """A tag check_language_tag takes, in any case, as BCP 47 writes it and the tool's tables
    are keyed: 'UK' -> 'uk', 'sr-latn' -> 'sr-Latn', 'el-gr' -> 'el-GR'."""
    locale = Locale.parse(tag, sep="-")
    return "-".join(p for p in (locale.language, locale.script, locale.territory) if p)


def _meant(tag: str) -> str:
    """What an unknown `tag` may have meant, as the end of its message: the tag with '-'
    for '_' ('de_AT'), its language alone where Babel has no data for its region ('yi-US'),
    the language of a country's code ('ua', Ukraine's), a language's English name ('Yiddish',
    'russisch'); or ''."""
    dashed = tag.replace("_", "-")
    if dashed != tag and check_language_tag(dashed) is None:
        return f": its parts are joined by '-', as in {dashed!r}"
    english = Locale("en")
    try:
        language = parse_locale(dashed, sep="-")[0]
    except ValueError:
        language = None
    if language and language != dashed.lower() and check_language_tag(language) is None:
        return (f": the locale data the tool uses (CLDR) has no such form of "
                f"{english.languages.get(language, language)}: write {language!r}")
    official = get_official_languages(tag.upper()) if len(tag) == 2 else ()
    if official and (language := _known(official[0])):
        return (f": that is the country code of {english.territories[tag.upper()]}, whose "
                f"language, {language[1]}, is {language[0]!r}")
    names = _english_names()
    close = difflib.get_close_matches(tag.casefold(), names, n=1)
    if close and (language := _known(names[close[0]])):
        return f" (did you mean {language[0]!r}, {language[1]}?)"
    return ""


def _known(code: str) -> tuple[str, str] | None:
    """A CLDR code ('sr_Latn') as a tag this tool takes ('sr-Latn') and its English name, or
    None where there is no such tag."""
    tag = code.replace("_", "-")
    if check_language_tag(tag) is not None:
        return None
    return tag, Locale.parse(tag, sep="-").get_display_name("en")


@cache
def _english_names() -> dict[str, str]:
    """The code of each language Babel has data for, by its English name, case folded."""
    return {name.casefold(): code for code, name in Locale("en").languages.items()
            if localedata.exists(code)}


@cache
def text_direction(tag: str) -> str:
    """'rtl' for a language written from right to left (Yiddish, Hebrew, Arabic, Persian…),
    else 'ltr': CLDR's character order, of the tag's script where it names one ('yi-Latn' is
    romanised Yiddish, 'az-Arab' Azerbaijani in the Arabic alphabet), else of its language;
    so that no table of ours can miss one."""
    try:
        script = parse_locale(tag, sep="-")[2]
        # A script's most likely language (CLDR's likely subtags) writes it as it goes.
        locale = Locale.parse(f"und_{script}") if script else Locale.parse(tag, sep="-")
        order = locale.character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"  # an unknown tag is reported where it is read
    return "rtl" if order == "right-to-left" else "ltr"


# What a script of ISO 15924 stands for in the likely subtags: Japanese is written in Han,
# Hiragana and Katakana, Korean in Hangul and Han, Chinese in Han.
SCRIPTS_OF = {"Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang", "Hani"}, "Hans": {"Hani"},
              "Hant": {"Hani"}}
# What a text's letters must come to before their script is read: a word or two of another
# script (a name, a title quoted) is not the text's.
SCRIPT_LETTERS, SCRIPT_SHARE = 20, 0.6


def script_mismatch(tag: str, letters: Counter[str]) -> tuple[str, str, str | None] | None:
    """Where most of a text's `letters` (each with its count) are of one script that the
    language `tag` is not written in (`written_in`): that script's code, the tag's script's,
    and the language most likely written in that script (or None); else None. Hebrew tagged
    'en' would be set left to right, as English."""
    from fontTools.unicodedata import script

    expected = written_in(tag)
    counts: Counter[str] = Counter()
    for letter, count in letters.items():
        counts[script(letter)] += count
    for common in ("Zyyy", "Zinh", "Zzzz"):  # punctuation, marks, what has no script
        counts.pop(common, None)
    if not counts or expected is None:
        return None
    found, share = counts.most_common(1)[0]
    if share < SCRIPT_LETTERS or share < SCRIPT_SHARE * sum(counts.values()) or \
            found in SCRIPTS_OF.get(expected, {expected}):
        return None
    meant = None
    with suppress(UnknownLocaleError, ValueError):
        meant = Locale.parse(f"und_{found}").language
    return found, expected, meant


def script_name(code: str) -> str:
    """The English name of an ISO 15924 script: 'Hebr' -> 'Hebrew'."""
    return Locale("en").scripts.get(code, code)


def written_in(tag: str) -> str | None:
    """The script the language `tag` is written in: its script subtag's, else the one CLDR
    takes the language to be written in ('he' -> 'Hebr'); None for a tag not read."""
    from babel.core import get_global

    try:
        language, _, script = parse_locale(tag, sep="-")[:3]
    except ValueError:
        return None  # an unknown tag is reported where it is read
    likely = get_global("likely_subtags").get(language)
    return script or (parse_locale(likely)[2] if likely else None)


# Scripts of ISO 15924 whose letters join one to the next: spaced apart, a word would be
# torn, and CSS asks that letter-spacing be not applied to them (CSS Text 3, 8.2).
JOINED_SCRIPTS = {"Arab", "Syrc", "Mong", "Nkoo", "Adlm", "Mand", "Rohg", "Phag", "Mani",
                  "Sogd", "Ougr", "Hmnp"}


def letters_join(tag: str) -> bool:
    """Whether the language `tag` is written in a script whose letters join (Arabic)."""
    return written_in(tag) in JOINED_SCRIPTS


@cache
def month_names(tag: str) -> frozenset[str]:
    """The months' names in the language `tag`, as CLDR writes them in a date and alone, whole
    and abbreviated, in small letters ('stycznia', 'styczeń', 'sty'); none for a tag Babel
    does not know."""
    try:
        months = Locale.parse(tag, sep="-").months
    except (UnknownLocaleError, ValueError):
        return frozenset()
    return frozenset(name.casefold() for context in months.values()
                     for width in ("wide", "abbreviated") for name in context[width].values())


# CLDR gives language names as each language writes them in running text ("Greek", "grecki",
# "греческий"), except Greek's, which it capitalises as for a menu: Greek writes "στα
# ελληνικά".
LOWER_CASE_IN_RUNNING_TEXT = {"el"}


def language_name(tag: str, in_language: str, start: bool = False) -> str:
    """`tag`'s name as written in `in_language` in the middle of a sentence, e.g. ('el', 'en')
    -> 'Greek', ('el', 'pl') -> 'grecki'; with `start`, as it begins a sentence or a heading
    ('Grecki')."""
    where = Locale.parse(in_language, sep="-")
    name = Locale.parse(tag, sep="-").get_display_name(where)
    if not name:
        return tag
    if start:
        return name[:1].upper() + name[1:]
    if where.language in LOWER_CASE_IN_RUNNING_TEXT:
        return name[:1].lower() + name[1:]
    return name


def catalog_folders(locales: Path) -> list[Path]:
    """The folders of `locales` that hold a gettext catalog, <folder>/LC_MESSAGES/messages.po,
    whatever their names."""
    if not locales.is_dir():
        return []
    return sorted(folder for folder in locales.iterdir()
                  if (folder / "LC_MESSAGES" / "messages.po").is_file())


def apparatus_languages(locales: Path) -> tuple[str, ...]:
    """The languages an edition's apparatus can be written in: each that has a gettext catalog
    in `locales` (templates/locales/<lang>/LC_MESSAGES/messages.po) and is a language Babel
    knows. Adding one takes a catalog, no Python (docs/adding-a-language.md)."""
    return tuple(folder.name for folder in catalog_folders(locales)
                 if check_language_tag(folder.name) is None)


def names_language(written: str, tag: str) -> bool:
    """Whether `written`, a tag written loosely ('cs_CZ', 'CS', or the country's 'cz'), means
    the language of `tag`."""
    loose = written.replace("_", "-").lower()
    return loose.split("-")[0] == tag.lower() or \
        f"'{tag}'" in (check_language_tag(written) or "")


def csl_locale(language: str) -> str | None:
    """The CSL locale citeproc-py ships for `language` ('de' -> 'de-DE', 'pt-BR' -> 'pt-BR'),
    or None: the one named by the whole tag, else the language's own country's, else any."""
    from citeproc import LOCALES_PATH

    shipped = sorted(p.stem.removeprefix("locales-") for p in Path(LOCALES_PATH).glob(
        "locales-*.xml"))
    primary = language.split("-")[0].lower()
    candidates = [s for s in shipped if s.split("-")[0].lower() == primary]
    for wanted in (language, f"{primary}-{primary.upper()}"):
        match = next((s for s in candidates if s.lower() == wanted.lower()), None)
        if match:
            return match
    if primary == "en":
        return "en-US"
    return candidates[0] if candidates else None
