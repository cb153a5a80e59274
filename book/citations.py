"""Stage 2c: which words of which note cite which work; «ό.π.» and ibid. resolved; notes linked."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .bibliography import author_names, family_names
from .errors import did_you_mean
from .findings import Findings
from .keys import Key
from .markuptext import MarkupText
from .model import Citation, Cite, Note, Text
from .spacing import regular_words
from .yamldata import describe, key_lines, length_problem, read_data_file, type_problem

# Each key of a citation.
CITATION_TYPES = {
    "work": Key((str,), False, "the id of the bibliography's entry the note names in full"),
    "op-cit": Key((str,), False, "«op. cit.»: the author's family name, in any form the entry "
                  "holds; the work of that author cited last in the text"),
    "ibid": Key((bool,), False, "true for «ibid.» («Ebd.», «там же», «tamże»): the work of the "
                "citation just before, in the same text"),
    "words": Key((str,), True, "the note's words that cite, as the note has them: they become "
                 "the link"),
    "locator": Key((str, int), False, "the pages cited, as the note gives them"),
    "acknowledged": Key((list,), False, "problems the editors know of and explain in the "
                        "edition, reported as notes", allowed=("op-cit-without-citation",
                                                               "ibid-without-citation")),
}
CITATION_KEYS = set(CITATION_TYPES)
ACKNOWLEDGEABLE = set(CITATION_TYPES["acknowledged"].allowed)
FORM = "a citation needs 'words' and exactly one of 'work', 'op-cit' or 'ibid: true'"


def load_citations(
    path: Path,
    texts: dict[str, Text],
    entries: list[dict[str, Any]],
    findings: Findings,
) -> tuple[list[Citation], dict[str, Text]]:
    """Every citation, in the order of the notes, and the texts with each note's citing words
    linked (`Note.parts`)."""
    data, node = read_data_file(path, findings, "malformed-citation")
    if node is None:
        return [], texts
    if not isinstance(data, dict):
        findings.error("malformed-citation", "the file must be a mapping of text ids to their "
                       f"notes, not {describe(data)}", path, node.start_mark.line + 1)
        return [], texts
    by_id = {e["id"]: e for e in entries}
    citations: list[Citation] = []
    linked = dict(texts)
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
        about = findings.about_text(text.id)  # what it finds is about this text
        resolver = _Resolver(text, by_id, about, path)
        parts_by_label: dict[str, tuple[Markup | Cite, ...]] = {}
        # «ό.π.» and ibid. follow the notes as the text has them, whatever order the file
        # lists them in.
        order = {note.label: n for n, note in enumerate(text.notes)}
        listed = sorted(zip(by_label.values(), text_node.value, strict=True),
                        key=lambda listing: order.get(listing[1][0].value, -1))
        for items, (label_node, items_node) in listed:
            label = label_node.value
            line = label_node.start_mark.line + 1
            note = text.notes_by_label.get(label)
            if note is None:
                about.warn("unknown-note", f"the {text.id} text has no note {label}", path,
                           line)
                continue
            if not isinstance(items, list):
                findings.error("malformed-citation", f"the citations of note {label} must be a "
                               f"list, not {describe(items)}", path, line)
                continue
            in_note: list[tuple[Citation, int]] = []
            for item, item_node in zip(items, items_node.value, strict=True):
                line = item_node.start_mark.line + 1
                citation = resolver.resolve(label, item, line)
                if citation is not None:
                    citations.append(citation)
                    # What is wrong with the words in the note is told at the words.
                    in_note.append((citation, key_lines(item_node).get("words", line)))
            parts_by_label[label] = link_note(note, in_note, about, path)
        linked[text.id] = replace(text, notes=tuple(
            replace(n, parts=parts_by_label[n.label]) if n.label in parts_by_label else n
            for n in text.notes))

    cited = {c.work for c in citations}
    for entry in entries:
        children = {e["id"] for e in entries
                    if (e.get("custom") or {}).get("part-of") == entry["id"]}
        if entry["id"] not in cited and not children & cited:
            findings.warn("uncited-entry", f"no note cites {entry['id']!r}",
                          path.parent / "bibliography.yaml", entry["_line"],
                          "cite it in sources/citations.yaml or remove the entry")
    return citations, linked


@dataclass
class _Resolver:
    """Resolves a text's citations in the order of its notes: «ό.π.» to the work of that
    author cited last, ibid. to the work of the previous citation."""

    text: Text
    by_id: dict[str, dict[str, Any]]
    findings: Findings
    path: Path

    def __post_init__(self) -> None:
        self.last_by_author: dict[str, str] = {}
        self.cited_before = False
        self.last_work: str | None = None
        self.unknown: list[str] = []  # the notes that cite a work the bibliography lacks

    def resolve(self, label: str, item: Any, line: int) -> Citation | None:
        findings, path = self.findings, self.path
        if not isinstance(item, dict) or not item.get("words"):
            findings.warn("malformed-citation", FORM, path, line)
            return None
        wrong = [problem for key, declared in CITATION_TYPES.items() if key in item and
                 (problem := type_problem(f"{key!r}", item[key], *declared.kinds))]
        # Words longer than a note could hold are a paste gone wrong, and each message and
        # search of the note would carry them whole.
        if isinstance(item["words"], str) and (long := length_problem("'words'",
                                                                       item["words"])):
            wrong.append(long)
        if isinstance(item.get("acknowledged"), list):
            wrong += [f"'acknowledged' lists codes, and {code!r} is not text"
                      for code in item["acknowledged"] if not isinstance(code, str)]
        if item.get("ibid") is False:
            wrong.append("'ibid' is written 'ibid: true', or left out")
        for problem in wrong:
            findings.error("malformed-citation", problem, path, line)
        if wrong:
            return None
        kinds = [k for k in ("work", "op-cit", "ibid") if k in item]
        if len(kinds) != 1:
            findings.warn("malformed-citation", FORM, path, line)
            return None
        # A key misspelt would leave the citation without what it says ('locater': its
        # pages): an error, as in the texts' headers and the chronology.
        for key in sorted(set(item) - CITATION_KEYS, key=str):
            findings.error("malformed-citation", f"unknown key {key!r} in a citation"
                           + did_you_mean(str(key), CITATION_KEYS), path, line,
                           "allowed: " + ", ".join(sorted(CITATION_KEYS)))
        acknowledged = set(item.get("acknowledged") or [])
        for code in acknowledged - ACKNOWLEDGEABLE:
            findings.warn("malformed-citation", f"{code!r} cannot be acknowledged", path, line)
        kind = kinds[0]
        if kind != "ibid" and not str(item[kind]).strip():
            findings.warn("malformed-citation", f"'{kind}' is empty", path, line,
                          "'work' names an id of the bibliography, 'op-cit' an author's family "
                          "name")
            return None
        if kind == "work":
            work = self._named(label, item["work"], line)
        elif kind == "op-cit":
            work = self._op_cit(label, item["op-cit"], str(item["words"]), line, acknowledged)
        else:
            work = self._ibid(label, line, acknowledged)
        if work is not None:
            for name in family_names(self.by_id[work]):
                self.last_by_author[name] = work
        self.cited_before, self.last_work = True, work
        locator = str(item["locator"]) if item.get("locator") is not None else None
        # The words spaced as the note is once regularised (book/spacing.py).
        words = regular_words(str(item["words"]), self.text)
        return Citation(self.text.id, label, work, words, locator, kind)

    def _named(self, label: str, work: str, line: int) -> str | None:
        if work not in self.by_id:
            self.unknown.append(label)
            self.findings.warn("unknown-work", f"note {label} cites {work!r}, which the "
                               "bibliography does not have"
                               + did_you_mean(work, self.by_id, ignore_case=True), self.path,
                               line, "correct the id, or add the entry to "
                               "sources/bibliography.yaml")
            return None
        return work

    def _op_cit(self, label: str, author: str, words: str, line: int,
                acknowledged: set[str]) -> str | None:
        work = self.last_by_author.get(author.casefold())
        if work is not None:
            return work
        candidates = [e for e in self.by_id.values() if author.casefold() in family_names(e)]
        # A work cited earlier under an id the bibliography lacks may be the one meant.
        before = [n for n in self.unknown if n != label]
        earlier = (f"note {before[-1]} before it cites a work the bibliography does not have, "
                   "perhaps this one: mend that id first; otherwise, " if before else "")
        self.findings.warn(
            "op-cit-without-citation",
            f"note {label}: {words!r}, an op. cit. of {author}, follows no earlier citation of "
            "a work of theirs", self.path, line,
            earlier + "add the full citation to the bibliography, or acknowledge the problem",
            acknowledged="op-cit-without-citation" in acknowledged,
        )
        if len(candidates) == 1:
            return candidates[0]["id"]  # the one entry we have for that author
        if not candidates:
            families = [n["family"] for e in self.by_id.values() for n in author_names(e)]
            self.findings.warn("unknown-work", f"no entry has an author named {author!r}"
                               + did_you_mean(author, families, ignore_case=True), self.path,
                               line, "'op-cit' names the family name of an author of the "
                               "bibliography")
        return None

    def _ibid(self, label: str, line: int, acknowledged: set[str]) -> str | None:
        # After a citation that resolved to nothing, ibid. resolves to nothing too: that
        # citation's own finding says why.
        if not self.cited_before:
            self.findings.warn(
                "ibid-without-citation",
                f"note {label}: ibid. follows no earlier citation in the {self.text.id} text",
                self.path, line,
                "cite the work by 'work:' here, or acknowledge the problem",
                acknowledged="ibid-without-citation" in acknowledged,
            )
        return self.last_work


# Linking: the citing words are found in the note's text (book/markuptext.py: its HTML without
# tags, entities read), then mapped back to the HTML, so that markup inside them (an <em>
# title) stays inside the link, well nested.

def link_note(note: Note, citations: list[tuple[Citation, int]], findings: Findings,
              path: Path) -> tuple[Markup | Cite, ...]:
    """The note's HTML cut into parts, the words of each citation that resolved to a work a
    Cite. Each citation's words must be in the note, after the previous citation's, and must
    make one well-nested link: otherwise an error at the citation's line."""
    markup = MarkupText.read(str(note.html))
    parts: list[Markup | Cite] = []
    position = 0  # in the note's text
    linked_to = 0  # in its HTML
    for citation, line in citations:
        words = citation.words
        found = markup.text.find(words, position)
        if found < 0:
            where = " after the previous citation" if position else ""
            findings.error("words-not-in-note", f"note {citation.note} does not contain "
                           f"{words!r}{where}, so it cannot link them", path, line,
                           "copy the words exactly as the note's text has them, without its "
                           "markup (<em>…</em>)")
            continue
        position = found + len(words)
        if citation.locator and not _locator_in(citation.locator, markup.text[position:]):
            given = list(dict.fromkeys(re.findall(r"\d+", markup.text[position:])))[:6]
            findings.warn("locator-not-in-note",
                          f"note {citation.note} does not give the pages {citation.locator!r} "
                          "after the citing words" + (f": it gives {', '.join(given)}" if given
                                                      else ": it gives no number after them"),
                          path, line, "write the locator as the note gives its pages, or the "
                          "citing words up to where the note gives them")
        span = markup.span(found, len(words), linked_to)
        if span is None:
            findings.error("words-across-markup",
                           f"note {citation.note}: the words {words!r} begin and end in "
                           "different elements of its markup (or inside a link), so they "
                           "cannot make one link", path, line,
                           "cite whole elements: all of an emphasised title, or none of it")
            continue
        if citation.work is None:
            continue  # its own finding says why
        start, end = span
        parts += [Markup(markup.html[linked_to:start]),
                  Cite(citation, Markup(markup.html[start:end]))]
        linked_to = end
    parts.append(Markup(markup.html[linked_to:]))
    return tuple(p for p in parts if not isinstance(p, str) or p)


def _locator_in(locator: str, after: str) -> bool:
    """Each page number of the locator appears in what the note says after the citing words."""
    numbers = re.findall(r"\d+", after)
    return all(n in numbers for n in re.findall(r"\d+", locator))
