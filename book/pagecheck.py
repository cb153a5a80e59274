"""The pages as a book designer reads them, after layout: hyphens laddering down the margin,
words broken across the turn of a leaf, paragraphs ending in a scrap of a line, one-letter
words left at a line's end, pages ending short inside a text, notes away from their calls,
characters set in a font that is not the book's. Each is a warning at its printed page (a
word across a turn, a note for the editors to weigh), with the source's file:line when the
line is an author's paragraph or note (the edition's file otherwise).

What counts, and why:
- A ladder is more than LADDER lines in a row of one block ending in a hyphen, the
  hyphenator's (the hyphenate-character) or the source's own (a compound broken after its
  hyphen): the reader's eye sees the same stack of hyphens either way. Notes count too.
- A word broken across the turn of a leaf is a block's line ending in a hyphen (as for a
  ladder) whose next line is on a later page, after a right-hand page of a book printed on
  both sides (the first page is one), after any page of one printed on one side (`mirrored =
  false`): the reader would turn the leaf in the middle of the word. Across a spread, the
  eye goes on to the facing page, and compositors let it be. The re-layout does not track
  its paragraph as it does a ladder's: tried so, a classroom edition's pages were made three
  times over to mend one word in five, and a setting of one line more or less, which mends
  more, moves every page after it and left pages short.
- A short last line is judged in justified paragraphs only, of two lines or more: the notes,
  headings, list items and table cells are set ragged or short by design.
- A one-letter word at a line's end is judged by the rules of the line's language
  (sources/typography.yaml, `short_words`), on every line but a block's last.
- A page ends short when its last line of the main text stands more than SHORT_PAGE
  line-heights above the foot of the text block (the page's content less the notes), on any
  page of a text from its title's to the one before its last paragraph's, unless the next
  page opens with a heading or a forced break. A break the re-layout forced to keep notes
  with their calls is no excuse: it is reported, saying so.
- A fallback font is any font that is not one of the @font-face families, anywhere on the
  page (running heads and folios included): the book would depend on the machine's fonts.
- An emphasis printed upright is an <em> or <i> of a text's paragraph or note, or of a
  question, set by a face of the book's typeface that does not slant: a script whose font
  has no italic would lose the author's emphasis without a word. A theme's italics (a
  heading, a title in the contents) are set upright in such a script by custom.
- A block split is one its style keeps on one page (break-inside: avoid: the title page, a
  question with its answer lines, an entry of the bibliography) that is longer than a page,
  so that the layout had to break it: a title page run over onto a second page reads as a
  mistake. The outermost such block is named, once.
- Long lines are the main text's justified lines (a paragraph's last aside) of more than
  LONG_LINE characters by their median: past some ninety a reader's eye loses its way back to
  the next line's start (books set 60–75). One warning for the book, at its first such page.
- Text near the edge is any text (a running head, a folio) nearer than SAFE_MM to where the
  page is trimmed: a printer's trim may cut it, and a small margin leaves a head or a folio
  no room but there. Text of the page's own lines there, at a side, has run out of the text
  column (a table, a long word wider than it): the message says so, as widening the margin
  would only make it worse.
- A text is set loose when more than half of its justified lines (a paragraph's last aside,
  and a line of one word, which has no space to stretch) are loose, their spaces between
  words stretched wider than LOOSE_EM: a language without hyphenation patterns (Georgian)
  runs rivers of white down every page. A loose line here and there is what a line breaker
  that fills each line in turn leaves in a narrow column, and no editor mends it line by
  line: one warning for the text, at its first loose line.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import anchors
from .config import MIN_MARGIN_MM, key_line, millimetres
from .files import read_text
from .findings import Finding
from .languages import language_name
from .limits import MAX_SOURCE_BYTES
from .model import Book, PageSetup
from .relayout import TRACKING
from .typography import Typographies

LADDER = 3  # hyphenated lines in a row a block may have; one more is a ladder
SHORT_LAST_LINE = 5  # characters the last line of a paragraph has at least
SHORT_PAGE = 2  # lines a page inside a text may end short by
LONG_LINE = 95  # characters a justified line of the main text may hold, by their median
# How wide, in ems of its type, a justified line may stretch its spaces between words: twice
# a book face's space of about a quarter em (Times 0.25, Gentium 0.22, DejaVu 0.32). TeX warns
# of an underfull line at some twice Computer Modern's (badness 1000: 3.33 pt + 2.15 × 1.67 pt,
# 208%); InDesign's default maximum, 133%, is what its composer aims at. In ems, not in the
# font's space: a fallback font's wide one (Georgian in DejaVu) would hide gaps the reader
# sees, and this book's narrow one would make loose half its hyphenated lines, which leave
# up to 4 em unbroken (hyphenate-limit-zone, common.css) to fill in spaces.
LOOSE_EM = 0.5
SHOWN = 10  # findings of a kind listed per edition; the others are counted in one more
# What mends text of the page's own (a table, a long word) that runs out of its column.
WIDER_THAN_THE_COLUMN = "text out of the text column (a table, a long word) needs a wider " \
    "column: narrower margins, a larger page or a smaller type_size"
OVERFULL_MM = 1.0  # how far a line may reach past its column: a letter's overhang, no more
SAFE_MM = MIN_MARGIN_MM  # the band along the trimmed edge a printer keeps clear
SIDES = ("top", "bottom", "left", "right")
FORCED = {"page", "left", "right", "recto", "verso"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Generated content that is no text of the line: note calls and markers, list numbers.
NOT_TEXT = ("::footnote-call", "::footnote-marker", "::marker")
LAST_WORD = re.compile(r"(?:^|\s)([^\W\d_]+)$")
HARD_HYPHEN = re.compile(r"[^\W\d_][-\u2010]$")
SPACES = re.compile("[ \u00a0]")  # those a justified line stretches, no-break ones too

# How far the re-layout tracks a paragraph to mend it (book/relayout.py).
TRACKING_LIMIT = f"{max(abs(step) for step in TRACKING):g} em at most"
# The hint of what the re-layout mends (paragraph_faults), `{}` saying where it does not.
TRACKED = ("The build sets a text's paragraph a little tighter or looser to mend it "
           f"(letter-spacing, {TRACKING_LIMIT}), and could not here{{}}: in the edition file, a "
           "type size or margins a little different (only --strict stops the build on it)")
HINTS = {
    "overfull": "a word longer than its column is wide, or type too large for it: a smaller "
                "heading_size or type_size in the edition file, a wider column, or a narrower "
                "word (a stylesheet can let it break: overflow-wrap: anywhere)",
    "ladder": "a ladder of hyphens draws the eye down the margin. " + TRACKED.format(
        ", or it is a note"),
    "hyphen-at-turn": "the reader turns the leaf in the middle of the word; books let a few "
                      "stand, so it is for the editors to review. A type size or margins a "
                      "little different in the edition file move it, or the paragraph set a "
                      "hair tighter or looser in the edition's css/custom.css, by the id above "
                      "it in the source: '#ID { letter-spacing: -0.01em; }'. The layout does "
                      "not try it itself: each try makes the pages again, and a paragraph a "
                      "line longer or shorter moves every page after it",
    "short-last-line": "a last line this short leaves a hole in the column. " + TRACKED.format(
        ""),
    "one-letter-word": "the word is kept with the next one by a no-break space "
                       "(short_words in sources/typography.yaml): something between the two "
                       "words kept the space from being bound",
    "short-page": "inside a text a page ends short only before a heading or a forced break: "
                  "let the paragraphs around it break otherwise (orphans, widows, the notes)",
    "note-away": "a note is read on the page of its call: the re-layout could not keep it "
                 "there; a shorter note or a paragraph broken otherwise would",
    "fallback-font": "these characters are set in a font the book does not carry, so the "
                     "page depends on the machine: give the style that sets them the book's "
                     "families (those of the html rule in css/fonts.css), or, for a script "
                     "the book's fonts lack, add a font of its own there "
                     "(docs/adding-a-text.md)",
    "upright-italic": "the emphasis is lost on the page: add the italic face of that family "
                      "to css/fonts.css (an @font-face with font-style: italic), or, for a "
                      "script without italics, mark emphasis another way there, e.g. spaced "
                      "out, as Yiddish and Hebrew books do: '{selector} { font-style: "
                      "normal; letter-spacing: 0.15em; }' (a bold needs the family's bold "
                      "face)",
    "long-lines": "a smaller page, a larger type or wider margins in the edition file ([page] "
                  "size, type_size, margins); an A4 page turned to landscape holds lines too "
                  "long to read",
    "split-block": "the block is longer than the page holds: shorten it (for the title "
                   "page, what an edition's block title_extra adds), give it a smaller type "
                   "or larger pages in the edition file, or let it break (break-inside: auto "
                   "in the theme's stylesheet)",
    "near-edge": "a printer trims within a few millimetres: a running head or page number "
                 "needs a wider margin on that side ([page] margins in the edition file); "
                 + WIDER_THAN_THE_COLUMN,
    "past-edge": "a running head or page number needs a wider margin on that side ([page] "
                 "margins in the edition file), which the theme's print.css sets it in; "
                 + WIDER_THAN_THE_COLUMN,
    "loose-lines": "justified lines whose words cannot be broken (a language without "
                   "hyphenation patterns, as Georgian is) stretch the spaces between them: "
                   "set the language's paragraphs ragged in the edition's css/custom.css, e.g. "
                   "':lang(ka) p { text-align: start; }', or give them a longer line (a "
                   "smaller type_size, narrower margins or a larger page in the edition file); "
                   "a language that is hyphenated breaks more words with a smaller "
                   "hyphenate_zone (its entry in sources/typography.yaml)",
}
# What stops every build, not only a strict one: a printed book that has lost its letters;
# and what no build stops on, a refinement the editors weigh.
LEVELS = {"past-edge": "error", "hyphen-at-turn": "note"}
LABELS = {  # how the summary of the findings not listed counts them
    "overfull": "overfull lines", "ladder": "ladders", "short-last-line": "short last lines",
    "hyphen-at-turn": "words broken across the turn of a leaf",
    "one-letter-word": "lines ending in a one-letter word", "short-page": "short pages",
    "note-away": "notes away from their call", "fallback-font": "pages with a fallback font",
    "upright-italic": "pages with an emphasis printed upright",
    "split-block": "blocks split that their style keeps whole",
    "long-lines": "pages with long lines",
    "near-edge": "page edges with text near them",
    "past-edge": "page edges with text past them",
    "loose-lines": "texts set loose",
}


@dataclass(frozen=True)
class Line:
    page: int  # index in the document
    text: str
    hyphenated: bool
    lang: str | None  # the language of its last words
    block: Any  # the element of the block it belongs to
    justified: bool
    name: str | None = None  # the id a finding on its block is located by (see `_name`)
    space: float | None = None  # its word spaces in ems, if justified (`_word_space`)
    box: Any = field(default=None, compare=False, repr=False)  # its line box


def check_pages(book: Book, document: Any, moved: frozenset[str] = frozenset(),
                families: frozenset[str] = frozenset()) -> list[Finding]:
    """Every problem a book designer would send back on the laid-out `document` of `book`:
    warnings (LEVELS: errors where text runs past the trimmed edge, notes for a word across
    the turn of a leaf), SHOWN of each kind at most, the others counted in one more."""
    places = anchors.source_places(book.texts, book.questions)
    edition = book.edition
    # The copies of an edition are laid out apart, each with its own pages.
    named = edition.name if len(edition.copies) < 2 else f"{edition.name}, {edition.copy}'s copy"
    # code, page, message, path, line, the languages of the text found at fault
    found: list[tuple[str, int, str, Path | None, int | None, tuple[str, ...]]] = []

    def add(code: str, page: int, message: str, name: str | None = None,
            languages: tuple[str, ...] = ()) -> None:
        path, line = places.get(name, (edition.path, None))
        found.append((code, page, f"{named}, page {page + 1}: {message}", path, line,
                      languages))

    from weasyprint.formatting_structure import boxes

    blocks: dict[Any, list[Line]] = defaultdict(list)
    notes: set[Any] = set()  # the blocks set at the foot of a page
    for number, page in enumerate(document.pages):
        for root, line_box, chain in _page_lines(page._page_box):
            line = _line(number, line_box, _name(chain, places))
            over = _overfull(line_box, chain[-1] if chain else None)
            if over is not None:
                add("overfull", number, over, _name(chain, places))
            if line is not None:
                blocks[line.block].append(line)
                if isinstance(root, boxes.FootnoteAreaBox):
                    notes.add(line.block)
    for element, lines in blocks.items():
        _check_block(element, lines, add, book.typography, edition.page.mirrored)
    for page, message, name in _short_pages(book, document, moved):
        add("short-page", page, message, name)
    for page, message, name in _notes_away(book, document):
        add("note-away", page, message, name)
    for page, code, message, name, languages in _fonts(document, families, places):
        add(code, page, message, name, languages)
    for page, message, name in _split_blocks(document):
        add("split-block", page, message, name)
    for page, message, name in _loose_texts(book, blocks.values()):
        add("loose-lines", page, message, name)
    long = _long_lines([lines for block, lines in blocks.items() if block not in notes])
    if long:
        add("long-lines", *long)
    edges = list(_near_edge(document, edition.page))
    if edges:  # located at the margins, or the [page] they would go in
        source = read_text(edition.path, edition.path.parent, MAX_SOURCE_BYTES)
        line = key_line(source, "margins", "page") or key_line(source, "page")
        found += [(code, page, f"{named}, page {page + 1}: {message}", edition.path,
                   line, ()) for page, code, message in edges]
    return _capped(found, named, edition.path)


def _check_block(element: Any, lines: list[Line], add, typography: Typographies,
                 mirrored: bool) -> None:
    name = lines[0].name
    for code, page, message in [*paragraph_faults(element, lines),
                                *_turns(lines, mirrored)]:
        add(code, page, message, name)
    for line in lines[:-1]:
        word = LAST_WORD.search(line.text.rstrip())
        short = typography.rules_for(line.lang).short_words
        if word and not line.hyphenated and len(word.group(1)) <= short:
            add("one-letter-word", line.page, f"line ends in the one-letter word "
                f"«{word.group(1)}» ({language_name(line.lang, 'en')})", name)


def _turns(lines: Sequence[Line], mirrored: bool) -> Iterator[tuple[str, int, str]]:
    """Each word of a block's `lines` broken across the turn of a leaf (of a book printed on
    both sides if `mirrored`), as (code, page, message)."""
    for line, after in zip(lines, lines[1:], strict=False):
        if line.hyphenated and after.page > line.page and (line.page % 2 == 0 or not mirrored):
            yield "hyphen-at-turn", line.page, (
                f"a word broken across the turn of the leaf («{line.text.split()[-1]}» to "
                f"page {after.page + 1})")


def paragraph_faults(element: Any, lines: Sequence[Line]) -> Iterator[tuple[str, int, str]]:
    """What a compositor mends by setting a block's `lines` otherwise: each ladder and a short
    last line, as (code, page, message). The re-layout tries it (book/relayout.py)."""
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.hyphenated:
            run.append(line)
            continue
        if len(run) > LADDER:
            yield "ladder", run[0].page, f"{len(run)} hyphenated lines in a row (ladder)"
        run = []
    last = lines[-1].text.strip()
    if len(lines) > 1 and element.tag == "p" and lines[0].justified and \
            len(last) < SHORT_LAST_LINE:
        yield "short-last-line", lines[-1].page, (
            f"the last line of the paragraph is {len(last)} "
            f"character{'s' if len(last) != 1 else ''} («{last}»)")


def page_lines(page_box: Any, page: int) -> list[Line]:
    """The lines of page `page`'s main text and notes, in order, their word spaces not
    measured: what the re-layout judges a block by."""
    return [line for _, line_box, _ in _page_lines(page_box)
            if (line := _line(page, line_box, spaces=False)) is not None]


def _page_lines(page_box: Any) -> Iterator[tuple[Any, Any, tuple]]:
    """Each line box of a page's main text and notes, in order: the top box it stands in
    (the text's, or the notes' area), the line box, and the boxes it stands in."""
    for root in _flow(page_box, notes=True):
        for line_box, chain in _lines([root]):
            yield root, line_box, chain


def _flow(page_box: Any, notes: bool) -> Iterator[Any]:
    """The page's main text, and its notes if `notes`: never the running heads and folios."""
    from weasyprint.formatting_structure import boxes

    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        if isinstance(child, boxes.FootnoteAreaBox) and not notes:
            continue
        yield child


