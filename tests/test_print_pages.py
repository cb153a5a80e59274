"""The printed edition's pages in the EPUB: a page break marker where each page of the PDF
begins, a page list, the PDF named as their source. Each marker is read back from the files
themselves, the PDF's text with poppler's pdftotext (its running heads and folios are
Artifacts, which pikepdf takes out first) and the EPUB's with lxml (its notes, set at the foot
of the PDF's pages, left out), and compared letter by letter: spaces, hyphens and note numbers
are set differently by design."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from helpers import edit, line_of, run
from lxml import etree

from book.printpages import CHECKED, PageStart, mark_pages

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# Letters compared after each marker: enough to tell any two places of a book apart.
COMPARED = 30


def letters(text: str) -> str:
    return "".join(c.casefold() for c in text if c.isalpha())


@cache
def pdf_pages(pdf: Path) -> tuple[tuple[str, str], ...]:
    """The letters each page of the PDF sets, its Artifacts left out, in two readings: line
    by line from the top, and in the order they are drawn (a table's cells, whose lines
    stand side by side, are drawn one after the other)."""
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "without-artifacts.pdf"
        with pikepdf.open(pdf) as document:
            count = len(document.pages)
            for page in document.pages:
                page.Contents = document.make_stream(pikepdf.unparse_content_stream(
                    without_artifacts(pikepdf.parse_content_stream(page))))
            document.save(bare)
        readings = [subprocess.run(["pdftotext", *order, str(bare), "-"], capture_output=True,
                                   check=True, text=True).stdout.split("\f")[:-1]
                    for order in ([], ["-raw"])]  # -raw: as the content stream draws them
    assert len(readings[0]) == len(readings[1]) == count, pdf
    return tuple((letters(lines), letters(drawn)) for lines, drawn in zip(*readings, strict=True))


def without_artifacts(operations: list) -> list:
    """A page's content stream without what it marks as an Artifact (BMC or BDC /Artifact
    … EMC, with all it nests)."""
    kept, artifact = [], []  # for each marked content open: whether it is, or is in, one
    for operands, operator in operations:
        name = str(operator)
        if name in ("BMC", "BDC"):
            artifact.append(str(operands[0]) == "/Artifact" or any(artifact))
            inside = artifact[-1]
        elif name == "EMC" and artifact:
            inside = artifact.pop()
        else:
            inside = any(artifact)
        if not inside:
            kept.append((operands, operator))
    return kept


@cache
def epub_reading(epub: Path) -> tuple[dict[str, str], list[tuple[str, str, int]], str]:
    """The EPUB's letters in reading order, each document's; its markers as (label,
    document, where its letters stand); and its package document."""
    with zipfile.ZipFile(epub) as package:
        opf_name = next(n for n in package.namelist() if n.endswith(".opf"))
        opf = package.read(opf_name).decode()
        folder = opf_name.rpartition("/")[0]
        manifest = dict(re.findall(r'<item [^>]*?href="([^"]+)"[^>]*?id="([^"]+)"', opf))
        manifest = {uid: href for href, uid in manifest.items()}
        spine = re.findall(r'<itemref idref="([^"]+)"', opf)
        texts, markers = {}, []
        for uid in spine:
            name = manifest[uid]
            root = etree.fromstring(package.read(f"{folder}/{name}"))
            pieces: list[str] = []
            for kind, value in _pieces(root.find("{http://www.w3.org/1999/xhtml}body")):
                if kind == "page":
                    markers.append((value, name, len(letters("".join(pieces)))))
                else:
                    pieces.append(value)
            texts[name] = letters("".join(pieces))
    return texts, markers, opf


def _pieces(element):
    """("text", …) and ("page", label) in document order, the notes and their calls left out
    (by their EPUB semantics, not by the tool's ids)."""
    kinds = set(element.get(EPUB_TYPE, "").split())
    if isinstance(element.tag, str) and not kinds & {"footnote", "noteref", "endnote"}:
        if "pagebreak" in kinds:
            yield "page", element.get("aria-label")
        yield "text", element.text or ""
        for child in element:
            yield from _pieces(child)
    yield "text", element.tail or ""


def editions_with_pages(made) -> list[tuple[Path, Path]]:
    return [(path, path.with_suffix(".epub")) for edition, path in made["pdf"]
            if edition.print_pages]


@pytest.fixture(scope="module")
def printed(new_fixture_project, tmp_path_factory) -> tuple[Path, Path, Path]:
    """The fixture's edition with print_pages on, built in both formats: (the project, its
    PDF, its EPUB)."""
    project = new_fixture_project()
    edit(project, "editions/mini.toml", 'filename = "mini"', 'filename = "mini"\n'
         "print_pages = true")
    out = tmp_path_factory.mktemp("printed")
    code, printed = run(project, "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    return project, out / "mini" / "mini.pdf", out / "mini" / "mini.epub"


@pytest.fixture(scope="module", params=["fixture", "real book"])
def pairs(request, printed) -> list[tuple[Path, Path]]:
    """(PDF, EPUB) of the fixture's edition, or of each real edition that carries its pages."""
    if request.param == "fixture":
        return [printed[1:]]
    return editions_with_pages(request.getfixturevalue("made"))


def check_markers(pdf: Path, epub: Path) -> list[str]:
    """What is wrong with the markers of `epub` against the pages of `pdf`."""
    pages = pdf_pages(pdf)
    texts, markers, _ = epub_reading(epub)
    wrong = []
    for label, name, at in markers:
        after, before = texts[name][at:at + COMPARED], texts[name][:at]
        # A page that goes on with a word hyphenated on the page before: the marker stands
        # after the word, and the letters before it end with the word's end.
        begins = any(page.startswith(after) or any(
            before.endswith(page[:k]) and page[k:].startswith(after) for k in range(1, 30))
            for page in pages[int(label) - 1])
        if not after or not begins:
            wrong.append(f"page {label} in {name}: {after!r} / the page: "
                         f"{pages[int(label) - 1][0][:COMPARED]!r}")
    return wrong


def test_each_marker_stands_where_its_pdf_page_begins(pairs):
    for pdf, epub in pairs:
        assert check_markers(pdf, epub) == [], epub.name
        # A book of several pages carries them: the test reads markers, not their absence.
        assert len(epub_reading(epub)[1]) >= len(pdf_pages(pdf)) // 2, epub.name


def test_every_page_that_begins_in_a_text_is_marked(pairs):
    """A page whose first letters are the beginning of a passage of one of the texts (the
    parts a class reads page by page) has its marker."""
    for pdf, epub in pairs:
        texts, markers, _ = epub_reading(epub)
        marked = {label for label, *_ in markers}
        in_texts = "".join(t for name, t in texts.items() if name.startswith("text-"))
        for number, (page, _) in enumerate(pdf_pages(pdf), 1):
            first = page[:COMPARED]
            if len(first) == COMPARED and in_texts.count(first) == 1:
                assert str(number) in marked, (epub.name, number, first)


def test_the_page_list_leads_to_each_marker_and_names_its_source(pairs):
    for pdf, epub in pairs:
        _, markers, opf = epub_reading(epub)
        with zipfile.ZipFile(epub) as package:
            nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
        page_list = [n for n in nav.iter("{http://www.w3.org/1999/xhtml}nav")
                     if n.get(EPUB_TYPE) == "page-list"]
        assert len(page_list) == 1
        links = [(a.text, a.get("href")) for a in page_list[0].iter(
            "{http://www.w3.org/1999/xhtml}a")]
        # Every marker listed once, in the order of the pages and of reading.
        assert [label for label, _ in links] == [label for label, *_ in markers]
        assert [int(label) for label, _ in links] == sorted({int(x) for x, _ in links})
        for (label, href), (_, name, _) in zip(links, markers, strict=True):
            document, _, anchor = href.partition("#")
            assert document == name
            with zipfile.ZipFile(epub) as package:
                target = etree.fromstring(package.read(f"EPUB/{document}"))
            [marker] = target.xpath(f"//*[@id='{anchor}']")
            assert "pagebreak" in marker.get(EPUB_TYPE) and marker.get("aria-label") == label
        assert f'<dc:source id="print-source">{pdf.name}</dc:source>' in opf
        assert '<meta refines="#print-source" property="source-of">pagination</meta>' in opf
        for feature in ("pageBreakMarkers", "pageNavigation", "printPageNumbers"):
            assert f">{feature}</meta>" in opf


def test_the_epub_alone_is_the_same_book(printed, tmp_path, monkeypatch):
    """An EPUB built without its PDF lays the PDF out to find its pages, or takes them from
    the last build that did: the same bytes either way as the EPUB built with the PDF."""
    project, _, epub = printed
    out = tmp_path / "out"
    assert run(project, "epub", "--edition", "mini", "--out", str(out))[0] == 0
    assert (out / "mini" / "mini.epub").read_bytes() == epub.read_bytes()
    assert len(list((out / ".made" / "memo").glob("pages-*.json"))) == 1

    def no_layout(*args, **kwargs):
        raise AssertionError("the pages kept by the last build were not used")

    monkeypatch.setattr("book.pdf.lay_out", no_layout)
    assert run(project, "epub", "--edition", "mini", "--out", str(out), "--force")[0] == 0
    assert (out / "mini" / "mini.epub").read_bytes() == epub.read_bytes()


def test_an_edition_carries_no_pages_unless_it_asks(fixture_dist):
    """The fixture's editions say nothing of print_pages: their EPUBs are made without a
    layout, and claim no page navigation."""
    with zipfile.ZipFile(fixture_dist / "mini" / "mini.epub") as package:
        everything = b"".join(package.read(n) for n in package.namelist())
    for absent in (b"pagebreak", b"page-list", b"dc:source", b"printPageNumbers",
                   b"pageBreakMarkers"):
        assert absent not in everything
    assert not list((fixture_dist / ".made" / "memo").glob("pages-*.json"))


@pytest.mark.parametrize("keys, message", [
    ('print_pages = "yes"', "'print_pages' must be true or false"),
    ('formats = ["epub"]\nprint_pages = true', "print_pages marks the PDF's pages in the EPUB: "
     'the edition makes epub\n  hint: make both, formats = ["pdf", "epub"]'),
])
def test_a_print_pages_mistake_is_named_at_its_line(fixture_project, keys, message):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         f'filename = "mini"\n{keys}')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "print_pages")
    assert code != 0
    assert f"editions/mini.toml:{line}: {message}" in printed, printed
    assert "Traceback" not in printed


