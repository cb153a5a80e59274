"""An edition's ISBNs: checked at their line, printed in both formats' colophons, the EPUB's
its identifier, the PDF's the source of the EPUB's page markers; the teacher's copy and a new
edition made from this one carry none."""

import zipfile

import pytest
from helpers import edit, line_of, run
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from book.isbns import hyphenated, isbn_problem

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
PDF_ISBN, EPUB_ISBN = "978-0-306-40615-7", "9781861972712"  # the second as pasted, no hyphens
ISBNS = f'\n[isbn]\npdf = "{PDF_ISBN}"\nepub = "{EPUB_ISBN}"\n'


def check_digit(twelve: str) -> str:
    # EAN-13, computed here from its definition: weights 1 and 3 from the left.
    return str(-sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve)) % 10)


def test_the_books_carry_their_isbns_and_the_teachers_copy_none(fixture_project, tmp_path,
                                                                 epubcheck):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\nprint_pages = true\ncopies = ["student", "teacher"]')
    (fixture_project / "editions" / "mini.toml").write_text(
        (fixture_project / "editions" / "mini.toml").read_text() + ISBNS)
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(tmp_path))
    assert code == 0, printed
    lines = ["ISBN 978-0-306-40615-7 (print edition)", "ISBN 978-1-86197-271-2 (EPUB)"]
    with zipfile.ZipFile(tmp_path / "mini" / "mini.epub") as package:
        opf = etree.fromstring(package.read("EPUB/content.opf"))
        colophon = " ".join("".join(etree.fromstring(package.read("EPUB/colophon.xhtml"))
                                    .itertext()).split())
        summary = opf.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()",
                            namespaces=OPF)
    unique = opf.get("unique-identifier")
    assert opf.xpath(f"//dc:identifier[@id='{unique}']/text()", namespaces=OPF) == [
        "urn:isbn:9781861972712"]
    # The print edition the EPUB's page markers come from (EPUB 3.3, "source-of").
    assert opf.xpath("//dc:source[@id='print-source']/text()", namespaces=OPF) == [
        "urn:isbn:9780306406157"]
    assert "The pages of the printed edition, ISBN 978-0-306-40615-7, are marked" in \
        " ".join(summary)
    assert all(line in colophon for line in lines), colophon
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(tmp_path / "mini" / "mini.pdf").pages)
    assert all(line in text for line in lines)
    assert epubcheck(tmp_path / "mini" / "mini.epub").valid
    # The teacher's copy is not the book that is sold: no ISBN, its identifier its own.
    with zipfile.ZipFile(tmp_path / "mini" / "mini-teacher.epub") as package:
        read = b"".join(package.read(n) for n in package.namelist() if n.endswith(
            (".xhtml", ".opf")))
    assert b"ISBN" not in read and b"urn:isbn" not in read and b"urn:uuid:" in read
    teacher = PdfReader(tmp_path / "mini" / "mini-teacher.pdf")
    assert not any("ISBN" in page.extract_text() for page in teacher.pages)


