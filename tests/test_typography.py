"""Typography per language (book/typography.py): spacing slips regularised at load, recorded
and reversible; no-break spaces where each language keeps words together, in both writers;
quotation marks and hyphenation limits in the stylesheet, from the one table."""

from __future__ import annotations

import re
import zipfile

import pytest
from helpers import edit, run
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from book.epub import prepare_epub
from book.fidelity import plain, squeeze
from book.make import Project, gather, prepare
from book.model import Note, NoteCall, Paragraph, Section, SpacingChange
from book.pdf import book_html
from book.sources import load_texts
from book.spacing import regular_words, regularise, regularise_text, restore
from book.textnodes import bind_spaces
from book.typography import COMMON_CSS, NBSP, TYPOGRAPHY, rules_for, stylesheet, with_stylesheet

# Slips typed into a copy of the fixture, in the edited text and its original alike.
SLIPS = [
    ("gr-test.md", "originals/gr.txt", "[2] Άννα Παπά, ό.π., σ. 14.",
     "[2] Άννα Παπά,ό.π. , σ. 14."),
    ("gr-test.md", "originals/gr.txt", "εδώ.[3]", "εδώ.[3]Τέλος."),
    ("pol-test.md", "originals/pol.txt", "(7 XI według", "( 7 XI według"),
]


def with_slips(project):
    for source, original, old, new in SLIPS:
        edit(project, f"sources/{original}", old, new)
        markdown = (old.replace("[2] ", "[^2]: ").replace("[3]", "[^3]"),
                    new.replace("[2] ", "[^2]: ").replace("[3]", "[^3]"))
        edit(project, f"sources/{source}", *markdown)
    return gather(Project(project))


def test_spacing_slips_are_regularised_and_recorded(fixture_project):
    texts = with_slips(fixture_project).texts
    greek, polish = texts["gr"], texts["pol"]
    assert [(c.kind, c.place, c.before, c.after) for c in greek.spacing] == [
        ("after-note-call", "gr-2", "[3]Τέλος.", "[3] Τέλος."),
        ("after-comma", "note 2", "Άννα Παπά,ό.π. ,", "Άννα Παπά, ό.π. ,"),
        ("before-punctuation", "note 2", "Παπά, ό.π. , σ.", "Παπά, ό.π., σ."),
    ]
    assert greek.notes_by_label["2"].html.startswith("Άννα Παπά, ό.π., σ.")
    assert [(c.kind, c.before, c.after) for c in polish.spacing] == [
        ("inside-bracket", "1917 ( 7 XI", "1917 (7 XI")]
    # The citation and the chronology quote, written without the slip, still match.
    assert run(fixture_project, "check", "--strict")[0] == 0


def test_restoring_the_records_gives_back_the_source(fixture_project):
    with_slips(fixture_project)
    texts = load_texts(fixture_project / "sources")  # as loaded: before the passages' anchors
    for text in texts.values():
        original = re.sub(r"\s+", " ", text.original.read_text(encoding="utf-8"))
        pieces = []
        for paragraph in text.paragraphs:
            parts = []
            for index, part in enumerate(paragraph.parts):
                if isinstance(part, NoteCall):
                    parts.append(f"[{part.label}]")
                    continue
                changes = [c for c in text.spacing if c.place == paragraph.id and
                           c.part == index]
                parts.append(plain(restore(part, changes)))
            pieces.append("".join(parts))
        for note in text.notes:
            changes = [c for c in text.spacing if c.place == f"note {note.label}"]
            pieces.append(f"[{note.label}] {plain(restore(note.html, changes))}")
        for piece in pieces:
            assert piece in original, piece
    assert any(t.spacing for t in texts.values())


def test_a_quote_in_the_data_matches_whether_or_not_it_has_the_slip():
    assert regular_words("Rad ( 7 XI 1917)", "pl") == "Rad (7 XI 1917)"
    assert regular_words("Rad (7 XI 1917)", "pl") == "Rad (7 XI 1917)"


