"""Bounds on what a build may take: time, memory, and the size of what templates make.

A template from a teacher, or a huge image in a template folder, must stop the build with a
message, not hang the machine.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from html.parser import HTMLParser
from typing import TypeVar

from . import memo
from .cssparse import stylesheet_rules
from .errors import BookError

T, R = TypeVar("T", str, bytes), TypeVar("R")

# Seconds one output may take to render and write (BOOK_TIME_LIMIT); the books here take well
# under a minute.
DEFAULT_TIME_LIMIT = 600
MAX_TIME_LIMIT = 24 * 3600
# Address space the build command may use (WeasyPrint needs well under 2 GiB for these books).
MEMORY_LIMIT = 6 * 1024**3
MAX_TEMPLATE_OUTPUT = 50_000_000  # characters one rendered template may hold
MAX_NESTING = 300  # element depth of a rendered document
MAX_IMAGE_PIXELS = 40_000_000
# The media type of each kind of image a book may hold, by the name Pillow gives it.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
               "WEBP": "image/webp"}
MAX_RESOURCE_BYTES = 50_000_000
MAX_SOURCE_BYTES = 5_000_000  # one text or data file under sources/; the largest is ~100 kB
MAX_PARAGRAPH_CHARS = 100_000  # one paragraph of a text; later stages take minutes beyond this
# One word of a text (a run without a space): no line holds one this long, and the layout's
# time grows with its square (a word of 3,000 characters takes 40 s).
MAX_WORD_CHARS = 500
# An edition's title, subtitle, class line, teacher or publisher: a cover prints it whole.
MAX_LINE_CHARS = 500
# One editorial wording in one language: a question, its answer, a note for the teacher, a
# gloss, a remark, a chronology's label. A printed page holds about 3,500 characters.
MAX_WORDING_CHARS = 5_000
MAX_YAML_DEPTH = 50  # nesting of YAML lists and mappings; PyYAML recurses once per level
# The largest argument whose result a process keeps for its later builds (`kept_if_small`):
# a stylesheet or a template is a few kilobytes; a huge one is read again, not held.
MAX_KEPT_CHARACTERS = 1_000_000
# The largest length a stylesheet may give, by unit: a sheet of paper or a poster, not more.
# (WeasyPrint overflows on `font-size: 1e9px`.)
MAX_LENGTH_MM = 2000
MM_PER_UNIT = {"mm": 1, "cm": 10, "q": 0.25, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6,
               "px": 25.4 / 96}
MAX_RELATIVE = {"em": 100, "rem": 100, "ex": 200, "ch": 200, "%": 1000, "vw": 1000,
                "vh": 1000, "vmin": 1000, "vmax": 1000, "fr": 1000}


def kept_if_small(maxsize: int) -> Callable[[Callable[[T], R]], Callable[[T], R]]:
    """functools.lru_cache for a pure function of one str or bytes, which keeps no result for
    an argument longer than MAX_KEPT_CHARACTERS: a preview runs for hours."""
    def decorate(function: Callable[[T], R]) -> Callable[[T], R]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def kept(argument: T) -> R:
            return cached(argument) if len(argument) <= MAX_KEPT_CHARACTERS else \
                function(argument)

        kept.cache_info, kept.cache_clear = cached.cache_info, cached.cache_clear  # type: ignore
        return kept
    return decorate


class LimitExceeded(BookError):
    pass


def time_limit_seconds() -> int:
    """BOOK_TIME_LIMIT, checked: a whole number of seconds (0 is not "no limit")."""
    value = os.environ.get("BOOK_TIME_LIMIT", str(DEFAULT_TIME_LIMIT))
    if not (value.isascii() and value.strip().isdigit()) or \
            not 1 <= int(value) <= MAX_TIME_LIMIT:
        raise BookError(f"BOOK_TIME_LIMIT={value!r} is not a time limit",
                        hint=f"set it to a whole number of seconds from 1 to {MAX_TIME_LIMIT} "
                        f"(default {DEFAULT_TIME_LIMIT}), or unset it")
    return int(value)


@contextmanager
def time_limit(what: str, seconds: int | None = None) -> Iterator[None]:
    """Stop `what` after `seconds` (only in the main thread, where signals are delivered)."""
    seconds = seconds or time_limit_seconds()
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise LimitExceeded(f"{what} took more than {seconds} s and was stopped",
                            hint="a template may loop without end, or the book hold what takes "
                            "long to lay out (a table of thousands of rows); set "
                            "BOOK_TIME_LIMIT to allow more time")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(limit: int = MEMORY_LIMIT) -> None:
    """Cap this process's address space, so that a runaway build fails with MemoryError."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _Depth(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)


