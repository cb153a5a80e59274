"""Properties, over generated inputs: the source parser and the calendar arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import lone_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book.calendars import CalendarError, Day, gregorian_to_julian, julian_to_gregorian
from book.errors import BookError
from book.fidelity import edited_text
from book.model import NoteCall
from book.sources import load_text

# Letters of the three texts' scripts, with the punctuation they use.
LETTERS = ("abcdefghijklmnopqrstuvwxyząćęłńóśźżĄĆĘŁŃÓŚŹŻ"
           "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
           "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰςΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏ"
           "0123456789«»„“”–—…,.;:!?'’()")
word = st.text(alphabet=LETTERS, min_size=1, max_size=12).filter(
    lambda w: not w.startswith(("(", ")")) and w not in ("'",))
sentence = st.lists(word, min_size=1, max_size=12).map(" ".join)

@st.composite
def texts_with_notes(draw):
    """Paragraphs of random words, note calls at random places, their notes at the end."""
    paragraphs, notes, label = [], [], 0
    for _ in range(draw(st.integers(1, 4))):
        pieces = []
        for _ in range(draw(st.integers(1, 4))):
            pieces.append(draw(sentence))
            if draw(st.booleans()):
                label += 1
                pieces[-1] += f"[^{label}]"
                notes.append((str(label), draw(sentence)))
        paragraphs.append(" ".join(pieces))
    return paragraphs, notes


def write(tmp_path, paragraphs, notes):
    body = "\n\n".join(f"{{#tx-{i}}}\n{p}" for i, p in enumerate(paragraphs, 1))
    body += "\n\n" + "\n\n".join(f"[^{label}]: {text}" for label, text in notes)
    return lone_text(tmp_path, body)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts_with_notes())
def test_every_call_finds_its_note_and_every_word_survives(tmp_path, generated):
    paragraphs, notes = generated
    text = load_text(write(tmp_path, paragraphs, notes))
    calls = [part.label for p in text.paragraphs for part in p.parts
             if isinstance(part, NoteCall)]
    assert calls == [label for label, _ in notes]
    assert [n.label for n in text.notes] == calls
    assert [p.id for p in text.paragraphs] == [f"tx-{i}" for i in range(1, len(paragraphs) + 1)]
    expected = "".join(paragraphs).replace("[^", "[").replace(" ", "") + "".join(
        f"[{label}]{note}" for label, note in notes).replace(" ", "")
    assert edited_text(text).replace(" ", "").replace("\n", "") == expected


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts_with_notes(), st.data())
def test_a_missing_or_extra_note_is_always_caught(tmp_path, generated, data):
    paragraphs, notes = generated
    if notes and data.draw(st.booleans()):
        notes = notes[:-1]  # a call whose note is gone
    else:
        notes = [*notes, ("99", "orphan")]  # a note nobody calls
    with pytest.raises(BookError):
        load_text(write(tmp_path, paragraphs, notes))


julian_days = st.builds(
    lambda d: d, st.dates(min_value=date(1582, 10, 15), max_value=date(1918, 2, 13)))


@given(julian_days)
def test_new_style_to_old_style_and_back(new_style):
    old = gregorian_to_julian(new_style.year, new_style.month, new_style.day)
    assert old is not None
    assert julian_to_gregorian(*old) == (new_style.year, new_style.month, new_style.day)
    # The gap grows on the Julian leap days the Gregorian calendar lacks (29 February 1700, 1800
    # and 1900): 10 days in 1582, 13 in 1917. Those three days have no Gregorian twin label.
    gap = 10 + sum(1 for century in (1700, 1800, 1900) if (century, 2, 29) <= old)
    if old[1:] == (2, 29) and old[0] % 100 == 0:
        assert new_style == date(old[0], 3, 1) + timedelta(days=gap - 1)
    else:
        assert new_style == date(*old) + timedelta(days=gap)


@pytest.mark.parametrize(("old", "new"), [
    ((1700, 2, 29), (1700, 3, 11)), ((1800, 2, 29), (1800, 3, 12)), ((1900, 2, 29), (1900, 3, 13)),
    ((1900, 2, 17), (1900, 3, 1)), ((1917, 10, 25), (1917, 11, 7)), ((1918, 1, 31), (1918, 2, 13)),
])
def test_old_style_leap_days_the_gregorian_calendar_lacks(old, new):
    assert julian_to_gregorian(*old) == new
    assert gregorian_to_julian(*new) == old


@given(st.dates(min_value=date(1918, 2, 14), max_value=date(2100, 12, 31)))
def test_after_the_switch_there_is_no_old_style(new_style):
    assert gregorian_to_julian(new_style.year, new_style.month, new_style.day) is None


@given(st.integers(min_value=1, max_value=400))
def test_old_style_days_after_31_january_1918_do_not_exist(days):
    later = date(1918, 1, 31) + timedelta(days=days)
    with pytest.raises(CalendarError):
        Day.from_julian(later.year, later.month, later.day)


@given(st.dates(min_value=date(1900, 3, 14), max_value=date(1918, 2, 13)))
def test_thirteen_days_in_the_twentieth_century(new_style):
    old = Day.from_gregorian(new_style.year, new_style.month, new_style.day).julian()
    assert date(*old) + timedelta(days=13) == new_style
