"""Proof that an edited text keeps every word of its original, in order.

Whitespace is the only thing an edition may change silently (trailing spaces, a space before a
note call); every other difference must be a removal listed in the text's header.
"""

from __future__ import annotations

import html
import re

from .model import NoteCall, Paragraph, Text
from .reading import read_source_file

TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


def words_of(paragraph: Paragraph) -> str:
    """A paragraph's words as plain text, without its note calls."""
    return "".join(plain(part) for part in paragraph.parts if isinstance(part, str))


def edited_text(text: Text) -> str:
    """The text as the model holds it, note calls and notes written as the author wrote them."""
    pieces: list[str] = []
    for section in text.sections:
        if section.title is not None:
            pieces.append(plain(section.title))
        for paragraph in section.paragraphs:
            for part in paragraph.parts:
                pieces.append(f"[{part.label}]" if isinstance(part, NoteCall) else plain(part))
    for note in text.notes:
        pieces.append(f"[{note.label}] {plain(note.html)}")
    return "\n".join(pieces)


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def fidelity_problems(text: Text) -> list[str]:
    """What differs between the original and the edited text, beyond the listed removals."""
    problems = []
    original = squeeze(read_source_file(text.original))
    for removal in text.removals:
        start = original.find(squeeze(removal.text))
        if start < 0:
            problems.append(f"the removal {removal.text!r} is not in the original")
            continue
        original = original[:start] + original[start + len(squeeze(removal.text)) :]
    edited = squeeze(edited_text(text))
    if original != edited:
        at = next(
            (i for i, (a, b) in enumerate(zip(original, edited, strict=False)) if a != b),
            min(len(original), len(edited)),
        )
        problems.append(
            f"the edited text departs from the original at character {at}: "
            f"original …{original[max(0, at - 30):at + 30]}… "
            f"edited …{edited[max(0, at - 30):at + 30]}…"
        )
    return problems
