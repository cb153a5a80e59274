"""The gettext catalogs brought up to date with the templates' strings, after a string is added
or changed:

    python -m book.catalogs

pybabel's extract (babel.cfg, into templates/locales/messages.pot) and update (each
templates/locales/<lang>/LC_MESSAGES/messages.po), with each catalog's header kept as it is
written: update writes a header of its own (the clock's date, Babel's version, empty fields),
which would change every catalog at every new string and lose the comments above it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BookError, Problems
from .languages import catalog_folders
from .output import write_text_atomically
from .translations import read_catalog

TOOL = Path(__file__).resolve().parent.parent  # the project, as build.py takes it
LOCALES = Path("templates") / "locales"


def header(catalog: str) -> str:
    """The comments and the header entry (msgid "") a catalog begins with, to its blank line."""
    end = catalog.find("\n\n")
    return catalog if end < 0 else catalog[:end + 2]


def update_catalogs(project: Path) -> list[Path]:
    """Extract the strings of `project`'s templates and update its catalogs: the catalogs
    updated, their headers as they were."""
    locales = project / LOCALES
    catalogs = [folder / "LC_MESSAGES" / "messages.po" for folder in catalog_folders(locales)]
    # pybabel's update reads a broken catalog as best it can and drops what it cannot read:
    # the translation of a misspelt line would be lost.
    problems = Problems()
    for path in catalogs:
        try:
            read_catalog(path, path.parent.parent.name, project / "templates")
        except BookError as error:
            problems.add(error)
    problems.raise_if_any()
    headers = {path: header(path.read_text(encoding="utf-8")) for path in catalogs}
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "--quiet"]
    for command in (
            ["extract", "-F", str(TOOL / "babel.cfg"), "-o", str(LOCALES / "messages.pot"),
             "--no-location", "--sort-output", "--omit-header", "."],
            ["update", "-i", str(LOCALES / "messages.pot"), "-d", str(LOCALES), "-w", "100"]):
        subprocess.run([*pybabel, *command], cwd=project, check=True)
    for path, kept in headers.items():
        text = path.read_text(encoding="utf-8")
        write_text_atomically(path, kept + text[len(header(text)):])
    return catalogs


if __name__ == "__main__":
    try:
        for updated in update_catalogs(TOOL):
            print(f"updated {updated.relative_to(TOOL)}")
    except BookError as error:  # named from the project's folder, as the build names files
        sys.exit(str(error).replace(f"{TOOL}/", ""))
