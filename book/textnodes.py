"""The words of an HTML document as each language's rules read them: runs of text, in one
language, between block boundaries, each character mapped back to where it stands. Rules
change only characters of text, never tags, attributes or entities.

Used at render time to keep words together with no-break spaces (each language's entry of
sources/typography.yaml says where), and at load to regularise a text's spacing (book/spacing.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .typography import NBSP, Typographies, bindings

TOKEN = re.compile(r"<!--.*?-->|<\?.*?\?>|<![^>]*>|<(/?)([A-Za-z][\w:.-]*)([^>]*)>|"
                   r"&#?\w+;|[^<&]+|[<&]", re.DOTALL)
LANG = re.compile(r"""(?<![\w-])lang\s*=\s*["']([^"']*)["']""")
CLASS = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Elements inside a sentence: the words on either side of them read on.
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q",
          "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
# A note's call and its text stand apart from the sentence around them, though inline.
APART = {"footnote", "noteref", "backlink", "call-anchor"}
# Elements whose content is not text to set.
SKIPPED = {"style", "script"}


@dataclass
class Run:
    """Text of one language between two boundaries: its characters and, for each, the offset
    in the document where it stands (None for an entity)."""

    lang: str
    chars: list[str]
    offsets: list[int | None]

    @property
    def text(self) -> str:
        return "".join(self.chars)


def runs(document: str, lang: str = "") -> Iterator[Run]:
    """The runs of text of `document` (a whole document or a fragment of inline HTML in
    `lang`)."""
    stack: list[tuple[str, str, bool, bool]] = []  # (tag, language, skipped, a boundary)
    current = Run(lang, [], [])

    def flush(next_lang: str) -> Iterator[Run]:
        nonlocal current
        if current.chars:
            yield current
        current = Run(next_lang, [], [])

    for token in TOKEN.finditer(document):
        closing, name, attributes = token.group(1), token.group(2), token.group(3)
        here = stack[-1][1] if stack else lang
        skipped = bool(stack) and stack[-1][2]
        if name is not None:
            name = name.lower()
            classes = set(CLASS.search(attributes).group(1).split()) \
                if CLASS.search(attributes) else set()
            boundary = name not in INLINE or bool(classes & APART)
            if closing:
                # Close up to the matching element; a stray closing tag closes nothing. Its
                # end is a boundary if its start was (a note's call: its class says so).
                if any(entry[0] == name for entry in stack):
                    while stack:
                        tag, _, _, opened_apart = stack.pop()
                        boundary = boundary or opened_apart
                        if tag == name:
                            break
                after = stack[-1][1] if stack else lang
                if boundary or after != here:
                    yield from flush(after)
                continue
            found = LANG.search(attributes)
            inner = found.group(1) if found else here
            if name not in VOID and not attributes.rstrip().endswith("/"):
                stack.append((name, inner, skipped or name in SKIPPED, boundary))
            if boundary or inner != here:
                yield from flush(inner if name not in VOID else here)
            continue
        if skipped or token.group().startswith("<!") or token.group().startswith("<?"):
            continue
        if token.group().startswith("&") and len(token.group()) > 1:
            # Read as the character it stands for, but never changed: offset None.
            current.chars.append(html.unescape(token.group())[:1])
            current.offsets.append(None)
            continue
        start = token.start()
        current.chars.extend(token.group())
        current.offsets.extend(range(start, token.end()))
    yield from flush(lang)


def bind_spaces(document: str, typography: Typographies, lang: str = "") -> str:
    """`document` with a no-break space wherever its languages' rules keep two words
    together ("в Москве", "σ. 497", "7 XI", "J. Smith", "word — word")."""
    changed: dict[int, str] = {}
    for run in runs(document, lang):
        patterns = bindings(typography.rules_for(run.lang))
        if not patterns:
            continue
        text = run.text
        for _, found in patterns:
            for match in found.finditer(text):
                offset = run.offsets[match.start("space")]
                if offset is not None:
                    changed[offset] = NBSP
    if not changed:
        return document
    pieces, last = [], 0
    for offset in sorted(changed):
        pieces += [document[last:offset], changed[offset]]
        last = offset + 1
    return "".join([*pieces, document[last:]])
