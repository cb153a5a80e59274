"""Editions are data: a TOML file each under editions/, validated when it is loaded."""

from __future__ import annotations

import re
import tomllib
import uuid
from pathlib import Path

from .errors import ConfigError, Problems
from .languages import check_language_tag
from .model import Edition

FORMATS = ("pdf", "epub")
APPARATUS_LANGUAGES = ("en", "ru", "el", "pl")
# Identifiers are derived, not random, so that a rebuilt book is the same book.
IDENTIFIER_NAMESPACE = uuid.UUID("5b0e7f1c-3b1a-4f57-9c33-1917a0c10d25")

FIELDS: dict[str, tuple[type, bool]] = {
    # key: (type, required)
    "title": (str, True),
    "subtitle": (str, False),
    "language": (str, True),
    "texts": (list, True),
    "formats": (list, False),
    "filename": (str, False),
}


def key_line(source: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None


def load_edition(path: Path, known_texts: set[str]) -> Edition:
    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ConfigError(
            f"not valid TOML: {error}", path, int(line.group(1)) if line else None
        ) from None
    problems = Problems()

    def error(message: str, key: str | None, hint: str | None = None) -> None:
        problems.add(ConfigError(message, path, key_line(source, key) if key else None, hint))

    for key in data:
        if key not in FIELDS:
            error(f"unknown key {key!r}", key, "allowed keys: " + ", ".join(FIELDS))
    for key, (kind, required) in FIELDS.items():
        if key not in data:
            if required:
                error(f"missing key {key!r}", None, f"add a line '{key} = …'")
        elif not isinstance(data[key], kind):
            error(f"{key!r} must be a {'list' if kind is list else 'string'}", key)
    problems.raise_if_any()

    language = data["language"]
    if language not in APPARATUS_LANGUAGES or check_language_tag(language):
        error(
            f"apparatus language {language!r} is not available",
            "language",
            "use one of: " + ", ".join(APPARATUS_LANGUAGES),
        )
    texts = data["texts"]
    for text_id in texts:
        if text_id not in known_texts:
            error(
                f"no text has the id {text_id!r}",
                "texts",
                "texts available: " + ", ".join(sorted(known_texts)),
            )
    if not texts or len(set(texts)) != len(texts):
        error("'texts' must name each text once, at least one", "texts")
    formats = data.get("formats", list(FORMATS))
    for fmt in formats:
        if fmt not in FORMATS:
            error(f"unknown format {fmt!r}", "formats", "use 'pdf' and/or 'epub'")
    filename = data.get("filename", path.stem)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", filename):
        error(
            f"file name {filename!r} may hold only letters, digits, '.', '_' and '-'",
            "filename",
        )
    for key in ("title", "subtitle"):
        if any(ord(c) < 32 for c in data.get(key, "")):
            error(f"{key!r} holds a control character", key, "remove it")
    problems.raise_if_any()
    return Edition(
        name=path.stem,
        path=path,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        language=language,
        texts=tuple(texts),
        formats=tuple(formats),
        filename=filename,
        identifier=f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, path.stem)}",
    )


def load_editions(editions_dir: Path, known_texts: set[str]) -> list[Edition]:
    problems = Problems()
    editions = []
    for path in sorted(editions_dir.glob("*.toml")):
        try:
            editions.append(load_edition(path, known_texts))
        except ConfigError as error:
            problems.add(error)
    problems.raise_if_any()
    if not editions:
        raise ConfigError("no edition files found", editions_dir, hint="add an editions/*.toml")
    return editions

