"""The parts of a teacher's edition checked one by one, without a build: its own questions and
glossary, the keys of its edition file, its folder, its copies, its templates and the files
`new-edition` writes (each test here was written to fail on a mutant of the code that survived
the other tests)."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import edit, line_of

from book import config, files, limits, make, scaffold, teaching
from book.errors import BookError, ConfigError
from book.findings import HINTS, Findings
from book.make import Project, gather
from book.render import template_search_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors(findings: Findings) -> list[tuple[str, int | None, str | None]]:
    """(message, line, hint) of each error; each is of its data file, named by its code."""
    found = [f for f in findings.items if f.level == "error"]
    assert all(f.code == f.path.stem for f in found), found
    return [(f.message, f.line, f.hint) for f in found]


def lines_of(path: Path, fragment: str) -> int:
    return line_of(path.parent, path.name, fragment)


# --- book/teaching.py: questions ------------------------------------------------------------

QUESTION = """\
gr:
  - id: own-1
    about: [gr-2]
    en: What does the text ask
      of its readers?
"""


def questions(tmp_path: Path, texts, yaml: str, **options):
    findings = Findings()
    path = write(tmp_path / "questions.yaml", yaml)
    return teaching.load_questions(path, texts, findings, **options), findings, path


def test_a_questions_answer_notes_and_lines_are_read_and_their_lines_joined(
        tmp_path, fixture_book):
    yaml = QUESTION + """\
    answer:
      en: Two powers,
        side by side.
    notes: {en: "  Ask who held   the army. "}
    lines: 5
  - id: own-2
    en: And then?
"""
    found, findings, path = questions(tmp_path, fixture_book.texts, yaml, owner="c10")
    assert findings.items == []
    first, second = found
    assert (first.id, first.text, first.about, first.source) == ("own-1", "gr", ("gr-2",), path)
    assert (first.line, second.line) == (lines_of(path, "own-1"), lines_of(path, "own-2"))
    assert first.wording == {"en": "What does the text ask of its readers?"}
    assert first.answer == {"en": "Two powers, side by side."}
    assert first.notes == {"en": "Ask who held the army."}
    assert first.lines == 5 and first.editions is None
    # A question that gives none has no answer, no notes, and the edition's number of lines.
    assert (second.answer, second.notes, second.lines) == ({}, {}, None)


@pytest.mark.parametrize("lines", [0, teaching.MAX_ANSWER_LINES])
def test_the_number_of_lines_may_be_none_up_to_the_most(tmp_path, fixture_book, lines):
    found, findings, _ = questions(tmp_path, fixture_book.texts, QUESTION + f"    lines: {lines}\n")
    assert findings.items == [] and found[0].lines == lines


@pytest.mark.parametrize("value, problem", [
    ("-1", "'lines' is -1: give from 0 to {most}"),
    ("{over}", "'lines' is {over}: give from 0 to {most}"),
    ("true", "'lines' is a number of lines, not true or false"),
    ("2.5", "'lines' is a number of lines, not a decimal number"),
    ("[3]", "'lines' is a number of lines, not a list"),
])
def test_a_number_of_lines_that_is_none_is_refused_at_its_line(tmp_path, fixture_book, value,
                                                               problem):
    most = teaching.MAX_ANSWER_LINES
    value = value.format(over=most + 1)
    found, findings, path = questions(tmp_path, fixture_book.texts,
                                      QUESTION + f"    lines: {value}\n")
    assert found == []
    assert errors(findings) == [
        ("question own-1: " + problem.format(most=most, over=most + 1),
         lines_of(path, "lines:"), findings.items[0].hint)]
    assert findings.items[0].path == path


@pytest.mark.parametrize("key", ["answer", "notes"])
def test_an_answer_or_notes_not_by_language_are_refused_at_their_line(tmp_path, fixture_book,
                                                                      key):
    found, findings, path = questions(tmp_path, fixture_book.texts,
                                      QUESTION + f"    {key}: The Soviet\n")
    assert found == []
    assert [(m, n) for m, n, _ in errors(findings)] == [
        (f"question own-1: its {key!r} must be a mapping of language tags (en, ru…) to text",
         lines_of(path, f"{key}:"))]


@pytest.mark.parametrize("key, yaml", [
    ("en", "    en: {words}\n"),
    ("answer", "    answer: {{en: {words}}}\n"),
    ("notes", "    notes:\n      pl: {words}\n"),
])
def test_a_wording_longer_than_a_page_and_a_half_is_refused_at_its_line(tmp_path, fixture_book,
                                                                       key, yaml):
    """A question, its answer or its notes that is a book's worth (450 KB was printed whole)."""
    most = limits.MAX_WORDING_CHARS
    head = QUESTION.replace("    en: What does the text ask\n      of its readers?\n", "") \
        if key == "en" else QUESTION
    found, findings, _ = questions(tmp_path, fixture_book.texts,
                                   head + yaml.format(words="x" * most))
    assert findings.items == [] and len(found) == 1
    found, findings, path = questions(tmp_path, fixture_book.texts,
                                      head + yaml.format(words="x" * (most + 1)))
    lang = "pl" if key == "notes" else "en"
    name = f"its wording in {lang!r}" if key == "en" else f"its {key!r} in {lang!r}"
    assert found == []
    assert [(m, n) for m, n, _ in errors(findings)] == [
        (f"question own-1: {name} is {most + 1:,} characters long, more than the {most:,} one "
         "editorial wording may have (a printed page holds about 3,500)",
         lines_of(path, f"{key}:"))]


def test_an_editions_own_question_may_not_name_editions(tmp_path, fixture_book):
    found, findings, path = questions(tmp_path, fixture_book.texts,
                                      QUESTION + "    editions: [mini]\n", owner="c10")
    assert found == []
    assert errors(findings) == [
        ("question own-1: the questions in this file are the c10 edition's own, and no "
         "other's", lines_of(path, "editions:"), "delete the 'editions' line; a question for "
         "several editions goes in sources/questions.yaml")]
    # In the editors' file, the same question is one of those editions'.
    found, findings, _ = questions(tmp_path, fixture_book.texts,
                                   QUESTION + "    editions: [mini]\n",
                                   edition_names={"mini"})
    assert findings.items == [] and found[0].editions == ("mini",)


