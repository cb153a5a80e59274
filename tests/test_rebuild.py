"""A rebuild makes again only what changed (book/made.py): nothing at all when nothing did, the
editions whose books a change alters otherwise; on the tests' own small project, EPUBs only."""

from __future__ import annotations

import pytest
from helpers import edit, files_in, run

UP_TO_DATE = "up to date, nothing it is made of has changed since it was made"


@pytest.fixture
def built(fixture_project, tmp_path):
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--out", str(out))
    assert code == 0, printed
    return fixture_project, out


def rebuild(project, out, *args):
    code, printed = run(project, "epub", "--out", str(out), *args)
    assert code == 0, printed
    return printed


def test_nothing_changed_writes_nothing(built):
    project, out = built
    before = {p: (p.stat().st_mtime_ns, data) for p, data in files_in(out).items()}
    printed = rebuild(project, out)
    assert printed.startswith(f"nothing changed since the books in {out} were made")
    assert {p: (p.stat().st_mtime_ns, data) for p, data in files_in(out).items()} == before
    # --force makes them again, the same bytes.
    printed = rebuild(project, out, "--force")
    assert "wrote" in printed and files_in(out) == {p: d for p, (_, d) in before.items()}


def test_a_change_one_edition_does_not_print_leaves_it_as_it_is(built):
    project, out = built
    # A question for mini-pl only: mini's book is the same.
    edit(project, "sources/questions.yaml", "pol:\n", "pol:\n  - id: pol-q9\n"
         "    editions: [mini-pl]\n    about: [pol-1]\n    en: Where?\n    pl: Gdzie?\n")
    printed = rebuild(project, out)
    assert f"mini: {UP_TO_DATE}" in printed
    assert "mini-pl: making mini-pl.epub" in printed and "mini: making" not in printed
    # A comment changes no book at all.
    edit(project, "sources/questions.yaml", "pol:\n", "# a comment\npol:\n")
    printed = rebuild(project, out)
    assert f"mini: {UP_TO_DATE}" in printed and f"mini-pl: {UP_TO_DATE}" in printed


def test_a_template_rebuilds_the_editions_that_use_it(built):
    project, out = built
    # The classroom theme is mini-pl's only.
    (project / "templates" / "classroom" / "css" / "theme.css").write_text(
        "p { color: black; }\n", encoding="utf-8")
    printed = rebuild(project, out)
    assert f"mini: {UP_TO_DATE}" in printed and "mini-pl: making" in printed
    edit(project, "templates/base/css/common.css", "\n", "\n/* a comment */\n")
    printed = rebuild(project, out)
    assert "mini: making" in printed and "mini-pl: making" in printed


def test_a_book_changed_or_removed_since_is_made_again(built):
    project, out = built
    (out / "mini" / "mini.epub").write_bytes(b"not a book")
    (out / "mini-pl" / "mini-pl.epub").unlink()
    printed = rebuild(project, out)
    assert "mini: making" in printed and "mini-pl: making" in printed
    assert (out / "mini" / "mini.epub").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("change", ["options", "date"])
def test_other_options_or_another_date_are_another_build(built, monkeypatch, change):
    project, out = built
    if change == "options":
        printed = rebuild(project, out, "--strict")
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        printed = rebuild(project, out)
    # SOURCE_DATE_EPOCH wins over an edition's own date: every book changes.
    assert "mini: making" in printed and "mini-pl: making" in printed


def test_the_digest_leaves_out_bytecode_and_hidden_folders_and_sees_the_rest(tmp_path):
    from book.made import tree_digest

    code = tmp_path / "book"
    (code / "sub").mkdir(parents=True)
    (code / "a.py").write_text("a = 1\n", encoding="utf-8")
    (code / "sub" / "b.py").write_text("b = 2\n", encoding="utf-8")
    before = tree_digest([code], tmp_path)
    # What Python and editors write beside the code as the build runs.
    for folder in (code / "__pycache__", code / "sub" / "__pycache__", code / ".cache"):
        folder.mkdir()
        (folder / "a.cpython-311.pyc").write_bytes(b"bytecode")
    (code / ".hidden.py").write_text("secret = 1\n", encoding="utf-8")
    assert tree_digest([code], tmp_path) == before
    (code / "sub" / "b.py").write_text("b = 3\n", encoding="utf-8")
    assert tree_digest([code], tmp_path) != before
