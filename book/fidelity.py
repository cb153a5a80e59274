"""Proof that an edited text keeps every word of its original, in order.

Whitespace is the only thing an edition may change silently (trailing spaces, a line's end, a
space before a note call), and not where it parts two letters: a word joined to the next, or
split in two, is a word changed. Every other difference must be a removal listed in the text's
header.
"""

from __future__ import annotations

import bisect
import difflib
import html
import json
import re
import unicodedata

from . import memo
from .model import NoteCall, Paragraph, Text
from .reading import read_source_file

TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")  # what squeeze removes
LETTER = re.compile(r"\S")  # what it keeps


def plain(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


def words_of(paragraph: Paragraph) -> str:
    """A paragraph's words as plain text, without its note calls."""
    return "".join(plain(part) for part in paragraph.parts if isinstance(part, str))


def edited_pieces(text: Text) -> list[tuple[str, int]]:
    """The text as the model holds it, note calls and notes written as the author wrote them,
    piece by piece, each with the source line it stands on."""
    pieces: list[tuple[str, int]] = []
    for section in text.sections:
        if section.title is not None:
            pieces.append((plain(section.title), section.line or 1))
        for paragraph in section.paragraphs:
            for part in paragraph.parts:
                pieces.append((f"[{part.label}]" if isinstance(part, NoteCall) else plain(part),
                               paragraph.line))
    for note in text.notes:
        pieces.append((f"[{note.label}] {plain(note.html)}", note.line))
    return pieces


def edited_text(text: Text) -> str:
    return "\n".join(piece for piece, _ in edited_pieces(text))


def squeeze(s: str) -> str:
    return SPACES.sub("", s)


def fidelity_problems(text: Text) -> list[tuple[str, int | None]]:
    """What differs between the original and the edited text, beyond the listed removals, each
    with the line of the edited text where it stands (a removal's in the header). Kept between
    builds: a rebuild after an edit proves again only the text edited."""
    raw = read_source_file(text.original)
    pieces = edited_pieces(text)
    removals = [(removal.text, removal.line) for removal in text.removals]
    found = memo.remembered(
        "fidelity", json.dumps([raw, pieces, removals], ensure_ascii=False),
        lambda: _problems(raw, pieces, removals),
        lambda kept: isinstance(kept, list) and all(
            isinstance(problem, list) and len(problem) == 2 and isinstance(problem[0], str)
            and (problem[1] is None or isinstance(problem[1], int)) for problem in kept))
    return [(problem, line) for problem, line in found]


def _problems(raw: str, pieces: list[tuple[str, int]], removals: list[tuple[str, int | None]]
              ) -> list[tuple[str, int | None]]:
    problems: list[tuple[str, int | None]] = []
    original = squeeze(raw)
    cuts: list[tuple[int, int]] = []  # each removal's place in `original` as it was then
    for removal, line in removals:
        squeezed = squeeze(removal)
        start = original.find(squeezed)
        if start < 0:
            problems.append((f"the removal {removal!r} is not in the original", line))
            continue
        original = original[:start] + original[start + len(squeezed):]
        cuts.append((start, len(squeezed)))
    joined = "\n".join(piece for piece, _ in pieces)
    edited = squeeze(joined)
    seams = set()  # where a removal was cut out, its words and any spaces around them
    for start, length in cuts:
        seams = {at - length if at > start else at for at in seams} | {start}

    places: list[list[int]] = []  # made for the first departure, for the excerpts

    def departs(at: int, what: str, unseen: str = "") -> None:
        if not places:
            # Where each compared character stands in `raw` and in `joined`: the excerpts
            # keep their spaces.
            kept = _letters(raw)
            for start, length in cuts:
                del kept[start:start + length]
            places.extend([kept, _letters(joined)])
        kept, spots = places
        # The original's line too: the message stands at the edited text's, and an original
        # is one long file.
        line = raw.count("\n", 0, kept[at] if at < len(kept) else len(raw)) + 1
        problems.append((f"{what} where ‸ stands: original, line {line}, "
                         f"«{_around(raw, kept, at)}», edited «{_around(joined, spots, at)}»"
                         f"{unseen}", _line_at(pieces, at)))

    if original != edited:
        at = _parting_letter(original, edited)
        departs(at, "the edited text departs from the original",
                _parting(original, edited, at, "the original", "the edited text"))
        return problems
    # Only where one of the two has a space before a compared character and the other none.
    parted = _spaced(raw, cuts)
    for at in sorted(parted ^ _spaced(joined)):
        if not (0 < at < len(edited) and _in_word(edited[at - 1]) and _in_word(edited[at])):
            continue
        if at in parted:
            departs(at, "the edited text joins two words the original parts")
        # Where a removal was cut out with no space around it (a page's furniture glued to
        # the text, as a copy from the web has it), the words either side are parted.
        elif at not in seams:
            departs(at, "the edited text parts a word the original writes whole")
    return problems


def _letters(s: str) -> list[int]:
    """Where each character squeeze keeps stands in `s`."""
    return [found.start() for found in LETTER.finditer(s)]


def _spaced(s: str, cuts: list[tuple[int, int]] | None = None) -> set[int]:
    """The compared characters (by their place in squeeze(s), less the `cuts`, each made in
    what the ones before left) that have a space before them in `s`: after a run of spaces,
    or after what was cut where spaces stood."""
    alive = list(range(len(s)))  # the places in squeeze(s) the cuts leave, in order
    removed: list[int] = []
    for start, length in cuts or ():
        removed += alive[start:start + length]
        del alive[start:start + length]
    removed.sort()
    found, spaces = set(), 0
    for run in SPACES.finditer(s):
        at = run.start() - spaces  # its place in squeeze(s)
        spaces += run.end() - run.start()
        found.add(at - bisect.bisect_left(removed, at) if removed else at)
    return found


def _in_word(c: str) -> bool:
    """A letter, a digit or a mark: what a space between two of them parts into words."""
    return c.isalnum() or _is_mark(c)



def _around(raw: str, spots: list[int], at: int) -> str:
    """Some words of `raw` either side of its `at`-th compared character (`spots` says where
    each stands), a ‸ before it, as a proofreader marks a place."""
    where = spots[at] if at < len(spots) else len(raw)
    before, after = (" ".join(part.split()) for part in (raw[max(0, where - 40):where],
                                                        raw[where:where + 40]))
    space = " " if where and raw[where - 1].isspace() else ""
    return f"…{before}{space}‸{after}…"


def _is_mark(c: str) -> bool:
    return unicodedata.category(c)[0] == "M"


def _parting_letter(one: str, other: str) -> int:
    """Where two texts part: the first character that differs, or the letter it is a mark of
    (a ‸ between a letter and its mark would carry the mark itself). The texts are the same
    up to there, so both step back alike."""
    at = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
              min(len(one), len(other)))
    while at and any(at < len(s) and _is_mark(s[at]) for s in (one, other)):
        at -= 1
    return at


