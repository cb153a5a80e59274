"""Slow steps' results kept between builds in the output folder (book/memo.py): the same
books from them as without them, a changed input never served an old result, a damaged or
unwritable store never in the way."""

from __future__ import annotations

import json
import os

import pytest
from helpers import edit, run

from book import bibliography, memo
from book.made import RECORDS


def epub(project, out):
    # Each build reads the store, not what an earlier one left in this process's memory.
    bibliography._FORMATTED.clear()
    code, printed = run(project, "epub", "--edition", "mini", "--out", str(out), "--force",
                        "--jobs", "1")
    assert code == 0, printed
    return (out / "mini" / "mini.epub").read_bytes()


def kept(out):
    return sorted((out / RECORDS / "memo").glob("bibliography-*.json"))


def test_a_rebuild_from_kept_results_is_the_same_book(fixture_project, tmp_path):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    (result,) = kept(out)
    # What is kept is the formatted entries, in the data's words.
    assert any("A Study of Things" in html for html in json.loads(result.read_text("utf-8")))
    assert epub(fixture_project, out) == first
    assert epub(fixture_project, tmp_path / "elsewhere") == first


@pytest.mark.parametrize("damage", ["{not json", "[]", '["a", 1]', "null"])
def test_a_damaged_result_is_made_again(fixture_project, tmp_path, damage):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    (result,) = kept(out)
    result.write_text(damage, encoding="utf-8")
    assert epub(fixture_project, out) == first
    assert result.read_text(encoding="utf-8") != damage


def test_an_edited_entry_is_formatted_again(fixture_project, tmp_path):
    out = tmp_path / "out"
    epub(fixture_project, out)
    edit(fixture_project, "sources/bibliography.yaml", "title: A Study of Things",
         "title: A Study of Other Things")
    epub(fixture_project, out)
    texts = [result.read_text(encoding="utf-8") for result in kept(out)]
    assert len(texts) == 2 and any("A Study of Other Things" in t for t in texts)


def test_results_are_kept_for_the_same_tool_only(tmp_path):
    made = []

    def make():
        made.append(1)
        return ["formatted"]

    def valid(value):
        return isinstance(value, list)

    with memo.kept_in(tmp_path, "tool 1"):
        assert memo.remembered("kind", "inputs", make, valid) == ["formatted"]
        assert memo.remembered("kind", "inputs", make, valid) == ["formatted"]
    assert len(made) == 1
    with memo.kept_in(tmp_path, "tool 2"):  # another version of the tool
        memo.remembered("kind", "inputs", make, valid)
    # Outside a build nothing is kept.
    memo.remembered("kind", "inputs", make, valid)
    assert len(made) == 3


def test_the_oldest_results_are_forgotten(tmp_path, monkeypatch):
    monkeypatch.setattr(memo, "MAX_RESULTS", 3)
    seen: set = set()
    for n in range(5):
        with memo.kept_in(tmp_path, "tool"):
            memo.remembered("kind", str(n), lambda n=n: [n], lambda v: True)
        # Its own second, whatever the file system's clock can tell apart.
        (new,) = set(tmp_path.glob("*.json")) - seen
        os.utime(new, (1_000_000 + n, 1_000_000 + n))
        seen = set(tmp_path.glob("*.json"))
    assert len(list(tmp_path.glob("*.json"))) == 3
    # The newest are kept.
    with memo.kept_in(tmp_path, "tool"):
        assert memo.remembered("kind", "4", lambda: pytest.fail("made again"),
                               lambda v: True) == [4]


def test_an_unwritable_store_only_costs_time(fixture_project, tmp_path):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    store = out / RECORDS / "memo"
    for result in kept(out):
        result.unlink()
    store.rmdir()
    store.write_text("a file where the folder was", encoding="utf-8")
    assert epub(fixture_project, out) == first


def test_a_failed_build_keeps_nothing(tmp_path):
    with pytest.raises(RuntimeError), memo.kept_in(tmp_path / "store", "tool"):
        memo.remembered("kind", "inputs", lambda: ["made"], lambda v: True)
        raise RuntimeError("the build stopped")
    assert not (tmp_path / "store").exists()
