"""Errors a user can cause, each carrying the place to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


def did_you_mean(word: str, known: Iterable[str], ignore_case: bool = False,
                 cutoff: float = 0.6) -> str:
    """" (did you mean 'x'?)" for the known word nearest a mistyped `word`, or "": the end of
    a message that names something that is not there. `cutoff`: how alike the two must be
    (difflib's ratio)."""
    known = list(known)
    if ignore_case:
        by_case = {k.casefold(): k for k in known}
        close = difflib.get_close_matches(word.casefold(), list(by_case), n=1, cutoff=cutoff)
        close = [by_case[c] for c in close]
    else:
        close = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


class BookError(Exception):
    """A problem in the user's input: printed as `path:line: message`, never as a traceback."""

    default_hint: str | None = None

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self):
        # Whole, with its place and hint, across a process boundary (book/workers.py).
        return _restored, (type(self), self.args, self.__dict__)

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        hint = self.hint or self.default_hint
        if hint:
            text += f"\n  hint: {hint}"
        return text


class SourceError(BookError):
    """A problem in a text under sources/."""

    default_hint = "the README's section on the edited sources describes their form"


class ConfigError(BookError):
    """A problem in an edition, a theme, a catalog or another file of the project's set-up."""

    default_hint = "docs/reference.md lists every key of every file, with what it allows"


class TemplateError(BookError):
    """A problem in a template."""

    default_hint = "docs/customizing.md lists the blocks and the names templates can use"


class Problems:
    """Collects every problem of a run so the user sees them all at once."""

    def __init__(self) -> None:
        self.errors = []

    def add(self, error: BookError) -> None:
        # One mistake found by several editions (a shared template) is reported once.
        for each in getattr(error, "errors", [error]):
            if str(each) not in {str(e) for e in self.errors}:
                self.errors.append(each)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise BookErrors(self.errors)


class BookErrors(BookError):
    """Several problems found in one run."""

    def __init__(self, errors: list[BookError]):
        super().__init__(f"{len(errors)} problems found")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors) + f"\n{len(self.errors)} problems found"


def _restored(kind: type[BookError], args: tuple, state: dict) -> BookError:
    error = Exception.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
