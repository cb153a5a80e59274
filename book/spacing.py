"""Spacing slips regularised when a text is loaded, each change recorded and reversible.

The rules are those its language's entry of sources/typography.yaml names (book/typography.py).
A rule changes whitespace only, never a word: the fidelity proof (book/fidelity.py), which
ignores whitespace, still holds, and the records are enough to give back the spacing the
source had (`restore`).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from markupsafe import Markup

from .model import Note, NoteCall, Section, SpacingChange, Text
from .textnodes import runs
from .typography import NOTE_CALL, SpacingRule, pattern

# Addresses: no rule applies inside them.
URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# A record shows the word on each side of a change, two where the first is shorter than WORD.
WORD = 6
CONTEXT = 20


def regularise(fragment: str, lang: str, rules: tuple[SpacingRule, ...],
               after_call: str | None = None
               ) -> tuple[str, list[tuple[str, int, str, str, str, str]]]:
    """`fragment` (inline HTML in `lang`) with its spacing regularised by `rules`, and each
    change as (kind, offset in the result, whitespace it had, whitespace it has, the words
    around it before, and after). `after_call` is the label of a note call just before it."""
    changes = []
    read = None  # the fragment's runs, read again only once a rule has changed it
    for rule in rules:
        read = read or _read(fragment, lang, after_call)
        found = pattern(rule.pattern)
        edits = []  # (offset in the fragment, length replaced, words before, words after)
        for text, offsets, guarded in read:
            for match in found.finditer(text):
                start, end = match.span("space")
                if match.group("space").strip() or any(a < end and start < b or a < start < b
                                                       for a, b in guarded):
                    continue
                where = _offset(offsets, start, end)
                if where is None:
                    continue
                left = _words_before(text[:start]).replace(NOTE_CALL, f"[{after_call}]")
                right = _words_after(text[end:])
                edits.append((where, end - start, left + match.group("space") + right,
                              left + rule.space + right))
        # In the text's order, each offset moved by the changes made before it.
        shift = 0
        for where, length, before, after in sorted(edits):
            where += shift
            was = fragment[where:where + length]
            fragment = fragment[:where] + rule.space + fragment[where + length:]
            shift += len(rule.space) - length
            changes.append((rule.kind, where, was, rule.space, before, after))
        if edits:
            read = None
    return fragment, changes


def _read(fragment: str, lang: str, after_call: str | None
          ) -> list[tuple[str, list[int | None], list[tuple[int, int]]]]:
    """Each run of `fragment` as the rules read it: its text (after a note call, the call's
    mark first), where each character stands in the fragment, and the addresses' spans."""
    read = []
    for number, run in enumerate(runs(fragment, lang)):
        lead = NOTE_CALL if after_call is not None and number == 0 else ""
        text = lead + run.text
        read.append((text, [None] * len(lead) + run.offsets,
                     [m.span() for m in URL.finditer(text)]))
    return read


def _offset(offsets: list[int | None], start: int, end: int) -> int | None:
    """Where in the fragment the whitespace between `start` and `end` of a run lies: for
    none, just after the character before (outside a tag that follows it)."""
    if start == end:
        if start > 0 and offsets[start - 1] is not None:
            return offsets[start - 1] + 1
        return offsets[start] if start < len(offsets) else None
    span = offsets[start:end]
    if None in span or span[-1] - span[0] != end - start - 1:
        return None  # an entity or a tag among the spaces: left as it is
    return span[0]


def _words_before(text: str) -> str:
    """The word before a change, and the one before it if that word is short ("( 7")."""
    words = text[-CONTEXT * 3:].split(" ")
    if len(words) > 1 and len(words[-1].strip()) < WORD:
        return " ".join(words[-2:])
    return words[-1]


def _words_after(text: str) -> str:
    words = text[:CONTEXT * 3].split(" ")
    if len(words) > 1 and len(words[0].strip()) < WORD:
        return " ".join(words[:2])
    return words[0]


def regular_words(words: str, text: Text) -> str:
    """Words quoted from `text` in the data (a chronology's quote, a citation's words), spaced
    as the text is once regularised, so that a quote copied from the source still matches."""
    return html.unescape(regularise(html.escape(words, quote=False), text.lang,
                                    text.spacing_rules)[0])


def restore(fragment: str, changes: list[SpacingChange]) -> str:
    """The fragment with the spacing its source had: the changes undone, last first."""
    for change in reversed(changes):
        fragment = (fragment[:change.at] + change.was
                    + fragment[change.at + len(change.now):])
    return fragment


def regularise_text(sections: list[Section], notes: list[Note], lang: str,
                    rules: tuple[SpacingRule, ...]
                    ) -> tuple[list[Section], list[Note], list[SpacingChange]]:
    """A text's headings, paragraphs and notes with their spacing regularised, and the
    record of every change, in the order of the text."""
    records: list[SpacingChange] = []

    def mend(html: str, place: str, line: int, part: int, call: str | None = None) -> Markup:
        result, changes = regularise(html, lang, rules, call)
        records.extend(SpacingChange(kind, place, line, part, at, was, now, before, after)
                       for kind, at, was, now, before, after in changes)
        return Markup(result)

    mended_sections = []
    for section in sections:
        title = section.title
        if title is not None:
            line = section.paragraphs[0].line if section.paragraphs else 0
            title = mend(title, section.id or "", line, 0)
        paragraphs = []
        for paragraph in section.paragraphs:
            parts: list[Markup | NoteCall] = []
            for index, part in enumerate(paragraph.parts):
                if isinstance(part, NoteCall):
                    parts.append(part)
                    continue
                before = paragraph.parts[index - 1] if index else None
                call = before.label if isinstance(before, NoteCall) else None
                parts.append(mend(part, paragraph.id, paragraph.line, index, call))
            paragraphs.append(replace(paragraph, parts=tuple(parts)))
        mended_sections.append(replace(section, title=title, paragraphs=tuple(paragraphs)))
    mended_notes = [replace(note, html=mend(note.html, f"note {note.label}", note.line, 0))
                    for note in notes]
    return mended_sections, mended_notes, records