def test_a_text_id_that_is_not_there_is_named_with_the_nearest(tmp_path, fixture_book):
    texts = fixture_book.texts
    found, findings, path = questions(tmp_path, texts, QUESTION.replace("gr:", "grr:"))
    assert found == []
    assert errors(findings) == [("no text has the id 'grr' (did you mean 'gr'?)", 1,
                                 "the texts' ids: " + ", ".join(sorted(texts)))]
    # An id like none of them is named alone; the next text's questions are still read.
    yaml = QUESTION.replace("gr:", "nothing-like-it:") + "pol:\n  - id: p\n    en: Who?\n"
    found, findings, path = questions(tmp_path, texts, yaml)
    assert [q.id for q in found] == ["p"]
    assert [(m, n) for m, n, _ in errors(findings)] == [("no text has the id 'nothing-like-it'",
                                                         1)]


def more_paragraphs(text, count: int):
    """`text` with `count` paragraphs, numbered on from its first."""
    first = text.paragraphs[0]
    stem = first.id.rsplit("-", 1)[0]
    paragraphs = tuple(dataclasses.replace(first, id=f"{stem}-{n}") for n in range(1, count + 1))
    section = dataclasses.replace(text.sections[0], paragraphs=paragraphs)
    return dataclasses.replace(text, sections=(section,))


@pytest.mark.parametrize("count, named", [(1, "gr-1"), (2, "gr-1 and gr-2"), (3, "gr-1 to gr-3"),
                                          (5, "gr-1 to gr-5")])
def test_a_paragraph_that_is_not_there_is_named_with_the_nearest_and_those_there_are(
        tmp_path, fixture_book, count, named):
    texts = {**fixture_book.texts, "gr": more_paragraphs(fixture_book.texts["gr"], count)}
    found, findings, path = questions(tmp_path, texts, QUESTION.replace("[gr-2]", "[gr-1, gr-1a]"))
    assert errors(findings) == [
        ("question own-1: the gr text has no paragraph 'gr-1a' (did you mean 'gr-1'?)",
         lines_of(path, "about:"),
         f"its paragraphs are {named}, as the {{#…}} lines of its file name them")]
    # A warning, not a refusal: the question is still read.
    assert [q.id for q in found] == ["own-1"]


@pytest.mark.parametrize(("old", "new", "message"), [
    # A paragraph like none there is named alone.
    ("[gr-2]", "[completely-other]", "the gr text has no paragraph 'completely-other'"),
    # One name where a list is wanted is shown as the list.
    ("about: [gr-2]", "about: gr-2", "'about' must be a list of names, not text: write [gr-2]"),
])
def test_what_a_question_is_about_is_checked(tmp_path, fixture_book, old, new, message):
    _, findings, _ = questions(tmp_path, fixture_book.texts, QUESTION.replace(old, new))
    assert [m for m, _, _ in errors(findings)] == [f"question own-1: {message}"]


def test_the_keys_of_a_question_are_named_when_one_is_unknown(tmp_path, fixture_book):
    _, findings, path = questions(tmp_path, fixture_book.texts, QUESTION + "    answr: x\n")
    assert errors(findings) == [
        ("question own-1: unknown key 'answr' (did you mean 'answer'?)",
         lines_of(path, "answr:"),
         "a question has an id, its wording by language tag (en, ru, el, pl, de…), and perhaps "
         "'about', 'editions', 'answer', 'notes', 'lines'")]


def test_a_wording_under_a_country_code_says_which_language_is_meant(tmp_path, fixture_book):
    _, findings, path = questions(tmp_path, fixture_book.texts, QUESTION + "    gb: Why?\n")
    assert [(m, line) for m, line, _ in errors(findings)] == [
        ("question own-1: unknown key 'gb': unknown language tag 'gb': that is the country "
         "code of United Kingdom, whose language, English, is 'en'", lines_of(path, "gb:"))]


def test_a_question_id_used_twice_in_an_editions_file_is_located(tmp_path, fixture_book):
    yaml = QUESTION + "  - id: own-1\n    en: Again?\n"
    _, findings, path = questions(tmp_path, fixture_book.texts, yaml, owner="c10")
    second = [n for n, line in enumerate(yaml.split("\n"), 1) if "id: own-1" in line][1]
    assert errors(findings) == [("the question id 'own-1' is also used at line 2", second,
                                 "give each question an id of its own")]


# --- book/teaching.py: the glossary ---------------------------------------------------------

ENTRY = """\
- id: {id}
  kind: institution
  texts: [gr]
  forms: {forms}
  gloss: {gloss}
"""


def glossary(tmp_path: Path, texts, entries: list[dict[str, str]], owner: str | None = None):
    findings = Findings()
    defaults = {"id": "duma", "forms": "{en: Duma}", "gloss": "{en: An assembly.}"}
    path = write(tmp_path / "glossary.yaml",
                 "".join(ENTRY.format(**{**defaults, **e}) for e in entries))
    return teaching.load_glossary(path, texts, findings, owner), findings, path


def test_an_editions_own_glossary_needs_no_english(tmp_path, fixture_book):
    polish = {"forms": "{pl: Duma}", "gloss": "{pl: Zgromadzenie\n      ustawodawcze.}"}
    found, findings, path = glossary(tmp_path, fixture_book.texts, [polish], owner="c10")
    assert findings.items == []
    [entry] = found
    assert (entry.id, entry.kind, entry.texts, entry.source) == ("duma", "institution", ("gr",),
                                                                 path)
    assert entry.forms == {"pl": "Duma"} and entry.gloss == {"pl": "Zgromadzenie ustawodawcze."}
    # The editors' shared glossary serves every edition: English is required there, in both.
    found, findings, path = glossary(tmp_path, fixture_book.texts, [polish])
    assert found == []
    assert [(m, n) for m, n, _ in errors(findings)] == [
        ("forms must be given in English too", lines_of(path, "forms:")),
        ("gloss must be given in English too", lines_of(path, "gloss:"))]


def test_a_gloss_longer_than_a_page_and_a_half_is_refused_at_its_line(tmp_path, fixture_book):
    most = limits.MAX_WORDING_CHARS
    found, findings, _ = glossary(tmp_path, fixture_book.texts,
                                  [{"gloss": f"{{en: {'x' * most}}}"}])
    assert findings.items == [] and len(found) == 1
    found, findings, path = glossary(tmp_path, fixture_book.texts,
                                     [{"gloss": f"{{en: {'x' * (most + 1)}}}"}])
    assert found == []
    assert [(m, n) for m, n, _ in errors(findings)] == [
        (f"gloss in 'en' is {most + 1:,} characters long, more than the {most:,} one editorial "
         "wording may have (a printed page holds about 3,500)", lines_of(path, "gloss:"))]