def _letter(s: str, at: int) -> str:
    """The character at `at` with the marks that follow it (a letter and its accents)."""
    end = min(at + 1, len(s))
    while end < len(s) and _is_mark(s[end]):
        end += 1
    return s[at:end]


def _parting(one: str, other: str, at: int, one_name: str, other_name: str) -> str:
    """What the eye cannot see where two texts part at `at`: an invisible character one of
    them adds (a soft hyphen), or letters it cannot tell apart (see `_unseen`); or ''."""
    for this, that, name in ((other, one, other_name), (one, other, one_name)):
        if at < len(this) and unicodedata.category(this[at]) == "Cf" and \
                this[at + 1:at + 21] == that[at:at + 20]:
            return f" ({_point(this[at])} in {name} alone)"
    return _unseen(_letter(one, at), _letter(other, at), one_name, other_name)


def _unseen(one: str, other: str, one_name: str, other_name: str) -> str:
    """The code points of the letters where two texts part, when the eye cannot tell them
    apart: the same once normalised (a precomposed letter and its parts), a difference in a
    mark or an invisible character (a dropped accent), or letters of two scripts (a Latin H
    typed for a Greek Η)."""
    scripts = {unicodedata.name(c, "").split(" ")[0] for c in one + other if c.isalpha()}
    if unicodedata.normalize("NFKC", one) != unicodedata.normalize("NFKC", other) and \
            not any(_is_mark(c) or unicodedata.category(c) == "Cf" for c in one + other) and \
            not (len(scripts) > 1 and all(c.isalpha() for c in one + other)):
        return ""

    def points(letter: str) -> str:
        return ", ".join(map(_point, letter)) or "nothing"

    return f" ({points(one)} in {one_name}; {points(other)} in {other_name})"


def _point(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip()


# What a passage's ends may hold that no quotation means: spaces, marks of quotation, stops.
EDGES = " \n«»„“”‘’\"'‹›()[],.;:!?–—…"


def nearest_passage(quote: str, words: str) -> str | None:
    """How `words` have the `quote` that is not in them, when a passage of about its length
    is alike enough to be the one meant: «the passage», and the code points where they part
    if the eye cannot tell them apart (a mark dropped, a letter composed otherwise)."""
    def letters(s: str) -> int:  # marks aside: a letter decomposed is one still
        return sum(not _is_mark(c) for c in s)

    matcher = difflib.SequenceMatcher(None, b=quote, autojunk=False)  # b is the one kept
    # The most characters in common, then as many letters as the quote.
    best, passage, span = (0, 0), "", (0, 0)
    for size in range(max(1, len(quote) - 2), len(quote) + 3):
        for start in range(len(words) - size + 1):
            matcher.set_seq1(words[start:start + size])
            if (round(matcher.quick_ratio() * (size + len(quote)) / 2), 0) <= best:
                continue
            # Spaces and punctuation at its ends are no part of what the quote meant.
            window = words[start:start + size].strip(EDGES)
            score = (sum(b.size for b in matcher.get_matching_blocks()),
                     -abs(letters(window) - letters(quote)))
            if score > best:
                best, passage, span = score, window, (start, start + size)
    # Four letters in five alike, marks aside (a decomposed letter is one letter still).
    if not passage or 2 * best[0] < 0.8 * (letters(passage) + letters(quote)):
        return None
    # Shown in whole words, as the text has them: «1917 року», not «1917 ро».
    start, end = span
    while start > 0 and not words[start - 1].isspace() and not words[start].isspace():
        start -= 1
    while end < len(words) and not words[end].isspace() and not words[end - 1].isspace():
        end += 1
    passage = words[start:end].strip(EDGES)
    return f"«{passage}»" + _parting(quote, passage, _parting_letter(quote, passage),
                                     "the quote", "the text")


def _line_at(pieces: list[tuple[str, int]], at: int) -> int | None:
    """The line of the piece holding squeezed character `at` (the last piece past the end)."""
    for piece, line in pieces:
        at -= len(squeeze(piece))
        if at < 0:
            return line
    return pieces[-1][1] if pieces else None
