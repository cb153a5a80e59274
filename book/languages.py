"""Language tags and names, from Babel's CLDR data rather than a table of our own."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def check_language_tag(tag: str) -> str | None:
    """None if `tag` is a BCP 47 tag that Babel knows, else what is wrong with it."""
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return f"unknown language tag {tag!r}"
    return None


def language_name(tag: str, in_language: str) -> str:
    """`tag`'s name as written in `in_language`, e.g. ('el', 'en') -> 'Greek'."""
    name = Locale.parse(tag, sep="-").get_display_name(Locale.parse(in_language, sep="-"))
    return name[:1].upper() + name[1:] if name else tag
