"""A teacher's edition in a folder of its own (issue 12): its questions, glossary and
templates live with it and reach no other edition; the shared ones are taken as its file says;
one edition makes a student's copy, with ruled space, and a teacher's copy, with the answers.
On the tests' own small project."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import edit, line_of, run
from pypdf import PdfReader

EDITION = "editions/c10/edition.toml"
QUESTIONS = "editions/c10/questions.yaml"
GLOSSARY = "editions/c10/glossary.yaml"

OWN_QUESTIONS = """\
gr:
  - id: c10-gr
    about: [gr-2]
    en: Whose «δύο εξουσίες» does the text mean?
    answer:
      en: The Provisional Government's and the Soviet's, side by side.
    notes:
      en: Ask who held the army.
    lines: 3
pol:
  - id: c10-pol
    about: [pol-1]
    en: Who wrote this text, and when?
"""
OWN_GLOSSARY = """\
- id: c10-duma
  kind: institution
  texts: [gr]
  forms: {en: Duma of the class}
  gloss: {en: A gloss written for class 10 only.}
"""


def started(project: Path) -> Path:
    """`new-edition c10 --from mini`, with the teacher's own questions and glossary."""
    code, printed = run(project, "new-edition", "c10", "--from", "mini")
    assert code == 0, printed
    (project / QUESTIONS).write_text(OWN_QUESTIONS, encoding="utf-8")
    (project / GLOSSARY).write_text(OWN_GLOSSARY, encoding="utf-8")
    return project


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "\n".join(epub.read(n).decode() for n in sorted(epub.namelist())
                         if n.endswith(".xhtml"))


def words(xhtml: str) -> str:
    """The text of XHTML, its tags taken out, its spaces one each."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", xhtml)).split())


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def copies(new_fixture_project, tmp_path_factory) -> tuple[Path, Path]:
    """The c10 edition's two copies, both formats, and every other edition's EPUB."""
    project = started(new_fixture_project())
    out = tmp_path_factory.mktemp("copies")
    code, printed = run(project, "--out", str(out))
    assert code == 0, printed
    return project, out


def test_a_new_edition_of_one_without_questions_passes_strict_as_it_is(fixture_project):
    # A publisher's edition prints no questions or glossary: the new edition's file gives it
    # none to print nowhere, and says how to take them.
    source = fixture_project / "editions" / "mini.toml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        'sections = ["contents", "notes", "questions", "chronology", "glossary", '
        '"bibliography"]', 'sections = ["contents", "notes", "bibliography"]'), encoding="utf-8")
    assert run(fixture_project, "new-edition", "print", "--from", "mini")[0] == 0
    code, printed = run(fixture_project, "check", "--strict", "--edition", "print")
    assert code == 0 and "0 warnings" in printed, printed
    edition = fixture_project / "editions" / "print" / "edition.toml"
    text = edition.read_text(encoding="utf-8")
    assert '# questions = true    # with "questions" in sections' in text
    assert "\n# [questions]\n# answer_lines = 3\n" in text
    # Taken all the same, they are said to print nowhere: at the sections that leave them
    # out, or where the sections are the default ones, at the line that takes them.
    text = text.replace("# glossary = true", "glossary = true")
    for written in (True, False):
        edition.write_text(text if written else re.sub(r"(?m)^sections = .*\n", "", text),
                           encoding="utf-8")
        code, printed = run(fixture_project, "check", "--edition", "print")
        line = line_of(fixture_project, "editions/print/edition.toml",
                       "sections =" if written else "glossary = true")
        assert f"editions/print/edition.toml:{line}: warning: the [shared] glossary would " \
            "print nowhere" in printed, printed


def test_new_edition_makes_a_folder_that_holds_everything_of_the_edition(fixture_project):
    code, printed = run(fixture_project, "new-edition", "c10", "--from", "mini")
    assert code == 0, printed
    folder = fixture_project / "editions" / "c10"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        == ["edition.toml", "glossary.yaml", "questions.yaml", "templates/css/custom.css",
            "templates/parts/title_page.html"]
    assert not (fixture_project / "templates" / "c10").exists()
    edition = (folder / "edition.toml").read_text()
    assert 'copies = ["student", "teacher"]' in edition and "[shared]" in edition
    # Its examples are commented out: the edition builds as it is, with both copies.
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--out",
                        str(fixture_project / "out"))
    assert code == 0, printed
    assert sorted(p.name for p in (fixture_project / "out" / "c10").iterdir()) == \
        ["c10-teacher.epub", "c10.epub"]
    # The example question, uncommented, names a paragraph the text has: it builds.
    questions = folder / "questions.yaml"
    text = questions.read_text()
    example = text[text.index("# gr:"):]
    questions.write_text(re.sub(r"^# ?", "", example, flags=re.MULTILINE), encoding="utf-8")
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--out",
                        str(fixture_project / "out"))
    assert code == 0, printed
    assert "c10-1" in epub_text(fixture_project / "out" / "c10" / "c10.epub")
    # And the example glossary entry: a gloss with commas, no straight apostrophe to warn of.
    glossary = folder / "glossary.yaml"
    text = glossary.read_text()
    example = text[text.index("# - id:"):]
    glossary.write_text(re.sub(r"^# ?", "", example, flags=re.MULTILINE), encoding="utf-8")
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--strict", "--out",
                        str(fixture_project / "out"))
    assert code == 0 and "warning" not in printed, printed
    assert "elected in factories and units" in epub_text(
        fixture_project / "out" / "c10" / "c10.epub")


def test_an_editions_own_content_reaches_no_other_edition(copies):
    _, out = copies
    own = ("Whose", "Who wrote this text", "Duma of the class")
    for book in ("c10/c10.epub", "c10/c10-teacher.epub"):
        assert all(words in epub_text(out / book) for words in own), book
    for book in ("mini/mini.epub", "mini-pl/mini-pl.epub"):
        assert not any(words in epub_text(out / book) for words in own), book
    # The shared questions and glossary are taken too, as [shared] says by default.
    assert "gr-q1" in epub_text(out / "c10" / "c10.epub")


def test_the_students_copy_has_ruled_lines_and_no_answers(copies):
    _, out = copies
    student = pdf_text(out / "c10" / "c10.pdf") + epub_text(out / "c10" / "c10.epub")
    for hidden in ("Side by side", "side by side", "Ask who held the army", "Answer:",
                   "For the teacher", "Teacher's copy"):
        assert hidden not in student, hidden
    # The question's three lines to write on: rules drawn under it, across the measure.
    reader = PdfReader(out / "c10" / "c10.pdf")
    page = next(p for p in reader.pages if "Whose" in p.extract_text())
    assert len(rules(page)) >= 3, rules(page)


def rules(page) -> list[tuple[float, float]]:
    """The thin, long shapes WeasyPrint draws for a bottom border (a path of four points):
    (y, width) in the page's user units."""
    found, points = [], []
    for operands, operator in page.get_contents().operations:
        if operator in (b"m", b"l"):
            points = [] if operator == b"m" else points
            points.append(tuple(float(v) for v in operands))
            if len(points) == 4:
                xs, ys = [x for x, _ in points], [y for _, y in points]
                if max(ys) - min(ys) < 1 and max(xs) - min(xs) > 100:
                    found.append((round(min(ys), 1), round(max(xs) - min(xs), 1)))
    return found