def _lines(roots, chain: tuple = ()) -> Iterator[tuple[Any, tuple]]:
    """Each line box under `roots`, in order, with the boxes it stands in."""
    from weasyprint.formatting_structure import boxes

    for box in roots:
        if isinstance(box, boxes.LineBox):
            if "::" not in (box.element_tag or ""):
                yield box, chain
            continue
        yield from _lines(getattr(box, "children", ()), (*chain, box))


def _name(chain: tuple, places: dict) -> str | None:
    """The id of the innermost box a line stands in whose source the `places` know: its
    paragraph's or note's, or a question's item, whose wording and answer are paragraphs."""
    return next((name for box in reversed(chain) if box.element is not None
                 and (name := box.element.get("id")) in places), None)


def _line(page: int, line_box: Any, name: str | None = None, spaces: bool = True
          ) -> Line | None:
    """The line as the reader sees it: its words, without note calls or list numbers; and
    if `spaces`, how wide its word spaces are set."""
    texts = _words(line_box)
    if not texts or line_box.element is None:
        return None
    text = "".join(box.text for box in texts)
    last = next((box for box in reversed(texts) if box.text.strip()), texts[-1])
    ending = last.text.rstrip()
    hyphen = last.style["hyphenate_character"]
    hyphenated = ending.endswith(hyphen) or bool(HARD_HYPHEN.search(ending))
    return Line(page, text, hyphenated, last.style["lang"], line_box.element,
                line_box.style["text_align_all"] == "justify", name,
                _word_space(texts) if spaces else None, line_box)


