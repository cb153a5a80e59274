"""Editorial wording in an edition's language: every question, gloss, label and remark an
edition prints is written in its apparatus language, or `check` lists each one lacking it."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.support import Translations
from jinja2.ext import babel_extract

from .config import key_line
from .errors import BookError, ConfigError, SourceError, TemplateError
from .files import TemplateFolders, read_bytes
from .findings import Findings
from .limits import kept_if_small
from .model import Book
from .reading import read_source_file
from .teaching import MARKUP
from .yamldata import YamlError, node_line, parse_yaml


def _text(path: Path) -> str:
    try:
        return read_source_file(path)
    except SourceError:  # reported where the file is read for its data
        return ""


def header_line(path: Path, key: str) -> int | None:
    """The line of `key:` in a text's header (None: the file has none, or cannot be read)."""
    lines = _text(path).split("\n")
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)


def item_lines(path: Path, key: str) -> list[int]:
    """The line of each item of the list `key:` holds in a text's header, in order."""
    lines = _text(path).split("\n")
    start = header_line(path, key)
    found: list[int] = []
    indent = None
    for number, line in enumerate(lines[start:] if start else [], (start or 0) + 1):
        if line.rstrip() in ("---", "...") or line and not line[0].isspace() and \
                not line.startswith("- "):
            break  # the next key of the header, or its end
        item = re.match(r"([ \t]*)- ", line)
        if item and (indent is None or len(item[1]) == indent):
            indent = len(item[1])
            found.append(number)
    return found


def entry_lines() -> Callable[..., int | None]:
    """The line of an entry of a data file, or of a wording in it: the entry found by its id,
    then each of `keys` in turn (a field, its language), the line of the deepest key the file
    has (the entry's own where it has none of them); None where no entry has the id. Each
    file is parsed once, and only if a line is asked of it: most builds have none to place."""
    entries: dict[Path, dict[str, yaml.Node]] = {}

    def line(path: Path, entry_id: str, keys: tuple[str, ...] = ()) -> int | None:
        if path not in entries:
            entries[path] = _entry_nodes(path)
        node = entries[path].get(entry_id)
        if node is None:
            return None
        return node_line(node, keys) or node.start_mark.line + 1
    return line


def _entry_nodes(path: Path) -> dict[str, yaml.Node]:
    """Each mapping of a data file that has an id, by its id (the first, as the loaders keep)."""
    try:
        _, root = parse_yaml(_text(path))
    except YamlError:  # reported where the file is read for its data
        return {}
    found: dict[str, yaml.Node] = {}
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "id" and isinstance(value, yaml.ScalarNode):
                    found.setdefault(value.value, node)
            pending.extend(reversed([value for _, value in node.value]))  # in the file's order
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
    return found


def remark_lines(text) -> Callable[[int], int | None]:
    """The line of each remark of a text's header, by its index (the `remarks:` line where
    the items cannot be told apart)."""
    items = item_lines(text.source, "remarks")
    return lambda number: items[number] if number < len(items) else \
        header_line(text.source, "remarks")


def missing_wordings(book: Book, sources: Path) -> list[ConfigError]:
    """One error for each entry the edition prints without a wording in its language."""
    lang = book.edition.language
    hint = (f"add its '{lang}:' wording, or print the edition in a language it has "
            "(docs/adding-a-language.md)")
    found: list[ConfigError] = []

    def lacks(what: str, path: Path, line: int | None, verb: str = "has") -> None:
        found.append(ConfigError(f"{what} {verb} no wording in {lang!r}", path, line, hint))

    questions, glossary, chronology = (sources / f"{name}.yaml"
                                       for name in ("questions", "glossary", "chronology"))
    line = entry_lines()

    for question in book.questions:
        path = question.source or questions
        # The answer and the notes are printed in the teacher's copy only: asked for with
        # the wording, in one round, where the edition makes one.
        for what, field, wording in (("question", (), question.wording),
                                     *((f"the {key} of question", (key,), getattr(question, key))
                                       for key in ("answer", "notes")
                                       if "teacher" in book.edition.copies
                                       and getattr(question, key))):
            if lang not in wording:
                lacks(f"{what} {question.id}", path, line(path, question.id, field),
                      "have" if what.startswith("the notes") else "has")
    for entry in book.glossary:
        path = entry.source or glossary
        for what, field, wording in (("form", "forms", entry.forms),
                                     ("gloss", "gloss", entry.gloss)):
            if lang not in wording:
                lacks(f"the {what} of glossary entry {entry.id}", path,
                      line(path, entry.id, (field,)))
    for event in book.events:
        if lang not in event.labels:
            lacks(f"the label of event {event.id}", chronology,
                  line(chronology, event.id, ("label",)))
    for text in book.texts:
        remark_line = remark_lines(text)
        for number, remark in enumerate(text.remarks):
            if lang not in remark:
                lacks(f"remark {number + 1} on the {text.id} text", text.source,
                      remark_line(number))
    for work in book.works:
        if any(lang not in remark for remark in work.remarks):
            lacks(f"a remark on the work {work.id}", sources / "bibliography.yaml", work.line)
    return found


# A straight apostrophe or single quotation mark next to a letter: "don't", "'soviet'".
STRAIGHT = re.compile(r"(?<=\w)'|'(?=\w)")


