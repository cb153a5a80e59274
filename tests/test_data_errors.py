"""Bad data files and source headers: each mistake is a message at its file and line with a
hint, from `check` and from a build, never a traceback and never accepted in silence."""

from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path

import pytest
from helpers import edit, line_of, run

from book import limits
from book.cli import main

GREEK = "sources/gr-test.md"
DATA_FILES = ["sources/bibliography.yaml", "sources/citations.yaml", "sources/chronology.yaml",
              "sources/questions.yaml", "sources/glossary.yaml"]








def assert_refused(project: Path, tmp_path: Path, where: str, *words: str) -> str:
    """`check` and an EPUB build both fail, naming `where` ("path:line") and `words`, with a
    hint and no traceback, and the build writes nothing."""
    out = tmp_path / "out"
    printed = ""
    for argv in (["check"], ["epub", "--edition", "mini", "--out", str(out)]):
        code, printed = run(project, *argv)
        assert code == 1, (argv, printed)
        assert f"{where}:" in printed, (where, printed)
        message = next(line for line in printed.split("\n") if line.startswith(f"{where}:"))
        for word in words:
            assert word in message, (word, message)
        assert "hint:" in printed
        assert "Traceback" not in printed
    assert not out.exists() or not any(out.rglob("*.*")), list(out.rglob("*"))
    return printed


# 1. Each key of a source's header has its declared type.
HEADER_TYPES = {
    "remarks as a number": ("remarks:\n", "remarks: 5\nx_remarks:\n", "remarks: 5",
                            "'remarks' must be a list, not a number"),
    "authors as a list": ("author: Άννα Δοκιμή", "author: [A, B]", "author:",
                          "'author' must be text, not a list"),
    "published as a mapping": ("published: 2011-10", "published: {a: 1}", "published:",
                               "'published' must be text or a whole number, not a mapping"),
    "title as a list": ("title: Δοκιμαστικό κείμενο", "title: [a, b]", "title:",
                        "'title' must be text, not a list"),
    "id as a list": ("id: gr", "id: [gr]", "id:", "'id' must be text, not a list"),
    "lang as a mapping": ("lang: el", "lang: {el: 1}", "lang:", "'lang' must be text"),
    "published_in as a list": ("published: 2011-10", "published: 2011-10\npublished_in: [a]",
                               "published_in:", "'published_in' must be text, not a list"),
    "reposted as a mapping": ("published: 2011-10", "published: 2011-10\nreposted: {a: 1}",
                              "reposted:", "'reposted' must be text or a whole number"),
    "original as a list": ("original: originals/gr.txt", "original: [originals/gr.txt]",
                           "original:", "'original' must be text, not a list"),
    "title_editorial as text": ("title_editorial: false", "title_editorial: no way",
                                "title_editorial:", "'title_editorial' must be true or false"),
    "published not a date": ("published: 2011-10", "published: last year", "published:",
                             "published 'last year' is not a date"),
    # The notes on the texts print it: a day the calendar does not have is no date.
    "published on a day there never was": ("published: 2011-10", "published: 2016-02-30",
                                           "published:", "published '2016-02-30' is not a date"),
    "reposted in a thirteenth month": ("published: 2011-10", "published: 2011-10\n"
                                       "reposted: 2016-13", "reposted:",
                                       "reposted '2016-13' is not a date"),
    "a required key left empty": ("title: Δοκιμαστικό κείμενο", "title:", "title:",
                                  "'title' has no value"),
    # Text with no words in it would print an empty heading ("[]" for an editor's title).
    "a title that is blank": ("title: Δοκιμαστικό κείμενο", "title: ' '", "title:",
                              "the metadata key 'title' is empty"),
    "an author that is blank": ("author: Άννα Δοκιμή", 'author: ""', "author:",
                                "the metadata key 'author' is empty"),
    "a remark in an unknown language": ("    el: Μια παρατήρηση", "    xx: Μια παρατήρηση",
                                        "remarks:", "unknown language tag 'xx'"),
    # Norwegian's tag, unquoted, is YAML's false.
    "a language YAML reads as false": ("lang: el", "lang: no", "lang:", "'lang' must be text, "
                                       "not true or false (YAML reads yes, no, on and off as "
                                       "true or false: put the word in quotes, \"no\")"),
}


