"""The build, in order: load sources and editions -> gather the model -> render -> write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .bibliography import format_works, load_bibliography
from .chronology import load_chronology
from .citations import load_citations
from .clock import build_time
from .config import load_editions
from .errors import BookError, ConfigError, Problems
from .fidelity import fidelity_problems
from .findings import Findings
from .limits import time_limit
from .model import Book, Citation, Cite, Edition, Event, GlossaryEntry, Question, Text
from .render import find_on_path, load_translations, make_environment, template_search_path
from .sources import load_texts
from .teaching import collation_key, load_glossary, load_questions

CSL_STYLE = "csl/chicago-notes-bibliography.csl"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def editions(self) -> Path:
        return self.root / "editions"


@dataclass(frozen=True)
class Gathered:
    """Everything read from the project, checked, before any edition is rendered."""

    texts: dict[str, Text]
    editions: list[Edition]
    entries: list[dict[str, Any]]
    citations: list[Citation]
    linked_notes: dict[tuple[str, str], tuple[Markup | Cite, ...]]
    events: list[Event]
    questions: list[Question]
    glossary: list[GlossaryEntry]
    findings: Findings


def gather(project: Project) -> Gathered:
    # The texts' and the editions' problems are reported together, then the rest.
    problems = Problems()
    texts: dict[str, Text] = {}
    try:
        texts = load_texts(project.sources)
    except BookError as error:
        problems.add(error)
    try:
        editions = load_editions(project.editions, set(texts) if not problems.errors else None,
                                 project.root / "templates")
    except BookError as error:
        problems.add(error)
    problems.raise_if_any()
    findings = Findings()
    entries = load_bibliography(project.sources / "bibliography.yaml", findings)
    citations, linked = load_citations(project.sources / "citations.yaml", texts, entries,
                                       findings)
    events = load_chronology(project.sources / "chronology.yaml", texts, findings)
    questions = load_questions(project.sources / "questions.yaml", texts, findings)
    glossary = load_glossary(project.sources / "glossary.yaml", findings)
    return Gathered(texts, editions, entries, citations, linked, events, questions, glossary,
                    findings)


def check(project: Project) -> Findings:
    """Everything `gather` finds, and the fidelity of each edited text to its original."""
    gathered = gather(project)
    for text in gathered.texts.values():
        for problem in fidelity_problems(text):
            gathered.findings.error("fidelity", problem, text.source)
    return gathered.findings


def book_for(edition: Edition, gathered: Gathered, search_path: list[Path]) -> Book:
    style = find_on_path(CSL_STYLE, search_path)
    if style is None:
        raise BookError(f"{CSL_STYLE} is in no template folder", search_path[0])
    texts = tuple(gathered.texts[t] for t in edition.texts)
    ids = {t.id for t in texts}
    # Terms that mend the CSL locale of the apparatus language (Greek quotation marks).
    terms = find_on_path(f"csl/locale-{edition.language}.xml", search_path)
    works = format_works(gathered.entries, style, edition.language, terms) \
        if edition.has("bibliography") else []
    events = [replace(e, mentions=tuple(m for m in e.mentions if m.text in ids))
              for e in gathered.events] if edition.has("chronology") else []
    questions = [q for q in gathered.questions if q.text in ids and q.in_edition(edition.name)] \
        if edition.has("questions") else []
    untranslated = [q.id for q in questions if edition.language not in q.wording]
    if untranslated:
        raise ConfigError(
            f"the edition prints questions in {edition.language!r}, but "
            f"{', '.join(untranslated)} have no wording in it", edition.path,
            hint=f"add '{edition.language}:' to those questions in sources/questions.yaml, "
            "or remove 'questions' from the edition's sections")
    glossary = sorted(gathered.glossary, key=lambda e: collation_key(e.form_in(edition.language))
                      ) if edition.has("glossary") else []
    return Book(
        edition=edition,
        texts=texts,
        questions=tuple(questions),
        glossary=tuple(glossary),
        works=tuple(works),
        citations=tuple(c for c in gathered.citations if c.text in ids and works),
        linked_notes={k: v for k, v in gathered.linked_notes.items() if k[0] in ids and works},
        events=tuple(e for e in events if e.mentions),
    )


def build(
    project: Project,
    out: Path,
    formats: tuple[str, ...] | None,
    edition_names: tuple[str, ...] | None,
    strict: bool,
    report: Callable[[str], None],
    written: list[Path],
) -> None:
    """Build the editions into `out`/<edition>/, adding each file written to `written`."""
    from .epub import write_epub
    from .pdf import write_pdf

    started = time.perf_counter()
    gathered = gather(project)
    for finding in gathered.findings.items:
        report(str(finding.shown_from(project.root)))
    failing = gathered.findings.failing(strict)
    if failing:
        raise BookError(f"{len(failing)} problem{'s' if len(failing) > 1 else ''} in the "
                        "sources stop the build" + (" (--strict)" if strict else ""),
                        hint="each is listed above, with its file and line")
    editions = gathered.editions
    report(f"read {len(gathered.texts)} texts and {len(editions)} "
           f"edition{'s' if len(editions) != 1 else ''} ({time.perf_counter() - started:.1f} s)")
    if edition_names:
        known = {e.name: e for e in editions}
        missing = [n for n in edition_names if n not in known]
        if missing:
            raise ConfigError(
                f"no edition named {', '.join(missing)}",
                project.editions,
                hint="editions: " + ", ".join(sorted(known)),
            )
        editions = [known[n] for n in edition_names]
    # Every edition's book is assembled before any file is written, so that a problem in the
    # last edition leaves the outputs of the first untouched.
    prepared = []
    for edition in editions:
        search_path = template_search_path(project.root, edition.templates)
        book = book_for(edition, gathered, search_path)
        env = make_environment(search_path, edition.language, load_translations(
            project.root / "templates" / "locales", edition.language), book.texts)
        prepared.append((edition, search_path, book, env))
    for edition, search_path, book, env in prepared:
        when = build_time(project.root, edition.date)
        for fmt in edition.formats:
            if formats and fmt not in formats:
                continue
            target = out / edition.name / f"{edition.filename}.{fmt}"
            started = time.perf_counter()
            with time_limit(f"making {target.name}"):
                if fmt == "pdf":
                    for warning in write_pdf(book, env, search_path, target, when, strict):
                        report(f"warning: {edition.name}: {warning}")
                else:
                    write_epub(book, env, search_path, target, when)
            report(f"wrote {target} ({time.perf_counter() - started:.1f} s)")
            written.append(target)
