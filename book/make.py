"""The build, in order: load sources and editions -> gather the model -> render -> write."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, closing
from dataclasses import astuple, dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bibliography import check_corrections, format_works, load_bibliography
from .chronology import load_chronology
from .citations import load_citations
from .clock import build_time
from .config import copies_of, key_line, load_editions, swapped_size
from .errors import BookError, ConfigError, Problems, did_you_mean
from .fidelity import fidelity_problems, words_of
from .files import (
    TemplateFolders,
    find_on_path,
    inside,
    links_leading_out,
    read_bytes,
    read_text,
)
from .findings import Finding, Findings
from .languages import language_name, script_mismatch, script_name
from .limits import time_limit, time_limit_seconds
from .made import (
    RECORDS,
    book_digest,
    build_context,
    build_options,
    record_made,
    tool_digest,
    tree_digest,
    up_to_date,
)
from .memo import adopt, keep, kept_in, made_here, recall
from .model import Book, Citation, Edition, Event, GlossaryEntry, Question, Text, Work
from .output import Stage, clean_stale_parts
from .overrides import override_problems
from .passages import anchor_passages
from .pdf import fewer_collections
from .printpages import PageStart, page_starts
from .render import make_environment, template_search_path
from .sources import load_texts
from .stylecheck import located, stylesheet_warnings
from .teaching import collation_key, load_glossary, load_questions
from .translations import check_unused_catalogs, load_translations
from .typography import TYPOGRAPHY_FILE, Typographies, load_typography, primary_language
from .wordings import (
    entry_lines,
    header_line,
    missing_wordings,
    straight_quotes,
    untranslated_strings,
)
from .workers import Abandoned, Done, Handoff, Job, forks, run

if TYPE_CHECKING:
    from .pdf import Laid

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

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The folders a build reads (besides the tool's own code)."""
        return self.sources, self.editions, self.root / "templates"


@dataclass(frozen=True)
class Gathered:
    """Everything read from the project, checked, before any edition is rendered."""

    texts: dict[str, Text]
    editions: list[Edition]
    entries: list[dict[str, Any]]
    citations: list[Citation]
    events: list[Event]
    questions: list[Question]
    glossary: list[GlossaryEntry]
    findings: Findings
    sources: Path  # the folder of the data files, for messages that name them
    typography: Typographies
    # The questions and glossary entries of each edition in a folder of its own, by its name.
    own_questions: dict[str, list[Question]] = field(default_factory=dict)
    own_glossary: dict[str, list[GlossaryEntry]] = field(default_factory=dict)


# What the citations find when the bibliography lacks a work: said of a bibliography that has
# errors, they would only echo them.
BIBLIOGRAPHY_ECHOES = ("unknown-work", "op-cit-without-citation")


def gather(project: Project, names: Sequence[str] = ()) -> Gathered:
    """Everything the editions are made of, read and checked; where editions are `names`d
    (--edition), another's mistakes leave it out with a note instead of stopping them."""
    # The texts' and the editions' problems are reported together, then the rest.
    problems = Problems()
    texts: dict[str, Text] = {}
    set_aside: list[BookError] = []
    typography = Typographies()
    try:
        typography = load_typography(project.sources / TYPOGRAPHY_FILE)
    except BookError as error:
        problems.add(error)
    try:
        texts = load_texts(project.sources, typography)
    except BookError as error:
        problems.add(error)
    try:
        editions = load_editions(project.editions, set(texts) if not problems.errors else None,
                                 project.root / "templates", names, set_aside)
    except BookError as error:
        problems.add(error)
    problems.raise_if_any()
    findings = Findings()
    for error in set_aside:
        _left_out(getattr(error, "errors", [error]), findings)
    for folder in project.inputs:
        for link in links_leading_out(folder):
            findings.error("files", f"a symbolic link that leads out of {folder.name}/" if
                           link.exists() else "a symbolic link that leads nowhere (to a file "
                           "that is not there, or back to itself)", link,
                           hint="replace the link by a copy of the file it leads to")
    read_before = len(findings.items)
    entries = load_bibliography(project.sources / "bibliography.yaml", findings)
    # The texts come back with each note's citing words linked.
    citations, texts = load_citations(project.sources / "citations.yaml", texts, entries,
                                      findings)
    # An entry the bibliography could not read makes each note that cites it look wrong (a
    # tab in the file, every note): the error is said, not its echoes.
    if any(f.level == "error" for f in findings.items[read_before:]
           if f.code == "malformed-entry"):
        findings.items[read_before:] = [f for f in findings.items[read_before:]
                                        if f.code not in BIBLIOGRAPHY_ECHOES]
    # Citations the file could not give (a tab in it, every note) would make each correction
    # look wrong: the error is said, not its echoes.
    citations_file = project.sources / "citations.yaml"
    if not any(f.level == "error" and f.path == citations_file
               for f in findings.items[read_before:]):
        check_corrections(project.sources / "bibliography.yaml", entries, citations, texts,
                          findings)
    events = load_chronology(project.sources / "chronology.yaml", texts, findings)
    questions = load_questions(project.sources / "questions.yaml", texts, findings,
                               {e.name for e in editions})
    glossary = load_glossary(project.sources / "glossary.yaml", texts, findings)
    own_questions, own_glossary = {}, {}
    for edition in editions:
        if edition.folder is not None:
            own_questions[edition.name], own_glossary[edition.name] = edition_content(
                edition, texts, findings, questions, glossary)
        unprinted_parts(edition, {"questions": own_questions.get(edition.name),
                                  "glossary": own_glossary.get(edition.name)}, findings)
        unplaced_isbns(edition, findings)
        sideways_page(edition, findings)
    texts, events, questions, own_questions = with_passages(texts, events, questions,
                                                            own_questions)
    check_unused_catalogs(project.root / "templates" / "locales",
                          {edition.language for edition in editions}, findings)
    # A text that departs from its original is no edition of it: check and build refuse it.
    for text in texts.values():
        for problem, line in fidelity_problems(text):
            findings.error("fidelity", problem, text.source, line)
    for text in texts.values():
        script_findings(text, findings)
    # A text added without a line in any edition would only be checked, never printed.
    printed = {text_id for edition in editions for text_id in edition.texts}
    for text in texts.values():
        if text.id not in printed:
            findings.note("unprinted", f"no edition prints the text {text.id!r}", text.source,
                          header_line(text.source, "id"),
                          hint="add its id to the texts list of each edition that should print "
                          "it (docs/adding-a-text.md, 5. Print it)")
    typography_findings(project, typography, texts, editions, findings)
    gathered = Gathered(texts, editions, entries, citations, events, questions, glossary,
                        findings, project.sources, typography, own_questions, own_glossary)
    straight_quotes(gathered, project.sources, findings)
    return _without_unasked(gathered, names) if names else gathered