@pytest.mark.parametrize("kind", teaching.KINDS)
def test_a_glossary_entry_names_a_kind_of_thing(tmp_path, fixture_book, kind):
    """A place and a term too: a teacher's glossary explains Tsaritsyn and dual power."""
    path = write(tmp_path / "glossary.yaml", ENTRY.format(
        id="x", forms="{en: X}", gloss="{en: Y.}").replace("institution", kind))
    findings = Findings()
    [entry] = teaching.load_glossary(path, fixture_book.texts, findings)
    assert findings.items == [] and entry.kind == kind
    path.write_text(path.read_text(encoding="utf-8").replace(kind, "planet"), encoding="utf-8")
    assert teaching.load_glossary(path, fixture_book.texts, findings) == []
    assert [(m, n) for m, n, _ in errors(findings)] == [
        (f"kind must be one of {', '.join(teaching.KINDS)}", lines_of(path, "kind:"))]


def test_a_glossary_id_used_twice_is_refused_at_the_second_with_a_hint(tmp_path, fixture_book):
    found, findings, path = glossary(tmp_path, fixture_book.texts,
                                     [{}, {"forms": "{en: Other}"}, {"id": "other"}])
    assert [e.id for e in found] == ["duma", "other"]
    assert errors(findings) == [("the glossary id 'duma' is also used at line 1", 6,
                                 "give each entry an id of its own")]
    # Another mistake gets the file's general hint, not this one.
    _, findings, _ = glossary(tmp_path, fixture_book.texts, [{"forms": "{en: [a]}"}])
    assert [(f.level, f.hint) for f in findings.items] == [("error", HINTS["glossary"])]


# --- book/config.py: the edition files, their keys and copies --------------------------------

EDITION = """\
title = "Class 10"
language = "en"
texts = ["gr", "pol"]
"""


def edition_in(tmp_path: Path, text: str, name: str = "c10", folder: bool = True):
    """The edition `text` loaded from editions/NAME/edition.toml (or editions/NAME.toml), with
    the tool's templates."""
    editions = tmp_path / "editions"
    path = editions / name / "edition.toml" if folder else editions / f"{name}.toml"
    write(path, text)
    return config.load_edition(path, {"gr", "pol", "de", "rs"},
                               Path(__file__).resolve().parent.parent / "templates")


def refusal(tmp_path: Path, text: str) -> list[tuple[str, int | None, str | None]]:
    """(message, line, hint) of each problem of the edition `text`."""
    with pytest.raises(BookError) as raised:
        edition_in(tmp_path, text)
    return [(e.message, e.line, e.hint) for e in getattr(raised.value, "errors", [raised.value])]


def test_an_edition_in_a_folder_is_named_by_its_folder_and_keeps_it(tmp_path):
    edition = edition_in(tmp_path, EDITION)
    assert (edition.name, edition.filename, edition.folder) == ("c10", "c10",
                                                                tmp_path / "editions" / "c10")
    assert edition.own_templates == tmp_path / "editions" / "c10" / "templates"
    alone = edition_in(tmp_path, EDITION, "single", folder=False)
    assert (alone.name, alone.folder, alone.own_templates) == ("single", None, None)


def test_an_edition_takes_every_shared_entry_makes_a_students_copy_and_rules_no_lines(tmp_path):
    edition = edition_in(tmp_path, EDITION)
    assert (edition.shared_questions, edition.shared_glossary) == (True, True)
    assert (edition.copies, edition.copy, edition.answer_lines) == (("student",), "student", 0)
    assert not edition.for_teacher


def test_the_shared_copies_and_answer_lines_keys_are_read(tmp_path):
    edition = edition_in(tmp_path, EDITION + 'copies = ["teacher", "student"]\n'
                         "[questions]\nanswer_lines = 7\n"
                         '[shared]\nquestions = ["gr-q1", "pol-q1"]\nglossary = false\n')
    assert edition.copies == ("teacher", "student")
    assert edition.answer_lines == 7
    assert edition.shared_questions == ("gr-q1", "pol-q1") and edition.shared_glossary is False
    edition = edition_in(tmp_path, EDITION + "[shared]\nquestions = false\nglossary = true\n")
    assert (edition.shared_questions, edition.shared_glossary) == (False, True)


@pytest.mark.parametrize("lines", [0, config.MAX_ANSWER_LINES])
def test_answer_lines_may_be_none_up_to_the_most(tmp_path, lines):
    edition = edition_in(tmp_path, EDITION + f"[questions]\nanswer_lines = {lines}\n")
    assert edition.answer_lines == lines


@pytest.mark.parametrize("value", [-1, config.MAX_ANSWER_LINES + 1])
def test_answer_lines_out_of_bounds_are_refused_at_their_line(tmp_path, value):
    text = EDITION + f'subtitle = "x"\n\n[questions]\nanswer_lines = {value}\n'
    assert refusal(tmp_path, text) == [
        (f"answer_lines = {value} is not a number of lines to write on",
         text.split("\n").index(f"answer_lines = {value}") + 1,
         f"from 0 to {config.MAX_ANSWER_LINES}")]


def test_true_is_no_number_of_lines(tmp_path):
    text = EDITION + "[questions]\nanswer_lines = true\n"
    [(message, line, hint)] = refusal(tmp_path, text)
    assert message == "'answer_lines' in [questions] must be a whole number, not true or false"
    assert line == 5 and hint == "answer_lines: " + config.SCHEMA["questions"]["answer_lines"].doc


@pytest.mark.parametrize("copies, message", [
    ('["student", "techer"]', "unknown copy 'techer'"),
    ("[]", "'copies' must name each copy once, at least one"),
    ('["teacher", "teacher"]', "'copies' must name each copy once, at least one"),
])
def test_copies_that_cannot_be_made_are_refused_at_their_line(tmp_path, copies, message):
    text = EDITION + f"copies = {copies}\n"
    [(said, line, hint)] = refusal(tmp_path, text)
    assert (said, line) == (message, 4)
    assert (hint == 'copies: "student" and/or "teacher", such as copies = ["student", '
            '"teacher"]') == message.startswith("unknown")


@pytest.mark.parametrize("shared, message", [
    ('questions = "all"', "'questions' in [shared] must be true or false or a list, not text"),
    ("glossary = 1", "'glossary' in [shared] must be true or false or a list, not a number"),
    ('glossary = ["a", 1]', "'glossary' in [shared] must be a list of text values"),
])
def test_a_shared_key_of_another_kind_is_refused_at_its_line_in_its_table(tmp_path, shared,
                                                                          message):
    key = shared.split()[0]
    # The same key at the top of the file is not the one named.
    text = EDITION.replace('title = "Class 10"', 'title = "Class 10"\nsections = ["contents", '
                           '"questions", "glossary", "notes"]') + f"\n[shared]\n{shared}\n"
    [(said, line, hint)] = refusal(tmp_path, text)
    assert (said, line) == (message, len(text.split("\n")) - 1)
    assert hint == f"{key}: " + config.SCHEMA["shared"][key].doc


