"""The PDF's structure tree, as PDF/UA-1 asks it, read back with pikepdf: what book/pdftags.py
corrects in WeasyPrint's tagging. The tool is tested on the fixture project's PDF (and a
lengthened copy, whose paragraphs run over pages); the real book's PDFs only by properties
that hold for any content."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from helpers import other_warnings
from test_pdf import build_pdf, lengthen

from book import anchors
from book.make import Project, gather


def kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"


class Tree:
    """A PDF's structure tree: its elements in order with their parents and languages, the
    marked content each holds, the annotations each owns."""

    def __init__(self, path: Path) -> None:
        self.pdf = pikepdf.open(path)
        self.root = self.pdf.Root.StructTreeRoot
        self.page = {p.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.elements: list[pikepdf.Dictionary] = []
        self.parent: dict[tuple, pikepdf.Dictionary] = {}
        self.lang: dict[tuple, str] = {}  # the language each element is in
        self.inherited: dict[tuple, str] = {}  # its parent's
        self.marked: dict[tuple[int, int], list] = {}  # (page, MCID) -> elements holding it
        self.owned: dict[tuple, list] = {}  # annotation -> elements owning it (OBJR)
        (document,) = kids(self.root)
        self.document = document
        self._walk(document, None, str(self.pdf.Root.Lang))

    def _walk(self, element, parent, inherited: str) -> None:
        self.elements.append(element)
        self.parent[element.objgen] = parent
        self.inherited[element.objgen] = inherited
        lang = self.lang[element.objgen] = str(element.get("/Lang", inherited))
        for kid in kids(element):
            if isinstance(kid, int):
                self.marked.setdefault((self.page[element.Pg.objgen], kid), []).append(element)
            elif kid.get("/Type") == "/MCR":
                self.marked.setdefault((self.page[kid.Pg.objgen], int(kid.MCID)),
                                       []).append(element)
            elif kid.get("/Type") == "/OBJR":
                self.owned.setdefault(kid.Obj.objgen, []).append(element)
            else:
                self._walk(kid, element, lang)

    def of(self, kind: str, within=None) -> list:
        under = self.elements if within is None else self.under(within)
        return [e for e in under if e.S == kind]

    def under(self, element) -> list:
        found = [element]
        for kid in kids(element):
            if is_element(kid):
                found += self.under(kid)
        return found

    def ancestors(self, element) -> list:
        chain = []
        while (element := self.parent[element.objgen]) is not None:
            chain.append(element)
        return chain

    def languages(self, within) -> set[str]:
        return {self.lang[e.objgen] for e in self.under(within)}

    def content(self) -> tuple[set[tuple[int, int]], int]:
        """The marked content of the pages' streams, and how many Artifacts of pagination."""
        marked, artifacts = set(), 0
        for number, page in enumerate(self.pdf.pages):
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and str(operands[0]) == "/Artifact":
                    artifacts += operands[1].get("/Type") == "/Pagination"
                elif str(operator) == "BDC":
                    marked.add((number, int(operands[1].MCID)))
        return marked, artifacts

    def annotations(self) -> list[pikepdf.Dictionary]:
        return [a for page in self.pdf.pages for a in page.get("/Annots", [])
                if a.get("/Subtype") == "/Link"]