def script_findings(text: Text, findings: Findings) -> None:
    """A text whose letters are of another script than its language's: Hebrew tagged 'en'
    would be set left to right, hyphenated and named as English."""
    letters = Counter("".join(words_of(p) for p in text.paragraphs))
    mismatch = script_mismatch(text.lang, Counter(
        {c: n for c, n in letters.items() if c.isalpha()}))
    if mismatch is None:
        return
    written, usual, meant = mismatch
    name = language_name(text.lang, "en")
    findings.warn("language", f"the text is written in {script_name(written)} letters, but "
                  f"its language {text.lang!r} ({name}) is written in {script_name(usual)} "
                  f"letters: the book would set, hyphenate and name it as {name}", text.source,
                  header_line(text.source, "lang"),
                  "give the tag of the language the text is in"
                  + (f", such as {meant!r} for {language_name(meant, 'en')}" if meant else "")
                  + "; a language written in other letters than its usual ones takes their "
                  f"script too, as '{text.lang.split('-')[0]}-{written}'")


def _left_out(mistakes: Sequence, findings: Findings) -> None:
    """The note that an edition not asked for is left out, for its `mistakes` (errors, or
    findings of the level error: each has a message, a path and a line)."""
    first, *more = mistakes
    findings.note("edition-set-aside", f"an edition not asked for is left out, for its "
                  f"mistakes: {first.message}" + (f" (and {len(more)} more)" if more else ""),
                  first.path, first.line,
                  hint="build or check it by name (--edition) to see its mistakes")


def _without_unasked(gathered: Gathered, names: Sequence[str]) -> Gathered:
    """What an edition not named finds in its own files (its file, its folder's questions and
    glossary) is its own: its errors leave it out, with a note, as an edition file's do, and
    its warnings and notes are not the named editions' to mend."""
    notes = Findings([f for f in gathered.findings.items if f.code == "edition-set-aside"])
    rest = [f for f in gathered.findings.items if f.code != "edition-set-aside"]
    editions = []
    for edition in gathered.editions:
        def its_own(finding: Finding, edition: Edition = edition) -> bool:
            return finding.path is not None and (
                finding.path == edition.path or edition.folder is not None
                and finding.path.is_relative_to(edition.folder))

        if edition.name in names:
            editions.append(edition)
            continue
        mine = [f for f in rest if its_own(f)]
        rest = [f for f in rest if not its_own(f)]
        errors = [f for f in mine if f.level == "error"]
        if errors:
            _left_out(errors, notes)
        else:
            editions.append(edition)
    kept = {e.name for e in editions}
    return replace(gathered, editions=editions, findings=Findings([*notes.items, *rest]),
                   own_questions={n: q for n, q in gathered.own_questions.items() if n in kept},
                   own_glossary={n: g for n, g in gathered.own_glossary.items() if n in kept})


def typography_findings(project: Project, typography: Typographies, texts: dict[str, Text],
                        editions: list[Edition], findings: Findings) -> None:
    """Languages of texts and apparatus the typography file has no entry for: nothing to
    mend, but pages that may need it (the line-break rules are data)."""
    path = project.sources / TYPOGRAPHY_FILE

    def lacking(lang: str, whose: str, what: str, at: Path, line: int | None) -> None:
        primary = primary_language(lang)
        findings.note("no-typography", f"{path.parent.name}/{path.name} has no rules for "
                      f"{language_name(lang, 'en')} ({lang!r}){whose}: {what}", at, line,
                      hint=f"add an entry '{primary}:' to {path.parent.name}/{path.name}, or "
                      f"'{primary}: {{}}' for a language that needs none "
                      "(docs/adding-a-language.md)")

    for text in texts.values():
        if not typography.has(text.lang):
            lacking(text.lang, "", "the text is hyphenated by WeasyPrint's own limits, its "
                    "one-letter words and abbreviations may end a line, and its spacing slips "
                    "are left as typed", text.source, header_line(text.source, "lang"))
    for edition in editions:
        if not typography.has(edition.language):
            lacking(edition.language, f", the {edition.name} edition's language", "its "
                    "apparatus gets no quotation marks, hyphenation limits or no-break spaces "
                    "of that language", edition.path,
                    key_line(read_text(edition.path, edition.path.parent), "language"))


