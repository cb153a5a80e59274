"""Editions are data: a TOML file each under editions/, validated when it is loaded.

Every problem is reported with the file, the line of the key and what is allowed; unknown keys
are errors, never ignored.
"""

from __future__ import annotations

import re
import uuid
from datetime import date as Date
from pathlib import Path
from typing import Any

from .clock import EARLIEST, LATEST
from .errors import ConfigError, Problems
from .files import THEME_NAME, parse_toml, plain_name_problem, read_text
from .keys import Key
from .languages import apparatus_languages
from .limits import MAX_SOURCE_BYTES, MM_PER_UNIT
from .model import Edition, PageSetup
from .reading import BAD_CHARACTER
from .yamldata import type_problem

FORMATS = ("pdf", "epub")
SECTIONS = ("contents", "notes", "bibliography", "chronology", "glossary", "questions")
DEFAULT_SECTIONS = ("contents", "notes", "bibliography", "chronology")
# Each named size as WeasyPrint knows it: (width, height) in millimetres, portrait.
PAGE_SIZES = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "A6": (105, 148),
              "B4": (250, 353), "B5": (176, 250), "letter": (215.9, 279.4),
              "legal": (215.9, 355.6)}
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
# What a printer can take, and what a page needs to hold a line of text and a few lines.
PAGE_MM = (50, 1200)
TYPE_PT = (5, 72)
TEXT_BLOCK_MM = (40, 60)  # the least width and height left inside the margins
DATES = (EARLIEST.date().isoformat(), LATEST.date().isoformat())
# Identifiers are derived, not random, so that a rebuilt book is the same book.
IDENTIFIER_NAMESPACE = uuid.UUID("5b0e7f1c-3b1a-4f57-9c33-1917a0c10d25")

