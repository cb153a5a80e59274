"""Stage 2f, after the chronology and the questions: an anchor at the word where each quoted
passage begins (a chronology mention's quote, the words a question quotes of the paragraph it
asks about), so that a page reference gives the page the words are on, not the page their
paragraph begins on (a paragraph may run over three pages), and a link leads to them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from markupsafe import Markup

from . import anchors
from .markuptext import MarkupText
from .model import Paragraph, Text

# A quoted word's place: its paragraph's id, the part of the paragraph, and where the word,
# with the tags that hold just it, begins and ends in that part's HTML.
Place = tuple[str, int, int, int]


def anchor_passages(texts: dict[str, Text], quoted: Iterable[tuple[str, str]]
                    ) -> tuple[dict[str, Text], dict[tuple[str, str], str]]:
    """The texts with an anchor around the word where each (paragraph id, quote) of `quoted`
    begins, and the anchor's id for each; quotes of one word share its anchor. The anchor
    holds the word whole, so that lines break as they did: WeasyPrint breaks around an inline
    box as around a word, and an empty one, met inside a line, can move that line's breaks
    (and a zone of hyphenation in per cent would be measured from it: book/typography.py). A
    quote the paragraph does not hold as written, or whose word begins in one element and
    ends in another, gets none: its reference stays the paragraph's."""
    paragraphs = {p.id: p for text in texts.values() for p in text.paragraphs}
    names: dict[Place, str] = {}
    found: dict[tuple[str, str], str] = {}
    for paragraph_id, quote in quoted:
        place = _word_of(paragraphs[paragraph_id], quote) if paragraph_id in paragraphs \
            else None
        if place is None:
            continue
        if place not in names:
            names[place] = anchors.passage(paragraph_id,
                                           1 + sum(p[0] == paragraph_id for p in names))
        found[paragraph_id, quote] = names[place]
    marked: dict[str, Paragraph] = {}
    # From the end of each part, so that what is inserted moves no place still to come.
    for (paragraph_id, part, start, end), name in sorted(names.items(), reverse=True):
        paragraph = marked.get(paragraph_id, paragraphs[paragraph_id])
        parts = list(paragraph.parts)
        html = str(parts[part])
        parts[part] = Markup(f'{html[:start]}<span id="{name}">{html[start:end]}</span>'
                             f'{html[end:]}')
        marked[paragraph_id] = replace(paragraph, parts=tuple(parts))
    texts = {text_id: replace(text, sections=tuple(
        replace(section, paragraphs=tuple(marked.get(p.id, p) for p in section.paragraphs))
        for section in text.sections)) for text_id, text in texts.items()}
    return texts, found


def _word_of(paragraph: Paragraph, quote: str) -> Place | None:
    """Where the word holding the first letter of `quote` stands in `paragraph` (its spaces
    as the paragraph's, a line's end for a space too), or None."""
    pieces = [(i, MarkupText.read(str(part))) for i, part in enumerate(paragraph.parts)
              if isinstance(part, str)]
    joined = "".join(piece.text for _, piece in pieces)
    words = quote.split()
    found = re.search(r"\s+".join(map(re.escape, words)), joined) if words else None
    if found is None:
        return None
    at = found.start()
    for part, piece in pieces:
        if at < len(piece.text):
            end = at
            while at > 0 and not piece.text[at - 1].isspace():
                at -= 1
            while end < len(piece.text) and not piece.text[end].isspace():
                end += 1
            span = piece.span(at, end - at, 0)
            return None if span is None else (paragraph.id, part, *span)
        at -= len(piece.text)
    return None
