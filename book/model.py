"""The model every writer reads: texts, sections, paragraphs, notes and the edition."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup


@dataclass(frozen=True)
class NoteCall:
    """Where the author's text calls a note; `label` is the author's own number."""

    label: str


@dataclass(frozen=True)
class Note:
    label: str
    html: Markup
    line: int

    @property
    def anchor(self) -> str:
        return f"n{self.label}"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an author's text; `id` is stored in the source and never renumbered."""

    id: str
    parts: tuple[Markup | NoteCall, ...]
    line: int

    @property
    def number(self) -> int:
        return int(re.search(r"(\d+)$", self.id).group(1))

    @property
    def note_labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.parts if isinstance(p, NoteCall))


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading; texts without headings have one untitled section."""

    id: str | None
    title: Markup | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Removal:
    """Words of the original left out of the edited text, and why (chrome, title, imprint)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Text:
    id: str
    lang: str
    title: str
    title_editorial: bool
    author: str | None
    source: Path
    original: Path
    published_in: str | None
    published: str | None
    reposted: str | None
    removals: tuple[Removal, ...]
    remarks: tuple[dict[str, str], ...]
    sections: tuple[Section, ...]
    notes: tuple[Note, ...]

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)

    @property
    def notes_by_label(self) -> dict[str, Note]:
        return {n.label: n for n in self.notes}

    def remarks_in(self, lang: str) -> list[str]:
        """Editorial remarks in the apparatus language, falling back to English."""
        return [r.get(lang) or r.get("en", "") for r in self.remarks]


@dataclass(frozen=True)
class Correction:
    """Where a note's citation differs from the work: kept in the note, listed for the reader."""

    cited: str
    correct: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Work:
    """An entry of the bibliography, formatted in the apparatus language."""

    id: str
    html: Markup
    language: str | None
    authors: tuple[str, ...]
    original_names: tuple[str, ...]
    part_of: str | None
    incomplete: bool
    corrections: tuple[Correction, ...]
    remarks: tuple[dict[str, str], ...]
    line: int

    def remarks_in(self, lang: str) -> list[str]:
        return [r.get(lang) or r.get("en", "") for r in self.remarks]


@dataclass(frozen=True)
class Citation:
    """Words of a note that cite a work; `work` is None when they resolve to nothing."""

    text: str
    note: str
    work: str | None
    words: str
    locator: str | None
    op_cit: bool


@dataclass(frozen=True)
class Cite:
    """The linked words of a citation, inside the note that holds them."""

    citation: Citation
    html: Markup


@dataclass(frozen=True)
class Edition:
    name: str
    path: Path
    title: str
    subtitle: str
    language: str
    texts: tuple[str, ...]
    formats: tuple[str, ...]
    filename: str
    identifier: str


@dataclass(frozen=True)
class Book:
    """Everything gathered before anything is rendered."""

    edition: Edition
    texts: tuple[Text, ...] = field(default_factory=tuple)
    works: tuple[Work, ...] = field(default_factory=tuple)
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    linked_notes: dict[tuple[str, str], tuple[Markup | Cite, ...]] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.lang for t in self.texts))

    def note_parts(self, text: Text, note: Note) -> tuple[Markup | Cite, ...]:
        """The note's content with the words that cite a work as Cite parts, to be linked."""
        return self.linked_notes.get((text.id, note.label), (note.html,))

    def corrections(self) -> list[tuple[Work, Correction]]:
        """Every correction of a note's citation, in the order of the notes."""
        found = [(w, c) for w in self.works for c in w.corrections]
        return sorted(found, key=lambda wc: [int(n) if n.isdigit() else 0 for n in wc[1].notes])

    def cited_in(self, work: Work) -> list[tuple[Text, list[str]]]:
        """The notes that cite `work` or a part of it, text by text, in the texts' order."""
        ids = {work.id} | {w.id for w in self.works if w.part_of == work.id}
        result = []
        for text in self.texts:
            labels = [c.note for c in self.citations if c.text == text.id and c.work in ids]
            if labels:
                result.append((text, list(dict.fromkeys(labels))))
        return result
