"""Citations: resolved to their works («ό.π.» by author, ibid. to the work cited last), linked
in their notes across inline markup, checked both ways; the bibliography formatted by the style.

Everything here is read from the fixture project (tests/fixture/) or from data written inline:
nothing depends on the book's own sources."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from markupsafe import Markup

from book.bibliography import format_works, load_bibliography
from book.citations import _Resolver, link_note
from book.cli import main
from book.findings import Findings
from book.make import Project, book_for, gather
from book.model import Citation, Cite, Note
from book.render import template_search_path

ROOT = Path(__file__).resolve().parent.parent
CSL = ROOT / "templates" / "base" / "csl"
NS = {"x": "http://www.w3.org/1999/xhtml"}


def edit(project: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    path = project / name
    source = path.read_text()
    assert old in source, (name, old)
    path.write_text(source.replace(old, new, count))
    return path


def line_of(path: Path, fragment: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text().split("\n"), 1) if fragment in line]
    return lines[nth - 1]


def check(project: Path, *options: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", *options], stdout=out, project=project), out.getvalue()


def resolved(project: Path) -> dict[tuple[str, str], list[tuple[str | None, str | None, str]]]:
    found: dict[tuple[str, str], list] = {}
    for c in gather(Project(project)).citations:
        found.setdefault((c.text, c.note), []).append((c.work, c.locator, c.kind))
    return found


def mini_book(project: Path):
    gathered = gather(Project(project))
    mini = next(e for e in gathered.editions if e.name == "mini")
    return book_for(mini, gathered, template_search_path(project))


# Resolving: by name, by author («ό.π.»), as the work cited last (ibid.).

def test_each_note_resolves_to_its_work_and_pages(fixture_project):
    assert resolved(fixture_project) == {
        ("gr", "1"): [("papa1990", "12", "work")],
        ("gr", "2"): [("papa1990", "14", "op-cit")],  # «Άννα Παπά, ό.π.»
        ("gr", "3"): [("smith2001", "7", "work")],
        ("de", "1"): [("smith2001", "8", "work")],
        ("de", "2"): [("smith2001", "9", "ibid")],  # «Ebd.»: no author named
        ("de", "3"): [("papa1990", "30", "work")],
    }


def test_op_cit_resolves_by_any_form_of_the_authors_name(fixture_project):
    edit(fixture_project, "sources/citations.yaml", "{op-cit: Παπά,", "{op-cit: Papa,")
    assert resolved(fixture_project)[("gr", "2")] == [("papa1990", "14", "op-cit")]


def test_ibid_resolves_to_the_work_cited_last_whoever_wrote_it(fixture_project):
    # With de's note 1 citing Papa's book, «Ebd.» in note 2 is Papa's book: ibid. follows the
    # previous citation, not an author.
    edit(fixture_project, "sources/citations.yaml", "de:\n  \"1\":\n    - work: smith2001",
         "de:\n  \"1\":\n    - work: papa1990")
    assert resolved(fixture_project)[("de", "2")] == [("papa1990", "9", "ibid")]
    code, printed = check(fixture_project, "--strict")
    assert code == 0, printed


def test_ibid_in_a_texts_first_citation_is_a_located_warning(fixture_project):
    path = edit(fixture_project, "sources/citations.yaml", "de:\n  \"1\":\n    - work: smith2001\n",
                "de:\n  \"1\":\n    - ibid: true\n")
    line = line_of(path, "- ibid: true")
    code, printed = check(fixture_project)
    assert code == 0, "a warning alone does not fail without --strict"
    assert (f"sources/citations.yaml:{line}: warning: note 1: ibid. follows no earlier "
            "citation in the de text [ibid-without-citation]") in printed
    assert check(fixture_project, "--strict")[0] == 1
    # Ibid. is the previous citation of the same text: gr's citations come before and do not
    # count.
    assert resolved(fixture_project)[("de", "1")] == [(None, "8", "ibid")]


def test_a_warning_about_a_text_is_an_editions_only_if_it_prints_the_text(fixture_project,
                                                                         tmp_path):
    """A teacher's edition of other texts is not held up, or told, by a warning on this one
    (mini prints de, mini-pl does not); an error of the data stops every edition alike."""
    edit(fixture_project, "sources/citations.yaml", "de:\n  \"1\":\n    - work: smith2001\n",
         "de:\n  \"1\":\n    - ibid: true\n")
    warning = "ibid. follows no earlier citation in the de text"
    for options, code, listed in ((("--edition", "mini-pl"), 0, False),
                                  (("--edition", "mini"), 1, True),
                                  (("--edition", "mini-pl", "--edition", "mini"), 1, True),
                                  ((), 1, True)):
        found, printed = check(fixture_project, "--strict", *options)
        assert (found, warning in printed) == (code, listed), (options, printed)
    out = io.StringIO()
    assert main(["--edition", "mini-pl", "--strict", "--out", str(tmp_path / "out")],
                stdout=out, project=fixture_project) == 0, out.getvalue()
    assert warning not in out.getvalue()
    # An error is every edition's: the data must be right for any to be made.
    edit(fixture_project, "sources/citations.yaml", "- ibid: true\n", "- ibid: false\n")
    found, printed = check(fixture_project, "--edition", "mini-pl")
    assert found == 1 and "'ibid' is written 'ibid: true', or left out" in printed, printed


def test_a_straight_apostrophe_is_an_editions_only_if_it_prints_its_text(fixture_project):
    # A question on the de text, which mini prints and mini-pl does not.
    edit(fixture_project, "sources/questions.yaml", "    pl: Jakiego kalendarza",
         "    pl: Jakiego 'kalendarza'")
    warning = "question de-q1 in 'pl' writes a straight '"
    for options, code, listed in ((("--edition", "mini-pl"), 0, False),
                                  (("--edition", "mini"), 1, True), ((), 1, True)):
        found, printed = check(fixture_project, "--strict", *options)
        assert (found, warning in printed) == (code, listed), (options, printed)


def test_ibid_in_a_first_note_can_be_acknowledged(fixture_project):
    edit(fixture_project, "sources/citations.yaml", "de:\n  \"1\":\n    - work: smith2001\n",
         "de:\n  \"1\":\n    - acknowledged: [ibid-without-citation]\n      ibid: true\n")
    code, printed = check(fixture_project, "--strict")
    assert code == 0, printed
    assert re.search(r"citations\.yaml:\d+: note: note 1: ibid\. follows no earlier", printed)


def test_a_citation_is_exactly_one_of_work_op_cit_and_ibid(fixture_project):
    path = edit(fixture_project, "sources/citations.yaml", '{ibid: true, words: "Ebd."',
                '{ibid: true, op-cit: Smith, words: "Ebd."')
    code, printed = check(fixture_project, "--strict")
    assert code == 1
    assert (f"sources/citations.yaml:{line_of(path, 'ibid: true, op-cit')}: warning: a "
            "citation needs 'words' and exactly one of 'work', 'op-cit' or 'ibid: true'") \
        in printed
    edit(fixture_project, "sources/citations.yaml", "ibid: true, op-cit: Smith", "ibid: false")
    code, printed = check(fixture_project)
    assert code == 1
    assert "'ibid' is written 'ibid: true', or left out [malformed-citation]" in printed


def test_op_cit_with_no_earlier_citation_can_be_acknowledged(fixture_project):
    # As note 18 of the Greek text in the book: the editors explain it in the edition.
    path = edit(fixture_project, "sources/citations.yaml",
                "gr:\n  \"1\":\n    - work: papa1990\n",
                "gr:\n  \"1\":\n    - op-cit: Παπά\n"
                "      acknowledged: [op-cit-without-citation]\n")
    code, printed = check(fixture_project, "--strict")
    assert code == 0, printed
    line = line_of(path, "- op-cit: Παπά")
    assert (f"sources/citations.yaml:{line}: note: note 1: 'Άννα Παπά, Ένα βιβλίο για την πόλη, "
            "Εκδόσεις Δοκιμή, Αθήνα, 1990', an op. cit. of Παπά, follows no earlier citation of a "
            "work of theirs [op-cit-without-citation]") in printed
    assert "0 errors, 0 warnings" in printed
    # The one work of that author is still linked.
    assert resolved(fixture_project)[("gr", "1")] == [("papa1990", "12", "op-cit")]



def test_citations_are_resolved_in_the_order_of_the_notes_not_of_the_file(fixture_project):
    # Note 2's «ό.π.» listed before note 1's full citation: it still follows it in the text.
    path = fixture_project / "sources" / "citations.yaml"
    source = path.read_text(encoding="utf-8")
    one, two, three = (source.index(f'  "{label}":\n') for label in "123")
    path.write_text(source[:one] + source[two:three] + source[one:two] + source[three:],
                    encoding="utf-8")
    code, printed = check(fixture_project, "--strict")
    assert code == 0 and "op-cit-without-citation" not in printed, printed
    assert resolved(fixture_project)[("gr", "2")] == [("papa1990", "14", "op-cit")]
    # The citations come in the notes' order too.
    assert [c.note for c in gather(Project(fixture_project)).citations if c.text == "gr"] == \
        ["1", "2", "3"]


def test_a_misspelt_work_is_suggested_and_the_op_cit_after_it_says_why_it_may_follow_none(
        fixture_project):
    # The id written with a capital: the op. cit. of the next note has no earlier citation.
    path = edit(fixture_project, "sources/citations.yaml", "- work: papa1990\n      words: "
                "\"Άννα Παπά, Ένα", "- work: Papa1909\n      words: \"Άννα Παπά, Ένα")
    code, printed = check(fixture_project, "--strict")
    assert code == 1
    lines = printed.split("\n")
    unknown = lines.index(f"sources/citations.yaml:{line_of(path, 'work: Papa1909')}: warning: "
                          "note 1 cites 'Papa1909', which the bibliography does not have (did "
                          "you mean 'papa1990'?) [unknown-work]")
    assert lines[unknown + 1].strip() == ("hint: correct the id, or add the entry to "
                                          "sources/bibliography.yaml")
    op_cit = lines.index(f"sources/citations.yaml:{line_of(path, 'op-cit: Παπά')}: warning: "
                         "note 2: 'Άννα Παπά, ό.π.', an op. cit. of Παπά, follows no earlier "
                         "citation of a work of theirs [op-cit-without-citation]")
    assert lines[op_cit + 1].strip() == (
        "hint: note 1 before it cites a work the bibliography does not have, perhaps this one: "
        "mend that id first; otherwise, add the full citation to the bibliography, or "
        "acknowledge the problem")


def test_an_op_cit_of_a_misspelt_author_is_suggested_the_name_the_bibliography_gives(
        fixture_project):
    path = edit(fixture_project, "sources/citations.yaml", "{op-cit: Παπά,", "{op-cit: Pappa,")
    code, printed = check(fixture_project, "--strict")
    lines = printed.split("\n")
    at = f"sources/citations.yaml:{line_of(path, 'op-cit: Pappa')}: warning: "
    # No earlier note cited a work the bibliography lacks: the hint says nothing of one.
    assert lines[lines.index(at + "note 2: 'Άννα Παπά, ό.π.', an op. cit. of Pappa, follows no "
                             "earlier citation of a work of theirs [op-cit-without-citation]")
                 + 1].strip().startswith("hint: add the full citation")
    unknown = lines.index(at + "no entry has an author named 'Pappa' (did you mean 'Papa'?) "
                          "[unknown-work]")
    assert lines[unknown + 1].strip() == ("hint: 'op-cit' names the family name of an author of "
                                          "the bibliography")
    assert code == 1


# Linking: the citing words become a link, whatever markup the note sets them in.

def test_the_note_shows_exactly_as_written_with_links_on_the_citing_words(fixture_project):
    book = mini_book(fixture_project)
    for text in book.texts:
        for note in text.notes:
            parts = book.note_parts(text, note)
            assert "".join(str(getattr(p, "html", p)) for p in parts) == note.html
    gr = next(t for t in book.texts if t.id == "gr")
    parts = gr.notes_by_label["2"].parts
    assert parts[0] == Cite(parts[0].citation, Markup("Άννα Παπά, ό.π."))
    assert parts[1:] == (Markup(", σ. 14."),)


def test_an_edition_without_a_bibliography_prints_notes_unlinked(fixture_project):
    edit(fixture_project, "editions/mini.toml", ', "bibliography"]', "]")
    book = mini_book(fixture_project)
    gr = next(t for t in book.texts if t.id == "gr")
    note = gr.notes_by_label["1"]
    assert book.note_parts(gr, note) == (note.html,)


def note_linked(html: str, *words: str, work: str | None = "w") -> tuple[tuple, Findings]:
    findings = Findings()
    citations = [(Citation("t", "1", work, w, None, "work"), 10 + i) for i, w in enumerate(words)]
    parts = link_note(Note("1", Markup(html), 1), citations, findings, Path("citations.yaml"))
    return tuple(str(getattr(p, "html", p)) if not isinstance(p, Cite) else ("cite", str(p.html))
                 for p in parts), findings


def test_words_are_matched_on_the_notes_text_and_linked_in_its_html():
    # An <em> that holds exactly cited words goes inside the link.
    parts, findings = note_linked("A. Smith, <em>A Study</em>, p. 7.", "A. Smith, A Study")
    assert parts == (("cite", "A. Smith, <em>A Study</em>"), ", p. 7.") and not findings.items
    parts, _ = note_linked("See <em>A Study</em>, p. 7.", "A Study")
    assert parts == ("See ", ("cite", "<em>A Study</em>"), ", p. 7.")
    # Words inside an <em> that holds more are linked inside it.
    parts, _ = note_linked("<em>See A Study</em>, p. 7.", "A Study")
    assert parts == ("<em>See ", ("cite", "A Study"), "</em>, p. 7.")
    # Entities are read as the characters they stand for.
    parts, _ = note_linked("Smith &amp; Jones, <i>Things</i> p. 7.", "Smith & Jones, Things")
    assert parts == (("cite", "Smith &amp; Jones, <i>Things</i>"), " p. 7.")
    # Two citations in one note, each after the one before.
    parts, findings = note_linked("<em>A</em>; <em>B</em>.", "A", "B")
    assert parts == (("cite", "<em>A</em>"), "; ", ("cite", "<em>B</em>"), ".")
    assert not findings.items


def test_words_that_cut_across_markup_are_an_error_not_a_lost_link():
    parts, findings = note_linked("<em>A Study of</em> Things, p. 7.", "Study of Things")
    assert parts == ("<em>A Study of</em> Things, p. 7.",)
    (finding,) = findings.items
    assert (finding.level, finding.code, finding.line) == ("error", "words-across-markup", 10)
    assert "note 1" in finding.message and "'Study of Things'" in finding.message


def test_words_the_note_lacks_are_an_error_naming_note_and_words(fixture_project):
    path = edit(fixture_project, "sources/citations.yaml",
                'words: "Άννα Παπά, ό.π."', 'words: "Anna Papa, ό.π."')
    code, printed = check(fixture_project)
    assert code == 1, "an error fails even without --strict"
    line = line_of(path, "Anna Papa, ό.π.")
    assert (f"sources/citations.yaml:{line}: error: note 2 does not contain 'Anna Papa, ό.π.', "
            "so it cannot link them [words-not-in-note]") in printed


def test_words_the_note_lacks_are_told_at_their_own_line_under_the_work(fixture_project):
    old = 'words: "John Smith, A Study of Things, Test Press, London, 2001"'
    path = edit(fixture_project, "sources/citations.yaml", old,
                'words: "John Smith, A Study of Other Things"')
    code, printed = check(fixture_project)
    assert code == 1
    line = line_of(path, "A Study of Other Things")
    assert line_of(path, "- work: smith2001") == line - 1
    assert (f"sources/citations.yaml:{line}: error: note 3 does not contain 'John Smith, A Study "
            "of Other Things'") in printed


def test_a_cited_title_in_em_keeps_its_link_in_the_epub(fixture_project, tmp_path):
    title = "Ένα βιβλίο για την πόλη"
    edit(fixture_project, "sources/gr-test.md", f"[^1]: Άννα Παπά, {title},",
         f"[^1]: Άννα Παπά, <em>{title}</em>,")
    edit(fixture_project, "sources/gr-test.md", "[^3]: John Smith, A Study of Things,",
         "[^3]: John Smith, *A Study of Things*,")
    out = io.StringIO()
    code = main(["epub", "--edition", "mini", "--out", str(tmp_path / "out"), "--strict"],
                stdout=out, project=fixture_project)
    assert code == 0, out.getvalue()
    epub = zipfile.ZipFile(tmp_path / "out" / "mini" / "mini.epub")
    root = etree.fromstring(epub.read("EPUB/text-gr.xhtml"))
    for note, work, emphasised in (("gr-n1", "papa1990", title),
                                   ("gr-n3", "smith2001", "A Study of Things")):
        (link,) = root.xpath(f"//x:aside[@id='{note}']//x:a[@role='doc-biblioref']",
                             namespaces=NS)
        assert link.get("href") == f"bibliography.xhtml#bib-{work}"
        # A Greek note binds its one-letter words to the next (the fixture's typography).
        assert [t.replace("\u00a0", " ") for t in link.xpath("x:em/text()", namespaces=NS)] \
            == [emphasised]
    (link,) = root.xpath("//x:aside[@id='gr-n1']//x:a[@role='doc-biblioref']", namespaces=NS)
    assert "".join(link.itertext()) == \
        "Άννα Παπά, Ένα βιβλίο για την πόλη, Εκδόσεις Δοκιμή, Αθήνα, 1990"


# Back-references and the bibliography.

def test_back_references(fixture_project):
    book = mini_book(fixture_project)

    def cited(work_id):
        work = next(w for w in book.works if w.id == work_id)
        return [(text.id, labels) for text, labels in book.cited_in(work)]

    assert cited("papa1990") == [("gr", ["1", "2"]), ("de", ["3"])]
    assert cited("smith2001") == [("gr", ["3"]), ("de", ["1", "2"])]


def correct_papa(project: Path) -> None:
    """A correction of the Greek work papa1990, whose note 1 writes «Δοκιμή»."""
    edit(project, "sources/bibliography.yaml", "      - {family: Papa, given: Anna}\n",
         "      - {family: Papa, given: Anna}\n    corrections:\n"
         "      - {cited: \"Δοκιμή\", correct: \"Δοκιμής\", notes: [\"1\"]}\n")


def test_bibliography_keeps_both_name_forms_and_lists_corrections(fixture_project):
    correct_papa(fixture_project)
    book = mini_book(fixture_project)
    papa = next(w for w in book.works if w.id == "papa1990")
    assert papa.authors == ("Άννα Παπά",) and papa.original_names == ("Anna Papa",)
    assert [(w.id, c.cited, c.correct, c.notes, t.id) for w, c, t in book.corrections()] == [
        ("papa1990", "Δοκιμή", "Δοκιμής", ("1",), "gr")]


def test_a_corrected_form_is_in_its_works_language(fixture_project, tmp_path):
    # A Greek title corrected in an English apparatus: a screen reader reads it as Greek.
    correct_papa(fixture_project)
    out = io.StringIO()
    assert main(["epub", "--edition", "mini", "--out", str(tmp_path)], stdout=out,
                project=fixture_project) == 0, out.getvalue()
    with zipfile.ZipFile(tmp_path / "mini" / "mini.epub") as epub:
        page = next(epub.read(n).decode() for n in epub.namelist()
                    if 'class="corrections"' in epub.read(n).decode(errors="replace"))
    assert '<a href="#bib-papa1990" lang="el" xml:lang="el">Δοκιμής</a>' in page, page


def test_citations_that_cannot_be_read_give_their_error_not_its_echoes(fixture_project):
    # A tab in citations.yaml: no note cites anything, and each correction would seem to
    # name a note that does not cite its work.
    correct_papa(fixture_project)
    edit(fixture_project, "sources/citations.yaml", "    - work: papa1990", "\t- work: papa1990")
    code, printed = check(fixture_project)
    assert code == 1 and "sources/citations.yaml:5: error: a tab indents this line" in printed
    assert "1 error," in printed and "bibliography.yaml" not in printed, printed


def test_bibliography_is_formatted_by_the_style_and_filed_by_the_name_as_printed(
        fixture_project):
    html = {w.id: str(w.html) for w in mini_book(fixture_project).works}
    # Given names stay whole; a Greek title in Greek script, not title-cased as English.
    assert html["smith2001"].startswith("Smith, John. <i>A Study of Things</i>")
    assert html["papa1990"].startswith("Παπά, Άννα. <i>Ένα βιβλίο για την πόλη</i>")
    # Παπά files under Π, in the Greek group after the Latin one.
    assert list(html) == ["smith2001", "papa1990"]


INLINE_BIBLIOGRAPHY = """\
- id: rosen1985
  type: article-journal
  author:
    - {family: Rosen, given: Wilhelm}
  title: Workers and Soviet Power after October
  container-title: Test Review
  volume: 44
  issue: 2
  page: 213-238
  issued: {date-parts: [[1985]]}
