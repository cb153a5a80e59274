"""Stage 2e: the classroom apparatus, reading questions and a glossary, read from sources/."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .config import MAX_ANSWER_LINES
from .errors import did_you_mean
from .fidelity import nearest_passage, words_of
from .findings import Findings
from .keys import Key
from .languages import check_language_tag
from .model import GlossaryEntry, Question, Text
from .quotes import QUOTED, QuoteLanguages
from .yamldata import (
    describe,
    key_lines,
    length_problem,
    read_data_file,
    text_mapping_problem,
    type_problem,
    value_node,
)

# Each key of a question, beside its wordings, one per language tag (en:, ru:, de:…).
QUESTION_KEYS = {
    "id": Key((str,), True, "the question's id, a plain name used once: its anchor"),
    "about": Key((list,), False, "the ids of the paragraphs it asks about: the edition prints "
                 "their numbers and links to them", "none"),
    "editions": Key((list,), False, "in sources/questions.yaml, the editions that print it; "
                    "an edition's own questions are in its folder's questions.yaml",
                    "every edition that takes the shared questions"),
    "answer": Key((dict,), False, "the answer, by language tag like the wording: printed in "
                  "the teacher's copy only", "none"),
    "notes": Key((dict,), False, "notes for the teacher (what to listen for, a follow-up), by "
                 "language tag: printed in the teacher's copy only", "none"),
    "lines": Key((int,), False, f"the ruled lines the student's copy leaves for the answer, "
                 f"0–{MAX_ANSWER_LINES}", "the edition's [questions] answer_lines"),
}
KINDS = ("person", "party", "institution", "place", "term")
# Every key of a glossary entry, all required.
GLOSSARY_KEYS = {
    "id": Key((str,), True, "the entry's id"),
    "kind": Key((str,), True, "what it names: a term is a word or a concept of the time "
                "(soviet, dual power)", allowed=KINDS),
    "texts": Key((list,), True, "the ids of the texts that name it: an edition prints it only "
                 "if it holds one of them"),
    "forms": Key((dict,), True, "its name in each language (en: included)"),
    "gloss": Key((dict,), True, "the explanation, by apparatus language (en: included)"),
}
QUESTION_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def load_questions(path: Path, texts: dict[str, Text], findings: Findings,
                   edition_names: set[str] | None = None, owner: str | None = None
                   ) -> list[Question]:
    """The questions; `edition_names`, when known, are the names `editions:` may give.
    `owner` names the edition whose own file this is: its questions are that edition's."""
    data, node = read_data_file(path, findings, "questions")
    if node is None:
        return []
    if not isinstance(data, dict):
        findings.error("questions", "the file must be a mapping of text ids to lists of "
                       f"questions, not {describe(data)}", path, node.start_mark.line + 1)
        return []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    lines = key_lines(node)
    # A quotation in a question must be words of the texts.
    quotations = QuoteLanguages(texts.values())
    for (text_id, items), (_, items_node) in zip(data.items(), node.value, strict=True):
        text = texts.get(text_id)
        if text is None:
            findings.error("questions", f"no text has the id {text_id!r}"
                           + did_you_mean(str(text_id), sorted(texts)), path,
                           lines.get(text_id), "the texts' ids: " + ", ".join(sorted(texts)))
            continue
        if not isinstance(items, list):
            findings.error("questions", f"the questions on {text_id} must be a list, not "
                           f"{describe(items)}", path, lines.get(text_id),
                           f"delete the line {text_id}: if the text has no questions, or write "
                           "its questions under it, each opening with '  - id:'"
                           if items is None else None)
            continue
        paragraphs = {p.id: p for p in text.paragraphs}
        for item, item_node in zip(items, items_node.value, strict=True):
            line = item_node.start_mark.line + 1
            item_lines = key_lines(item_node)
            question = _question(item, text_id, paragraphs, quotations, findings, path, line,
                                 item_lines)
            if question is None:
                continue
            if owner is not None and question.editions is not None:
                findings.error("questions", f"question {question.id}: the questions in this "
                               f"file are the {owner} edition's own, and no other's", path,
                               item_lines.get("editions", line),
                               "delete the 'editions' line; a question for several editions "
                               "goes in sources/questions.yaml")
                continue
            # The id becomes an anchor in the books: it must be one, and only one's.
            if not QUESTION_ID.fullmatch(question.id):
                findings.error("questions", f"the question id {question.id!r} is not a plain "
                               "name", path, item_lines.get("id", line),
                               "use letters, digits, '-' and '_', such as 'ru-q4'")
            elif question.id in seen:
                findings.error("questions", f"the question id {question.id!r} is also used at "
                               f"line {seen[question.id]}", path, item_lines.get("id", line),
                               "give each question an id of its own")
            seen.setdefault(question.id, item_lines.get("id", line))
            unknown = sorted(set(question.editions or ()) - (edition_names or set()))
            if edition_names is not None and unknown:
                findings.error("questions", f"question {question.id}: no edition is named "
                               f"{', '.join(map(repr, unknown))}"
                               + did_you_mean(unknown[0], sorted(edition_names)), path,
                               item_lines.get("editions", line),
                               "editions: " + ", ".join(sorted(edition_names)))
            questions.append(question)
    return questions


