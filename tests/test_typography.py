"""Typography per language (a project's sources/typography.yaml, read by book/typography.py):
spacing slips regularised at load, recorded and reversible; no-break spaces where each
language keeps words together, in both writers; quotation marks and hyphenation limits in
both formats' documents, from the one file; each mistake in it said at its line."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import TYPOGRAPHY, edit, run
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
from book.typography import NBSP, NO_RULES, _merged_months, _value_problem


def rules(lang: str):
    return TYPOGRAPHY.rules_for(lang).spacing


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


def test_a_quote_in_the_data_matches_whether_or_not_it_has_the_slip(fixture_book):
    polish = fixture_book.texts["pol"]
    assert regular_words("Rad ( 7 XI 1917)", polish) == "Rad (7 XI 1917)"
    assert regular_words("Rad (7 XI 1917)", polish) == "Rad (7 XI 1917)"


def test_what_the_rules_leave_alone():
    for words in ("3.5 και 1.000", "ό.π. σ. 4", "т.е. так", "Π.Ν. Μιλιούκοφ", "το κόμμα...",
                  "http://example.org/a,b:c", "«Aurora», rzekł", "W. I. Lenin", "1918r.",
                  "a <em>b</em>, c &amp; d"):
        assert regularise(words, "el", rules("el"))[1] == [] and \
            regularise(words, "pl", rules("pl"))[1] == [], words


def test_a_language_without_rules_is_left_as_it_is():
    assert TYPOGRAPHY.rules_for("xx") is TYPOGRAPHY.rules_for(None) is NO_RULES
    slips = "a ,b ( c) d.Ef"
    assert regularise(slips, "xx", rules("xx")) == (slips, [])
    assert bind_spaces('<p lang="xx">a b 7 XI — c</p>', TYPOGRAPHY) == \
        '<p lang="xx">a b 7 XI — c</p>'
    # A subtag takes its language's rules.
    assert regularise("a,b", "el-polyton", rules("el-polyton"))[0] == "a, b"


@given(st.text(alphabet=st.sampled_from(list("ab Σσ.,;:()[]«»1\n\t<>&;/-—") + ["\ue000"]),
               max_size=40),
       st.sampled_from(["el", "ru", "pl", "en", "de", "xx"]))
def test_a_rule_never_adds_or_removes_anything_but_spaces(fragment, lang):
    result, changes = regularise(fragment, lang, rules(lang), after_call="1")
    assert squeeze(result) == squeeze(fragment)
    assert all(not (c[2] + c[3]).strip() for c in changes)
    bound = bind_spaces(fragment, TYPOGRAPHY, lang)
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
    assert bind_spaces(f'<p lang="{lang}">{words}</p>', TYPOGRAPHY) == \
        f'<p lang="{lang}">{bound.replace("~", NBSP)}</p>'


def test_spaces_are_bound_in_text_nodes_only():
    html = ('<p lang="ru" title="в Москве">в Москве, с. 7, 7 XI, В. И. Ленин — да'
            '<span lang="pl"> w Rzymie, s. 12, 7 listopada</span> &amp; к <!-- в доме --></p>'
            '<p lang="en">p. 5, July 7, J. Smith</p><style>a { b: c }</style>')
    bound = bind_spaces(html, TYPOGRAPHY)
    for words in ("в Москве,", "с. 7", "7 XI", "В. И. Ленин", "Ленин —", "w Rzymie",
                  "s. 12", "7 listopada", "p. 5", "July 7", "J. Smith"):
        assert words.replace(" ", NBSP) in bound, words
    assert 'title="в Москве"' in bound and "<!-- в доме -->" in bound
    assert "&amp; к" in bound and "a { b: c }" in bound
    # A one-letter word is bound in Russian and Polish, not in English.
    assert bind_spaces('<p lang="en">a cat</p>', TYPOGRAPHY) == '<p lang="en">a cat</p>'


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


def test_quotation_marks_and_hyphenation_come_from_the_file_alone(fixture_project):
    """The marks a <q> is drawn with are its language's entry's, in both formats: the
    English marks of the fixture's file, changed, are the PDF's and the EPUB's."""
    stylesheet = TYPOGRAPHY.stylesheet
    assert ':lang(en) > q { quotes: "“" "”" "‘" "’"; }' in stylesheet
    assert ':lang(pl) > q { quotes: "„" "”" "«" "»"; }' in stylesheet
    for lang, entry in TYPOGRAPHY.by_language:
        assert f":lang({lang}) {{ hyphenate-limit-chars: " in stylesheet
        assert entry.quotes and len(set(entry.quotes[:2])) == 2
    # No stylesheet of the templates sets the marks: one home.
    css = "".join(p.read_text(encoding="utf-8")
                  for p in (fixture_project / "templates").rglob("*.css"))
    assert "quotes:" not in css
    edit(fixture_project, "sources/typography.yaml", 'quotes: ["“", "”", "‘", "’"]',
         'quotes: ["»", "«", "›", "‹"]')
    out = fixture_project / "dist"
    assert run(fixture_project, "--edition", "mini", "--out", str(out))[0] == 0
    pdf = subprocess.run(["pdftotext", str(out / "mini" / "mini.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    epub = zipfile.ZipFile(out / "mini" / "mini.epub")
    # The Greek words an English question quotes, in the English marks (a <q> in the EPUB).
    assert "»δύο εξουσίες«" in re.sub(r"\s+", " ", pdf)
    assert ':lang(en) > q { quotes: "»" "«" "›" "‹"; }' in epub.read("EPUB/text-gr.xhtml").decode()


def test_each_language_is_hyphenated_by_its_own_limits_whatever_the_language_around_it():
    """A text in a language the table has no limits for is hyphenated as WeasyPrint does
    without a stylesheet, never by the limits of the edition's language around it."""
    from weasyprint import CSS, HTML

    table = dict(TYPOGRAPHY.by_language)
    inner = [*sorted(table), "uk", "yi", "x-unlisted"]
    html = "<html><body>" + "".join(
        f'<div lang="{outer}"><p id="{outer}">x</p>' + "".join(
            f'<div lang="{lang}"><p id="{outer}/{lang}">x</p></div>' for lang in inner)
        + "</div>" for outer in table) + "</body></html>"

    def limits(*stylesheets) -> dict[str, tuple]:
        document = HTML(string=html).render(stylesheets=list(stylesheets))
        return {box.element.get("id"): (box.style["hyphenate_limit_chars"],
                                        box.style["hyphenate_limit_zone"])
                for page in document.pages for box in page._page_box.descendants()
                if box.element_tag == "p"}

    defaults, found = limits(), limits(CSS(string=TYPOGRAPHY.stylesheet))
    assert len(found) == len(table) * (len(inner) + 1)
    for id_, (chars, zone) in found.items():
        entry = table.get(id_.split("/")[-1])
        if entry is None:
            assert (chars, zone) == defaults[id_], (id_, chars, zone)
        else:
            # WeasyPrint computes an em of the default 16px type in pixels.
            number, unit = re.fullmatch(r"([\d.]+)(\D+)", entry.hyphenate_zone).groups()
            expected = (float(number) * 16, "px") if unit == "em" else (float(number), unit)
            assert (chars, (zone.value, zone.unit)) == (entry.hyphenate_chars, expected), id_


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
    mended, changes = regularise(fragment, lang, rules(lang))
    assert mended == regular
    assert restore(mended, [SpacingChange(kind, "p", 1, 0, at, was, now, before, after)
                            for kind, at, was, now, before, after in changes]) == fragment


def test_each_slip_is_recorded_with_its_place_line_and_part():
    """The record a reader of the note on the texts is given: where each change stands, the
    heading's, a paragraph part's after a note call, and a note's."""
    sections = [Section("ru-s1", Markup("Heading  two"), (
        Paragraph("ru-1", (Markup("one ,two"), NoteCall("1"), Markup("three  four")), 7),))]
    notes = [Note("1", Markup("a note ,here"), 12)]
    mended, notes, records = regularise_text(sections, notes, "en", rules("en"))
    assert mended[0].title == "Heading two"
    assert mended[0].paragraphs[0].parts[::2] == ("one, two", " three four")
    assert notes[0].html == "a note, here"
    assert [(r.kind, r.place, r.line, r.part) for r in records] == [
        ("single-spaces", "ru-s1", 7, 0), ("after-comma", "ru-1", 7, 0),
        ("before-punctuation", "ru-1", 7, 0), ("after-note-call", "ru-1", 7, 2),
        ("single-spaces", "ru-1", 7, 2), ("after-comma", "note 1", 12, 0),
        ("before-punctuation", "note 1", 12, 0)]


# A mistake in a copy of the fixture's typography file: (the line as the fixture has it, the
# line as mistyped, what the message says after "sources/typography.yaml:LINE: ").
FILE_MISTAKES = [
    ('  quotes: ["„", "”", "«", "»"]', '  quotes: ["„", "”"]',
     "pl: quotes must be four marks: the outer pair, then the inner pair"),
    ('  quotes: ["«", "»", "„", "“"]', '  quotes: ["<", ">", "„", "“"]',
     "ru: a quotation mark cannot be <, >, & or \\"),
    ("  hyphenate_zone: 4em", "  hyphenate_zone: 8%",
     "en: hyphenate_zone '8%' is a percentage: write it in em, such as '4em'"),
    ("  hyphenate_chars: [6, 2, 3]", "  hyphenate_chars: [6, 2]",
     "ru: hyphenate_chars must be three whole numbers from 1 to 30"),
    ("  short_words: 1  # в, и, к, с, о, у, а, я", "  short_words: 5",
     "ru: short_words must be 0, 1, 2 or 3 letters"),
    ("  short_words: 1  # ο, η, ή, ω", "  short_words: one",
     "el: short_words must be a whole number, not text"),
    ("  initials: true", "  initals: true",
     "en: unknown key 'initals' (did you mean 'initials'?)"),
    ("  spacing: [after-note-call, after-comma, after-bracket, after-full-stop, after-initials,",
     "  spacing: [after-note-call, after-coma, after-bracket, after-full-stop, after-initials,",
     "en: no spacing rule is named 'after-coma' (did you mean 'after-comma'?)"),
    ('  after_numbers: [r., r, w., mln, tys., km, proc., "%"]',
     '  after_numbers: [r., on, w., mln, tys., km, proc., "%"]',
     "pl: after_numbers must be a list of words: one is true or false (YAML reads yes"),
    ("  numbers_with_next: true", "  numbers_with_next: often",
     "el: numbers_with_next must be true or false, not text"),
    ("de:", "de-AT:", "an entry is keyed by its language alone: 'de', not 'de-AT'"),
    ("de:", "deutsch:", "unknown language tag 'deutsch'"),
    ("de:", "de: German", "de: its rules must be keys and values, each on a line below it, "
     "not text\n  hint: or 'de: {}' for a language that needs none"),
    ('  dashes: ["—", "–", "-"]', '  dashes: ["—", "–", "-"', "a list opened with '[' here"),
    ("  hyphenate_chars: [6, 3, 3]", "  hyphenate_chars: 6",
     "en: hyphenate_chars must be a list, not a number"),
    ("  hyphenate_zone: 4em", "  hyphenate_zone: 1000em",
     "en: hyphenate_zone '1000em' is more than 20em, wider than a line"),
    ("  hyphenate_zone: 4em", "  hyphenate_zone: -4em",
     "en: hyphenate_zone '-4em' is less than nothing"),
    ("de:", "DE:", "a language's tag is written in small letters: 'de', not 'DE'"),
    ("de:", "de: ", "de: has no rules below it\n  hint: write its rules below it, indented, "
     "or 'de: {}' for a language that needs none"),
    # A comma forgotten between two months: YAML reads one word with a space.
    ("  months: [stycznia, lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, września,",
     "  months: [stycznia lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, września,",
     "pl: months: 'stycznia lutego' is 2 month names, not one\n  hint: a comma is missing "
     "between them: [stycznia, lutego]"),
    ("  months: [января, февраля, марта, апреля, мая, июня, июля, августа, сентября, октября, "
     "ноября,",
     "  months: [января, Февраль март, апреля, мая, июня, июля, августа, сентября, октября, "
     "ноября,",
     "ru: months: 'Февраль март' is 2 month names, not one"),
    ("  spacing: [after-note-call, after-comma, after-bracket, after-full-stop, after-initials,",
     "  spacing: all",
     "en: spacing must be a list, not text\n  hint: the spacing slips regularised in the "
     "authors' texts, each change recorded and counted in the note on the edition: "
     "after-note-call, after-comma,"),
]


@pytest.mark.parametrize(("old", "new", "said"), FILE_MISTAKES,
                         ids=[m[2][:40] for m in FILE_MISTAKES])
def test_a_mistake_in_the_typography_file_is_said_at_its_line(fixture_project, old, new, said):
    path = fixture_project / "sources" / "typography.yaml"
    if new.startswith("de: "):  # the entry's rules replaced by a word, or by none
        content = path.read_text(encoding="utf-8")
        path.write_text(content[:content.index("\nde:\n") + 1] + new + "\n", encoding="utf-8")
    elif new == "  spacing: all":  # the whole list of the first entry
        content = path.read_text(encoding="utf-8")
        start = content.index(old)
        end = content.index("\n", content.index("single-spaces]", start))
        path.write_text(content[:start] + new + content[end:], encoding="utf-8")
    else:
        edit(fixture_project, "sources/typography.yaml", old, new)
    line = path.read_text(encoding="utf-8").split("\n").index(new) + 1
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert f"sources/typography.yaml:{line}: {said}" in printed, printed
    assert "Traceback" not in printed


def test_every_mistake_of_the_file_is_said_at_once(fixture_project):
    edit(fixture_project, "sources/typography.yaml", "  initials: true", "  initals: true")
    edit(fixture_project, "sources/typography.yaml", "  short_words: 1  # в, и, к, с, о, у, а, я",
         "  short_words: 4")
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert "en: unknown key 'initals'" in printed and "ru: short_words must be" in printed
    assert printed.rstrip().endswith("2 problems found")
    # A bare number is no length in em either.
    edit(fixture_project, "sources/typography.yaml", "  hyphenate_zone: 4em",
         "  hyphenate_zone: 4")
    assert "en: hyphenate_zone '4' is not a length in em" in run(fixture_project, "check")[1]


def test_a_file_that_is_no_mapping_is_said_at_its_first_line(fixture_project):
    (fixture_project / "sources" / "typography.yaml").write_text("- en\n- el\n",
                                                                encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert ("sources/typography.yaml:1: the typography file must map each language to its "
            "rules, not be a list") in printed


def test_a_project_without_the_file_is_told_to_create_it(fixture_project):
    (fixture_project / "sources" / "typography.yaml").unlink()
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert ("sources/typography.yaml: the file does not exist\n  hint: create typography.yaml: "
            "each language's typography, an entry per language (an empty file means none has "
            "rules; docs/adding-a-language.md)") in printed, printed


def test_an_empty_file_gives_no_rules_and_a_note_for_each_language(fixture_project):
    (fixture_project / "sources" / "typography.yaml").write_text("", encoding="utf-8")
    gathered = gather(Project(fixture_project))
    assert not [f for f in gathered.findings.items if f.level == "error"]
    lacking = {f.message.split("(")[1].split(")")[0] for f in gathered.findings.items
               if f.code == "no-typography"}
    languages = {t.lang for t in gathered.texts.values()} | \
        {e.language for e in gathered.editions}
    assert lacking == {repr(lang) for lang in languages}
    assert not any(t.spacing for t in gathered.texts.values())


def test_a_language_written_without_rules_has_none_and_no_note(fixture_project):
    """'de: {}' says the German texts need no rules: none are applied, nothing is said."""
    path = fixture_project / "sources" / "typography.yaml"
    content = path.read_text(encoding="utf-8")
    path.write_text(content[:content.index("\nde:\n") + 1] + "de: {}\n", encoding="utf-8")
    gathered = gather(Project(fixture_project))
    assert not [f for f in gathered.findings.items if f.code == "no-typography"]
    assert gathered.texts["de"].spacing_rules == ()


@pytest.mark.parametrize(("key", "value", "wrong"), [
    # Four marks of up to three characters: French's have a narrow no-break space inside.
    ("quotes", ["«\u202f", "\u202f»", "‹", "›"], False),
    ("quotes", ["«««", "»»»", "‹", "›"], False),
    ("quotes", ["««««", "»", "‹", "›"], True),
    ("quotes", ["«", "", "‹", "›"], True),
    ("quotes", ["«", "»", "&", "›"], True),
    ("hyphenate_chars", [1, 1, 1], False),
    ("hyphenate_chars", [30, 2, 2], False),
    ("hyphenate_chars", [0, 2, 2], True),
    ("hyphenate_chars", [31, 2, 2], True),
    ("hyphenate_chars", [6, 2, True], True),
    ("hyphenate_zone", "0", False),
    ("hyphenate_zone", 0, False),
    ("hyphenate_zone", "4.5em", False),
    ("hyphenate_zone", ".5em", False),
    ("hyphenate_zone", "4", True),
    ("hyphenate_zone", "4 em", True),
    ("hyphenate_zone", "４em", True),
    ("hyphenate_zone", "10%", True),
    ("hyphenate_zone", "4EM", False),
    ("hyphenate_zone", "20em", False),
    ("hyphenate_zone", "20.5em", True),
    ("hyphenate_zone", "-4em", True),
    ("short_words", 3, False),
    ("short_words", 4, True),
    ("short_words", -1, True),
    ("months", ["per cent"] * 200, False),
    ("months", ["per cent"] * 201, True),
    ("months", [" r."], True),
    ("months", [""], True),
    ("months", [7], True),
    ("spacing", ["single-spaces"], False),
    ("spacing", ["single spaces"], True),
])
def test_each_keys_limits(key, value, wrong):
    assert (_value_problem(key, value) is not None) == wrong


def test_a_language_applies_only_the_spacing_rules_its_entry_names(fixture_project):
    path = fixture_project / "sources" / "typography.yaml"
    content = path.read_text(encoding="utf-8")
    greek = content.index("\nel:\n")
    spacing = content.index("  spacing:", greek)
    end = content.index("\n\n", spacing)
    path.write_text(content[:spacing] + "  spacing: [after-comma]" + content[end:],
                    encoding="utf-8")
    texts = with_slips(fixture_project).texts
    assert [c.kind for c in texts["gr"].spacing] == ["after-comma"]
    assert [c.kind for c in texts["pol"].spacing] == ["inside-bracket"]


@pytest.mark.parametrize("call", [
    # The EPUB's call, and the PDF's note (its text floats to the foot of the page).
    '<a class="noteref" epub:type="noteref" href="#gr-n2">2</a>',
    '<span class="footnote" data-n="2">Παπά, σ. 2</span>',
])
def test_a_notes_call_is_no_number_of_the_words_after_it(call):
    """A number is kept with the word after it in Greek ("2 μήνες"): not the call's, nor the
    last number of a note, with the first word after the call."""
    bound = bind_spaces(f'<p lang="el">επιβίωσης.{call} Ως 2 μήνες</p>', TYPOGRAPHY)
    assert bound.endswith(f"{call[call.rindex('</'):]} Ως 2{NBSP}μήνες</p>"), bound


def test_each_spacing_rule_is_described_in_the_reference():
    from book.typography import SPACING

    reference = (Path(__file__).parent.parent / "docs" / "reference.md").read_text(
        encoding="utf-8")
    for rule in SPACING:
        assert rule.doc and f"- `{rule.kind}`: {rule.doc}" in reference, rule.kind


def test_an_example_of_spaces_made_one_shows_them_as_they_were(fixture_project):
    """"one space for several": the example as the source had it is drawn with its two spaces
    (HTML would fold them into one, and the two examples would read the same), and on one line
    where the source's line ended inside it."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    for name in ("sources/originals/gr.txt", "sources/gr-test.md"):
        edit(fixture_project, name, "Έπειτα συνεχίζει", "Έπειτα  συνεχίζει")
    # A line of the source ends just before: the example, printed whole, is on one line.
    edit(fixture_project, "sources/gr-test.md", "[^1] Έπειτα", "[^1]\nΈπειτα")
    gathered = gather(Project(fixture_project))
    assert "\n" in gathered.texts["gr"].spacing[0].before
    assert [c.kind for c in gathered.texts["gr"].spacing] == ["single-spaces"]
    edition = next(e for e in gathered.editions if e.name == "mini")
    made = prepare(Project(fixture_project), edition, gathered)
    html = book_html(made.book, made.env, made.search_path)
    document = HTML(string=html, base_url=str(made.search_path.folders[0]) + "/").render()
    # What is drawn of each example: the text of its boxes, line by line.
    drawn: dict[int, list[str]] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox) and box.element_tag == "q" and \
                    "συνεχίζει" in "".join(box.element.itertext()):
                drawn.setdefault(id(box.element), []).append(box.text)
    before, *after = drawn.values()
    assert before == ["[1] Έπειτα  συνεχίζει."], before
    assert all("  " not in line for example in after for line in example)


@pytest.mark.parametrize(("lang", "words", "merged"), [
    ("pl", ["stycznia lutego", "marca"], "stycznia lutego"),
    ("uk", ["січня", "лютого березня"], "лютого березня"),  # CLDR's, not the fixture's
    ("en", ["Jan Feb"], "Jan Feb"),  # abbreviated
    ("vi", ["tháng 1", "tháng 2"], None),  # a month's own name has a space in it
    ("pl", ["7 XI", "XI"], None),  # a numeral is no name of CLDR's
    ("en", ["per cent"], None),
])
def test_two_month_names_in_one_word_are_a_comma_forgotten(lang, words, merged):
    assert _merged_months(lang, words) == merged
