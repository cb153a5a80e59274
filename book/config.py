"""Editions are data: a TOML file each under editions/, validated when it is loaded.

Every problem is reported with the file, the line of the key and what is allowed; unknown keys
are errors, never ignored.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from collections.abc import Collection
from dataclasses import replace
from datetime import date as Date
from pathlib import Path
from typing import Any

from .clock import EARLIEST, LATEST
from .errors import ConfigError, Problems, did_you_mean
from .files import (
    EDITION_FILE,
    THEME_NAME,
    YES_NO,
    edition_files,
    edition_name,
    parse_toml,
    plain_name_problem,
    read_text,
)
from .isbns import hyphenated, isbn_problem
from .keys import Key
from .languages import (
    apparatus_languages,
    catalog_folders,
    check_language_tag,
    names_language,
)
from .limits import MAX_LINE_CHARS, MAX_SOURCE_BYTES, MM_PER_UNIT
from .model import CROP_MARK_GAP_MM, Edition, PageSetup, Style
from .reading import BAD_CHARACTER, bad_character
from .yamldata import type_problem

FORMATS = ("pdf", "epub")
COPIES = ("student", "teacher")
MAX_ANSWER_LINES = 40
SECTIONS = ("contents", "notes", "bibliography", "chronology", "glossary", "questions")
DEFAULT_SECTIONS = ("contents", "notes", "bibliography", "chronology")
# Each named size as WeasyPrint knows it: (width, height) in millimetres, portrait.
PAGE_SIZES = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "A6": (105, 148),
              "B4": (250, 353), "B5": (176, 250), "letter": (215.9, 279.4),
              "legal": (215.9, 355.6)}
# Digits 0–9 only (re.ASCII): Python's \d and float() take the digits of every script, which
# CSS does not: the layout would drop a page size of "６in ９in" and print on A4.
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$", re.ASCII)
# A length without its unit, or with a space before it: "3", "3 mm".
BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?: +(?:mm|cm|in|pt))?", re.ASCII)
UNIT_HINT = "write the unit right after the number, without a space: "
# What a printer can take, and what a page needs to hold a line of text and a few lines.
PAGE_MM = (50, 1200)
TYPE_PT = (5, 72)
TEXT_BLOCK_MM = (40, 60)  # the least width and height left inside the margins
# The least margin: a printer trims within a few millimetres of the line it is given, and
# keeps what it prints that far from the edge ("safe area").
MIN_MARGIN_MM = 5
# The least of the margins an edition does not give (see MARGIN_FRACTIONS): at the top and
# the bottom, what the base theme's running head and folio take (print.css: a head of 8.5 pt
# set 3 mm above the text, a folio of 9 pt 4 mm below it) and the 5 mm a printer keeps clear
# beyond them. An A6 page's 11 mm put its heads 4.6 mm from the edge: the page check warned
# of the tool's own margins.
MIN_DEFAULT_MARGINS_MM = (12, 13, MIN_MARGIN_MM, MIN_MARGIN_MM)
MAX_PAGE_MULTIPLE = 64
MAX_BLEED_MM = 10  # printers ask for 3 mm, some 5
# The narrowest measure, in ems of the body type: about 40 characters of the typeface (some
# 0.48 em each). Justified and hyphenated, a shorter line opens wide gaps between its words
# and breaks every other word; newspapers go lower, with smaller type and ragged lines.
MIN_MEASURE_EM = 20
DATES = (EARLIEST.date().isoformat(), LATEST.date().isoformat())
ISBN_RULES = ("13 digits, with or without hyphens; the teacher's copy carries none, and "
              "new-edition turns them into comments in an edition it starts from this one")
# Identifiers are derived, not random, so that a rebuilt book is the same book.
IDENTIFIER_NAMESPACE = uuid.UUID("5b0e7f1c-3b1a-4f57-9c33-1917a0c10d25")

# The tables of an edition file whose keys a template finds under other names (edition.page
# and edition.style are their tables, as written).
TEMPLATE_NAMES = {"chronology": ("worksheet",), "questions": ("answer_lines",),
                  "shared": ("shared_questions", "shared_glossary"), "isbn": ("isbns",)}

# Each key of an edition file, at the top level and in each table.
SCHEMA: dict[str | None, dict[str, Key]] = {
    None: {
        "title": Key((str,), True, "the book's title"),
        "subtitle": Key((str,), False, "a subtitle", "none"),
        "language": Key((str,), True, "the apparatus language: one with a catalog in "
                        "templates/locales/ (en, ru, el, pl ship; docs/adding-a-language.md)"),
        "texts": Key((list,), True, "the ids of the texts it prints, in order"),
        "sections": Key((list,), False, "the parts of the apparatus it prints, each once, in "
                        "the theme's order whatever their order here",
                        '["' + '", "'.join(DEFAULT_SECTIONS) + '"]', SECTIONS),
        "formats": Key((list,), False, "what it is made into", '["pdf", "epub"]', FORMATS),
        "filename": Key((str,), False, "the outputs' file name, without extension: a plain "
                        "name", "the edition's name"),
        "templates": Key((str,), False, "the template folder under templates/ (a theme's name)",
                         '"base"'),
        "paragraph_numbers": Key((bool,), False, "print each paragraph's number in the margin "
                                 "(and in the EPUB)", "false"),
        "print_pages": Key((bool,), False, "true marks in the EPUB where each page of the "
                           "edition's PDF begins, and lists the pages, so that a reader of the "
                           "EPUB can follow a class reading the printed book; the edition makes "
                           "both (its EPUB is then made from the PDF's layout, which an EPUB "
                           "built alone waits for)", "false"),
        "date": Key((str,), False, f"the date stamped into the outputs, YYYY-MM-DD, from "
                    f"{DATES[0]} to {DATES[1]}", "SOURCE_DATE_EPOCH, else the last commit"),
        "class_line": Key((str,), False, "a line on the title page, in both formats, such as "
                          '"Class 10B, spring term 2027"', "none"),
        "teacher": Key((str,), False, "the teacher's name, on the title page under the class "
                       'line, after "Teacher:" in the apparatus language', "none"),
        "publisher": Key((str,), False, "the publisher the colophon and the EPUB's metadata "
                         "(dc:publisher) name: give one only if the edition has one", "none"),
        "editors": Key((list,), False, "the editors' names, as they sign the edition: the "
                       "EPUB's metadata names each as a contributor with the role of editor",
                       "none"),
        "copies": Key((list,), False, "the copies the build makes: the student's (room to "
                      "write the answers) and the teacher's (the answers, the notes for the "
                      "teacher and the worksheet's dates), whose files end in -teacher",
                      '["student"]', COPIES),
        "page": Key((dict,), False, "the [page] table"),
        "style": Key((dict,), False, "the [style] table"),
        "chronology": Key((dict,), False, "the [chronology] table"),
        "questions": Key((dict,), False, "the [questions] table"),
        "shared": Key((dict,), False, "the [shared] table"),
        "isbn": Key((dict,), False, "the [isbn] table"),
    },
    "page": {
        "size": Key((str,), False, "A3, A4, A5, A6, B4, B5, letter or legal (optionally "
                    "'landscape'), or 'WIDTH HEIGHT', width first, such as '148mm 210mm'; "
                    f"each side {PAGE_MM[0]}–{PAGE_MM[1]} mm", '"A5"', length=True),
        "type_size": Key((str,), False, f"the body text's size, {TYPE_PT[0]}–{TYPE_PT[1]}pt",
                         '"10.5pt"', length=True),
        "mirrored": Key((bool,), False, "true for a bound book (inner and outer margins swap "
                        "on left pages), false for single-sided sheets", "true"),
        "margins": Key((dict,), False, "{top, bottom, inner, outer}, lengths in mm, cm, in or "
                       f"pt, each at least {MIN_MARGIN_MM} mm, leaving a text block at least "
                       f"{MIN_MEASURE_EM} em of the type size (about {2 * MIN_MEASURE_EM} "
                       "characters) across and "
                       f"{TEXT_BLOCK_MM[1]} mm down; a margin not given follows the page size",
                       "in proportion to the page: on A5 "
                       '{ top = "16mm", bottom = "22mm", inner = "16mm", outer = "22mm" }, on '
                       'A4 { top = "23mm", bottom = "31mm", inner = "23mm", outer = "31mm" }, '
                       f"never under {MIN_DEFAULT_MARGINS_MM[0]} mm at the top and "
                       f"{MIN_DEFAULT_MARGINS_MM[1]} mm at the bottom, which the running heads "
                       "and page numbers take"),
        "bleed": Key((str,), False, "for a printer: how far the PDF's pages run beyond the "
                     "line they are trimmed on, a length up to "
                     f"{MAX_BLEED_MM} mm such as '3mm' (the PDF's TrimBox is then the page, its "
                     "BleedBox the page with its bleed)", "none", length=True),
        "page_multiple": Key((int,), False, "for a printer who folds sheets of so many pages: "
                             "blank pages are added at the PDF's end up to a multiple of it, "
                             "such as 4 for a stapled booklet or 16 for sewn sections (an even "
                             f"number up to {MAX_PAGE_MULTIPLE}); they carry the bleed and crop "
                             "marks too",
                             "1: none added"),
        "crop_marks": Key((bool,), False, "true to draw crop marks and registration crosses "
                          f"where the printer trims, {CROP_MARK_GAP_MM} mm beyond the bleed "
                          "(the PDF's MediaBox holds them, its BleedBox is the bleed)",
                          "false"),
    },
    "isbn": {
        "pdf": Key((str,), False, "the ISBN of the book printed from the PDF: printed in both "
                   "formats' colophons, and the print edition a print_pages EPUB names as "
                   f"the source of its page markers; {ISBN_RULES}", "none"),
        "epub": Key((str,), False, "the EPUB's ISBN: printed in both formats' colophons, and "
                    f"the EPUB's identifier (urn:isbn:…); {ISBN_RULES}", "none"),
    },
    "style": {
        "accent_colour": Key((str,), False, "the colour of the book's title and of the "
                             "headings (CSS --accent): #rrggbb, #rgb or a colour name such as "
                             "darkred, navy or teal, dark enough to read on a white page (a "
                             "contrast of 3 to 1)", "none: the text's colour"),
        "heading_size": Key((str,), False, "the size of the texts' titles and of the headings "
                            "of the apparatus (CSS --heading-size), such as \"16pt\", "
                            f"{TYPE_PT[0]}–{TYPE_PT[1]}pt; it scales with the body type in "
                            "the EPUB; the body type's size is [page] type_size",
                            "1.5 × the type size for a text's title, 1.3 × for the others",
                            length=True),
    },
    "chronology": {
        "worksheet": Key((bool,), False, "true leaves the New Style column blank, ruled to be "
                         "filled in, in the student's copy; the teacher's copy has the dates",
                         "false"),
    },
    "questions": {
        "answer_lines": Key((int,), False, f"ruled lines under each question of the student's "
                            f"copy to write the answer on (0–{MAX_ANSWER_LINES}), where the "
                            "question does not give its own `lines`", "0"),
    },
    "shared": {
        "questions": Key((bool, list), False, "the questions the edition takes from the "
                         "editors' sources/questions.yaml: true for all of them, false for "
                         "none, or a list of their ids; an edition in a folder of its own adds "
                         "its own, from its questions.yaml", "true"),
        "glossary": Key((bool, list), False, "the glossary entries the edition takes from the "
                        "editors' sources/glossary.yaml: true, false or a list of ids; an "
                        "edition in a folder of its own adds its own, from its glossary.yaml",
                        "true"),
    },
}
MARGINS = ("top", "bottom", "inner", "outer")
# The margins not given, as fractions of the page's height (top, bottom) and width (inner,
# outer): A5's 16, 22, 16 and 22 mm, which at 10.5 pt leave a measure of some 62 characters,
# the outer margin wider than the inner, as the two inner margins of an open book read as
# one. Another page keeps the proportions, not A5's millimetres.
MARGIN_FRACTIONS = (16 / 210, 22 / 210, 16 / 148, 22 / 148)


def default_margins(width: float, height: float) -> tuple[str, str, str, str]:
    """The margins of a page of `width` × `height` mm, in whole millimetres."""
    sides = (height, height, width, width)
    return tuple(f"{max(round(side * fraction), least)}mm"  # type: ignore[return-value]
                 for side, fraction, least in zip(sides, MARGIN_FRACTIONS,
                                                  MIN_DEFAULT_MARGINS_MM, strict=True))


DEFAULT_PAGE = PageSetup("A5", "10.5pt", True, default_margins(148, 210))


def key_line(source: str, key: str, table: str | None = None) -> int | None:
    """The line of `key` in `table` (None: before any table), for error messages."""
    # [ \t]*, not \s*: a line's indent, never the blank lines above it. TOML allows spaces
    # inside a header's brackets and a comment after it: [ page ]  # the paper
    def header(name: str) -> str:
        return rf"^[ \t]*\[[ \t]*{re.escape(name)}[ \t]*\][ \t]*(?:#.*)?$"

    # The key, or the key dotted (margins.top = …).
    key_at = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*[=.]", re.MULTILINE)
    found = re.search(header(table), source, re.MULTILINE) if table else None
    if table and found is None:
        # table = {…}, or the key dotted: table.key = …
        match = re.search(rf"^[ \t]*{re.escape(table)}[ \t]*=", source, re.MULTILINE) or \
            re.search(rf"^[ \t]*{re.escape(table)}[ \t]*\.[ \t]*{re.escape(key)}[ \t]*=",
                      source, re.MULTILINE)
    elif found is not None:
        # The table ends where the next one begins.
        following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(source, found.end())
        match = key_at.search(source, found.end(),
                              following.start() if following else len(source))
    else:
        match = key_at.search(source)
    # A table is a key too: [styles] is written as a header, [page.margins] too.
    match = match or re.search(header(f"{table}.{key}" if table else key), source,
                               re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None


def load_edition(path: Path, known_texts: set[str] | None, templates_dir: Path) -> Edition:
    """The edition in `path`; `known_texts` None skips checking text ids (the texts have
    problems of their own, already reported)."""
    folder = path.parent if path.name == EDITION_FILE else None
    name = edition_name(path)
    source = read_text(path, path.parent, MAX_SOURCE_BYTES)
    data = parse_toml(source, path, "every key is in docs/reference.md, with an example")
    problems = Problems()
    name_problem = plain_name_problem(name, "an edition's name, its folder's name," if folder
                                      else "an edition's name, its file name without .toml,")
    if name_problem:
        raise ConfigError(name_problem, path, hint="rename the folder, e.g. editions/my-class/"
                          if folder else "rename the file, e.g. editions/my-class.toml")

    def error(message: str, key: str | None, table: str | None = None,
              hint: str | None = None) -> None:
        line = key_line(source, key, table) if key else None
        if line is None and key and table and "." in table:
            # A key of a table written inline (margins = { top = … }): that table's line.
            parent, name = table.rsplit(".", 1)
            line = key_line(source, name, parent)
        problems.add(ConfigError(message, path, line, hint))

    _check_schema(data, error)
    problems.raise_if_any()

    language = data["language"]
    available = apparatus_languages(templates_dir / "locales")
    if language not in available:
        hint = ("use one of: " + ", ".join(available) + "; another takes a catalog in "
                "templates/locales/ (docs/adding-a-language.md)")
        problem = check_language_tag(language)
        # A catalog in a folder named as gettext or a country would ('cs_CZ', 'cz').
        misnamed = next((folder.name for folder in catalog_folders(templates_dir / "locales")
                         if folder.name not in available and
                         names_language(folder.name, language)), None)
        if misnamed:
            error(f"apparatus language {language!r} has no catalog: "
                  f"templates/locales/{misnamed}/ holds one, but the folder of a catalog is "
                  "named by its language's tag", "language",
                  hint=f"rename templates/locales/{misnamed} to templates/locales/{language}")
        else:
            error(f"apparatus language {language!r} is not available"
                  + (f": {problem}" if problem else ""), "language", hint=hint)
    texts = data["texts"]
    for text_id in texts:
        if known_texts is not None and text_id not in known_texts:
            error(f"no text has the id {text_id!r}", "texts",
                  hint="texts available: " + ", ".join(sorted(known_texts)))
    twice = sorted({t for t in texts if texts.count(t) > 1})
    if not texts:
        error("'texts' must name at least one text", "texts",
              hint="texts names the texts by their ids (each text's id: in sources/), in the "
              'order they are printed: texts = ["…", "…"]')
    elif twice:
        error(f"'texts' names {', '.join(map(repr, twice))} more than once: a text is printed "
              "once", "texts", hint="delete the second time it is named")
    sections = tuple(data.get("sections", DEFAULT_SECTIONS))
    for section in sections:
        if section not in SECTIONS:
            error(f"unknown section {section!r}" + did_you_mean(str(section), SECTIONS),
                  "sections", hint="sections: " + ", ".join(SECTIONS))
    twice = list(dict.fromkeys(s for i, s in enumerate(sections)
                               if isinstance(s, str) and s in sections[:i]))
    if twice:
        error(f"'sections' names {', '.join(map(repr, twice))} more than once: a part of the "
              "apparatus is printed once", "sections", hint="delete the second time it is named")
    if "bibliography" in sections and "notes" not in sections:
        error("the bibliography needs the notes, whose citations it lists", "sections",
              hint="add 'notes' or remove 'bibliography'")
    formats = tuple(data.get("formats", FORMATS))
    for fmt in formats:
        if fmt not in FORMATS:
            error(f"unknown format {fmt!r}", "formats", hint="use 'pdf' and/or 'epub'")
    # Judged on formats it knows: a misspelt one is one mistake, reported above.
    if data.get("print_pages") and set(formats) <= set(FORMATS) \
            and not {"pdf", "epub"} <= set(formats):
        error("print_pages marks the PDF's pages in the EPUB: the edition makes "
              + " and ".join(formats), "print_pages",
              hint='make both, formats = ["pdf", "epub"], or remove print_pages')
    filename = data.get("filename", name)
    name_problem = plain_name_problem(filename, "the file name")
    if name_problem:
        error(name_problem, "filename", hint="for example filename = \"1917-class-3b\"")
    for key in ("title", "subtitle", "class_line", "teacher", "publisher"):
        bad = BAD_CHARACTER.search(data.get(key, ""))
        if bad:
            error(f"{key!r} holds a {bad_character(bad.group())}", key, hint="remove it")
        elif len(data.get(key, "")) > MAX_LINE_CHARS:
            error(f"{key!r} is {len(data[key]):,} characters long, more than the "
                  f"{MAX_LINE_CHARS} a title page's line may have", key,
                  hint="shorten it: the cover and the title page print it whole")
    editors = data.get("editors", [])
    if not all(isinstance(e, str) and e.strip() and not BAD_CHARACTER.search(e)
               for e in editors) or len(set(editors)) != len(editors):
        error("'editors' must list each editor's name once, as a string", "editors",
              hint='for example editors = ["Anna Nowak", "Jan Kowalski"]')
    if not data["title"].strip():
        error("'title' is empty", "title", hint="every book has a title, even a short one")
    templates = data.get("templates", "base")
    if not THEME_NAME.fullmatch(templates) or templates == "locales" or \
            not (templates_dir / templates).is_dir():
        error(f"no template folder templates/{templates}", "templates",
              hint="folders: " + (", ".join(sorted(p.name for p in templates_dir.iterdir()
                                                   if p.is_dir() and p.name != "locales"))
                                  if templates_dir.is_dir() else "none: templates/ is missing"))
    copies = tuple(data.get("copies", COPIES[:1]))
    for copy in copies:
        if copy not in COPIES:
            error(f"unknown copy {copy!r}", "copies", hint="copies: \"student\" and/or "
                  "\"teacher\", such as copies = [\"student\", \"teacher\"]")
    if not copies or len(set(copies)) != len(copies):
        error("'copies' must name each copy once, at least one", "copies")
    answer_lines = data.get("questions", {}).get("answer_lines", 0)
    if not 0 <= answer_lines <= MAX_ANSWER_LINES:
        error(f"answer_lines = {answer_lines} is not a number of lines to write on",
              "answer_lines", "questions", hint=f"from 0 to {MAX_ANSWER_LINES}")
    page = _page(data.get("page", {}), error)
    style = _style(data.get("style", {}), page, error)
    date = data.get("date")
    if date is not None:
        try:
            Date.fromisoformat(date)
            if not DATES[0] <= date <= DATES[1] or len(date) != 10:
                error(f"date {date!r} is not between {DATES[0]} and {DATES[1]}", "date",
                      hint="the date the edition is published, such as 2026-11-24")
        except ValueError:
            error(f"date {date!r} is not a date", "date", hint="write it as 2026-11-24")
    isbns = _isbns(data.get("isbn", {}), formats, error)
    problems.raise_if_any()
    shared = data.get("shared", {})
    return Edition(
        name=name,
        path=path,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        language=language,
        texts=tuple(texts),
        sections=sections,
        formats=formats,
        filename=filename,
        identifier=f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, name)}",
        templates=templates,
        paragraph_numbers=data.get("paragraph_numbers", False),
        page=page,
        worksheet=data.get("chronology", {}).get("worksheet", False),
        date=date,
        class_line=data.get("class_line", "").strip(),
        teacher=data.get("teacher", "").strip(),
        style=style,
        folder=folder,
        shared_questions=_shared(shared.get("questions", True)),
        shared_glossary=_shared(shared.get("glossary", True)),
        answer_lines=answer_lines,
        copies=copies,
        publisher=data.get("publisher", "").strip(),
        editors=tuple(e.strip() for e in editors),
        print_pages=data.get("print_pages", False),
        isbns=isbns,
    )


def _isbns(given: dict[str, str], formats: tuple[str, ...], error
           ) -> tuple[tuple[str, str], ...]:
    """(format, ISBN as printed) of each format `given` an ISBN, in FORMATS' order."""
    found = []
    for fmt in (f for f in FORMATS if f in given):
        problem = isbn_problem(given[fmt])
        if problem:
            error(f"[isbn] {fmt}: {problem[0]}", fmt, "isbn", hint=problem[1])
            continue
        printed = hyphenated(given[fmt])
        other = next((f for f, number in found if number == printed), None)
        if fmt not in formats:
            error(f"[isbn] {fmt} is given, but the edition makes no {fmt.upper()}", fmt, "isbn",
                  hint=f"remove it, or add \"{fmt}\" to formats")
        elif other:
            error(f"[isbn] {fmt} is the {other.upper()}'s ISBN too", fmt, "isbn",
                  hint="each format of a book has an ISBN of its own: give the one the agency "
                  f"assigned to the {fmt.upper()}")
        else:
            found.append((fmt, printed))
    return tuple(found)