def _question(item, text_id, paragraphs, quotations, findings, path, line,
              lines) -> Question | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
        findings.error("questions", "a question needs an 'id'", path, line)
        return None
    # Every other key is a language tag with the question's wording in that language.
    wording = {k: v for k, v in item.items() if k not in QUESTION_KEYS}
    unknown = sorted(str(k) for k in wording if not isinstance(k, str) or check_language_tag(k))
    if unknown or not wording:
        key = unknown[0] if unknown else None
        # A key misspelt ('answr'), or a language tag ('cz' for Czech's 'cs').
        said = (f"unknown key {key!r}" + (did_you_mean(key, sorted(QUESTION_KEYS)) or
                                         f": {check_language_tag(key)}")) if key else \
            "no wording in any language"
        findings.error("questions", f"question {item['id']}: {said}", path,
                       lines.get(key, line) if key else line,
                       "a question has an id, its wording by language tag (en, ru, el, pl, "
                       "de…), and perhaps 'about', 'editions', 'answer', 'notes', 'lines'")
        return None
    problems = [(key, problem) for key, problem in (
        *((lang, type_problem(f"its wording in {lang!r}", v, str)
               or length_problem(f"its wording in {lang!r}", v)) for lang, v in wording.items()),
        ("about", _text_list_problem("'about'", item.get("about", []))),
        ("editions", _text_list_problem("'editions'", item.get("editions", []))),
        *((key, text_mapping_problem(f"its {key!r}", item[key]))
          for key in ("answer", "notes") if key in item),
        ("lines", _lines_problem(item.get("lines", 0))),
    ) if problem]
    for key, problem in problems:
        findings.error("questions", f"question {item['id']}: {problem}", path,
                       lines.get(key, line))
    if problems:
        return None
    about = tuple(item.get("about", []))
    for paragraph in about:
        if paragraph not in paragraphs:
            ids = list(paragraphs)
            findings.error("questions", f"question {item['id']}: the {text_id} text "
                           f"has no paragraph {paragraph!r}" + did_you_mean(paragraph, ids),
                           path,
                           lines.get("about", line),
                           "its paragraphs are " + (f"{ids[0]} to {ids[-1]}" if len(ids) > 2
                                                    else " and ".join(ids))
                           + ", as the {#…} lines of its file name them")
    # The paragraphs asked about, where the words a quotation may have meant are looked for.
    asked = " ".join(words_of(paragraphs[p]) for p in about if p in paragraphs)
    for lang, question in wording.items():
        for quoted in QUOTED.findall(question):
            if quotations.saying(quoted) is None:
                near = nearest_passage(quoted, asked)
                findings.about_text(text_id).warn(
                    "questions", f"question {item['id']} ({lang}) quotes «{quoted}», which the "
                    "texts do not say", path, lines.get(lang, line),
                    (f"the paragraph asked about has {near}: " if near else "")
                    + "quote the text's words exactly, or write the words without «»")
    # Editorial words are plain text: markup would be printed as written, "<b>" and all.
    for key, value in (*wording.items(), *((f"{k}: {lang}", v) for k in ("answer", "notes")
                                           for lang, v in item.get(k, {}).items())):
        markup = MARKUP.search(value)
        if markup:
            findings.warn("questions", f"question {item['id']} ({key}) holds markup, "
                          f"«{markup.group()}», which the books print as written", path,
                          lines.get(key.split(":")[0], line), "write the words plainly; the "
                          "text's own words go in «», which the books print as a quotation")
    editions = item.get("editions")
    # The words it quotes of the paragraph it asks about first: where its page reference
    # leads (a paragraph may run over pages).
    first = " ".join(words_of(paragraphs[about[0]]).split()) \
        if about and about[0] in paragraphs else ""
    quote = next((quoted for words in wording.values() if isinstance(words, str)
                  for quoted in (" ".join(q.split()) for q in QUOTED.findall(words))
                  if first and quoted in first), "")
    return Question(str(item["id"]), text_id, about, _plain(wording),
                    tuple(editions) if editions is not None else None,
                    _plain(item.get("answer", {})), _plain(item.get("notes", {})),
                    item.get("lines"), path, line, quote)