def with_passages(texts: dict[str, Text], events: list[Event], questions: list[Question],
                  own_questions: dict[str, list[Question]]):
    """The texts with an anchor at each passage the chronology or a question quotes, and the
    mentions and questions with the anchor their references lead to (book/passages.py)."""
    asked = [*questions, *(q for own in own_questions.values() for q in own)]
    texts, found = anchor_passages(texts, [
        *((m.anchor, m.quote) for event in events for m in event.mentions),
        *((q.about[0], q.quote) for q in asked if q.quote and q.about)])

    def placed(question: Question) -> Question:
        passage = found.get((question.about[0], question.quote)) if question.quote else None
        return replace(question, passage=passage) if passage else question

    events = [replace(event, mentions=tuple(
        replace(m, passage=found.get((m.anchor, m.quote), "")) for m in event.mentions))
        for event in events]
    return texts, events, [placed(q) for q in questions], {
        name: [placed(q) for q in own] for name, own in own_questions.items()}


def edition_content(edition: Edition, texts: dict[str, Text], findings: Findings,
                    shared_questions: list[Question], shared_glossary: list[GlossaryEntry]
                    ) -> tuple[list[Question], list[GlossaryEntry]]:
    """The questions and glossary of an edition in a folder of its own, checked against
    what it takes of the shared ones: ids it names that are not there, ids used twice."""
    folder = edition.folder
    assert folder is not None
    questions_file, glossary_file = folder / "questions.yaml", folder / "glossary.yaml"
    questions = load_questions(questions_file, texts, findings, owner=edition.name) \
        if questions_file.exists() else []
    glossary = load_glossary(glossary_file, texts, findings, owner=edition.name) \
        if glossary_file.exists() else []
    source = read_text(edition.path, folder)
    line_of = entry_lines()
    for what, shared, taken, own, path in (
            ("questions", shared_questions, edition.shared_questions, questions,
             questions_file),
            ("glossary", shared_glossary, edition.shared_glossary, glossary, glossary_file)):
        ids = [entry.id for entry in shared]
        line = key_line(source, what, "shared")
        for missing in [] if isinstance(taken, bool) else [i for i in taken if i not in ids]:
            findings.error("edition", f"[shared] {what}: sources/{what}.yaml has no entry "
                           f"{missing!r}" + did_you_mean(missing, ids),
                           edition.path, line, f"name the ids of sources/{what}.yaml, or "
                           "write true to take them all")
        for entry in own:
            if edition.takes(taken, entry.id) and entry.id in ids:
                findings.error(what, f"the id {entry.id!r} is also the id of an entry of "
                               f"sources/{what}.yaml that the edition takes", path,
                               line_of(path, entry.id, ("id",)),
                               "give this one an id of its own, such as "
                               f"'{edition.name}-{entry.id}'")
    for question in questions:
        if question.text not in edition.texts:
            findings.warn("questions", f"question {question.id} is on the {question.text} "
                          f"text, which the {edition.name} edition does not print", questions_file,
                          line_of(questions_file, question.id),
                          f"add {question.text!r} to the edition's texts, or delete it")
    # A term of the edition's own that a shared entry it takes names too: printed twice.
    taken = {e.form_in(edition.language).casefold(): e for e in shared_glossary
             if edition.takes(edition.shared_glossary, e.id)}
    for entry in glossary:
        twin = taken.get(entry.form_in(edition.language).casefold())
        if twin is not None and twin.id != entry.id:
            findings.warn("glossary", f"glossary entry {entry.id} names "
                          f"«{entry.form_in(edition.language)}», as the entry {twin.id} of "
                          "sources/glossary.yaml the edition takes: the glossary would print "
                          "it twice", glossary_file, line_of(glossary_file, entry.id),
                          f"delete one of the two, or leave {twin.id!r} out of [shared] "
                          "glossary (a list of the ids the edition takes)")
    for entry in glossary:
        if entry.texts and not set(entry.texts) & set(edition.texts):
            named = ", ".join(entry.texts)
            findings.warn("glossary", f"glossary entry {entry.id} is for the {named} "
                          f"text{'s' * (len(entry.texts) > 1)}, which the {edition.name} "
                          "edition does not print: it would print the entry nowhere",
                          glossary_file, line_of(glossary_file, entry.id),
                          "add one of its texts to the edition's texts, or the edition's "
                          "texts to its texts:, or delete it")
    return questions, glossary