def destinations_of(link) -> set[str]:
    return {str(k.Obj.get("/Dest")) for k in kids(link)
            if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"}


def holds_everywhere(tree: Tree) -> None:
    """What PDF/UA asks of any book's tree: checked on the fixture's and on the real ones."""
    # Every piece of marked content in exactly one element, the parent tree saying which;
    # what no element holds is an Artifact (WeasyPrint leaves its margins' out of the tree).
    marked, artifacts = tree.content()
    assert set(tree.marked) == marked
    assert all(len(holders) == 1 for holders in tree.marked.values())
    assert artifacts
    nums = list(tree.root.ParentTree.Nums)
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    for (page, mcid), (holder,) in tree.marked.items():
        assert parents[page][mcid].objgen == holder.objgen
    # Every link annotation owned by one Link element, which owns nothing else, named in
    # words rather than by its target's id.
    annotations = tree.annotations()
    assert {a.objgen for a in annotations} == set(tree.owned)
    destinations = set(tree.pdf.Root.Names.Dests.as_dict()) if "/Dests" in \
        tree.pdf.Root.get("/Names", {}) else set()
    for annotation in annotations:
        (owner,) = tree.owned[annotation.objgen]
        assert owner.S == "/Link"
        assert parents[int(annotation.StructParent)].objgen == owner.objgen
        words = str(annotation.Contents)
        assert words.strip() and words not in destinations and "." * 3 not in words, words
        assert any(c.isalpha() for c in words), words  # words, not a sign and a number
    assert all(e.objgen in {o.objgen for os in tree.owned.values() for o in os}
               for e in tree.of("/Link"))
    # A link over two lines (or pages) is one Link, not one per line.
    for element in tree.elements:
        siblings = [k for k in kids(element) if is_element(k)]
        for first, second in zip(siblings, siblings[1:], strict=False):
            if first.S == second.S == "/Link":
                assert destinations_of(first) != destinations_of(second)
    # /Lang only where the language changes.
    assert all(str(e.Lang) != tree.inherited[e.objgen] for e in tree.elements if "/Lang" in e)
    # A table's header cells with their scope; the cells under them refer to header cells of
    # their own table.
    names = list(tree.root.IDTree.Names)
    ids = dict(zip(names[::2], names[1::2], strict=True))
    for table in tree.of("/Table"):
        cells = tree.under(table)
        assert tree.of("/THead", table) and len(tree.of("/THead", table)) == 1
        for th in tree.of("/TH", table):
            assert th.A.Scope in ("/Row", "/Column")
        for td in tree.of("/TD", table):
            for header in td.A.get("/Headers", []):
                assert ids[str(header)].S == "/TH"
                assert any(ids[str(header)].objgen == c.objgen for c in cells)
    # A note is a Note with its ID, right after its call.
    for note in tree.of("/Note"):
        assert ids[str(note.ID)].objgen == note.objgen
        siblings = [k.objgen for k in kids(tree.parent[note.objgen]) if is_element(k)]
        before = kids(tree.parent[note.objgen])[siblings.index(note.objgen) - 1]
        assert before.S == "/Reference"
        # Its number first, as its label.
        assert [k.S for k in kids(note) if is_element(k)][0] == "/Lbl"


def notes_in_their_texts(tree: Tree, texts) -> None:
    """Each note of each text a Note in the text's language, all in one section of the book
    in that language, each text's in its own."""
    notes = {str(n.ID): n for n in tree.of("/Note")}
    assert len(notes) == sum(len(t.notes) for t in texts)
    sections = set()
    for text in [t for t in texts if t.notes]:
        (section,) = {next(a for a in tree.ancestors(notes[anchors.note(text.id, n.label)])
                           if tree.parent[a.objgen].S == "/Part").objgen for n in text.notes}
        assert tree.lang[section] == text.lang
        sections.add(section)
        for note in text.notes:
            assert tree.lang[notes[anchors.note(text.id, note.label)].objgen] == text.lang
    assert len(sections) == len([t for t in texts if t.notes])


# The fixture's PDF.

@pytest.fixture(scope="module")
def mini(fixture_dist) -> Tree:
    return Tree(fixture_dist / "mini" / "mini.pdf")


@pytest.fixture(scope="module")
def mini_texts(fixture_book):
    edition = next(e for e in fixture_book.editions if e.name == "mini")
    return [fixture_book.texts[t] for t in edition.texts]


def test_the_fixture_tree_holds_what_pdf_ua_asks(mini):
    holds_everywhere(mini)


def test_running_heads_and_folios_are_artifacts_not_lost_content(mini):
    # WeasyPrint tags them, then leaves their elements out of the tree.
    marked, artifacts = mini.content()
    assert artifacts >= 10 and len(marked) == len(mini.marked)


def test_footnotes_are_notes_of_their_text_after_their_call(mini, mini_texts):
    notes_in_their_texts(mini, mini_texts)
    assert len(mini.of("/Reference")) == len(mini.of("/Note"))


def test_links_are_named_in_words(mini, fixture_book):
    by_target = Counter()
    named = {}
    for annotation in mini.annotations():
        by_target[str(annotation.Dest)] += 1
        named.setdefault(str(annotation.Dest), set()).add(str(annotation.Contents))
    # The bibliography's links back to notes say which note.
    notes = [anchors.note(c.text, c.note) for c in fixture_book.citations
             if anchors.note(c.text, c.note) in named]
    assert notes
    for target in notes:
        assert named[target] == {f"Note {target.rsplit('-n', 1)[1]}"}
    # A citation's link names the work it cites with the page, whatever the note's words
    # ("Ebd.").
    for citation in fixture_book.citations:
        entry = named[f"bib-{citation.work}"]
        if citation.locator:
            assert any(w.endswith(f", p.\u00a0{citation.locator}") for w in entry), entry


def test_every_part_of_the_book_says_its_languages(mini, mini_texts, fixture_book):
    front, part = [e for e in kids(mini.document)]
    edition_language = str(mini.pdf.Root.Lang)
    # The texts' titles in the contents; each text in its language.
    assert {t.lang for t in mini_texts} <= mini.languages(front)
    sections = [s for s in kids(part) if is_element(s)]
    for text in mini_texts:
        assert [s.get("/Lang") for s in sections].count(text.lang) == 1
    # The chronology's quotes and the bibliography's entries in their languages.
    apparatus = set().union(*(mini.languages(s) for s in sections
                              if s.get("/Lang") is None))
    quoted = {fixture_book.texts[m.text].lang for e in fixture_book.events for m in e.mentions}
    works = {w["language"] for w in fixture_book.entries if w.get("language")}
    assert quoted | works | {edition_language} <= apparatus


def test_the_chronology_is_one_table_with_its_header_cells_scoped(mini):
    (table,) = mini.of("/Table")
    scopes = Counter(str(th.A.Scope) for th in mini.of("/TH", table))
    (head,) = mini.of("/THead", table)
    assert {str(th.A.Scope) for th in mini.of("/TH", head)} == {"/Column"}
    assert scopes["/Row"] and scopes["/Column"]
    # A quotation over two lines is one element in its language, in one Link.
    for link in mini.of("/Link", table):
        assert len([k for k in kids(link) if is_element(k) and "/Lang" in k]) <= 1


# A longer copy on small pages: paragraphs and the chronology run over pages, words are
# hyphenated.

@pytest.fixture(scope="module")
def long_book(new_fixture_project, tmp_path_factory):
    project = new_fixture_project()
    lengthen(project)
    with (project / "editions" / "mini.toml").open("a", encoding="utf-8") as edition:
        edition.write('\n[page]\nsize = "A6"\n')
    out = tmp_path_factory.mktemp("long-tags")
    code, printed = build_pdf(project, out)
    assert code == 0 and not other_warnings(printed), printed
    path = out / "mini" / "mini.pdf"
    gathered = gather(Project(project))
    edition = next(e for e in gathered.editions if e.name == "mini")
    return path, Tree(path), [gathered.texts[t] for t in edition.texts]


def test_a_table_over_two_pages_is_one_table_with_one_head(long_book):
    _, tree, _ = long_book
    (table,) = tree.of("/Table")
    assert len({tree.page[e.Pg.objgen] for e in tree.of("/TR", table)}) > 1
    (head,) = tree.of("/THead", table)  # the head repeated on the next page is an Artifact


def test_a_paragraph_over_two_pages_is_one_element(long_book):
    _, tree, texts = long_book
    holds_everywhere(tree)
    notes_in_their_texts(tree, texts)
    split = 0
    for text in texts:
        (section,) = [s for s in kids(kids(tree.document)[1])
                      if is_element(s) and s.get("/Lang") == text.lang]
        paragraphs = [p for p in tree.under(section) if p.S == "/P" and
                      tree.parent[p.objgen].S == "/Sect"]
        assert len(paragraphs) == len(text.paragraphs), text.id
        for p in paragraphs:
            pages = {tree.page[e.Pg.objgen] for e in tree.under(p)}
            split += len(pages) > 1
    assert split  # else the book tests nothing


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_hyphenated_words_extract_whole(long_book):
    path, tree, _ = long_book
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = text.split("\n")
    # WeasyPrint draws its hyphen as U+2010; the text says it stands for a soft hyphen.
    assert not [line for line in lines if line.endswith("\u2010")]
    assert [line for line in lines if line.endswith("\u00ad")]
    assert all(str(e.ActualText).endswith("\u00ad") for e in tree.elements
               if "/ActualText" in e)


# The file as a reader that trusts its cross-reference stream reads it: poppler does, where
# qpdf (pikepdf) and pypdf find each object by its number in the object stream.

def misplaced(path: Path) -> list[int]:
    """The objects the cross-reference stream places at an index of an object stream where
    another object stands, or none."""
    data = path.read_bytes()
    dictionary, table = stream_at(data, int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$",
                                                      data)[1]))
    widths = [int(w) for w in re.search(rb"/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)", dictionary).groups()]
    first = re.search(rb"/Index\s*\[\s*(\d+)", dictionary)
    entries = []
    for n, at in enumerate(range(0, len(table), sum(widths)), int(first[1]) if first else 0):
        fields, at_field = [], at
        for width in widths:
            fields.append(int.from_bytes(table[at_field:at_field + width], "big"))
            at_field += width
        entries.append((n, *fields))
    offsets = {n: offset for n, kind, offset, _ in entries if kind == 1}
    held: dict[int, list[int]] = {}  # object stream -> the numbers of its objects, in order
    wrong = []
    for n, kind, stream, index in entries:
        if kind != 2:
            continue
        if stream not in held:
            header, content = stream_at(data, offsets[stream])
            count = int(re.search(rb"/N\s+(\d+)", header)[1])
            held[stream] = [int(x) for x in content.split()[:2 * count:2]]
        if index >= len(held[stream]) or held[stream][index] != n:
            wrong.append(n)
    return wrong


