"""The EPUB's fonts: each cut to the characters its documents print, no face they never print,
and the same bytes from the same input, whichever subsetter cuts them (book/subset.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import tinycss2
from fontTools.ttLib import TTFont
from helpers import run

from book import subset
from book.fontuse import ALWAYS, ANY_QUOTES, MARKERS
from book.xhtml import resolve

ROOT = Path(__file__).resolve().parent.parent
THEME_FONTS = ROOT / "templates" / "base" / "fonts"
TAG = re.compile(r"<[^>]*>")


def packaged_fonts(epub: zipfile.ZipFile) -> dict[str, set[str]]:
    """Each font in the package (its name under EPUB/) with the characters its cmap maps."""
    return {name[len("EPUB/"):]: {chr(c) for c in TTFont(io.BytesIO(epub.read(name)))
                                  .getBestCmap()}
            for name in epub.namelist() if name.startswith("EPUB/fonts/")}


def declared_fonts(epub: zipfile.ZipFile) -> set[str]:
    """The package names the packaged stylesheets' @font-face rules load."""
    declared = set()
    for name in epub.namelist():
        if not name.endswith(".css"):
            continue
        css = epub.read(name).decode("utf-8")
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
                for token in rule.content:
                    url = token.value if token.type == "url" else None
                    if token.type == "function" and token.lower_name == "url":
                        url = token.arguments[0].value
                    if url:
                        declared.add(resolve(name[len("EPUB/"):], url, resource=True)[0])
    return declared