def check_markup(html: str, what: str) -> None:
    """Refuse a rendered document too large or too deeply nested to lay out safely."""
    if len(html) > MAX_TEMPLATE_OUTPUT:
        raise LimitExceeded(f"{what} is {len(html):,} characters long, more than a book needs",
                            hint="a template repeats something without end")
    parser = _Depth()
    parser.feed(html)
    if parser.deepest > MAX_NESTING:
        raise LimitExceeded(f"{what} nests elements {parser.deepest} deep (at most "
                            f"{MAX_NESTING})", hint="a template nests markup without end")


CSS_COMMENT_OR_STRING = re.compile(r"""/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""",
                                   re.DOTALL)


# What to do of a file check_resource refuses, unless its error says.
RESOURCE_HINT = "use a smaller image, or another file"
# A file that is no picture, whatever its name: a document or a web page saved as logo.png.
NOT_AN_IMAGE = ("the file is not the picture its name says: save the picture again from an "
                "image editor as PNG or JPEG (a file renamed .png stays what it was)")
# What to do of a problem css_problem finds, wherever the stylesheet is read.
CSS_HINT = "CSS is written 'selector { property: value; }', with lengths a page can hold"


def css_syntax_problem(css: str) -> tuple[int, str] | None:
    """The line and the reason of a syntax error that would make a browser, WeasyPrint or an
    EPUB reader drop the rest of a stylesheet: an unclosed comment or block, a stray brace,
    a rule that does not parse."""
    import tinycss2

    def line(at: int) -> int:
        return css.count("\n", 0, at) + 1

    # Comments and strings blanked (lines kept), so that a brace in them counts for nothing.
    plain = CSS_COMMENT_OR_STRING.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    if "/*" in plain:
        return line(plain.index("/*")), "a comment is opened with /* and never closed"
    if "*/" in plain:
        return line(plain.index("*/")), "a comment is closed with */ that no /* opened"
    opened: list[int] = []
    for at, character in enumerate(plain):
        if character == "{":
            opened.append(at)
        elif character == "}":
            if not opened:
                return line(at), "a '}' closes no block"
            opened.pop()
    if opened:
        return line(opened[-1]), "a block opened with '{' is never closed"
    tokens = tinycss2.parse_component_value_list(css, skip_comments=True)
    token = _first(tokens, lambda token: token.type == "error")
    if token is not None:
        return token.source_line, BAD_TOKENS.get(token.kind, token.message)
    token = _first(tokens, _empty_url)
    if token is not None:  # EPUBCheck's reader of CSS stops at it
        return token.source_line, "url() names no file: write the file's name in it, or " \
            "remove the declaration"
    return _rule_problem(stylesheet_rules(css))


# What tinycss2 calls a token that no reader of CSS takes (a ParseError's kind), in words.
BAD_TOKENS = {
    "bad-string": "a string runs past the end of its line: close its quotation mark there",
    "bad-url": "an address in url(…) holds a space, a quotation mark or a parenthesis: "
               "write it in quotation marks, url(\"…\")",
    ")": "a ')' closes no '('", "]": "a ']' closes no '['",
}
# What a selector is made of, besides names (ident), #ids, [attributes] and :functions(…):
# EPUBCheck refuses a stylesheet with anything else there, as a reader drops the rule.
SELECTOR_MARKS = frozenset(".*>+~|:,")
# The at-rules that hold rules with selectors (@page, @font-face, @keyframes hold others).
GROUPING = frozenset({"media", "supports", "layer", "container", "scope", "document"})


def _first(tokens, test):
    """The first token in `tokens`, nested ones too, that passes `test`, or None."""
    for token in tokens:
        if test(token):
            return token
        for nested in ("content", "prelude", "arguments"):
            found = _first(getattr(token, nested, None) or (), test)
            if found is not None:
                return found
    return None


def _empty_url(token) -> bool:
    """Whether `token` is url() or url("") (or url(''))."""
    if token.type == "url":
        return not token.value.strip()
    return token.type == "function" and token.lower_name == "url" and all(
        argument.type == "whitespace" or argument.type == "string" and not argument.value.strip()
        for argument in token.arguments)


