"""Notes kept on the page of their call, as the pages are made: when a page's notes are pushed
to the next page, the block that next page begins with is broken differently, and the pages
are made again from the one before it.

WeasyPrint keeps a paragraph's first two lines together (orphans) by moving the page's last
notes to the next page to make room for the second line; and when the paragraph is then moved
whole, the notes stay moved. The culprit is the block that the next page begins with, and a
compositor would mend it there: break it differently (RELAYOUT_STEPS) rather than move the
paragraph of the call and leave a hole.

WeasyPrint's page maker keeps the state each page starts from, and makes a page again only if
that state changed (it does so for page references). The mending rides on it: the culprit gets
its rule in its boxes' styles, and the pages are made again from the one before its first,
then on as long as they do not start as they did. A book is laid out once, and a few pages
again for each block mended, where a whole layout for each round of mending had cost the
classroom editions a second layout, and the reader with its texts sixteen times as long six
(146 s; now 24 s).

A text's paragraph that ends in a scrap of a line, or runs a ladder of hyphens down the margin,
is mended the way a compositor mends it, as soon as the page after its end is made: set a
little tighter or looser (TRACKING), and the pages made again from the one before its first."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import anchors

# What a re-layout asks of a block that pushed its page's notes away, mildest first: let its
# paragraph go whole to the next page (a hole of one or two lines), then let one line end the
# page (an orphan costs less than a hole), then start it on a new page. Each is a property of
# WeasyPrint's computed style and its value, as a stylesheet of the user's would give it: a
# rule of the book's own for that element comes first.
RELAYOUT_STEPS = (("orphans", 3), ("orphans", 1), ("break_before", "page"))
# What a re-layout asks of a text's paragraph that ends in a scrap of a line or runs a ladder
# of hyphens down the margin (the page check's paragraph_faults), as a compositor would ask:
# its letters set a hundredth of an em tighter, then looser, then two hundredths each way
# (letter-spacing, in ems of its type), each tried by making its pages again. The first that
# mends it stays; if none does, it is set as it was, and the page check reports it. A script
# whose letters join (Arabic) is not spaced out (languages.letters_join).
TRACKING = (-0.01, 0.01, -0.02, 0.02)
INHERITED = {"orphans", "letter_spacing"}  # of the properties set: a block's lines follow it
# WeasyPrint's loops over the pages to settle page references (layout_document's max_loops),
# times this: the mending moves what they point at.
LOOPS_FACTOR = 2


def rules(steps: dict[str, int], tracked: dict[str, int] | None = None) -> str:
    """`steps` (block id -> how far down RELAYOUT_STEPS it has gone) and `tracked` (paragraph
    id -> its step of TRACKING, or len(TRACKING) if set as it was) as the stylesheet that lays
    the book out as the mending did, from its first page."""
    # A step's rule keeps the earlier steps' properties it does not set: on a new page, a
    # block keeps the orphans it had been given.
    return "".join(f"#{block} {{ " + "; ".join(
        f"{name.replace('_', '-')}: {value}"
        for name, value in dict(RELAYOUT_STEPS[:step + 1]).items()) + " }"
        for block, step in steps.items()) + "".join(
        f"#{block} {{ letter-spacing: {TRACKING[step]}em }}"
        for block, step in (tracked or {}).items() if step < len(TRACKING))


@dataclass
class Relayout:
    """The mending of one book's pages: how far each culprit went down RELAYOUT_STEPS."""

    blocks: frozenset[str]  # what may be blamed: the texts' paragraphs and sections
    steps: dict[str, int] = field(default_factory=dict)  # block id -> its step
    left: list[str] = field(default_factory=list)  # blocks pushing notes away at the end
    # Paragraph id -> its step of TRACKING (len(TRACKING): set as it was, none mended it).
    tracked: dict[str, int] = field(default_factory=dict)
    # Paragraph id -> its own letter-spacing and how many of its lines were loose, as laid.
    _as_laid: dict[str, tuple[Any, int]] = field(default_factory=dict)
    _lines: dict[int, tuple[Any, list]] = field(default_factory=dict)  # page -> its lines
    _boxes: dict[str, list[Any]] | None = None  # block id -> its boxes, before layout
    _footnotes: list | None = None  # every note, as WeasyPrint lists them before layout
    _names: dict[int, tuple[Any, frozenset[str]]] = field(default_factory=dict)
    _left_for_next: dict[int, tuple[list, dict]] = field(default_factory=dict)
    _page_of: dict[str, int] | None = None  # anchor -> its page, at the end of the last loop

    @property
    def moved(self) -> frozenset[str]:
        """The blocks started on a new page."""
        return frozenset(b for b, step in self.steps.items()
                         if RELAYOUT_STEPS[step][0] == "break_before")

    def make_pages(self, context, root_box, html, pages: list, remake_page) -> list:
        """WeasyPrint's make_all_pages (weasyprint/layout/page.py): the pages, made again only
        if what they start from changed; and after each, the page before mended (`_mend`)."""
        if self._footnotes is None:
            self._footnotes = list(context.footnotes)
        # last_made: the page made just before, None if the page before was not.
        made_pages, index, last_made, mended = list(pages), 0, None, False
        context.rendered_notes = []
        while True:
            state = context.page_maker[index][-1]
            if not pages or state["content_changed"] or state["pages_wanted"]:
                state.update(content_changed=False, pages_wanted=False, anchors=[],
                             content_lookups=[])
                self._before_page(index, last_made, context)
                # What was read of the page it replaces would keep that page's boxes alive
                # while the pages are made again: the whole book twice, at its peak.
                self._names.pop(index, None)
                self._lines.pop(index, None)
                page, resume_at = remake_page(index, context, root_box, html)
                self._after_page(index, context)
                made_pages[index:index + 1] = [page]
                if index < len(pages):  # WeasyPrint's list of the last loop's pages, too
                    pages[index] = page
                last_made, reported = index, context.reported_footnotes
            else:  # kept as it was, and what it pushed onto the next page with it
                resume_at = context.page_maker[index + 1][0]
                reported = self._left_for_next.get(index, ((), {}))[0]
            back = self._mend(index, made_pages, context, root_box)
            last = resume_at is None and not reported
            if back is None:  # the paragraphs ended on the page before, and on the last
                back = self._track(index, made_pages, context, root_box, False)
            if back is None and last:
                back = self._track(index + 1, made_pages, context, root_box, True)
            if back is not None:
                index, last_made, mended = back, None, True
                # As WeasyPrint does for each of its loops: every note waits to be laid out.
                context.footnotes = list(self._footnotes)
                continue
            index += 1
            if last:
                context.page_maker = context.page_maker[:index + 1]
                context.broken_out_of_flow.clear()
                context.reported_footnotes.clear()
                made_pages = made_pages[:index]
                self._end_of_loop(context, made_pages, mended)
                return made_pages

    def _mend(self, index: int, pages: list, context, root_box) -> int | None:
        """If the page before page `index` pushed notes of its own calls onto the next, the
        block page `index` begins with goes a step down RELAYOUT_STEPS, and the page to make
        the pages again from; None if there is nothing to mend."""
        if not index or index - 1 not in self._left_for_next:
            return None
        pushed = {note.style["anchor"] for note in self._left_for_next[index - 1][0]}
        if not pushed or not any(
                call and anchors.note(*call) in pushed
                for call in map(anchors.parse_call, self._anchors(pages, index - 1))):
            return None
        culprit = first_block(pages[index], self.blocks)
        step = self.steps.get(culprit, -1) + 1
        if culprit is None or step == len(RELAYOUT_STEPS):
            return None
        self.steps[culprit] = step
        name, value = RELAYOUT_STEPS[step]
        # A block inside it that the mending gave a rule of its own keeps it, as by `rules`.
        own = frozenset(self.steps) - {culprit}
        for box in self._boxes_of(root_box).get(culprit, ()):
            _restyle(box, name, value, own)
        # The block's first page changes, and so may the page before, which can take its
        # first lines once it breaks differently (or had pushed it whole to the next); and
        # so may each of its later pages, made in an earlier loop, whose breaks in it follow
        # its orphans, though they start where they did.
        first, last = index, index
        while first and culprit in self._anchors(pages, first - 1):
            first -= 1
        while last + 1 < len(pages) and culprit in self._anchors(pages, last + 1):
            last += 1
        back = max(first - 1, 0)
        for page in range(back, last + 1):
            context.page_maker[page][-1]["content_changed"] = True
        return back

    def _end_of_loop(self, context, pages: list, mended: bool) -> None:
        """What the pages still push away; and if the mending moved what page references
        point at, the references are worked out again."""
        page_of: dict[str, int] = {}
        for index in range(len(pages)):
            for name in sorted(self._anchors(pages, index)):
                page_of.setdefault(name, index)
        shifted = mended or self._page_of not in (None, page_of)
        self._page_of = page_of
        if shifted:
            _refresh_references(context)
        self.left = blocks_pushing_notes_away(pages, self.blocks, page_of)

    def _track(self, done: int, pages: list, context, root_box, last: bool) -> int | None:
        """If a paragraph of the texts that ends on page `done - 1` (and not on page `done`,
        unless that was the `last`) is one the page check would find fault with, it goes a
        step down TRACKING, or back to its own spacing after the last; and the page to make
        the pages again from. A step that mends a fault by setting more lines loose than the
        paragraph had mends nothing: a ladder is not traded for rivers."""
        from .languages import letters_join
        from .pagecheck import loose_lines, paragraph_faults

        if not done:
            return None
        going_on = set() if last else {line.block for line in self._lines_on(pages, done)}
        for element in dict.fromkeys(line.block for line in self._lines_on(pages, done - 1)):
            name = element.get("id")
            step = self.tracked.get(name)
            if name not in self.blocks or element in going_on or step == len(TRACKING):
                continue
            first, its_lines = done - 1, self._lines_of(element, pages, done - 1)
            while first and any(line.block is element for line in self._lines_on(pages,
                                                                               first - 1)):
                first -= 1
                its_lines[:0] = self._lines_of(element, pages, first)
            faulty = any(paragraph_faults(element, its_lines))
            boxes = self._boxes_of(root_box).get(name, ())
            if step is None:
                if not faulty or not boxes or letters_join(its_lines[0].lang or "") or \
                        _ruled(boxes[0], "letter_spacing"):
                    continue
                self._as_laid[name] = boxes[0].style["letter_spacing"], loose_lines(its_lines)
            elif not faulty and loose_lines(its_lines) <= self._as_laid[name][1]:
                continue  # mended
            step = self.tracked[name] = 0 if step is None else step + 1
            value = TRACKING[step] * boxes[0].style["font_size"] if step < len(TRACKING) \
                else self._as_laid[name][0]
            # The notes it calls inherit the spacing too, as from a stylesheet's rule (`rules`):
            # WeasyPrint lays them out apart from it, at the page's foot.
            for box in (*boxes, *self._notes_called(boxes)):
                _restyle(box, "letter_spacing", value)
            # Made again from the page before its first, which may take its first lines (as in
            # `_mend`), to the page made last, which its notes may be on: a page that ends
            # where it did would be kept with the lines it had.
            back = max(first - 1, 0)
            for page in range(back, done + (not last)):
                context.page_maker[page][-1]["content_changed"] = True
            return back
        return None

    def _lines_of(self, element, pages: list, index: int) -> list:
        return [line for line in self._lines_on(pages, index) if line.block is element]

    def _notes_called(self, boxes: Sequence[Any]) -> list[Any]:
        """The notes whose calls stand in `boxes`: WeasyPrint's boxes of them, before layout
        (a note's call is a pseudo-element of the note's own element)."""
        called = {box.element for top in boxes for box in top.descendants()
                  if (box.element_tag or "").endswith("::footnote-call")}
        return [note for note in self._footnotes or () if note.element in called]

    def _lines_on(self, pages: list, index: int) -> list:
        """The lines of page `index` (book/pagecheck.py), read once for each page made."""
        from .pagecheck import page_lines

        page = pages[index]
        known = self._lines.get(index)
        if known is None or known[0] is not page:
            known = self._lines[index] = (page, page_lines(page, index))
        return known[1]

    def _before_page(self, index: int, last_made: int | None, context) -> None:
        """Before page `index` is made: if the page before was not made just now, what it
        left for the next (notes it could not hold, floats broken across) is what it left
        when it was made, not what the last page made left; the first page starts with
        nothing left for it."""
        if last_made != index - 1:
            reported, broken = self._left_for_next.get(index - 1, ((), {}))  # none at -1
            context.reported_footnotes, context.broken_out_of_flow = list(reported), \
                dict(broken)

    def _after_page(self, index: int, context) -> None:
        """After page `index` is made: if what it leaves for the next page is not what it left
        before, the next page is made again too. WeasyPrint compares only where the next
        page starts in the text, and would keep it as it was: a note pushed off this page
        would be lost, one no longer pushed would be set twice."""
        left = (list(context.reported_footnotes), dict(context.broken_out_of_flow))
        before = self._left_for_next.get(index)
        self._left_for_next[index] = left
        if before is not None and index + 1 < len(context.page_maker) and (
                before[0] != left[0] or _out_of_flow(before[1]) != _out_of_flow(left[1])):
            context.page_maker[index + 1][-1]["content_changed"] = True

    def _anchors(self, pages: list, index: int) -> frozenset[str]:
        """The anchors on page `index`, found once for each page made."""
        page = pages[index]
        known = self._names.get(index)
        if known is None or known[0] is not page:
            known = self._names[index] = (page, frozenset(_page_anchors(page)))
        return known[1]

    def _boxes_of(self, root_box) -> dict[str, list[Any]]:
        """The boxes of the blocks, each the top one of its element (read once: the tree of
        boxes WeasyPrint lays out stays the same from pass to pass)."""
        if self._boxes is None:
            self._boxes = {}
            self._find_boxes(root_box, None)
        return self._boxes

    def _find_boxes(self, box, parent_element) -> None:
        element = getattr(box, "element", None)
        if element is not None and element is not parent_element:
            name = element.get("id")
            if name in self.blocks and "::" not in (box.element_tag or ""):
                self._boxes.setdefault(name, []).append(box)
        for child in getattr(box, "children", ()):
            self._find_boxes(child, element)