def test_a_misspelt_format_is_one_mistake_not_two(fixture_project):
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\nformats = ["pdf", "epbu"]\nprint_pages = true')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, "editions/mini.toml", "epbu")
    assert code != 0
    assert f"editions/mini.toml:{line}: unknown format 'epbu'" in printed, printed
    assert "print_pages marks" not in printed, printed


# The marking itself, on documents written here.
NOTE_IDS = {"t-n1", "t-r1"}


def page(label, anchor, offset, begins) -> PageStart:
    return PageStart(label, anchor, offset, begins)


def test_a_marker_stands_at_the_counted_character():
    documents = {"a.xhtml": '<body><p id="t-1">One two <b>three</b> four</p></body>'}
    marked, placed = mark_pages(documents, [page("2", "t-1", 6, "threefour")], NOTE_IDS)
    assert marked["a.xhtml"] == ('<body><p id="t-1">One two <b><span epub:type="pagebreak" '
                                 'role="doc-pagebreak" id="page_2" aria-label="2"></span>'
                                 'three</b> four</p></body>')
    assert [(p.label, p.document, p.id) for p in placed] == [("2", "a.xhtml", "page_2")]


def test_notes_entities_and_soft_hyphens_are_not_counted():
    documents = {"a.xhtml": '<body><p id="t-1">A&amp;B<a id="t-r1" href="#t-n1">1</a> '
                            'c\u00add <i>e</i></p><aside id="t-n1"><p>note</p></aside></body>'}
    marked, _ = mark_pages(documents, [page("5", "t-1", 5, "e")], NOTE_IDS)
    assert '<i><span epub:type="pagebreak" role="doc-pagebreak" id="page_5" aria-label="5">' \
        '</span>e</i>' in marked["a.xhtml"]
    # Were the call's "1" counted, the fifth character would be the "d".
    assert "c\u00add" in marked["a.xhtml"]