def unprinted_parts(edition: Edition, own: dict[str, list], findings: Findings) -> None:
    """What an edition is given but would print nowhere, its sections leaving out the part
    that prints it: its own questions or glossary, those it takes of the shared ones, the
    chronology it makes a worksheet of."""
    source = read_text(edition.path, edition.folder or edition.path.parent)
    sections = key_line(source, "sections")
    for part in ("questions", "glossary"):
        if part in edition.sections:
            continue
        given = []
        if own.get(part):
            given.append(f"{edition.folder.name}/{part}.yaml")
        if key_line(source, part, "shared") is not None and getattr(edition, f"shared_{part}"):
            given.append(f"[shared] {part}")
        if given:
            # At the [shared] key where the sections are not written (the default ones).
            findings.warn("edition", f"the {' and '.join(given)} would print nowhere: the "
                          f"edition's sections leave out {part!r}", edition.path,
                          sections or key_line(source, part, "shared"),
                          f"add \"{part}\" to sections, or delete what the edition is given")
    if edition.worksheet and "chronology" not in edition.sections:
        findings.warn("edition", "the chronology is made a worksheet, but the edition's "
                      "sections leave it out", edition.path,
                      key_line(source, "worksheet", "chronology"),
                      "add \"chronology\" to sections, or delete worksheet = true")


def unplaced_isbns(edition: Edition, findings: Findings) -> None:
    """An ISBN printed without hyphens: the agencies' ranges python-stdnum knows do not place
    its parts (a range newer than the library, or one never given out)."""
    for fmt, printed in edition.isbns:
        if "-" not in printed:
            source = read_text(edition.path, edition.folder or edition.path.parent)
            findings.note("isbn", f"the {fmt.upper()}'s ISBN {printed} is printed without "
                          "hyphens: the ranges of the ISBN agencies this tool knows do not "
                          "place its parts", edition.path, key_line(source, fmt, "isbn"),
                          "check the number with the agency that gave it; a range newer "
                          "than the tool's python-stdnum is hyphenated once it is updated")


def sideways_page(edition: Edition, findings: Findings) -> None:
    """A page size of two lengths that gives a page wider than tall: its width and height
    swapped, most likely, and the book printed sideways; a landscape book may mean it, so it
    is a note, which stops no build."""
    meant = swapped_size(edition.page.size)
    if meant is None:
        return
    width, height = edition.page.size.split()
    source = read_text(edition.path, edition.folder or edition.path.parent)
    findings.note("edition", f"the page is wider than tall: size {edition.page.size!r} gives "
                  f"a page {width} wide and {height} high", edition.path,
                  key_line(source, "size", "page"),
                  f"a book's size is written width then height: did you mean {meant!r}? A "
                  "landscape book keeps it as it is")


def chosen(editions: list[Edition], names: Sequence[str] | None,
           project: Project) -> list[Edition]:
    """The editions named (--edition), in that order; all of them if none is."""
    if not names:
        return editions
    known = {e.name: e for e in editions}
    missing = [n for n in names if n not in known]
    if missing:
        raise ConfigError("no edition named " + ", ".join(
            name + did_you_mean(name, known) for name in missing), project.editions,
            hint="editions: " + ", ".join(sorted(known)))
    return [known[n] for n in names]


def check(project: Project, workers: int = 1,
          edition_names: Sequence[str] | None = None) -> Findings:
    """Everything a build would report, without writing anything: what `gather` finds (the
    fidelity of each text to its original included), then each edition's (or each of
    `edition_names`'), its PDF laid out and its pages checked (book/pagecheck.py); `workers`
    layouts at a time."""
    gathered = gather(project, edition_names or ())
    texts = printed_texts(gathered.editions, edition_names)
    if gathered.findings.failing(strict=False):
        # the editions are made of what has these errors
        return gathered.findings.about(texts)
    editions = chosen(gathered.editions, edition_names, project)
    problems = Problems()
    # Each copy of each edition as a build makes it, up to the writing: its templates
    # rendered, its documents, stylesheets, images and characters checked, its pages laid out.
    jobs: list[tuple[str, Job, Handoff | None]] = []  # (format, job, the handoff it gives)
    printed: list[Book] = []  # the books whose PDFs are laid out
    found: dict[int, list[Finding]] = {}
    with ExitStack() as handoffs:
        for edition in (copy for e in editions for copy in copies_of(e)):
            try:
                made = prepare(project, edition, gathered)
            except BookError as error:
                problems.add(error)
                continue
            gathered.findings.items.extend(w for w in made.warnings
                                           if w not in gathered.findings.items)
            fmts, handoff = _jobs_of(edition, None, handoffs)
            printed += [made.book] if "pdf" in fmts else []
            jobs.extend((fmt, partial(check_files, made, fmt, handoff),
                         handoff if fmt == "pdf" else None) for fmt in fmts)
        # As a build, which makes no file while an edition cannot be made: what its templates
        # say comes first, and the layouts (seconds each) once they are mended.
        problems.raise_if_any()
        for done in run_jobs(jobs, workers, lambda line: None, printed):
            if done.error is not None and not isinstance(done.error, Abandoned):
                problems.add(done.error)
            found[done.index] = done.value or []
    problems.raise_if_any()
    for index in sorted(found):
        gathered.findings.items.extend(found[index])
    return gathered.findings.about(texts)


def printed_texts(editions: Sequence[Edition], names: Sequence[str] | None) -> set[str] | None:
    """The texts the editions `names` print, whose findings a build or a check of those alone
    reports (a teacher's edition of one text is not held up by a flag on another); None, every
    text's, when no edition is named, or one named is not known (an error says so)."""
    known = {e.name: e for e in editions}
    if not names or any(name not in known for name in names):
        return None
    return {text for name in names for text in known[name].texts}