# Each key of an edition file, at the top level and in each table.
SCHEMA: dict[str | None, dict[str, Key]] = {
    None: {
        "title": Key((str,), True, "the book's title"),
        "subtitle": Key((str,), False, "a subtitle", "none"),
        "language": Key((str,), True, "the apparatus language: one with a catalog in "
                        "templates/locales/ (en, ru, el, pl ship; docs/adding-a-language.md)"),
        "texts": Key((list,), True, "the ids of the texts it prints, in order"),
        "sections": Key((list,), False, "the parts of the apparatus it prints",
                        '["' + '", "'.join(DEFAULT_SECTIONS) + '"]', SECTIONS),
        "formats": Key((list,), False, "what it is made into", '["pdf", "epub"]', FORMATS),
        "filename": Key((str,), False, "the outputs' file name, without extension: a plain "
                        "name", "the edition's name"),
        "templates": Key((str,), False, "the template folder under templates/ (a theme's name)",
                         '"base"'),
        "paragraph_numbers": Key((bool,), False, "print each paragraph's number in the margin "
                                 "(and in the EPUB)", "false"),
        "date": Key((str,), False, f"the date stamped into the outputs, YYYY-MM-DD, from "
                    f"{DATES[0]} to {DATES[1]}", "SOURCE_DATE_EPOCH, else the last commit"),
        "page": Key((dict,), False, "the [page] table"),
        "chronology": Key((dict,), False, "the [chronology] table"),
    },
    "page": {
        "size": Key((str,), False, "A3, A4, A5, A6, B4, B5, letter or legal (optionally "
                    "'landscape'), or 'WIDTH HEIGHT' such as '148mm 210mm'; each side "
                    f"{PAGE_MM[0]}–{PAGE_MM[1]} mm", '"A5"'),
        "type_size": Key((str,), False, f"the body text's size, {TYPE_PT[0]}–{TYPE_PT[1]}pt",
                         '"10.5pt"'),
        "mirrored": Key((bool,), False, "true for a bound book (inner and outer margins swap "
                        "on left pages), false for single-sided sheets", "true"),
        "margins": Key((dict,), False, "{top, bottom, inner, outer}, lengths in mm, cm, in or "
                       f"pt, leaving a text block of at least {TEXT_BLOCK_MM[0]} × "
                       f"{TEXT_BLOCK_MM[1]} mm", '{ top = "16mm", bottom = "22mm", inner = '
                       '"16mm", outer = "22mm" }'),
    },
    "chronology": {
        "worksheet": Key((bool,), False, "true leaves the New Style column blank, to be filled "
                         "in", "false"),
    },
}
MARGINS = ("top", "bottom", "inner", "outer")
# A5 at 10.5 pt: a measure of some 62 characters; the outer margin wider than the inner, as
# the two inner margins of an open book read as one.
DEFAULT_PAGE = PageSetup("A5", "10.5pt", True, ("16mm", "22mm", "16mm", "22mm"))


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
    source = read_text(path, path.parent, MAX_SOURCE_BYTES)
    data = parse_toml(source, path, "see editions/reader.toml for the form of an edition file")
    problems = Problems()
    name_problem = plain_name_problem(path.stem, "an edition's name, its file name without "
                                      ".toml,")
    if name_problem:
        raise ConfigError(name_problem, path, hint="rename the file, e.g. editions/my-class.toml")

    def error(message: str, key: str | None, table: str | None = None,
              hint: str | None = None) -> None:
        line = key_line(source, key, table) if key else None
        problems.add(ConfigError(message, path, line, hint))

    _check_schema(data, error)
    problems.raise_if_any()

    language = data["language"]
    available = apparatus_languages(templates_dir / "locales")
    if language not in available:
        error(f"apparatus language {language!r} is not available", "language",
              hint="use one of: " + ", ".join(available) + "; another takes a catalog in "
              "templates/locales/ (docs/adding-a-language.md)")
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
    name_problem = plain_name_problem(filename, "the file name")
    if name_problem:
        error(name_problem, "filename", hint="for example filename = \"1917-class-3b\"")
    for key in ("title", "subtitle"):
        bad = BAD_CHARACTER.search(data.get(key, ""))
        if bad:
            error(f"{key!r} holds a control character or a noncharacter "
                  f"(U+{ord(bad.group()):04X})", key, hint="remove it")
    if not data["title"].strip():
        error("'title' is empty", "title", hint="every book has a title, even a short one")
    templates = data.get("templates", "base")
    if not THEME_NAME.fullmatch(templates) or templates == "locales" or \
            not (templates_dir / templates).is_dir():
        error(f"no template folder templates/{templates}", "templates",
              hint="folders: " + (", ".join(sorted(p.name for p in templates_dir.iterdir()
                                                   if p.is_dir() and p.name != "locales"))
                                  if templates_dir.is_dir() else "none: templates/ is missing"))
    page = _page(data.get("page", {}), error)
    date = data.get("date")
    if date is not None:
        try:
            Date.fromisoformat(date)
            if not DATES[0] <= date <= DATES[1] or len(date) != 10:
                error(f"date {date!r} is not between {DATES[0]} and {DATES[1]}", "date",
                      hint="the date the edition is published, such as 2026-11-24")
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
            declared = schema[key]
            if not isinstance(value, declared.kinds):
                error(type_problem(f"{key!r}", value, *declared.kinds), key, name,
                      hint=f"{key}: {declared.doc}")
            elif list in declared.kinds and not all(isinstance(v, str) for v in value):
                error(f"{key!r} must be a list of text values", key, name,
                      hint=f"{key}: {declared.doc}")
            elif dict in declared.kinds and key in SCHEMA:
                check(value, key)
        for key, declared in schema.items():
            if declared.required and key not in table:
                error(f"missing key {key!r}{where}", None,
                      hint=f"add {key} = … ({declared.doc})")

    check(data, None)