def test_a_page_whose_text_differs_before_it_finds_its_words():
    """The note on the edition says "at the foot of the page" in print, "after its
    paragraph" in the EPUB: the page after it is found by its words, at the nearest place."""
    documents = {"a.xhtml": '<body><p id="x">Notes after the paragraph. Left out: this '
                            'and that. Left out: more.</p></body>'}
    marked, placed = mark_pages(documents, [page("3", "x", 19, "leftout:more")], set())
    assert len(placed) == 1
    assert 'aria-label="3"></span>Left out: more.' in marked["a.xhtml"]


def test_no_marker_where_the_epub_has_no_twin_or_other_words():
    documents = {"a.xhtml": '<body><p id="t-1">Alpha beta</p></body>'}
    starts = [page("1", "contents", 0, "contents"), page("2", "t-1", 0, "gamma")]
    marked, placed = mark_pages(documents, starts, set())
    assert placed == [] and marked == documents


def test_markers_follow_the_reading_order():
    """The print edition's colophon comes first, the EPUB's last: its page is left out
    rather than the page list going back."""
    documents = {"text.xhtml": '<body><p id="t-1">Alpha</p><p id="t-2">Beta</p></body>',
                 "colophon.xhtml": '<body><p id="colophon">Made</p></body>'}
    starts = [page("2", "colophon", 0, "made"), page("3", "t-1", 0, "alpha"),
              page("4", "t-2", 0, "beta")]
    _, placed = mark_pages(documents, starts, set())
    assert [p.label for p in placed] == ["3", "4"]