def test_the_teachers_copy_has_the_answers_and_the_notes(copies):
    _, out = copies
    pdf = pdf_text(out / "c10" / "c10-teacher.pdf")
    for book in (" ".join(pdf.split()), words(epub_text(out / "c10" / "c10-teacher.epub"))):
        # Small capitals are extracted as capitals of two sizes: "A NSWER".
        flat = book.replace("A NSWER", "Answer").replace("F OR THE TEACHER", "For the teacher")
        assert "Answer: The Provisional Government's and the Soviet's, side by side." in flat
        assert "For the teacher: Ask who held the army." in flat
    # Its title page says which copy it is.
    assert "copy: with the answers" in " ".join("\n".join(pdf.split("\f")[:3]).split())
    # Two books, two identifiers: a reading system keeps both.
    ids = {re.search(r"urn:uuid:[0-9a-f-]+", epub_text_opf(out / "c10" / name)).group()
           for name in ("c10.epub", "c10-teacher.epub")}
    assert len(ids) == 2


def epub_text_opf(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))


def test_a_question_refers_by_page_where_paragraphs_are_not_numbered(copies):
    # mini numbers no paragraphs: the PDF gives the page of the passage, the EPUB a link.
    _, out = copies
    reader = PdfReader(out / "c10" / "c10.pdf")
    page = reader.get_destination_page_number(reader.named_destinations["gr-2"]) + 1
    text = " ".join(pdf_text(out / "c10" / "c10.pdf").split())
    assert f"Whose “δύο εξουσίες” does the text mean? (p. {page})" in text
    assert "¶" not in text.split("Questions")[-1]
    assert '">the passage</a>' in epub_text(out / "c10" / "c10.epub")