def documents(epub: zipfile.ZipFile) -> dict[str, str]:
    return {n: epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml")}


def printed(epub: zipfile.ZipFile) -> set[str]:
    """Every character of the documents' text, as the reader sees it."""
    import html

    return {c for markup in documents(epub).values()
            for c in html.unescape(TAG.sub("", markup[markup.find("<body"):]))} - set("\n\r\t")


def allowed(epub: zipfile.ZipFile) -> set[str]:
    """What a font may map: the documents' characters (their attributes' included, which a
    stylesheet may print), in either case, and what a reading system adds itself."""
    import html

    written = {c for markup in documents(epub).values()
               for c in html.unescape(markup[markup.find("<body"):])}
    cased = set("".join(c.upper() + c.lower() for c in written))
    return written | cased | ALWAYS | MARKERS | ANY_QUOTES


def assert_subset(epub: zipfile.ZipFile) -> None:
    fonts = packaged_fonts(epub)
    assert fonts
    # Every font is a face some document prints with, and every face's font is there.
    assert set(fonts) == declared_fonts(epub)
    assert printed(epub) <= set().union(*fonts.values())
    may = allowed(epub)
    for name, characters in fonts.items():
        assert characters <= may, (name, sorted(characters - may)[:20])
        # A character the theme's font has and no document prints is not packaged.
        original = {chr(c) for c in TTFont(THEME_FONTS / Path(name).name).getBestCmap()}
        unused = sorted(original - may)
        assert unused and unused[0] not in characters, name


def test_fonts_hold_the_characters_printed_and_no_other(fixture_dist):
    assert_subset(zipfile.ZipFile(fixture_dist / "mini" / "mini.epub"))


def test_the_real_editions_fonts_are_subset(made):
    for _, path in made["epub"]:
        assert_subset(zipfile.ZipFile(path))


def faces(epub: zipfile.ZipFile) -> set[str]:
    return {Path(name).stem for name in packaged_fonts(epub)}


def test_a_face_is_packaged_only_when_a_document_prints_with_it(fixture_project, tmp_path):
    out = tmp_path / "a"
    assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    before = zipfile.ZipFile(out / "mini" / "mini.epub")
    assert "GentiumBookPlus-BoldItalic" not in faces(before)
    assert "GentiumBookPlus-Regular" in faces(before)
    # The bylines are in italics: in bold too, they print with the bold italic.
    custom = fixture_project / "templates" / "base" / "css" / "custom.css"
    custom.write_text(custom.read_text(encoding="utf-8") + "\n.byline { font-weight: bold; }\n",
                      encoding="utf-8")
    out = tmp_path / "b"
    assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    after = zipfile.ZipFile(out / "mini" / "mini.epub")
    assert faces(after) == faces(before) | {"GentiumBookPlus-BoldItalic"}
    assert_subset(after)
    bylines = {c for markup in documents(after).values()
               for byline in re.findall(r'<p class="byline">(.*?)</p>', markup)
               for c in TAG.sub("", byline)} - {" "}
    assert bylines
    assert bylines <= packaged_fonts(after)["fonts/GentiumBookPlus-BoldItalic.ttf"]


def test_without_harfbuzz_fonttools_subsets_as_well(fixture_project, tmp_path, monkeypatch,
                                                   epubcheck):
    monkeypatch.setattr(subset, "_harfbuzz", lambda: None)
    subset.subset_font.cache_clear()
    try:
        out = tmp_path / "out"
        assert run(fixture_project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    finally:
        subset.subset_font.cache_clear()
    path = out / "mini" / "mini.epub"
    assert_subset(zipfile.ZipFile(path))
    check = epubcheck(path)
    assert [str(m) for m in check.messages] == []


ENGINES = [subset._fonttools_subset]
if subset._harfbuzz() is not None:
    ENGINES.append(subset._harfbuzz_subset)


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.__name__)
def test_a_subset_is_the_same_bytes_and_keeps_features_and_licence(engine):
    data = (THEME_FONTS / "GentiumBookPlus-Regular.ttf").read_bytes()
    characters = frozenset("Small caps: Ѐfi ſt 1917")
    first = engine(data, characters, frozenset({"smcp"}))
    assert first == engine(data, characters, frozenset({"smcp"}))
    original, font = TTFont(io.BytesIO(data)), TTFont(io.BytesIO(first))
    assert {chr(c) for c in font.getBestCmap()} == characters & {
        chr(c) for c in original.getBestCmap()}
    gsub = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"smcp", "liga"} <= gsub
    assert "c2sc" not in gsub  # not asked for
    assert "kern" in {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    for name_id in (0, 1, 2, 13, 14):  # the copyright, the name, the licence and its URL
        assert font["name"].getDebugName(name_id) == original["name"].getDebugName(name_id)
    assert font["head"].modified == original["head"].modified


FACES_CSS = """
@font-face { font-family: Body; src: url(../fonts/r.ttf); }
@font-face { font-family: Body; font-style: italic; src: url(../fonts/i.ttf); }
@font-face { font-family: Body; font-weight: bold; src: url(../fonts/b.ttf); }
@font-face { font-family: Body; font-weight: bold; font-style: italic; src: url(../fonts/bi.ttf); }
html { font-family: Body, serif; }
"""


def characters_by_font(body: str, css: str = "") -> dict[str, set[str]]:
    from book.fontuse import font_use

    document = ('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
                '<link rel="stylesheet" href="css/s.css"/></head>'
                f"<body>{body}</body></html>")
    use = font_use({"d.xhtml": document}, {"css/s.css": FACES_CSS + css})
    found: dict[str, set[str]] = {}
    for face, characters in use.characters.items():
        for name in face.files:
            found.setdefault(Path(name).stem, set()).update(characters - ALWAYS)
    return found


@pytest.mark.parametrize("body, css, font, characters", [
    ("<p>a<em>b<strong>c</strong></em></p>", "", "bi", {"c"}),
    ("<p>a<em>b<strong>c</strong></em></p>", "", "i", {"b"}),
    ("<p class='x'>q</p>", ".x { font-weight: 700; font-style: oblique 10deg }", "bi", {"q"}),
    ("<p class='x'>q</p>", "@media print { .x { font-weight: bold } }", "r", {"q"}),
    ("<p class='x'>q</p>", ".x { text-transform: uppercase }", "r", {"q", "Q"}),
    ("<p class='x'>q</p>", ".x { font-variant: small-caps }", "r", {"q", "Q"}),
    ("<p class='x' data-l='Ж'>q</p>", ".x::before { content: attr(data-l) ' ' }", "r",
     {"q", "Ж"}),
    ("<h1>h</h1><p>p</p>", "h1 { font-weight: normal }", "r", {"h", "p"}),
    ("<ol><li>z</li></ol>", "", "r", {"z", *MARKERS}),
    ("<ol style='list-style: none'><li>z</li></ol>", "", "r", {"z"}),
])
def test_the_face_a_character_is_printed_in(body, css, font, characters):
    assert characters_by_font(body, css).get(font) == characters


# Which characters each test font has: Body's (r, i) the Latin, Hebrew's the Hebrew letters,
# Split's two halves of a family split as unicode-range splits one.
HAS = {"r.ttf": "abcxy", "i.ttf": "abc", "b.ttf": "abc", "bi.ttf": "abc",
       "he.ttf": "\u05d0\u05d1\u05d2\u05d3", "s1.ttf": "x", "s2.ttf": "y"}
FALLBACK_CSS = FACES_CSS + """
@font-face { font-family: Hebrew; src: url(../fonts/he.ttf); }
@font-face { font-family: Split; src: url(../fonts/s1.ttf); }
@font-face { font-family: Split; src: url(../fonts/s2.ttf); }
html { font-family: Body, Hebrew, serif; }
"""


def characters_with_fallback(body: str, css: str = "") -> dict[str, set[str]]:
    from book.fontuse import font_use

    document = ('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
                f'<link rel="stylesheet" href="css/s.css"/></head><body>{body}</body></html>')
    use = font_use({"d.xhtml": document}, {"css/s.css": FALLBACK_CSS + css}, lambda face:
                   frozenset(ord(c) for name in face.files for c in HAS[Path(name).name]))
    return {Path(name).stem: characters - ALWAYS
            for face, characters in use.characters.items() for name in face.files}


@pytest.mark.parametrize("body, css, expected", [
    # The Hebrew letters, which Body lacks, go to Hebrew; one no family has, to the first.
    ("<p>ab \u05d0\u05d1 \u263a <em>c\u05d2</em></p>", "",
     {"r": set("ab\u263a"), "he": set("\u05d0\u05d1\u05d2"), "i": {"c"}}),
    # A family none of whose faces is declared is passed over, as a reading system does.
    ("<p>a\u263a\u05d0</p>", "html { font-family: Missing, Body, Hebrew }",
     {"r": {"a", "\u263a"}, "he": {"\u05d0"}}),
    # A family split in faces takes a character any of them has (each face its share).
    ("<p>xy\u05d0</p>", "html { font-family: Hebrew, Split }",
     {"s1": {"x", "y"}, "s2": {"x", "y"}, "he": {"\u05d0"}}),
    # Generated text and a first letter fall back alike.
    ("<p class='g'>a</p>", ".g::before { content: '\u05d3' }", {"r": {"a"}, "he": {"\u05d3"}}),
    ("<p class='f'>\u05d3a</p>", ".f::first-letter { font-weight: bold }",
     {"r": {"a"}, "b": {"a"}, "he": {"\u05d3"}}),
    # A family of the reading system's own only: no face of ours prints it.
    ("<p class='m'>q</p>", ".m { font-family: monospace }", {}),
    # Families only the reading system can resolve: every face may print every character.
    ("<p>a\u05d0</p>", "html { font-family: var(--f) }",
     {n: {"a", "\u05d0"} for n in ("r", "i", "b", "bi", "he", "s1", "s2")}),
])
def test_a_character_the_first_family_lacks_is_printed_in_the_next_that_has_it(body, css,
                                                                              expected):
    assert characters_with_fallback(body, css) == expected


def test_a_face_no_rule_reaches_prints_nothing_and_an_unknown_weight_every_face():
    assert set(characters_by_font("<p>a<em>b</em></p>")) == {"r", "i"}
    found = characters_by_font("<p class='x'>q</p>", ".x { font-weight: var(--w) }")
    assert all("q" in found[font] for font in ("r", "b"))


@pytest.mark.parametrize("data", [b"not a font", b"\x00\x01\x00\x00" + b"garbage" * 10])
def test_a_file_no_subsetter_reads_is_packaged_as_it_is(data):
    subset.subset_font.cache_clear()
    assert subset.subset_font(data, frozenset("abc"), frozenset()) == data