def test_a_marker_never_takes_an_id_the_document_has():
    documents = {"a.xhtml": '<body><p id="page_7">Alpha</p></body>'}
    _, placed = mark_pages(documents, [page("7", "page_7", 0, "alpha")], set())
    assert placed == []


@pytest.mark.parametrize("markup", ['<p id="t-1" title="a > b">Alpha</p>',
                                    "<!-- > --><p id='t-1'>Alpha<br/></p>"])
def test_markup_around_the_text_is_read_as_markup(markup):
    documents = {"a.xhtml": f"<body>{markup}</body>"}
    marked, placed = mark_pages(documents, [page("1", "t-1", 0, "alpha")], set())
    assert len(placed) == 1
    assert 'aria-label="1"></span>Alpha' in marked["a.xhtml"]


# Where page_starts finds each page's beginning, on a document laid out here: a paragraph
# broken by hyphens across pages, a footnote inside it, a table whose head repeats on each
# page and whose cells have generated content, a running head.
WORDS = ("internationalisation extraordinarily counterrevolutionary industrialisation "
         "representatives parliamentarianism").split()
FONT = (Path(__file__).resolve().parent.parent / "templates" / "base" / "fonts" /
        "GentiumBookPlus-Regular.ttf").as_uri()


def crafted(width: int) -> str:
    body = " ".join(WORDS[i % len(WORDS)] for i in range(260))
    rows = "".join(f'<tr id="r{i}"><td>{i} April</td><td>Event {i} in Petrograd</td></tr>'
                   for i in range(60))
    return f"""<html lang="en"><head><style>
@font-face {{ font-family: G; src: url({FONT}); }}
@page {{ size: {width}mm 90mm; margin: 12mm 8mm; @top-center {{ content: "Running head" }} }}
body {{ font-family: G; font-size: 10pt }}
p {{ hyphens: auto; text-align: justify }}
.fn {{ float: footnote }}
td:first-child::before {{ content: "§ " }}
</style></head><body><section id="s"><h1>Heading</h1>
<p id="a">{body[:900]}<span class="fn" id="t-n1">A note at the foot</span> {body[900:]}</p>
<table id="tab"><thead><tr><th>Date</th><th>Event</th></tr></thead>
<tfoot><tr><td>Dates</td><td>Old Style</td></tr></tfoot><tbody>{rows}</tbody></table>
<p>{body[:1200]}</p></section></body></html>"""


def source_text(html: str, anchor: str) -> str:
    """The text of element `anchor` of `html` as its source holds it, the note left out."""
    from lxml import html as lxml_html

    parts: list[str] = []

    def walk(element) -> None:
        if element.get("class") != "fn":
            parts.append(element.text or "")
            for child in element:
                walk(child)
        parts.append(element.tail or "")

    element = lxml_html.fromstring(html).get_element_by_id(anchor)
    walk(element)
    return "".join(parts[:-1])  # not the element's own tail


