"""Stage 2c: which words of which note cite which work; «ό.π.» resolved; notes linked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from .bibliography import family_names
from .fidelity import plain
from .findings import Findings
from .model import Citation, Cite, Text
from .yamldata import describe, read_data_file, type_problem

# Each key of a citation and the types its value may have.
CITATION_TYPES = {"work": (str,), "op-cit": (str,), "words": (str,), "locator": (str, int),
                  "acknowledged": (list,)}
CITATION_KEYS = set(CITATION_TYPES)
ACKNOWLEDGEABLE = {"op-cit-without-citation"}


def load_citations(
    path: Path,
    texts: dict[str, Text],
    entries: list[dict[str, Any]],
    findings: Findings,
) -> tuple[list[Citation], dict[tuple[str, str], tuple[Markup | Cite, ...]]]:
    """Every citation, in the order of the notes, and the notes with their citations linked."""
    data, node = read_data_file(path, findings, "malformed-citation")
    if node is None:
        return [], {}
    by_id = {e["id"]: e for e in entries}
    citations: list[Citation] = []
    linked: dict[tuple[str, str], tuple[Markup | Cite, ...]] = {}

    if not isinstance(data, dict):
        findings.error("malformed-citation", "the file must be a mapping of text ids to their "
                       f"notes, not {describe(data)}", path, node.start_mark.line + 1)
        return [], {}
    for (text_id, by_label), (text_key, text_node) in zip(data.items(), node.value, strict=True):
        text = texts.get(text_id)
        if text is None:
            findings.warn("unknown-note", f"no text has the id {text_key.value!r}", path,
                          text_key.start_mark.line + 1)
            continue
        if not isinstance(by_label, dict):
            findings.error("malformed-citation", f"the notes of {text_id} must be a mapping of "
                           f"note numbers to citations, not {describe(by_label)}", path,
                           text_key.start_mark.line + 1)
            continue
        notes = text.notes_by_label
        last_by_author: dict[str, str] = {}
        for (_, items), (label_node, items_node) in zip(by_label.items(), text_node.value,
                                                        strict=True):
            label = label_node.value
            line = label_node.start_mark.line + 1
            note = notes.get(label)
            if note is None:
                findings.warn("unknown-note", f"the {text.id} text has no note {label}", path,
                              line)
                continue
            if not isinstance(items, list):
                findings.error("malformed-citation", f"the citations of note {label} must be a "
                               f"list, not {describe(items)}", path, line)
                continue
            note_text = plain(note.html)
            parts: list[Markup | Cite] = []
            rest = str(note.html)
            position = 0
            for item, item_node in zip(items, items_node.value, strict=True):
                line = item_node.start_mark.line + 1
                citation = _citation(text, label, item, by_id, last_by_author, findings, path,
                                     line)
                if citation is None:
                    continue
                citations.append(citation)
                found = note_text.find(citation.words, position)
                if found < 0:
                    findings.warn("words-not-in-note",
                                  f"note {label} does not contain {citation.words!r} "
                                  "(after the previous citation)", path, line,
                                  "copy the words exactly as the note has them")
                    continue
                position = found + len(citation.words)
                if citation.locator and not _locator_in(citation.locator, note_text[position:]):
                    findings.warn("locator-not-in-note",
                                  f"note {label} does not give the pages {citation.locator!r} "
                                  "after the citing words", path, line)
                escaped = escapeHtml(citation.words)
                if citation.work and escaped in rest:
                    before, _, rest = rest.partition(escaped)
                    parts += [Markup(before), Cite(citation, Markup(escaped))]
            parts.append(Markup(rest))
            linked[(text.id, label)] = tuple(p for p in parts if not isinstance(p, str) or p)

    cited = {c.work for c in citations}
    for entry in entries:
        children = {e["id"] for e in entries
                    if (e.get("custom") or {}).get("part-of") == entry["id"]}
        if entry["id"] not in cited and not children & cited:
            findings.warn("uncited-entry", f"no note cites {entry['id']!r}",
                          path.parent / "bibliography.yaml", entry["_line"],
                          "cite it in sources/citations.yaml or remove the entry")
    return citations, linked


def _citation(text, label, item, by_id, last_by_author, findings, path, line) -> Citation | None:
    if not isinstance(item, dict) or not item.get("words") or (
        ("work" in item) == ("op-cit" in item)
    ):
        findings.warn("malformed-citation",
                      "a citation needs 'words' and exactly one of 'work' or 'op-cit'", path, line)
        return None
    wrong = [problem for key, kinds in CITATION_TYPES.items()
             if key in item and (problem := type_problem(f"{key!r}", item[key], *kinds))]
    wrong += [f"'acknowledged' lists codes, and {code!r} is not text"
              for code in item.get("acknowledged") or [] if not isinstance(code, str)]
    for problem in wrong:
        findings.error("malformed-citation", problem, path, line)
    if wrong:
        return None
    unknown = set(item) - CITATION_KEYS
    if unknown:
        findings.warn("malformed-citation", f"unknown key(s): {', '.join(sorted(unknown))}", path,
                      line, "allowed: " + ", ".join(sorted(CITATION_KEYS)))
    acknowledged = set(item.get("acknowledged") or [])
    for code in acknowledged - ACKNOWLEDGEABLE:
        findings.warn("malformed-citation", f"{code!r} cannot be acknowledged", path, line)
    locator = str(item["locator"]) if item.get("locator") is not None else None

    if "work" in item:
        work = item["work"]
        if work not in by_id:
            findings.warn("unknown-work", f"note {label} cites {work!r}, which the bibliography "
                          "does not have", path, line, "add the entry or correct the id")
            work = None
        else:
            for name in family_names(by_id[work]):
                last_by_author[name] = work
        return Citation(text.id, label, work, str(item["words"]), locator, op_cit=False)

    author = str(item["op-cit"]).casefold()
    work = last_by_author.get(author)
    if work is None:
        candidates = [e for e in by_id.values() if author in family_names(e)]
        findings.warn(
            "op-cit-without-citation",
            f"note {label}: «ό.π.» of {item['op-cit']} follows no earlier citation of a work of "
            "theirs",
            path, line,
            "add the full citation to the bibliography, or acknowledge the problem",
            acknowledged="op-cit-without-citation" in acknowledged,
        )
        if len(candidates) == 1:
            work = candidates[0]["id"]  # the one entry we have for that author
        elif not candidates:
            findings.warn("unknown-work", f"no entry has an author named {item['op-cit']!r}",
                          path, line)
    return Citation(text.id, label, work, str(item["words"]), locator, op_cit=True)


def _locator_in(locator: str, after: str) -> bool:
    """Each page number of the locator appears in what the note says after the citing words."""
    numbers = re.findall(r"\d+", after)
    return all(n in numbers for n in re.findall(r"\d+", locator))
