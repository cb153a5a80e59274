"""Writing outputs atomically: a reader never finds half a book where the last one was."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, moved over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes the file private; the book gets the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        # Also on KeyboardInterrupt: the previous output stays as it was, with no debris.
        temporary.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str) -> None:
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


class Terminated(BaseException):
    """SIGTERM, raised where the build stands so that its clean-up runs."""


# Set when SIGTERM arrives. A library may swallow the exception raised then (WeasyPrint draws
# an SVG image under `except BaseException`): an edition's files are still never moved into
# place after it.
TERMINATED = threading.Event()


class Stage:
    """The files of one edition, each written to a staged name beside its target and moved
    into place together (`commit`), or none of them (`discard`)."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Path, Path]] = []

    def __call__(self, target: Path) -> Path:
        path = target.with_name(f".{target.name}.staged")
        self.pairs.append((path, target))
        return path

    @property
    def targets(self) -> list[Path]:
        return [target for _, target in self.pairs]

    def commit(self) -> None:
        if TERMINATED.is_set():
            raise Terminated()
        for path, target in self.pairs:
            os.replace(path, target)

    def discard(self) -> None:
        """What was not moved into place is removed, with what the jobs writing it left: one
        stopped at once (SIGTERM) leaves its file half-written."""
        for path, _ in self.pairs:
            path.unlink(missing_ok=True)
        for folder in {target.parent for _, target in self.pairs}:
            clean_stale_parts(folder)


@contextmanager
def staged(folder: Path) -> Iterator[Stage]:
    """Files moved into place together when the block succeeds; none of them otherwise."""
    clean_stale_parts(folder)
    stage = Stage()
    try:
        yield stage
        stage.commit()
    finally:
        stage.discard()


def clean_stale_parts(folder: Path) -> None:
    """Remove what a build killed outright (SIGKILL, a power cut) left in an output folder."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name.startswith(".") and path.suffix in (".part", ".staged") and \
                    path.is_file():
                path.unlink(missing_ok=True)
