"""What several test files share: running the command line in-process on a project, editing a
copy of it, an edition of the classroom theme for the fixture, the fixture's typography, and
small images and fonts."""

from __future__ import annotations

import contextlib
import copy
import io
import re
import struct
import zlib
from pathlib import Path

from book.cli import main
from book.typography import load_typography

# The fixture's own rules (tests/fixture/sources/typography.yaml), for the functions that take
# them: the tests never depend on the book's.
TYPOGRAPHY = load_typography(Path(__file__).parent / "fixture" / "sources" / "typography.yaml")


def run(project: Path, *argv: str) -> tuple[int, str]:
    """Exit code and everything printed; a traceback fails the test where it is raised."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(list(argv), stdout=stdout, project=project)
    return code, stdout.getvalue() + stderr.getvalue()


# A finding of the typographic check after layout (book/pagecheck.py), as a build prints it.
PAGE_FINDING = re.compile(r"warning: [\w-]+, pages? [\d, …]+: ")


def other_warnings(printed: str) -> list[str]:
    """The warnings a build printed, but the typographic check's: for tests of a book whose
    text is made up to fill pages, not to set well."""
    return [line for line in printed.split("\n")
            if "warning" in line and not PAGE_FINDING.search(line)]


def words_after(document, name: str) -> tuple[str, str]:
    """(the id of the paragraph holding the element `name`, the words from that element to the
    paragraph's end, spaces made plain): where a link to a quoted passage leads."""
    (target,) = copy.deepcopy(document).xpath(f"//*[@id='{name}']")
    paragraph = next(target.iterancestors("{*}p"))
    # A mark no text holds (a private use character), where the element begins.
    target.text = "\ue000" + (target.text or "")
    rest = "".join(paragraph.itertext()).split("\ue000", 1)[1]
    return paragraph.get("id"), re.sub(r"\s+", " ", rest.replace("\u00a0", " "))


def leads_to(document, name: str, paragraph_id: str, quote: str) -> bool:
    """Whether the element `name` begins the word where `quote` begins, in its paragraph."""
    found, words = words_after(document, name)
    quote = re.sub(r"\s+", " ", quote.replace("\u00a0", " "))
    return found == paragraph_id and quote in words and " " not in words[:words.index(quote)]


def page_contents(document, generated: bool = True) -> list[tuple[list[str], list[str]]]:
    """Each page's anchors and the words of its boxes, in order: what a layout put where;
    without the words the stylesheets generate after an element (page references), unless
    `generated`."""
    from weasyprint.formatting_structure.boxes import TextBox

    return [(sorted(page.anchors), [
        box.text for box in page._page_box.descendants() if isinstance(box, TextBox)
        and (generated or not (box.element_tag or "").endswith("::after"))])
        for page in document.pages]


def files_in(folder: Path) -> dict[Path, bytes]:
    """Every file under `folder` with its bytes: what a failed build must leave as it was."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def edit(project: Path, name: str, old: str, new: str) -> None:
    """Replace the first `old` in the project's file `name`, which must hold it."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, name: str, fragment: str) -> int:
    """The first line of the project's file `name` holding `fragment` (read as bytes: the
    file may be broken on purpose)."""
    lines = (project / name).read_bytes().split(b"\n")
    return next(i for i, line in enumerate(lines, 1) if fragment.encode() in line)


# The fixture's stand-in for a classroom edition: the classroom theme, in both formats.
CLASSROOM = """title = "Test book"
subtitle = "A classroom edition"
language = "en"
texts = ["gr", "rs", "pol", "de"]
sections = ["contents", "notes", "questions", "chronology", "glossary", "bibliography"]
templates = "classroom"
paragraph_numbers = true
filename = "classroom"
date = "2020-01-01"

[page]
size = "A4"
type_size = "12pt"
mirrored = false
margins = { top = "20mm", bottom = "22mm", inner = "26mm", outer = "62mm" }

[chronology]
worksheet = true
"""


def png(width: int, height: int, rows: bool = False) -> bytes:
    """A PNG that declares `width` × `height` grey pixels in a few bytes (with `rows`, one
    that holds them, which a reading system can show)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height)) if rows else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def font(path: Path, characters: str) -> Path:
    """A TrueType font at `path` with an (empty) glyph for each of `characters`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"u{ord(c):04X}" for c in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in characters})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in names})
    builder.setupHorizontalMetrics({name: (500, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


# A Greek text alone, its original a placeholder: for what the loader says of a body.
LONE_HEADER = """---
id: tx
lang: el
title: Τίτλος
title_editorial: false
original: originals/original.txt
---

"""


def lone_text(folder: Path, body: str) -> Path:
    """The source `folder`/tx.md of a text whose body is `body` (its original a placeholder,
    which the loader does not compare)."""
    (folder / "originals").mkdir(exist_ok=True)
    (folder / "originals" / "original.txt").write_text("x", encoding="utf-8")
    path = folder / "tx.md"
    path.write_text(LONE_HEADER + body + "\n", encoding="utf-8")
    return path
