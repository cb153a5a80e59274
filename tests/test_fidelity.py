"""Every word of each original's prose and notes is in its edited text, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from book.fidelity import edited_text, fidelity_problems
from book.sources import load_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "sources").glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_edited_text_keeps_every_word_of_the_original(path):
    assert fidelity_problems(load_text(path)) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_words_in_order(path):
    # The same property stated on words, as an editor would check it by eye.
    text = load_text(path)
    original = text.original.read_text(encoding="utf-8")
    for removal in text.removals:
        squeezed = re.sub(r"\s+", r"\\s*", re.escape(removal.text).replace("\\ ", " "))
        original = re.sub(squeezed, " ", original, count=1)
    assert re.findall(r"\w+", edited_text(text)) == re.findall(r"\w+", original)


def edit(project: Path, name: str, old: str, new: str) -> Path:
    path = project / "sources" / name
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_changed_word_is_caught(fixture_project):
    path = edit(fixture_project, "gr-test.md", "Έπειτα συνεχίζει", "Έπειτα συνεχίζουν")
    ((problem, line),) = fidelity_problems(load_text(path))
    # The excerpts keep their spaces, a ‸ where they part.
    # The original's line too (its file is one long paragraph a line).
    line_in_original = next(n for n, text in enumerate((fixture_project / "sources" / "originals"
                                                         / "gr.txt").read_text().split("\n"), 1)
                            if "Έπειτα συνεχίζει" in text)
    assert f"original, line {line_in_original}, «…" in problem
    assert "Έπειτα συνεχίζ‸ει" in problem
    assert "Έπειτα συνεχίζ‸ουν" in problem and line == 24
    assert problem.endswith("»"), "letters the eye tells apart need no code points"



@pytest.mark.parametrize(("new", "problem"), [
    # Spaces are the one thing a word-for-word check reads past; two words made one, or one
    # made two, are words changed all the same.
    ("Έπειτασυνεχίζει", ("the edited text joins two words the original parts where ‸ "
                         "stands: original, line ", "Έπειτα ‸συνεχίζει", "Έπειτα‸συνεχίζει")),
    ("Έπει τα συνεχίζει", ("the edited text parts a word the original writes whole where ‸ "
                           "stands: original, line ", "Έπει‸τα συνεχίζει", "Έπει ‸τα συνεχίζει")),
    # A line's end, or two spaces, is a space still.
    ("Έπειτα\nσυνεχίζει", None), ("Έπειτα  συνεχίζει", None),
])
def test_a_word_joined_or_split_is_caught_at_its_line(fixture_project, new, problem):
    path = edit(fixture_project, "gr-test.md", "Έπειτα συνεχίζει", new)
    found = fidelity_problems(load_text(path))
    if problem is None:
        assert found == []
    else:
        ((message, line),) = found
        what, original, edited = problem
        assert message.startswith(what) and line == 24, message
        assert message.index(original) < message.index("», edited «") < message.index(edited)
        assert message.endswith("»"), "the same letters: no code points"


@pytest.mark.parametrize(("original", "edited", "joined"), [
    ("Έπειτα ΧΧΧ συνεχίζει", "Έπειτα συνεχίζει", False),
    ("ΈπειταΧΧΧσυνεχίζει", "Έπειτα συνεχίζει", False),  # furniture glued to the text
    ("Έπειτα ΧΧΧσυνεχίζει", "Έπειτασυνεχίζει", True),
    # A word that ends in a combining accent ends there all the same.
    ("Έπειτα\u0301 ΧΧΧσυνεχίζει", "Έπειτα\u0301συνεχίζει", True),
])
def test_words_either_side_of_a_removal_keep_the_originals_parting(fixture_project, original,
                                                                   edited, joined):
    path = edit(fixture_project, "gr-test.md", "    text: Δοκιμαστικό κείμενο\n",
                "    text: Δοκιμαστικό κείμενο\n  - kind: chrome\n    text: ΧΧΧ\n")
    edit(fixture_project, "originals/gr.txt", "Έπειτα συνεχίζει", original)
    edit(fixture_project, "gr-test.md", "Έπειτα συνεχίζει", edited)
    found = fidelity_problems(load_text(path))
    assert [m.split(" where")[0] for m, _ in found] == (
        ["the edited text joins two words the original parts"] if joined else []), found


@pytest.mark.parametrize("joined", [False, True])
def test_removals_listed_out_of_the_originals_order_leave_its_spaces_where_they_were(
        fixture_project, joined):
    # The upload date, near the end, listed before the title, at the start: words parted
    # after both are still told from words joined.
    path = edit(fixture_project, "de-test.md", """  - kind: title
    text: Ein Bericht aus Petrograd
  - kind: chrome
    text: Hochgeladen am 5. Mai 2015