def _words(line_box: Any) -> list[Any]:
    """The text boxes of a line that hold its words: not its note calls or list numbers."""
    return [box for box in _text_boxes(line_box)
            if not (box.element_tag or "").endswith(NOT_TEXT)]


def loose_lines(lines: Sequence[Line]) -> int:
    """How many of `lines` space their words wider than LOOSE_EM, measured now for those read
    without (`page_lines`)."""
    return sum((line.space if line.space is not None else _word_space(_words(line.box)) or 0)
               > LOOSE_EM for line in lines)


def _word_space(texts: list[Any]) -> float | None:
    """The mean width of the line's spaces between words, in ems of their type, as the
    justification stretched them: WeasyPrint widens each space of a justified line by the
    same `justification_spacing`, kept on each of its text boxes, and the box by as many.
    None for a line it left as it was: set ragged, a paragraph's last, or of one word."""
    spacing = max((box.justification_spacing for box in texts), default=0)
    spaced = [(box, len(SPACES.findall(box.text))) for box in texts if SPACES.search(box.text)]
    if spacing <= 0 or not spaced:
        return None
    return sum((_spaces_width(box, box.width - count * spacing) + count * spacing)
               / box.style["font_size"] for box, count in spaced) / sum(n for _, n in spaced)


def _spaces_width(box: Any, natural: float) -> float:
    """The width of the text box's spaces unstretched, its text being `natural` wide so: what
    the text gains with each space doubled. So each is measured in the font it is set in (a
    Georgian text's own, not the first family's), at its size, with the style's word and
    letter spacing."""
    from weasyprint.text.line_break import Layout, line_size

    layout = Layout(box.style)
    layout.set_text(SPACES.sub(r"\g<0>\g<0>", box.text))
    return line_size(layout.get_first_line()[0], box.style)[0] - natural


