"""A key of one of the project's files, declared once: the loader validates with it, and the
reference (docs/reference.md, made by book/reference.py) is written from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    kinds: tuple[type, ...]  # the types its value may have
    required: bool
    doc: str  # what it means: the reference's sentence, and a wrong value's hint
    default: str | None = None  # as a reader of the file would write it
    allowed: tuple[str, ...] = ()  # the values it may take, when they are few
    length: bool = False  # text that is a length with its unit ("3mm"): a bare number is not


def kinds_text(key: Key) -> str:
    from .yamldata import TYPE_NAMES

    return " or ".join(dict.fromkeys(TYPE_NAMES.get(k, k.__name__) for k in key.kinds))