def _page(page: dict[str, Any], error) -> PageSetup:
    size = canonical_size(page.get("size", DEFAULT_PAGE.size))
    dimensions = page_dimensions(size)
    if dimensions is None:
        error(f"page size {size!r} is not one WeasyPrint can set", "size", "page",
              hint="use " + ", ".join(PAGE_SIZES) + " (optionally 'landscape'), "
              "or two lengths such as '148mm 210mm'")
    elif not all(PAGE_MM[0] <= d <= PAGE_MM[1] for d in dimensions):
        error(f"page size {size!r} is not a size a printer can print", "size", "page",
              hint=f"each side between {PAGE_MM[0]} and {PAGE_MM[1]} mm")
    type_size = page.get("type_size", DEFAULT_PAGE.type_size)
    points = millimetres(type_size)
    if points is None:
        error(f"type size {type_size!r} is not a length", "type_size", "page",
              hint="for example '10.5pt' or '12pt'")
    elif not TYPE_PT[0] <= points / MM_PER_UNIT["pt"] <= TYPE_PT[1]:
        error(f"type size {type_size!r} is not a size to read a book in", "type_size", "page",
              hint=f"between {TYPE_PT[0]}pt and {TYPE_PT[1]}pt; books are set in 9–12pt")
    margins = page.get("margins", {})
    for key, value in margins.items():
        if key not in MARGINS:
            error(f"unknown margin {key!r}", "margins", "page", hint="margins: "
                  + ", ".join(MARGINS))
        elif not isinstance(value, str) or millimetres(value) is None:
            error(f"margin {key} {value!r} is not a length", "margins", "page",
                  hint="for example '18mm'")
    defaults = dict(zip(MARGINS, DEFAULT_PAGE.margins, strict=True))
    setup = PageSetup(
        size=size,
        type_size=type_size,
        mirrored=page.get("mirrored", DEFAULT_PAGE.mirrored),
        margins=tuple(str(margins.get(k, defaults[k])) for k in MARGINS),
    )
    lengths = [millimetres(m) for m in setup.margins]
    if dimensions and None not in lengths:
        top, bottom, inner, outer = lengths
        width, height = dimensions[0] - inner - outer, dimensions[1] - top - bottom
        if width < TEXT_BLOCK_MM[0] or height < TEXT_BLOCK_MM[1]:
            error(f"the margins leave a text block of {width:.0f} × {height:.0f} mm on a "
                  f"{dimensions[0]:.0f} × {dimensions[1]:.0f} mm page", "margins" if margins
                  else "size", "page", hint=f"leave at least {TEXT_BLOCK_MM[0]} mm across and "
                  f"{TEXT_BLOCK_MM[1]} mm down: narrow the margins, or give them for the new "
                  "page size")
    return setup


def millimetres(length: str) -> float | None:
    match = LENGTH.match(length.strip()) if isinstance(length, str) else None
    return float(match.group(1)) * MM_PER_UNIT[match.group(2)] if match else None


def canonical_size(size: str) -> str:
    """A named size as CSS and the tables here spell it, whatever its case: 'a4 Landscape' ->
    'A4 landscape', 'US Letter' -> 'letter'; lengths unchanged."""
    words = size.split()
    if words[:1] == ["US"] or words[:1] == ["us"]:
        words = words[1:]
    names = {name.lower(): name for name in PAGE_SIZES}
    if words and words[0].lower() in names:
        return " ".join([names[words[0].lower()], *(w.lower() for w in words[1:])])
    return size


def page_dimensions(size: str) -> tuple[float, float] | None:
    """(width, height) in mm of a page size as an edition gives it, or None if it is none."""
    words = size.split()
    if words and words[0] in PAGE_SIZES and (len(words) == 1 or words[1:] in (
            ["portrait"], ["landscape"])):
        width, height = PAGE_SIZES[words[0]]
        return (height, width) if words[1:] == ["landscape"] else (width, height)
    if len(words) == 2:
        lengths = [millimetres(w) for w in words]
        if None not in lengths:
            return lengths[0], lengths[1]
    return None


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
