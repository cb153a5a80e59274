"""The print edition's pages in the EPUB: where each page of the laid-out PDF begins, found
in its boxes, and the same places marked in the EPUB's documents (epub:type="pagebreak"),
so that a reader of the EPUB can follow a class reading the printed book page by page.

A place is the id of the innermost element holding the page's first line and the count of
characters of that element's text before it. Spaces, soft hyphens, the hyphens the layout
adds and the notes are not counted: the two formats set spaces alike but notes apart (at the
foot of the page, after the paragraph). Each place is checked against the page's first
characters; a page that begins where the EPUB has no twin (the half-title, the printed
contents) gets no marker rather than a wrong one."""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import anchors

# The characters of a page's beginning that its place in the EPUB must repeat.
CHECKED = 40
# The XHTML our templates render, token by token (well-formed: check_document parsed it).
_QUOTED = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
TOKEN = re.compile(rf"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!{_QUOTED}>|<{_QUOTED}>|[^<]+",
                   re.DOTALL)
ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
NAME = re.compile(r"</?([^\s/>]+)")
CHARACTER = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);|.", re.DOTALL)
# Elements whose text is not the book's: nothing of theirs is on a page.
UNREAD = {"head", "script", "style", "title"}


@dataclass(frozen=True)
class PageStart:
    """Where a page of the PDF begins."""

    label: str  # the page's number, as its folio prints it
    anchor: str  # the id of the innermost element holding the page's first line
    offset: int  # the characters of that element's text before the page (see above)
    begins: str  # the page's first characters in that element, up to CHECKED


@dataclass(frozen=True)
class Placed:
    """A page marked in the EPUB."""

    label: str
    document: str  # the EPUB document's file name
    id: str  # the marker's id


def counted(text: str) -> str:
    """The characters of `text` that places count."""
    return "".join(c for c in text if not c.isspace() and c != "\u00ad")


def page_starts(document) -> tuple[PageStart, ...]:
    """Where each page of WeasyPrint's laid-out `document` begins."""
    from .pdftags import added_hyphen

    root = document.pages[0]._page_box.children[0].element
    parent = {child: element for element in root.iter() for child in element}
    ids: dict[object, tuple[str, ...]] = {}

    def ids_of(element) -> tuple[str, ...]:
        """The ids of `element` and of the elements around it, innermost first."""
        if element not in ids:
            own = (element.get("id"),) if element.get("id") else ()
            above = parent.get(element)
            ids[element] = own + (ids_of(above) if above is not None else ())
        return ids[element]

    seen = Counter()  # characters of each id's text set on the pages so far
    starts = []
    hyphenated = False  # the last line set ended in a hyphen the layout added
    heads: set = set()  # the tables whose head is set: a page that repeats it starts after it
    for number, page in enumerate(document.pages, 1):
        start: list = []  # [anchor, offset, characters], once the page's first text is met
        for box in _text_boxes(page._page_box, heads):
            hyphen = added_hyphen(box)
            text = counted(box.text[:len(box.text) - len(hyphen)])
            holders = ids_of(box.element)
            if not start and holders and text:
                # A page that goes on with a word begun on the last is marked after it.
                tail = len(re.match(r"\S*", box.text).group()) if hyphenated else 0
                tail = len(counted(box.text[:tail]))
                start = [holders[0], seen[holders[0]] + tail, text[tail:]]
            elif start and start[0] in holders:
                start[2] += text
            for holder in holders:
                seen[holder] += len(text)
            hyphenated = bool(hyphen)
        if start and start[2]:
            starts.append(PageStart(str(number), start[0], start[1], start[2][:CHECKED]))
    return tuple(starts)


