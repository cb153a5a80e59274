"""Reading a file under sources/: a regular file, of a sane size, in UTF-8 — or a message."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from .errors import SourceError
from .files import decoded
from .limits import MAX_SOURCE_BYTES

# What no text of ours may hold, in a file or however it is written (an escape such as "\x07"
# or "\uFFFE" in YAML): control characters other than tab and line ends, which print as
# nothing or truncate the EPUB's XML; lone surrogates, which cannot be written as UTF-8; the
# noncharacters; and the overrides of direction, which show characters in another order than
# the file's ("19\u202e17" shows as 1971).
OVERRIDES = "\u202d\u202e"
BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + OVERRIDES
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
              for plane in range(17))
    + "]"
)


def bad_character(c: str) -> str:
    """What a character BAD_CHARACTER finds is, as a message names it."""
    kind = ("control character" if ord(c) < 0xA0 else "direction override" if c in OVERRIDES
            else "lone surrogate" if 0xD800 <= ord(c) <= 0xDFFF else "noncharacter")
    return f"{kind} U+{ord(c):04X}"


def read_source_file(path: Path, missing_hint: str | None = None) -> str:
    """The text of `path`; a SourceError naming the file (and the line of a bad byte)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceError("the file does not exist", path,
                          hint=missing_hint or "create it, or correct the name") from None
    except OSError as error:
        raise SourceError(f"the file cannot be read: {error.strerror}", path) from None
    # The file policy: a symbolic link may not lead out of the file's folder (sources/ or
    # sources/originals/), where a file of the machine would be read and perhaps quoted.
    if not path.resolve().is_relative_to(path.parent.resolve()):
        raise SourceError("the file is a link that leads out of its folder", path,
                          hint="replace the link by a copy of the file")
    # A device or a FIFO (perhaps behind a symbolic link) could be endless: refuse it by its
    # kind, and a huge file by its size, before reading a byte.
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("not a regular file", path, hint="replace it with a plain text file")
    if info.st_size > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is {info.st_size:,} bytes, more than the "
                          f"{MAX_SOURCE_BYTES:,} a source may have", path,
                          hint="split it, or check that it is the file you meant")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SOURCE_BYTES + 1)  # it may have grown since the stat
    except OSError as error:
        raise SourceError(f"the file cannot be read: {error.strerror}", path) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is more than the {MAX_SOURCE_BYTES:,} bytes a source may "
                          "have", path, hint="split it, or check that it is the file you meant")
    return decoded(data, path, SourceError)