def _overfull(line_box: Any, block: Any) -> str | None:
    """What a line sets past the end of its column (a word too long for it, a heading's type
    too large), if it reaches more than OVERFULL_MM past it: TeX's overfull box. The column
    holds its block's padding, where a contents line's page number hangs by design."""
    # A line too long for its block is as wide as what it holds: the block says where the
    # column ends.
    end = block.padding_box_x() + block.padding_width() if block is not None else \
        line_box.position_x + line_box.width
    reach = max(((box.position_x + box.width, box.text.strip()) for box in _text_boxes(line_box)
                 if box.text.strip()), default=None, key=lambda r: r[0])
    if reach is None or line_box.style["direction"] == "rtl":
        return None
    over = (reach[0] - end) * 25.4 / 96
    if over <= OVERFULL_MM:
        return None
    shown = reach[1] if len(reach[1]) <= 30 else reach[1][:29] + "…"
    return f"«{shown}» sticks out {over:.1f} mm past the end of its column (an overfull line)"


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_boxes(child)


def _short_pages(book: Book, document: Any, moved: frozenset[str]
                 ) -> Iterator[tuple[int, str, Any]]:
    """Pages of a text, but its last, whose main text ends more than SHORT_PAGE lines above
    the foot of the text block, unless the next page opens with a heading or a forced break."""
    text_of = {p.id: t.id for t in book.texts for p in t.paragraphs}
    # text id -> the pages of its title and paragraphs: a text opens at its title
    pages: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(document.pages):
        for line_box, _ in _lines(_flow(page._page_box, notes=False)):
            text = text_of.get(_id(line_box))
            if text:
                pages[text].append(number)
        for text in book.texts:
            if text.id in page.anchors:
                pages[text.id].append(number)
    for numbers in pages.values():
        for number in range(min(numbers), max(numbers)):
            page_box = document.pages[number]._page_box
            lines = [line for line, _ in _lines(_flow(page_box, notes=False))]
            short = _lines_short(page_box, lines)
            if short is not None and short <= SHORT_PAGE:
                continue
            opening, forced = _opening(document, number + 1)
            if opening is not None and (opening.element_tag in HEADINGS or
                                        forced is not None and forced not in moved):
                continue
            why = " (the next paragraph was moved to a new page to keep a note with its " \
                  "call)" if forced in moved else ""
            # Mended where the next page begins, as the re-layout mends a note pushed away.
            name = _id(opening)
            if name not in text_of and lines:
                name = _id(lines[-1])
            yield number, (f"the page ends {short} lines short inside the text{why}"
                           if short is not None else f"the page is empty inside the text{why}"
                           ), name