def _shared(value: bool | list[str]) -> bool | tuple[str, ...]:
    return value if isinstance(value, bool) else tuple(value)


def copies_of(edition: Edition) -> list[Edition]:
    """The copies the build makes of `edition`: the student's as it is, the teacher's with
    its own file names and identifier, so that both can stand in one folder."""
    return [edition if copy == "student" else replace(
        edition, copy=copy, filename=f"{edition.filename}-{copy}",
        identifier=f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, edition.name + '/' + copy)}",
        isbns=()) for copy in edition.copies]


def _unquoted(value: Any, kinds: tuple[type, ...]) -> str | None:
    """A number or a truth written in quotes, as TOML writes it without them ("16" for 16,
    "true" for true), where the key takes that kind; else None."""
    if not isinstance(value, str):
        return None
    written = value.strip()
    if written.lower() in ("true", "false") and bool in kinds:
        return written.lower()
    if written.lower() in YES_NO and bool in kinds:  # "yes": what a form would say
        return YES_NO[written.lower()]
    if re.fullmatch(r"-?\d+", written) and int in kinds or \
            re.fullmatch(r"-?\d+\.\d+", written) and float in kinds:
        return written
    return None


# The words printers and other tools use for a key: what a misspelling's closest key misses.
SAME_AS = {"page": {"trim": "size", "trim_size": "size", "trimsize": "size", "format": "size",
                    "paper": "size", "paper_size": "size", "page_size": "size",
                    "font_size": "type_size", "fontsize": "type_size",
                    "signature": "page_multiple", "signatures": "page_multiple",
                    "sheet_pages": "page_multiple", "duplex": "mirrored",
                    "two_sided": "mirrored", "double_sided": "mirrored",
                    "marks": "crop_marks", "trim_marks": "crop_marks",
                    "cut_marks": "crop_marks"}}


