"""What a check finds in the editorial data: warnings by default, errors under --strict."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    level: str  # "error", "warning", or "note" (acknowledged, or a flag to review)
    code: str
    message: str
    path: Path | None
    line: int | None
    hint: str | None = None
    # The texts it is about (a chronology flag, a note's citation): an edition printing none
    # of them does not report it. None named: it is about the whole book.
    texts: tuple[str, ...] = ()
    count: int = 1  # the problems it stands for: one, or those a summary counts

    def shown_from(self, root: Path) -> Finding:
        """The same finding with its path relative to the project, as messages show it."""
        root = root.resolve()
        if self.path is not None and self.path.is_absolute() and self.path.is_relative_to(root):
            return replace(self, path=self.path.relative_to(root))
        return self

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: " if self.path else ""
        text = f"{where}{self.level}: {self.message} [{self.code}]"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


# Where to look, for findings that carry no more precise hint.
HINTS = {
    "chronology": "the comments at the top of sources/chronology.yaml give the form of events",
    "fidelity": "an edited text may differ from its original only in spacing (never a space "
                "that joins two words or parts one) and in the removals its header lists",
    "questions": "docs/reference.md, under Questions, lists every key of a question",
    "glossary": "docs/reference.md, under Glossary, lists every key of an entry",
    "malformed-entry": "docs/reference.md lists the CSL fields an entry may have; the comments "
                       "at the top of sources/bibliography.yaml give ours, under custom",
    "chronology-flag": "the chronology prints this flag beside the text's date: check the "
                       "mention against the text; the text stays as written",
}
CITATION_HINT = "the comments at the top of sources/citations.yaml give the form of citations"


@dataclass
class Findings:
    items: list[Finding] = field(default_factory=list)
    texts: tuple[str, ...] = ()  # what the warnings and notes made through this one are about

    def about_text(self, text_id: str) -> Findings:
        """The same findings, the warnings and notes made through the result about a text."""
        return Findings(self.items, (text_id,))

    def warn(self, code, message, path=None, line=None, hint=None, acknowledged=False) -> None:
        hint = hint or HINTS.get(code, CITATION_HINT)
        if acknowledged:
            hint = "acknowledged in the data: the edition explains it to the reader"
        self.items.append(Finding("note" if acknowledged else "warning", code, message, path,
                                  line, hint, self.texts))

    def note(self, code, message, path=None, line=None, hint=None) -> None:
        """Something the editors review but that stops no build, not even a strict one."""
        self.items.append(Finding("note", code, message, path, line,
                                  hint or HINTS.get(code, CITATION_HINT), self.texts))

    def error(self, code, message, path=None, line=None, hint=None) -> None:
        hint = hint or HINTS.get(code, CITATION_HINT)
        self.items.append(Finding("error", code, message, path, line, hint))

    def about(self, texts: set[str] | None) -> Findings:
        """The findings a book of `texts` (None: of every text) reports: its errors, whatever
        they are about (the data must be right for any edition to be made), and the warnings
        and notes about the whole book or one of its texts."""
        return Findings([f for f in self.items if texts is None or f.level == "error"
                         or not f.texts or texts.intersection(f.texts)])

    def failing(self, strict: bool) -> list[Finding]:
        """Findings that stop a build: errors, and warnings too when strict; never notes."""
        levels = {"error", "warning"} if strict else {"error"}
        return [f for f in self.items if f.level in levels]


class LoggedWarnings(logging.Handler):
    """The warnings a library logs while it works (WeasyPrint, fontTools), gathered to be
    reported as the build's own."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
