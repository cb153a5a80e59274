"""Quotations inside the editors' text: checked against the texts, and marked with the
language of the text they quote.

An English question that quotes «приобщение к реальной власти» tells screen readers, the
hyphenator and the PDF's structure tree that those words are Russian (WCAG 3.1.2, language of
parts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from markupsafe import Markup, escape

from .fidelity import words_of
from .languages import text_direction
from .model import Text

QUOTED = re.compile(r"«([^«»]+)»")


def _script(words: str) -> str | None:
    """The script of the first letter: LATIN, GREEK, CYRILLIC…"""
    letter = next((c for c in words if c.isalpha()), None)
    return unicodedata.name(letter, "").split(" ")[0] if letter else None


def _spaced(words: str) -> str:
    return " ".join(words.split())


class QuoteLanguages:
    """Which text says a quotation: the question check and the language marks both ask."""

    def __init__(self, texts: Iterable[Text]):
        # Each text's paragraphs, whitespace made single spaces, as a YAML folded line is.
        self.texts = [(t.lang, " ".join(_spaced(words_of(p)) for p in t.paragraphs))
                      for t in texts]

    def saying(self, quote: str) -> str | None:
        """The language of the text whose paragraphs say `quote`, word for word."""
        quote = _spaced(quote)
        return next((lang for lang, words in self.texts if quote in words), None)

    def language_of(self, quote: str, around: str) -> str | None:
        """The language of the text that says `quote`; failing that, of the only text written
        in the quote's script, unless the words `around` it share that script."""
        if said := self.saying(quote):
            return said
        script = _script(quote)
        if script == _script(QUOTED.sub("", around)):
            return None
        langs = {lang for lang, words in self.texts if _script(words) == script}
        return langs.pop() if len(langs) == 1 else None

    def mark(self, value: str, language: str) -> Markup:
        """`value` escaped, each «quotation» a <q>, with its language where that differs from
        the `language` around it, and its words set apart where that language is written in
        the other direction. The marks are drawn by the stylesheet, those of the
        language around the quotation (sources/typography.yaml)."""
        def quotation(match: re.Match) -> Markup:
            lang = self.language_of(match[1], value)
            if lang is None or lang == language:
                return Markup("<q>{0}</q>").format(match[1])
            words = match[1]
            if text_direction(lang) != text_direction(language):  # set apart in the marks
                words = Markup('<span dir="{0}">{1}</span>').format(text_direction(lang), words)
            return Markup('<q lang="{0}" xml:lang="{0}">{1}</q>').format(lang, words)

        pieces, last = [], 0
        for match in QUOTED.finditer(value):
            pieces += [escape(value[last:match.start()]), quotation(match)]
            last = match.end()
        return Markup("").join([*pieces, escape(value[last:])])