@pytest.mark.parametrize("table, key, message, hint", [
    ('pdf = "978-0-306-40615-8"', "pdf",
     "[isbn] pdf: '978-0-306-40615-8' is not an ISBN: its last digit, the check digit, "
     "does not match the twelve before it", "a digit is mistyped or two are swapped"),
    ('epub = "0-306-40615-2"', "epub", "[isbn] epub: '0-306-40615-2' is a 10-digit ISBN",
     'give its 13-digit form, "978-0-306-40615-7"'),
    ('epub = "0-306-40615-3"', "epub",
     "[isbn] epub: '0-306-40615-3' is not an ISBN: its check digit does not match the digits "
     "before it", "a digit is mistyped"),
    ('epub = "3-16-148410-X"', "epub",  # a check digit of 10 is written X
     "[isbn] epub: '3-16-148410-X' is a 10-digit ISBN", 'give its 13-digit form, '
     '"978-3-16-148410-0"'),
    ('pdf = "ISBN 978-0-306-40615-7"', "pdf",
     "[isbn] pdf: 'ISBN 978-0-306-40615-7' begins with its label",
     'the colophon prints "ISBN" before it'),
    ('pdf = "978-0-306-4O615-7"', "pdf",  # a letter O for a zero
     "[isbn] pdf: '978-0-306-4O615-7' is not an ISBN", "an ISBN is 13 digits"),
    ('pdf = "978-0-306-4061"', "pdf",
     "[isbn] pdf: '978-0-306-4061' has 11 digits, not the 13 of an ISBN", "copy the whole"),
    ('pdf = "977-1234-5678-00"', "pdf",
     "[isbn] pdf: '977-1234-5678-00' is not an ISBN: every ISBN begins with 978 or 979",
     "barcode"),
    ('pdf = "978-0-306-40615-7"\nepub = "9780306406157"', "epub",
     "[isbn] epub is the PDF's ISBN too", "each format of a book has an ISBN of its own"),
    ('pdf = 9780306406157', "pdf", "'pdf' in [isbn] must be text, not a number",
     'write it in quotes, pdf = "9780306406157"'),
    ('pfd = "978-0-306-40615-7"', "pfd", "unknown key 'pfd' in [isbn]", "did you mean 'pdf'?"),
])
def test_a_wrong_isbn_stops_the_build_at_its_line(fixture_project, tmp_path, table, key,
                                                  message, hint):
    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text() + f"\n[isbn]\n{table}\n")
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(tmp_path / "out"))
    # The line of the key in the [isbn] table, not an earlier one of the same name.
    line = path.read_text().split("\n").index(next(
        x for x in table.split("\n") if x.startswith(key))) + 1
    assert code == 1
    assert f"editions/mini.toml:{line}: {message}" in printed, printed
    assert hint in printed and not (tmp_path / "out").exists()


def test_an_isbn_under_page_is_told_the_isbn_table(fixture_project):
    # A publisher's first try: the ISBN among the page's keys. Moved above [page] as it was
    # told before, it was then refused as text where a table goes.
    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text() + '\n[page]\nisbn = "978-0-306-40615-7"\n')
    code, printed = run(fixture_project, "check", "--edition", "mini")
    line = line_of(fixture_project, "editions/mini.toml", "isbn =")
    assert code == 1
    assert f"editions/mini.toml:{line}: unknown key 'isbn' in [page]" in printed, printed
    assert "hint: isbn is a table of its own: write [isbn] on a line of its own, and its keys " \
        "below it (pdf, epub)" in printed, printed


def test_an_isbn_for_a_format_not_made_is_refused(fixture_project, tmp_path):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\nformats = ["pdf"]\nisbn = { epub = "978-0-306-40615-7" }')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "isbn =")
    assert code == 1
    assert f"editions/mini.toml:{line}: [isbn] epub is given, but the edition makes no EPUB" \
        in printed and 'add "epub" to formats' in printed, printed


def test_two_editions_with_one_isbn_and_a_new_edition_without_the_old_ones(fixture_project):
    (fixture_project / "editions" / "mini.toml").write_text(
        (fixture_project / "editions" / "mini.toml").read_text() + ISBNS)
    code, printed = run(fixture_project, "new-edition", "my-class", "--from", "mini")
    assert code == 0, printed
    made = (fixture_project / "editions" / "my-class" / "edition.toml").read_text()
    assert "\n# [isbn]  # the ISBNs of the edition this one started from" in made
    assert f'\n# pdf = "{PDF_ISBN}"\n' in made
    code, printed = run(fixture_project, "check")
    assert code == 0, printed
    # The mistake the comment prevents: an edition file copied with its ISBNs. The editions
    # are read in their files' order: mini-pl's first, and mini's is named at its line.
    path = fixture_project / "editions" / "mini-pl.toml"
    path.write_text(path.read_text() + f'\n[isbn]\nepub = "{PDF_ISBN}"\n')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "pdf =")
    other = line_of(fixture_project, "editions/mini-pl.toml", "epub =")
    assert code == 1
    assert f"editions/mini.toml:{line}: [isbn] pdf: {PDF_ISBN} is also the EPUB ISBN of the " \
        f"edition mini-pl (editions/mini-pl.toml:{other})" in printed, printed


