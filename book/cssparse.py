"""A stylesheet parsed once in a process, for every reader of its rules: the checks of its
syntax and its URLs, the style check, the fonts' use. Each reads tinycss2's nodes and
changes none."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)  # the editions of a build share their themes' stylesheets
def stylesheet_rules(css: str) -> tuple:
    """The top-level rules of `css` (comments and white space between them left out)."""
    import tinycss2

    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
