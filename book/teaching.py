"""Stage 2e: the classroom apparatus, reading questions and a glossary, read from sources/."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .findings import Findings
from .model import GlossaryEntry, Question, Text
from .quotes import QUOTED, QuoteLanguages
from .yamldata import key_lines, read_data_file

LANGUAGES = ("en", "ru", "el", "pl")
KINDS = ("person", "party", "institution")


def load_questions(path: Path, texts: dict[str, Text], findings: Findings) -> list[Question]:
    data, node = read_data_file(path, findings, "questions")
    if node is None:
        return []
    questions: list[Question] = []
    lines = key_lines(node)
    # A quotation in a question must be words of the texts.
    quotations = QuoteLanguages(texts.values())
    for text_id, items in (data or {}).items():
        text = texts.get(text_id)
        if text is None or not isinstance(items, list):
            findings.error("questions", f"no text has the id {text_id!r}", path,
                           lines.get(text_id))
            continue
        paragraphs = {p.id: p for p in text.paragraphs}
        items_node = next(v for k, v in node.value if k.value == text_id)
        for item, item_node in zip(items, items_node.value, strict=True):
            line = item_node.start_mark.line + 1
            if not isinstance(item, dict) or "id" not in item:
                findings.error("questions", "a question needs an 'id'", path, line)
                continue
            wording = {k: v for k, v in item.items() if k in LANGUAGES}
            unknown = set(item) - set(LANGUAGES) - {"id", "about", "editions"}
            if unknown or not wording:
                findings.error("questions", f"question {item['id']}: unknown key(s) "
                               f"{', '.join(sorted(unknown)) or '(no wording)'}", path, line,
                               "a question has an id, 'about' and its wording by language: "
                               + ", ".join(LANGUAGES))
                continue
            about = tuple(item.get("about", []))
            for paragraph in about:
                if paragraph not in paragraphs:
                    findings.error("questions", f"question {item['id']}: the {text_id} text "
                                   f"has no paragraph {paragraph!r}", path, line)
            for lang, question in wording.items():
                for quoted in QUOTED.findall(question):
                    if quotations.saying(quoted) is None:
                        findings.warn("questions", f"question {item['id']} ({lang}) quotes "
                                      f"«{quoted}», which the texts do not say", path, line)
            editions = item.get("editions")
            if editions is not None and not (isinstance(editions, list)
                                             and all(isinstance(e, str) for e in editions)):
                findings.error("questions", f"question {item['id']}: 'editions' is a list of "
                               "edition names", path, line)
                editions = None
            questions.append(Question(str(item["id"]), text_id, about,
                                      {k: " ".join(v.split()) for k, v in wording.items()},
                                      tuple(editions) if editions is not None else None))
    return questions


def load_glossary(path: Path, findings: Findings) -> list[GlossaryEntry]:
    data, node = read_data_file(path, findings, "glossary")
    if node is None:
        return []
    entries = []
    for item, item_node in zip(data or [], node.value if node else [], strict=True):
        line = item_node.start_mark.line + 1
        problems = []
        if not isinstance(item, dict) or set(item) != {"id", "kind", "forms", "gloss"}:
            problems.append("an entry has exactly: id, kind, forms, gloss")
        else:
            if item["kind"] not in KINDS:
                problems.append(f"kind must be one of {', '.join(KINDS)}")
            for field in ("forms", "gloss"):
                value = item[field]
                if not isinstance(value, dict) or set(value) - set(LANGUAGES) or "en" not in value:
                    problems.append(f"{field} is a mapping of languages ({', '.join(LANGUAGES)}) "
                                    "to text, English included")
        for problem in problems:
            findings.error("glossary", problem, path, line)
        if not problems:
            gloss = {k: " ".join(v.split()) for k, v in item["gloss"].items()}
            entries.append(GlossaryEntry(item["id"], item["kind"], dict(item["forms"]), gloss))
    return entries


def collation_key(term: str) -> tuple[str, str]:
    """Alphabetical order that files Ł with L and Ά with Α: base letters first, then the rest."""
    base = "".join(c for c in unicodedata.normalize("NFD", term.casefold())
                   if not unicodedata.combining(c)).replace("ł", "l")
    return base, term.casefold()