def _id(box: Any) -> str | None:
    element = getattr(box, "element", None)
    return element.get("id") if element is not None else None


def _lines_short(page_box: Any, lines: list[Any]) -> int | None:
    """How many of its last line's height the page's main text ends above the text block's
    foot (the page's content box, less the notes); None if it has no text."""
    from weasyprint.formatting_structure import boxes

    foot = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            foot = min(foot, child.position_y)
    if not lines:
        return None
    last = max(lines, key=lambda line: line.position_y + line.height)
    return int((foot - last.position_y - last.height) / last.height) if last.height else 0


def _opening(document: Any, number: int) -> tuple[Any, str | None]:
    """The first line of the page's main text, and the id (or "") of the box that forced a
    break before it, if one did: a box that begins on this page with break-before: page."""
    if number >= len(document.pages):
        return None, None
    # Boxes hold their element's proxy for good, so the same element is the same object.
    previous = {box.element for box in _boxes(document.pages[number - 1]._page_box)
                if box.element is not None}
    for line, chain in _lines(_flow(document.pages[number]._page_box, notes=False)):
        for box in (*chain, line):
            if box.element is not None and box.element not in previous and \
                    box.style["break_before"] in FORCED:
                return line, box.element.get("id") or ""
        return line, None
    return None, None


