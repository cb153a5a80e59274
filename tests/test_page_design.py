"""The page as a book designer reads it, on the fixture project: lines on one grid, the running
heads, and what a one-sided edition leaves out (blank leaves, a second running-head form)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from helpers import run
from pypdf import PdfReader
from test_pdf import build_pdf, lengthen, page_of

from book.make import Project, gather


def set_page(project: Path, page: str) -> None:
    path = project / "editions" / "mini.toml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n[page]\n{page}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def sided(new_fixture_project, tmp_path_factory) -> dict[bool, tuple[PdfReader, Path]]:
    """The long fixture book, built two-sided and one-sided."""
    books = {}
    for mirrored in (True, False):
        project = new_fixture_project()
        lengthen(project)
        set_page(project, f"mirrored = {str(mirrored).lower()}")
        out = project / "out"
        code, printed = build_pdf(project, out)
        assert code == 0, printed
        books[mirrored] = (PdfReader(out / "mini" / "mini.pdf"), project)
    return books


def blank_pages(pdf: PdfReader) -> list[int]:
    return [i + 1 for i, page in enumerate(pdf.pages) if not page.extract_text().strip()]


def test_a_one_sided_edition_leaves_no_leaf_blank(sided):
    two_sided, _ = sided[True]
    one_sided, _ = sided[False]
    # Two-sided, texts open on a right-hand page, so some left-hand page stays blank.
    assert blank_pages(two_sided)
    assert blank_pages(one_sided) == []
    assert len(one_sided.pages) < len(two_sided.pages)


def running_head(pdf: PdfReader, index: int) -> str:
    """The line above the folio: WeasyPrint draws the margin boxes after the page's text."""
    return pdf.pages[index].extract_text().strip().split("\n")[-2]


def test_a_one_sided_edition_has_one_running_head(sided):
    for mirrored, (pdf, project) in sided.items():
        greek = gather(Project(project)).texts["gr"]
        start, end = page_of(pdf, "gr"), page_of(pdf, greek.paragraphs[-1].id)
        heads = {(index - start) % 2: running_head(pdf, index) for index in range(start + 1, end)}
        sections = {str(s.title) for s in greek.sections if s.title}
        if mirrored:  # left: the author; right: the section
            assert heads[1] == greek.author and heads[0] in sections, heads
        else:
            assert set(heads.values()) <= sections, heads


def test_the_questions_after_a_text_head_their_page(sided):
    """Not with the text's last section, which the questions are no part of."""
    for mirrored, (pdf, project) in sided.items():
        page = page_of(pdf, "questions-gr")
        left = mirrored and (page - page_of(pdf, "gr")) % 2 == 1
        author = gather(Project(project)).texts["gr"].author
        assert running_head(pdf, page) == (author if left else "Questions"), mirrored


