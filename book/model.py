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

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.lang for t in self.texts))