@fewer_collections()  # a PDF's document is alive through the job (book/pdf.py)
def check_files(made: Prepared, fmt: str, handoff: Handoff | None,
                report: Callable[[str], None]) -> list[Finding]:
    """What making one format of one copy would find, without writing it: the PDF's layout
    warnings and its pages' problems; the EPUB's documents checked. `handoff` carries where
    the PDF's pages begin to the EPUB (see `_jobs_of`)."""
    from .epub import prepare_epub
    from .pagecheck import check_pages

    edition = made.edition
    if fmt == "epub":
        prepare_epub(made.book, made.env, made.search_path, made.glyph_places,
                     print_pages(made, handoff))
        return []
    found = Findings()
    with time_limit(f"laying out {edition.name}"):
        laid = laid_out(made, handoff)[0]
    for warning in laid.warnings:
        if not located(warning, made.warnings):
            found.warn("weasyprint", f"{edition.name}: {warning}", edition.path,
                       hint=WEASYPRINT_HINT)
    found.items.extend(check_pages(made.book, laid.document, laid.moved, laid.families))
    return found.items


def report_findings(found: Sequence[Finding], what: str, where: str, hint: str,
                    report: Callable[[str], None], root: Path, strict: bool) -> None:
    """Show each finding; stop the build on its errors, and under --strict on its warnings
    too (never on a note), counted: "3 typographic problems in x.pdf stop the build"."""
    for finding in found:
        report(str(finding.shown_from(root)))
    stopping = [f for f in found if f.level == "error" or strict and f.level == "warning"]
    count = sum(f.count for f in stopping)
    if count:
        many = count > 1
        raise BookError(f"{count} {what}{'s' if many else ''} {where} "
                        f"{'stop' if many else 'stops'} the build"
                        + (" (--strict)" if any(f.level != "error" for f in stopping) else ""),
                        hint=hint)


# What WeasyPrint's warnings while laying out call for.
WEASYPRINT_HINT = "each names what could not be laid out as written: mend it in the " \
                  "edition's templates or stylesheets"


@dataclass(frozen=True)
class Prepared:
    """An edition ready to be written: everything but the layout and the writing, checked."""

    edition: Edition
    search_path: TemplateFolders
    book: Book
    env: Any  # the Jinja environment of its templates and catalog
    when: datetime  # the date stamped into its outputs
    glyph_places: list[Path]
    # What its folders hold that the book does not show: declarations its stylesheets hold
    # that the layout ignores (book/stylecheck.py), pictures no template uses.
    warnings: tuple[Finding, ...] = ()


def prepare(project: Project, edition: Edition, gathered: Gathered,
            css_warnings: bool = True, book: Book | None = None) -> Prepared:
    """The edition ready to be written; `book`, if the caller assembled it already."""
    when = build_time(project.root, edition.date)  # a date that cannot be stamped stops it now
    search_path = template_search_path(project.root, edition.templates, edition.own_templates)
    book = book or book_for(edition, gathered, search_path)
    translations = load_translations(project.root / "templates" / "locales", edition.language)
    env = make_environment(search_path, edition.language, translations, book.texts)
    # What the edition's templates hold that Jinja would drop without a word, and words
    # they would print in English.
    problems = Problems()
    overrides, unused = override_problems(env, search_path)
    for error in [*overrides, *untranslated_strings(search_path, translations,
                                                    edition.language)]:
        problems.add(error)
    problems.raise_if_any()
    return Prepared(edition, search_path, book, env, when,
                    glyph_places(project, edition, search_path),
                    (*unused, *(stylesheet_warnings(search_path, env) if css_warnings else ())))


def book_for(edition: Edition, gathered: Gathered, search_path: TemplateFolders) -> Book:
    style = find_on_path(CSL_STYLE, search_path)
    if style is None:
        raise BookError(f"{CSL_STYLE} is in no template folder", search_path[0])
    # Terms that mend the CSL locale of the apparatus language (Greek quotation marks).
    terms = find_on_path(f"csl/locale-{edition.language}.xml", search_path)
    for csl in filter(None, (style, terms)):
        check_xml(csl, search_path.root_of(csl))
    texts = tuple(gathered.texts[t] for t in edition.texts)
    ids = {t.id for t in texts}
    # The works the edition's texts cite, and the works those are part of: no other.
    cited = {c.work for c in gathered.citations if c.text in ids and c.work}
    parents = {(e.get("custom") or {}).get("part-of") for e in gathered.entries
               if e["id"] in cited}
    entries = [e for e in gathered.entries if e["id"] in cited | parents]
    try:
        works = format_works(entries, style, edition.language, terms) \
            if edition.has("bibliography") else []
    except BookError:
        raise
    except Exception as error:
        # A CSL file that is well-formed XML but not a style citeproc-py can follow.
        raise BookError(f"the citation style could not format the bibliography: "
                        f"{type(error).__name__}: {' '.join(str(error).split())[:200]}", style,
                        hint="restore the theme's CSL file, or take a style from the CSL "
                        "project's repository unchanged") from None
    part_of = {w.id: w.part_of for w in works}
    works = [_corrections_for(work, {c.note for c in gathered.citations if c.text in ids and
                                     work.id in (c.work, part_of.get(c.work))})
             for work in works]
    events = [replace(e, mentions=tuple(m for m in e.mentions if m.text in ids))
              for e in gathered.events] if edition.has("chronology") else []
    # The shared questions and entries the edition takes, and its own.
    questions = [q for q in [*(q for q in gathered.questions if q.in_edition(edition.name) and
                               edition.takes(edition.shared_questions, q.id)),
                             *gathered.own_questions.get(edition.name, ())]
                 if q.text in ids] if edition.has("questions") else []
    glossary = sorted((e for e in [*(e for e in gathered.glossary
                                     if edition.takes(edition.shared_glossary, e.id)),
                                   *gathered.own_glossary.get(edition.name, ())]
                       if ids & set(e.texts)),
                      key=lambda e: collation_key(e.form_in(edition.language))
                      ) if edition.has("glossary") else []
    book = Book(
        edition=edition,
        texts=texts,
        questions=tuple(questions),
        glossary=tuple(glossary),
        works=tuple(works),
        citations=tuple(c for c in gathered.citations if c.text in ids and works),
        events=tuple(e for e in events if e.mentions),
        typography=gathered.typography,
    )
    # Every entry the edition prints is in its language, each lacking one listed at its line.
    problems = Problems()
    for error in missing_wordings(book, gathered.sources):
        problems.add(error)
    problems.raise_if_any()
    return book


