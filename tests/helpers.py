"""What several test files do: run the command line in-process on a project."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from book.cli import main


def run(project: Path, *argv: str) -> tuple[int, str]:
    """Exit code and everything printed; a traceback fails the test where it is raised."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(list(argv), stdout=stdout, project=project)
    return code, stdout.getvalue() + stderr.getvalue()
