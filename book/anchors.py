"""The ids a book gives the parts of a text, in one place: the templates write them, the links
point at them and the PDF writer's check of notes and calls reads them. Paragraph and section
ids are the sources' own (`{#el-23}`); the ids of notes and calls are derived here."""

from __future__ import annotations

import re
from types import SimpleNamespace

# A text's id holds no '-' (lower-case letters and digits); a note's label may.
CALL = re.compile(r"^(?P<text>[a-z][a-z0-9]*)-r(?P<label>.+)$")
NUMBER = re.compile(r"(\d+)$")


def note(text_id: str, label: str) -> str:
    """The id of note `label` of a text: 'el-n12'."""
    return f"{text_id}-n{label}"


def call(text_id: str, label: str) -> str:
    """The id of the call of note `label` in a text's paragraph: 'el-r12'."""
    return f"{text_id}-r{label}"


def parse_call(name: str) -> tuple[str, str] | None:
    """(text id, label) of a call's id, or None if `name` is no call's."""
    match = CALL.match(name)
    return (match["text"], match["label"]) if match else None


def passage(paragraph_id: str, number: int) -> str:
    """The id of the `number`-th word of a paragraph where a quoted passage begins (book/
    passages.py): 'el-23-q1'."""
    return f"{paragraph_id}-q{number}"


def page(label: str) -> str:
    """The id of the marker where page `label` of the print edition begins: 'page_12' (no
    text's id holds '_', so no paragraph or section id is one)."""
    return f"page_{label}"


def paragraph_number(anchor: str) -> int:
    """The number a paragraph's id ends with, as the books print it: 'el-23' -> 23."""
    return int(NUMBER.search(anchor).group(1))


# What templates may use, as `anchor.note(text.id, note.label)`.
FOR_TEMPLATES = SimpleNamespace(note=note, call=call, paragraph_number=paragraph_number)


def source_places(texts, questions=()) -> dict:
    """The file and line of each paragraph and note of `texts`, and of each of `questions`
    (its id is its item's in the templates), by its id: where a finding about a page or a
    document points."""
    places = {}
    for text in texts:
        for paragraph in text.paragraphs:
            places[paragraph.id] = (text.source, paragraph.line)
        for footnote in text.notes:
            places[note(text.id, footnote.label)] = (text.source, footnote.line)
    for question in questions:
        if question.source is not None:
            places.setdefault(question.id, (question.source, question.line))
    return places
