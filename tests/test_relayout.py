"""The mending of the pages that keeps notes with their calls (book/relayout.py), on documents
made at random with the book's kind of notes: whatever the mending did, and wherever it went
back to, the pages are those a layout from the first page with the mending's rules makes, and
no note is set twice or lost, but where WeasyPrint's own layout loses it."""

from __future__ import annotations

import random
import re

import pytest
from helpers import page_contents
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from book import anchors, pagecheck
from book.pagecheck import SHORT_LAST_LINE, page_lines, paragraph_faults
from book.relayout import TRACKING, Relayout, _restyle, anchor_pages, relaid, rules

# Small pages, notes at their foot as the books set them (templates/base/css/print.css), and
# a contents whose page references the mending moves.
STYLE = """<style>
@page { size: 90mm 110mm; margin: 10mm; @bottom-center { content: counter(page) } }
html { font: 10pt/12pt serif; orphans: 2; widows: 2 } p { margin: 0; text-align: justify }
h2 { font-size: 12pt; margin: 6pt 0 }
.footnote { float: footnote; footnote-display: block; footnote-policy: line; font-size: 8pt;
            line-height: 10pt }
.footnote::footnote-call { content: attr(data-n); vertical-align: super; font-size: 6pt }
.ref::after { content: " " target-counter(attr(href url), page) }
.firm { orphans: 2 }  /* a rule of the book's own, which the mending's rules do not override */
aside { float: right; width: 25mm; margin-left: 2mm; font-size: 8pt; line-height: 10pt }
</style>"""
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
# Seeds of documents that need what few do (found by running many): going back to a page
# after one that pushed a note on, and a paragraph with a rule of the book's own for orphans
# (0); mended late, a page made again that pushes other notes on than it did before one
# WeasyPrint would keep, a float broken across pages, page references whose targets moved
# after WeasyPrint worked them out, paragraphs tracked to end longer, one calling a note (24);
# paragraphs tracked across pages, each of which must be made again (32); a block started on
# a new page that keeps the orphans the step before gave it, and a paragraph tracked before
# the notes are mended (47); the last paragraph, tracked once the last page is made (60);
# going back to the first page, with a float broken across pages after it (349, 408); a
# float whose words WeasyPrint's own layout loses, keeping a page after the float's break
# moved, and the mended book sets (9); mended late, a block whose later page, kept from the
# loop before, breaks in it by its new orphans (5); a paragraph given orphans of its own,
# then the section around it (2978446833).
SEEDS = ((0, False), (5, True), (9, False), (24, True), (32, False), (47, True), (60, False),
         (349, False), (408, False), (2978446833, False))


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def document(rng: random.Random) -> tuple[str, frozenset[str], list[str]]:
    """A document's HTML, the blocks the mending may blame, and its notes' ids."""
    parts, notes, blocks = [], [], set()
    count = rng.randint(8, 30)
    for number in range(1, count + 1):
        if rng.random() < 0.15:
            parts.append(f'<section id="t-s{number}"><h2>{words(rng, rng.randint(2, 16))}</h2>')
            blocks.add(f"t-s{number}")
        if rng.random() < 0.05:  # a float, as long as a page or more at times
            parts.append(f"<aside>{words(rng, rng.randint(10, 250))}</aside>")
        paragraph = []
        for word in words(rng, rng.randint(10, 120)).split():
            paragraph.append(word)
            if rng.random() < 0.04:
                notes.append(f"t-n{len(notes) + 1}")
                paragraph.append(f'<a id="t-r{len(notes)}"></a><span class="footnote" '
                                 f'id="{notes[-1]}" data-n="{len(notes)}">'
                                 f"{words(rng, rng.randint(3, 90))}</span>")
        firm = ' class="firm"' if rng.random() < 0.2 else ""
        parts.append(f'<p id="t-{number}"{firm}>{" ".join(paragraph)}</p>')
        blocks.add(f"t-{number}")
    contents = "".join(f'<li><a class="ref" href="#t-{number}">{words(rng, rng.randint(1, 14))}'
                       "</a></li>" for number in range(1, count + 1, 2))
    # The contents before the texts moves them when its page numbers are worked out; after
    # them (an index), it does not, and WeasyPrint keeps their pages in its later loops.
    body = [f"<ul>{contents}</ul>", "".join(parts)][::rng.choice((1, -1))]
    return (f'<html lang="en"><title>t</title>{STYLE}<body>{"".join(body)}</body></html>',
            frozenset(blocks), notes)


