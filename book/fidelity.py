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


def edited_pieces(text: Text) -> list[tuple[str, int]]:
    """The text as the model holds it, note calls and notes written as the author wrote them,
    piece by piece, each with the source line it stands on (a heading: its section's first
    paragraph's)."""
    pieces: list[tuple[str, int]] = []
    for section in text.sections:
        if section.title is not None:
            first = section.paragraphs[0].line if section.paragraphs else 1
            pieces.append((plain(section.title), first))
        for paragraph in section.paragraphs:
            for part in paragraph.parts:
                pieces.append((f"[{part.label}]" if isinstance(part, NoteCall) else plain(part),
                               paragraph.line))
    for note in text.notes:
        pieces.append((f"[{note.label}] {plain(note.html)}", note.line))
    return pieces


def edited_text(text: Text) -> str:
    return "\n".join(piece for piece, _ in edited_pieces(text))


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def fidelity_problems(text: Text) -> list[tuple[str, int | None]]:
    """What differs between the original and the edited text, beyond the listed removals, each
    with the line of the edited text where it stands (None: in the header's removals)."""
    problems: list[tuple[str, int | None]] = []
    original = squeeze(read_source_file(text.original))
    for removal in text.removals:
        start = original.find(squeeze(removal.text))
        if start < 0:
            problems.append((f"the removal {removal.text!r} is not in the original", None))
            continue
        original = original[:start] + original[start + len(squeeze(removal.text)) :]
    pieces = edited_pieces(text)
    edited = "".join(squeeze(piece) for piece, _ in pieces)
    if original != edited:
        at = next(
            (i for i, (a, b) in enumerate(zip(original, edited, strict=False)) if a != b),
            min(len(original), len(edited)),
        )
        problems.append((
            f"the edited text departs from the original at character {at}: "
            f"original …{original[max(0, at - 30):at + 30]}… "
            f"edited …{edited[max(0, at - 30):at + 30]}…", _line_at(pieces, at)))
    return problems


def _line_at(pieces: list[tuple[str, int]], at: int) -> int | None:
    """The line of the piece holding squeezed character `at` (the last piece past the end)."""
    for piece, line in pieces:
        at -= len(squeeze(piece))
        if at < 0:
            return line
    return pieces[-1][1] if pieces else None