def test_a_one_paragraph_text_is_not_referred_to_as_its_paragraph_one(fixture_project,
                                                                       tmp_path):
    started(fixture_project)
    edit(fixture_project, EDITION, 'filename = "c10"', 'filename = "c10"\n'
         'paragraph_numbers = true')
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--out", str(tmp_path))
    assert code == 0, printed
    xhtml = epub_text(tmp_path / "c10" / "c10.epub")
    pol = xhtml[xhtml.index('id="c10-pol"'):]
    gr = xhtml[xhtml.index('id="c10-gr"'):]
    assert "¶" not in pol[:pol.index("</li>")] and "the passage" in pol[:pol.index("</li>")]
    assert "¶&#160;2" in gr[:gr.index("</li>")]
    # The chronology points to passages by the same rule.
    chronology = xhtml[xhtml.index('<section class="chronology"'):]
    where = re.compile(r'#(\w+)-\d+(?:-q\d+)?"><q[^>]*>[^<]*</q></a> <span class="where">¶')
    assert {"gr", "de"} <= set(where.findall(chronology)) and "pol" not in where.findall(
        chronology)


@pytest.mark.parametrize("shared, shown, hidden", [
    ("questions = false", ["c10-gr"], ["gr-q1", "pol-q1"]),
    ('questions = ["pol-q1"]', ["c10-gr", "pol-q1"], ["gr-q1"]),
    ("glossary = false", ["gloss-c10-duma"], ["gloss-congress"]),
    ("glossary = true", ["gloss-c10-duma", "gloss-congress"], []),
])
def test_an_edition_takes_of_the_shared_content_what_its_file_says(
        fixture_project, tmp_path, shared, shown, hidden):
    started(fixture_project)
    key = shared.split()[0]
    edit(fixture_project, EDITION, f"{key} = true", shared)
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--out", str(tmp_path))
    assert code == 0, printed
    xhtml = epub_text(tmp_path / "c10" / "c10.epub")
    assert all(f'id="{i}"' in xhtml for i in shown), shown
    assert not any(f'id="{i}"' in xhtml for i in hidden), hidden


def refused(project: Path, tmp_path: Path, where: str, message: str, hint: str) -> None:
    """A build of c10 and `check` both stop at `where` with the message and the hint, and
    write nothing."""
    for args in (("epub", "--edition", "c10", "--out", str(tmp_path / "out")), ("check",)):
        code, printed = run(project, *args)
        assert code == 1, printed
        assert f"{where}: error: {message}" in printed or f"{where}: {message}" in printed, \
            printed
        assert f"hint: {hint}" in printed, printed
        assert "Traceback" not in printed
    assert not (tmp_path / "out").exists()


def test_a_shared_id_that_is_not_there_is_named_with_the_nearest(fixture_project, tmp_path):
    started(fixture_project)
    edit(fixture_project, EDITION, "questions = true", 'questions = ["gr-q2", "pol-q1"]')
    refused(fixture_project, tmp_path, f"{EDITION}:{line_of(fixture_project, EDITION, 'gr-q2')}",
            "[shared] questions: sources/questions.yaml has no entry 'gr-q2' (did you mean "
            "'gr-q1'?)", "name the ids of sources/questions.yaml, or write true to take them all")


def test_an_own_question_with_editions_is_refused_at_its_line(fixture_project, tmp_path):
    started(fixture_project)
    edit(fixture_project, QUESTIONS, "    lines: 3", "    lines: 3\n    editions: [mini]")
    refused(fixture_project, tmp_path,
            f"{QUESTIONS}:{line_of(fixture_project, QUESTIONS, 'editions:')}",
            "question c10-gr: the questions in this file are the c10 edition's own, and no "
            "other's", "delete the 'editions' line; a question for several editions goes in "
            "sources/questions.yaml")


def test_an_own_id_that_a_shared_entry_has_is_refused(fixture_project, tmp_path):
    started(fixture_project)
    edit(fixture_project, QUESTIONS, "id: c10-pol", "id: pol-q1")
    refused(fixture_project, tmp_path,
            f"{QUESTIONS}:{line_of(fixture_project, QUESTIONS, 'id: pol-q1')}",
            "the id 'pol-q1' is also the id of an entry of sources/questions.yaml that the "
            "edition takes", "give this one an id of its own, such as 'c10-pol-q1'")
    # Not taking the shared one leaves the id free.
    edit(fixture_project, EDITION, "questions = true", 'questions = ["gr-q1"]')
    assert run(fixture_project, "check")[0] == 0


