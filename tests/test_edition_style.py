"""The common wishes as edition keys: a class and teacher line, an accent colour, a heading
size, margins that follow the page; paper names in any case; a column too narrow to read
(tests on the tests' own small project)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import line_of, run
from pypdf import PdfReader

from book.cli import main
from book.config import canonical_size, load_edition, page_dimensions, swapped_size
from book.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4  # PDF points in a millimetre
# darkred, as WeasyPrint writes a fill colour into the PDF's content streams.
DARKRED_FILL = "0.545098 0 0 rg"
STYLED = """
class_line = "Class 10B, spring term"
teacher = "Ms Anna Nowak"

[page]
size = "A4"

[style]
accent_colour = "DarkRed"
heading_size = "21pt"
"""


@pytest.fixture(scope="module")
def styled(new_fixture_project, tmp_path_factory) -> Path:
    """The fixture's editions with the keys set (mini on A4 with no margins given), built."""
    project = new_fixture_project()
    for name in ("mini", "mini-pl"):
        path = project / "editions" / f"{name}.toml"
        path.write_text(path.read_text(encoding="utf-8") + STYLED, encoding="utf-8")
    out = tmp_path_factory.mktemp("styled")
    printed = io.StringIO()
    assert main(["--out", str(out)], stdout=printed, project=project) == 0, printed.getvalue()
    return out