def test_what_the_rules_leave_alone():
    for words in ("3.5 και 1.000", "ό.π. σ. 4", "т.е. так", "Π.Ν. Μιλιούκοφ", "το κόμμα...",
                  "http://example.org/a,b:c", "«Aurora», rzekł", "W. I. Lenin", "1918r.",
                  "a <em>b</em>, c &amp; d"):
        assert regularise(words, "el")[1] == [] and regularise(words, "pl")[1] == [], words


def test_a_language_without_rules_is_left_as_it_is():
    assert rules_for("xx") == rules_for(None)
    slips = "a ,b ( c) d.Ef"
    assert regularise(slips, "xx") == (slips, [])
    assert bind_spaces('<p lang="xx">a b 7 XI — c</p>') == '<p lang="xx">a b 7 XI — c</p>'
    # A subtag takes its language's rules.
    assert regularise("a,b", "el-polyton")[0] == "a, b"


@given(st.text(alphabet=st.sampled_from(list("ab Σσ.,;:()[]«»1\n\t<>&;/-—") + ["\ue000"]),
               max_size=40),
       st.sampled_from(["el", "ru", "pl", "en", "de", "xx"]))
def test_a_rule_never_adds_or_removes_anything_but_spaces(fragment, lang):
    result, changes = regularise(fragment, lang, after_call="1")
    assert squeeze(result) == squeeze(fragment)
    assert all(not (c[2] + c[3]).strip() for c in changes)
    bound = bind_spaces(fragment, lang)
    assert len(bound) == len(fragment)
    assert all(a == b or (a in " \n" and b == NBSP) for a, b in zip(fragment, bound, strict=True))


@pytest.mark.parametrize(("lang", "words", "bound"), [
    ("el", "κράτησε 2 μήνες και 177.000 μέλη.", "κράτησε 2~μήνες και 177.000~μέλη."),
    ("pl", "Rad (7 XI 1917) i 25 X 1917 r.", "Rad (7~XI~1917) i~25~X~1917~r."),
    ("ru", "на VI съезде, 3, 4 дня", "на VI~съезде, 3, 4~дня"),
    # Where the language has no such rule, or the number ends a clause.
    ("en", "in 1917 the 2 months", "in 1917 the 2 months"),
    ("el", "το 1917. Και το 3,5 τοις", "το 1917. Και το 3,5~τοις"),
])
def test_a_number_is_kept_with_the_word_after_it(lang, words, bound):
    assert bind_spaces(f'<p lang="{lang}">{words}</p>') == \
        f'<p lang="{lang}">{bound.replace("~", NBSP)}</p>'


def test_spaces_are_bound_in_text_nodes_only():
    html = ('<p lang="ru" title="в Москве">в Москве, с. 7, 7 XI, В. И. Ленин — да'
            '<span lang="pl"> w Rzymie, s. 12, 7 listopada</span> &amp; к <!-- в доме --></p>'
            '<p lang="en">p. 5, July 7, J. Smith</p><style>a { b: c }</style>')
    bound = bind_spaces(html)
    for words in ("в Москве,", "с. 7", "7 XI", "В. И. Ленин", "Ленин —", "w Rzymie",
                  "s. 12", "7 listopada", "p. 5", "July 7", "J. Smith"):
        assert words.replace(" ", NBSP) in bound, words
    assert 'title="в Москве"' in bound and "<!-- в доме -->" in bound
    assert "&amp; к" in bound and "a { b: c }" in bound
    # A one-letter word is bound in Russian and Polish, not in English.
    assert bind_spaces('<p lang="en">a cat</p>') == '<p lang="en">a cat</p>'


def test_both_writers_bind_spaces_in_texts_and_apparatus(fixture_copy, fixture_book):
    project = Project(fixture_copy)
    edition = next(e for e in fixture_book.editions if e.name == "mini")
    made = prepare(project, edition, fixture_book)
    pdf = book_html(made.book, made.env, made.search_path)
    epub = "".join(prepare_epub(made.book, made.env, made.search_path)[2].values())
    for document in (pdf, epub):
        # Greek notes, Polish and Russian texts, German dates.
        for words in ("σ. 12", "25 X", "7 XI", "В октябре", "26. Oktober", "S. 8"):
            assert words.replace(" ", NBSP) in document, words
    # Notes are said to be where each format puts them.
    assert "at the foot of the page" in pdf and "at the foot of the page" not in epub
    assert "linked from its call" in epub