def straight_quotes(gathered, sources: Path, findings) -> None:
    """A warning for each wording of the editors' or a teacher's data that writes a straight
    ' where the book's other words have ’ (or a quotation its marks): the templates' and the
    catalogs' are typographic, and a typed one stands out on the page."""
    def check(what: str, wordings: dict[str, str], path: Path,
              line: Callable[[str], int | None], texts: tuple[str, ...] = ()) -> None:
        """`texts`: what the wording is printed with; none, in every edition."""
        for lang, words in wordings.items():
            if isinstance(words, str) and STRAIGHT.search(words):
                Findings(findings.items, texts).warn(
                    "wording", f"{what} in {lang!r} writes a straight ' "
                    f"(«{words[:40]}{'…' * (len(words) > 40)}»)", path, line(lang),
                    "write ’ for an apostrophe (U+2019, as the book's other words have it), "
                    "and a quotation between the language's marks")

    line = entry_lines()

    def entry(path: Path, entry_id: str, *field: str) -> Callable[[str], int | None]:
        return lambda lang: line(path, entry_id, (*field, lang))

    own_questions = [q for own in gathered.own_questions.values() for q in own]
    for question in [*gathered.questions, *own_questions]:
        path = question.source or sources / "questions.yaml"
        check(f"question {question.id}", question.wording, path, entry(path, question.id),
              (question.text,))
        for what, field, wording in (("the answer to", "answer", question.answer),
                                     ("the notes on", "notes", question.notes)):
            check(f"{what} question {question.id}", wording, path,
                  entry(path, question.id, field), (question.text,))
    own_glossary = [e for own in gathered.own_glossary.values() for e in own]
    for glossed in [*gathered.glossary, *own_glossary]:
        path = glossed.source or sources / "glossary.yaml"
        for what, field, wording in (("form", "forms", glossed.forms),
                                     ("gloss", "gloss", glossed.gloss)):
            check(f"the {what} of glossary entry {glossed.id}", wording, path,
                  entry(path, glossed.id, field), glossed.texts)
    chronology = sources / "chronology.yaml"
    for event in gathered.events:
        check(f"the label of event {event.id}", event.labels, chronology,
              entry(chronology, event.id, "label"))
    for text in gathered.texts.values():
        for number, remark in enumerate(text.remarks):
            check(f"remark {number + 1} on the {text.id} text", remark, text.source,
                  lambda _lang, text=text, number=number: remark_lines(text)(number),
                  (text.id,))
    # The words of an edition's file its title page prints: a teacher's class line too.
    for edition in gathered.editions:
        for key in EDITION_WORDINGS:
            words = getattr(edition, key)
            check(f"the edition's {key}", {edition.language: words}, edition.path,
                  lambda _lang, path=edition.path, key=key: key_line(_text(path), key))
            if markup := MARKUP.search(words):
                findings.warn("wording", f"the edition's {key} holds markup, "
                              f"«{markup.group()}», which the books print as written",
                              edition.path, key_line(_text(edition.path), key),
                              "write the words plainly; a template of the edition's own "
                              "may set them otherwise (docs/customizing.md)")


# An edition's keys that its title page or its metadata prints as written.
EDITION_WORDINGS = ("title", "subtitle", "class_line", "teacher", "publisher")


# As babel.cfg extracts the catalogs' strings.
EXTRACT_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                   "lstrip_blocks": "true"}


def untranslated_strings(search_path: TemplateFolders, translations: Translations,
                         language: str) -> list[TemplateError]:
    """One error for each {{ _("…") }} of the edition's templates that its language's catalog
    does not translate: the reader would find it in English. (The catalogs' words are
    English: an English edition prints them as written.)"""
    if language == "en":
        return []
    catalog = getattr(translations, "_catalog", {})
    found: list[TemplateError] = []
    seen: set[str] = set()
    for folder in search_path:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.suffix not in (".html", ".xhtml") or name in seen or not path.is_file():
                continue
            seen.add(name)  # a file shadowed by one of an earlier folder is never used
            try:
                strings = marked_strings(read_bytes(path, search_path.root_of(path)))
            except (BookError, Exception):  # noqa: BLE001 reported when it is rendered
                continue
            for line, _function, message, _comments in strings:
                # A tuple for ngettext, and for _() given values too: ('night of %(d)s', None).
                msgid = message[0] if isinstance(message, tuple) else message
                if _function in ("pgettext", "npgettext"):  # the context, then the words
                    msgid = f"{message[0]}\x04{message[1]}"
                if msgid and not (catalog.get(msgid) or catalog.get((msgid, 0))):
                    found.append(TemplateError(
                        f"{msgid!r} has no translation in {language!r}: wherever the "
                        "template prints it, the edition would print it in English", path, line,
                        f"write the words in {language!r} without _( ), or add their "
                        f"translation to templates/locales/{language}/LC_MESSAGES/messages.po "
                        "(python -m book.catalogs adds the string to it)"))
    return found


# The editions of a build, and the builds of a process (the preview's), read the same templates.
@kept_if_small(maxsize=512)
def marked_strings(template: bytes) -> tuple[tuple[int, str, str | tuple, tuple[str, ...]], ...]:
    """(line, function, message, comments) of each string a template's source marks for
    translation, as babel.cfg extracts the catalogs' strings."""
    return tuple((line, function, message, tuple(comments)) for line, function, message, comments
                 in babel_extract(io.BytesIO(template), DEFAULT_KEYWORDS.keys(), [],
                                  EXTRACT_OPTIONS))
