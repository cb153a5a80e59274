"""HTML read as text, each character mapped back to the markup it stands for
(book/markuptext.py): what a citation's link and a quoted passage's anchor are placed by."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from book.markuptext import MarkupText


def test_words_with_entities_at_their_ends_are_marked_entities_and_all():
    markup = 'Smith, &quot;A Study&quot; &amp; <em>more</em>'
    read = MarkupText.read(markup)
    assert read.text == 'Smith, "A Study" & more'
    words = '"A Study"'
    start, end = read.span(read.text.index(words), len(words), 0)
    assert markup[start:end] == "&quot;A Study&quot;"
    # An entity standing for two characters is whole under each.
    read = MarkupText.read("x &NotEqualTilde; y")
    assert len(read.text) == len("x ") + 2 + len(" y")
    assert {(read.starts[i], read.ends[i]) for i in (2, 3)} == {(2, 17)}


PIECES = st.sampled_from(["a", "β", " ", "\n", "&amp;", "&#x3B1;", "&#946;", "&nbsp;",
                          "&NotEqualTilde;", "&bogus;", "&", "<em>", "</em>", "<br/>",
                          "<!-- c -->", "<a href=\"#x\">", "</a>"])


@given(st.lists(PIECES, max_size=12).map("".join))
def test_each_character_stands_for_the_markup_it_is_mapped_to(markup):
    read = MarkupText.read(markup)
    assert len(read.text) == len(read.starts) == len(read.ends)
    for character, start, end in zip(read.text, read.starts, read.ends, strict=True):
        assert 0 <= start < end <= len(markup)
        assert "<" not in markup[start:end] or markup[start:end] == "<"
        assert character in html.unescape(markup[start:end])
    # Read in order, the characters are the markup without its tags, its entities read.
    assert read.text == html.unescape("".join(
        markup[s:e] for s, e in dict.fromkeys(zip(read.starts, read.ends, strict=True))))