def _long_lines(blocks: list[list[Line]]) -> tuple[int, str] | None:
    """The first page and the words of a warning if the justified lines of the main text's
    `blocks` are longer than LONG_LINE characters, by their median; else None."""
    justified = [[line for line in block if line.justified] for block in blocks]
    full = sorted((len(line.text.strip()), line.page) for block in justified
                  for line in block[:-1])
    if not full:
        return None
    median = full[len(full) // 2][0]
    if median <= LONG_LINE:
        return None
    first = min(page for length, page in full if length > LONG_LINE)
    return first, (f"the text's lines hold {median} characters (the median of its justified "
                   f"lines): past some ninety a reader's eye loses its way back to the next "
                   "line's start; books set 60–75")


def _loose_texts(book: Book, blocks) -> Iterator[tuple[int, str, str]]:
    """Each text more than half of whose justified lines (its paragraphs' and notes') are
    loose, at its first loose line: (page, message, paragraph or note id)."""
    text_of = {part: text.id for text in book.texts
               for part in (*(p.id for p in text.paragraphs),
                            *(anchors.note(text.id, note.label) for note in text.notes))}
    justified: dict[str, list[Line]] = defaultdict(list)  # text id -> its justified lines
    for line in (line for lines in blocks for line in lines):
        if line.space is not None and line.name in text_of:
            justified[text_of[line.name]].append(line)
    for text in book.texts:
        lines = justified[text.id]
        loose = [line for line in lines if line.space > LOOSE_EM]
        if len(loose) * 2 <= len(lines):
            continue
        median = statistics.median(line.space for line in lines)
        yield loose[0].page, (
            f"the {language_name(text.lang, 'en')} text is set loose: {len(loose)} of its "
            f"{len(lines)} justified lines space their words wider than {LOOSE_EM:g} em "
            f"({median:.2f} em by their median), which runs rivers of white down its pages"), \
            loose[0].name


def _split_blocks(document: Any) -> Iterator[tuple[int, str, str | None]]:
    """Each outermost block kept on one page by its style (break-inside: avoid) that the
    layout broke across pages, at its first page. (A block inside one kept whole is split
    only if that one is.)"""
    pages: dict[Any, list[int]] = {}  # element -> the pages its boxes are on

    def kept_whole(box: Any, number: int) -> None:
        if getattr(box, "is_header", False) or getattr(box, "is_footer", False):
            return  # a table's head or foot, repeated on each page the table is on
        if box.element is not None and "::" not in (box.element_tag or "") and \
                box.style["break_inside"] in ("avoid", "avoid-page"):
            pages.setdefault(box.element, []).append(number)
            return
        for child in getattr(box, "children", ()):
            kept_whole(child, number)

    for number, page in enumerate(document.pages):
        for box in _flow(page._page_box, notes=True):
            kept_whole(box, number)
    for element, numbers in pages.items():
        if numbers[0] != numbers[-1]:
            classes = element.get("class")
            what = f"<{element.tag}{f' class={classes!r}' if classes else ''}>"
            yield numbers[0], (f"{what} runs over onto page {numbers[-1] + 1}, though its "
                               "style keeps it on one page (break-inside: avoid)"), \
                element.get("id")


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _notes_away(book: Book, document: Any) -> Iterator[tuple[int, str, Any]]:
    """Each note set on another page than its call's."""
    page_of: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            page_of.setdefault(name, number)
    for text in book.texts:
        for note in text.notes:
            call = page_of.get(anchors.call(text.id, note.label))
            away = page_of.get(anchors.note(text.id, note.label))
            if call is not None and away is not None and away != call:
                yield call, f"note {note.label} is set on page {away + 1}, away from its " \
                            "call", anchors.note(text.id, note.label)


def _fonts(document: Any, families: frozenset[str], authors: Container[str] = ()
           ) -> Iterator[tuple[int, str, str, Any, tuple[str, ...]]]:
    """Per page, the characters set in a font not of `families`, by font ("fallback-font"),
    and those of an emphasis in the `authors` blocks (paragraphs, notes, questions) that a
    face of the book sets upright ("upright-italic"), with the languages of their text (the
    hint's rule names them). Each text box is shaped again as drawing will shape it, but only
    when it holds a character not yet seen set in the book's typeface in its style: a few
    hundred boxes in a whole book."""
    seen: dict[tuple, set[str]] = defaultdict(set)  # style -> characters set in the typeface
    slanting: dict[int, bool] = {}  # by face, while the document holds its fonts
    for number, page in enumerate(document.pages):
        # (code, font) -> the words it sets, and the block of the first
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        first: dict[tuple[str, str], str | None] = {}
        languages: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)  # in order
        for box, block, emphasis in _text_boxes_of(page._page_box):
            # An emphasis of the words (the author's *…*), not a theme's italic heading or
            # title: a script without italics sets those upright by custom.
            italic = box.style["font_style"] != "normal" and emphasis and block in authors
            key = (*(str(box.style[p]) for p in FONT_PROPERTIES), italic)
            if not box.text.strip() or set(box.text) <= seen[key]:
                continue
            for family, characters, slants in _runs(box, slanting):
                upright = italic and not slants
                if family in families and not upright:  # set as it should be: seen
                    seen[key] |= set(characters)
                if not characters.strip() or (family in families and not upright):
                    continue
                code = "fallback-font" if family not in families else "upright-italic"
                found[code, family].append(characters.strip())
                first.setdefault((code, family), block)
                if box.style["lang"]:
                    languages[code, family][box.style["lang"]] = None
        for (code, family), words in found.items():
            shown = " ".join(" ".join(dict.fromkeys(words)).split())  # no-break spaces too
            shown = shown if len(shown) <= 30 else shown[:29] + "…"
            yield number, code, (
                f"«{shown}» is set in a fallback font ({family}), not the book's typeface"
                if code == "fallback-font" else f"the emphasis «{shown}» is printed upright: "
                f"the book's font for it ({family}) has no italic"), \
                first[code, family], tuple(languages[code, family])


