"""The benchmark (book/bench.py) on the fixture project, its timed commands recorded instead of
run: every figure gets its row, each command is one the tool or the CLI it runs accepts, and
the projects it builds (an edited copy, a grown copy) pass every check a build makes. Timing
targets live in the benchmark, never here."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from book import bench
from book.cli import parser
from book.make import Project, gather

MIB = 1024 * 1024


def test_every_figure_has_its_row(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", bench.EPOCH)
    commands: list[tuple[list[str], Path]] = []

    def record(command, cwd):
        command = list(command)
        if command[1:2] == ["build.py"]:
            # A build of a fresh or grown copy of the project, as the command line reads it.
            assert command[0] == sys.executable and (cwd / "build.py").is_file()
            assert gather(Project(cwd)).findings.failing(strict=False) == []
            parser().parse_args(command[2:])
        elif command[0].endswith("weasyprint"):
            assert Path(command[-2]).is_file(), "the raw render reads the writer's HTML"
        commands.append((command, cwd))
        return bench.Run(1.0, 100 * MIB)

    rows = bench.bench(fixture_project, "mini", runs=1, quick=False, suite=True,
                       runner=record, say=lambda line: None)
    figures = [r.figure for r in rows]
    assert figures == [
        "mini PDF, first build", "mini PDF, first build: peak memory",
        "mini PDF, rebuild after a paragraph's edit", "all editions, PDF and EPUB",
        "all editions: peak memory", "no-op rebuild, all editions", "EPUB size",
        "mini EPUB only, first build, with the PDF's pages",
        "mini EPUB only, first build", "mini EPUB only, rebuild after a paragraph's edit",
        "mini, texts 16× (vs 4×)", "mini, texts 16×: peak memory",
        "test suite"]
    # Every build ran in a copy, never in the project or the tool's folder.
    assert all(cwd != fixture_project and cwd != bench.ROOT
               for command, cwd in commands if command[1:2] == ["build.py"])
    # The same time at 16× as at 4×: a ratio of 1.
    growth = rows[figures.index("mini, texts 16× (vs 4×)")]
    assert (growth.ratio, growth.passed) == ("1.00×", True)


def test_an_edited_and_a_grown_project_stay_faithful(fixture_project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", bench.EPOCH)
    source, original, word = bench.editable_word(fixture_project)
    bench.edit_word(source, original, word, 1)
    bench.edit_word(source, original, word, 2)
    assert word + word[-1] * 2 in source.read_text(encoding="utf-8")
    assert gather(Project(fixture_project)).findings.failing(strict=False) == []
    once = gather(Project(fixture_project)).texts
    grown = gather(Project(bench.grown(fixture_project, tmp_path / "grown", 4)))
    assert grown.findings.failing(strict=False) == []
    for name, text in once.items():
        assert len(grown.texts[name].paragraphs) == 4 * len(text.paragraphs)
        assert len(grown.texts[name].notes) == 4 * len(text.notes)


def test_the_epub_set_beside_pandocs_carries_no_print_pages(fixture_project):
    """pandoc's EPUB carries no printed pages, which the tool's takes from a layout: the
    EPUB measured against it is made without them, the edition's other keys as they are."""
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'filename = "mini"', 'filename = "mini"\nprint_pages = true'), encoding="utf-8")
    before = {e.name: e for e in gather(Project(fixture_project)).editions}
    assert before["mini"].print_pages
    bench.without_print_pages(fixture_project, "mini")
    after = {e.name: e for e in gather(Project(fixture_project)).editions}
    assert not after["mini"].print_pages
    assert after["mini"] == replace(before["mini"], print_pages=False)
    assert after["mini-pl"] == before["mini-pl"]
