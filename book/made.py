"""What a build has already made, and from what: a rebuild with nothing changed writes nothing.

In the output folder, a record per edition (RECORDS/NAME.json, out of the way of the books)
keeps two digests and a digest of each file made:
- `inputs`, of everything a build reads: the project's sources, editions and templates (the
  fonts among them), the tool's own code and the versions of the libraries it uses, the date
  it stamps and the build's options. Computed before anything is imported or parsed, it lets
  a build with nothing changed stop at once (`nothing_changed`).
- `books`, one per copy of the edition, of the book as the build assembles it (its texts,
  notes, questions… after parsing) with its template folders and catalog: a change to the
  project that the edition does not print (another edition's question) leaves it as it is.
A file made since, changed or missing, makes its edition be built again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from .clock import build_time
from .errors import BookError
from .files import edition_files, edition_name, inside
from .output import write_text_atomically

RECORDS = ".made"
# What a build reads, under the project; __pycache__ and hidden files are not read.
INPUTS = ("sources", "editions", "templates")  # and the tool's code: build_context
# The libraries whose version changes what the books hold.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "ebooklib", "jinja2", "babel", "citeproc-py",
             "markdown-it-py", "mdit-py-plugins", "pyyaml", "convertdate", "fonttools",
             "pillow", "lxml")


def build_options(formats, strict: bool) -> dict:
    """The options of a build that change what it makes, as both digests take them."""
    return {"formats": sorted(formats or ()), "strict": strict}


def tree_digest(paths: Iterable[Path], root: Path) -> str:
    """A digest of every file under `paths`, by its path from `root` and its bytes."""
    digest = hashlib.sha256()
    for top in paths:
        # Walked as it goes (not sorted whole first), so that the folders left out are not
        # entered: the bytecode Python writes as the build runs changes nothing.
        for where, folders, names in os.walk(top) if top.is_dir() else [
                (str(top.parent), [], [top.name])]:
            folders[:] = sorted(f for f in folders if not f.startswith(".")
                                and f != "__pycache__")
            for name in sorted(names):
                if name.startswith("."):
                    continue
                path = Path(where, name)
                if path.is_symlink() and not inside(path, root):
                    # Never read: the build refuses it (make.gather), whatever it leads to.
                    digest.update(f"{path.relative_to(root).as_posix()}\0link\0".encode())
                elif path.is_file():
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _stamp(root: Path) -> str:
    """The date the build stamps where an edition gives none of its own (which its file
    holds), or why it cannot tell: the build says so itself."""
    try:
        return build_time(root).isoformat()
    except BookError as error:
        return error.message


def _versions() -> list[str]:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=")
    return found


@cache
def tool_digest(root: Path) -> str:
    """The tool itself: its code and the versions of the libraries it uses."""
    return hashlib.sha256((tree_digest([root / "book"], root) + json.dumps(_versions())
                           ).encode()).hexdigest()


def build_context(root: Path, options: dict) -> str:
    """What every book of a build is made with besides its own inputs: the tool (its code
    and libraries), the date stamped and the options. Computed once a build."""
    return hashlib.sha256((tool_digest(root) + json.dumps(
        [_stamp(root), options], sort_keys=True)).encode()).hexdigest()


def inputs_digest(root: Path, context: str) -> str:
    """The digest of everything a build of the project reads (`context`: build_context)."""
    return hashlib.sha256((tree_digest([root / folder for folder in INPUTS], root)
                           + context).encode()).hexdigest()


def _record(folder: Path) -> dict:
    """The record of the edition whose books are in `folder` (out/NAME)."""
    try:
        record = json.loads((folder.parent / RECORDS / f"{folder.name}.json").read_text(
            encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def files_as_made(folder: Path, record: dict) -> bool:
    """Whether each file the record lists is in `folder` as the build made it."""
    made = record.get("files")
    if not isinstance(made, dict) or not made:
        return False
    for name, digest in made.items():
        path = folder / str(name)
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return True


def nothing_changed(root: Path, out: Path, names: Iterable[str] | None, digest: str) -> bool:
    """Whether every edition asked for (`names`; None: every edition of the project) was made
    into `out` from these very inputs, its files untouched since."""
    if names is None:
        try:
            names = [edition_name(p) for p in edition_files(root / "editions")]
        except Exception:  # noqa: BLE001 - the build itself will say what is wrong
            return False
    names = list(names)
    return bool(names) and all(
        (record := _record(out / name)).get("inputs") == digest
        and files_as_made(out / name, record) for name in names)


def book_digest(book, folders: Iterable[Path], root: Path, context: str) -> str:
    """The digest of one copy of an edition as the build assembles it: its book (the model's
    dataclasses print all they hold), its template folders and catalog, and the build's
    context (build_context)."""
    return hashlib.sha256((repr(book) + tree_digest(folders, root) + context).encode()
                          ).hexdigest()


def up_to_date(folder: Path, books: dict[str, str]) -> bool:
    """Whether the edition in `folder` was made from these books (one digest per copy)."""
    record = _record(folder)
    return record.get("books") == books and files_as_made(folder, record)


def record_made(folder: Path, inputs: str, books: dict[str, str], files: Iterable[Path]) -> None:
    """Write the record of what was just made in `folder`, after its files are in place."""
    made = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    write_text_atomically(folder.parent / RECORDS / f"{folder.name}.json", json.dumps(
        {"inputs": inputs, "books": books, "files": made}, indent=1, sort_keys=True) + "\n")