def test_an_unknown_key_in_shared_is_named_with_the_nearest(tmp_path):
    text = EDITION + "[shared]\nquestion = true\n"
    assert refusal(tmp_path, text) == [
        ("unknown key 'question' in [shared]", 5,
         "did you mean 'questions'? allowed: questions, glossary")]


def test_a_table_given_as_a_value_is_located_at_its_header(tmp_path):
    text = EDITION + "\n[shared]\nquestions = true\n"
    # [shared] as a header is a table; given twice, or as text, it is no table.
    [(message, line, _)] = refusal(tmp_path, text.replace("[shared]\nquestions = true",
                                                          'shared = "all"'))
    assert (message, line) == ("'shared' must be a mapping, not text", 5)


@pytest.mark.parametrize("source, key, table, line", [
    ('a = 1\n\n[shared]\nquestions = true\n', "shared", None, 3),
    ('a = 1\n[page]\nsize = "A4"\n[shared]\nquestions = true\n', "questions", "shared", 5),
    ('questions = 1\n[shared]\nglossary = true\n', "questions", "shared", None),
    ('[shared]\nglossary = true\n', "questions", "shared", None),
    ('a = 1\nshared = { questions = true }\nb = 2\n\n', "questions", "shared", 2),
    ('\nshared = { questions = true }\n', "questions", "shared", 2),
    ('title = "x"\n', "title", None, 1),
    ('\ntitle = "x"\n', "title", None, 2),
    ('[shared]\nglossary = true\n[questions]\n', "questions", "shared", None),
    ('a = 1\n', "questions", "shared", None),
    ('a = 1\n  [shared]  \n  questions=true\n', "questions", "shared", 3),
    # A blank line above a key is not its line.
    ('a = 1\n\n\nb = 2\n', "b", None, 4),
    ('a = 1\n\n[page]\n\nsize = "A4"\n', "size", "page", 5),
    ('a = 1\n[shared.more]\nquestions = true\n', "questions", "shared", None),
    # Spaces inside a header's brackets, a comment after it: TOML allows both.
    ('a = 1\n[ shared ]\nquestions = true\n', "questions", "shared", 3),
    ('[page]  # the paper\nsize = "A4"\n', "size", "page", 2),
    ('a = 1\n[ styles ]\n', "styles", None, 2),
    # A key of a later table is not the table's.
    ('[page]\nsize = "A4"\n[style]\nmargins = 1\n', "margins", "page", None),
    # A key that is a table: dotted, or a table of its own, with or without its parent's.
    ('[page]\nsize = "A4"\nmargins.top = "9mm"\n', "margins", "page", 3),
    ('[page]\nsize = "A4"\n\n[page.margins]\ntop = "9mm"\n', "margins", "page", 4),
    ('a = 1\n[ page.margins ]\ntop = "9mm"\n', "margins", "page", 2),
])
def test_a_key_is_found_at_its_line_in_its_table(source, key, table, line):
    assert config.key_line(source, key, table) == line


@pytest.mark.parametrize("size, near", [("A44", "A4"), ("leter", "letter"), ("a5 landscap", "A5"),
                                        ("tabloid", None), ("B55", "B5")])
def test_a_page_size_not_known_is_named_with_the_nearest_known_one(tmp_path, size, near):
    text = EDITION + f'[page]\nsize = "{size}"\n'
    [(message, line, hint)] = refusal(tmp_path, text)
    said = config.canonical_size(size)
    assert message == f"page size {said!r} is not a paper size this tool knows" + (
        f" (did you mean {near!r}?)" if near else "")
    assert line == 5 and hint.startswith("use A3, A4, A5")


def write_editions(tmp_path: Path, *names: str) -> Path:
    """editions/ holding each of `names`: "x.toml", a folder "x/" (with "x/edition.toml") or
    another file."""
    editions = tmp_path / "editions"
    editions.mkdir()
    for name in names:
        if name.endswith("/"):
            (editions / name).mkdir(parents=True)
        else:
            write(editions / name, EDITION)
    return editions


def test_edition_files_are_the_toml_files_and_the_folders_edition_files_by_name(tmp_path):
    editions = write_editions(tmp_path, "b.toml", "a/edition.toml", "c/edition.toml",
                              "c/templates/x.toml", "notes.txt", "README",
                              "v1.2/edition.toml", "v1.toml", ".git/", ".git/config.toml",
                              ".hidden.toml")
    found = [p.relative_to(editions).as_posix() for p in config.edition_files(editions)]
    # A hidden file named .toml is an edition file like any: its name is then refused.
    assert found == [".hidden.toml", "a/edition.toml", "b.toml", "c/edition.toml",
                     "v1.2/edition.toml", "v1.toml"]
    assert config.edition_files(tmp_path / "none") == []


def test_a_folder_without_an_edition_file_is_refused(tmp_path):
    editions = write_editions(tmp_path, "a.toml", "stray/", "b/notes.toml")
    with pytest.raises(BookError) as raised:
        config.edition_files(editions)
    assert [(e.message, e.path, e.hint) for e in raised.value.errors] == [
        (f"the folder editions/{name}/ holds no edition.toml", editions / name,
         f"an edition in a folder of its own has its keys in editions/{name}/edition.toml: "
         "move the edition file there, or remove the folder; `python build.py new-edition "
         "NAME` starts one") for name in ("b", "stray")]


def test_two_editions_of_one_name_are_refused_at_the_second(tmp_path):
    editions = write_editions(tmp_path, "c10.toml", "c10/edition.toml", "d.toml")
    with pytest.raises(ConfigError) as raised:
        config.edition_files(editions)
    assert (raised.value.message, raised.value.path, raised.value.hint) == (
        "two editions are named 'c10': this one and editions/c10/edition.toml",
        editions / "c10.toml", "keep one of them, or rename the other")


