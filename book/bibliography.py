"""Stage 2b: the bibliography, read from CSL-YAML and formatted by citeproc-py with a CSL style."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from .errors import BookError, did_you_mean
from .findings import Findings
from .keys import Key
from .languages import check_language_tag, csl_locale
from .memo import remembered
from .model import Citation, Correction, Text, Work
from .teaching import collation_key
from .yamldata import (
    describe,
    has_type,
    key_lines,
    node_line,
    read_data_file,
    text_mapping_problem,
    type_problem,
    value_node,
)

CSL_TYPES = {"book", "chapter", "article-journal", "article", "thesis", "report", "webpage"}
# The CSL variables citeproc-py reads, by the form of their value; any other key of an entry is
# refused (citeproc-py would drop it silently, or fail inside on a value of the wrong form).
TEXT_FIELDS = {
    "abstract", "annote", "archive", "archive-location", "archive-place", "authority",
    "call-number", "citation-label", "collection-title", "container-title",
    "container-title-short", "dimensions", "DOI", "event", "event-place", "genre", "ISBN",
    "ISSN", "jurisdiction", "keyword", "language", "medium", "note", "original-publisher",
    "original-publisher-place", "original-title", "page", "page-first", "PMCID", "PMID",
    "publisher", "publisher-place", "references", "section", "source", "status", "title",
    "title-short", "URL", "version", "year-suffix",
}
NUMBER_FIELDS = {"chapter-number", "collection-number", "edition", "issue", "number",
                 "number-of-pages", "number-of-volumes", "volume"}
NAME_FIELDS = {"author", "collection-editor", "composer", "container-author", "editor",
               "editorial-director", "illustrator", "interviewer", "original-author",
               "recipient", "translator"}
DATE_FIELDS = {"accessed", "event-date", "issued", "original-date", "submitted"}
DATE_RANGES = ((1, 9999), (1, 12), (1, 31))  # year, month, day of a CSL date-parts
ENTRY_KEYS = {"id", "type", "custom"} | TEXT_FIELDS | NUMBER_FIELDS | NAME_FIELDS | DATE_FIELDS
NAME_KEYS = {"family", "given"}
# Our own fields, under an entry's `custom` (as CSL-JSON allows).
CUSTOM_KEYS = {
    "original-names": Key((list,), False, "the author's name in its original form, when the "
                          "notes give it in another script: [{family, given}]"),
    "part-of": Key((str,), False, "the id of the work that contains this one"),
    "corrections": Key((list,), False, "where a note differs from the work: "
                       "[{cited, correct, notes: [labels]}], printed for the reader in the "
                       "editions that print the text whose notes of those labels cite the "
                       "work"),
    "remarks": Key((list,), False, "editorial doubts, each by apparatus language (en:, pl:…)"),
    "incomplete": Key((bool,), False, "true when the notes do not say which work it is",
                      "false"),
}


def load_bibliography(path: Path, findings: Findings) -> list[dict[str, Any]]:
    """The entries of the CSL-YAML file, each with `_line`; malformed ones are reported."""
    data, node = read_data_file(path, findings, "malformed-entry")
    if node is None:
        return []
    if not isinstance(data, list):
        findings.error("malformed-entry", "the bibliography must be a list of entries", path, 1)
        return []
    entries = []
    seen: set[str] = set()
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        lines = key_lines(item_node)
        errors = entry_errors(item)
        for key, problem in errors:
            findings.error("malformed-entry", problem, path,
                           node_line(item_node, key) if isinstance(key, tuple)
                           else lines.get(key, line))
        if errors:
            continue
        problems = entry_problems(item)
        if item.get("id") in seen:
            problems.append(f"the id {item['id']!r} is used by an earlier entry")
        for problem in problems:
            findings.warn("malformed-entry", problem, path, line)
        if not problems:
            seen.add(item["id"])
            entries.append({**item, "_line": line, "_correction_lines": _item_lines(
                value_node(value_node(item_node, "custom"), "corrections")),
                "_part_of_line": key_lines(value_node(item_node, "custom")).get("part-of")})
    # A work part of another names one the bibliography has: its entry prints "In" that one.
    ids = [entry["id"] for entry in entries]
    for entry in entries:
        whole = entry.get("custom", {}).get("part-of")
        if whole is not None and (whole not in ids or whole == entry["id"]):
            findings.error("malformed-entry", f"'part-of' names {whole!r}, "
                           + ("the entry itself" if whole == entry["id"] else
                              "which no entry has" + did_you_mean(whole, ids)),
                           path, entry["_part_of_line"] or entry["_line"],
                           "name the id of the entry of the book or the journal it is part of")
    return entries


def _item_lines(node: Any) -> list[int]:
    """The line of each item of a sequence node."""
    return [item.start_mark.line + 1 for item in node.value] \
        if isinstance(node, yaml.SequenceNode) else []


def check_corrections(path: Path, entries: list[dict[str, Any]], citations: list[Citation],
                      texts: dict[str, Text], findings: Findings) -> None:
    """Each correction of an entry (custom: corrections) as the book prints it: every note it
    names cites the entry's work in some text, and the words it corrects stand in one of
    them. A note that cites another work would drop the correction from the book without a
    word; words in none would print a correction of what no note says."""
    from .fidelity import plain

    for entry in entries:
        notes = {(c.text, c.note) for c in citations if c.work == entry["id"]}
        for correction, line in zip((entry.get("custom") or {}).get("corrections", []),
                                    entry["_correction_lines"], strict=True):
            cited = correction["cited"]
            named = [str(n) for n in correction["notes"]]
            for label in named:
                if not any(note == label for _, note in notes):
                    findings.error(
                        "correction", f"the correction of «{cited}» names note {label}, which "
                        f"cites {entry['id']!r} in no text", path, line,
                        hint="name the notes that cite the work with the words to correct "
                        "(citations.yaml says which notes cite it)")
            said = " ".join(" ".join(plain(n.html) for text, note in notes
                                     if note in named and text in texts
                                     for n in texts[text].notes if n.label == note).split())
            if any(note in named for _, note in notes) and cited not in said:
                findings.error(
                    "correction", f"«{cited}» is in none of the notes the correction names "
                    f"({', '.join(named)})", path, line,
                    hint="copy the words as the note writes them, or name the note that "
                    "writes them")


def entry_errors(item: Any) -> list[tuple[str | tuple[str | int, ...] | None, str]]:
    """(key, or the keys and items down to it, problem) for each key of an entry that CSL
    does not have or whose value is not of the form its field takes: these would reach
    citeproc-py as they are."""
    if not isinstance(item, dict):
        return [(None, f"an entry must be a mapping of CSL fields, not {describe(item)}")]
    problems: list[tuple[str | tuple[str | int, ...] | None, str | None]] = []
    for key, value in item.items():
        if key not in ENTRY_KEYS:
            problems.append((key, f"{key!r} is not a CSL field this tool knows"))
        elif key in NAME_FIELDS:
            problems.append((key, _names_problem(key, value)))
        elif key in DATE_FIELDS:
            problems.append((key, _date_problem(key, value)))
        elif key in NUMBER_FIELDS:
            problems.append((key, type_problem(f"{key!r}", value, str, int)))
        elif key == "language":  # the entry's lang="…" in the book: a tag readers know
            problems.append((key, type_problem(f"{key!r}", value, str)
                             or check_language_tag(value)))
        elif key != "custom":
            problems.append((key, type_problem(f"{key!r}", value, str)))
    custom = item.get("custom", {})
    if not isinstance(custom, dict):
        problems.append(("custom", f"'custom' must be a mapping, not {describe(custom)}"))
        custom = {}
    for key, value in custom.items():
        if key not in CUSTOM_KEYS:
            problems.append(("custom", f"{key!r} is not a field of ours under 'custom'; "
                             "allowed: " + ", ".join(sorted(CUSTOM_KEYS))))
        elif key == "original-names":
            problems.append(("custom", _names_problem(key, value)))
        elif key == "part-of":
            problems.append(("custom", type_problem("'part-of'", value, str)))
        elif key == "incomplete":
            problems.append(("custom", type_problem("'incomplete'", value, bool)))
        elif key == "remarks":
            problems.append(("custom", type_problem("'remarks'", value, list) or next(
                (p for r in value if (p := text_mapping_problem("each remark", r))), None)))
        elif key == "corrections":
            problems.extend(_corrections_problems(value))
    return [(key, problem) for key, problem in problems if problem]


def _names_problem(key: str, names: Any) -> str | None:
    if isinstance(names, list) and all(
        isinstance(n, dict) and set(n) <= NAME_KEYS and isinstance(n.get("family"), str)
        and n["family"] and isinstance(n.get("given", ""), str) for n in names
    ):
        return None
    return f"{key!r} must be a list of {{family, given}} names, each part text"


def _date_problem(key: str, date: Any) -> str | None:
    """A CSL date: date-parts (one date, or two for a range), perhaps a season or circa."""
    form = f"{key!r} must be {{date-parts: [[year, month, day]]}}, perhaps with a season"
    if not isinstance(date, dict) or set(date) - {"date-parts", "season", "circa"}:
        return form
    parts = date.get("date-parts")
    if not (isinstance(parts, list) and 1 <= len(parts) <= 2 and all(
        isinstance(part, list) and 1 <= len(part) <= 3 and all(has_type(n, int) for n in part)
        for part in parts
    )):
        return form
    if not has_type(date.get("season", 1), int, str) or not has_type(date.get("circa", 0),
                                                                       bool, int):
        return form
    for part in parts:
        # A year of five digits, or a thirteenth month, is a slip of the keyboard.
        ranges = DATE_RANGES[:len(part)]
        if not all(low <= n <= high for n, (low, high) in zip(part, ranges, strict=True)):
            return (f"{key!r}: {part} is no date: a year from 1 to 9999, a month from 1 to 12, "
                    "a day from 1 to 31")
        if len(part) == 3 and part[2] > (days := calendar.monthrange(*part[:2])[1]):
            return f"{key!r}: {part} is no date: that month has {days} days"
    return None


CORRECTION_FORM = ("each correction has 'cited' and 'correct' (text) and 'notes' (a list of "
                   "note numbers)")


def _corrections_problems(corrections: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(where, problem) of each correction not of the form, at its own item."""
    if not isinstance(corrections, list):
        return [(("custom", "corrections"), CORRECTION_FORM)]
    found = []
    for index, correction in enumerate(corrections):
        where = ("custom", "corrections", index)
        if not isinstance(correction, dict):
            found.append((where, CORRECTION_FORM))
            continue
        lacking = [key for key in ("cited", "correct", "notes") if key not in correction]
        others = sorted(str(key) for key in set(correction) - {"cited", "correct", "notes"})
        if lacking or others:
            said = (f"lacks {', '.join(map(repr, lacking))}" if lacking
                    else f"has {', '.join(map(repr, others))}, which no correction has")
            found.append((where, f"the correction {said}: {CORRECTION_FORM}"))
        elif not (isinstance(correction["cited"], str) and isinstance(correction["correct"], str)
                  and isinstance(correction["notes"], list)
                  and all(has_type(n, str, int) for n in correction["notes"])):
            found.append((where, CORRECTION_FORM))
    return found


