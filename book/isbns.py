"""ISBNs an edition gives its formats: what is wrong with one, in a publisher's words, and its
printed form. python-stdnum knows the check digit and where the hyphens go (the ISBN
agency's ranges)."""

from __future__ import annotations

import re
import unicodedata

# Digits with single hyphens or spaces between them, as ISBNs are written and pasted.
WRITTEN = re.compile(r"[0-9](?:[- ]?[0-9])*(?:[- ]?[Xx])?")
CHECK_HINT = ("copy it again from the number the ISBN agency gave: a digit is mistyped or two "
              "are swapped, and which one only the agency's number tells")
WHOLE_HINT = 'copy the whole number the ISBN agency gave, such as "978-0-306-40615-7"'
LABEL = re.compile(r"ISBN(?:-1[03])?:?\s", re.IGNORECASE)


def isbn_problem(value: str) -> tuple[str, str] | None:
    """(what is wrong, how to mend it) with an ISBN as an edition file gives it; None if it is
    one. An ISBN-10 is refused with its ISBN-13, which is what is printed and catalogued since
    2007."""
    shown = value.strip()
    if LABEL.match(shown):
        return (f"{shown!r} begins with its label", "give the number alone, such as "
                "\"978-0-306-40615-7\": the colophon prints \"ISBN\" before it")
    if not WRITTEN.fullmatch(_plain(shown)):
        return (f"{shown!r} is not an ISBN", "an ISBN is 13 digits, with or without hyphens, "
                "such as \"978-0-306-40615-7\"")
    from stdnum import ean, isbn  # a fiftieth of a second, for the editions that give one

    # Not stdnum's compact(), which takes nine digits for an old SBN and adds a 0.
    digits = re.sub(r"[- ]", "", _plain(shown)).upper()
    if len(digits) == 10:
        if isbn.is_valid(digits):
            return (f"{shown!r} is a 10-digit ISBN", "give its 13-digit form, "
                    f"\"{isbn.format(isbn.to_isbn13(digits))}\", which books print now")
        return (f"{shown!r} is not an ISBN: its check digit does not match the digits before "
                "it", CHECK_HINT)
    if not digits.isdigit():
        return f"{shown!r} is not an ISBN: only a 10-digit ISBN ends in X", WHOLE_HINT
    if len(digits) != 13:
        return f"{shown!r} has {len(digits)} digits, not the 13 of an ISBN", WHOLE_HINT
    if digits[:3] not in ("978", "979"):
        return (f"{shown!r} is not an ISBN: every ISBN begins with 978 or 979",
                "an ISSN's or a product's barcode is not an ISBN; give the book's")
    # The digit that would pass is not named: made to pass, a mistyped number is another
    # book's.
    if digits[-1] != ean.calc_check_digit(digits[:-1]):
        return (f"{shown!r} is not an ISBN: its last digit, the check digit, does not match "
                "the twelve before it", CHECK_HINT)
    return None


def hyphenated(value: str) -> str:
    """A valid ISBN as books print it, hyphens between its parts: 978-0-306-40615-7; its 13
    digits alone where the agency's ranges python-stdnum knows do not place it (a range newer
    than the library), rather than hyphens in the wrong places."""
    from stdnum import isbn

    digits = isbn.compact(_plain(value.strip()))
    return isbn.format(digits) if all(isbn.split(digits)) else digits


def _plain(value: str) -> str:
    """`value` as the ISBN it was pasted from: the dashes, minus signs and spaces a word
    processor or a PDF gives it (U+2010, U+2212, a no-break space…) as the hyphens and spaces
    they stand for, soft hyphens dropped, digits of other scripts as 0–9."""
    def plain(c: str) -> str:
        if unicodedata.category(c) == "Pd" or c == "\u2212":
            return "-"
        if unicodedata.category(c) == "Zs":
            return " "
        if c.isdecimal():
            return str(unicodedata.decimal(c))
        return "" if c == "\u00ad" else c

    return "".join(map(plain, value))


def urn(printed: str) -> str:
    """The ISBN as a URN, the EPUB's identifier: urn:isbn:9780306406157."""
    from stdnum import isbn

    return "urn:isbn:" + isbn.compact(printed)