def test_the_teachers_copy_has_its_own_file_name_and_identifier(tmp_path):
    edition = edition_in(tmp_path, EDITION + 'copies = ["student", "teacher"]\n')
    student, teacher = config.copies_of(edition)
    assert student is edition
    assert (teacher.copy, teacher.filename, teacher.for_teacher) == ("teacher", "c10-teacher",
                                                                      True)
    assert dataclasses.replace(teacher, copy="student", filename="c10",
                               identifier=edition.identifier) == edition
    assert teacher.identifier != edition.identifier
    assert uuid.UUID(teacher.identifier.removeprefix("urn:uuid:")).version == 5
    # Derived, not random: the same on every build, and another edition's differs.
    again = config.copies_of(edition_in(tmp_path, EDITION + 'copies = ["teacher"]\n'))
    assert [c.identifier for c in again] == [teacher.identifier]
    other = edition_in(tmp_path, EDITION + 'copies = ["teacher"]\n', name="c11")
    assert config.copies_of(other)[0].identifier not in (teacher.identifier, other.identifier)


# --- book/make.py: an edition's own content, and what a book takes --------------------------

OWN_QUESTIONS = """\
gr:
  - id: c10-gr
    about: [gr-2]
    en: Whose two powers?
pol:
  - id: c10-pol
    en: Who wrote this?
"""
OWN_GLOSSARY = """\
- id: c10-duma
  kind: institution
  texts: [gr]
  forms: {en: Duma}
  gloss: {en: An assembly.}
"""


def teachers(project: Path, shared: str = "", questions: str = OWN_QUESTIONS,
             glossary: str | None = OWN_GLOSSARY) -> Path:
    """editions/c10/, printing every text of the fixture but rs, with `shared` under its
    [shared] and its own questions and glossary (none if None)."""
    folder = project / "editions" / "c10"
    write(folder / "edition.toml", 'title = "Class 10"\nlanguage = "en"\n'
          'texts = ["gr", "pol", "de"]\nsections = ["contents", "questions", "glossary"]\n'
          f"\n[shared]\n{shared}\n")
    write(folder / "questions.yaml", questions)
    if glossary is not None:
        write(folder / "glossary.yaml", glossary)
    return folder


def found_in(gathered) -> list[tuple[str, str, str, int | None, str | None]]:
    """Each finding; an edition file's under the code "edition", a data file's under its own."""
    items = gathered.findings.items
    assert all(f.code == ("edition" if f.path.suffix == ".toml" else f.path.stem)
               for f in items), items
    return [(f.level, f.message, f.path.name, f.line, f.hint) for f in items]


def test_an_editions_own_content_is_its_own(fixture_project):
    folder = teachers(fixture_project)
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == []
    assert [q.id for q in gathered.own_questions["c10"]] == ["c10-gr", "c10-pol"]
    assert [e.id for e in gathered.own_glossary["c10"]] == ["c10-duma"]
    assert {q.source for q in gathered.own_questions["c10"]} == {folder / "questions.yaml"}
    # The other editions have none of their own, and the shared files have none of these.
    assert set(gathered.own_questions) == set(gathered.own_glossary) == {"c10"}
    assert not {q.id for q in gathered.questions} & {"c10-gr", "c10-pol"}


def test_an_edition_without_its_own_files_has_none(fixture_project):
    folder = teachers(fixture_project, glossary=None)
    (folder / "questions.yaml").unlink()
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == []
    assert gathered.own_questions == {"c10": []} and gathered.own_glossary == {"c10": []}


@pytest.mark.parametrize("what, taken, near", [
    ("questions", '["gr-q2", "pol-q1"]', "gr-q1"),
    ("glossary", '["congres"]', "congress"),
    ("questions", '["nothing-of-the-kind"]', None),
])
def test_a_shared_id_that_is_not_there_is_named_at_its_line(fixture_project, what, taken, near):
    folder = teachers(fixture_project, f"glossary = true\nquestions = true\n{what} = {taken}"
                      .replace(f"{what} = true\n", ""))
    missing = taken.strip('[]"').split('"')[0]
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("error", f"[shared] {what}: sources/{what}.yaml has no entry {missing!r}"
         + (f" (did you mean {near!r}?)" if near else ""), "edition.toml",
         lines_of(folder / "edition.toml", f"{what} = ["),
         f"name the ids of sources/{what}.yaml, or write true to take them all")]


@pytest.mark.parametrize("shared, clash", [
    ("", True), ("questions = true", True), ('questions = ["pol-q1"]', True),
    ('questions = ["gr-q1"]', False), ("questions = false", False),
])
def test_an_own_id_may_not_be_a_shared_one_the_edition_takes(fixture_project, shared, clash):
    folder = teachers(fixture_project, shared, OWN_QUESTIONS.replace("c10-pol", "pol-q1"))
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == ([
        ("error", "the id 'pol-q1' is also the id of an entry of sources/questions.yaml that "
         "the edition takes", "questions.yaml", lines_of(folder / "questions.yaml", "pol-q1"),
         "give this one an id of its own, such as 'c10-pol-q1'")] if clash else [])


def test_an_own_glossary_id_may_not_be_a_shared_one_the_edition_takes(fixture_project):
    folder = teachers(fixture_project, glossary="- id: x\n  kind: person\n  texts: [gr]\n"
                      "  forms: {en: X}\n  gloss: {en: Y.}\n" + OWN_GLOSSARY.replace(
                          "c10-duma", "congress"))
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("error", "the id 'congress' is also the id of an entry of sources/glossary.yaml that "
         "the edition takes", "glossary.yaml", lines_of(folder / "glossary.yaml", "congress"),
         "give this one an id of its own, such as 'c10-congress'")]


def test_an_own_question_on_a_text_the_edition_does_not_print_is_named(fixture_project):
    folder = teachers(fixture_project, questions=OWN_QUESTIONS + "rs:\n  - id: c10-rs\n"
                      "    en: And this one?\n")
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("warning", "question c10-rs is on the rs text, which the c10 edition does not print",
         "questions.yaml", lines_of(folder / "questions.yaml", "c10-rs"),
         "add 'rs' to the edition's texts, or delete it")]


def test_a_straight_apostrophe_in_a_teachers_wording_is_a_warning_at_its_line(fixture_project):
    folder = teachers(fixture_project, glossary=OWN_GLOSSARY.replace(
        "{en: An assembly.}", "{en: The workers' assembly.}"))
    gathered = gather(Project(fixture_project))
    assert [(f.level, f.message, f.path.name, f.line) for f in gathered.findings.items
            if f.code == "wording"] == [
        ("warning", "the gloss of glossary entry c10-duma in 'en' writes a straight ' («The "
         "workers' assembly.»)", "glossary.yaml", lines_of(folder / "glossary.yaml", "gloss:"))]


