"""Stage 2d, after the chronology: an anchor at the word where each mention's quote begins,
so that its page reference gives the page the words are on, not the page their paragraph
begins on (a paragraph may run over three pages), and its link leads to them."""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from . import anchors
from .markuptext import MarkupText
from .model import Event, Mention, Paragraph, Text

# A quoted word's place: its paragraph's id, the part of the paragraph, and where the word,
# with the tags that hold just it, begins and ends in that part's HTML.
Place = tuple[str, int, int, int]


def anchor_passages(texts: dict[str, Text], events: list[Event]
                    ) -> tuple[dict[str, Text], list[Event]]:
    """The texts with an anchor around each quoted word, and the events with each mention's
    `passage` naming it; mentions of one word share its anchor. The anchor holds the word
    whole, so that lines break as they did: WeasyPrint breaks around an inline box as around
    a word, and an empty one, met inside a line, can move that line's breaks (and a zone of
    hyphenation in per cent would be measured from it: book/typography.py). A word that
    begins in one element and ends in another leaves its mention at the paragraph."""
    paragraphs = {p.id: p for text in texts.values() for p in text.paragraphs}
    names: dict[Place, str] = {}
    events = [replace(event, mentions=tuple(_anchored(m, paragraphs[m.anchor], names)
                                            for m in event.mentions)) for event in events]
    marked: dict[str, Paragraph] = {}
    # From the end of each part, so that what is inserted moves no place still to come.
    for (paragraph_id, part, at, end), name in sorted(names.items(), reverse=True):
        paragraph = marked.get(paragraph_id, paragraphs[paragraph_id])
        parts = list(paragraph.parts)
        html = str(parts[part])
        parts[part] = Markup(f'{html[:at]}<span id="{name}">{html[at:end]}</span>{html[end:]}')
        marked[paragraph_id] = replace(paragraph, parts=tuple(parts))
    texts = {text_id: replace(text, sections=tuple(
        replace(section, paragraphs=tuple(marked.get(p.id, p) for p in section.paragraphs))
        for section in text.sections)) for text_id, text in texts.items()}
    return texts, events


def _anchored(mention: Mention, paragraph: Paragraph, names: dict[Place, str]) -> Mention:
    place = _word_of(paragraph, mention.quote)
    if place is None:
        return mention
    if place not in names:
        names[place] = anchors.passage(paragraph.id,
                                       1 + sum(p[0] == paragraph.id for p in names))
    return replace(mention, passage=names[place])


def _word_of(paragraph: Paragraph, quote: str) -> Place | None:
    """Where the word holding the first letter of `quote` stands in `paragraph`, or None."""
    pieces = [(i, MarkupText.read(str(part))) for i, part in enumerate(paragraph.parts)
              if isinstance(part, str)]
    joined = "".join(piece.text for _, piece in pieces)
    at = joined.find(quote)
    if at < 0:
        return None
    at += len(quote) - len(quote.lstrip())
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