@pytest.mark.parametrize("case", HEADER_TYPES)
def test_a_header_value_of_the_wrong_type_is_refused_at_its_key(fixture_project, tmp_path,
                                                                   case):
    old, new, key_line, words = HEADER_TYPES[case]
    edit(fixture_project, GREEK, old, new)
    if case == "remarks as a number":  # the remarks' items must go with their key
        text = (fixture_project / GREEK).read_text(encoding="utf-8")
        start = text.index("x_remarks:\n")
        end = text.index("---", start)
        (fixture_project / GREEK).write_text(text[:start] + text[end:], encoding="utf-8")
    line = line_of(fixture_project, GREEK, key_line)
    assert_refused(fixture_project, tmp_path, f"{GREEK}:{line}", words)


# 2. Escapes that write a character that is not text, in any YAML.
ESCAPES = ["\\x07", "\\0", "\\uFFFE", "\\uD800", "\\x85", "\\uFDD0", "\\U0010FFFF", "\\u202E"]
ESCAPE_PLACES = {
    GREEK: "author: Άννα Δοκιμή",
    "sources/glossary.yaml": "en: congress",
    "sources/questions.yaml": "en: When did the congress meet?",
    "sources/bibliography.yaml": "title: A Study of Things",
    "sources/chronology.yaml": "en: Demonstrations",
    "sources/citations.yaml": 'locator: "7"',
}


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("name", ESCAPE_PLACES)
def test_an_escape_writing_a_control_or_noncharacter_is_refused_at_its_line(
        fixture_project, tmp_path, name, escape):
    fragment = ESCAPE_PLACES[name]
    key = fragment.split(":")[0]
    edit(fixture_project, name, fragment, f'{key}: "a{escape}b"')
    line = line_of(fixture_project, name, f'{key}: "a{escape}b"')
    assert_refused(fixture_project, tmp_path, f"{name}:{line}", "is not allowed in text")


def test_tabs_and_newlines_of_a_folded_string_are_text(fixture_project):
    edit(fixture_project, "sources/glossary.yaml", "en: A meeting of delegates.",
         'en: "A meeting\\tof\\ndelegates."')
    assert run(fixture_project, "check", "--strict")[0] == 0


# 3. Bytes that are not UTF-8.
@pytest.mark.parametrize("name", [GREEK, *DATA_FILES])
def test_a_byte_that_is_not_utf8_is_refused_at_its_line(fixture_project, tmp_path, name):
    path = fixture_project / name
    lines = path.read_bytes().split(b"\n")
    number = len(lines) // 2 + 1
    lines[number - 1] += b" \xff\xfe"
    path.write_bytes(b"\n".join(lines))
    assert_refused(fixture_project, tmp_path, f"{name}:{number}", "not UTF-8", "0xFF")


# 4. A data file that is not there.
@pytest.mark.parametrize("name", DATA_FILES)
def test_a_missing_data_file_is_named_with_what_to_do(fixture_project, tmp_path, name):
    (fixture_project / name).unlink()
    printed = assert_refused(fixture_project, tmp_path, name, "does not exist")
    assert f"hint: create {Path(name).name}" in printed


def test_an_empty_data_file_means_none(fixture_project):
    (fixture_project / "sources/glossary.yaml").write_text("# No glossary yet.\n")
    code, printed = run(fixture_project, "check")
    assert code == 0, printed


# 5. Aliases, anchors, tags and keys given twice.
BILLION_LAUGHS = "".join(
    f'l{i}: &l{i} [{", ".join([f"*l{i - 1}"] * 9)}]\n' for i in range(1, 10))