def test_quotation_marks_and_hyphenation_come_from_the_table():
    css = COMMON_CSS.read_text(encoding="utf-8")
    assert with_stylesheet(css) == css, "run: python -m book.typography"
    assert ':lang(en) > q { quotes: "“" "”" "‘" "’"; }' in stylesheet()
    assert ':lang(pl) > q { quotes: "„" "”" "«" "»"; }' in stylesheet()
    for lang, rules in TYPOGRAPHY.items():
        assert f":lang({lang}) {{ hyphenate-limit-chars: " in stylesheet()
        assert rules.quotes and len(set(rules.quotes[:2])) == 2
    # No other rule sets the marks: one home.
    assert len(re.findall(r"quotes:", css)) == len(TYPOGRAPHY)


def test_each_language_is_hyphenated_by_its_own_limits_whatever_the_language_around_it():
    """A text in a language the table has no limits for is hyphenated as WeasyPrint does
    without a stylesheet, never by the limits of the edition's language around it."""
    from weasyprint import CSS, HTML

    inner = [*sorted(TYPOGRAPHY), "uk", "yi", "x-unlisted"]
    html = "<html><body>" + "".join(
        f'<div lang="{outer}"><p id="{outer}">x</p>' + "".join(
            f'<div lang="{lang}"><p id="{outer}/{lang}">x</p></div>' for lang in inner)
        + "</div>" for outer in TYPOGRAPHY) + "</body></html>"

    def limits(*stylesheets) -> dict[str, tuple]:
        document = HTML(string=html).render(stylesheets=list(stylesheets))
        return {box.element.get("id"): (box.style["hyphenate_limit_chars"],
                                        box.style["hyphenate_limit_zone"])
                for page in document.pages for box in page._page_box.descendants()
                if box.element_tag == "p"}

    defaults, found = limits(), limits(CSS(string=stylesheet()))
    assert len(found) == len(TYPOGRAPHY) * (len(inner) + 1)
    for id_, (chars, zone) in found.items():
        rules = TYPOGRAPHY.get(id_.split("/")[-1])
        if rules is None:
            assert (chars, zone) == defaults[id_], (id_, chars, zone)
        else:
            # WeasyPrint computes an em of the default 16px type in pixels.
            number, unit = re.fullmatch(r"([\d.]+)(\D+)", rules.hyphenate_zone).groups()
            expected = (float(number) * 16, "px") if unit == "em" else (float(number), unit)
            assert (chars, (zone.value, zone.unit)) == (rules.hyphenate_chars, expected), id_


def test_editors_quotations_are_q_elements_in_the_marks_around_them(fixture_dist):
    epub = zipfile.ZipFile(fixture_dist / "mini" / "mini.epub")
    greek = epub.read("EPUB/text-gr.xhtml").decode()
    # A Greek quotation in an English question: a <q> in Greek, drawn with English marks.
    assert '<q lang="el" xml:lang="el">δύο εξουσίες</q>' in greek
    assert "«δύο εξουσίες»" not in greek.split("<section", 1)[1].split("questions")[-1]


def test_the_note_on_the_edition_shows_what_spacing_was_made_regular(fixture_project):
    # The reader sees each change: counted by kind, one example as the source had it and as
    # printed in the PDF (a page is no place for a list), every one of them in the EPUB.
    for name in ("sources/originals/gr.txt", "sources/gr-test.md"):  # a second of one kind
        edit(fixture_project, name, "Έπειτα συνεχίζει", "Έπειτα,συνεχίζει")
    gathered = with_slips(fixture_project)
    edition = next(e for e in gathered.editions if e.name == "mini")
    made = prepare(Project(fixture_project), edition, gathered)
    greek = gathered.texts["gr"]
    kinds = greek.spacing_by_kind()
    assert sum(len(changes) for changes in kinds.values()) == len(greek.spacing) >= 3
    assert max(len(changes) for changes in kinds.values()) >= 2

    def note_of(html: str) -> str:
        return re.search(r'id="note-gr".*?(?=<h2|</section)', html, re.DOTALL).group(0)

    def note_on(html: str) -> str:
        return re.sub(r"\s+", " ", plain(note_of(html)))

    markup = book_html(made.book, made.env, made.search_path)
    # Each example is quoted in the Greek it is written in.
    assert note_of(markup).count('<q lang="el" xml:lang="el">') >= 2
    assert "<q>" not in note_of(markup)
    pdf = note_on(markup)
    epub = note_on("".join(prepare_epub(made.book, made.env, made.search_path)[2].values()))
    for note in (pdf, epub):
        assert f"Spacing made regular in {len(greek.spacing)} places" in note
    for changes in kinds.values():
        for format_, note, shown in (("pdf", pdf, changes[:1]), ("epub", epub, changes)):
            for change in changes:
                # The marks are the stylesheet's (<q>): plain text has none.
                example = re.sub(r"\s+", " ", f"{change.before} → {change.after}")
                assert (example in note) == (change in shown), (format_, example, note)