def test_the_words_of_an_edition_file_are_told_what_its_wordings_are(fixture_project):
    # The title page prints the class line as written: "<b>" and a typed apostrophe too.
    folder = teachers(fixture_project)
    edition = folder / "edition.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'title = "Class 10"\n', 'title = "Class 10"\nclass_line = "Mrs O\'Brien <b>9B</b>"\n'),
        encoding="utf-8")
    gathered = gather(Project(fixture_project))
    line = lines_of(edition, "class_line")
    assert [(f.level, f.message, f.path.name, f.line) for f in gathered.findings.items] == [
        ("warning", "the edition's class_line in 'en' writes a straight ' («Mrs O'Brien <b>9B"
         "</b>»)", "edition.toml", line),
        ("warning", "the edition's class_line holds markup, «<b>», which the books print as "
         "written", "edition.toml", line)]


def test_a_straight_apostrophe_is_placed_at_the_line_of_its_language(fixture_project):
    folder = teachers(fixture_project, questions=OWN_QUESTIONS.replace(
        "    en: Who wrote this?\n", "    en: Who wrote this?\n    answer:\n"
        "      pl: Autor.\n      en: The author's friend.\n"))
    gathered = gather(Project(fixture_project))
    assert [(f.message, f.path.name, f.line) for f in gathered.findings.items
            if f.code == "wording"] == [
        ("the answer to question c10-pol in 'en' writes a straight ' («The author's friend.»)",
         "questions.yaml", lines_of(folder / "questions.yaml", "en: The author"))]


@pytest.mark.parametrize(("written", "markup"), [("A *general* whose", "*general*"),
                                                 ("A <b>general</b> whose", "<b>")])
def test_markup_in_a_gloss_is_said_to_print_as_written(fixture_project, written, markup):
    folder = teachers(fixture_project, glossary=OWN_GLOSSARY.replace(
        "  gloss: {en: An assembly.}", f"  gloss:\n    pl: Zgromadzenie.\n    en: {written}"))
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("warning", f"glossary entry c10-duma (gloss: en) holds markup, «{markup}», which the "
         "books print as written", "glossary.yaml", lines_of(folder / "glossary.yaml",
                                                             f"en: {written}"),
         "write the words plainly")]


def test_an_own_glossary_entry_for_texts_the_edition_does_not_print_is_named(fixture_project):
    folder = teachers(fixture_project, glossary=OWN_GLOSSARY + "- id: c10-cheka\n"
                      "  kind: institution\n  texts: [rs]\n  forms: {en: Cheka}\n"
                      "  gloss: {en: A police.}\n")
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("warning", "glossary entry c10-cheka is for the rs text, which the c10 edition does "
         "not print: it would print the entry nowhere", "glossary.yaml",
         lines_of(folder / "glossary.yaml", "c10-cheka"), "add one of its texts to the "
         "edition's texts, or the edition's texts to its texts:, or delete it")]


def book_of(project: Path, name: str):
    gathered = gather(Project(project))
    edition = next(e for e in gathered.editions if e.name == name)
    return make.book_for(edition, gathered, template_search_path(project, edition.templates,
                                                                 edition.own_templates))


@pytest.mark.parametrize("shared, questions, glossary", [
    ("", ["gr-q1", "pol-q1", "de-q1", "c10-gr", "c10-pol"], ["c10-duma", "congress"]),
    ('questions = ["pol-q1"]\nglossary = false', ["pol-q1", "c10-gr", "c10-pol"], ["c10-duma"]),
    ("questions = false\nglossary = []", ["c10-gr", "c10-pol"], ["c10-duma"]),
])
def test_a_book_takes_the_shared_entries_its_edition_names_and_its_own(
        fixture_project, shared, questions, glossary):
    teachers(fixture_project, shared, glossary=OWN_GLOSSARY.replace("Duma", "Aardvark duma"))
    book = book_of(fixture_project, "c10")
    assert [q.id for q in book.questions] == questions
    # The glossary is in the order of its terms, whatever their files.
    assert [e.id for e in book.glossary] == glossary
    # Another edition takes the shared ones, and none of c10's.
    mini = book_of(fixture_project, "mini")
    assert [q.id for q in mini.questions] == ["gr-q1", "pol-q1", "de-q1"]
    assert [e.id for e in mini.glossary] == ["congress"]


def test_a_book_takes_only_the_entries_on_its_texts_in_their_order(fixture_project):
    teachers(fixture_project, glossary=OWN_GLOSSARY.replace("Duma", "Zemstvo").replace(
        "[gr]", "[rs]") + OWN_GLOSSARY.replace("c10-duma", "c10-a").replace("Duma", "Assembly"))
    edit(fixture_project, "editions/c10/edition.toml", '"pol", "de"]', '"pol", "de", "rs"]')
    edit(fixture_project, "editions/c10/edition.toml", '"glossary"]', '"glossary", "notes"]')
    book = book_of(fixture_project, "c10")
    assert [e.id for e in book.glossary] == ["c10-a", "congress", "c10-duma"]
    edit(fixture_project, "editions/c10/edition.toml", '["gr", "pol", "de", "rs"]', '["gr"]')
    book = book_of(fixture_project, "c10")
    assert [q.id for q in book.questions] == ["gr-q1", "c10-gr"]
    assert [e.id for e in book.glossary] == ["c10-a"]


def test_a_book_without_questions_or_glossary_takes_none(fixture_project):
    teachers(fixture_project)
    edit(fixture_project, "editions/c10/edition.toml", '"questions", "glossary"', '"notes"')
    book = book_of(fixture_project, "c10")
    assert book.questions == () and book.glossary == ()


# --- book/files.py: an edition's own templates ------------------------------------------------


def own_templates(project: Path, theme: str = "classroom") -> files.TemplateFolders:
    own = project / "editions" / "c10" / "templates"
    write(own / "css" / "custom.css", "p {}")
    return template_search_path(project, theme, own)


def test_a_file_of_an_editions_own_templates_stays_in_its_folder(fixture_project):
    folders = own_templates(fixture_project)
    own = fixture_project / "editions" / "c10" / "templates"
    assert folders.root_of(own / "css" / "custom.css") == own.resolve()
    theme = fixture_project / "templates" / "classroom" / "css" / "theme.css"
    assert folders.root_of(theme) == (fixture_project / "templates").resolve()
    # Beside the edition's templates is not in them.
    assert folders.root_of(own.parent / "edition.toml") == (fixture_project / "templates"
                                                              ).resolve()
    plain = template_search_path(fixture_project, "classroom")
    assert plain.root_of(theme) == (fixture_project / "templates").resolve()


