"""The one date a build stamps into its outputs, so that the same input gives the same bytes."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

from .errors import BookError

# A zip file (the EPUB) can stamp no date before 1980; nothing is published after 2099 here.
EARLIEST, LATEST = datetime(1980, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, tzinfo=UTC)


def build_time(project: Path, fixed: str | None = None) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the edition's fixed date, else the last commit of the
    project. Never the clock, nor a file's time: two builds, or two copies of the project,
    must give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if not (epoch.isascii() and epoch.strip().isdigit()) or not (
                EARLIEST.timestamp() <= int(epoch) <= LATEST.timestamp()):
            raise BookError(f"SOURCE_DATE_EPOCH={epoch!r} is not a date the build can stamp",
                            hint="set it to whole seconds since 1970 (a date from 1980 to "
                            "2099), e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or "
                            "unset it")
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    if fixed is not None:
        return datetime.combine(date.fromisoformat(fixed), time(), tzinfo=UTC)
    try:
        epoch = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=project, capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        epoch = None
    if epoch is None or not epoch.isdigit():
        raise BookError("the build cannot tell which date to stamp into the books: the project "
                        "is not a git checkout with a commit",
                        hint="give the edition a date (date = \"2026-11-24\" in its file), or "
                        "set SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), tz=UTC)