""", """  - kind: chrome
    text: Hochgeladen am 5. Mai 2015
  - kind: title
    text: Ein Bericht aus Petrograd
""")
    if joined:
        edit(fixture_project, "de-test.md", "Test Press", "TestPress")
    found = fidelity_problems(load_text(path))
    assert [(m.split(" where")[0], line) for m, line in found] == (
        [("the edited text joins two words the original parts", 23)] if joined else []), found


@pytest.mark.parametrize(("old", "new"), [("## Πρώτο μέρος", "## Πρώτο μερος"),
                                          ("## Δεύτερο μέρος", "## Δεύτερο Μέρος")])
def test_a_changed_word_of_a_heading_is_located_at_the_heading(fixture_project, old, new):
    path = edit(fixture_project, "gr-test.md", old, new)
    ((problem, line),) = fidelity_problems(load_text(path))
    assert line == path.read_text(encoding="utf-8").splitlines().index(new) + 1, problem

# Letters the eye cannot tell apart, named by their code points: (the original's Έπειτα as
# written, the edited text's, what the excerpts show, how the message ends).
LOOK_ALIKES = {
    # Έ written as Ε and a combining acute: the same on the page, not the same text.
    "a letter and its parts": (
        "Έπειτα", "Ε\u0301πειτα", ["original, line ", "‸Έπειτα"],
        "(U+0388 GREEK CAPITAL LETTER EPSILON WITH TONOS in the original; U+0395 GREEK CAPITAL "
        "LETTER EPSILON, U+0301 COMBINING ACUTE ACCENT in the edited text)"),
    # The accent dropped: the ‸ stands before the letter, not between the letter and its
    # mark (which would carry the ‸).
    "a dropped mark": (
        "Ε\u0301πειτα", "Επειτα", ["‸Ε\u0301πειτα", "‸Επειτα"],
        "(U+0395 GREEK CAPITAL LETTER EPSILON, U+0301 COMBINING ACUTE ACCENT in the original; "
        "U+0395 GREEK CAPITAL LETTER EPSILON in the edited text)"),
    "an invisible character": (
        "Έπειτα", "Έπει\u00adτα", [], "(U+00AD SOFT HYPHEN in the edited text alone)"),
    # A Latin E typed for the Greek Ε.
    "a letter of another script": (
        "Επειτα", "Eπειτα", [], "(U+0395 GREEK CAPITAL LETTER EPSILON in the original; U+0045 "
        "LATIN CAPITAL LETTER E in the edited text)"),
}


@pytest.mark.parametrize("case", LOOK_ALIKES)
def test_letters_that_look_the_same_are_told_apart_by_their_code_points(fixture_project, case):
    original, edited, shown, ending = LOOK_ALIKES[case]
    edit(fixture_project, "originals/gr.txt", "Έπειτα συνεχίζει", f"{original} συνεχίζει")
    path = edit(fixture_project, "gr-test.md", "Έπειτα συνεχίζει", f"{edited} συνεχίζει")
    ((problem, _),) = fidelity_problems(load_text(path))
    assert all(excerpt in problem for excerpt in shown), problem
    assert problem.endswith(ending), problem


@pytest.mark.parametrize(("old", "new", "original", "edited"), [
    # Between the header's two removals (the title before, the upload date after), and past
    # both: the excerpts are taken where the texts part, each removal taken out in its turn.
    ("wurde der Frieden", "wurde der Krieg", "wurde der ‸Frieden", "wurde der ‸Krieg"),
    ("Press, London", "Press, Londres", "Press, Lond‸on", "Press, Lond‸res"),
])
def test_a_change_among_removals_is_shown_where_it_is(fixture_project, old, new, original,
                                                      edited):
    path = edit(fixture_project, "de-test.md", old, new)
    ((problem, _),) = fidelity_problems(load_text(path))
    assert re.search(rf"original, line \d+, «[^»]*{original}[^»]*», edited «[^»]*{edited}",
                     problem), \
        problem


def test_a_dropped_note_word_is_caught(fixture_project):
    path = edit(fixture_project, "gr-test.md", "Test Press, ", "")
    assert fidelity_problems(load_text(path))


def test_an_unlisted_removal_is_caught(fixture_project):
    path = edit(fixture_project, "de-test.md",
                "  - kind: chrome\n    text: Hochgeladen am 5. Mai 2015\n", "")
    assert fidelity_problems(load_text(path))



def test_a_removal_the_original_lacks_is_located_at_its_line(fixture_project):
    path = edit(fixture_project, "de-test.md", "text: Hochgeladen am 5. Mai 2015",
                "text: Hochgeladen am 6. Mai 2015")
    # And the original then holds words the edited text lacks: a problem of its own.
    (problem, line), *_ = fidelity_problems(load_text(path))
    assert problem == "the removal 'Hochgeladen am 6. Mai 2015' is not in the original"
    assert line == path.read_text(encoding="utf-8").splitlines().index(
        "    text: Hochgeladen am 6. Mai 2015") + 1


def test_a_removal_of_the_title_is_located_at_its_own_line_not_the_titles(fixture_project):
    # The header's title has the removal's words too: the removal is the one to mend.
    edit(fixture_project, "originals/gr.txt", "Δοκιμαστικό κείμενο\n", "ΔΟΚΙΜΑΣΤΙΚΟ ΚΕΙΜΕΝΟ\n")
    path = fixture_project / "sources" / "gr-test.md"
    (problem, line), *_ = fidelity_problems(load_text(path))
    assert problem == "the removal 'Δοκιμαστικό κείμενο' is not in the original"
    assert line == path.read_text(encoding="utf-8").splitlines().index(
        "    text: Δοκιμαστικό κείμενο") + 1


def test_the_fixture_keeps_every_word_of_its_originals(fixture_book):
    for text in fixture_book.texts.values():
        assert fidelity_problems(text) == [], text.id


def test_blog_chrome_is_gone_from_the_edited_texts(fixture_book):
    german = fixture_book.texts["de"]
    chrome = "Hochgeladen am 5. Mai 2015"
    assert chrome in german.original.read_text(encoding="utf-8")
    assert chrome not in edited_text(german)


@pytest.mark.parametrize(("quote", "meant"), [
    ("δύο εξουσίαι", "«δύο εξουσίες»"),  # a slip: the passage, not the quotation marks round it
    ("Δύο εξουσίες", "«δύο εξουσίες»"),
    ("τρεις εξουσίες", None),  # another quotation, not a slip of this one
    ("δυ\u0301ο εξουσίες", "«δύο εξουσίες» (U+03C5 GREEK SMALL LETTER UPSILON, U+0301 COMBINING "
     "ACUTE ACCENT in the quote; U+03CD GREEK SMALL LETTER UPSILON WITH TONOS in the text)"),
    ("", None),
    # A quote cut short is shown the passage in whole words, as the text has them.
    ("και τελειών", "«και τελειώνει»"),
    ("παράγραφο λέει", "«παράγραφος λέει»"),
])
def test_the_passage_a_quote_not_in_the_text_may_mean(quote, meant):
    from book.fidelity import nearest_passage

    words = "Η δεύτερη παράγραφος λέει «δύο εξουσίες» και τελειώνει εδώ."
    assert nearest_passage(quote, words) == meant