def _out_of_flow(broken: dict) -> list:
    """Floats and positioned boxes broken across pages, as WeasyPrint's layout context keeps
    them (new box -> its box, containing block, formatting context, where it resumes): each
    box and where it resumes, which stay the same from layout to layout."""
    return [(box, resume_at) for box, _, _, resume_at in broken.values()]


def _refresh_references(context) -> None:
    """Mark each page reference (target-counter) for WeasyPrint to work out again, and the
    page it is on to be laid out again. WeasyPrint updates one when its own page changes,
    but not when its target moves to another page (it follows a target by its name, and a
    reference by `attr(href url)` has none), as the mending moves them."""
    items = [item for item in context.target_collector.counter_lookup_items.values()
             if item.page_maker_index is not None
             and item.page_maker_index < len(context.page_maker)]
    for item in items:
        item.pending = True
        context.page_maker[item.page_maker_index][-1]["content_changed"] = True


def _restyle(box, name: str, value, own: frozenset[str] = frozenset()) -> None:
    """Give `box` `value` for the property `name` as a user's stylesheet would: unless a rule
    of the book's own for its element sets it; its descendants inherit it where the property
    is inherited, but for the blocks (ids) `own` has rules for. WeasyPrint shares one computed
    style between elements only where their parents' is one and their rules are the same: a
    block with an id has its own."""
    if not _ruled(box, name):
        box.style[name] = value
    if name in INHERITED:
        for child in getattr(box, "children", ()):
            element = getattr(child, "element", None)
            if element is None or element is box.element or element.get("id") not in own:
                _restyle(child, name, box.style[name], own)