# An HTML tag, or Markdown's emphasis, in words the templates print as text.
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|(\*\*?|__?)(?=\S)[^*_\n]*\S\1(?!\w)")


def _plain(wording: dict[str, str]) -> dict[str, str]:
    """Editorial wording as one line: YAML's folded lines keep their breaks' spaces."""
    return {k: " ".join(v.split()) for k, v in wording.items()}


def _lines_problem(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"'lines' is a number of lines, not {describe(value)}"
    if not 0 <= value <= MAX_ANSWER_LINES:
        return f"'lines' is {value}: give from 0 to {MAX_ANSWER_LINES}"
    return None


def _text_list_problem(name: str, value) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    if isinstance(value, list):
        wrong = next(v for v in value if not isinstance(v, str))
        return f"{name} is a list of names, and {wrong!r} is {describe(wrong)}, not text"
    if isinstance(value, str):  # about: el-19, for [el-19]
        return f"{name} must be a list of names, not text: write [{value}]"
    return f"{name} must be a list of names, not {describe(value)}"


def load_glossary(path: Path, texts: dict[str, Text], findings: Findings,
                  owner: str | None = None) -> list[GlossaryEntry]:
    """The glossary; `owner` names the edition whose own file this is, which need be written
    only in that edition's language (the shared one is in English too, for every edition)."""
    data, node = read_data_file(path, findings, "glossary")
    if node is None:
        return []
    if not isinstance(data, list):
        findings.error("glossary", f"the glossary must be a list of entries, not "
                       f"{describe(data)}", path, node.start_mark.line + 1)
        return []
    entries = []
    seen: dict[str, int] = {}
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        problems = []
        if not isinstance(item, dict) or set(item) != set(GLOSSARY_KEYS):
            problems.append((line, "an entry has exactly: " + ", ".join(GLOSSARY_KEYS)))
        else:
            lines = key_lines(item_node)
            problems.append((lines["id"], type_problem("its id", item["id"], str)))
            # The id becomes an anchor: two entries with one would make an invalid EPUB.
            if isinstance(item["id"], str) and item["id"] in seen:
                problems.append((lines["id"], f"the glossary id {item['id']!r} is also used "
                                 f"at line {seen[item['id']]}"))
            if isinstance(item["id"], str):
                seen.setdefault(item["id"], lines["id"])
            texts_problem = _text_list_problem("'texts'", item["texts"])
            problems.append((lines["texts"], texts_problem))
            unknown = [t for t in item["texts"] if t not in texts] if not texts_problem else []
            if unknown or item["texts"] == []:
                problems.append((lines["texts"], f"no text has the id {unknown[0]!r}"
                                 if unknown else "'texts' names none of the texts"))
            if item["kind"] not in KINDS:
                problems.append((lines["kind"], f"kind must be one of {', '.join(KINDS)}"))
            for field in ("forms", "gloss"):
                problems.append((lines[field],
                                 text_mapping_problem(field, item[field])))
                if isinstance(item[field], dict) and "en" not in item[field] and not owner:
                    problems.append((lines[field], f"{field} must be given in English too"))
            problems = [(at, p) for at, p in problems if p]
        for at, problem in problems:
            findings.error("glossary", problem, path, at, "give each entry an id of its own"
                           if "is also used" in problem else None)
        if not problems:
            # Editorial words are plain text, as a question's are.
            for field in ("forms", "gloss"):
                at = key_lines(value_node(item_node, field))
                for lang, words in item[field].items():
                    if markup := MARKUP.search(words):
                        findings.warn("glossary", f"glossary entry {item['id']} ({field}: "
                                      f"{lang}) holds markup, «{markup.group()}», which the "
                                      "books print as written", path,
                                      at.get(lang, lines[field]), "write the words plainly")
            entries.append(GlossaryEntry(item["id"], item["kind"], dict(item["forms"]),
                                         _plain(item["gloss"]), tuple(item["texts"]), path))
    return entries


def collation_key(term: str) -> tuple[str, str]:
    """Alphabetical order that files Ł with L and Ά with Α: base letters first, then the rest."""
    base = "".join(c for c in unicodedata.normalize("NFD", term.casefold())
                   if not unicodedata.combining(c)).replace("ł", "l")
    return base, term.casefold()