@pytest.mark.parametrize("old, new, at, message, hint", [
    ("    lines: 3", "    lines: -2", "lines: -2", "question c10-gr: 'lines' is -2: give from 0 "
     "to 40", None),
    ("    lines: 3", "    lines: three", "lines: three", "question c10-gr: 'lines' is a number "
     "of lines, not text", None),
    ("    answer:\n      en: The Provisional Government's and the Soviet's, side by side.",
     "    answer: The Soviet", "answer:", "question c10-gr: its 'answer' must be a mapping of "
     "language tags (en, ru…) to text", None),
])
def test_a_bad_answer_or_number_of_lines_is_refused_at_its_line(
        fixture_project, tmp_path, old, new, at, message, hint):
    started(fixture_project)
    edit(fixture_project, QUESTIONS, old, new)
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert f"{QUESTIONS}:{line_of(fixture_project, QUESTIONS, at)}: error: {message}" in printed \
        or f"{QUESTIONS}:{line_of(fixture_project, QUESTIONS, at)}: {message}" in printed, printed


@pytest.mark.parametrize("old, new, at, message, hint", [
    ('copies = ["student", "teacher"]', 'copies = ["student", "techer"]', "copies =",
     "unknown copy 'techer'", 'copies: "student" and/or "teacher"'),
    ("answer_lines = 3", "answer_lines = true", "answer_lines =",
     "'answer_lines' in [questions] must be a whole number, not true or false",
     "answer_lines: ruled lines"),
    ("answer_lines = 3", "answer_lines = 99", "answer_lines =",
     "answer_lines = 99 is not a number of lines to write on", "from 0 to 40"),
    ("questions = true", 'questions = "all"', "questions = ",
     "'questions' in [shared] must be true or false or a list, not text",
     "questions: the questions"),
])
def test_a_bad_edition_key_of_a_teachers_edition_is_refused_at_its_line(
        fixture_project, tmp_path, old, new, at, message, hint):
    started(fixture_project)
    edit(fixture_project, EDITION, old, new)
    refused(fixture_project, tmp_path, f"{EDITION}:{line_of(fixture_project, EDITION, at)}",
            message, hint)


def test_a_folder_without_an_edition_file_and_a_name_used_twice_are_refused(fixture_project,
                                                                          tmp_path):
    (fixture_project / "editions" / "stray").mkdir()
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert "editions/stray: the folder editions/stray/ holds no edition.toml\n  hint: an " \
           "edition in a folder of its own has its keys in editions/stray/edition.toml: move " \
           "the edition file there, or remove the folder" in printed
    (fixture_project / "editions" / "stray").rmdir()
    started(fixture_project)
    (fixture_project / "editions" / "c10.toml").write_text('title = "x"\n', encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert "editions/c10.toml: two editions are named 'c10': this one and " \
           "editions/c10/edition.toml\n  hint: keep one of them, or rename the other" in \
           printed, printed


def test_an_editions_own_glossary_is_written_in_its_language_only(fixture_project, tmp_path):
    started(fixture_project)
    edit(fixture_project, EDITION, 'language = "en"', 'language = "pl"')
    (fixture_project / QUESTIONS).write_text("", encoding="utf-8")
    edit(fixture_project, GLOSSARY, "forms: {en: Duma of the class}", "forms: {pl: Duma klasy}")
    edit(fixture_project, GLOSSARY, "gloss: {en: A gloss written for class 10 only.}",
         "gloss: {pl: Objaśnienie tylko dla tej klasy.}")
    code, printed = run(fixture_project, "epub", "--edition", "c10", "--out", str(tmp_path))
    assert code == 0, printed
    assert "Duma klasy" in epub_text(tmp_path / "c10" / "c10.epub")
    # The editors' shared glossary serves every edition: English stays required there.
    edit(fixture_project, "sources/glossary.yaml", "forms: {en: congress, ", "forms: {")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "sources/glossary.yaml", "forms: {ru: съезд")
    assert code == 1, printed
    assert f"sources/glossary.yaml:{line}: error: forms must be given in English too" in printed


def test_a_build_counts_the_editors_notes_that_check_lists(fixture_project, tmp_path):
    # A text's date a day off the calendars: a flag for the editors, not for a teacher.
    edit(fixture_project, "sources/chronology.yaml", "paired: 1917-11-08}", "paired: 1917-11-12}")
    code, checked = run(fixture_project, "check")
    assert code == 0
    # Its flag, and the quote's 8 that is not the data's 12.
    notes = [line for line in checked.split("\n") if ": note: " in line]
    assert len(notes) == 2, checked
    code, built = run(fixture_project, "epub", "--edition", "mini", "--out", str(tmp_path))
    assert code == 0
    assert ": note: " not in built
    assert "2 notes for the editors to review (`python build.py check` lists them)" in built
    assert "\n1 file in " in built