def test_each_page_starts_at_its_first_whole_word_in_the_source():
    from weasyprint import HTML

    from book.pdftags import added_hyphen
    from book.printpages import _text_boxes, counted, page_starts

    after_hyphen = in_table = 0
    for width in (70, 74, 78):
        html = crafted(width)
        document = HTML(string=html).render()
        starts = page_starts(document)
        assert [s.label for s in starts] == [str(n) for n in
                                             range(1, len(document.pages) + 1)]
        heads: set = set()
        boxes = [list(_text_boxes(page._page_box, heads)) for page in document.pages]
        assert starts[0].offset == 0
        for start in starts:
            # The page's first characters, as the layout sets them: after a word the page
            # before hyphenated, from the next word on.
            first = "".join(b.text for b in boxes[int(start.label) - 1])
            previous = boxes[int(start.label) - 2] if start.label != "1" else []
            if previous and added_hyphen(previous[-1]):
                after_hyphen += 1
                first = first.split(None, 1)[1]
            assert counted(first).startswith(start.begins[:10]), (width, start, first[:20])
            assert len(start.begins) == CHECKED or start.anchor.startswith("r")
            text = source_text(html, start.anchor)
            # The offset counts the source's characters, without spaces, before the page.
            assert counted(text)[start.offset:].startswith(start.begins), (width, start)
            # And it falls on a word's beginning: after a word the page before hyphenated,
            # the page's marker stands after that word's end.
            position = [i for i, c in enumerate(text) if not c.isspace()][start.offset]
            assert position == 0 or text[position - 1].isspace(), (width, start)
            in_table += start.anchor.startswith("r")
            assert "Date" not in start.begins and "§" not in start.begins
        # The paragraph after the table begins a page: its count is the section's, which the
        # table's head and foot, repeated on each page, do not swell.
        assert any(s.anchor == "s" and s.offset > 0 for s in starts), width
    # The cases the document was made for did occur.
    assert after_hyphen >= 3 and in_table >= 3


def test_in_the_texts_each_page_is_found_at_its_count(printed):
    """Within a text's paragraphs the two formats set the same words: every page found there
    stands at the very count of characters the layout gave it, not merely near it."""
    from book.config import copies_of
    from book.epub import prepare_epub
    from book.make import Project, gather, laid_out, prepare
    from book.printpages import _Parsed, note_ids

    project = Project(printed[0])
    gathered = gather(project)
    [edition] = [e for e in gathered.editions if e.name == "mini"]
    made = prepare(project, copies_of(edition)[0], gathered)
    starts = laid_out(made)[1]
    documents = prepare_epub(made.book, made.env, made.search_path)[2]
    skipped = note_ids(made.book)
    assert {f"{t.id}-n{n.label}" for t in made.book.texts for n in t.notes} <= skipped
    assert {f"{t.id}-r{n.label}" for t in made.book.texts for n in t.notes} <= skipped
    found = 0
    for start in starts:
        for name, text in documents.items():
            parsed = _Parsed(text)
            if name.startswith("text-") and start.anchor in parsed.spans:
                characters = "".join(c for c, _ in parsed._characters(
                    *parsed.spans[start.anchor], skipped))
                assert characters[start.offset:].casefold().startswith(
                    start.begins.casefold()), (name, start)
                found += 1
    assert found >= 2


def marked_at(document: str, start: PageStart, skipped=frozenset(NOTE_IDS)) -> str | None:
    """The text that follows the marker `start` puts in `document`, or None if none."""
    marked, placed = mark_pages({"a.xhtml": document}, [start], set(skipped))
    if not placed:
        return None
    return re.sub(r"<[^>]*>", "", marked["a.xhtml"].split(f'aria-label="{start.label}">', 1)[1])


def test_the_count_decides_between_places_that_read_alike():
    """Where the page's first characters stand more than once in its element, the count of
    the characters before it chooses, not the nearest match: the notes' calls, a note set
    inside the element, soft hyphens, comments and empty elements are not counted."""
    document = ('<?xml version="1.0"?><!DOCTYPE html><body><p id="t-1">x\u00ady<a id="t-r1" '
                'href="#t-n1">1</a>xy<!-- a comment --><br/><span id="t-n1"><b>no<i>t</i>e'
                '</b> xy</span> x<em>y</em> xy</p>zz</body>')
    assert marked_at(document, page("9", "t-1", 4, "xy")) == "xy xyzz"
    assert marked_at(document, page("9", "t-1", 2, "xyxy")) == "xynote xy xy xyzz"
    assert marked_at(document, page("9", "t-1", 0, "xyxyxyxy")) is not None
    # The element's text ends where it does: the page's characters are looked for in it.
    assert marked_at(document, page("9", "t-1", 6, "xyzz")) is None


