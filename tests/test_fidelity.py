"""Every word of each original's prose and notes is in its edited text, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from book.fidelity import edited_text, fidelity_problems
from book.sources import load_text, load_texts

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "sources").glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_edited_text_keeps_every_word_of_the_original(path):
    assert fidelity_problems(load_text(path)) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_words_in_order(path):
    # The same property stated on words, as an editor would check it by eye.
    text = load_text(path)
    original = text.original.read_text(encoding="utf-8")
    for removal in text.removals:
        squeezed = re.sub(r"\s+", r"\\s*", re.escape(removal.text).replace("\\ ", " "))
        original = re.sub(squeezed, " ", original, count=1)
    assert re.findall(r"\w+", edited_text(text)) == re.findall(r"\w+", original)


def test_a_changed_word_is_caught(project_copy):
    path = project_copy / "sources" / "el-paloukis-october.md"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("καθυστερημένη", "καθυστερημένος", 1), encoding="utf-8")
    ((problem, line),) = fidelity_problems(load_text(path))
    assert "καθυστερημέν" in problem
    assert "καθυστερημένος" in source.replace("καθυστερημένη", "καθυστερημένος", 1).split(
        "\n")[line - 1]


def test_a_dropped_note_word_is_caught(project_copy):
    path = project_copy / "sources" / "el-paloukis-october.md"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("Pather, ", "", 1), encoding="utf-8")
    assert fidelity_problems(load_text(path))


def test_an_unlisted_removal_is_caught(project_copy):
    path = project_copy / "sources" / "el-paloukis-october.md"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("  - kind: chrome\n    text: Τρίτη, 26 Ιουνίου 2012\n", ""),
                    encoding="utf-8")
    assert fidelity_problems(load_text(path))


def test_blog_chrome_is_gone_from_the_edited_texts():
    texts = load_texts(ROOT / "sources")
    greek = edited_text(texts["el"])
    for chrome in ("Δεν υπάρχουν σχόλια", "πόσοι μας διάβασαν", "Τρίτη, 26 Ιουνίου 2012"):
        assert chrome in texts["el"].original.read_text(encoding="utf-8")
        assert chrome not in greek