def line_boxes(pdf: Path, first: int, last: int) -> dict[int, list[tuple[float, float]]]:
    """Each page's text lines as (top, bottom), in points, as poppler finds them."""
    layout = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last),
                             str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = {}
    for number, page in enumerate(re.split(r"<page ", layout)[1:], start=first):
        pages[number] = [(float(top), float(bottom)) for top, bottom in re.findall(
            r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
    return pages


def test_subheads_keep_the_text_on_one_grid(sided):
    # A subhead takes whole lines: every body line of every page of a text stands at the top
    # of the text block plus a whole number of lines, with a subhead on the page or not.
    pdf, project = sided[True]
    greek = gather(Project(project)).texts["gr"]
    start, end = page_of(pdf, "gr") + 2, page_of(pdf, greek.paragraphs[-1].id)
    path = project / "out" / "mini" / "mini.pdf"
    pages = line_boxes(path, start, end)
    heights = Counter(round(bottom - top, 1) for lines in pages.values() for top, bottom in lines)
    body = heights.most_common(1)[0][0]
    body_lines = {n: sorted(top for top, bottom in lines if abs(bottom - top - body) < 0.3)
                  for n, lines in pages.items()}
    leading = Counter(round(b - a, 1) for tops in body_lines.values()
                      for a, b in zip(tops, tops[1:], strict=False)).most_common(1)[0][0]
    first_line = Counter(round(tops[0], 1) for tops in body_lines.values()).most_common(1)[0][0]
    subheads = [s.id for s in greek.sections if s.title and start <= page_of(pdf, s.id) + 1 <= end]
    assert subheads, "the long Greek text has a subhead inside the pages measured"
    for number, tops in body_lines.items():
        for top in tops:
            lines = (top - first_line) / leading
            assert abs(lines - round(lines)) < 0.08, (number, top, first_line, leading)


PT_PER_MM = 72 / 25.4


@pytest.mark.parametrize(("page", "bleed_mm", "sheet_mm"), [
    # The marks begin 3 mm beyond the bleed and are as long as both: the sheet holds them.
    ('size = "156mm 234mm"\nbleed = "3mm"\ncrop_marks = true', 3, 12),
    ('size = "156mm 234mm"\ncrop_marks = true', 0, 6),
    ('size = "156mm 234mm"\nbleed = "0.125in"', 3.175, 3.175),
    ('size = "156mm 234mm"\nbleed = "5mm"', 5, 5),  # WeasyPrint's BleedBox stops at 10 pt
])
def test_a_printers_bleed_and_crop_marks_frame_the_trimmed_page(new_fixture_project, page,
                                                                 bleed_mm, sheet_mm):
    project = new_fixture_project()
    set_page(project, page)
    out = project / "out"
    code, printed = build_pdf(project, out)
    assert code == 0, printed
    pdf = PdfReader(out / "mini" / "mini.pdf")
    trim = (156 * PT_PER_MM, 234 * PT_PER_MM)

    def around(mm: float) -> tuple[float, ...]:
        out = mm * PT_PER_MM
        return tuple(round(v, 1) for v in (-out, -out, trim[0] + 2 * out, trim[1] + 2 * out))

    boxes = {tuple(round(float(v), 1) for box in (sheet.trimbox, sheet.bleedbox, sheet.mediabox)
                   for v in (box.left, box.bottom, box.width, box.height)) for sheet in pdf.pages}
    # One sheet throughout: the trimmed page, the bleed around it, the sheet around both.
    assert boxes == {around(0) + around(bleed_mm) + around(sheet_mm)}
    # The marks are drawn on every page, lines stroked outside the trimmed page; or none.
    for sheet in pdf.pages:
        forms = sheet["/Resources"].get("/XObject", {})
        drawn = [forms[name].get_object().get_data() for name in
                 re.findall(r"(/x\d+) Do", sheet.get_contents().get_data().decode("latin-1"))]
        assert any(b" l\nB\n" in data for data in drawn) is ("crop_marks" in page)
    if "crop_marks" in page:
        # As a printer's eye sees the first page: nothing is drawn in the bleed, where the
        # artwork that bleeds would cover the marks; the marks stand beyond it.
        from PIL import Image

        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                        str(out / "mini" / "mini.pdf"), str(out / "sheet")], check=True)
        sheet = Image.open(out / "sheet.png").convert("L")
        dots = sheet.width / (156 + 2 * sheet_mm)  # pixels per millimetre

        def inked(band: tuple[float, float]) -> bool:
            # Along the top edge, in a band `band` millimetres beyond the trim.
            top, bottom = ((sheet_mm - b) * dots for b in reversed(band))
            return sheet.crop((0, int(top), sheet.width, int(bottom))).getextrema()[0] < 128

        assert not bleed_mm or not inked((0.3, bleed_mm))
        assert inked((bleed_mm + 3.5, sheet_mm - 0.3))