def _corrections_for(work: Work, notes: set[str]) -> Work:
    """`work` with only the corrections of notes the edition prints."""
    kept = tuple(replace(c, notes=tuple(n for n in c.notes if n in notes))
                 for c in work.corrections if notes & set(c.notes))
    return replace(work, corrections=kept)


def check_xml(path: Path, root: Path) -> None:
    """A CSL file is XML that citeproc-py reads with lxml: refuse one that is not well-formed
    or that declares entities (which could pull in any file of the machine)."""
    from lxml import etree

    data = read_bytes(path, root)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise BookError(f"not well-formed XML: {error.msg}", path, error.lineno,
                        hint="restore the theme's CSL file, or fix the markup at this line"
                        ) from None
    if tree.getroottree().docinfo.doctype or b"<!ENTITY" in data:
        raise BookError("a CSL file may not declare a DOCTYPE or entities", path, 1,
                        hint="remove the <!DOCTYPE …> declaration")


def build(
    project: Project,
    out: Path,
    formats: tuple[str, ...] | None,
    edition_names: tuple[str, ...] | None,
    strict: bool,
    report: Callable[[str], None],
    written: list[Path],
    inputs: str = "",
    context: str | None = None,
    force: bool = False,
    workers: int = 1,
) -> None:
    """Build the editions into `out`/<edition>/, adding each file written to `written`;
    `inputs` is the digest of what the build reads and `context` what every book is made with
    (book/made.py), recorded with them; `workers` files are made at a time."""
    if out.exists() and not out.is_dir():
        raise BookError(f"--out {out} is a file, not a folder", hint="name a folder for the "
                        "books, such as dist/ (it is made if it does not exist)")
    for folder in project.inputs:
        if out.resolve().is_relative_to(folder.resolve()):
            # The books would become inputs of the next build, which would never be up to date.
            raise BookError(f"--out {out} is inside {folder.name}/, which the build reads",
                            hint="name a folder outside sources/, editions/ and templates/, "
                            "such as dist/")
    # What slow steps made for the last build, kept for the next (book/memo.py).
    with kept_in(out / RECORDS / "memo", tool_digest(project.root)):
        _build(project, out, formats, edition_names, strict, report, written, inputs, context,
               force, workers)


