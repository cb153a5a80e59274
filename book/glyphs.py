"""Characters the typeface lacks: a located error, never a fallback to the machine's fonts.

WeasyPrint draws a character its fonts lack with whatever font the machine has that holds it,
or with an empty box: either way the book would depend on the machine it was built on.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from . import memo
from .dates import WORD_JOINER
from .errors import BookError
from .files import TemplateFolders, read_text

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
TAG = re.compile(r"<[^>]*>")
# Line breaks and tabs are laid out, not drawn; nor is the word joiner a date holds.
LAID_OUT = {"\n", "\r", "\t", WORD_JOINER}


@cache
def _font_characters(path: Path, mtime: float) -> frozenset[int]:
    return font_characters(path.read_bytes(), path)


def font_characters(data: bytes, path: Path) -> frozenset[int]:
    """The characters the font `data` (read from `path`) has a glyph for."""
    # Reading a typeface's tables takes a tenth of a second: kept between builds.
    return frozenset(memo.remembered(
        "characters", hashlib.sha256(data).hexdigest(), lambda: _read_characters(path, data),
        lambda kept: isinstance(kept, list) and bool(kept)
        and all(isinstance(c, int) for c in kept)))


def _read_characters(path: Path, data: bytes) -> list[int]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            return sorted(font.getBestCmap() or {})
    except (TTLibError, OSError, AssertionError, KeyError, ValueError) as error:
        raise BookError(f"not a font this tool can read: {error}", path,
                        hint="use a TrueType or OpenType font file") from None


def typeface_characters(search_path: TemplateFolders) -> frozenset[int]:
    """Every character some font in the fonts/ folders of the search path has a glyph for."""
    names = sorted({f.relative_to(folder).as_posix()
                    for folder in search_path if (folder / "fonts").is_dir()
                    for f in (folder / "fonts").iterdir() if f.suffix.lower() in FONT_SUFFIXES})
    characters: set[int] = set()
    for name in names:
        found = search_path.find(name)
        if found is not None:
            characters |= _font_characters(found, found.stat().st_mtime)
    return frozenset(characters)


def missing_characters(markup: str, characters: frozenset[int]) -> list[str]:
    """The characters of a rendered document's text that no font of the typeface has."""
    body = markup[markup.find("<body"):] if "<body" in markup else markup
    text = html.unescape(TAG.sub("", body))
    return sorted(c for c in set(text) - LAID_OUT if ord(c) not in characters)


def check_glyphs(markup: str, search_path: TemplateFolders, places: Iterable[Path]) -> None:
    """Stop the build on each character the book prints that the typeface lacks, at the first
    line of `places` (sources, data, templates, catalogs) that holds it; a file that holds
    more than LISTED of them (a text in a script the typeface lacks) is one error, at the
    first."""
    missing = missing_characters(markup, typeface_characters(search_path))
    if not missing:
        return
    from .errors import Problems

    problems = Problems()
    places = list(places)
    by_file: dict[Path | None, list[tuple[int | None, str]]] = {}
    for character in missing:
        path, line = _first_place(character, places)
        by_file.setdefault(path, []).append((line, character))
    where = ("to templates/base/fonts/ and name it in templates/base/css/fonts.css, as "
             "docs/adding-a-text.md shows")
    for path, found in by_file.items():
        if len(found) > LISTED and path is not None:
            found.sort()
            problems.add(BookError(
                f"the typeface has no glyph for {len(found)} characters of this file, such as "
                + ", ".join(_described(c) for _, c in found[:LISTED]), path, found[0][0],
                hint=f"replace them, or add a font for their script {where}"))
            continue
        for line, character in found:
            problems.add(BookError(
                f"the typeface has no glyph for {_described(character)}", path, line,
                hint=f"replace the character, or add a font that has it {where}"))
    problems.raise_if_any()


# More characters missing in one file are told as one error, a few of them named.
LISTED = 3


def _described(character: str) -> str:
    name = unicodedata.name(character, "an unnamed character")
    return f"{character!r} (U+{ord(character):04X} {name})"


def _first_place(character: str, places: list[Path]) -> tuple[Path | None, int | None]:
    for path in places:
        try:
            text = read_text(path, path.parent)  # the file policy's reader, size bound included
        except (OSError, BookError):
            continue
        at = text.find(character)
        if at >= 0:
            return path, text.count("\n", 0, at) + 1
    return None, None