def test_blank_pages_make_the_count_a_multiple_of_the_printers_sheet(new_fixture_project,
                                                                    fixture_dist):
    plain = PdfReader(fixture_dist / "mini" / "mini.pdf")
    count = len(plain.pages)
    multiple = next(m for m in (4, 8, 16, 32, 64) if count % m)
    project = new_fixture_project()
    set_page(project, f'page_multiple = {multiple}\nbleed = "3mm"\ncrop_marks = true')
    out = project / "out"
    code, printed = build_pdf(project, out)
    assert code == 0, printed
    pdf = PdfReader(out / "mini" / "mini.pdf")
    assert len(pdf.pages) % multiple == 0 and count < len(pdf.pages) < count + multiple
    assert f"mini.pdf laid out in {count} pages, and {len(pdf.pages) - count} blank after " \
        f"them to make {len(pdf.pages)}; checking" in printed
    # The book's pages as they were; after them, blank ones of the same size, with the marks.
    assert [p.extract_text() for p in pdf.pages[:count]] == [
        p.extract_text() for p in plain.pages]
    sizes = {tuple(float(v) for v in (p.trimbox.width, p.trimbox.height, p.mediabox.width,
                                      p.mediabox.height)) for p in pdf.pages}
    assert len(sizes) == 1
    for sheet in pdf.pages[count:]:
        assert sheet.extract_text().strip() == ""
        forms = sheet["/Resources"].get("/XObject", {})
        contents = sheet.get_contents().get_data().decode("latin-1")
        drawn = [forms[name].get_object().get_data() for name in
                 re.findall(r"(/x\d+) Do", contents)]
        assert any(b" l\nB\n" in data for data in drawn) and " Tj" not in contents \
            and "TJ" not in contents
    # The index and the tags hold as on any PDF the build writes.
    from test_pdftags import misplaced

    assert misplaced(out / "mini" / "mini.pdf") == []
    assert pikepdf.open(out / "mini" / "mini.pdf").Root.StructTreeRoot is not None


@pytest.mark.parametrize("value", ["0", "3", "66", "-4", "true", "4.0"])
def test_a_page_multiple_no_sheet_folds_into_is_refused_at_its_line(fixture_project, value):
    from helpers import line_of, run

    set_page(fixture_project, f"page_multiple = {value}")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "page_multiple")
    assert code == 1
    expected = (f"page_multiple = {value} is not a number of pages a sheet folds into"
                if value.lstrip("-").isdigit() else "'page_multiple' in [page] must be a whole "
                "number, not " + ("true or false" if value == "true" else "a decimal number"))
    assert f"editions/mini.toml:{line}: {expected}" in printed, printed


USUAL_BLEED = "printers ask for '3mm' (some for '5mm' or '0.125in')"


@pytest.mark.parametrize(("value", "hint"), [
    ('"11mm"', USUAL_BLEED),
    ('"-3mm"', USUAL_BLEED),
    ('"3 furlongs"', USUAL_BLEED + "; a length is in mm, cm, in or pt"),
    ('"3px"', "px is relative (to the type, the screen or the box around it): give the length "
     "itself, in mm, cm, in or pt; " + USUAL_BLEED),
    ('"3"', "a length takes its unit: '3mm'"),
    ('"3 mm"', "write the unit right after the number, without a space: '3mm'"),
    ('"3MM"', "write it '3mm': the unit in small letters"),
    ('"3,5mm"', "write it '3.5mm': a decimal point, not a comma"),
])
def test_a_bleed_a_printer_cannot_take_is_refused_at_its_line_with_its_fix(fixture_project,
                                                                          value, hint):
    from helpers import line_of, run

    set_page(fixture_project, f"bleed = {value}")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "bleed")
    assert code == 1
    assert f"editions/mini.toml:{line}: bleed {value[1:-1]!r} is not a length from 0 to 10 " \
        f"mm\n  hint: {hint}\n" in printed, printed