@given(st.sampled_from(["978", "979"]), st.text("0123456789", min_size=9, max_size=9),
       st.integers(1, 9))
def test_any_isbn_is_taken_and_printed_with_its_digits_and_a_wrong_check_digit_refused(
        prefix, body, wrong):
    number = prefix + body + check_digit(prefix + body)
    assert isbn_problem(number) is None
    assert hyphenated(number).replace("-", "") == number
    assert isbn_problem(" ".join(number)) is None  # spaces between the digits are allowed
    # As a word processor or a PDF gives it: Unicode hyphens, dashes and no-break spaces.
    for separator in ("\u2010", "\u2011", "\u2013", "\u00a0", "\u202f"):
        pasted = separator.join((number[:3], number[3:12], number[12]))
        assert isbn_problem(pasted) is None and hyphenated(pasted) == hyphenated(number)
    mistyped = number[:-1] + str((int(number[-1]) + wrong) % 10)
    problem = isbn_problem(mistyped)
    assert problem is not None and problem[0].endswith(
        "the check digit, does not match the twelve before it")


@pytest.mark.parametrize(("written", "problem"), [
    (" 978-0-306-40615-7 ", None),
    ("978-0-306-40615-7 (print)", "'978-0-306-40615-7 (print)' is not an ISBN"),
    ("978--0-306-40615-7", "'978--0-306-40615-7' is not an ISBN"),
    ("  ISBN 978 ", "'ISBN 978' begins with its label"),
    ("080442957X", "'080442957X' is a 10-digit ISBN"),
    ("080442957x", "'080442957x' is a 10-digit ISBN"),
    ("0-8044-2957-X", "'0-8044-2957-X' is a 10-digit ISBN"),
    ("978030640615X", "'978030640615X' is not an ISBN: only a 10-digit ISBN ends in X"),
    ("97803064061576", "'97803064061576' has 14 digits, not the 13 of an ISBN"),
    ("123456789", "'123456789' has 9 digits, not the 13 of an ISBN"),
    # Pasted: full-width digits, minus signs, a soft hyphen.
    ("９７８０３０６４０６１５７", None),
    ("978\u22120\u2212306\u221240615\u22127", None),
    ("978-0-306-4\u00ad0615-7", None),
])
def test_what_is_wrong_with_an_isbn_as_written(written, problem):
    found = isbn_problem(written)
    assert (found and found[0]) == problem


def test_the_isbns_stand_in_the_formats_order_and_are_located_inline(fixture_project):
    from book.config import load_edition

    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text() + f'\n[isbn]\nepub = "{EPUB_ISBN}"\npdf = "{PDF_ISBN}"\n')
    edition = load_edition(path, None, fixture_project / "templates")
    assert edition.isbns == (("pdf", PDF_ISBN), ("epub", "978-1-86197-271-2"))
    # Written as an inline table, a mistake is at its line.
    path.write_text(path.read_text().replace(
        f'\n[isbn]\nepub = "{EPUB_ISBN}"\npdf = "{PDF_ISBN}"\n',
        '\nisbn = { pdf = "978-0-306-40615-8" }\n'))
    code, printed = run(fixture_project, "check")
    assert f"editions/mini.toml:{line_of(fixture_project, 'editions/mini.toml', 'isbn =')}: " \
        "[isbn] pdf: '978-0-306-40615-8' is not an ISBN" in printed, printed