@pytest.mark.parametrize("name", [GREEK, *DATA_FILES])
def test_yaml_aliases_are_refused_before_anything_is_expanded(fixture_project, tmp_path, name):
    path = fixture_project / name
    text = path.read_text(encoding="utf-8")
    bomb = 'l0: &l0 "lol"\n' + BILLION_LAUGHS
    if name == GREEK:
        text = text.replace("---\n", "---\n" + bomb, 1)
        line = 2
    else:  # at the top level, where each file's form would be checked after
        text = bomb + text
        line = 1
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    assert_refused(fixture_project, tmp_path, f"{name}:{line}", "anchor or alias")
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("name, fragment, twice", [
    (GREEK, "lang: el", "lang: el\nlang: ru"),
    ("sources/glossary.yaml", "kind: institution", "kind: institution\n  kind: person"),
    ("sources/chronology.yaml", "    source: reference", "    source: reference\n    source: text"),
    ("sources/bibliography.yaml", "  language: en", "  language: en\n  language: el"),
])
def test_a_key_given_twice_is_refused_at_the_second(fixture_project, tmp_path, name, fragment,
                                                    twice):
    edit(fixture_project, name, fragment, twice)
    line = line_of(fixture_project, name, fragment) + 1
    key = fragment.split(":")[0].strip()
    assert_refused(fixture_project, tmp_path, f"{name}:{line}", f"the key {key!r} is given twice")


def test_an_explicit_yaml_tag_is_refused(fixture_project, tmp_path):
    edit(fixture_project, "sources/glossary.yaml", "en: congress", "en: !!binary Y29uZ3Jlc3M=")
    line = line_of(fixture_project, "sources/glossary.yaml", "!!binary")
    assert_refused(fixture_project, tmp_path, f"sources/glossary.yaml:{line}", "explicit tag")


def test_yaml_nested_without_end_is_refused(fixture_project, tmp_path):
    (fixture_project / "sources/glossary.yaml").write_text("[" * 10_000 + "]" * 10_000)
    assert_refused(fixture_project, tmp_path, "sources/glossary.yaml:1", "nested more than")


# 6. Sizes.
@pytest.mark.parametrize("name", [GREEK, "sources/questions.yaml"])
def test_a_file_too_large_is_refused_by_its_size(fixture_project, tmp_path, name):
    with (fixture_project / name).open("r+b") as file:
        file.truncate(limits.MAX_SOURCE_BYTES + 1)  # sparse: never read
    assert_refused(fixture_project, tmp_path, name, f"{limits.MAX_SOURCE_BYTES + 1:,} bytes")