def stream_at(data: bytes, offset: int) -> tuple[bytes, bytes]:
    """The dictionary and the decoded content of the stream object at `offset`."""
    found = re.compile(rb"\d+\s+\d+\s+obj\s*(.*?)stream\r?\n", re.DOTALL).match(data, offset)
    length = int(re.search(rb"/Length\s+(\d+)", found[1])[1])
    content = data[found.end():found.end() + length]
    return found[1], zlib.decompress(content) if b"/FlateDecode" in found[1] else content


def test_each_object_stands_where_the_cross_reference_stream_says(made, fixture_dist,
                                                                   long_book):
    paths = [path for _, path in made["pdf"]] + [fixture_dist / "mini" / "mini.pdf",
                                                  long_book[0]]
    for path in paths:
        assert misplaced(path) == [], path.name


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils is not installed")
def test_poppler_reads_the_title_and_the_whole_tree(long_book):
    path, tree, _ = long_book
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Title:\s+Test book$", info.stdout, re.MULTILINE), info.stdout
    struct = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True,
                            check=True)
    assert "Syntax" not in struct.stderr, struct.stderr
    # A line for each element of the tree, beside those of its attributes ("/Scope /Row")
    # and of the annotations the elements own ("Object 12 0").
    lines = [line for line in struct.stdout.splitlines()
             if not re.fullmatch(r"\s*(/.*|Object \d+ \d+)", line)]
    assert len(lines) == len(tree.elements)


# The real book, by properties.

def test_the_real_books_trees_hold_what_pdf_ua_asks(made, book):
    for edition, path in made["pdf"]:
        tree = Tree(path)
        holds_everywhere(tree)
        notes_in_their_texts(tree, [book.texts[t] for t in edition.texts])
        assert len(tree.of("/Table")) == (1 if book.events and edition.has("chronology")
                                          else 0), edition.name