class LateRelayout(Relayout):
    """Mends nothing in WeasyPrint's first loop over the pages, all in its later ones (as when
    a page reference, worked out, makes a page longer): it then goes back over pages made
    before, which WeasyPrint keeps as they were unless told otherwise."""

    loops = 0

    def make_pages(self, *args):
        self.loops += 1
        return super().make_pages(*args)

    def _mend(self, *args):
        return super()._mend(*args) if self.loops > 1 else None


def mended_as_laid_from_the_start(rng: random.Random, late: bool = False) -> None:
    from weasyprint import CSS, HTML

    html, blocks, notes = document(rng)
    relayout = (LateRelayout if late else Relayout)(blocks)
    try:
        with relaid(relayout):
            mended = HTML(string=html).render()
    except IndexError:
        try:
            HTML(string=html).render()
        except IndexError:  # WeasyPrint's own: a float broken across pages, beside notes
            reject()
        raise
    reference = HTML(string=html).render(
        stylesheets=[CSS(string=rules(relayout.steps, relayout.tracked))])
    # Each page reference gives its target's page; WeasyPrint's own layout sometimes does
    # not, when the contents grows by a page (it follows a reference's target by name, and
    # one by `attr(href url)` has none): compared only where it does, as a number of other
    # digits wraps a line otherwise (4265574164). It may also drop the notes the last page
    # pushes onto one more (see below), and words of a float it breaks across pages: some
    # as it breaks it (39), and more if it keeps the page after in a later loop, which the
    # mending makes again (9). The mended book loses none of those it sets.
    floats = [aside.split() for aside in re.findall(r"<aside>(.*?)</aside>", html)]
    set_floats, own_floats = float_words(mended), float_words(reference)
    own_shown = references_shown(reference)
    if set_notes(reference) == sorted(notes) and own_floats == floats and \
            own_shown == page_numbers(reference, own_shown):
        assert page_contents(mended, generated=False) == \
            page_contents(reference, generated=False)
    assert len(set_floats) == len(floats) and all(
        len(words) >= len(own) for words, own in zip(set_floats, own_floats, strict=False))
    shown = references_shown(mended)
    assert shown and shown == page_numbers(mended, shown), shown
    # Every note is set once; but WeasyPrint's layout, the mended one too, loses a note at
    # times on a page where it breaks a float (30969788): so each note lost is one its own
    # layout loses too, and not one the last page pushes onto one more, which its own layout
    # drops (see below) and the mended book sets.
    own_page, last = anchor_pages([page._page_box for page in reference.pages]), \
        len(reference.pages) - 1
    set_, own_lost = set_notes(mended), set(notes) - set(set_notes(reference))
    assert len(set(set_)) == len(set_)
    assert all(note in own_lost and own_page.get(
        anchors.call("t", note.removeprefix("t-n")), last) < last
        for note in set(notes) - set(set_))
    # A paragraph the page check finds fault with was tried at each step of TRACKING and set
    # as it was; so a tracked one it finds none with. (One set as it was may end up without
    # one: laid out again as the notes are mended, beside a float that moved, its lines are
    # not those it was judged by.)
    for element, lines in paragraphs(mended).items():
        if any(paragraph_faults(element, lines)):
            assert relayout.tracked.get(element.get("id")) == len(TRACKING), element.get("id")


def paragraphs(document) -> dict:
    """Each paragraph's element -> its lines (book/pagecheck.py), across the pages."""
    lines: dict = {}
    for index, page in enumerate(document.pages):
        for line in page_lines(page._page_box, index):
            if line.block.tag == "p":
                lines.setdefault(line.block, []).append(line)
    return lines