def _near_edge(document: Any, setup: PageSetup) -> Iterator[tuple[int, str, str]]:
    """Per page and side, the text nearest the trimmed edge if it is nearer than SAFE_MM:
    (page, code, message), "past-edge" where its letters run past the edge, which cuts
    them off, "near-edge" where they stand in the band a printer keeps clear."""
    from weasyprint.formatting_structure import boxes

    safe = SAFE_MM * 96 / 25.4  # CSS pixels, as WeasyPrint lays out
    for number, page in enumerate(document.pages):
        nearest: dict[str, tuple[float, str, float, bool]] = {}
        for area in page._page_box.children:
            # The text's own lines, not a running head or a folio: near a side edge, they
            # are wider than the column, whatever the margin.
            flow = not isinstance(area, boxes.MarginBox)
            for box, _, _ in _text_boxes_of(area):
                if not box.text.strip():
                    continue
                # The letters, not the box: it holds the font's whole height and half the
                # leading, more than ascenders (0.8 em above the baseline) and descenders
                # reach.
                baseline, em = box.position_y + box.baseline, box.style["font_size"]
                gaps = (baseline - 0.8 * em, page.height - baseline - 0.25 * em,
                        box.position_x, page.width - box.position_x - box.width)
                for side, gap in zip(SIDES, gaps, strict=True):
                    if gap < safe and (side not in nearest or gap < nearest[side][0]):
                        nearest[side] = (gap, box.text.strip(), em, flow)
        for side in SIDES:
            if side not in nearest:
                continue
            gap, text, em, flow = nearest[side]
            shown = text if len(text) <= 30 else text[:29] + "…"
            mm = gap * 25.4 / 96
            # The edition's key for a side margin: the page's left is inner or outer.
            margin = _side_margin(side, page, setup) if side in ("left", "right") else ""
            # A running head or a folio moves with its margin: by how much it must grow.
            room = "" if margin or flow else f"; a {side} margin of " \
                f"{math.ceil(_margin_mm(page, side) + SAFE_MM - mm)} mm keeps it clear"
            # Past by more than the guess of the letters' reach may be off: text whose box
            # ends at the edge is near it.
            if gap < -0.1 * em:
                across = f"out of the text column across the {margin} margin" if flow else \
                    f"from the {margin} margin"
                yield number, "past-edge", f"«{shown}» runs {-mm:.1f} mm past the {side} " \
                    f"edge{f', {across}' if margin else ''}: trimming the page cuts it off" \
                    + room
            else:  # at the edge, as near as can be told, under a twentieth of a millimetre
                # Rounded down: 4.96 mm is not "5.0 mm, within the 5 mm".
                shown_mm = math.floor(round(mm, 3) * 10) / 10
                where = f"stands {shown_mm:.1f} mm from" if shown_mm >= 0.1 else "touches"
                into = f"out of the text column into the {margin} margin" if flow else \
                    f"in the {margin} margin"
                yield number, "near-edge", f"«{shown}» {where} the {side} edge" \
                    f"{f', {into}' if margin else ''}, within the {SAFE_MM} mm a printer " \
                    "keeps clear" + room


def _margin_mm(page: Any, side: str) -> float:
    """The page's margin at its top or bottom, as laid out, in millimetres."""
    box = page._page_box
    return (box.margin_top if side == "top" else box.margin_bottom) * 25.4 / 96


def _side_margin(side: str, page: Any, setup: PageSetup) -> str:
    """Which of the edition's [page] margins, inner or outer, stands at the page's `side`
    ("left" or "right"): the one the page's margin is as wide as, or where both are, the one
    page.css puts there, the inner at the left but on the verso of a bound book."""
    box = page._page_box
    width = box.margin_left if side == "left" else box.margin_right
    off_inner, off_outer = (abs(width - millimetres(m) * 96 / 25.4) for m in setup.margins[2:])
    if off_inner != off_outer:  # a theme's pages (the title leaves) may set their own
        return "inner" if off_inner < off_outer else "outer"
    verso = setup.mirrored and box.page_type.side == "left"
    return "inner" if (side == "left") != verso else "outer"


EMPHASIS = {"em", "i"}
FONT_PROPERTIES = ("font_family", "font_style", "font_weight", "font_stretch",
                   "font_variant_caps", "lang")