def _key_hint(key: str, table: str | None) -> str:
    """Where an unknown `key` of `table` (None: the edition itself) belongs, or what it may
    have meant: TOML files every key below a [table] header into that table, so a key of the
    edition or of another table written there is a key in the wrong place."""
    allowed = "allowed: " + ", ".join(SCHEMA[table])
    if key == table:  # isbn = "…" under [isbn]
        return f"[{table}] is where {key} is given, one key each: {allowed}"
    if table is not None and key in SCHEMA:  # a table of its own: isbn = "…" under [page]
        return f"{key} is a table of its own: write [{key}] on a line of its own, and its " \
            f"keys below it ({', '.join(SCHEMA[key])})"
    if table is not None and key in SCHEMA[None]:
        return f"{key} is a key of the edition itself: move it above [{table}], before the " \
            "first table"
    home = next((t for t in SCHEMA if t not in (None, table) and key in SCHEMA[t]), None)
    if home is not None:
        return f"{key} is a key of [{home}]: move it under [{home}]"
    same = SAME_AS.get(table or "", {}).get(key.lower().replace("-", "_"))
    near = [same] if same else difflib.get_close_matches(key, SCHEMA[table], n=1)
    return (f"did you mean {near[0]!r}? " if near else "") + allowed


def _toml_value(value: Any) -> str:
    """`value` as a TOML file writes it: "el", 12, true."""
    if isinstance(value, bool):
        return str(value).lower()
    return f'"{value}"' if isinstance(value, str) else str(value)