def test_a_paragraph_too_long_is_refused_at_its_line(fixture_project, tmp_path):
    words = "λόγος " * (limits.MAX_PARAGRAPH_CHARS // 6 + 1)
    edit(fixture_project, GREEK, "Έπειτα συνεχίζει.", "Έπειτα " + words + "συνεχίζει.")
    line = line_of(fixture_project, GREEK, "Η πρώτη παράγραφος")
    started = time.perf_counter()
    assert_refused(fixture_project, tmp_path, f"{GREEK}:{line}", "a paragraph of",
                   "characters")
    assert time.perf_counter() - started < 10


def test_a_word_too_long_for_any_line_is_refused_at_its_line(fixture_project, tmp_path):
    word = "λόγος" * (limits.MAX_WORD_CHARS // 5 + 1)
    edit(fixture_project, GREEK, "Έπειτα συνεχίζει.", "Έπειτα\n" + word + " συνεχίζει.")
    line = line_of(fixture_project, GREEK, word)
    assert_refused(fixture_project, tmp_path, f"{GREEK}:{line}",
                   f"a word of {len(word):,} characters with no space in it")


def test_a_text_without_a_paragraph_is_refused_where_its_body_would_begin(fixture_project,
                                                                         tmp_path):
    path = fixture_project / GREEK
    text = path.read_text(encoding="utf-8")
    header = text[:text.index("\n---\n", 4) + 5]
    path.write_text(header, encoding="utf-8")
    assert_refused(fixture_project, tmp_path, f"{GREEK}:{header.count(chr(10)) + 1}",
                   "the text has no paragraph: only its header")


def test_a_byte_order_mark_some_editors_write_first_is_no_part_of_a_file(fixture_project):
    clean = run(fixture_project, "check")
    assert clean[0] == 0, clean[1]
    for name in (GREEK, "sources/originals/gr.txt", "editions/mini.toml",
                 "sources/questions.yaml", "templates/base/css/custom.css"):
        path = fixture_project / name
        path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert run(fixture_project, "check") == clean


# 7. Bibliography entries hold CSL fields, each in its form.
BIBLIOGRAPHY = {
    "an unknown key": ("  language: en", "  language: en\n  colour: red", "colour:",
                       "'colour' is not a CSL field"),
    "a title as a list": ("title: A Study of Things", "title: [a, b]", "title: [a, b]",
                          "'title' must be text, not a list"),
    "a publisher as a mapping": ("publisher: Test Press", "publisher: {a: b}", "publisher: {",
                                 "'publisher' must be text"),
    "a name that is not text": ("{family: Smith, given: John}", "{family: [Smith]}",
                                "{family: [Smith]}", "'author' must be a list of {family, given}"),
    "an issued date as text": ("issued: {date-parts: [[2001]]}", "issued: 2001", "issued: 2001",
                               "'issued' must be {date-parts"),
    "a year of five digits": ("issued: {date-parts: [[2001]]}", "issued: {date-parts: [[20010]]}",
                              "[[20010]]", "'issued': [20010] is no date: a year from 1 to 9999"),
    "a thirteenth month": ("issued: {date-parts: [[2001]]}", "issued: {date-parts: [[2001, 13]]}",
                           "[[2001, 13]]", "'issued': [2001, 13] is no date"),
    "a day the month does not have": ("issued: {date-parts: [[2001]]}",
                                      "issued: {date-parts: [[2001, 2, 29]]}", "[[2001, 2, 29]]",
                                      "'issued': [2001, 2, 29] is no date: that month has 28 "
                                      "days"),
    # A correction's mistake at the correction, saying what it lacks.
    "a correction without its notes": (
        "      - {family: Papa, given: Anna}\n", "      - {family: Papa, given: Anna}\n"
        "    corrections:\n      - cited: Δοκιμή\n        correct: Δοκιμής\n", "      - cited:",
        "the correction lacks 'notes': each correction has 'cited' and 'correct'"),
    "a correction with a key of its own": (
        "      - {family: Papa, given: Anna}\n", "      - {family: Papa, given: Anna}\n"
        "    corrections:\n      - {cited: a, correct: b, notes: [1]}\n"
        "      - {cited: a, correct: b, notes: [1], why: typo}\n", "      - {cited: a, correct: b, "
        "notes: [1], why", "the correction has 'why', which no correction has"),
    # A work in another prints "In" that one: it names an entry, not itself.
    "a whole that no entry is": ("  language: en", "  language: en\n  custom:\n"
                                 "    part-of: smith2010", "part-of:",
                                 "'part-of' names 'smith2010', which no entry has (did you "
                                 "mean 'smith2001'?)"),
    "a whole that is the work itself": ("  language: en", "  language: en\n  custom:\n"
                                        "    part-of: smith2001", "part-of:",
                                        "'part-of' names 'smith2001', the entry itself"),
    # The entry's language is its lang="…" in the book: a tag, not a country's code.
    "a country for a language": ("language: en", "language: ua", "language: ua",
                                 "unknown language tag 'ua': that is the country code of "
                                 "Ukraine, whose language, Ukrainian, is 'uk'"),
    "an unknown custom field": ("custom:\n    original-names:", "custom:\n    colour: red\n"
                                "    original-names:", "custom:", "'colour' is not a field"),
    "original names that are text": ("      - {family: Papa, given: Anna}", "      - Papa",
                                     "custom:", "'original-names' must be a list"),
}


@pytest.mark.parametrize("case", BIBLIOGRAPHY)
def test_a_bibliography_entry_holds_only_csl_fields_in_their_form(fixture_project, tmp_path,
                                                                  case):
    old, new, fragment, words = BIBLIOGRAPHY[case]
    name = "sources/bibliography.yaml"
    edit(fixture_project, name, old, new)
    line = line_of(fixture_project, name, fragment)
    if case == "a name that is not text":  # the line of the key 'author', above
        line -= 1
    assert_refused(fixture_project, tmp_path, f"{name}:{line}", words)


# 8. The original may only be a file in sources/originals/.
SECRET = "a secret that must not reach a CI log"


@pytest.mark.parametrize("original", ["/proc/self/environ", "../../outside.txt",
                                      "originals/../../outside.txt", "originals/link.txt",
                                      "originals/missing.txt", "originals", "originals/fifo"])
def test_the_original_is_a_file_inside_sources_originals(fixture_project, tmp_path, original):
    outside = fixture_project.parent / "outside.txt"
    outside.write_text(SECRET)
    (fixture_project / "sources/originals/link.txt").symlink_to(outside)
    os.mkfifo(fixture_project / "sources/originals/fifo")
    edit(fixture_project, GREEK, "original: originals/gr.txt", f"original: {original}")
    line = line_of(fixture_project, GREEK, "original:")
    printed = assert_refused(fixture_project, tmp_path, f"{GREEK}:{line}",
                             f"the original {original!r}")
    assert SECRET not in printed and "PATH=" not in printed


# 9. Values of the wrong type in the editorial data.
DATA_TYPES = {
    "a question's wording as a list": (
        "sources/questions.yaml", "en: When did the congress meet?", "en: [a, b]", "en: [a, b]",
        "its wording in 'en' must be text, not a list"),
    "a question's editions holding a number": (
        "sources/questions.yaml", "about: [pol-1]", "about: [pol-1]\n    editions: [mini, 1]",
        "editions:", "'editions' is a list of names"),
    "a question's paragraphs as a number": (
        "sources/questions.yaml", "about: [pol-1]", "about: 5", "about: 5",
        "'about' must be a list"),
    "a text's questions as a mapping": (
        "sources/questions.yaml", "pol:\n  - id: pol-q1", "pol:\n  x:\n  - id: pol-q1", "pol:",
        "the questions on pol must be a list"),
    "a glossary form as a list": (
        "sources/glossary.yaml", "forms: {en: congress", "forms: {en: [congress]", "forms:",
        "forms in 'en' must be text, not a list"),
    "a gloss as a list": (
        "sources/glossary.yaml", "en: A meeting of delegates.", "en: [a]", "gloss:",
        "gloss in 'en' must be text"),
    "a glossary id as a number": (
        "sources/glossary.yaml", "id: congress", "id: 5", "id: 5", "its id must be text"),
    "a chronology id as a list": (
        "sources/chronology.yaml", "id: congress", "id: [congress]", "id: [congress]",
        "'id' must be text, not a list"),
    "a chronology calendar as a list": (
        "sources/chronology.yaml", "    calendar: julian\n    source: reference\n    label:\n"
        "      en: The", "    calendar: [julian]\n    source: reference\n    label:\n      en: The",
        "calendar: [julian]", "'calendar' must be text"),
    "a chronology label as a list": (
        "sources/chronology.yaml", "en: Demonstrations", "en: [x]", "en: [x]",
        "the label of event 'demonstrations' in 'en' must be text"),
    "a chronology night as text": (
        "sources/chronology.yaml", "    calendar: julian\n    source: reference\n    label:\n"
        "      en: The", "    calendar: julian\n    night: evening\n    source: reference\n"
        "    label:\n      en: The", "night: evening", "'night' must be true or false"),
    "a mention's paragraph as a list": (
        "sources/chronology.yaml", "at: rs-1", "at: [rs-1]", "at: [rs-1]",
        "'at' must be text, not a list"),
    "a mention's quote as a mapping": (
        "sources/chronology.yaml", 'quote: "В октябре 1917 г."', "quote: {a: b}",
        "quote: {a: b}", "'quote' must be text"),
    "the events as a mapping": (
        "sources/chronology.yaml", "events:\n", "events:\n  x:\n", "events:",
        "one key, 'events', a list"),
    "a cited work as a list": (
        "sources/citations.yaml", "work: papa1990", "work: [papa1990]", "work: [papa1990]",
        "'work' must be text, not a list"),
    "a note's citations as a number": (
        "sources/citations.yaml", '  "3":\n', '  "3": 5\n  "4":\n', '"3": 5',
        "the citations of note 3 must be a list"),
    "a text's notes as a list": (
        "sources/citations.yaml", 'gr:\n  "1":\n', 'gr: [x]\nxx:\n  "1":\n', "gr:",
        "the notes of gr must be a mapping"),
    "an acknowledged code as a list": (
        "sources/citations.yaml", '{op-cit: Παπά,', '{acknowledged: [[x]], op-cit: Παπά,',
        "acknowledged: [[x]]", "'acknowledged' lists codes"),
    "acknowledged as a number": (
        "sources/citations.yaml", '      locator: "12"\n',
        '      locator: "12"\n      acknowledged: 5\n',
        "    - work: papa1990", "'acknowledged' must be a list"),  # at its citation
    "a list inside a glossary entry's texts": (
        "sources/glossary.yaml", "texts: [rs, pol, de]", "texts: [[rs], pol]", "texts: [[rs]",
        "'texts'"),
    "a number as an event's key": (
        "sources/chronology.yaml", "    source: reference\n",
        "    source: reference\n    1917: x\n", "1917: x", "unknown key 1917 in an event"),
    "an original whose name is too long": (
        "sources/rs-test.md", "original: originals/rs.txt", "original: originals/" + "x" * 300,
        "original: originals/xxx", "cannot be read"),
    "a reference date in no calendar": (
        "sources/chronology.yaml", "    date: 1917-02-23\n    calendar: julian",
        "    date: 1917-02-23\n    calendar: unknown", "calendar: unknown",
        "a reference date is in the julian or the gregorian calendar"),
    # Dates as people write them: the form the data takes is suggested, where it is sure.
    "a date written day first": (
        "sources/chronology.yaml", "    date: 1917-02-23\n", '    date: "23.02.1917"\n',
        'date: "23.02.1917"', "'23.02.1917' is not a date as the data writes it: write "
        "1917-02-23"),
    "a mention's date without its zeros": (
        "sources/chronology.yaml", "date: 1917-02-23,\n", 'date: "1917-2-3",\n',
        'date: "1917-2-3"', "'1917-2-3' is not a date as the data writes it: write 1917-02-03"),
    "a date written month first": (
        "sources/chronology.yaml", "    date: 1917-02-23\n", '    date: "02/23/1917"\n',
        'date: "02/23/1917"', "'02/23/1917' is not a date: write 1917-10-25, 1917-10, or a range"),
    "a date written with slashes, year first": (
        "sources/chronology.yaml", "    date: 1917-02-23\n", '    date: "1917/2/23"\n',
        'date: "1917/2/23"', "'1917/2/23' is not a date as the data writes it: write 1917-02-23"),
    "a range written day first": (
        "sources/chronology.yaml", "    date: 1917-02-23\n", '    date: "23.2.1917/24.2.1917"\n',
        'date: "23.2.1917', "write 1917-02-23/1917-02-24"),
    "a label's language YAML reads as false": (
        "sources/chronology.yaml", "      en: Demonstrations", "      en: Demonstrations\n"
        "      no: Demonstrasjoner", "    label:", "the label of event "
        "'demonstrations': false is not a language tag (YAML reads yes, no, on and off"),
    # A paste gone wrong: each search of the note and each message would carry it whole.
    "citing words longer than a note holds": (
        "sources/citations.yaml", '      words: "Άννα Παπά, Ένα βιβλίο',
        '      words: "' + "Άννα " * 1300 + 'Άννα Παπά, Ένα βιβλίο', "    - work: papa1990",
        "'words' is 6,564 characters long, more than the 5,000"),
    # Wordings with no words: a link around nothing, a label that prints as a blank line.
    "a mention's quote that is blank": (
        "sources/chronology.yaml", 'quote: "В октябре 1917 г."', 'quote: " "', 'quote: " "',
        "'quote' is empty"),
    "an event's label that is empty": (
        "sources/chronology.yaml", "      en: Demonstrations", "      en: ''",
        "      en: ''", "the label of event 'demonstrations' in 'en' is empty"),
    "a question's wording that is empty": (
        "sources/questions.yaml", "    en: What does the text mean by «δύο εξουσίες»?",
        '    en: ""', '    en: ""', "its wording in 'en' is empty"),
    "a glossary form that is empty": (
        "sources/glossary.yaml", "forms: {en: congress,", "forms: {en: '',", "forms:",
        "forms in 'en' is empty"),
    "a day the month does not have, day first": (
        "sources/chronology.yaml", "    date: 1917-02-23\n", '    date: "31.02.1917"\n',
        'date: "31.02.1917"', "'31.02.1917' is not a date: write 1917-10-25"),
}


@pytest.mark.parametrize("case", DATA_TYPES)
def test_a_data_value_of_the_wrong_type_is_refused_at_its_line(fixture_project, tmp_path, case):
    name, old, new, fragment, words = DATA_TYPES[case]
    edit(fixture_project, name, old, new)
    line = line_of(fixture_project, name, fragment)
    assert_refused(fixture_project, tmp_path, f"{name}:{line}", words)


# What a paragraph of a text may not hold: (old, new, in the original too, the message).
BODY_MISTAKES = {
    "a note call in a heading": (
        [("## Δεύτερο μέρος", "## Δεύτερο μέρος[^3]"), ("εδώ.[^3]", "εδώ.")],
        [("Δεύτερο μέρος", "Δεύτερο μέρος[3]"), ("εδώ.[3]", "εδώ.")],
        "## Δεύτερο μέρος[^3]", "the note call [^3] stands in a heading or a note"),
    "a note call in a note": (
        [("σ. 14.\n", "σ. 14.[^3]\n"), ("εδώ.[^3]", "εδώ.")],
        [("σ. 14.\n", "σ. 14.[3]\n"), ("εδώ.[3]", "εδώ.")],
        "σ. 14.[^3]", "the note call [^3] stands in a heading or a note"),
    "a language that is none": (
        [("λέει «δύο εξουσίες»", 'λέει <span lang="not a language">«δύο εξουσίες»</span>')],
        [], "not a language", "unknown language tag 'not a language'"),
    "an image": (
        [("τελειώνει εδώ.", "τελειώνει εδώ. ![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=)")],
        [], "![x]", "an image cannot stand in an author's text"),
}


@pytest.mark.parametrize("case", BODY_MISTAKES, ids=list(BODY_MISTAKES))
def test_what_a_paragraph_may_not_hold_is_located(fixture_project, tmp_path, case):
    edits, original_edits, where, message = BODY_MISTAKES[case]
    source = fixture_project / "sources" / "gr-test.md"
    original = fixture_project / "sources" / "originals" / "gr.txt"
    for path, changes in ((source, edits), (original, original_edits)):
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    line = next(i for i, text in enumerate(source.read_text(encoding="utf-8").split("\n"), 1)
                if where in text)
    for argv in (["check"], ["epub", "--edition", "mini", "--out", str(tmp_path / "out")]):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code = main(argv, stdout=stdout, project=fixture_project)
        printed = stdout.getvalue() + stderr.getvalue()
        assert code == 1
        assert f"sources/gr-test.md:{line}: {message}" in printed
        assert "hint:" in printed and "Traceback" not in printed
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("  - id: pol-q1", "  - id: gr-q1", "  - id: gr-q1\n    about: [pol-1]",
     "the question id 'gr-q1' is also used at line 3"),
    ("  - id: pol-q1", '  - id: "pol q1"', '  - id: "pol q1"',
     "the question id 'pol q1' is not a plain name"),
    ("    about: [pol-1]", "    about: [pol-1]\n    editions: [minii]", "editions: [minii]",
     "question pol-q1: no edition is named 'minii'"),
])
def test_a_question_id_or_edition_that_cannot_be_is_located(fixture_project, old, new, where,
                                                            message):
    path = fixture_project / "sources" / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = text[:text.index(where)].count("\n") + 1
    stdout = io.StringIO()
    assert main(["check"], stdout=stdout, project=fixture_project) == 1
    assert f"sources/questions.yaml:{line}: error: {message}" in stdout.getvalue()



@pytest.mark.parametrize(("old", "new", "error"), [
    # A tab: the file cannot be read, and every note citing a work would seem to cite nothing.
    ("  publisher: Test Press\n", "\tpublisher: Test Press\n", "tab"),
    # A field misspelt: the entry is left out, and the notes citing it would seem wrong.
    ("  publisher-place: London\n", "  publisher_place: London\n",
     "'publisher_place' is not a CSL field"),
])
def test_an_error_in_the_bibliography_is_said_without_its_echoes_in_the_notes(
        fixture_project, old, new, error):
    edit(fixture_project, "sources/bibliography.yaml", old, new)
    code, printed = run(fixture_project, "check")
    assert code == 1 and error in printed, printed
    assert "[malformed-entry]" in printed
    assert "[unknown-work]" not in printed and "[op-cit-without-citation]" not in printed, \
        printed
