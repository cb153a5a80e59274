"""A piece of HTML read as text, each character mapped back to where it stands, so that words
found in the text can be marked in the HTML: a note's citing words linked (book/citations.py),
a quoted passage anchored (book/passages.py). Markup inside the words (an <em> title) stays
inside what marks them, well nested."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TAG = re.compile(r"<[^>]+>")
TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
VOID = {"br", "wbr", "img", "hr"}


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    name: str | None  # None: a comment or declaration, which nests nothing
    closing: bool

    @property
    def opening(self) -> bool:
        return self.name is not None and not self.closing and self.name not in VOID


@dataclass(frozen=True)
class MarkupText:
    """A piece of HTML read as text: for each character of `text`, where it stands in `html`."""

    html: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    tags: tuple[_Tag, ...]

    @classmethod
    def read(cls, markup: str) -> MarkupText:
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        tags: list[_Tag] = []

        def put(start: int, end: int) -> None:
            """markup[start:end], each character where it stands."""
            chars.append(markup[start:end])
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))

        def add_text(start: int, end: int) -> None:
            at = start
            for entity in ENTITY.finditer(markup, start, end):
                put(at, entity.start())
                text = html.unescape(entity.group())  # each of its characters: all of it
                chars.append(text)
                starts.extend([entity.start()] * len(text))
                ends.extend([entity.end()] * len(text))
                at = entity.end()
            put(at, end)

        at = 0
        for tag in TAG.finditer(markup):
            add_text(at, tag.start())
            name = TAG_NAME.match(tag.group())
            tags.append(_Tag(tag.start(), tag.end(), name and name.group(1).lower(),
                             tag.group().startswith("</")))
            at = tag.end()
        add_text(at, len(markup))
        return cls(markup, "".join(chars), tuple(starts), tuple(ends), tuple(tags))

    def span(self, found: int, length: int, after: int) -> tuple[int, int] | None:
        """Where in the HTML the link around text[found:found + length] goes: the widest
        span that takes in tags opening just before the words and closing just after them and
        is well nested, outside any link, not before `after`; None if there is none."""
        start, end = self.starts[found], self.ends[found + length - 1]
        opened = {t.end: t for t in self.tags if t.opening}
        closed = {t.start: t for t in self.tags if t.closing}
        starts = [start]
        while starts[-1] in opened and opened[starts[-1]].start >= after:
            starts.append(opened[starts[-1]].start)
        ends = [end]
        while ends[-1] in closed:
            ends.append(closed[ends[-1]].end)
        # The widest span that nests well: an <em> that holds just the words goes inside
        # the link, not the link inside it.
        pairs = sorted(((s, e) for s in starts for e in ends),
                       key=lambda se: (start - se[0]) + (se[1] - end), reverse=True)
        return next(((s, e) for s, e in pairs if self._linkable(s, e)), None)

    def _linkable(self, start: int, end: int) -> bool:
        open_before: list[str] = []
        for tag in self.tags:
            if tag.end > start:
                break
            if tag.opening:
                open_before.append(tag.name)
            elif tag.closing and tag.name in open_before:
                del open_before[len(open_before) - 1 - open_before[::-1].index(tag.name)]
        if "a" in open_before:
            return False  # a link may not hold a link
        stack: list[str] = []
        for tag in self.tags:
            if tag.start < start or tag.end > end:
                continue
            if tag.name == "a":
                return False
            if tag.opening:
                stack.append(tag.name)
            elif tag.closing and tag.name not in VOID:
                if not stack or stack.pop() != tag.name:
                    return False
        return not stack
