"""The edited sources become the model: sections, paragraphs with stable ids, the authors' notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from book.errors import BookError, SourceError
from book.model import NoteCall
from book.sources import load_text, load_texts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def texts():
    return load_texts(ROOT / "sources")


def test_the_three_texts_and_their_languages(texts):
    assert {t: texts[t].lang for t in texts} == {"ru": "ru", "el": "el", "pl": "pl"}


def test_greek_sections_and_notes(texts):
    greek = texts["el"]
    headings = [str(s.title) for s in greek.sections]
    assert len(headings) == 9
    assert headings[0] == "Η καπιταλιστικοποίηση και η εκβιομηχάνιση της Ρωσίας"
    assert headings[-1] == "Η εδραίωση της επανάστασης και της σοβιετική εξουσίας"
    assert [n.label for n in greek.notes] == [str(i) for i in range(1, 36)]
    calls = [label for p in greek.paragraphs for label in p.note_labels]
    assert calls == [str(i) for i in range(1, 36)]
    assert greek.notes_by_label["10"].html == "Βλ. Moorehead Alan, The Russian Revolution, " \
        "Pather, Λονδίνο, 1960, σ.144-146"


def test_note_attached_to_its_call(texts):
    first = texts["el"].paragraphs[0]
    assert isinstance(first.parts[-1], NoteCall) and first.parts[-1].label == "1"
    assert first.parts[-2].endswith("στο 80% του πληθυσμού της χώρας.")


def test_paragraph_ids_are_stored_and_unique(texts):
    for text in texts.values():
        ids = [p.id for p in text.paragraphs]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith(f"{text.id}-") for i in ids)
    assert [p.id for p in texts["ru"].paragraphs] == ["ru-1", "ru-2"]
    assert texts["el"].paragraphs[22].id == "el-23"
    assert texts["el"].paragraphs[22].number == 23


def test_titles_and_authors(texts):
    assert texts["el"].author == "Κώστας Παλούκης" and not texts["el"].title_editorial
    for untitled in ("ru", "pl"):
        assert texts[untitled].author is None and texts[untitled].title_editorial


def break_source(project_copy: Path, old: str, new: str) -> Path:
    path = project_copy / "sources" / "el-paloukis-october.md"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if fragment in line)


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        ("χώρας.[^1]", "χώρας.[^1][^99]", "note call [^99] has no note", "χώρας.[^1][^99]"),
        ("χωριό.[^3]", "χωριό.", "note [^3] is never called", "[^3]: "),
        ("[^5]: Βλ.", "[^4]: Βλ.", "note [^4] is defined twice", "[^4]: Βλ. Sheila"),
        ("{#el-2}\n", "", "p has no id", "Η κοινωνική εξέλιξη στη Ρωσία"),
        ("{#el-3}", "{#el-2}", "id 'el-2' is used twice", "Η Ρωσική Βιομηχανική"),
        ("lang: el", "lang: gr-greek", "unknown language tag 'gr-greek'", "lang: gr-greek"),
        ("title_editorial: false", "title_editorial: false\ncolour: red", "unknown metadata key",
         "colour: red"),
        ("published: 2011-10", "published: [2011", "malformed metadata", "reposted:"),
    ],
)
def test_bad_sources_are_reported_with_their_line(project_copy, old, new, message, at):
    path = break_source(project_copy, old, new)
    with pytest.raises(BookError) as caught:
        load_text(path)
    errors = getattr(caught.value, "errors", [caught.value])
    (error,) = [e for e in errors if message in e.message]
    assert isinstance(error, SourceError)
    assert error.path == path
    assert error.line == line_of(path, at)


def test_all_problems_of_a_run_are_reported_together(project_copy):
    break_source(project_copy, "χώρας.[^1]", "χώρας.[^1][^98]")
    break_source(project_copy, "{#el-3}", "{#el-2}")
    with pytest.raises(BookError) as caught:
        load_texts(project_copy / "sources")
    report = str(caught.value)
    assert "[^98] has no note" in report and "'el-2' is used twice" in report