def _rule_problem(rules) -> tuple[int, str] | None:
    """The line and the reason of the first rule of `rules` (or of a rule they group) that
    does not parse: its selector or a declaration."""
    import tinycss2

    for rule in rules:
        if rule.type == "error":
            return rule.source_line, f"the rule does not parse: {rule.message}"
        if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            found = _rule_problem(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True))
            if found:
                return found
        if rule.type == "qualified-rule":
            stray = next((token for token in rule.prelude if token.type not in (
                "whitespace", "ident", "hash", "[] block", "function") and not (
                token.type == "literal" and token.value in SELECTOR_MARKS)), None)
            if stray is not None:
                return stray.source_line, (f"the selector does not parse: "
                                           f"'{stray.serialize()}' has no place in it")
            for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                        skip_whitespace=True):
                if item.type == "error":
                    return item.source_line, ("a declaration does not parse: write it as "
                                              "'property: value;'")
    return None


@kept_if_small(maxsize=128)  # the stylesheets are checked by each edition and each format
def css_problem(css: str) -> tuple[int, str] | None:
    """The line and the reason of the first syntax error or oversized length of a
    stylesheet."""
    return css_syntax_problem(css) or css_length_problem(css)


def css_length_problem(css: str) -> tuple[int, str] | None:
    """The line and the reason of the first length in CSS (a stylesheet or the declarations
    of a style attribute) too large to lay out."""
    import tinycss2

    def walk(tokens):
        for token in tokens:
            if token.type in ("dimension", "percentage"):
                unit = "%" if token.type == "percentage" else token.lower_unit
                value = abs(token.value)
                if unit in MM_PER_UNIT and value * MM_PER_UNIT[unit] > MAX_LENGTH_MM:
                    return token, f"{MAX_LENGTH_MM} mm"
                if unit in MAX_RELATIVE and value > MAX_RELATIVE[unit]:
                    return token, f"{MAX_RELATIVE[unit]}{unit}"
            for nested in ("content", "prelude", "arguments"):
                found = walk(getattr(token, nested, None) or [])
                if found:
                    return found
        return None

    found = walk(tinycss2.parse_component_value_list(css, skip_comments=True))
    if found is None:
        return None
    token, bound = found
    return token.source_line, (f"the length {token.serialize()} is larger than a page "
                               f"(at most {bound})")


def check_resource(name: str, media_type: str, data: bytes) -> None:
    """Refuse what would fill the memory: a file too large, or an image, whatever its name
    or media type says, whose pixels would (a few bytes of PNG, GIF or WebP can declare a
    picture of billions of pixels). Images are recognised by their content."""
    if len(data) > MAX_RESOURCE_BYTES:
        raise LimitExceeded(f"{name} is {len(data):,} bytes, more than a book needs")
    # A file checked by an earlier build is not read again: Pillow tries each of its
    # readers on it, the first time importing them all (a twentieth of a second).
    checked = f"{media_type}\0{hashlib.sha256(data).hexdigest()}"
    if memo.recall("resource", checked, lambda kept: kept is True):
        return
    _check_image(name, media_type, data)
    memo.keep("resource", checked, True)


def _check_image(name: str, media_type: str, data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns of a large image; the bound below refuses it, with a message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                kind = image.format
    except UnidentifiedImageError:
        if media_type.startswith("image/") and media_type != "image/svg+xml":
            raise LimitExceeded(f"{name} is not an image this tool can read",
                                hint=NOT_AN_IMAGE) from None
        return
    except Image.DecompressionBombError:
        raise LimitExceeded(f"{name} declares more pixels than a book needs (at most "
                               f"{MAX_IMAGE_PIXELS:,})") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise LimitExceeded(f"{name} is not an image this tool can read: {error}",
                            hint=NOT_AN_IMAGE) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise LimitExceeded(f"{name} is {width:,} × {height:,} pixels, more than a book "
                               f"needs (at most {MAX_IMAGE_PIXELS:,})")
    # A reading system believes the name: an EPUB declares each file's type by its extension.
    actual = IMAGE_TYPES.get(kind)
    if actual and media_type.startswith("image/") and media_type != actual:
        from .files import MEDIA_TYPES

        raise LimitExceeded(f"{name} is a {kind} image, which its name does not say",
                            hint="name it with the extension of its type: " + " or ".join(
                                e for e, t in MEDIA_TYPES.items() if t == actual))
