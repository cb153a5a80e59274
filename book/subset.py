"""The EPUB's fonts cut to what its documents print: a face no document prints is left out
with its @font-face rule, every other font keeps only the glyphs of its characters (and what
its kept OpenType features reach from them). The PDF's fonts are WeasyPrint's to subset.

HarfBuzz's subsetter, the library WeasyPrint itself subsets the PDF's fonts with, does a font
in milliseconds; fontTools, in pure Python, takes a quarter of a second a face and is the
fallback where the library is missing, and the one that rewrites WOFF."""

from __future__ import annotations

import ctypes
import ctypes.util
import io
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from .fontuse import FontUse, font_use
from .glyphs import font_characters

# The first bytes of a TrueType or OpenType font, which HarfBuzz reads (not WOFF).
SFNT = (b"\x00\x01\x00\x00", b"OTTO", b"true")


def package_fonts(documents: dict[str, str], stylesheets: dict[str, str],
                  fonts: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The fonts to package (package name: data), each subset to its faces' characters, and
    the stylesheets without the @font-face rules of the faces left out. A font a stylesheet
    loads otherwise than by a top-level @font-face is packaged whole."""
    coverage: dict[tuple[str, ...], frozenset[int]] = {}

    def covers(face) -> frozenset[int]:
        if face.files not in coverage:
            coverage[face.files] = _covered(face.files, fonts)
        return coverage[face.files]

    use = font_use(documents, stylesheets, covers)
    printed: dict[str, set[str]] = {}
    declared: set[str] = set()
    for face in use.faces:
        declared.update(face.files)
        for name in face.files:
            if face in use.characters:
                printed.setdefault(name, set()).update(use.characters[face])
    left_out = {name for name in declared
                if name not in printed and name not in use.other_references}
    packaged = {}
    for name, data in fonts.items():
        if name in left_out:
            continue
        if name in printed and name not in use.other_references:
            data = subset_font(data, frozenset(printed[name]), frozenset(use.features))
        packaged[name] = data
    changed = {name: _without_faces(css, name, frozenset(left_out))
               for name, css in stylesheets.items()
               if any(f.stylesheet == name and set(f.files) <= left_out for f in use.faces)}
    return packaged, changed


def _covered(files: tuple[str, ...], fonts: dict[str, bytes]) -> frozenset[int]:
    """The characters the fonts of a face have glyphs for."""
    return frozenset().union(*(font_characters(fonts[name], Path(name))
                               for name in files if name in fonts))


@lru_cache(maxsize=8)
def _without_faces(css: str, name: str, left_out: frozenset[str]) -> str:
    """The stylesheet without its top-level @font-face rules that load only fonts left out;
    the rest as written."""
    import tinycss2

    from .fontuse import _gather_faces

    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    kept: list = []
    skip_space = False
    for rule in rules:
        if skip_space and rule.type == "whitespace":
            skip_space = False
            continue
        skip_space = False
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            found = FontUse([])
            _gather_faces(name, [rule], found, top_level=True)
            if found.faces and all(set(f.files) <= left_out for f in found.faces):
                skip_space = True
                continue
        kept.append(rule)
    return tinycss2.serialize(kept)


@lru_cache(maxsize=8)
def subset_font(data: bytes, characters: frozenset[str], features: frozenset[str]) -> bytes:
    """The font with the glyphs of `characters` only, in the format it came in; the same
    bytes for the same input (remembered: a preview packages the same fonts again)."""
    if data[:4] in SFNT and _harfbuzz() is not None:
        subset = _harfbuzz_subset(data, characters, features)
        if subset is not None:
            return subset
    try:
        return _fonttools_subset(data, characters, features)
    except Exception:  # noqa: BLE001 - a font neither reads is packaged as the theme has it
        return data


def _codepoints(characters: Iterable[str]) -> list[int]:
    return sorted({ord(c) for c in characters if len(c) == 1})


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii").ljust(4)[:4], "big")


@cache
def _harfbuzz():
    """libharfbuzz-subset, loaded once, with the signatures of the calls made; None where it
    is missing or too old to choose the features kept (2.9)."""
    hb = None
    # The names WeasyPrint loads it by; find_library, which runs ldconfig, last.
    names = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
    for name in (*names, None):
        name = name or ctypes.util.find_library("harfbuzz-subset")
        try:
            hb = ctypes.CDLL(name) if name else None
            break
        except OSError:
            continue
    if hb is None:
        return None
    try:
        pointer, uint = ctypes.c_void_p, ctypes.c_uint
        for function, result, arguments in (
                ("hb_blob_create", pointer, [ctypes.c_char_p, uint, ctypes.c_int, pointer,
                                             pointer]),
                ("hb_face_create", pointer, [pointer, uint]),
                ("hb_face_get_glyph_count", uint, [pointer]),
                ("hb_subset_input_create_or_fail", pointer, []),
                ("hb_subset_input_set", pointer, [pointer, ctypes.c_int]),
                ("hb_subset_input_set_flags", None, [pointer, uint]),
                ("hb_set_add", None, [pointer, ctypes.c_uint32]),
                ("hb_set_clear", None, [pointer]),
                ("hb_set_invert", None, [pointer]),
                ("hb_subset_or_fail", pointer, [pointer, pointer]),
                ("hb_face_reference_blob", pointer, [pointer]),
                ("hb_blob_get_data", ctypes.POINTER(ctypes.c_char),
                 [pointer, ctypes.POINTER(uint)]),
                ("hb_blob_destroy", None, [pointer]),
                ("hb_face_destroy", None, [pointer]),
                ("hb_subset_input_destroy", None, [pointer])):
            call = getattr(hb, function)
            call.restype, call.argtypes = result, arguments
    except (OSError, AttributeError):
        return None
    return hb


# hb_subset_sets_t and hb_subset_flags_t (hb-subset.h)
UNICODE_SET, NAME_ID_SET, LAYOUT_FEATURE_SET = 1, 4, 6
NOTDEF_OUTLINE = 0x40
DUPLICATE = 0  # hb_memory_mode_t: HarfBuzz copies the font, owing nothing to Python's bytes


def _harfbuzz_subset(data: bytes, characters: frozenset[str],
                     features: frozenset[str]) -> bytes | None:
    hb = _harfbuzz()
    blob = hb.hb_blob_create(data, len(data), DUPLICATE, None, None)
    face = hb.hb_face_create(blob, 0)
    wanted = hb.hb_subset_input_create_or_fail()
    subset = result = None
    try:
        if not wanted or not hb.hb_face_get_glyph_count(face):
            return None  # HarfBuzz reads no font there: fontTools says what it is
        unicodes = hb.hb_subset_input_set(wanted, UNICODE_SET)
        for codepoint in _codepoints(characters):
            hb.hb_set_add(unicodes, codepoint)
        kept_features = hb.hb_subset_input_set(wanted, LAYOUT_FEATURE_SET)
        for feature in sorted(features):
            hb.hb_set_add(kept_features, _tag(feature))
        names = hb.hb_subset_input_set(wanted, NAME_ID_SET)
        hb.hb_set_clear(names)
        hb.hb_set_invert(names)  # every name: the licence's (13, 14) among them
        # An empty box, not nothing, for a character a reading system asks the font for.
        hb.hb_subset_input_set_flags(wanted, NOTDEF_OUTLINE)
        subset = hb.hb_subset_or_fail(face, wanted)
        if not subset:
            return None
        result = hb.hb_face_reference_blob(subset)
        length = ctypes.c_uint()
        start = hb.hb_blob_get_data(result, ctypes.byref(length))
        return ctypes.string_at(start, length.value) if length.value else None
    finally:
        if result:
            hb.hb_blob_destroy(result)
        if subset:
            hb.hb_face_destroy(subset)
        if wanted:
            hb.hb_subset_input_destroy(wanted)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _fonttools_subset(data: bytes, characters: frozenset[str],
                      features: frozenset[str]) -> bytes:
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = sorted(set(options.layout_features) | features)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.legacy_kern = True
    options.recalc_timestamp = False
    font = TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_codepoints(characters))
    # fontTools logs each table it cannot subset (and drops it): not the reader's concern.
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        subsetter.subset(font)
    finally:
        logger.setLevel(level)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()