def _build(project: Project, out: Path, formats: tuple[str, ...] | None,
           edition_names: tuple[str, ...] | None, strict: bool,
           report: Callable[[str], None], written: list[Path], inputs: str,
           context: str | None, force: bool, workers: int) -> None:
    started = time.perf_counter()
    time_limit_seconds()  # a bad BOOK_TIME_LIMIT stops the build before any work
    gathered = gather(project, edition_names or ())
    findings = gathered.findings.about(printed_texts(gathered.editions, edition_names))
    # Notes are for the editors' review, which `check` serves: a build counts them.
    notes = [f for f in findings.items if f.level == "note"]
    for finding in findings.items:
        if finding.level != "note":
            report(str(finding.shown_from(project.root)))
    if notes:
        report(f"{len(notes)} note{'s' if len(notes) > 1 else ''} for the editors to review "
               "(`python build.py check` lists them)")
    failing = findings.failing(strict)
    if failing:
        many = len(failing) > 1
        raise BookError(f"{len(failing)} problem{'s' if many else ''} in the sources or the "
                        f"editions {'stop' if many else 'stops'} the build"
                        + (" (--strict)" if strict else ""),
                        hint="each is listed above, with its file and line")
    editions = gathered.editions
    report(f"read {len(gathered.texts)} texts and {len(editions)} "
           f"edition{'s' if len(editions) != 1 else ''} ({time.perf_counter() - started:.1f} s)")
    editions = chosen(editions, edition_names, project)
    # Every edition's book is assembled before any file is written, so that a problem in the
    # last edition leaves the outputs of the first untouched; an edition whose books are
    # those its folder was last made from is not made again (book/made.py).
    context = context or build_context(project.root, build_options(formats, strict))
    plans = []
    for edition in editions:
        books, digests = [], {}
        for copy in copies_of(edition):
            search_path = template_search_path(project.root, copy.templates, copy.own_templates)
            books.append(book_for(copy, gathered, search_path))
            digests[copy.copy] = book_digest(books[-1], [
                *search_path, project.root / "templates" / "locales" / copy.language],
                project.root, context)
        if not force and up_to_date(out / edition.name, digests):
            report(f"{edition.name}: up to date, nothing it is made of has changed since it "
                   "was made (--force makes it again)")
            continue
        plans.append((edition, digests, books))
    # The stylesheets are read as WeasyPrint reads them where a PDF is made: an EPUB's build
    # never loads WeasyPrint. The copies of an edition share them: read once.
    prepared = [[prepare(project, copy, gathered, index == 0 and "pdf" in edition.formats and
                         (not formats or "pdf" in formats), book)
                 for index, (copy, book) in enumerate(zip(copies_of(edition), books,
                                                          strict=True))]
                for edition, _, books in plans]
    # Each file of each edition is a job; the jobs run side by side on the machine's cores,
    # in processes forked now that everything is read and checked (book/workers.py).
    stages = [Stage() for _ in plans]
    jobs: list[tuple[str, Job, Handoff | None]] = []  # (format, job, the handoff it gives)
    numbers: list[int] = []  # each job's edition, by its number
    printed: list[Book] = []  # the books whose PDFs are laid out
    handoffs = ExitStack()
    try:
        for number, ((edition, _, _), copies) in enumerate(zip(plans, prepared, strict=True)):
            report_findings(copies[0].warnings, "warning", f"about {edition.name}'s "
                            "templates and stylesheets", "each is listed above, with its file "
                            "and line", report, project.root, strict)
            folder = out / edition.name
            clean_stale_parts(folder)
            for made in copies:
                fmts, handoff = _jobs_of(made.edition, formats, handoffs)
                printed += [made.book] if "pdf" in fmts else []
                for fmt in fmts:
                    target = folder / f"{made.edition.filename}.{fmt}"
                    jobs.append((fmt, partial(write_file, made, fmt, target,
                                              stages[number](target), handoff,
                                              copies[0].warnings, strict, project.root),
                                 handoff if fmt == "pdf" else None))
                    numbers.append(number)
        left = Counter(numbers)
        problems, failed = Problems(), set()
        # Closed first when the build ends, however it ends: no job is left writing beside
        # the files discarded below.
        outcomes = handoffs.enter_context(closing(run_jobs(jobs, workers, report, printed)))
        for done in outcomes:
            number = numbers[done.index]
            if done.error is not None:
                if not isinstance(done.error, Abandoned):  # its giver's error says why
                    problems.add(done.error)
                failed.add(number)
            else:
                adopt(done.value)  # what the job made to keep (compiled templates)
            left[number] -= 1
            # An edition's files are replaced together or not at all.
            if left[number] == 0 and number not in failed:
                edition, digests, _ = plans[number]
                stages[number].commit()
                record_made(out / edition.name, inputs, digests, stages[number].targets)
                written.extend(stages[number].targets)
                for target in stages[number].targets:
                    report(f"wrote {target}")
    finally:
        handoffs.close()
        for stage in stages:
            stage.discard()
    problems.raise_if_any()


def run_jobs(jobs: Sequence[tuple[str, Job, Handoff | None]], workers: int,
             report: Callable[[str], None], printed: Sequence[Book]) -> Iterator[Done]:
    """Run each (format, job, the handoff it gives) of a build or a check, `workers` at a time
    in processes forked from this one (book/workers.py); `printed` are the books whose PDFs
    the jobs lay out. Each outcome's index is its job's in `jobs`. The PDFs start first: they
    take longest, the EPUBs fill the cores' last gaps, and an EPUB that waits for its PDF's
    pages comes after it, as a Handoff asks (the sort is stable)."""
    order = sorted(range(len(jobs)), key=lambda i: jobs[i][0] != "pdf")
    if forks(len(jobs), workers):
        # Each writer's library imported once, before any fork, for every child to share;
        # and Pillow's readers of every image format, which each file a book loads is tried
        # with (book/limits.py). A job run here imports what it needs as it goes.
        for fmt in {fmt for fmt, _, _ in jobs}:
            import_writer(fmt, printed)
        from PIL import Image

        Image.init()
    for done in run([jobs[i][1] for i in order], workers, report,
                    {n: jobs[i][2] for n, i in enumerate(order) if jobs[i][2]}):
        yield replace(done, index=order[done.index])


def import_writer(fmt: str, printed: Sequence[Book]) -> None:
    """Import what writing `fmt` needs: WeasyPrint for a PDF, with the hyphenation patterns of
    the languages the `printed` books are written in; ebooklib for an EPUB."""
    if fmt == "pdf":
        from .pdf import read_hyphenation

        read_hyphenation(lang for book in printed for lang in book.written_in)
    else:
        from ebooklib import epub  # noqa: F401


def _jobs_of(edition: Edition, formats: Sequence[str] | None, handoffs: ExitStack
             ) -> tuple[list[str], Handoff | None]:
    """The formats of `edition` to make (all, or those of `formats`), each a job, the PDF first;
    and, if its EPUB carries the PDF's pages, the handoff that brings it where they begin from
    the PDF's layout: the EPUB's documents are made and checked beside the layout, and only
    marked once it is done. `handoffs` closes it when the jobs are over."""
    fmts = sorted((f for f in edition.formats if not formats or f in formats),
                  key=lambda f: f != "pdf")
    return fmts, handoffs.enter_context(Handoff()) if edition.print_pages and len(fmts) == 2 \
        else None