def _toml_list(value: Any) -> str:
    """The items of a list given as one value, as a TOML list writes them: "el", "ru" for
    "el, ru" (each name of a list of names is text of its own)."""
    items = re.split(r"[,;\s]+", value.strip(" ,;")) if isinstance(value, str) else [value]
    return ", ".join(_toml_value(item) for item in items if item != "")


def _check_schema(data: dict[str, Any], error) -> None:
    def check(table: dict[str, Any], name: str | None) -> None:
        schema = SCHEMA[name]
        where = f" in [{name}]" if name else ""
        for key, value in table.items():
            if key not in schema:
                error(f"unknown key {key!r}{where}", key, name, hint=_key_hint(key, name))
                continue
            declared = schema[key]
            # TOML's true is no number of lines: Python's bool is an int.
            if not isinstance(value, declared.kinds) or (
                    isinstance(value, bool) and bool not in declared.kinds):
                # A number for text: quoting it mends it, unless it needs a unit too; and
                # a date TOML read as one (date = 2026-09-01).
                number = str in declared.kinds and isinstance(value, int | float | Date) and \
                    not isinstance(value, bool)
                unit = "pt" if key.endswith("size") else "mm"
                # A table given one value: margins = "5cm", page = "A5".
                lone = dict in declared.kinds and not isinstance(value, dict | list)
                unquoted = _unquoted(value, declared.kinds)  # "16" for 16
                # A list given one value: texts = "el".
                listed = list in declared.kinds and bool not in declared.kinds and \
                    not isinstance(value, list | dict)
                form = (f"[{key}] on a line of its own, and its keys below it"
                        if key in SCHEMA else
                        f'{key} = {{ top = "{value}", bottom = "{value}", inner = "{value}", '
                        f'outer = "{value}" }}, or only the sides to change'
                        if key == "margins" else None)
                error(type_problem(f"{key!r}{where}", value, *declared.kinds), key, name,
                      hint=(f'write it with its unit, in quotes: {key} = "{value}{unit}"; '
                            if declared.length else f'write it in quotes, {key} = "{value}"; ')
                      * number + (f"write {form}; " if lone and form else "")
                      + (f"write it without quotes, {key} = {unquoted}; " if unquoted else "")
                      + (f"write it as a list, in brackets: {key} = [{_toml_list(value)}]; "
                         if listed else "")
                      + f"{key}: {declared.doc}")
            elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
                error(f"{key!r}{where} must be a list of text values", key, name,
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
        near = difflib.get_close_matches(size.split()[0].lower() if size.split() else "",
                                         [n.lower() for n in PAGE_SIZES], n=1)
        # A trade size as printers write it: "6x9in", "140 × 216 mm", "6in x 9in landscape",
        # "140mm, 216mm"; without a unit, in millimetres ("140x216", "140 216").
        crossed = re.fullmatch(r"\s*([\d.]+)\s*(mm|cm|in|pt)?\s*(?:[x×,]|\s)\s*([\d.]+)\s*"
                               r"(mm|cm|in|pt)?(\s+(?:landscape|portrait))?\s*", size,
                               re.I | re.ASCII)
        sides = [f"{crossed[1]}{crossed[2] or crossed[4] or 'mm'}".lower(),
                 f"{crossed[3]}{crossed[4] or crossed[2] or 'mm'}".lower()] if crossed else []
        if crossed and "landscape" in (crossed[5] or "").lower():
            sides.reverse()
        # A name written apart ("A 4", "a 5 landscape").
        joined = canonical_size(re.sub(r"^\s*([AaBb])\s+(\d)\b", r"\1\2", size))
        meant = " ".join(sides) if crossed else joined if page_dimensions(joined) else \
            canonical_size(near[0]) if near else None
        if ascii_digits(size) != size:  # digits typed in another script
            meant = canonical_size(ascii_digits(size))
        if meant and not all(PAGE_MM[0] <= d <= PAGE_MM[1]
                             for d in page_dimensions(meant) or (0,)):
            meant = None  # no size to print either
        error(f"page size {size!r} is not a paper size this tool knows"
              + (f" (did you mean {meant!r}?)" if meant else ""), "size",
              "page", hint="use " + ", ".join(PAGE_SIZES) + " (optionally 'landscape'), "
              "or two lengths such as '148mm 210mm'")
    elif not all(PAGE_MM[0] <= d <= PAGE_MM[1] for d in dimensions):
        error(f"page size {size!r} is not a size a printer can print", "size", "page",
              hint=f"each side between {PAGE_MM[0]} and {PAGE_MM[1]} mm")
    type_size = page.get("type_size", DEFAULT_PAGE.type_size)
    points = millimetres(type_size)
    if points is None:
        negative = isinstance(type_size, str) and type_size.strip().startswith("-")
        error(f"type size {type_size!r} is {'negative' if negative else 'not a length'}",
              "type_size", "page", hint=length_hint(type_size, "pt",
                                                    "for example '10.5pt' or '12pt'"))
    elif not _readable(points):
        error(f"type size {type_size!r} is not a size to read a book in", "type_size", "page",
              hint=f"between {TYPE_PT[0]}pt and {TYPE_PT[1]}pt; books are set in 9–12pt")
    margins = page.get("margins", {})
    for key, value in margins.items():
        if key not in MARGINS:
            error(f"unknown margin {key!r}", key, "page.margins", hint="margins: "
                  + ", ".join(MARGINS))
        elif isinstance(value, str) and value.strip().startswith("-"):
            error(f"margin {key} {value!r} is negative", key, "page.margins",
                  hint="a margin is the room between the page's edge and the text, such as "
                  "'18mm'")
        elif not isinstance(value, str) or millimetres(value) is None:
            error(f"margin {key} {value!r} is not a length", key, "page.margins",
                  hint=length_hint(value, "mm", "for example '18mm'"))
        elif millimetres(value) < MIN_MARGIN_MM:
            error(f"margin {key} {value!r} is narrower than the {MIN_MARGIN_MM} mm a printer "
                  "keeps clear of the edge it trims", key, "page.margins",
                  hint=f"give at least {MIN_MARGIN_MM}mm; the running heads and page numbers "
                  "stand in the top and bottom margins and need more")
    defaults = dict(zip(MARGINS, default_margins(*dimensions) if dimensions
                        else DEFAULT_PAGE.margins, strict=True))
    setup = PageSetup(
        size=size,
        type_size=type_size,
        mirrored=page.get("mirrored", DEFAULT_PAGE.mirrored),
        margins=tuple(str(margins.get(k, defaults[k])) for k in MARGINS),
        crop_marks=page.get("crop_marks", False),
        bleed_mm=_bleed(page.get("bleed", ""), error),
        page_multiple=page.get("page_multiple", 1),
    )
    # A leaf has two pages: an odd multiple could leave a bound book an odd count.
    multiple = setup.page_multiple
    if not (multiple == 1 or multiple % 2 == 0) or not 1 <= multiple <= MAX_PAGE_MULTIPLE:
        error(f"page_multiple = {multiple} is not a number of pages a sheet folds into",
              "page_multiple", "page", hint=f"an even number up to {MAX_PAGE_MULTIPLE}, such "
              "as 4, 8, 16 or 32 as the printer says; 1 adds no blank page")
    lengths = [millimetres(m) for m in setup.margins]
    # Only on a page a printer can print: another is refused above, its margins with it.
    if dimensions and None not in lengths and all(PAGE_MM[0] <= d <= PAGE_MM[1]
                                                  for d in dimensions):
        top, bottom, inner, outer = lengths
        width, height = dimensions[0] - inner - outer, dimensions[1] - top - bottom
        # Where to look: the margins if the edition gives them, else what it changed.
        key = next((k for k in ("margins", "size", "type_size") if k in page), "size")
        readable = _readable(points)
        least = MIN_MEASURE_EM * points if readable else 0.0  # the column the type needs
        if width < TEXT_BLOCK_MM[0] or height < TEXT_BLOCK_MM[1]:
            # Said at once with what the type needs, not found after the first is mended.
            error(f"the margins leave a text block of {width:.0f} × {height:.0f} mm on a "
                  f"{dimensions[0]:.0f} × {dimensions[1]:.0f} mm page", key, "page",
                  hint=f"leave at least {max(TEXT_BLOCK_MM[0], least):.0f} mm across"
                  + (f" (what {type_size} type needs)" if least > TEXT_BLOCK_MM[0] else "")
                  + f" and {TEXT_BLOCK_MM[1]} mm down: " + (
                      "narrow the margins, or delete them to have margins for the page size"
                      if "margins" in page else "give narrower margins, or a larger page"))
        elif readable:
            room = dimensions[0] - least  # for the inner and outer margins together
            if width < least - 0.5:
                # The page's own margins, too wide for the type given: the type is the cause.
                given = key == "margins"
                error(f"the margins leave a text column {width:.0f} mm wide: about "
                      f"{2 * width / points:.0f} characters of {type_size} type a line, too "
                      "few to set a justified text without wide gaps between the words",
                      key if given or "type_size" not in page else "type_size", "page",
                      hint=f"{type_size} type needs a column at least {least:.0f} mm wide: " + (
                          "take a smaller type size or a larger page" if room < 10 else
                          f"narrow the margins (inner and outer together at most {room:.0f} "
                          "mm on this page) or delete them to have margins for the page size, "
                          "or take a smaller type size" if given else
                          f"take a smaller type size, or give narrower margins (inner and "
                          f"outer together at most {room:.0f} mm on this page)"))
    return setup


def _readable(points: float | None) -> bool:
    """Whether a size (in millimetres, as millimetres() gives it) is one to set type in."""
    return points is not None and TYPE_PT[0] <= points / MM_PER_UNIT["pt"] <= TYPE_PT[1]


def _style(style: dict[str, Any], page: PageSetup, error) -> Style:
    accent = style.get("accent_colour", "")
    problem = accent_problem(accent) if accent else None
    if problem:
        error(problem[0], "accent_colour", "style", hint=problem[1])
    heading = style.get("heading_size", "")
    scale = 0.0
    problem = heading_size_problem(heading) if heading else None
    if problem:
        error(problem[0], "heading_size", "style", hint=problem[1])
    elif heading and (body := millimetres(page.type_size)):
        scale = round(millimetres(heading) / body, 4)
    return Style(accent_colour=(css_colour(accent) or "") if accent else "",
                 heading_size=heading, heading_scale=scale)


def accent_problem(accent: str) -> tuple[str, str] | None:
    """(what is wrong, how to mend it) with an accent colour, or None: the edition's
    accent_colour and a stylesheet's --accent are held to the same rule."""
    colour = css_colour(accent)
    if colour is None:
        names = [n for n in _COLOUR_NAMES if n not in ("transparent", "currentcolor")]
        near = difflib.get_close_matches(accent.strip().lower(), names, n=1)
        return (f"accent colour {accent!r} is not a colour", (f"did you mean {near[0]!r}? "
                if near else "") + "write it as #8b0000 or #800, or name one: darkred, navy, "
                "teal, darkgreen, purple…")
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        return (f"accent colour {accent!r} is too pale to read on a white page: a contrast of "
                f"{ratio:.1f} to 1, where titles and headings need {MIN_CONTRAST:g} to 1",
                "take a darker colour: darkred, navy, teal, darkgreen, purple…")
    return None


def heading_size_problem(heading: str) -> tuple[str, str] | None:
    """(what is wrong, how to mend it) with a heading size, or None: the edition's
    heading_size and a stylesheet's --heading-size alike."""
    points = millimetres(heading)
    if points is None:
        return (f"heading size {heading!r} is not a length",
                length_hint(heading, "pt", "for example '16pt'"))
    if not _readable(points):
        return (f"heading size {heading!r} is not a size for a heading",
                f"between {TYPE_PT[0]}pt and {TYPE_PT[1]}pt; a text's title is 1.5 times the "
                "type size, 15.75pt on 10.5pt type")
    return None


# The least contrast with the page for the accent's titles and headings: WCAG 2's for large
# text (1.4.3); white is 1 to 1, yellow 1.1, orange 2.0, red 4.0, darkred 10.
MIN_CONTRAST = 3.0


def contrast_with_white(colour: str) -> float:
    """WCAG 2's contrast ratio of '#rrggbb' with white paper, from 1 (white) to 21 (black)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)


def css_colour(value: str) -> str | None:
    """`value` as '#rrggbb' if it is a hex colour or a CSS colour name, else None: what the
    stylesheets are given is always this plain form, never the edition's own text."""
    from tinycss2.color3 import parse_color

    value = value.strip()
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}|[a-zA-Z]+", value) or \
            value.lower() in ("transparent", "currentcolor"):
        return None
    rgba = parse_color(value)
    if rgba is None or isinstance(rgba, str):
        return None
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])