def float_words(document) -> list[list[str]]:
    """The words of each float (<aside>) as the pages set them, the floats in their order (a
    page may end one and begin the next, each in its own column of lines)."""
    words: dict = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox" and box.element is not None \
                    and box.element.tag == "aside":
                words.setdefault(box.element, []).extend("".join(
                    text.text for text in box.descendants() if hasattr(text, "text")).split())
    return list(words.values())


def references_shown(document) -> dict[str, str]:
    """Each page reference's target -> the page number it shows, from one or more boxes."""
    shown: dict[str, str] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if box.element_tag == "a::after" and hasattr(box, "text"):
                target = box.element.get("href")[1:]
                shown[target] = shown.get(target, "") + box.text
    return {target: text.strip() for target, text in shown.items()}


def page_numbers(document, targets) -> dict[str, str]:
    """Each of `targets` -> the number of the page it is on."""
    page_of = anchor_pages([page._page_box for page in document.pages])  # counted from 0
    return {target: str(page_of[target] + 1) for target in targets}


def set_notes(document) -> list[str]:
    """The ids of the notes set at the pages' feet."""
    return sorted(box.element.get("id") for page in document.pages
                  for area in page._page_box.children
                  if type(area).__name__ == "FootnoteAreaBox" for box in area.children)


@pytest.mark.parametrize("seed, late", SEEDS)
def test_the_mended_pages_are_those_laid_out_from_the_start_with_the_rules(seed, late):
    mended_as_laid_from_the_start(random.Random(seed), late)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.booleans())
def test_any_mended_pages_are_those_laid_out_from_the_start_with_the_rules(seed, late):
    # A seed, not hypothesis's own random draws: a document draws a few thousand times.
    mended_as_laid_from_the_start(random.Random(seed), late)


def test_a_rule_reaches_the_block_and_what_inherits_it_unless_the_book_sets_it_there():
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import BlockBox

    document = HTML(string=STYLE + '<section id="s"><h2>A heading</h2><p id="o">one</p>'
                    '<p class="firm">two</p></section><p id="t">three</p>').render()
    boxes = {box.element.text or box.element.get("id"): box
             for box in document.pages[0]._page_box.descendants()
             if isinstance(box, BlockBox) and box.element_tag in ("section", "h2", "p")}
    # A style works out an inherited value when it is first read: as a layout has read them.
    assert {box.style["orphans"] for box in boxes.values()} == {2}
    _restyle(boxes["s"], "orphans", 3)
    _restyle(boxes["s"], "break_before", "page")
    assert {name: box.style["orphans"] for name, box in boxes.items()} == {
        "s": 3, "A heading": 3, "one": 3, "two": 2, "three": 2}
    assert {name: box.style["break_before"] for name, box in boxes.items()} == {
        "s": "page", "A heading": "auto", "one": "auto", "two": "auto", "three": "auto"}
    # A block the mending gave a rule of its own keeps it: its rule's selector is its id.
    _restyle(boxes["one"], "orphans", 4)
    _restyle(boxes["s"], "orphans", 1, frozenset({"o", "t"}))
    assert {name: box.style["orphans"] for name, box in boxes.items()} == {
        "s": 1, "A heading": 1, "one": 4, "two": 2, "three": 2}


def test_notes_the_last_page_pushes_onto_one_more_stay_when_the_pages_are_made_again():
    # The last paragraph's second note does not fit: WeasyPrint pushes it onto a page of its
    # own. A contents makes WeasyPrint go over the pages again, and keep the last one as it
    # was: its own page maker then ends there, and drops the note (WeasyPrint 70).
    from weasyprint import HTML

    def note(label: int) -> str:
        return (f'<a id="t-r{label}"></a><span class="footnote" id="t-n{label}" '
                f'data-n="{label}">{"alpha beta gamma delta " * 25}</span>')

    text = "alpha beta gamma delta " * 40
    html = (f'<html lang="en"><title>t</title>{STYLE}<body><ul>' + "".join(
        f'<li><a class="ref" href="#t-{n}">Chapter {n}</a></li>' for n in (1, 2, 3)) +
        f'</ul><p id="t-1">{text}</p><p id="t-2">{text}</p><p id="t-3" style="break-before: '
        f'page">Last {note(1)} line {note(2)} end.</p></body></html>')
    relayout = Relayout(frozenset({"t-1", "t-2", "t-3"}))
    with relaid(relayout):
        document = HTML(string=html).render()
    assert set_notes(document) == ["t-n1", "t-n2"]
    assert relayout.steps == {}