@fewer_collections()  # a PDF's document is alive through the job (book/pdf.py)
def write_file(made: Prepared, fmt: str, target: Path, staged_path: Path,
               handoff: Handoff | None, located_warnings: Sequence[Finding], strict: bool,
               root: Path, report: Callable[[str], None]) -> dict[str, Any]:
    """Lay out and write one format of one copy of an edition to its staged path; WeasyPrint's
    warnings about the stylesheets are shown once, located (`located_warnings`); `handoff`
    carries where the PDF's pages begin to the EPUB (see `_jobs_of`). Returns the results it
    made for the build to keep (book/memo.py)."""
    edition, search_path, book, env = made.edition, made.search_path, made.book, made.env
    started = time.perf_counter()
    report(f"{edition.name}: making {target.name}")
    with time_limit(f"making {target.name}"):
        if fmt == "pdf":
            from .pagecheck import check_pages
            from .pdf import blank_pages, write_pdf

            laid = laid_out(made, handoff)[0]
            count = len(laid.document.pages)
            blank = blank_pages(count, edition.page.page_multiple)
            report(f"{edition.name}: {target.name} laid out in {count} pages"
                   + (f", and {blank} blank after them to make {count + blank}" if blank else "")
                   + "; checking them and drawing")
            # The pages as a designer reads them: warnings, errors if strict.
            report_findings(
                check_pages(book, laid.document, laid.moved, laid.families),
                "typographic problem", f"in {target.name}",
                "each is listed above, with its page; `python build.py check` "
                "lists them for every edition", report, root, strict)
            for warning in write_pdf(book, env, search_path, staged_path, made.when,
                                     strict, made.glyph_places, laid):
                if not located(warning, located_warnings):
                    report(f"warning: {edition.name}: {warning}")
        else:
            from .epub import write_epub

            write_epub(book, env, search_path, staged_path, made.when, made.glyph_places,
                       print_pages(made, handoff))
    # Its name, not its path: the file is not there until the build moves it into place
    # ("wrote …"), which a later failure of the edition's other file prevents.
    report(f"{edition.name}: {target.name} ready ({time.perf_counter() - started:.1f} s)")
    return made_here()


def laid_out(made: Prepared, handoff: Handoff | None = None
             ) -> tuple[Laid, tuple[PageStart, ...]]:
    """The edition's PDF laid out (book/pdf.py), and where its pages begin, if the edition
    asks (book/printpages.py): found once, given to the EPUB's job by `handoff`, and kept for
    the EPUB builds that do not lay the PDF out."""
    from .pdf import lay_out

    laid = lay_out(made.book, made.env, made.search_path, made.glyph_places)
    starts = page_starts(laid.document) if made.edition.print_pages else ()
    if handoff is not None:
        handoff.give(starts)
    if starts:
        keep("pages", _layout_key(made, laid.html), [list(astuple(s)) for s in starts])
    return laid, starts


def print_pages(made: Prepared, handoff: Handoff | None
                ) -> Callable[[], tuple[PageStart, ...]] | None:
    """Where the pages of the edition's PDF begin, for its EPUB to mark (None: the edition does
    not ask for them), when the EPUB asks: from `handoff`, the PDF's job laying it out beside;
    else from the last build that laid out the same book, or from a layout made then."""
    if not made.edition.print_pages:
        return None

    def starts() -> tuple[PageStart, ...]:
        from .pdf import book_html

        if handoff is not None:
            return handoff.take()
        html = book_html(made.book, made.env, made.search_path, made.glyph_places)
        kept = recall("pages", _layout_key(made, html), _page_starts_as_kept)
        if kept is not None:
            return tuple(PageStart(*v) for v in kept)
        return laid_out(made)[1]

    return starts


def _page_starts_as_kept(value: Any) -> bool:
    """Whether `value` is a list of PageStart fields as laid_out keeps them."""
    return isinstance(value, list) and all(
        isinstance(v, list) and len(v) == 4 and isinstance(v[2], int) and not
        isinstance(v[2], bool) and all(isinstance(v[i], str) for i in (0, 1, 3)) for v in value)


def _layout_key(made: Prepared, html: str) -> str:
    """What a layout is made from: the book's HTML and the files of its template folders."""
    return hashlib.sha256(html.encode()).hexdigest() + tree_digest(
        made.search_path, made.search_path.root.parent)


def glyph_places(project: Project, edition: Edition, search_path: TemplateFolders) -> list[Path]:
    """Where a character the book prints can come from, to say where one the typeface lacks
    stands: the edition, its texts, the editorial data, the templates, the catalog."""
    templates = [f for folder in search_path for f in sorted(folder.rglob("*"))
                 if f.suffix in (".html", ".xhtml", ".css") and inside(f, folder)]
    catalog = project.root / "templates" / "locales" / edition.language / "LC_MESSAGES"
    own = sorted(edition.folder.glob("*.yaml")) if edition.folder else []
    return [edition.path, *own, *sorted(project.sources.glob("*.md")),
            *sorted(project.sources.glob("*.yaml")), *templates,
            *sorted(catalog.glob("*.po"))]