def _colour_names() -> list[str]:
    """CSS's colour names, for a did-you-mean (tinycss2 keeps them private: none if it moves
    them)."""
    from tinycss2 import color3

    return sorted(getattr(color3, "_COLOR_KEYWORDS", {}))


_COLOUR_NAMES = _colour_names()


def _bleed(bleed: str, error) -> float:
    """The bleed in millimetres, 0 for none."""
    if bleed == "":
        return 0.0
    length = millimetres(bleed)
    if length is None or not 0 <= length <= MAX_BLEED_MM:
        usual = "printers ask for '3mm' (some for '5mm' or '0.125in')"
        error(f"bleed {bleed!r} is not a length from 0 to {MAX_BLEED_MM} mm", "bleed", "page",
              hint=usual if length is not None or bleed.strip().startswith("-") else
              length_hint(bleed, "mm", usual))
        return 0.0
    return length


def length_hint(value: Any, unit: str, example: str) -> str:
    """How to write a length given wrongly: '11 pt' -> '11pt', '11' -> '11pt', '3MM' -> '3mm',
    '3,5mm' -> '3.5mm'; else `example` and the units a length takes."""
    written = value.strip() if isinstance(value, str) else ""
    if ascii_digits(written) != written:
        mended = ascii_digits(written)
        return (f"write it with the digits 0–9: {mended!r}" if LENGTH.match(mended)
                else f"write it with the digits 0–9; {example}")
    if BARE_NUMBER.fullmatch(written):
        if " " in written:
            return UNIT_HINT + repr(written.replace(" ", ""))
        return f"a length takes its unit: {written + unit!r}"
    relative = re.fullmatch(r"[\d.]+\s*(r?em|ex|ch|px|%)", written, re.IGNORECASE)
    if relative:
        return f"{relative[1]} is relative (to the type, the screen or the box around it): " \
               f"give the length itself, in mm, cm, in or pt; {example}"
    mended = written.replace(",", ".").lower()
    if mended != written and LENGTH.match(mended):
        return f"write it {mended!r}: " + ("a decimal point, not a comma" if "," in written
                                            else "the unit in small letters")
    return f"{example}; a length is in mm, cm, in or pt"