def test_an_isbn_of_another_editions_second_format_is_found(fixture_project):
    (fixture_project / "editions" / "mini.toml").write_text(
        (fixture_project / "editions" / "mini.toml").read_text()
        + f'\nisbn = {{ pdf = "{PDF_ISBN}", epub = "{EPUB_ISBN}" }}\n')
    path = fixture_project / "editions" / "mini-pl.toml"
    path.write_text(path.read_text() + f'\n[isbn]\nepub = "{EPUB_ISBN}"\n')
    code, printed = run(fixture_project, "check")
    assert code == 1
    # mini-pl is read first; mini's inline table is where the second use stands.
    line = line_of(fixture_project, "editions/mini.toml", "isbn =")
    other = line_of(fixture_project, "editions/mini-pl.toml", "epub =")
    assert f"editions/mini.toml:{line}: [isbn] epub: 978-1-86197-271-2 is also the EPUB ISBN " \
        f"of the edition mini-pl (editions/mini-pl.toml:{other})" in printed, printed


@pytest.mark.parametrize(("written", "commented"), [
    ('a = 1\n  [ isbn ]\npdf = "x"\n\n# the page\n[page]\nsize = "A5"\n',
     'a = 1\n#   [ isbn ]{note}\n# pdf = "x"\n\n# the page\n[page]\nsize = "A5"\n'),
    ('a = 1\n  isbn = { pdf = "x" }\n[page]\n', 'a = 1\n#   isbn = { pdf = "x" }{note}\n[page]\n'),
    ('a = 1\nisbn.pdf = "x"\n', 'a = 1\n# isbn.pdf = "x"{note}\n'),
])
def test_new_edition_comments_out_the_isbns_however_written(written, commented):
    from book.scaffold import ISBN_NOTE, _without_isbns

    assert _without_isbns(written) == commented.replace("{note}", ISBN_NOTE)


def test_an_isbn_the_ranges_do_not_place_is_printed_without_hyphens():
    # Valid, in a range python-stdnum does not know (an agency's newer one, say): its digits
    # alone, rather than hyphens in the wrong places.
    assert isbn_problem("9786999999990") is None
    assert hyphenated("9786999999990") == "9786999999990"
    assert hyphenated("９７８０３０６４０６１５７") == PDF_ISBN


def test_an_isbn_printed_without_hyphens_is_a_note_at_its_line(fixture_project):
    # The publisher reads the colophon's "ISBN 9786999999990" and wonders why: check says.
    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text() + '\n[isbn]\npdf = "9786999999990"\n'
                    'epub = "978-0-306-40615-7"\n')
    code, printed = run(fixture_project, "check", "--strict", "--edition", "mini")
    line = line_of(fixture_project, "editions/mini.toml", "pdf = ")
    assert code == 0, printed
    assert f"editions/mini.toml:{line}: note: the PDF's ISBN 9786999999990 is printed without " \
        "hyphens: the ranges of the ISBN agencies this tool knows do not place its parts " \
        "[isbn]" in printed, printed
    assert "ISBN 978-0-306" not in printed  # the EPUB's, hyphenated, says nothing


def test_a_windows_edition_file_gives_a_new_edition_that_loads(fixture_project):
    path = fixture_project / "editions" / "mini.toml"
    path.write_bytes((path.read_text() + ISBNS).replace("\n", "\r\n").encode())
    assert run(fixture_project, "new-edition", "my-class", "--from", "mini")[0] == 0
    made = (fixture_project / "editions" / "my-class" / "edition.toml").read_bytes()
    assert b"# [isbn]  # the ISBNs" in made and b"\r\n# pdf = " in made
    code, printed = run(fixture_project, "check")
    assert code == 0, printed


def test_a_dotted_isbn_key_is_located(fixture_project):
    path = fixture_project / "editions" / "mini.toml"
    path.write_text(path.read_text() + '\nisbn.pdf = "978-0-306-40615-8"\n')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "isbn.pdf")
    assert f"editions/mini.toml:{line}: [isbn] pdf: '978-0-306-40615-8' is not an ISBN" \
        in printed, printed