def entry_problems(item: dict[str, Any]) -> list[str]:
    """What makes a well-formed entry unusable: reported as warnings, and the entry left out."""
    problems = []
    entry_id = item.get("id")
    if not entry_id:
        problems.append("the entry has no 'id'")
    if item.get("type") not in CSL_TYPES:
        problems.append(f"unknown CSL type {item.get('type')!r}; use one of "
                        + ", ".join(sorted(CSL_TYPES)))
    if not item.get("title") and not (item.get("custom") or {}).get("incomplete"):
        problems.append(f"entry {entry_id!r} has no title (mark it 'incomplete' if unknown)")
    return problems


def _csl_data(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry as citeproc-py wants it: our fields removed, text escaped.

    citeproc-py's HTML formatter writes field values into its output as they are, so an '&'
    or a '<' in a title would reach the page as markup: escape them before, not after.
    """

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return str(escape(value))
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    data = {k: clean(v) for k, v in entry.items()
            if k not in ("custom", "id") and not k.startswith("_")}  # _line: where it stands
    data["id"] = entry["id"]
    return data


def _respect_initialize_false() -> None:
    """citeproc-py initialises given names whenever a style sets initialize-with, even where
    the style says initialize="false" (as Chicago's bibliography does): "Sheila Fitzpatrick"
    would print as "S. Fitzpatrick". Honour the attribute where citeproc-py reads the option."""
    from citeproc.model import Name

    if getattr(Name.get_option, "respects_initialize_false", False):
        return
    original = Name.get_option

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize", "true") == "false":
            return None
        return original(self, name, context, sort_options)

    get_option.respects_initialize_false = True
    Name.get_option = get_option


def _macros_found_once() -> None:
    """citeproc-py finds a macro by an XPath search of the whole style each time one is
    called: some 5,000 searches for twenty entries, two fifths of the time it takes to format
    them. The macros a style defines do not change once it is read: each is found once, and
    kept on the style's root element, which lives as long as the style."""
    from citeproc.model import CitationStylesElement

    if getattr(CitationStylesElement.get_macro, "found_once", False):
        return
    original = CitationStylesElement.get_macro

    def get_macro(self, name):
        root = self.get_root()
        macros = getattr(root, "macros_found", None)
        if macros is None:
            macros = root.macros_found = {}
        if name not in macros:
            macros[name] = original(self, name)
        return macros[name]

    get_macro.found_once = True
    get_macro.original = original  # for the tests
    CitationStylesElement.get_macro = get_macro


# Prepositions Chicago lowercases in a title whatever their length (CMOS 8.159); the CSL
# specification lists only the short ones, citeproc-js lowercases these too.
CHICAGO_PREPOSITIONS = (
    "about", "above", "across", "after", "against", "along", "amid", "among", "around",
    "before", "behind", "below", "beneath", "beside", "between", "beyond", "despite", "during",
    "except", "inside", "outside", "since", "through", "throughout", "toward", "towards",
    "under", "underneath", "until", "upon", "within", "without",
)


def _lowercase_prepositions() -> None:
    from citeproc.model import TextCased

    TextCased._stop_words = sorted(set(TextCased._stop_words) | set(CHICAGO_PREPOSITIONS))


def _typeset_quotes(html: str, style) -> str:
    """The locale's quotation marks, which citeproc-py leaves half done: a quotation inside a
    title (written in the data with straight double quotes) gets the inner marks, and where the
    locale says so (American usage) a period or comma moves inside the closing marks; citeproc-py
    reads `punctuation-in-quote` but never applies it."""
    def term(name: str) -> str:
        return style.root.get_term(name).text

    straight = re.escape(str(escape('"')))
    html = re.sub(f"{straight}(.*?){straight}",
                  lambda m: term("open-inner-quote") + m[1] + term("close-inner-quote"), html)
    if style.root.get_locale_option("punctuation-in-quote").lower() != "true":
        return html
    closing = f"(?:{re.escape(term('close-inner-quote'))})?{re.escape(term('close-quote'))}"
    return re.sub(f"({closing})([.,])", r"\2\1", html)


# Works file under their first author's name as printed (a Greek translation of Cliff under
# Κλιφ), in groups by script: Latin first, then Greek, then Cyrillic, then any other (by the
# name Unicode gives it); within a group, alphabetically (`collation_key`: Ά with Α, Ł with L).
# The templates' intro sentence says so: change both together.
SCRIPT_ORDER = ("LATIN", "GREEK", "CYRILLIC")


def script(name: str) -> str:
    """The script of a name's first letter, as Unicode names it: 'LATIN', 'GREEK'…"""
    letter = next((c for c in name if c.isalpha()), None)
    return unicodedata.name(letter, "LATIN").split()[0] if letter else "LATIN"


def filing_key(name: str) -> tuple:
    group = script(name)
    rank = SCRIPT_ORDER.index(group) if group in SCRIPT_ORDER else len(SCRIPT_ORDER)
    return (rank, group, *collation_key(name))


def _inverted(name: dict[str, str]) -> str:
    return ", ".join(p for p in (name["family"], name.get("given")) if p)


def heading_names(entry: dict[str, Any]) -> tuple[str, str | None]:
    """The name the entry files under, as printed ("Κλιφ, Τόνι"; the title if it names no
    one), and the first author's original form ("Cliff, Tony") where that differs."""
    names = entry.get("author") or entry.get("editor") or []
    heading = _inverted(names[0]) if names else entry.get("title", entry["id"])
    originals = (entry.get("custom") or {}).get("original-names") or []
    other = _inverted(originals[0]) if originals else None
    return heading, other if other != heading else None


def sort_key(entry: dict[str, Any]) -> tuple:
    year = ((entry.get("issued") or {}).get("date-parts") or [[0]])[0][0]
    return (filing_key(heading_names(entry)[0]), year, entry["id"])


@dataclass(frozen=True)
class Filed:
    """A line of the bibliography: a work under its heading, or a cross-reference from
    another form of its author's name to it (`see`). `group_start`: the first of its script
    after another script's group, set apart."""

    name: str
    work: Work
    see: bool
    group_start: bool


def filed(works: Iterable[Work]) -> list[Filed]:
    """The works (in `sort_key` order) with a cross-reference from each original name form,
    filed at its own place among them."""
    lines = sorted(
        [(filing_key(w.filed_under), 0, i, w.filed_under, w) for i, w in enumerate(works)]
        + [(filing_key(w.see_from), 1, i, w.see_from, w) for i, w in enumerate(works)
           if w.see_from],
        key=lambda line: line[:3])
    result = []
    for n, (key, kind, _, name, work) in enumerate(lines):
        result.append(Filed(name, work, see=kind == 1,
                            group_start=n > 0 and lines[n - 1][0][:2] != key[:2]))
    return result


# Works formatted, by what they are formatted from: editions in one language format once.
_FORMATTED: dict[tuple[str, bytes, str, bytes | None], tuple[Work, ...]] = {}
# A preview formats again after each save: the latest few are kept, not every one.
MAX_FORMATTED = 4


def format_works(entries: list[dict[str, Any]], style_path: Path, language: str,
                 locale_terms: Path | None = None) -> list[Work]:
    """Each entry formatted alone, in the order of `sort_key` (the style's own sort knows
    nothing of scripts). `locale_terms`, a CSL locale file, comes before the
    locale citeproc-py ships: its terms win. Remembered within the process by the entries
    and the files' contents, not their paths, so that an edited style is read again."""
    key = (repr(entries), style_path.read_bytes(), language,
           locale_terms.read_bytes() if locale_terms is not None else None)
    if key not in _FORMATTED:
        works = tuple(_format_works(entries, style_path, language, locale_terms))
        while len(_FORMATTED) >= MAX_FORMATTED:
            del _FORMATTED[next(iter(_FORMATTED))]
        _FORMATTED[key] = works
    return list(_FORMATTED[key])


# A title that ends in an abbreviation's full stop ("Історія України 1917–1923 рр.") and the
# full stop the style sets after the title: citeproc-py prints both, where CSL has one ("рр..").
# An ellipsis is left as it is.
DOUBLED_STOP = re.compile(r"(?<![.…])\.((?:</[a-z]+>)*)\.(?!\.)")


def _format_works(entries: list[dict[str, Any]], style_path: Path, language: str,
                  locale_terms: Path | None) -> list[Work]:
    entries = sorted(entries, key=sort_key)
    # citeproc-py takes a third of a second for the three texts, and a thirtieth to import:
    # kept between builds, as what it was formatted with (its version among the tool's).
    made_from = repr((entries, style_path.read_bytes(), language,
                      locale_terms.read_bytes() if locale_terms is not None else None))
    formatted = remembered(
        "bibliography", made_from, lambda: _citeproc_html(entries, style_path, language,
                                                          locale_terms),
        lambda kept: isinstance(kept, list) and len(kept) == len(entries)
        and all(isinstance(html, str) for html in kept))
    works = []
    for entry, html in zip(entries, formatted, strict=True):
        custom = entry.get("custom") or {}
        heading, other_form = heading_names(entry)
        works.append(
            Work(
                id=entry["id"],
                html=Markup(html),
                language=entry.get("language"),
                authors=tuple(_full_name(n) for n in entry.get("author", [])),
                original_names=tuple(_full_name(n) for n in custom.get("original-names", [])),
                part_of=custom.get("part-of"),
                incomplete=bool(custom.get("incomplete")),
                corrections=tuple(
                    Correction(c["cited"], c["correct"], tuple(str(n) for n in c["notes"]))
                    for c in custom.get("corrections", [])
                ),
                remarks=tuple(custom.get("remarks", [])),
                line=entry["_line"],
                filed_under=heading,
                see_from=other_form,
            )
        )
    return works


def _citeproc_html(entries: list[dict[str, Any]], style_path: Path, language: str,
                   locale_terms: Path | None) -> list[str]:
    """Each entry formatted alone by citeproc-py, as HTML, its quotation marks typeset."""
    if csl_locale(language) is None and locale_terms is None:
        raise BookError(f"citeproc-py has no CSL locale for {language!r}: the bibliography's "
                        "terms (edited by, translated by…) would be English", style_path,
                        hint=f"add csl/locale-{language}.xml to the theme, with the terms in "
                        "that language (templates/base/csl/locale-el.xml shows the form)")
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.frontend import CitationStylesXML
    from citeproc.source.json import CiteProcJSON

    _respect_initialize_false()
    _lowercase_prepositions()
    _macros_found_once()
    # citeproc-py's locale of the language, or English where it ships none: the theme's own
    # locale file of terms (csl/locale-<lang>.xml, required then) comes first.
    style = CitationStylesStyle(str(style_path), locale=csl_locale(language) or "en-US",
                                validate=False)
    if locale_terms is not None:
        terms = CitationStylesXML(str(locale_terms), validate=False).root
        terms.style = style.root  # as citeproc-py links the locales it loads itself
        style.root.locales.insert(0, terms)
    formatted = []
    for entry in entries:
        bibliography = CitationStylesBibliography(style, CiteProcJSON([_csl_data(entry)]),
                                                  formatter.html)
        # Registered without a locator: with one, citeproc-py prints the locator in place of
        # the page range of an article.
        bibliography.register(Citation([CitationItem(entry["id"])]))
        bibliography.sort()
        (html,) = bibliography.bibliography()
        formatted.append(DOUBLED_STOP.sub(r".\1", _typeset_quotes(str(html), style)))
    return formatted


def _full_name(name: dict[str, str]) -> str:
    return " ".join(p for p in (name.get("given"), name["family"]) if p)


def author_names(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The entry's authors' names, in every form it gives them (its original-names too)."""
    custom = entry.get("custom") or {}
    return list(entry.get("author", [])) + list(custom.get("original-names", []))


def family_names(entry: dict[str, Any]) -> set[str]:
    """Every form of the entry's authors' family names, for resolving «ό.π.»."""
    return {n["family"].casefold() for n in author_names(entry)}