def test_a_bleed_without_quotes_is_told_its_unit_too(fixture_project):
    from helpers import line_of, run

    set_page(fixture_project, "bleed = 3")
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "bleed")
    assert code == 1
    assert f"editions/mini.toml:{line}: 'bleed' in [page] must be text, not a number" in printed
    assert 'write it with its unit, in quotes: bleed = "3mm"' in printed, printed


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_a_contents_title_that_fills_its_line_keeps_words_with_its_page_number(tmp_path):
    """Titles a letter longer each, one after the other: some fill their line to its end. The
    page number's line holds words of the title, never the leader alone."""
    from weasyprint import HTML

    css = Path(__file__).resolve().parent.parent / "templates" / "base" / "css"
    words = "Κοινωνικά πολιτικά στρατιωτικά δεδομένα της Οκτωβριανής επανάστασης " * 2
    entries = "".join(f'<li><a href="#t{n}">{words[:n]}</a></li>' for n in range(40, 110))
    targets = "".join(f'<p id="t{n}">target</p>' for n in range(40, 110))
    html = (f'<html><head><link rel="stylesheet" href="common.css"/>'
            f'<link rel="stylesheet" href="print.css"/><style>@page {{ size: 110mm 400mm; '
            f'margin: 10mm }} html {{ font-size: 10pt }}</style></head><body>'
            f'<nav class="contents"><ol>{entries}</ol></nav>{targets}</body></html>')
    pdf = tmp_path / "contents.pdf"
    HTML(string=html, base_url=css.as_uri() + "/").write_pdf(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    # A leader (if the last line of the title leaves room for one) and a number, alone.
    assert [line for line in lines if re.fullmatch(r"[\s.]*\.[\s.]*\d+\s*", line)] == [], text
    # Each entry's number ends a line of its words (the folios stand alone, without one).
    assert len([line for line in lines if re.search(r"[^\W\d_].*\s\d+\s*$", line)]) == 70


@pytest.mark.parametrize(("page", "message", "hint"), [
    ('size = "６in ９in"', "page size '６in ９in' is not a paper size this tool knows (did you "
     "mean '6in 9in'?)", None),
    ('type_size = "１２pt"', "type size '１２pt' is not a length",
     "write it with the digits 0–9: '12pt'"),
    ('margins = { top = "١٨mm" }', "margin top '١٨mm' is not a length",
     "write it with the digits 0–9: '18mm'"),
    ('bleed = "３mm"', "bleed '３mm' is not a length", "write it with the digits 0–9: '3mm'"),
])
def test_a_length_in_the_digits_of_another_script_is_refused_with_its_0_to_9_form(
        fixture_project, page, message, hint):
    # Typed with a Japanese or Arabic keyboard: Python reads such digits, the layout does not
    # (it printed the page size's "６in ９in" on A4, and set no type size or margin).
    from helpers import line_of, run

    set_page(fixture_project, page)
    code, printed = run(fixture_project, "check", "--edition", "mini")
    line = line_of(fixture_project, "editions/mini.toml", page.split(" =")[0])
    assert code == 1
    assert f"editions/mini.toml:{line}: {message}" in printed, printed
    assert hint is None or f"hint: {hint}" in printed, printed


@pytest.mark.parametrize(("page", "meant"), [
    # A printer's words, which the nearest spelling does not give ("type_size" for trim_size).
    ('trim_size = "6in 9in"', "size"), ("signature = 16", "page_multiple"),
    ('font-size = "11pt"', "type_size"), ("trim_marks = true", "crop_marks"),
    ('sise = "A5"', "size"),  # a misspelling still gets the nearest key
])
def test_a_printers_word_for_a_page_key_is_told_the_key(fixture_project, page, meant):
    from helpers import line_of, run

    set_page(fixture_project, page)
    code, printed = run(fixture_project, "check", "--edition", "mini")
    key = page.split(" =")[0]
    line = line_of(fixture_project, "editions/mini.toml", key)
    assert code == 1
    assert f"editions/mini.toml:{line}: unknown key '{key}' in [page]" in printed, printed
    assert f"hint: did you mean '{meant}'?" in printed, printed


def test_a_contents_leader_never_touches_the_title(tmp_path):
    """Titles a letter longer each: wherever the dots' columns fall, the first dot stands a
    quarter of an em at least after the title's last letter."""
    from weasyprint import HTML

    css = Path(__file__).resolve().parent.parent / "templates" / "base" / "css"
    words = "[Rewolucja październikowa] Η ρωσική κοινωνία σε επαναστατική κρίση "
    entries = "".join(f'<li><a href="#t{n}">{words[:n].strip()}</a></li>'
                      for n in range(12, len(words)))
    targets = "".join(f'<p id="t{n}">target</p>' for n in range(12, len(words)))
    html = (f'<html><head><link rel="stylesheet" href="common.css"/>'
            f'<link rel="stylesheet" href="print.css"/><style>@page {{ size: 110mm 600mm; '
            f'margin: 10mm }} html {{ font-size: 10pt }}</style></head><body>'
            f'<nav class="contents"><ol>{entries}</ol></nav>{targets}</body></html>')
    page = HTML(string=html, base_url=css.as_uri() + "/").render().pages[0]._page_box
    gaps = []
    for line in (box for box in page.descendants() if type(box).__name__ == "LineBox"):
        texts = [box for box in line.descendants() if type(box).__name__ == "TextBox"]
        title = [box for box in texts if box.element_tag == "a"]
        dots = [box for box in texts if box.element_tag == "a::after" and box.text == ". "]
        if title and dots:
            end = max(box.position_x + box.width for box in title)
            gaps.append(min(box.position_x for box in dots) - end)
    assert len(gaps) > 40
    assert min(gaps) >= 2.5, sorted(gaps)[:5]  # 10 pt type


@pytest.mark.parametrize("size", ["A6", "A5 landscape"])
def test_the_margins_a_small_page_is_given_keep_its_heads_and_folios_off_the_edge(
        new_fixture_project, size):
    """Margins not given leave the running heads and the folios the 5 mm a printer keeps
    clear, on the smallest pages too: the page check finds nothing near the edge."""
    project = new_fixture_project()
    set_page(project, f'size = "{size}"')
    code, printed = run(project, "check", "--edition", "mini")
    assert code == 0, printed
    assert "near-edge" not in printed and "past-edge" not in printed, printed


def test_the_rule_over_a_texts_questions_never_heads_a_page(fixture_project):
    # The classroom theme sets a text's questions apart with a rule. Where they begin a page
    # (forced here), the rule stays under the text's last line on the page before, and their
    # title stands where the page's text would: no rule, no space above it.
    from book.make import prepare
    from book.pdf import lay_out

    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8")
                       + 'templates = "classroom"\n', encoding="utf-8")
    with (fixture_project / "templates" / "base" / "css" / "custom.css").open("a") as css:
        css.write(".questions { break-before: page; }\n")
    gathered = gather(Project(fixture_project))
    made = prepare(Project(fixture_project), next(e for e in gathered.editions
                                                   if e.name == "mini"), gathered)
    pages = [page._page_box for page in lay_out(made.book, made.env, made.search_path,
                                                made.glyph_places).document.pages]

    def body(page) -> list:
        """The boxes of a page's text, in its flow: running heads, folios and notes aside."""
        return [box for child in page.children
                if type(child).__name__ not in ("MarginBox", "FootnoteAreaBox")
                for box in child.descendants()]

    def classed(box, name: str) -> bool:
        return box.element is not None and name in (box.element.get("class") or "").split()

    def ruled(box) -> bool:
        return box.border_top_width > 0 or box.border_bottom_width > 0

    heads = [(number, box) for number, page in enumerate(pages) for box in body(page)
             if classed(box, "questions-title") and type(box).__name__ == "BlockBox"]
    assert heads
    for number, title in heads:
        page = pages[number]
        assert abs(title.border_box_y() - page.content_box_y()) < 0.5
        assert not [box for box in body(page) if ruled(box) and box.position_y < title.position_y]
        lines = [box for box in body(pages[number - 1]) if type(box).__name__ == "LineBox"
                 and not any(classed(b, "answer-line") for b in box.descendants())]
        assert any(ruled(box) and box.position_y > max(line.position_y for line in lines)
                   for box in body(pages[number - 1])), number