def _ruled(box, name: str) -> bool:
    """Whether a rule of the book's own (an author's, not the browser's) sets `name` for the
    element of `box`."""
    from weasyprint.css import declaration_precedence

    own = getattr(box.style, "cascaded", {}).get(name)  # (value, (origin's precedence, …))
    return own is not None and own[1][0] >= declaration_precedence("user", False)


@contextmanager
def relaid(relayout: Relayout) -> Iterator[None]:
    """WeasyPrint's layout, its pages made by `relayout`. A WeasyPrint whose page maker is not
    the one read here lays the book out as it does: the page check then reports each note it
    pushes away (note-away)."""
    from weasyprint import document as document_module
    from weasyprint import layout
    from weasyprint.layout import page as page_module

    make_all_pages, layout_document = layout.make_all_pages, document_module.layout_document
    loops = inspect.signature(layout_document).parameters.get("max_loops")
    if loops is None or not isinstance(loops.default, int) or not hasattr(
            page_module, "remake_page"):
        yield
        return

    def all_pages(context, root_box, html, pages):
        yield from relayout.make_pages(context, root_box, html, pages, page_module.remake_page)

    def document(html, root_box, context, max_loops=loops.default):
        return layout_document(html, root_box, context, max_loops=max_loops * LOOPS_FACTOR)

    layout.make_all_pages, document_module.layout_document = all_pages, document
    try:
        yield
    finally:
        layout.make_all_pages, document_module.layout_document = make_all_pages, \
            layout_document


