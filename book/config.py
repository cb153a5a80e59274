"""Editions are data: a TOML file each under editions/, validated when it is loaded.

Every problem is reported with the file, the line of the key and what is allowed; unknown keys
are errors, never ignored.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from datetime import date as Date
from pathlib import Path
from typing import Any

from .errors import ConfigError, Problems
from .model import Edition, PageSetup

FORMATS = ("pdf", "epub")
APPARATUS_LANGUAGES = ("en", "ru", "el", "pl")
SECTIONS = ("contents", "notes", "bibliography", "chronology", "glossary", "questions")
DEFAULT_SECTIONS = ("contents", "notes", "bibliography", "chronology")
PAGE_SIZES = ("A3", "A4", "A5", "A6", "B4", "B5", "letter", "legal")
LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")
# Identifiers are derived, not random, so that a rebuilt book is the same book.
IDENTIFIER_NAMESPACE = uuid.UUID("5b0e7f1c-3b1a-4f57-9c33-1917a0c10d25")

# key: (type, required, what is allowed) for the top level and each table.
SCHEMA: dict[str | None, dict[str, tuple[type, bool, str]]] = {
    None: {
        "title": (str, True, "the book's title"),
        "subtitle": (str, False, "a subtitle"),
        "language": (str, True, "the apparatus language: " + ", ".join(APPARATUS_LANGUAGES)),
        "texts": (list, True, "text ids, in order"),
        "sections": (list, False, "any of " + ", ".join(SECTIONS)),
        "formats": (list, False, "pdf and/or epub"),
        "filename": (str, False, "the output file name without extension"),
        "templates": (str, False, "a folder under templates/"),
        "paragraph_numbers": (bool, False, "true or false"),
        "date": (str, False, "the date stamped into the outputs, YYYY-MM-DD (default: the "
                 "last commit of the project)"),
        "page": (dict, False, "a [page] table"),
        "chronology": (dict, False, "a [chronology] table"),
    },
    "page": {
        "size": (str, False, "A4, A5, … or 'WIDTH HEIGHT' such as '148mm 210mm'"),
        "type_size": (str, False, "a length such as '10.5pt'"),
        "mirrored": (bool, False, "true for a bound book, false for single-sided sheets"),
        "margins": (dict, False, "{top, bottom, inner, outer} lengths such as '18mm'"),
    },
    "chronology": {
        "worksheet": (bool, False, "true leaves the New Style column blank, to be filled in"),
    },
}
MARGINS = ("top", "bottom", "inner", "outer")
DEFAULT_PAGE = PageSetup("A5", "10.5pt", True, ("17mm", "20mm", "18mm", "15mm"))


def key_line(source: str, key: str, table: str | None = None) -> int | None:
    """The line of `key` in `table` (None: before any table), for error messages."""
    start = 0
    if table:
        header = re.search(rf"^\s*\[{re.escape(table)}\]\s*$", source, re.MULTILINE)
        inline = re.search(rf"^\s*{re.escape(table)}\s*=", source, re.MULTILINE)
        if header is None:
            return source.count("\n", 0, inline.start()) + 1 if inline else None
        start = header.end()
    match = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE).search(source, start)
    return source.count("\n", 0, match.start()) + 1 if match else None


def load_edition(path: Path, known_texts: set[str] | None, templates_dir: Path) -> Edition:
    """The edition in `path`; `known_texts` None skips checking text ids (the texts have
    problems of their own, already reported)."""
    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ConfigError(f"not valid TOML: {error}", path, int(line.group(1)) if line else None,
                          "see editions/reader.toml for the form of an edition file") from None
    problems = Problems()

    def error(message: str, key: str | None, table: str | None = None,
              hint: str | None = None) -> None:
        line = key_line(source, key, table) if key else None
        problems.add(ConfigError(message, path, line, hint))

    _check_schema(data, error)
    problems.raise_if_any()

    language = data["language"]
    if language not in APPARATUS_LANGUAGES:
        error(f"apparatus language {language!r} is not available", "language",
              hint="use one of: " + ", ".join(APPARATUS_LANGUAGES))
    texts = data["texts"]
    for text_id in texts:
        if known_texts is not None and text_id not in known_texts:
            error(f"no text has the id {text_id!r}", "texts",
                  hint="texts available: " + ", ".join(sorted(known_texts)))
    if not texts or len(set(texts)) != len(texts):
        error("'texts' must name each text once, at least one", "texts")
    sections = tuple(data.get("sections", DEFAULT_SECTIONS))
    for section in sections:
        if section not in SECTIONS:
            error(f"unknown section {section!r}", "sections",
                  hint="sections: " + ", ".join(SECTIONS))
    if "bibliography" in sections and "notes" not in sections:
        error("the bibliography needs the notes, whose citations it lists", "sections",
              hint="add 'notes' or remove 'bibliography'")
    formats = tuple(data.get("formats", FORMATS))
    for fmt in formats:
        if fmt not in FORMATS:
            error(f"unknown format {fmt!r}", "formats", hint="use 'pdf' and/or 'epub'")
    filename = data.get("filename", path.stem)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", filename):
        error(f"file name {filename!r} may hold only letters, digits, '.', '_' and '-'",
              "filename")
    for key in ("title", "subtitle"):
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in data.get(key, "")):
            error(f"{key!r} holds a control character", key, hint="remove it")
    templates = data.get("templates", "base")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", templates) or not (
        templates_dir / templates
    ).is_dir():
        error(f"no template folder templates/{templates}", "templates",
              hint="folders: " + ", ".join(sorted(p.name for p in templates_dir.iterdir()
                                                  if p.is_dir())))
    page = _page(data.get("page", {}), error)
    date = data.get("date")
    if date is not None:
        try:
            Date.fromisoformat(date)
        except ValueError:
            error(f"date {date!r} is not a date", "date", hint="write it as 2026-11-24")
    problems.raise_if_any()
    return Edition(
        name=path.stem,
        path=path,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        language=language,
        texts=tuple(texts),
        sections=sections,
        formats=formats,
        filename=filename,
        identifier=f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, path.stem)}",
        templates=templates,
        paragraph_numbers=data.get("paragraph_numbers", False),
        page=page,
        worksheet=data.get("chronology", {}).get("worksheet", False),
        date=date,
    )


def _check_schema(data: dict[str, Any], error) -> None:
    def check(table: dict[str, Any], name: str | None) -> None:
        schema = SCHEMA[name]
        where = f" in [{name}]" if name else ""
        for key, value in table.items():
            if key not in schema:
                error(f"unknown key {key!r}{where}", key, name,
                      hint="allowed: " + ", ".join(schema))
                continue
            kind, _, allowed = schema[key]
            if not isinstance(value, kind):
                error(f"{key!r} must be {allowed}", key, name)
            elif kind is list and not all(isinstance(v, str) for v in value):
                error(f"{key!r} must be a list of strings: {allowed}", key, name)
            elif kind is dict and key in SCHEMA:
                check(value, key)
        for key, (_, required, allowed) in schema.items():
            if required and key not in table:
                error(f"missing key {key!r}{where}", None, hint=f"add {key} = … ({allowed})")

    check(data, None)


def _page(page: dict[str, Any], error) -> PageSetup:
    size = page.get("size", DEFAULT_PAGE.size)
    words = size.split()
    named = words and words[0] in PAGE_SIZES and (
        len(words) == 1 or words[1:] in (["portrait"], ["landscape"]))
    if not named and not (len(words) == 2 and all(LENGTH.match(w) for w in words)):
        error(f"page size {size!r} is not one WeasyPrint can set", "size", "page",
              hint="use " + ", ".join(PAGE_SIZES) + " (optionally 'landscape'), "
              "or two lengths such as '148mm 210mm'")
    type_size = page.get("type_size", DEFAULT_PAGE.type_size)
    if not LENGTH.match(type_size):
        error(f"type size {type_size!r} is not a length", "type_size", "page",
              hint="for example '10.5pt' or '12pt'")
    margins = page.get("margins", {})
    for key, value in margins.items():
        if key not in MARGINS:
            error(f"unknown margin {key!r}", "margins", "page", hint="margins: "
                  + ", ".join(MARGINS))
        elif not isinstance(value, str) or not LENGTH.match(value):
            error(f"margin {key} {value!r} is not a length", "margins", "page",
                  hint="for example '18mm'")
    defaults = dict(zip(MARGINS, DEFAULT_PAGE.margins, strict=True))
    return PageSetup(
        size=size,
        type_size=type_size,
        mirrored=page.get("mirrored", DEFAULT_PAGE.mirrored),
        margins=tuple(str(margins.get(k, defaults[k])) for k in MARGINS),
    )


def load_editions(editions_dir: Path, known_texts: set[str] | None, templates_dir: Path
                  ) -> list[Edition]:
    problems = Problems()
    editions = []
    for path in sorted(editions_dir.glob("*.toml")):
        try:
            editions.append(load_edition(path, known_texts, templates_dir))
        except ConfigError as error:
            problems.add(error)
    problems.raise_if_any()
    if not editions:
        raise ConfigError("no edition files found", editions_dir, hint="add an editions/*.toml")
    return editions