def test_the_folders_are_shown_as_the_project_names_them(fixture_project, tmp_path):
    folders = own_templates(fixture_project)
    assert folders.shown() == "editions/c10/templates/, templates/classroom/, templates/base/"
    assert folders.shown([folders[2]]) == "templates/base/"
    # A folder outside the project is shown by its name alone.
    assert folders.shown([tmp_path / "elsewhere"]) == "elsewhere/"


def test_a_theme_named_is_the_themes_folder_never_the_editions_own(fixture_project):
    folders = own_templates(fixture_project)
    assert folders.named("classroom").folders == [fixture_project / "templates" / "classroom"]
    assert folders.named("templates").folders == []
    assert folders.named("classroom").root == folders.root


@pytest.mark.parametrize("toml, message, hint", [
    ("[page]\nsize = 'A4'\n[page]\n", "the table [page] is there twice",
     "write its keys under the first [page] and delete this one"),
    ('title = "1917\n', "a text value is not closed on its line",
     'end it with the same quote it starts with: title = "1917"'),
    ('title = "a"\ntitle = "b"\n', "this key is given twice", "keep one of the two lines"),
    ("title = nonsense\n", "this value is neither text in quotes, a number, true or false, nor a "
     "list", 'put text in quotes: size = "A5"'),
    ("[page\n", "a table's name is not closed with ]", "write it as [page]"),
    ("title = 1917a\n", "not valid TOML: Expected newline or end of document after a "
     "statement", None),
])
def test_a_toml_mistake_is_said_in_the_words_of_the_file(toml, message, hint):
    import tomllib

    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomllib.loads(toml)
    said, told = files._toml_in_words(str(raised.value))
    assert (said, told) == (message, hint)


def test_a_list_without_its_brackets_is_told_them(tmp_path):
    with pytest.raises(ConfigError) as caught:
        files.parse_toml('title = "x"\ntexts = "ru", "el"\n', tmp_path / "e.toml", "general")
    assert (caught.value.message, caught.value.line, caught.value.hint) == (
        "a list of values is written in brackets", 2, 'write texts = ["ru", "el"]')


@pytest.mark.parametrize(("line", "hint"), [
    ("worksheet = yes", "write true or false: worksheet = true"),
    ("crop_marks = Off", "write true or false: crop_marks = false"),
    ("teacher = “Ms Anna Nowak”",
     'write straight quotes, not a word processor\'s: teacher = "Ms Anna Nowak"'),
    ("title = nonsense  # a comment", 'put text in quotes: title = "nonsense"'),
    ("mirrored = True", "write true in lower case, without quotes"),
])
def test_a_value_toml_cannot_read_is_told_how_to_write_it(tmp_path, line, hint):
    with pytest.raises(ConfigError) as caught:
        files.parse_toml(f'title = "x"\n{line}\n', tmp_path / "e.toml", "the general hint")
    assert (caught.value.message, caught.value.line, caught.value.hint) == (
        "this value is neither text in quotes, a number, true or false, nor a list", 2, hint)


# --- book/model.py -----------------------------------------------------------------------------


def test_an_edition_takes_all_none_or_the_named_shared_entries(tmp_path):
    edition = edition_in(tmp_path, EDITION)
    assert edition.takes(True, "a") and not edition.takes(False, "a")
    assert edition.takes(("a", "b"), "b") and not edition.takes(("a", "b"), "c")
    assert not edition.takes((), "a")


def test_only_the_teachers_copy_is_for_the_teacher(tmp_path):
    edition = edition_in(tmp_path, EDITION)
    assert not edition.for_teacher
    assert dataclasses.replace(edition, copy="teacher").for_teacher


@pytest.mark.parametrize("numbers, count, by_number", [
    (True, 2, True), (True, 5, True), (True, 1, False), (False, 2, False), (False, 1, False)])
def test_a_passage_is_pointed_to_by_number_where_the_edition_numbers_more_than_one(
        tmp_path, fixture_book, numbers, count, by_number):
    from book.model import Book

    edition = dataclasses.replace(edition_in(tmp_path, EDITION), paragraph_numbers=numbers)
    text = more_paragraphs(fixture_book.texts["gr"], count)
    assert Book(edition).by_number(text) is by_number


def test_a_book_is_written_in_its_apparatus_texts_and_cited_works_languages_once_each(
        tmp_path, fixture_book):
    from book.model import Book

    edition = dataclasses.replace(edition_in(tmp_path, EDITION), language="pl")
    texts = (fixture_book.texts["gr"], fixture_book.texts["rs"], fixture_book.texts["gr"])
    works = tuple(SimpleNamespace(language=lang) for lang in ("uk", None, "pl", "uk"))
    assert Book(edition, texts, works).written_in == ("pl", "el", "ru", "uk")


def test_every_name_used_twice_is_refused(tmp_path):
    editions = write_editions(tmp_path, "a.toml", "a/edition.toml", "b.toml", "b/edition.toml")
    with pytest.raises(BookError) as raised:
        config.edition_files(editions)
    assert [e.path for e in raised.value.errors] == [editions / "a.toml", editions / "b.toml"]


def test_a_missing_key_is_named_with_what_it_is(tmp_path):
    assert refusal(tmp_path, EDITION.replace('title = "Class 10"\n', "")) == [
        ("missing key 'title'", None, f"add title = … ({config.SCHEMA[None]['title'].doc})")]


def test_every_key_of_a_table_is_checked_at_its_line_in_that_table(tmp_path):
    text = EDITION + ("[page]\nquestion = 1\nglossary = 2\n[shared]\nquestion = true\n"
                      "glossary = 3\nquestions = [1]\n")
    at = text.split("\n").index
    assert [(m, n) for m, n, _ in refusal(tmp_path, text)] == [
        ("unknown key 'question' in [page]", at("question = 1") + 1),
        ("unknown key 'glossary' in [page]", at("glossary = 2") + 1),
        ("unknown key 'question' in [shared]", at("question = true") + 1),
        ("'glossary' in [shared] must be true or false or a list, not a number",
         at("glossary = 3") + 1),
        ("'questions' in [shared] must be a list of text values", at("questions = [1]") + 1)]


def test_an_unknown_key_at_the_top_is_named_with_the_keys_there(tmp_path):
    [(message, line, hint)] = refusal(tmp_path, EDITION + "copy = []\n")
    assert (message, line) == ("unknown key 'copy'", 4)
    assert hint == "did you mean 'copies'? allowed: " + ", ".join(config.SCHEMA[None])
    [(message, _, hint)] = refusal(tmp_path, EDITION + "zzz = 1\n")
    assert hint == "allowed: " + ", ".join(config.SCHEMA[None])