def _page_anchors(page) -> Iterator[str]:
    """The anchors of a page box, in order, as WeasyPrint finds them (gather_anchors)."""
    for box in page.descendants(placeholders=True):
        if box.style["anchor"]:
            yield box.style["anchor"]


def anchor_pages(pages: Sequence[Any]) -> dict[str, int]:
    """Each anchor of the page boxes `pages` -> the first page it is on, as WeasyPrint's
    pages list them (weasyprint.anchors.gather_anchors)."""
    page_of: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in _page_anchors(page):
            page_of.setdefault(name, number)
    return page_of


def blocks_pushing_notes_away(pages: Sequence[Any], blocks: set[str] | frozenset[str],
                              page_of: dict[str, int] | None = None) -> list[str]:
    """For each note set on a later page than its call, the block that pushed it there (the
    one the page after the call begins with); `pages` are page boxes, laid out."""
    page_of = anchor_pages(pages) if page_of is None else page_of
    culprits = []
    for name, call_page in page_of.items():
        call = anchors.parse_call(name)
        note_page = page_of.get(anchors.note(*call)) if call else None
        if note_page is None or note_page <= call_page:
            continue
        culprit = first_block(pages[call_page + 1], blocks)
        if culprit and culprit not in culprits:
            culprits.append(culprit)
    return culprits


def first_block(box, blocks: set[str] | frozenset[str], within: str | None = None
                ) -> str | None:
    """The block (an id in `blocks`) holding the first line of the page's main text."""
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    name = element.get("id") if element is not None and box.element_tag else None
    within = name if name in blocks else within
    if isinstance(box, boxes.LineBox):
        return within
    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
            continue
        found = first_block(child, blocks, within)
        if found:
            return found
    return None