def _text_boxes(box, heads: set) -> Iterator:
    """The boxes of the text a page sets in its flow, in order: not its margins (running heads,
    folios), not its footnotes, not what the layout generates (a note's call, a leader), not
    a table's head repeated from an earlier page."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.FootnoteAreaBox, boxes.MarginBox)):
        return
    if getattr(box, "is_header", False) or getattr(box, "is_footer", False):
        if box.element in heads:
            return
        heads.add(box.element)
    if isinstance(box, boxes.TextBox):
        if box.element is not None and "::" not in box.element_tag:
            yield box
        return
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, heads)


def note_ids(book) -> set[str]:
    """The ids of the notes and of their calls, whose text places do not count."""
    return {make(text.id, note.label) for text in book.texts for note in text.notes
            for make in (anchors.note, anchors.call)}


def mark_pages(documents: dict[str, str], starts: Sequence[PageStart], skipped: set[str]
               ) -> tuple[dict[str, str], list[Placed]]:
    """`documents` (XHTML by file name, in reading order) with a page break marker where each
    of `starts` begins, and the pages marked; `skipped`: ids of elements not counted (notes)."""
    names = list(documents)
    parsed = {name: _Parsed(documents[name]) for name in names}
    skipped = frozenset(skipped)
    # Each page's place, in whichever document holds it (the print edition orders its parts
    # otherwise: the colophon is at its front, the EPUB's at its end).
    found = []  # (start, document's index, position)
    for start in starts:
        for index, name in enumerate(names):
            where = parsed[name].place(start, skipped)
            if where is not None and anchors.page(start.label) not in parsed[name].ids:
                found.append((start, index, where))
                break
    inserts: dict[str, list[tuple[int, str]]] = {name: [] for name in names}
    placed: list[Placed] = []
    # The page list follows the reading order: the most pages whose places do.
    for start, index, where in _in_order(found):
        name, marker = names[index], anchors.page(start.label)
        inserts[name].append((where, f'<span epub:type="pagebreak" role="doc-pagebreak" '
                                     f'id="{marker}" aria-label="{html.escape(start.label)}">'
                                     '</span>'))
        placed.append(Placed(start.label, name, marker))
    marked = {}
    for name in names:
        text = documents[name]
        for where, markup in sorted(inserts[name], reverse=True):
            text = text[:where] + markup + text[where:]
        marked[name] = text
    return marked, placed


def _in_order(found: list) -> list:
    """The longest run of `found` (in page order) whose places are in reading order too."""
    best: list[list] = []  # best[i]: the longest such run ending with found[i]
    for i, (_, index, where) in enumerate(found):
        before = [best[j] for j in range(i) if found[j][1:] < (index, where)]
        best.append(max(before, key=len, default=[]) + [found[i]])
    return max(best, key=len, default=[])


class _Parsed:
    """An XHTML document as tokens, with where each id's element begins and ends."""

    def __init__(self, text: str) -> None:
        self.tokens = [(m.start(), m.group()) for m in TOKEN.finditer(text)]
        self.spans: dict[str, tuple[int, int]] = {}  # id -> (first token, last token)
        open_: list[tuple[str, str | None, int]] = []  # (name, id, token) of open elements
        for index, (_, token) in enumerate(self.tokens):
            if not token.startswith("<") or token.startswith(("<!", "<?")):
                continue
            name = NAME.match(token).group(1)
            if token.startswith("</"):
                while open_:
                    opened, identifier, begun = open_.pop()
                    if identifier:
                        self.spans.setdefault(identifier, (begun, index))
                    if opened == name:
                        break
                continue
            found = ID.search(token)
            identifier = (found.group(1) or found.group(2)) if found else None
            if token.endswith("/>"):
                if identifier:
                    self.spans.setdefault(identifier, (index, index))
            else:
                open_.append((name, identifier, index))
        self.ids = set(self.spans)
        self._texts: dict[tuple[str, frozenset[str]], tuple[list[int], str, list[int]]] = {}

    def place(self, start: PageStart, skipped: set[str]) -> int | None:
        """The position in the document where `start` begins, if its element is here and its
        text holds the page's first characters: at the page's count of characters, or, where
        the formats' texts differ before it (the note on the edition says what each format
        holds), at the nearest place that begins as the page does."""
        if start.anchor not in self.spans:
            return None
        positions, folded, begins_at = self._text_of(start.anchor, frozenset(skipped))
        wanted = start.begins.casefold()
        at = begins_at[start.offset] if start.offset < len(positions) else None
        if at is None or not folded.startswith(wanted, at):
            # Every occurrence, overlapping ones too ("xyxy" is at 0, 2 and 4 of "xyxyxyxy").
            found = [m.start() for m in re.finditer(f"(?={re.escape(wanted)})", folded)]
            if not found:
                return None
            at = min(found, key=lambda f: abs(f - (len(folded) if at is None else at)))
        index = bisect.bisect_left(begins_at, at)
        return positions[index] if index < len(begins_at) and begins_at[index] == at else None

    def _text_of(self, anchor: str, skipped: frozenset[str]
                 ) -> tuple[list[int], str, list[int]]:
        """The counted characters of element `anchor`: where each stands in the document,
        their text as compared (case-folded), and where each begins in that text. Made once
        per element: a long element (a chronology) holds many pages."""
        if (anchor, skipped) not in self._texts:
            positions, pieces, begins_at, length = [], [], [], 0
            for character, position in self._characters(*self.spans[anchor], skipped):
                positions.append(position)
                begins_at.append(length)
                pieces.append(character.casefold())
                length += len(pieces[-1])
            self._texts[(anchor, skipped)] = (positions, "".join(pieces), begins_at)
        return self._texts[(anchor, skipped)]

    def _characters(self, first: int, last: int, skipped: set[str]) -> Iterator[tuple[str, int]]:
        """Each character counted of the tokens from `first` to `last`, with its position."""
        depth = 0  # inside an element not counted (a note), or one whose text is not read
        for position, token in self.tokens[first:last + 1]:
            if token.startswith("<"):
                if token.startswith(("<!", "<?")) or token.endswith("/>"):
                    continue
                found = ID.search(token)
                if depth:
                    depth += -1 if token.startswith("</") else 1
                elif not token.startswith("</") and (
                        NAME.match(token).group(1) in UNREAD
                        or (found and (found.group(1) or found.group(2)) in skipped)):
                    depth = 1
                continue
            if depth:
                continue
            if "&" not in token:  # most text: no reference to read
                for index, character in enumerate(token):
                    if not character.isspace() and character != "\u00ad":
                        yield character, position + index
                continue
            for piece in CHARACTER.finditer(token):
                for character in counted(html.unescape(piece.group())):
                    yield character, position + piece.start()
