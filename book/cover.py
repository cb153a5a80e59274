"""The EPUB's cover: an SVG image of the title and subtitle, drawn as the outlines of the
vendored typeface's glyphs, so that it looks the same on every reading system and needs no
font of its own (an SVG used as an image loads none)."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence

# The image's size in its own units: a 2:3 page, the shape stores ask for.
WIDTH, HEIGHT = 1200, 1800
MARGIN = 120
TITLE_SIZE, SUBTITLE_SIZE = 260, 66
INK, RULE = "#222222", "#888888"


def cover_svg(title: str, subtitle: str, regular: bytes, italic: bytes, accent: str = "",
              description: str = "") -> bytes:
    """The cover as SVG bytes: the title large, a rule, the subtitle in italic, each line
    centred and wrapped to the page; `regular` and `italic` are the faces' files, as read;
    `description` is its <title>, what a reader hears."""
    from fontTools.ttLib import TTFont

    faces = {"title": TTFont(io.BytesIO(regular), lazy=True),
             "subtitle": TTFont(io.BytesIO(italic), lazy=True)}
    glyphs: dict[tuple[str, str], str] = {}  # (face, glyph name) -> id of its <path>
    defs: list[str] = []
    uses: list[str] = []

    def line(face: str, words: str, size: float, baseline: float, colour: str) -> None:
        font = faces[face]
        scale = size / font["head"].unitsPerEm
        laid = _laid_out(font, words)
        x = (WIDTH - sum(advance for _, advance in laid) * scale) / 2
        glyph_set = font.getGlyphSet()
        for name, advance in laid:
            key = (face, name)
            if key not in glyphs:
                d = _outline(glyph_set, name)
                glyphs[key] = f"g{len(glyphs)}" if d else ""
                if d:
                    defs.append(f'<path id="{glyphs[key]}" d="{d}"/>')
            if glyphs[key]:
                uses.append(f'<use xlink:href="#{glyphs[key]}" fill="{colour}" transform="'
                            f'translate({x:.1f} {baseline:.1f}) scale({scale:.4f} {-scale:.4f})"/>')
            x += advance * scale

    measure = WIDTH - 2 * MARGIN
    # A long title or subtitle is set smaller until it fits its part of the page.
    title_size, title_lines = _fitted(faces["title"], title, TITLE_SIZE, measure,
                                      HEIGHT * 0.4, 1.15)
    baseline = HEIGHT * 0.36 - (len(title_lines) - 1) * title_size * 1.15 / 2
    for text in title_lines:
        line("title", text, title_size, baseline, accent or INK)
        baseline += title_size * 1.15
    rule_at = baseline - title_size * 0.55
    baseline = rule_at + SUBTITLE_SIZE * 1.9
    subtitle_size, subtitle_lines = _fitted(faces["subtitle"], subtitle, SUBTITLE_SIZE,
                                            measure, HEIGHT - MARGIN - baseline, 1.4)
    for text in subtitle_lines:
        line("subtitle", text, subtitle_size, baseline, INK)
        baseline += subtitle_size * 1.4
    svg = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-labelledby="cover-title">\n'
        f'<title id="cover-title">{html.escape(description or title, quote=False)}</title>\n'
        f'<defs>\n{chr(10).join(defs)}\n</defs>\n'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fdfcf8"/>\n'
        f'<rect x="{MARGIN / 2}" y="{MARGIN / 2}" width="{WIDTH - MARGIN}" '
        f'height="{HEIGHT - MARGIN}" fill="none" stroke="{accent or RULE}" stroke-width="4"/>\n'
        f'<rect x="{WIDTH / 2 - 120}" y="{rule_at:.1f}" width="240" height="4" '
        f'fill="{accent or RULE}"/>\n'
        + "\n".join(uses) + "\n</svg>\n")
    return svg.encode("utf-8")


def _laid_out(font, text: str) -> list[tuple[str, int]]:
    """Each character's glyph and advance, from the font's cmap: the title and subtitle are
    Latin, Greek or Cyrillic, which need no shaping beyond it. A character the font lacks
    is left out (the documents' own check names it)."""
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return [(cmap[ord(c)], metrics[cmap[ord(c)]][0]) for c in text if ord(c) in cmap]


def _width(font, text: str, size: float) -> float:
    return sum(a for _, a in _laid_out(font, text)) * size / font["head"].unitsPerEm


def _fitted(font, text: str, size: float, measure: float, height: float,
            leading: float) -> tuple[float, Sequence[str]]:
    """The size, at most `size`, at which `text` wrapped to the measure fits `height`, and its
    lines: no word wider than the measure, no more lines than the height holds."""
    while True:
        lines = _wrapped(font, text, size, measure)
        widest = max((_width(font, line, size) for line in lines), default=0)
        if widest > measure:
            size *= measure / widest
            continue
        if size <= 12 or len(lines) * size * leading <= height:
            return size, lines
        size *= 0.9


def _wrapped(font, text: str, size: float, measure: float) -> Sequence[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _width(font, f"{lines[-1]} {word}", size) <= measure:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _outline(glyph_set, name: str) -> str:
    from fontTools.pens.svgPathPen import SVGPathPen

    pen = SVGPathPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.getCommands()