@pytest.mark.parametrize(("fragment", "lang", "regular"), [
    # Changes of one rule, each shorter than what it replaces: each later offset moves.
    ("a  b  c  d", "en", "a b c d"),
    # A slip inside an address is left, and one after it in the same run is still mended.
    ("see www.x.org,y then a,b", "en", "see www.x.org,y then a, b"),
    # Markup in the fragment's own language does not hide a slip across it.
    ('слово<span lang="ru">,</span>да', "ru", 'слово<span lang="ru">, </span>да'),
])
def test_each_slip_of_a_fragment_is_mended_where_it_stands(fragment, lang, regular):
    mended, changes = regularise(fragment, lang)
    assert mended == regular
    assert restore(mended, [SpacingChange(kind, "p", 1, 0, at, was, now, before, after)
                            for kind, at, was, now, before, after in changes]) == fragment


def test_each_slip_is_recorded_with_its_place_line_and_part():
    """The record a reader of the note on the texts is given: where each change stands, the
    heading's, a paragraph part's after a note call, and a note's."""
    sections = [Section("ru-s1", Markup("Heading  two"), (
        Paragraph("ru-1", (Markup("one ,two"), NoteCall("1"), Markup("three  four")), 7),))]
    notes = [Note("1", Markup("a note ,here"), 12)]
    mended, notes, records = regularise_text(sections, notes, "en")
    assert mended[0].title == "Heading two"
    assert mended[0].paragraphs[0].parts[::2] == ("one, two", " three four")
    assert notes[0].html == "a note, here"
    assert [(r.kind, r.place, r.line, r.part) for r in records] == [
        ("single-spaces", "ru-s1", 7, 0), ("after-comma", "ru-1", 7, 0),
        ("before-punctuation", "ru-1", 7, 0), ("after-note-call", "ru-1", 7, 2),
        ("single-spaces", "ru-1", 7, 2), ("after-comma", "note 1", 12, 0),
        ("before-punctuation", "note 1", 12, 0)]


def test_a_table_edited_without_its_stylesheet_stops_the_build_at_the_stylesheet(
        fixture_project):
    """The table's quotation marks and limits reach the books through common.css, written by
    a command: an edit of either alone is found, at the stylesheet's typography part."""
    common = fixture_project / "templates" / "base" / "css" / "common.css"
    css = common.read_text(encoding="utf-8")
    assert not [f for f in gather(Project(fixture_project)).findings.items
                if f.code == "typography"]
    start = css[:css.index("/* Typography per language")].count("\n") + 1
    polish = ':lang(pl) > q { quotes: "„"'
    assert polish in css
    for stale, where in ((css.replace(polish, ':lang(pl) > q { quotes: "“"'), start),
                         (css[:css.index("/* Typography per language")], 1)):
        common.write_text(stale, encoding="utf-8")
        found = [str(f.shown_from(fixture_project))
                 for f in gather(Project(fixture_project)).findings.items
                 if f.code == "typography"]
        assert found == [
            f"templates/base/css/common.css:{where}: error: the typography part of this "
            "stylesheet is not what the typography table (book/typography.py) gives: the books "
            "would print the quotation marks and hyphenation limits it held before "
            "[typography]\n  hint: write it anew: python -m book.typography"]