def tracked_layout(html: str, blocks: frozenset[str]) -> tuple[Relayout, dict[str, str]]:
    """The mending of `html`, and each paragraph's last line once mended."""
    from weasyprint import HTML

    relayout = Relayout(blocks)
    with relaid(relayout):
        document = HTML(string=html).render()
    return relayout, {element.get("id"): lines[-1].text.strip()
                      for element, lines in paragraphs(document).items()}


def test_a_paragraph_ending_in_a_scrap_of_a_line_is_tracked_until_it_ends_longer(monkeypatch):
    html, blocks, _ = document(random.Random(24))
    relayout, last_lines = tracked_layout(html, blocks)
    mended = {name for name, step in relayout.tracked.items() if step < len(TRACKING)}
    assert mended and all(len(last_lines[name]) >= SHORT_LAST_LINE for name in mended)
    # Without the steps, each is set as it was: its last line the scrap it was.
    monkeypatch.setattr("book.relayout.TRACKING", ())
    relayout, as_laid = tracked_layout(html, blocks)
    assert set(relayout.tracked) >= mended
    assert all(len(as_laid[name]) < SHORT_LAST_LINE for name in mended)


@pytest.mark.parametrize("change", [
    ('lang="en"', 'lang="ar"'),  # letters that join are not spaced apart
    ("p { margin: 0;", "p { letter-spacing: 0; margin: 0;"),  # a rule of the book's own
])
def test_a_paragraph_is_not_tracked_in_a_script_whose_letters_join_or_against_a_rule(change):
    html, blocks, _ = document(random.Random(24))
    assert change[0] in html
    relayout, _ = tracked_layout(html.replace(*change), blocks)
    assert relayout.tracked == {}


def looser(lines) -> int:
    """A paragraph found looser each time it is judged (pagecheck.loose_lines)."""
    name = lines[0].block.get("id")
    looser.judged[name] = looser.judged.get(name, 0) + 1
    return looser.judged[name]


@pytest.mark.parametrize("loose, kept", [(looser, False), (lambda lines: 3, True)])
def test_a_step_is_kept_unless_it_sets_more_lines_loose(loose, kept, monkeypatch):
    looser.judged = {}
    monkeypatch.setattr(pagecheck, "loose_lines", loose)
    html, blocks, _ = document(random.Random(24))
    relayout, _ = tracked_layout(html, blocks)
    assert relayout.tracked
    assert (set(relayout.tracked.values()) != {len(TRACKING)}) == kept


def test_a_paragraph_is_tried_at_every_step_within_one_loop_over_the_pages(monkeypatch):
    # Each step is tried as soon as the page after the paragraph's end is made, the pages
    # made again from before its first: with WeasyPrint given one loop, and each step found
    # wanting, every step is tried, and the pages are those its rules lay out.
    from weasyprint import CSS, HTML
    from weasyprint import document as document_module

    layout_document = document_module.layout_document

    def one_loop(html, root_box, context, max_loops=1):
        return layout_document(html, root_box, context, max_loops)

    looser.judged = {}
    monkeypatch.setattr(pagecheck, "loose_lines", looser)
    monkeypatch.setattr(document_module, "layout_document", one_loop)
    monkeypatch.setattr("book.relayout.LOOPS_FACTOR", 1)
    html, blocks, _ = document(random.Random(24))
    relayout = Relayout(blocks)
    with relaid(relayout):
        mended = HTML(string=html).render()
    assert relayout.tracked and set(relayout.tracked.values()) == {len(TRACKING)}
    reference = HTML(string=html).render(
        stylesheets=[CSS(string=rules(relayout.steps, relayout.tracked))])
    assert page_contents(mended, generated=False) == page_contents(reference, generated=False)