def test_a_place_inside_one_characters_case_folding_is_no_place():
    """Characters are compared case-folded, ß as ss: a match that begins inside the
    folding of one character begins at no character of the text."""
    document = '<body><p id="t-1">Straße Strasse</p></body>'
    assert marked_at(document, page("2", "t-1", 4, "sse")) == "ße Strasse"
    assert marked_at(document, page("2", "t-1", 4, "ße")) == "ße Strasse"
    assert marked_at(document, page("2", "t-1", 11, "se")) == "se"
    assert marked_at(document, page("2", "t-1", 5, "se")) is None


def test_the_page_list_keeps_the_most_pages_in_reading_order():
    documents = {"one.xhtml": '<body><p id="a">Alpha</p><p id="b">Beta</p></body>',
                 "two.xhtml": '<body><p id="c">Gamma</p><p id="d">Delta</p></body>'}
    starts = [page("1", "c", 0, "gamma"), page("2", "a", 0, "alpha"),
              page("3", "b", 0, "beta"), page("4", "d", 0, "delta"),
              page("5", "d", 0, "delta")]
    _, placed = mark_pages(documents, starts, set())
    # Gamma first would keep 1, 4: Alpha, Beta, Delta keep three, and Delta once.
    assert [p.label for p in placed] == ["2", "3", "4"]


def test_an_empty_element_with_a_markers_id_keeps_it():
    documents = {"a.xhtml": '<body><a id="page_3"/><p id="t-1">Alpha</p></body>'}
    _, placed = mark_pages(documents, [page("3", "t-1", 0, "alpha")], set())
    assert placed == []


def test_a_place_is_found_in_an_element_that_holds_others():
    document = '<body><div id="t-1"><p>Alpha</p><p>Beta <a id="t-r1"/>gamma</p></div></body>'
    assert marked_at(document, page("4", "t-1", 5, "beta")) == "Beta gamma"
    # An empty call anchor, as the print edition's, is a note's: nothing after it is lost.
    assert marked_at(document, page("4", "t-1", 9, "gamma")) == "gamma"


def test_where_the_count_falls_elsewhere_the_nearest_place_is_taken():
    """The EPUB's element is shorter, or differs before the page: the place that begins as
    the page does and is nearest to the count."""
    document = '<body><p id="t-1">ab xx ab yyyyyy ab</p></body>'
    assert marked_at(document, page("5", "t-1", 7, "abyy")) == "ab yyyyyy ab"
    assert marked_at(document, page("5", "t-1", 7, "ab")) == "ab yyyyyy ab"
    assert marked_at(document, page("5", "t-1", 9, "ab")) == "ab"
    assert marked_at(document, page("5", "t-1", 14, "ab")) == "ab"
    assert marked_at(document, page("5", "t-1", 40, "ab")) == "ab"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("template", "fails"), [("templates/base/pdf/book.html", "PDF"),
                                                 ("templates/base/epub/colophon.xhtml", "EPUB")])
def test_a_mistake_in_one_format_is_named_once_and_neither_file_is_written(
        fixture_project, tmp_path, jobs, template, fails):
    """The EPUB's documents are made beside the PDF's layout and wait for its pages: a PDF
    that fails stops its EPUB without a word of its own, an EPUB that fails is named at its
    line, one worker or two, and the edition's files are replaced together or not at all."""
    edit(fixture_project, "editions/mini.toml", 'filename = "mini"',
         'filename = "mini"\nprint_pages = true')
    closing = "</body>" if fails == "PDF" else "</section>"
    edit(fixture_project, template, closing, "{{ nothing.here }}" + closing)
    out = tmp_path / "out"
    code, printed = run(fixture_project, "--edition", "mini", "--out", str(out), "--jobs", jobs)
    assert code == 1
    line = line_of(fixture_project, template, "nothing.here")
    assert printed.count(f"{template}:{line}: ") == 1, printed
    assert "abandon" not in printed.lower() and "Traceback" not in printed
    assert not [p for p in out.rglob("*") if p.suffix in (".pdf", ".epub")]