- id: clark2008-spring
  type: chapter
  author:
    - {family: Clark, given: Mary}
  title: The Spring Strike and the "Dual Power"
  container-title: A Book of Chapters
  publisher: Test Press
  issued: {date-parts: [[2008]]}
- id: clark1999
  type: book
  author:
    - {family: Κλαρκ, given: Μαίρη}
  title: Ένα άλλο βιβλίο
  issued: {date-parts: [[1999]]}
  language: el
  custom:
    original-names:
      - {family: Clark, given: Mary}
- id: anonymous
  type: book
  author:
    - {family: Anon}
  custom:
    incomplete: true
"""


@pytest.fixture
def inline_entries(tmp_path):
    path = tmp_path / "bibliography.yaml"
    path.write_text(INLINE_BIBLIOGRAPHY)
    findings = Findings()
    entries = load_bibliography(path, findings)
    assert not findings.items
    return entries


def formatted(entries, language: str) -> dict[str, str]:
    terms = CSL / f"locale-{language}.xml"
    return {w.id: str(w.html) for w in format_works(
        entries, CSL / "chicago-notes-bibliography.csl", language,
        terms if terms.exists() else None)}


def test_entries_file_by_script_then_name_then_year(inline_entries):
    # Latin names first (Anon, Clark, Rosen), then Κλαρκ in the Greek group.
    assert list(formatted(inline_entries, "en")) == [
        "anonymous", "clark2008-spring", "rosen1985", "clark1999"]


def test_an_article_shows_its_page_range_not_a_locator_and_whole_given_names(inline_entries):
    html = formatted(inline_entries, "en")
    assert html["rosen1985"].startswith("Rosen, Wilhelm. ")
    assert "<i>Test Review</i> 44, no. 2 (1985): 213–38." in html["rosen1985"]
    works = {w.id: w for w in format_works(inline_entries, CSL / "chicago-notes-bibliography.csl",
                                           "en")}
    assert works["anonymous"].incomplete and not works["rosen1985"].incomplete


@pytest.mark.parametrize(("language", "rosen", "clark"), [
    # Chicago: prepositions lowercased, a period inside the closing quotation marks.
    ("en", "“Workers and Soviet Power after October.”",
     "“The Spring Strike and the ‘Dual Power.’”"),
    ("pl", "„Workers and Soviet Power after October”.",
     "„The Spring Strike and the «Dual Power»”."),
    ("ru", "«Workers and Soviet Power after October».",
     "«The Spring Strike and the „Dual Power“»."),
    # Greek typography's marks, from csl/locale-el.xml: the CSL locale has ‘…’.
    ("el", "«Workers and Soviet Power after October».",
     "«The Spring Strike and the “Dual Power”»."),
])
def test_titles_take_the_quotation_marks_of_the_apparatus_language(inline_entries, language,
                                                                 rosen, clark):
    html = formatted(inline_entries, language)
    assert rosen in html["rosen1985"]
    assert clark in html["clark2008-spring"]


# The check: every problem at its line; warnings fail only --strict.

def test_check_strict_fails_on_a_broken_copy_and_names_the_lines(fixture_project):
    citations = edit(fixture_project, "sources/citations.yaml", "work: smith2001",
                     "work: smyth2001")
    # de's note 3 cites Papa by «ό.π.», with no earlier citation of her in that text.
    path = fixture_project / "sources" / "citations.yaml"
    head, de = path.read_text().split("\nde:\n")
    path.write_text(head + "\nde:\n" + de.replace("- work: papa1990", "- op-cit: Papa"))
    bibliography = edit(fixture_project, "sources/bibliography.yaml", "  type: book\n  author:\n"
                        "    - {family: Smith", "  type: bok\n  author:\n    - {family: Smith")
    bibliography.write_text(bibliography.read_text() + "- id: jones1999\n  type: book\n"
                            "  author:\n    - {family: Jones, given: Ann}\n  title: Uncited\n")

    code, printed = check(fixture_project)
    assert code == 0, "warnings alone do not fail without --strict"
    code, printed = check(fixture_project, "--strict")
    assert code == 1
    lines = printed.split("\n")
    expect = [
        (citations, "work: smyth2001", "[unknown-work]"),
        (citations, "op-cit: Papa", "[op-cit-without-citation]"),
        (bibliography, "id: smith2001", "[malformed-entry]"),
        (bibliography, "id: jones1999", "[uncited-entry]"),
    ]
    for path, fragment, code_name in expect:
        shown = path.relative_to(fixture_project)
        assert any(line.startswith(f"{shown}:{line_of(path, fragment)}: warning:")
                   and line.endswith(code_name) for line in lines), (fragment, printed)
    # The entry's hint says where the fields are listed: the reference, not the file's head.
    (at,) = [i for i, line in enumerate(lines) if line.endswith("[malformed-entry]")]
    assert "docs/reference.md lists the CSL fields" in lines[at + 1], printed


def test_the_build_fails_under_strict_when_check_would(fixture_project, tmp_path):
    edit(fixture_project, "sources/citations.yaml", "work: smith2001", "work: nobody")
    out = io.StringIO()
    options = ["epub", "--edition", "mini", "--out", str(tmp_path / "o")]
    assert main([*options, "--strict"], stdout=out, project=fixture_project) == 1
    assert main(options, stdout=out, project=fixture_project) == 0
    assert "[unknown-work]" in out.getvalue()


# The resolver on a made-up bibliography of two works of one author and one of another:
# «ό.π.» is the work of that author cited last, ibid. the work of the citation before.

ENTRIES = {
    "smith1990": {"id": "smith1990", "author": [{"family": "Smith", "given": "J"}]},
    "smith2001": {"id": "smith2001", "author": [{"family": "Smith", "given": "J"}]},
    "jones1980": {"id": "jones1980", "author": [{"family": "Jones", "given": "K"}],
                  "custom": {"original-names": [{"family": "Джонс"}]}},
}


def resolve_all(fixture_book, items, text="de"):
    findings = Findings()
    resolver = _Resolver(fixture_book.texts[text], ENTRIES, findings, Path("citations.yaml"))
    works = [getattr(resolver.resolve(str(n), {"words": "x", **item}, n), "work", "-")
             for n, item in enumerate(items, 1)]
    return works, [(f.code, f.message) for f in findings.items]


def test_op_cit_is_the_authors_work_cited_last_not_first(fixture_book):
    works, found = resolve_all(fixture_book, [
        {"work": "smith1990"}, {"work": "smith2001"}, {"work": "jones1980"},
        {"op-cit": "Smith"}, {"op-cit": "SMITH"}, {"work": "smith1990"}, {"op-cit": "Smith"},
        {"op-cit": "Джонс"}])
    assert works == ["smith1990", "smith2001", "jones1980", "smith2001", "smith2001",
                     "smith1990", "smith1990", "jones1980"]
    assert found == []


def test_op_cit_of_an_author_of_two_works_never_cited_resolves_to_neither(fixture_book):
    works, found = resolve_all(fixture_book, [{"op-cit": "Smith"}])
    assert works == [None]
    assert [code for code, _ in found] == ["op-cit-without-citation"]


def test_op_cit_of_an_author_no_entry_has_says_so(fixture_book):
    works, found = resolve_all(fixture_book, [{"op-cit": "Nobody"}])
    assert works == [None]
    assert [code for code, _ in found] == ["op-cit-without-citation", "unknown-work"]
    assert "no entry has an author named 'Nobody'" in found[1][1]


def test_ibid_after_a_citation_that_resolved_to_nothing_is_nothing_too(fixture_book):
    works, found = resolve_all(fixture_book, [{"work": "smith1990"}, {"work": "nosuch"},
                                              {"ibid": True}])
    assert works == ["smith1990", None, None]
    assert [code for code, _ in found] == ["unknown-work"]  # ibid. follows a citation


def test_a_citation_of_no_kind_or_no_words_is_malformed_not_a_crash(fixture_book):
    findings = Findings()
    resolver = _Resolver(fixture_book.texts["de"], ENTRIES, findings, Path("citations.yaml"))
    assert resolver.resolve("1", {"words": "x"}, 1) is None
    assert resolver.resolve("1", {"work": "smith1990"}, 2) is None
    assert resolver.resolve("1", {"work": "smith1990", "words": ""}, 3) is None
    assert [f.code for f in findings.items] == ["malformed-citation"] * 3


def test_an_empty_work_or_author_is_malformed_and_an_op_cit_is_not_sent_to_its_own_note(
        fixture_book):
    works, found = resolve_all(fixture_book, [{"work": ""}, {"op-cit": " "}])
    assert works == ["-", "-"]
    assert found == [("malformed-citation", "'work' is empty"),
                     ("malformed-citation", "'op-cit' is empty")]
    # An unknown work and an op. cit. in one note: the hint sends to no earlier note.
    findings = Findings()
    resolver = _Resolver(fixture_book.texts["de"], ENTRIES, findings, Path("citations.yaml"))
    resolver.resolve("1", {"work": "nosuch", "words": "x"}, 1)
    resolver.resolve("1", {"op-cit": "Smith", "words": "Smith, op. cit."}, 2)
    resolver.resolve("2", {"op-cit": "Jones", "words": "Jones, op. cit."}, 3)
    hints = [f.hint for f in findings.items if f.code == "op-cit-without-citation"]
    assert hints[0].startswith("add the full citation")
    assert hints[1].startswith("note 1 before it cites a work the bibliography does not have")


def test_a_locator_of_0_is_kept_as_written(fixture_book):
    findings = Findings()
    resolver = _Resolver(fixture_book.texts["de"], ENTRIES, findings, Path("citations.yaml"))
    citation = resolver.resolve("1", {"work": "smith1990", "words": "x", "locator": 0}, 1)
    assert citation.locator == "0" and not findings.items


def test_an_unknown_acknowledged_code_is_reported(fixture_book):
    works, found = resolve_all(fixture_book, [{"work": "smith1990", "acknowledged": ["nope"]}])
    assert works == ["smith1990"]
    assert found == [("malformed-citation", "'nope' cannot be acknowledged")]


# A void element among the citing words needs no closing tag; a link holds no link.

def test_a_void_element_among_the_citing_words_is_linked():
    for void in ("<br/>", "<wbr/>", "<hr/>", '<img src="x.png" alt=""/>'):
        findings = Findings()
        html = f"A. Smith, A{void}Study, p. 7."
        parts = link_note(Note("1", Markup(html), 1),
                          [(Citation("t", "1", "w", "A. Smith, AStudy", None, "work"), 10)],
                          findings, Path("citations.yaml"))
        assert [str(getattr(p, "html", p)) for p in parts] == \
            [f"A. Smith, A{void}Study", ", p. 7."], void
        assert isinstance(parts[0], Cite) and not findings.items, void


def test_citing_words_inside_or_around_a_link_make_no_link():
    for html in ('See <a href="https://example.com">A. Smith, A Study</a>, p. 7.',
                 'See <a href="https://example.com">the book by A. Smith, A Study</a>.',
                 'See <em><a href="https://example.com">A. Smith, A Study</a></em>.'):
        findings = Findings()
        parts = link_note(Note("1", Markup(html), 1),
                          [(Citation("t", "1", "w", "A. Smith, A Study", None, "work"), 10)],
                          findings, Path("citations.yaml"))
        assert [f.code for f in findings.items] == ["words-across-markup"], html
        assert [str(p) for p in parts] == [html]


def test_a_misspelt_key_of_a_citation_is_an_error_with_the_key_meant(fixture_project):
    # The citation would be made without its pages.
    path = edit(fixture_project, "sources/citations.yaml", 'locator: "12"', 'locater: "12"')
    code, printed = check(fixture_project)
    line = line_of(path, "- work: papa1990")
    assert code == 1
    assert f"sources/citations.yaml:{line}: error: unknown key 'locater' in a citation (did you " \
        "mean 'locator'?) [malformed-citation]" in printed, printed


@pytest.mark.parametrize(("locator", "said"), [
    ('"13"', "note 1 does not give the pages '13' after the citing words: it gives 12"),
    ('"12–14"', "note 1 does not give the pages '12–14' after the citing words: it gives 12"),
])
def test_pages_the_note_does_not_give_are_a_warning_that_says_what_it_gives(
        fixture_project, locator, said):
    path = edit(fixture_project, "sources/citations.yaml", 'locator: "12"', f"locator: {locator}")
    code, printed = check(fixture_project, "--strict")
    line = line_of(path, 'words: "Άννα Παπά, Ένα βιβλίο')  # the citing words, where it looks
    assert code == 1
    assert f"sources/citations.yaml:{line}: warning: {said} [locator-not-in-note]" in printed, \
        printed
