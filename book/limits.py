"""Bounds on what a build may take: time, memory, and the size of what templates make.

A template from a teacher, or a huge image in a template folder, must stop the build with a
message, not hang the machine.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

from .errors import BookError

# Seconds one output may take to render and write; the books here take well under a minute.
TIME_LIMIT = int(os.environ.get("BOOK_TIME_LIMIT", "600"))
# Address space the build command may use (WeasyPrint needs well under 2 GiB for these books).
MEMORY_LIMIT = 6 * 1024**3
MAX_TEMPLATE_OUTPUT = 50_000_000  # characters one rendered template may hold
MAX_NESTING = 300  # element depth of a rendered document
MAX_IMAGE_PIXELS = 40_000_000
MAX_RESOURCE_BYTES = 50_000_000
MAX_SOURCE_BYTES = 5_000_000  # one text or data file under sources/; the largest is ~100 kB
MAX_PARAGRAPH_CHARS = 100_000  # one paragraph of a text; later stages take minutes beyond this
MAX_YAML_DEPTH = 50  # nesting of YAML lists and mappings; PyYAML recurses once per level


class LimitExceeded(BookError):
    pass


@contextmanager
def time_limit(what: str, seconds: int | None = None) -> Iterator[None]:
    """Stop `what` after `seconds` (only in the main thread, where signals are delivered)."""
    seconds = seconds or TIME_LIMIT
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise LimitExceeded(f"{what} took more than {seconds} s and was stopped",
                            hint="a template may loop without end; set BOOK_TIME_LIMIT "
                            "to allow more time")

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
