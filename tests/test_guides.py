"""The guides in docs/, followed step by step on a copy of the tests' own project: what a page
tells an editor to write is what this test writes, so the page and the tool agree."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

from book.cli import main

ROOT = Path(__file__).resolve().parent.parent


def steps(guide: str) -> list[tuple[str, str, str]]:
    """(what, path, content) for each "File `path`:" and "Append to `path`…:" block."""
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    found = re.findall(r"^(File|Append to) `([^`]+)`[^\n]*:\n\n```[a-z]*\n(.*?)```", text,
                       re.MULTILINE | re.DOTALL)
    assert found, f"{guide} shows no file to write"
    return found


def run(project: Path, *argv: str) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(list(argv), stdout=stdout, project=project)
    return code, stdout.getvalue() + stderr.getvalue()


def test_adding_a_text(fixture_project, tmp_path):
    guide = (ROOT / "docs" / "adding-a-text.md").read_text(encoding="utf-8")
    for what, name, content in steps("adding-a-text.md"):
        path = fixture_project / name
        if what == "File":
            path.write_text(content, encoding="utf-8")
        else:
            before = path.read_text(encoding="utf-8")
            path.write_text(before.rstrip("\n") + "\n" + content, encoding="utf-8")
    # 5. Print it: the guide's line for the reader edition, here for the fixture's.
    assert 'texts = ["ru", "el", "pl", "bericht"]' in guide
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'texts = ["gr", "rs", "pol", "de"]', 'texts = ["gr", "rs", "pol", "de", "bericht"]'),
        encoding="utf-8")
    assert "python build.py check --strict" in guide
    code, printed = run(fixture_project, "check", "--strict")
    assert code == 0, printed
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    with zipfile.ZipFile(out / "mini" / "mini.epub") as book:
        text = book.read("EPUB/text-bericht.xhtml").decode()
        bibliography = book.read("EPUB/bibliography.xhtml").decode()
        chronology = book.read("EPUB/chronology.xhtml").decode()
    assert 'lang="de"' in text and "Der Kongress trat am 25. Oktober" in text
    # The note's citing words link to the entry, and the entry back to the note.
    assert 'href="bibliography.xhtml#bib-reed1919"' in text
    assert 'href="text-bericht.xhtml#bericht-n1"' in bibliography
    assert 'href="text-bericht.xhtml#bericht-1"' in chronology