def epub_documents(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml")}


def page_of(pdf: PdfReader, name: str) -> int:
    return pdf.get_destination_page_number(pdf.named_destinations[name])


def text_runs(pdf: PdfReader, page: int) -> list[tuple[str, float, float]]:
    """(text, size in pt, left edge in pt) of each run of text on the page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), round(size * cm[0], 1), tm[4] * cm[0] + cm[4]))

    pdf.pages[page].extract_text(visitor_text=visit)
    return runs


def test_the_class_and_the_teacher_are_on_the_title_page(styled):
    pdf = PdfReader(styled / "mini" / "mini.pdf")
    front = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages[:4]))
    assert "Class 10B, spring term" in front and "Teacher: Ms Anna Nowak" in front
    title = epub_documents(styled / "mini" / "mini.epub")["EPUB/title.xhtml"]
    assert '<span class="class-line">Class 10B, spring term</span>' in title
    assert '<span class="teacher">Teacher: Ms Anna Nowak</span>' in title
    # In the apparatus language of the edition; in Polish, a verb, the same for a man and a
    # woman ("Nauczyciel" is a man).
    polish = epub_documents(styled / "mini-pl" / "mini-pl.epub")["EPUB/title.xhtml"]
    assert "Prowadzi: Ms Anna Nowak" in polish


def test_without_the_keys_no_line_and_no_properties(fixture_dist):
    documents = epub_documents(fixture_dist / "mini" / "mini.epub")
    assert 'class="title-class"' not in documents["EPUB/title.xhtml"]
    assert not any("--accent" in d for d in documents.values())
    pdf = PdfReader(fixture_dist / "mini" / "mini.pdf")
    assert not any(DARKRED_FILL in p.get_contents().get_data().decode("latin-1")
                   for p in pdf.pages)


def test_the_accent_colour_colours_the_titles(styled):
    pdf = PdfReader(styled / "mini" / "mini.pdf")
    coloured = [i for i, p in enumerate(pdf.pages)
                if DARKRED_FILL in p.get_contents().get_data().decode("latin-1")]
    # The title page, and the page where the Greek text begins with its title.
    assert page_of(pdf, "title-page") in coloured and page_of(pdf, "text-gr") in coloured
    # Every EPUB document sets the property, before the stylesheets that use it.
    for name, document in epub_documents(styled / "mini" / "mini.epub").items():
        head = document.split("</head>")[0]
        assert "--accent: #8b0000;" in head, name
        assert head.index("--accent") < head.index("css/common.css"), name
    with zipfile.ZipFile(styled / "mini" / "mini.epub") as book:
        assert "color: var(--accent" in book.read("EPUB/css/common.css").decode()


def test_the_styled_epub_passes_epubcheck(styled, epubcheck):
    check = epubcheck(styled / "mini" / "mini.epub")
    assert [str(m) for m in check.messages] == []
    assert check.valid


def test_the_heading_size_sizes_the_titles_and_follows_the_type_in_the_epub(styled):
    pdf = PdfReader(styled / "mini" / "mini.pdf")
    runs = text_runs(pdf, page_of(pdf, "text-gr"))
    sizes = {text: size for text, size, _ in runs}
    assert sizes["Δοκιμαστικό κείμενο"] == 21.0
    assert 10.5 in sizes.values()  # the body as it was
    # 21pt on 10.5pt type: two type sizes, which a reader's own type size scales.
    title = epub_documents(styled / "mini" / "mini.epub")["EPUB/title.xhtml"]
    assert "--heading-size: 2.0rem;" in title


def test_margins_not_given_follow_the_page(styled):
    pdf = PdfReader(styled / "mini" / "mini.pdf")
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
    page = page_of(pdf, "gr-1")
    left = min(x for _, size, x in text_runs(pdf, page) if size == 10.5)
    # A recto: the inner margin, A4's 23 mm where A5's would be 16.
    assert round(left / MM) == 23


def edition_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "class.toml"
    path.write_text('title = "x"\nlanguage = "en"\ntexts = ["el"]\n' + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("page", "margins"), [
    ('size = "A5"', ("16mm", "22mm", "16mm", "22mm")),
    ('size = "a4"', ("23mm", "31mm", "23mm", "31mm")),
    ('size = "A4 landscape"', ("16mm", "22mm", "32mm", "44mm")),
    # Never less than the running head and the folio take, 5 mm from the edge.
    ('size = "A6"', ("12mm", "16mm", "11mm", "16mm")),
    ('size = "A5 landscape"', ("12mm", "16mm", "23mm", "31mm")),
    # Margins given win; those left out follow the page.
    ('size = "A4"\nmargins = { inner = "30mm", top = "1in" }', ("1in", "31mm", "30mm", "31mm")),
])
def test_default_margins_in_proportion_to_the_page(tmp_path, page, margins):
    edition = load_edition(edition_file(tmp_path, "[page]\n" + page + "\n"), None,
                           ROOT / "templates")
    assert edition.page.margins == margins


@pytest.mark.parametrize(("size", "millimetres"), [
    ("US Letter", (215.9, 279.4)), ("Letter", (215.9, 279.4)), ("us letter", (215.9, 279.4)),
    ("Us Letter landscape", (279.4, 215.9)), ("LETTER", (215.9, 279.4)), ("a4", (210, 297)),
    ("A4 Landscape", (297, 210)), ("US Legal", (215.9, 355.6)), ("a5 PORTRAIT", (148, 210)),
])
def test_paper_names_in_any_case(tmp_path, size, millimetres):
    assert page_dimensions(canonical_size(size)) == millimetres
    edition = load_edition(edition_file(tmp_path, f'[page]\nsize = "{size}"\n'), None,
                           ROOT / "templates")
    assert page_dimensions(edition.page.size) == millimetres


@pytest.mark.parametrize(("text", "key", "message", "hint"), [
    ('[style]\naccent_colour = "darkread"\n', "accent_colour",
     "accent colour 'darkread' is not a colour", "did you mean 'darkred'?"),
    ('[style]\naccent_colour = "red; } body { display: none"\n', "accent_colour",
     "is not a colour", "#8b0000"),
    ('[style]\naccent_colour = "#12345"\n', "accent_colour", "is not a colour", "#800"),
    ('[style]\naccent_colour = "transparent"\n', "accent_colour", "is not a colour", ""),
    # Titles no one could read on the page.
    ('[style]\naccent_colour = "white"\n', "accent_colour",
     "accent colour 'white' is too pale to read on a white page: a contrast of 1.0 to 1",
     "take a darker colour"),
    ('[style]\naccent_colour = "#ff0"\n', "accent_colour", "a contrast of 1.1 to 1", "navy"),
    ('[style]\naccent_colour = "orange"\n', "accent_colour", "a contrast of 2.0 to 1, where",
     "darkred"),
    ('[style]\nheading_size = "big"\n', "heading_size", "heading size 'big' is not a length",
     "16pt"),
    ('[style]\nheading_size = "1.5em"\n', "heading_size", "heading size '1.5em' is not a "
     "length", "em is relative (to the type, the screen or the box around it): give the "
     "length itself, in mm, cm, in or pt; for example '16pt'"),
    ('[style]\nheading_size = "200pt"\n', "heading_size", "is not a size for a heading",
     "72pt"),
    ('[style]\naccent_color = "red"\n', "accent_color", "unknown key 'accent_color' in [style]",
     "did you mean 'accent_colour'?"),
    ('teacher = "Ms\\u0007Nowak"\n', "teacher", "'teacher' holds a control character", ""),
    ('class_line = 10\n', "class_line", "'class_line'", "a line on the title page"),
    # The tutorial's A5 page at 11pt with the classroom's margins: a 60 mm column.
    ('[page]\nsize = "A5"\ntype_size = "11pt"\nmargins = { top = "20mm", bottom = "22mm", '
     'inner = "26mm", outer = "62mm" }\n', "margins",
     "the margins leave a text column 60 mm wide: about 31 characters of 11pt type a line",
     "11pt type needs a column at least 78 mm wide: narrow the margins (inner and outer "
     "together at most 70 mm"),
    # Margins for the page, but type too large for it: the type, which the message names.
    ('[page]\nsize = "A6"\ntype_size = "16pt"\n', "type_size", "a text column 78 mm wide",
     "take a smaller type size or a larger page"),
    # Room for narrower margins than the page's own: the edition has none to delete.
    ('[page]\ntype_size = "16pt"\nsize = "A5"\n', "type_size", "a text column 110 mm wide",
     "16pt type needs a column at least 113 mm wide: take a smaller type size, or give "
     "narrower margins (inner and outer together at most 35 mm on this page)"),
    ('[page]\nsize = "120mm 80mm"\n', "size", "a text block of 89 × 55 mm",
     "mm down: give narrower margins, or a larger page"),
])
def test_a_bad_value_is_located_with_its_fix(tmp_path, text, key, message, hint):
    path = edition_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_edition(path, None, ROOT / "templates")
    (error,) = getattr(caught.value, "errors", [caught.value])
    assert message in error.message and hint in (error.hint or "")
    assert error.path == path
    assert error.line == next(i for i, line in enumerate(text.split("\n"), 4)
                              if line.startswith(f"{key} ="))


def test_a_narrow_column_stops_the_build_at_its_line(fixture_project):
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + '\n[page]\nsize = "A5"\n'
                       'margins = { inner = "30mm", outer = "60mm" }\n', encoding="utf-8")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "margins =")
    assert code == 1
    assert f"editions/mini.toml:{line}: the margins leave a text column 58 mm wide" in printed


def test_a_page_wider_than_tall_is_a_note_at_its_size(fixture_project):
    # Width first: "200mm 190mm" is most likely a portrait page's sides swapped. A landscape
    # book may mean it: a note, which stops no build, not even a strict one.
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + '\n[page]\nsize = "200mm 190mm"\n'
                       'margins = { inner = "45mm", outer = "45mm" }\n', encoding="utf-8")
    code, printed = run(fixture_project, "check", "--strict", "--edition", "mini")
    line = line_of(fixture_project, "editions/mini.toml", "size =")
    assert code == 0, printed
    assert f"editions/mini.toml:{line}: note: the page is wider than tall: size '200mm 190mm' " \
        "gives a page 200mm wide and 190mm high [edition]\n  hint: a book's size is written " \
        "width then height: did you mean '190mm 200mm'? A landscape book keeps it as it is" \
        in printed, printed


@pytest.mark.parametrize(("size", "meant"), [
    ("210mm 135mm", "135mm 210mm"), ("9in 6in", "6in 9in"), ("21cm 148mm", "148mm 21cm"),
    # portrait, square, or a named size turned landscape on purpose
    ("135mm 210mm", None), ("6in 9in", None), ("150mm 150mm", None), ("A5 landscape", None),
    ("A4", None), ("letter landscape", None),
])
def test_only_two_lengths_wider_than_tall_are_taken_for_swapped(size, meant):
    assert swapped_size(size) == meant


def test_a_custom_css_sets_the_properties_too(fixture_project, tmp_path):
    """As docs/customizing.md says: after the edition's values, so it wins over them."""
    edition = fixture_project / "editions" / "mini.toml"
    # At 12pt, as A4 needs: lines of 10.5pt type across it are too long (under --strict).
    edition.write_text(edition.read_text(encoding="utf-8") + STYLED.replace(
        'size = "A4"', 'size = "A4"\ntype_size = "12pt"'), encoding="utf-8")
    css = fixture_project / "templates" / "base" / "css" / "custom.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n:root { --accent: teal; }\n"
                   ".questions li { border-left: 2pt solid var(--accent, black); }\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "--edition", "mini", "--strict", "--out", str(out))
    assert code == 0, printed
    pdf = PdfReader(out / "mini" / "mini.pdf")
    streams = "".join(p.get_contents().get_data().decode("latin-1") for p in pdf.pages)
    assert "0 0.501961 0.501961 rg" in streams and DARKRED_FILL not in streams
    with zipfile.ZipFile(out / "mini" / "mini.epub") as book:
        assert "--accent: teal" in book.read("EPUB/css/custom.css").decode()
