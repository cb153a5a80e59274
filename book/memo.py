"""Results of slow, pure steps kept between builds, beside the build's records in the output
folder (made.RECORDS/memo/): a rebuild after an edit does not format an unchanged
bibliography again. Each result is found by a digest of everything it is made from and of
the tool itself, so a changed input or a new version of the tool never finds an old one; a
file that cannot be read as written is ignored and made again. A build that fails keeps
nothing: it leaves the output folder as it was."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from .output import write_text_atomically

# Results kept per output folder (a build of many editions and themes keeps some hundred small
# files); the ones used longest ago go first.
MAX_RESULTS = 512

_folder: Path | None = None
_tool = ""
_made: dict[Path, Any] = {}  # results made while the block runs, kept if it succeeds


@contextmanager
def kept_in(folder: Path, tool: str) -> Iterator[None]:
    """Keep results in `folder` if the block succeeds; `tool` is a digest of the tool's code
    and libraries (made.tool_digest)."""
    global _folder, _tool, _made
    previous = _folder, _tool, _made
    _folder, _tool, _made = folder, tool, {}
    try:
        yield
        for path, value in _made.items():
            try:
                write_text_atomically(path, json.dumps(value, ensure_ascii=False,
                                                       sort_keys=True))
            except OSError:
                break  # a read-only output folder: the results are made each time
        else:
            _forget_oldest(folder)
    finally:
        _folder, _tool, _made = previous


def remembered(kind: str, made_from: str, make: Callable[[], Any],
               valid: Callable[[Any], bool]) -> Any:
    """make(), or what it gave before for the same `made_from` (a JSON value `valid` accepts).
    Outside `kept_in` it is simply make()."""
    found = recall(kind, made_from, valid)
    if found is None:
        found = make()
        keep(kind, made_from, found)
    return found


def recall(kind: str, made_from: str, valid: Callable[[Any], bool]) -> Any:
    """What was kept for `made_from`, if it is there and `valid`; else None."""
    path = _path(kind, made_from)
    if path is None:
        return None
    if path in _made:
        return _made[path]
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not valid(value):
        return None
    with suppress(OSError):
        os.utime(path)  # used now: the last to be forgotten
    return value


def keep(kind: str, made_from: str, value: Any) -> None:
    """Keep `value` (JSON) for `made_from`, once the build succeeds."""
    path = _path(kind, made_from)
    if path is not None:
        _made[path] = value


def kept(kind: str, made_from: str) -> bool:
    """Whether a result for `made_from` is kept already, or will be once the build succeeds
    (unread: whether it is valid is for `recall` to say); one kept is marked used now, as
    `recall` marks what it reads."""
    path = _path(kind, made_from)
    if path is None:
        return False
    if path in _made:
        return True
    try:
        os.utime(path)
    except OSError:
        return False
    return True


def made_here() -> dict[str, Any]:
    """The results made since `kept_in`, for a process forked from the build to hand back to
    it (`adopt`): the build's process alone writes them."""
    return {str(path): value for path, value in _made.items()}


def adopt(results: dict[str, Any]) -> None:
    if _folder is not None:
        _made.update({Path(path): value for path, value in results.items()
                      if Path(path).parent == _folder})


def _path(kind: str, made_from: str) -> Path | None:
    if _folder is None:
        return None
    key = hashlib.sha256(f"{kind}\0{_tool}\0{made_from}".encode()).hexdigest()
    return _folder / f"{kind}-{key[:32]}.json"


def _forget_oldest(folder: Path) -> None:
    kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for path in kept[:max(0, len(kept) - MAX_RESULTS)]:
        path.unlink(missing_ok=True)
