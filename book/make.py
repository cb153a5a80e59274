"""The build, in order: load sources and edition -> gather the model -> render -> write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .clock import build_time
from .config import load_editions
from .model import Book, Edition, Text
from .render import make_environment, template_search_path
from .sources import load_texts


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def editions(self) -> Path:
        return self.root / "editions"


def gather(project: Project) -> tuple[dict[str, Text], list[Edition]]:
    """Everything is read and checked before anything is written."""
    texts = load_texts(project.sources)
    editions = load_editions(project.editions, set(texts))
    return texts, editions


def book_for(edition: Edition, texts: dict[str, Text]) -> Book:
    return Book(edition=edition, texts=tuple(texts[t] for t in edition.texts))


def build(
    project: Project,
    out: Path,
    formats: tuple[str, ...] | None,
    edition_names: tuple[str, ...] | None,
    report: Callable[[str], None],
    written: list[Path],
) -> None:
    """Build the editions into `out`, adding each file written to `written`."""
    from .epub import write_epub
    from .pdf import write_pdf

    started = time.perf_counter()
    texts, editions = gather(project)
    report(f"read {len(texts)} texts and {len(editions)} "
           f"edition{'s' if len(editions) != 1 else ''} ({time.perf_counter() - started:.1f} s)")
    if edition_names:
        known = {e.name: e for e in editions}
        missing = [n for n in edition_names if n not in known]
        if missing:
            from .errors import ConfigError

            raise ConfigError(
                f"no edition named {', '.join(missing)}",
                project.editions,
                hint="editions: " + ", ".join(sorted(known)),
            )
        editions = [known[n] for n in edition_names]
    when = build_time(project.root)
    for edition in editions:
        book = book_for(edition, texts)
        search_path = template_search_path(project.root)
        env = make_environment(search_path, edition.language)
        for fmt in edition.formats:
            if formats and fmt not in formats:
                continue
            target = out / f"{edition.filename}.{fmt}"
            started = time.perf_counter()
            if fmt == "pdf":
                for warning in write_pdf(book, env, search_path, target):
                    report(f"warning: {edition.name}: {warning}")
            else:
                write_epub(book, env, search_path, target, when)
            report(f"wrote {target} ({time.perf_counter() - started:.1f} s)")
            written.append(target)