def _text_boxes_of(box: Any, block: str | None = None, emphasis: bool = False
                   ) -> Iterator[tuple[Any, str | None, bool]]:
    """Every text box of the page, running heads included, with the id of its block and
    whether it stands in an emphasis (<em>, <i>: a link or a bold inside one too)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box, block, emphasis or box.element_tag in EMPHASIS
        return
    if isinstance(box, boxes.BlockContainerBox) and box.element is not None:
        block = box.element.get("id") or block
    emphasis = emphasis or (isinstance(box, boxes.InlineBox) and box.element_tag in EMPHASIS)
    for child in getattr(box, "children", ()):
        yield from _text_boxes_of(child, block, emphasis)


def _runs(box: Any, slanting: dict[int, bool]) -> Iterator[tuple[str, str, bool]]:
    """(font family, characters, whether its face slants) of each run of the text box, as
    Pango shapes it to draw; `slanting` keeps the answer for each face of the layout (a book
    has a few faces, its runs many thousands)."""
    from weasyprint.text.ffi import ffi, harfbuzz, pango

    layout = box.pango_layout
    layout.reactivate(box.style)  # as drawing does: layouts are let go after layout
    try:
        line, _ = layout.get_first_line()
        data = layout.text.encode()
        run = line.runs[0] if line.runs != ffi.NULL else ffi.NULL
        while run != ffi.NULL:
            item = run.data.item
            run = run.next
            description = pango.pango_font_describe_with_absolute_size(item.analysis.font)
            try:
                family = ffi.string(pango.pango_font_description_get_family(description))
            finally:
                pango.pango_font_description_free(description)
            face = harfbuzz.hb_font_get_face(pango.pango_font_get_hb_font(item.analysis.font))
            key = int(ffi.cast("uintptr_t", face))
            if key not in slanting:
                slanting[key] = _slants(face)
            yield (family.decode(),
                   data[item.offset:item.offset + item.length].decode(errors="replace"),
                   slanting[key])
    finally:
        layout.deactivate()


def _slants(face: Any) -> bool:
    """Whether the font face is italic or oblique, as its tables say: OS/2's italic bit, or
    an italic angle in post. A variable font with a slant or italic axis (fvar) may slant
    along it, and a face with neither table says nothing: both are taken as slanting."""
    os2, post, fvar = (_table(face, name) for name in (b"OS/2", b"post", b"fvar"))
    if len(fvar) >= 16:  # its axes, axisSize bytes each from axesArrayOffset, a tag first
        offset, count, size = (int.from_bytes(fvar[i:i + 2], "big") for i in (4, 8, 10))
        if {fvar[offset + n * size:offset + n * size + 4] for n in range(count)} & {
                b"slnt", b"ital"}:
            return True
    if len(os2) < 64 and len(post) < 8:
        return True
    return (len(os2) >= 64 and bool(os2[63] & 1)) or (len(post) >= 8 and
                                                       post[4:8] != b"\0\0\0\0")


def _table(face: Any, name: bytes) -> bytes:
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, int.from_bytes(name, "big"))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _hint(code: str, languages: Sequence[str] = ()) -> str:
    """What to do of a finding: HINTS[code]; for an emphasis printed upright, its example
    rule is written for the languages of the text it was found in (':lang(he) em'), not for
    another's."""
    selector = ", ".join(f":lang({tag}) em" for tag in languages) or "em"
    return HINTS[code].replace("{selector}", selector) if code == "upright-italic" \
        else HINTS[code]


def _capped(found, edition: str, path: Path) -> list[Finding]:
    """The findings (warnings, or else LEVELS) in page order, SHOWN of each kind; then,
    for a kind with more, one that counts the rest and names their pages."""
    by_code: dict[str, list] = defaultdict(list)
    for item in sorted(found, key=lambda f: f[1]):
        by_code[item[0]].append(item)
    shown = sorted((item for items in by_code.values() for item in items[:SHOWN]),
                   key=lambda f: f[1])
    findings = [Finding(LEVELS.get(code, "warning"), code, message, where, line,
                        _hint(code, languages))
                for code, _, message, where, line, languages in shown]
    for code, items in by_code.items():
        rest = items[SHOWN:]
        if rest:
            pages = list(dict.fromkeys(page + 1 for _, page, *_ in rest))
            listed = ", ".join(map(str, pages[:20])) + (", …" if len(pages) > 20 else "")
            # Located where all of them are, if they are in one place (the margins line).
            places = {(where, line) for *_, where, line, _ in rest}
            languages = tuple(dict.fromkeys(tag for *_, tags in rest for tag in tags))
            where, line = places.pop() if len(places) == 1 else (path, None)
            findings.append(Finding(LEVELS.get(code, "warning"), code,
                                    f"{edition}, pages {listed}: {len(rest)} more "
                                    f"{LABELS[code]}", where, line, _hint(code, languages),
                                    count=len(rest)))
    return findings