def ascii_digits(text: str) -> str:
    """`text` with the digits of other scripts (full-width ６, Arabic-Indic ٦) as 0–9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
                   for c in text)


def millimetres(length: str) -> float | None:
    match = LENGTH.match(length.strip()) if isinstance(length, str) else None
    return float(match.group(1)) * MM_PER_UNIT[match.group(2)] if match else None


def canonical_size(size: str) -> str:
    """A named size as CSS and the tables here spell it, whatever its case: 'a4 Landscape' ->
    'A4 landscape', 'US Letter' -> 'letter'; lengths unchanged."""
    words = size.split()
    if words[:1] and words[0].lower() in ("us", "u.s."):
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


def swapped_size(size: str) -> str | None:
    """The page size of two lengths with the two swapped where they give a page wider than
    tall ('210mm 135mm' -> '135mm 210mm'): the width comes first, and a book is seldom
    wider than tall; None for another (a named size turned landscape says so on purpose)."""
    words = size.split()
    dimensions = page_dimensions(size)
    if len(words) == 2 and words[0] not in PAGE_SIZES and dimensions and \
            dimensions[0] > dimensions[1]:
        return f"{words[1]} {words[0]}"
    return None


def load_editions(editions_dir: Path, known_texts: set[str] | None, templates_dir: Path,
                  named: Collection[str] = (), set_aside: list[ConfigError] | None = None
                  ) -> list[Edition]:
    """Every edition of the folder. Where `named` editions are asked for (--edition), the
    mistakes of another do not stop them: that one is left out, its mistakes added to
    `set_aside` for the build to mention (a teacher's broken edition does not hold up the
    publisher's)."""
    problems = Problems()
    editions = []
    for path in edition_files(editions_dir):
        try:
            editions.append(load_edition(path, known_texts, templates_dir))
        except ConfigError as error:
            if named and edition_name(path) not in named and set_aside is not None:
                set_aside.append(error)
            else:
                problems.add(error)
    problems.raise_if_any()
    if not editions:
        raise ConfigError("no edition files found", editions_dir, hint="add an editions/*.toml")
    _isbns_once(editions, editions_dir.parent)
    return editions


def _isbns_once(editions: list[Edition], root: Path) -> None:
    """Each ISBN names one book: one edition's one format (a copied edition file keeps its
    ISBNs by mistake)."""
    problems = Problems()
    seen: dict[str, tuple[Edition, str]] = {}
    for edition in editions:
        for fmt, number in edition.isbns:
            if number not in seen:
                seen[number] = edition, fmt
                continue
            other, other_fmt = seen[number]
            source = read_text(edition.path, edition.path.parent, MAX_SOURCE_BYTES)
            other_source = read_text(other.path, other.path.parent, MAX_SOURCE_BYTES)
            problems.add(ConfigError(
                f"[isbn] {fmt}: {number} is also the {other_fmt.upper()} ISBN of the edition "
                f"{other.name} ({other.path.relative_to(root).as_posix()}:"
                f"{key_line(other_source, other_fmt, 'isbn')})",
                edition.path, key_line(source, fmt, "isbn"),
                hint="each edition is a book of its own, in each format: give it the ISBN "
                "the agency assigned to it, or none"))
    problems.raise_if_any()
