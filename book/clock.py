"""The one date a build stamps into its outputs, so that the same input gives the same bytes."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path


def build_time(project: Path, fixed: str | None = None) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the edition's fixed date, else the last commit of the
    project, else its newest source. Never the clock: two builds must give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None and fixed is not None:
        return datetime.combine(date.fromisoformat(fixed), time(), tzinfo=UTC)
    if epoch is None:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"],
                cwd=project, capture_output=True, text=True, check=True, timeout=10,
            ).stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            epoch = None
    if epoch is None:
        epoch = max(p.stat().st_mtime for p in (project / "sources").rglob("*") if p.is_file())
    return datetime.fromtimestamp(int(float(epoch)), tz=UTC)