# --- book/scaffold.py: new-edition ------------------------------------------------------------


def started(project: Path, name: str = "c10", source: str = "mini") -> dict[str, str]:
    """`new-edition NAME --from SOURCE`: each file it wrote, by its path in the folder."""
    written = scaffold.new_edition(project, name, source)
    folder = project / "editions" / name
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in written}


def test_a_new_edition_starts_from_another_with_copies_lines_and_shared(fixture_project):
    made = started(fixture_project)
    assert sorted(made) == ["edition.toml", "glossary.yaml", "questions.yaml",
                            "templates/css/custom.css", "templates/parts/title_page.html"]
    edition = config.load_edition(fixture_project / "editions" / "c10" / "edition.toml",
                                  None, fixture_project / "templates")
    mini = config.load_edition(fixture_project / "editions" / "mini.toml", None,
                               fixture_project / "templates")
    assert (edition.name, edition.filename, edition.copies) == ("c10", "c10",
                                                                ("student", "teacher"))
    assert (edition.texts, edition.title, edition.sections) == (mini.texts, mini.title,
                                                                mini.sections)
    assert edition.answer_lines > 0 and edition.shared_questions is True
    assert made["edition.toml"].startswith("# Edition c10, started from editions/mini.toml")
    # The examples name the edition, its first text and a paragraph of it.
    first = mini.texts[0]
    assert f"# {first}:" in made["questions.yaml"] and "id: c10-1" in made["questions.yaml"]
    assert "texts: [gr]" in made["glossary.yaml"] and "c10-soviet" in made["glossary.yaml"]
    assert '{% extends "base:parts/title_page.html" %}' in made["templates/parts/title_page.html"]


def test_a_new_edition_keeps_the_keys_its_source_gives(fixture_project):
    write(fixture_project / "editions" / "src.toml", EDITION.replace('"pol"]', '"pol"]\n'
          'copies = ["teacher"]\ntemplates = "classroom"\nfilename = "old"') +
          "\n[questions]\nanswer_lines = 9\n\n[shared]\nglossary = false\n")
    made = started(fixture_project, "c11", "src")
    text = made["edition.toml"]
    assert text.count("copies =") == 1 and text.count("[questions]") == 1
    assert text.count("[shared]") == 1 and text.count("filename =") == 1
    edition = config.load_edition(fixture_project / "editions" / "c11" / "edition.toml",
                                  None, fixture_project / "templates")
    assert (edition.copies, edition.answer_lines, edition.shared_glossary) == (
        ("teacher",), 9, False)
    assert (edition.filename, edition.templates) == ("c11", "classroom")
    # The title page extends the one of the theme that has it.
    theme = "classroom" if (fixture_project / "templates" / "classroom" / "parts" /
                            "title_page.html").exists() else "base"
    assert f'{{% extends "{theme}:parts/title_page.html" %}}' in made[
        "templates/parts/title_page.html"]
    assert "pol-1" not in made["questions.yaml"] and "about: [gr-1]" in made["questions.yaml"]


def test_a_new_edition_of_no_questions_makes_no_teachers_copy(fixture_project):
    # The teacher's copy would be the student's: there are no answers to add.
    started(fixture_project, "c11", "mini-pl")
    edition = config.load_edition(fixture_project / "editions" / "c11" / "edition.toml",
                                  None, fixture_project / "templates")
    assert edition.copies == ("student", "teacher")  # mini-pl prints questions
    write(fixture_project / "editions" / "src.toml", EDITION)  # the default sections
    text = started(fixture_project, "c12", "src")["edition.toml"]
    edition = config.load_edition(fixture_project / "editions" / "c12" / "edition.toml",
                                  None, fixture_project / "templates")
    assert edition.copies == ("student",)
    assert '# copies = ["student", "teacher"]' in text


def test_a_new_edition_adds_its_copies_before_the_first_table(fixture_project):
    write(fixture_project / "editions" / "src.toml", EDITION + '\n[page]\nsize = "A4"\n')
    text = started(fixture_project, "c11", "src")["edition.toml"]
    assert text.index("copies =") < text.index("[page]") < text.index("[questions]")
    assert text.index('filename = "c11"') < text.index("[page]")


@pytest.mark.parametrize("name, source, message, hint", [
    ("Bad", "mini", "'Bad' cannot name an edition", "use at most 64 lower-case letters, "
     "digits and '-', e.g. my-class"),
    ("base", "mini", "'base' cannot name an edition", None),
    ("locales", "mini", "'locales' cannot name an edition", None),
    ("c10", "minni", "no edition named 'minni' to start from (did you mean 'mini'?)",
     "editions: mini, mini-pl"),
    ("c10", "reader", "no edition named 'reader' to start from", "editions: mini, mini-pl"),
    ("c10", "../mini", "no edition named '../mini' to start from (did you mean 'mini'?)",
     "editions: mini, mini-pl"),
    ("mini", "mini", "editions/mini.toml already exists", "choose another name, or edit the "
     "existing edition"),
])
def test_a_new_edition_that_cannot_be_is_refused(fixture_project, name, source, message, hint):
    with pytest.raises(ConfigError) as raised:
        scaffold.new_edition(fixture_project, name, source)
    assert raised.value.message == message
    assert hint is None or raised.value.hint == hint
    assert not (fixture_project / "editions" / name).exists()


def test_a_new_edition_does_not_take_a_folders_name(fixture_project):
    started(fixture_project)
    with pytest.raises(ConfigError) as raised:
        scaffold.new_edition(fixture_project, "c10", "mini")
    assert raised.value.message == "editions/c10 already exists"


def test_an_editions_own_files_are_read_as_its_own(fixture_project):
    # Its glossary needs no English; its questions may name no editions.
    folder = teachers(fixture_project, "glossary = true\n\nquestions = true",
                      OWN_QUESTIONS + "    editions: [mini]\n",
                      OWN_GLOSSARY.replace("{en: Duma}", "{pl: Duma}"))
    gathered = gather(Project(fixture_project))
    assert found_in(gathered) == [
        ("error", "question c10-pol: the questions in this file are the c10 edition's own, and "
         "no other's", "questions.yaml", lines_of(folder / "questions.yaml", "editions:"),
         "delete the 'editions' line; a question for several editions goes in "
         "sources/questions.yaml")]
    assert [e.id for e in gathered.own_glossary["c10"]] == ["c10-duma"]
