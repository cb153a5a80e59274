"""The edited sources become the model: sections, paragraphs with stable ids, the authors' notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import lone_text

from book.errors import BookError, SourceError
from book.model import NoteCall
from book.sources import _balance, html_problem, load_text, load_texts


@pytest.fixture(scope="module")
def texts(fixture_book):
    return fixture_book.texts


def test_the_texts_and_their_languages(texts):
    assert {t: texts[t].lang for t in texts} == {"gr": "el", "rs": "ru", "pol": "pl", "de": "de"}


def test_sections_and_notes(texts):
    greek = texts["gr"]
    assert [str(s.title) for s in greek.sections] == ["Πρώτο μέρος", "Δεύτερο μέρος"]
    assert [s.id for s in greek.sections] == ["gr-s1", "gr-s2"]
    assert [n.label for n in greek.notes] == ["1", "2", "3"]
    calls = [label for p in greek.paragraphs for label in p.note_labels]
    assert calls == ["1", "2", "3"]
    assert greek.notes_by_label["2"].html == "Άννα Παπά, ό.π., σ. 14."
    assert [n.label for n in texts["rs"].notes] == []


def test_note_attached_to_its_call(texts):
    first = texts["gr"].paragraphs[0]
    assert isinstance(first.parts[-1], NoteCall) and first.parts[-1].label == "2"
    assert first.parts[-2].endswith("Έπειτα συνεχίζει.")
    assert isinstance(first.parts[1], NoteCall) and first.parts[1].label == "1"
    assert first.parts[0].endswith("23 Φεβρουαρίου 1917.")


def test_paragraph_ids_are_stored_and_unique(texts):
    assert [p.id for p in texts["de"].paragraphs] == ["de-1", "de-2"]
    assert texts["gr"].paragraphs[1].id == "gr-2"
    assert texts["gr"].paragraphs[1].number == 2


@pytest.mark.parametrize("where", ["fixture", "real book"])
def test_every_paragraph_id_is_unique_and_names_its_text(where, fixture_book, book):
    for text in (fixture_book if where == "fixture" else book).texts.values():
        ids = [p.id for p in text.paragraphs]
        assert len(set(ids)) == len(ids), text.id
        assert all(i.startswith(f"{text.id}-") for i in ids), text.id
        # Each note is called once, in the order of the notes.
        calls = [label for p in text.paragraphs for label in p.note_labels]
        assert calls == [n.label for n in text.notes], text.id


def test_titles_and_authors(texts):
    assert texts["gr"].author == "Άννα Δοκιμή" and not texts["gr"].title_editorial
    for untitled in ("rs", "pol"):
        assert texts[untitled].author is None and texts[untitled].title_editorial


def break_source(project: Path, old: str, new: str) -> Path:
    path = project / "sources" / "gr-test.md"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if fragment in line)


@pytest.mark.parametrize(("old", "message", "suggested"), [
    ("{#gr-1}\n", "a paragraph has no id", "{#gr-3}"),  # gr-2 stands after it
    ("{#gr-s1}\n", "a section heading has no id", "{#gr-s3}"),
])
def test_a_block_without_an_id_is_given_one_no_other_uses(fixture_project, old, message,
                                                          suggested):
    path = break_source(fixture_project, old, "")
    with pytest.raises(BookError) as caught:
        load_text(path)
    (error,) = [e for e in getattr(caught.value, "errors", [caught.value])
                if message in e.message]
    assert f"put a line '{suggested}' before it" in error.hint
    assert suggested not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message", "at"),
    [
        ("1917.[^1]", "1917.[^1][^99]", "note call [^99] has no note", "1917.[^1][^99]"),
        ("συνεχίζει.[^2]", "συνεχίζει.", "note [^2] is never called", "[^2]: "),
        ("[^3]: John", "[^2]: John", "note [^2] is defined twice", "[^2]: John"),
        ("{#gr-2}\n", "", "a paragraph has no id", "Η δεύτερη παράγραφος"),
        ("{#gr-2}", "{#gr-2a}", "id 'gr-2a' does not have the form 'gr-1'", "{#gr-2a}"),
        ("lang: el", "lang: gr-greek", "unknown language tag 'gr-greek' (did you mean 'el', "
         "Greek?)", "lang: gr-greek"),
        # Ukraine's country code for Ukrainian; a tag written as a locale; ISO 639-2's code.
        ("lang: el", "lang: ua", "unknown language tag 'ua': that is the country code of "
         "Ukraine, whose language, Ukrainian, is 'uk'", "lang: ua"),
        ("lang: el", "lang: el_GR", "unknown language tag 'el_GR': its parts are joined by "
         "'-', as in 'el-GR'", "lang: el_GR"),
        ("lang: el", "lang: yi_US", "unknown language tag 'yi_US': the locale data the tool uses "
         "(CLDR) has no such form of Yiddish: write 'yi'", "lang: yi_US"),
        ("lang: el", "lang: Yiddish", "unknown language tag 'Yiddish' (did you mean 'yi', "
         "Yiddish?)", "lang: Yiddish"),
        ("lang: el", "lang: ukr", "'ukr' is the three-letter code for Ukrainian: a language "
         "tag takes its two-letter code, 'uk'", "lang: ukr"),
        # A country whose language CLDR gives with its script; a code for no language.
        ("lang: el", "lang: rs", "unknown language tag 'rs': that is the country code of "
         "Serbia, whose language, Serbian (Latin), is 'sr-Latn'", "lang: rs"),
        ("lang: el", "lang: und", "'und' names no language (undetermined): write the language "
         "itself", "lang: und"),
        # An old code Babel would read with a country of its choosing ("Yiddish (Ukraine)").
        ("lang: el", "lang: ji", "'ji' is an old code for Yiddish: write 'yi'", "lang: ji"),
        ("title_editorial: false", "title_editorial: false\ncolour: red", "unknown metadata key",
         "colour: red"),
        ("original: originals/gr.txt", "orignal: originals/gr.txt",
         "unknown metadata key 'orignal' (did you mean 'original'?)", "orignal:"),
        ("published: 2011-10", "published: [2011", "malformed metadata",
             "published: [2011"),
        # A removal's mistake at its own line, or its key's.
        ("  - kind: title\n", "  - kind: titel\n", "unknown removal kind 'titel'",
         "  - kind: titel"),
        ("    text: Δοκιμαστικό κείμενο\n", "    text: [Δοκιμαστικό κείμενο]\n",
         "a removal's text must be text, not a list", "    text: ["),
        ("    text: Δοκιμαστικό κείμενο\n", "    words: Δοκιμαστικό κείμενο\n",
         "each removal needs exactly 'kind' and 'text'", "  - kind: title"),
    ],
)
def test_bad_sources_are_reported_with_their_line(fixture_project, old, new, message, at):
    path = break_source(fixture_project, old, new)
    with pytest.raises(BookError) as caught:
        load_text(path)
    errors = getattr(caught.value, "errors", [caught.value])
    (error,) = [e for e in errors if message in e.message]
    assert isinstance(error, SourceError)
    assert error.path == path
    assert error.line == line_of(path, at)


def test_an_id_used_twice_is_reported_at_its_second_id_line(fixture_project):
    path = break_source(fixture_project, "{#gr-2}", "{#gr-1}")
    with pytest.raises(BookError) as caught:
        load_text(path)
    (error,) = [e for e in getattr(caught.value, "errors", [caught.value])
                if "id 'gr-1' is used twice" in e.message]
    lines = path.read_text(encoding="utf-8").split("\n")
    first, second = [i for i, line in enumerate(lines, 1) if line == "{#gr-1}"]
    assert error.line == second
    # Where the first stands, and a number no block of the text has.
    assert error.message == f"id 'gr-1' is used twice: first at line {first}"
    free = re.search(r"such as '(\{#gr-\d+\})'", error.hint)
    assert free and free[1] not in lines, error.hint


@pytest.mark.parametrize(("old", "new", "stray"), [
    # Before the notes, naming nothing; or an id the text has already.
    ("\n[^1]:", "\n{#gr-3}\n\n[^1]:", "{#gr-3}"),
    ("\n[^1]:", "\n{#gr-2}\n\n[^1]:", "{#gr-2}"),
    # Two before one paragraph: the paragraph would take the second's, the first's lost.
    ("{#gr-2}\n", "{#gr-2}\n{#gr-9}\n", "{#gr-2}"),
    # Cut off from its paragraph by a blank line.
    ("{#gr-2}\n", "{#gr-2}\n\n", "{#gr-2}"),
])
def test_an_id_line_that_names_no_block_is_reported_at_its_line(fixture_project, old, new,
                                                                stray):
    path = break_source(fixture_project, old, new)
    with pytest.raises(BookError) as caught:
        load_text(path)
    found = [(e.message, e.line) for e in getattr(caught.value, "errors", [caught.value])
             if "stands before no" in e.message]
    lines = path.read_text(encoding="utf-8").split("\n")
    line = [i for i, text in enumerate(lines, 1) if text == stray][-1 if old[0] == "\n" else 0]
    assert found == [(f"the id line {stray} stands before no paragraph or section heading",
                      line)], getattr(caught.value, "errors", [caught.value])


def test_a_note_without_words_is_refused_at_its_line(fixture_project):
    path = break_source(fixture_project, "[^3]: John Smith, A Study of Things, Test Press, "
                        "London, 2001, p. 7.", "[^3]:")
    with pytest.raises(BookError) as caught:
        load_text(path)
    assert [(e.message, e.line) for e in getattr(caught.value, "errors", [caught.value])] == [
        ("note [^3] has no words", line_of(path, "[^3]:"))]


def test_all_problems_of_a_run_are_reported_together(fixture_project):
    break_source(fixture_project, "1917.[^1]", "1917.[^1][^98]")
    break_source(fixture_project, "{#gr-2}", "{#gr-1}")
    with pytest.raises(BookError) as caught:
        load_texts(fixture_project / "sources")
    report = str(caught.value)
    assert "[^98] has no note" in report and "'gr-1' is used twice" in report


# The inline HTML a source may hold (ALLOWED_TAGS, ALLOWED_ATTRIBUTES), balanced.

TAGS_LISTED = "allowed: abbr, b, br, em, i, small, span, strong, sub, sup"
ATTRIBUTES_LISTED = "allowed: class, lang, title"


@pytest.mark.parametrize("tag", [
    "<em>", "</em>", "<i>", "<strong>", "<b>", "<sup>", "<sub>", "<small>", "<br/>",
    '<span lang="el">', '<abbr title="Union of Soviet Socialist Republics">',
    '<span class="smallcaps">', "<EM>", '<Span LANG="el" Title="x">'])
def test_each_allowed_tag_and_attribute_may_stand_in_a_source(tag):
    assert html_problem(tag) is None


@pytest.mark.parametrize("tag", ["<script>", "<a href='x'>", "<img src='x'>", "<div>",
                                 "<style>", "<iframe>", "<p>", "<u>"])
def test_any_other_tag_is_refused_naming_the_allowed_ones(tag):
    name = tag[1:].split()[0].strip(">'")
    assert html_problem(tag) == f"the HTML tag <{name}> is not allowed in a source; {TAGS_LISTED}"


@pytest.mark.parametrize("attribute", ["onclick", "style", "id", "href", "xml:lang"])
def test_any_other_attribute_is_refused_naming_the_allowed_ones(attribute):
    assert html_problem(f'<span {attribute}="x">') == \
        f"the attribute '{attribute}' of <span> is not allowed; {ATTRIBUTES_LISTED}"


def test_what_is_no_tag_is_refused():
    assert html_problem("<!-- a comment -->") == ("'<!-- a comment -->' is not a tag this tool "
                                                  "reads (comments and the like are refused)")


def balanced(*tags):
    open_tags: list[str] = []
    return [_balance(t, open_tags) for t in tags], open_tags


def test_tags_close_in_the_order_they_open_and_br_is_closed():
    assert balanced("<em>", "<b>", "</b>", "</em>", "<br/>", "<br />") == ([None] * 6, [])
    assert balanced("<em>", "<b>", "</em>") == (
        [None, None, "</em> closes a tag that is not open"], ["em", "b"])
    assert balanced("</em>") == (["</em> closes a tag that is not open"], [])
    assert balanced("<br>") == (["write <br/>, closed, not <br>"], [])


def problems_of(tmp_path, body: str) -> str:
    try:
        load_text(lone_text(tmp_path, "{#tx-1}\n" + body))
    except BookError as error:
        return str(error)
    return ""


def test_a_source_with_allowed_markup_loads(tmp_path):
    assert problems_of(tmp_path, 'Λόγια <em>και</em> <span lang="ru" class="x">и</span> '
                                 '<abbr title="ΕΣΣΔ">ΕΣΣΔ</abbr><sup>1</sup><br/>τέλος.') == ""


@pytest.mark.parametrize("body, message", [
    ("Λόγια <em>και", "<em> is never closed"),
    ("Λόγια </em>και", "</em> closes a tag that is not open"),
    ("Λόγια <em><b>και</em></b>", "</em> closes a tag that is not open"),
    ("Λόγια <br>και", "write <br/>, closed, not <br>"),
    ('Λόγια <span onclick="x">και</span>', "the attribute 'onclick' of <span> is not allowed"),
    ("<div>\nΛόγια\n</div>", "raw HTML blocks are not allowed in a source"),
])
def test_a_source_with_markup_it_may_not_hold_is_refused(tmp_path, body, message):
    assert message in problems_of(tmp_path, body)


def test_every_two_letter_tag_is_taken_or_told_what_it_may_mean():
    # Country codes among them ('rs', whose language CLDR gives with its script): a
    # suggestion is a tag the tool takes, never a traceback.
    import itertools
    import string

    from book.languages import check_language_tag

    for pair in itertools.product(string.ascii_lowercase, repeat=2):
        problem = check_language_tag("".join(pair))
        for suggested in re.findall(r"(?:is|mean|write) '([^']+)'", problem or ""):
            assert check_language_tag(suggested) is None, (pair, problem)


@pytest.mark.parametrize(("written", "lang"), [("EL", "el"), ("el-gr", "el-GR")])
def test_a_language_tag_in_any_case_is_the_one_the_tables_know(fixture_project, written, lang):
    """BCP 47 takes a tag in any case; the typography table and the book's lang="…" take it
    as BCP 47 writes it, so 'EL' is Greek, spaced and hyphenated as Greek."""
    path = break_source(fixture_project, "lang: el", f"lang: {written}")
    assert load_text(path).lang == lang


@pytest.mark.parametrize(("lang", "warning", "hint"), [
    # Greek tagged English would be set, hyphenated and named as English.
    ("en", "the text is written in Greek letters, but its language 'en' (English) is written "
     "in Latin letters", "such as 'el' for Greek"),
    ("sr", "the text is written in Greek letters, but its language 'sr' (Serbian) is written "
     "in Cyrillic letters", "takes their script too, as 'sr-Grek'"),
    # The text's own language: the Latin words it quotes (a publisher's name) change nothing.
    ("el", None, None),
])
def test_a_language_another_script_writes_is_a_warning_at_the_lang_line(fixture_project, lang,
                                                                       warning, hint):
    from helpers import edit, line_of, run

    edit(fixture_project, "sources/gr-test.md", "lang: el\n", f"lang: {lang}\n")
    code, printed = run(fixture_project, "check", "--strict")
    line = line_of(fixture_project, "sources/gr-test.md", "lang:")
    if warning is None:
        assert code == 0 and "[language]" not in printed, printed
    else:
        assert code == 1
        assert f"sources/gr-test.md:{line}: warning: {warning}" in printed, printed
        assert hint in printed, printed


def test_a_text_id_two_texts_give_is_said_at_each_and_nothing_else_of_them(fixture_project):
    # A new text given the id of one there is: its paragraphs' ids, which take the id it
    # meant, are not refused first in the other's name.
    from helpers import line_of, run

    sources = fixture_project / "sources"
    new = (sources / "pol-test.md").read_text(encoding="utf-8").replace(
        "{#pol-", "{#aa-").replace("title: Tekst próbny", "title: Nowy tekst")
    (sources / "aa-new.md").write_text(new, encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    for name, other in (("aa-new.md", "pol-test.md"), ("pol-test.md", "aa-new.md")):
        line = line_of(fixture_project, f"sources/{name}", "id: pol")
        assert f"sources/{name}:{line}: text id 'pol' is also the id of {other}" in printed, \
            printed
    assert "does not have the form" not in printed, printed


@pytest.mark.parametrize(("tag", "letters", "found"), [
    ("en", {"α": 30}, ("Grek", "Latn", "el")),
    ("en", {"α": 10}, None),  # a word or two: a name, a title quoted
    ("en", {"α": 55, "a": 45}, None),  # no script the text's own by far
    ("ja", {"日": 60, "あ": 10, "カ": 10}, None),  # Japanese: Han, Hiragana and Katakana
    ("ja", {"ー": 50, "あ": 10}, None),  # the mark of a long vowel is of no script
    ("sr-Latn", {"a": 40}, None),  # the script the tag names, not Serbian's usual Cyrillic
    ("sr", {"a": 40}, ("Latn", "Cyrl", "en")),
])
def test_the_script_a_texts_letters_are_in_against_its_languages(tag, letters, found):
    from collections import Counter

    from book.languages import script_mismatch

    assert script_mismatch(tag, Counter(letters)) == found
