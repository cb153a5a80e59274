"""Editions as data: every edition builds, and each carries what its file asks for."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from helpers import CLASSROOM, run
from pypdf import PdfReader

from book.config import DEFAULT_PAGE, load_edition, millimetres
from book.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = sorted(p.stem for p in (ROOT / "editions").glob("*.toml"))
# Page sizes by name, in millimetres, for the editions that name one.
SIZES = {"A4": (210, 297), "A5": (148, 210)}


def files_of(dist: Path, book, name: str) -> tuple[object, dict[str, Path]]:
    (edition,) = [e for e in book.editions if e.name == name]
    files = {p.suffix[1:]: p for p in (dist / name).iterdir()}
    assert set(files) == set(edition.formats), files
    return edition, files


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_edition_builds_and_its_epub_is_valid(dist, book, edition, epubcheck):
    edition, files = files_of(dist, book, edition)
    if "pdf" in files:
        assert len(PdfReader(files["pdf"]).pages) > len(edition.texts)
    if "epub" in files:
        check = epubcheck(files["epub"])
        assert [str(m) for m in check.messages] == [] and check.valid


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_edition_carries_what_its_file_asks_for(dist, book, edition):
    edition, files = files_of(dist, book, edition)
    if "pdf" in files:
        pages = PdfReader(files["pdf"]).pages
        # One trim size for the whole book: a printer prints no other.
        assert len({(float(p.mediabox.width), float(p.mediabox.height)) for p in pages}) == 1
        box = pages[0].mediabox
        size = SIZES.get(edition.page.size.split()[0])
        if size:
            assert (round(float(box.width) / 72 * 25.4),
                    round(float(box.height) / 72 * 25.4)) == size
    if "epub" in files:
        epub = zipfile.ZipFile(files["epub"])
        for text in edition.texts:
            numbers = epub.read(f"EPUB/text-{text}.xhtml").decode().count('class="para-number"')
            expected = len(book.texts[text].paragraphs) if edition.paragraph_numbers else 0
            assert numbers == expected, text
        for section in ("glossary", "chronology", "bibliography"):
            assert (f"EPUB/{section}.xhtml" in epub.namelist()) == (section in edition.sections)
        spine = [n for n in epub.namelist() if n.startswith("EPUB/text-")]
        assert sorted(spine) == sorted(f"EPUB/text-{t}.xhtml" for t in edition.texts)


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




def build(project: Path, out: Path, *argv: str) -> int:
    import io

    from book.cli import main

    return main([*argv, "--out", str(out)], stdout=io.StringIO(), project=project)


def test_the_classroom_edition(fixture_project, tmp_path):
    (fixture_project / "editions" / "classroom.toml").write_text(CLASSROOM, encoding="utf-8")
    assert build(fixture_project, tmp_path, "--edition", "classroom") == 0
    pdf = PdfReader(tmp_path / "classroom" / "classroom.pdf")
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (210, 297)
    # Paragraph numbers stand in the left margin (26 mm), beside their paragraphs.
    left = 26 / 25.4 * 72
    assert margin_numbers(pdf, page_of(pdf, "gr-1"), left)[:1] == ["1"]
    assert "2" in margin_numbers(pdf, page_of(pdf, "gr-2"), left)
    text = text_of(pdf)
    assert "Questions" in text and "What does the text mean by" in text
    assert "Glossary" in text and "съезд" in text and "Zebranie delegatów" not in text
    assert "A meeting of delegates." in text
    assert "N.S.: your answer" in text  # the chronology as a worksheet
    epub = zipfile.ZipFile(tmp_path / "classroom" / "classroom.epub")
    greek = epub.read("EPUB/text-gr.xhtml").decode()
    assert greek.count('class="para-number"') == 2
    assert '<span class="para-number">2</span>' in greek


def test_the_base_edition_has_no_paragraph_numbers(fixture_dist):
    pdf = PdfReader(fixture_dist / "mini" / "mini.pdf")
    # Nothing stands left of the text block, whichever side of the sheet the page is.
    text_left = min(millimetres(m) for m in DEFAULT_PAGE.margins[2:]) / 25.4 * 72
    assert margin_numbers(pdf, page_of(pdf, "gr-1"), text_left) == []
    epub = zipfile.ZipFile(fixture_dist / "mini" / "mini.epub")
    assert "para-number" not in epub.read("EPUB/text-gr.xhtml").decode()


def test_the_polish_classroom_edition_speaks_polish(fixture_dist):
    epub = zipfile.ZipFile(fixture_dist / "mini-pl" / "mini-pl.epub")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", " ".join(
        epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))))
    for words in ("Spis treści", "Nota o wydaniu", "Pytania", "Chronologia", "Słowniczek",
                  "Bibliografia", "Autor nieznany", "Cytowane w przypisach",
                  "Cytowane w przypisie",
                  # Babel's genitive month names in the chronology's two columns
                  "25 października 7 listopada",
                  # Babel's language names
                  "Polski", "Grecki"):
        assert words in text, words
    assert "Questions" not in text and "Contents" not in text
    # The Polish text comes first, as the edition file orders them.
    opf = epub.read("EPUB/content.opf").decode()
    assert opf.index('href="text-pol.xhtml"') < opf.index('href="text-gr.xhtml"')


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
        ('title = "x"\nlanguage = "en"\ntexts = ["el", "ru", "el"]\n',
         "'texts' names 'el' more than once: a text is printed once", 3),
        ('title = "x"\nlanguage = "en"\ntexts = []\n', "'texts' must name at least one text", 3),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["notes", "index"]\n',
         "unknown section 'index'", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["notes", "questons"]\n',
         "unknown section 'questons' (did you mean 'questions'?)", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["notes", "glossary", '
         '"glossary"]\n', "'sections' names 'glossary' more than once", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\nsections = ["bibliography"]\n',
         "the bibliography needs the notes", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\ntemplates = "nowhere"\n',
         "no template folder templates/nowhere", 4),
        ('title = "x\nlanguage = "en"\n', "a text value is not closed on its line", 1),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "A5"\n[page]\n',
         "the table [page] is there twice", 6),
        ('title = "x"\nlanguage = "en"\ntitle = "y"\n', "this key is given twice", 3),
        ('title = "x"\nlanguage = en\n', "this value is neither text in quotes", 2),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[styles]\naccent_colour = "red"\n',
         "unknown key 'styles'", 4),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "Leter"\n',
         "page size 'Leter' is not a paper size this tool knows (did you mean 'letter'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "6x9in"\n',
         "page size '6x9in' is not a paper size this tool knows (did you mean '6in 9in'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "140 × 216 mm"\n',
         "(did you mean '140mm 216mm'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "6IN X 9IN Landscape"\n',
         "(did you mean '9in 6in'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "6in x 229mm"\n',
         "(did you mean '6in 229mm'?)", 5),
        # Without a unit, in millimetres; a comma or a space between the sides.
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "140x216"\n',
         "(did you mean '140mm 216mm'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "140 216"\n',
         "(did you mean '140mm 216mm'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "140MM, 216MM"\n',
         "(did you mean '140mm 216mm'?)", 5),
        # A name written apart: its own name, not the nearest other one ('A6').
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "A 4"\n',
         "(did you mean 'A4'?)", 5),
        ('title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\nsize = "a 5 Landscape"\n',
         "(did you mean 'A5 landscape'?)", 5),
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


def the_error(tmp_path: Path, text: str) -> ConfigError:
    """The one error of an edition file reading `text`."""
    with pytest.raises(ConfigError) as caught:
        load_edition(write_edition(tmp_path, text), {"el"}, ROOT / "templates")
    (error,) = getattr(caught.value, "errors", [caught.value])
    return error


@pytest.mark.parametrize(("written", "hint"), [
    ('texts = "el"', 'write it as a list, in brackets: texts = ["el"]; texts: the ids'),
    ("texts = 1917", "write it as a list, in brackets: texts = [1917]; "),
    ('texts = ["el"]\nsections = "notes"', 'sections = ["notes"]'),
    # Several names in one: each its own item.
    ('texts = "el, ru"', 'texts = ["el", "ru"]; '),
    ('texts = "el ru;pl"', 'texts = ["el", "ru", "pl"]; '),
])
def test_one_value_for_a_list_is_told_the_brackets(tmp_path, written, hint):
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\n{written}\n')
    assert error.line == 2 + written.count("\n") + 1 and "must be a list" in error.message
    assert hint in error.hint


@pytest.mark.parametrize("size", ["60x90in", "1.2.3x9in"])
def test_a_size_no_printer_prints_is_not_suggested(tmp_path, size):
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\n'
                      f'size = "{size}"\n')
    assert error.message == f"page size '{size}' is not a paper size this tool knows"


@pytest.mark.parametrize(("table", "inside"), [("page", 'size = "A5"'),
                                               ("isbn", 'pdf = "978-0-306-40615-7"')])
def test_a_key_of_the_edition_written_below_a_table_is_told_to_move_above_it(tmp_path, table,
                                                                            inside):
    # TOML files every key below a table's header into the table: the edition's own key.
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[{table}]\n'
                      f'{inside}\npublisher = "Trial Press"\n')
    assert (error.message, error.line) == (f"unknown key 'publisher' in [{table}]", 6)
    assert error.hint == f"publisher is a key of the edition itself: move it above [{table}], " \
        "before the first table"


@pytest.mark.parametrize(("table", "written", "hint"), [
    # The table's own name again, as the key it is given by: its keys are the way.
    ("isbn", 'isbn = "978-0-306-40615-7"',
     "[isbn] is where isbn is given, one key each: allowed: pdf, epub"),
    # A key of another table: that table's header is the way.
    ("isbn", 'bleed = "3mm"', "bleed is a key of [page]: move it under [page]"),
    ("style", "page_multiple = 16", "page_multiple is a key of [page]: move it under [page]"),
    ("page", 'accent_colour = "red"',
     "accent_colour is a key of [style]: move it under [style]"),
])
def test_a_key_written_in_the_wrong_table_is_told_where_it_belongs(tmp_path, table, written,
                                                                   hint):
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[{table}]\n'
                      f'{written}\n')
    key = written.split()[0]
    assert (error.message, error.line, error.hint) == (
        f"unknown key '{key}' in [{table}]", 5, hint)


@pytest.mark.parametrize(("written", "line", "mended"), [
    ('[page]\npage_multiple = "16"', 5, "page_multiple = 16"),
    ('[page]\ncrop_marks = "True"', 5, "crop_marks = true"),
    ('print_pages = " false "', 4, "print_pages = false"),
    ('[questions]\nanswer_lines = "4"', 5, "answer_lines = 4"),
    ('paragraph_numbers = "yes"', 4, "paragraph_numbers = true"),
])
def test_a_number_or_a_truth_in_quotes_is_told_to_lose_them(tmp_path, written, line, mended):
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\ntexts = ["el"]\n{written}\n')
    assert error.line == line and error.message.endswith(", not text")
    assert error.hint.startswith(f"write it without quotes, {mended}; ")


def test_a_date_toml_reads_as_a_date_is_told_its_quotes(tmp_path):
    error = the_error(tmp_path, 'title = "x"\nlanguage = "en"\ntexts = ["el"]\n'
                      'date = 2026-09-01\n')
    assert error.line == 4 and error.message == "'date' must be text, not date"
    assert error.hint.startswith('write it in quotes, date = "2026-09-01"; ')


def test_text_that_is_no_number_is_not_told_to_lose_its_quotes(tmp_path):
    error = the_error(tmp_path, 'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\n'
                      'page_multiple = "sixteen"\n')
    assert "without quotes" not in error.hint


@pytest.mark.parametrize(("page", "line", "message", "hint"), [
    # A side of the margins in a table of their own: at its line, not the table's.
    ('[page.margins]\ninner = "20mm"\ntop = "20px"', 6, "margin top '20px' is not a length",
     "px is relative (to the type, the screen or the box around it): give the length itself, "
     "in mm, cm, in or pt; for example '18mm'"),
    ('[page.margins]\nleft = "20mm"', 5, "unknown margin 'left'",
     "margins: top, bottom, inner, outer"),
    # Written inline, at the line of the margins.
    ('[page]\nmargins = { top = "2,5cm" }', 5, "margin top '2,5cm' is not a length",
     "write it '2.5cm': a decimal point, not a comma"),
    ('[page]\nmargins = { top = "25MM" }', 5, "margin top '25MM' is not a length",
     "write it '25mm': the unit in small letters"),
])
def test_a_wrong_margin_is_named_at_its_own_line(tmp_path, page, line, message, hint):
    error = the_error(tmp_path, f'title = "x"\nlanguage = "en"\ntexts = ["el"]\n{page}\n')
    assert (error.line, error.message, error.hint) == (line, message, hint)


def test_a_page_no_printer_prints_is_one_error_not_one_more_for_its_margins(tmp_path):
    path = write_edition(tmp_path, 'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\n'
                         'size = "40mm 216mm"\n')
    with pytest.raises(ConfigError) as caught:
        load_edition(path, {"el"}, ROOT / "templates")
    assert [e.message for e in getattr(caught.value, "errors", [caught.value])] == [
        "page size '40mm 216mm' is not a size a printer can print"]


PAGE = 'title = "x"\nlanguage = "en"\ntexts = ["el"]\n[page]\n'


def test_a_text_block_too_small_says_at_once_what_the_type_needs(tmp_path):
    """Not 40 mm across, and once that is mended, the column the type needs."""
    from book.config import MIN_MEASURE_EM

    path = write_edition(tmp_path, PAGE + 'size = "A6"\ntype_size = "11pt"\n'
                         'margins = { inner = "40mm", outer = "40mm" }\n')
    with pytest.raises(ConfigError) as caught:
        load_edition(path, {"el"}, ROOT / "templates")
    assert caught.value.message.startswith("the margins leave a text block of 25 × ")
    assert caught.value.hint.startswith(
        f"leave at least {MIN_MEASURE_EM * millimetres('11pt'):.0f} mm across (what 11pt type "
        "needs) and ")


@pytest.mark.parametrize(("text", "message", "hint"), [
    (PAGE + 'margins = { outer = "-5mm" }\n', "margin outer '-5mm' is negative",
     "a margin is the room between the page's edge and the text, such as '18mm'"),
    (PAGE + 'margins = { outer = "0mm" }\n', "margin outer '0mm' is narrower than the 5 mm a "
     "printer keeps clear of the edge it trims", "give at least 5mm; the running heads"),
    (PAGE + 'margins = { top = "4.9mm" }\n', "margin top '4.9mm' is narrower than the 5 mm",
     "give at least 5mm"),
    (PAGE + 'type_size = "-10pt"\n', "type size '-10pt' is negative", "for example '10.5pt'"),
    # A length as people write one: a space before the unit, no unit, no quotes.
    (PAGE + 'type_size = "11 pt"\n', "type size '11 pt' is not a length",
     "write the unit right after the number, without a space: '11pt'"),
    (PAGE + 'type_size = "11"\n', "type size '11' is not a length",
     "a length takes its unit: '11pt'"),
    (PAGE + "type_size = 11\n", "'type_size' in [page] must be text, not a number",
     'write it with its unit, in quotes: type_size = "11pt"'),
    (PAGE + 'margins = { top = "20 mm" }\n', "margin top '20 mm' is not a length",
     "write the unit right after the number, without a space: '20mm'"),
    (PAGE + 'margins = "5cm"\n', "'margins' in [page] must be",
     'write margins = { top = "5cm", bottom = "5cm", inner = "5cm", outer = "5cm" }'),
    (PAGE + 'mirrored = True\n', "this value is neither text in quotes, a number, true or "
     "false, nor a list", "write true in lower case, without quotes"),
    (PAGE + 'mirrored = FALSE\n', "this value is neither", "write false in lower case"),
])
def test_a_page_value_a_printer_cannot_take_is_named_with_what_to_write(tmp_path, text,
                                                                        message, hint):
    path = write_edition(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_edition(path, {"el", "ru", "pl"}, ROOT / "templates")
    errors = getattr(caught.value, "errors", [caught.value])
    assert [(e.message, e.path, e.line) for e in errors if message in e.message] == \
        [(next(e.message for e in errors if message in e.message), path, 5)]
    assert [e for e in errors if message in e.message][0].hint.startswith(hint)
    assert len(errors) == 1, errors


def test_the_least_margin_is_taken(tmp_path):
    path = write_edition(tmp_path, PAGE + 'margins = { outer = "5mm", inner = "0.5cm" }\n')
    assert load_edition(path, {"el"}, ROOT / "templates").page.margins[2:] == ("0.5cm", "5mm")


def test_a_question_may_quote_only_the_texts_words(fixture_project):
    import io

    from book.cli import main

    questions = fixture_project / "sources" / "questions.yaml"
    questions.write_text(questions.read_text().replace("«δύο εξουσίες»", "«δύο εξουσίαι»", 1))
    out = io.StringIO()
    assert main(["check", "--strict"], stdout=out, project=fixture_project) == 1
    assert "question gr-q1 (en) quotes «δύο εξουσίαι», which the texts do not say" \
        in out.getvalue()
    # The words it may have meant, in the paragraph it asks about.
    assert "hint: the paragraph asked about has «δύο εξουσίες»: quote the text's words" \
        in out.getvalue()


def test_a_problem_in_one_edition_writes_no_other(fixture_project, tmp_path):
    import io

    from book.cli import main

    questions = fixture_project / "sources" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "\npol:\n", "\n  - {id: gr-en-only, about: [gr-1], en: Only in English?}\npol:\n", 1))
    out = tmp_path / "out"
    code = main(["epub", "--edition", "mini", "--edition", "mini-pl", "--out", str(out)],
                stdout=io.StringIO(), project=fixture_project)
    assert code == 1
    assert not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize(("language", "words"), [
    ("el", ("Σημείωμα για την έκδοση", "Ερωτήσεις", "Γλωσσάριο",
            "25 Οκτωβρίου", "7 Νοεμβρίου", "Συνέλευση αντιπροσώπων.")),
    ("ru", ("Об этом издании", "Вопросы", "Глоссарий",
            "25 октября", "7 ноября", "Собрание делегатов.")),
])
def test_an_edition_in_greek_or_russian_has_no_english_apparatus(fixture_project, tmp_path,
                                                                 language, words):
    import io

    from book.cli import main

    (fixture_project / "editions" / "other.toml").write_text(
        f'title = "Test book"\nlanguage = "{language}"\ntexts = ["gr", "rs", "pol", "de"]\n'
        'sections = ["contents", "notes", "questions", "glossary", "chronology", '
        '"bibliography"]\nformats = ["epub"]\nfilename = "other"\ndate = "2020-01-01"\n',
        encoding="utf-8")
    assert main(["--edition", "other", "--out", str(tmp_path)], stdout=io.StringIO(),
                project=fixture_project) == 0
    epub = tmp_path / "other" / "other.epub"
    book = zipfile.ZipFile(epub)
    apparatus = " ".join(book.read(n).decode() for n in book.namelist()
                         if n.endswith(".xhtml") and "text-" not in n)
    apparatus = re.sub(r"\s+", " ", apparatus)
    for expected in words:
        assert expected in apparatus, expected
    for english in ("Author unknown", "Cited in note", "Contents", "A meeting of delegates",
                    "The congress meets"):
        assert english not in apparatus, english


def test_quotations_in_the_editors_words_carry_the_language_they_quote(fixture_project,
                                                                        tmp_path):
    # A Polish quotation in the Polish question, in a copy of the fixture.
    questions = fixture_project / "sources" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "pl: Kiedy zebrał się zjazd?", "pl: Co znaczy «25 X 1917»?", 1), encoding="utf-8")
    assert build(fixture_project, tmp_path, "epub") == 0

    def xhtml(edition: str, name: str) -> str:
        return zipfile.ZipFile(tmp_path / edition / f"{edition}.epub").read(
            f"EPUB/{name}.xhtml").decode()

    def marked(lang: str, words: str) -> str:
        return f'<q lang="{lang}" xml:lang="{lang}">{words}</q>'

    # Greek and German quotations in English questions.
    assert marked("el", "δύο εξουσίες") in xhtml("mini", "text-gr")
    assert marked("de", "26.\u00a0Oktober") in xhtml("mini", "text-de")
    # A Polish quotation in a Polish question is in the language around it already.
    polish = xhtml("mini-pl", "text-pol")
    assert "<q>25\u00a0X\u00a01917</q>" in polish
    assert 'lang="pl" xml:lang="pl">25' not in polish


def test_an_edition_asked_for_is_made_whatever_the_mistakes_of_another(fixture_project,
                                                                      tmp_path):
    """A teacher's broken edition does not hold up the publisher's: built by name, an edition
    is made, the other left out with a note; built or checked whole, the mistake stops it."""
    path = fixture_project / "editions" / "mini-pl.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\ncolour = "red"\n', encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index('colour = "red"') + 1
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "mini" / "mini.epub").is_file(), printed
    assert not (tmp_path / "mini-pl").exists()
    code, printed = run(fixture_project, "check", "--edition", "mini")
    assert code == 0, printed
    assert f"editions/mini-pl.toml:{line}: note: an edition not asked for is left out, for its " \
        "mistakes: unknown key 'colour'" in printed, printed
    for command in (["check"], ["epub", "--edition", "mini-pl"]):
        code, printed = run(fixture_project, *command, "--out", str(tmp_path / "all"))
        assert code == 1 and f"editions/mini-pl.toml:{line}: unknown key 'colour'" in printed, \
            printed


def test_an_edition_asked_for_is_made_whatever_another_finds_in_its_own_files(
        fixture_project, tmp_path):
    """A teacher's questions and glossary are the teacher's edition's: their errors leave it
    out of a build of another by name, with a note, as its edition file's do; their warnings
    fail no other's --strict. Checked whole, or by its own name, the edition is told."""
    folder = fixture_project / "editions" / "c10"
    folder.mkdir()
    (folder / "edition.toml").write_text('title = "Class 10"\nlanguage = "en"\n'
                                         'texts = ["gr"]\nsections = ["questions"]\n'
                                         'date = "2020-01-01"\n',
                                         encoding="utf-8")
    questions = folder / "questions.yaml"
    questions.write_text("gr:\n  - id: c10-1\n    about: [gr-99]\n    en: Why?\n",
                         encoding="utf-8")
    left_out = "c10/questions.yaml:3: note: an edition not asked for is left out, for its " \
        "mistakes: question c10-1: the gr text has no paragraph 'gr-99'"
    code, printed = run(fixture_project, "check", "--strict", "--edition", "mini")
    assert code == 0 and left_out in printed, printed
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "mini" / "mini.epub").is_file(), printed
    assert not (tmp_path / "c10").exists()
    for command in (["check"], ["check", "--edition", "c10"]):
        code, printed = run(fixture_project, *command)
        assert code == 1 and "c10/questions.yaml:3: error: question c10-1: the gr text has " \
            "no paragraph 'gr-99'" in printed, printed
    # A warning only: the other edition's strict check passes, and does not print it.
    questions.write_text("gr:\n  - id: c10-1\n    about: [gr-1]\n    en: Who's there?\n",
                         encoding="utf-8")
    code, printed = run(fixture_project, "check", "--strict", "--edition", "mini")
    assert code == 0 and "c10" not in printed, printed
    code, printed = run(fixture_project, "check", "--strict", "--edition", "c10")
    assert code == 1 and "c10/questions.yaml:4: warning: question c10-1 in 'en' writes a " \
        "straight '" in printed, printed
