"""The benchmark (book/bench.py) on the fixture project, its timed commands recorded instead of
run: every figure gets its row, each command is one the tool or the CLI it runs accepts, and
the projects it builds (an edited copy, a grown copy) pass every check a build makes. Timing
targets live in the benchmark, never here."""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import replace
from pathlib import Path

from book import bench
from book.cli import parser
from book.make import Project, gather

MIB = 1024 * 1024


def test_every_figure_has_its_row(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", bench.EPOCH)
    monkeypatch.setattr(bench, "cores", lambda: 2)
    commands: list[tuple[list[str], Path]] = []
    raw_renders: list[int] = []  # the size of the HTML each raw render reads

    def record(command, cwd):
        command = list(command)
        if command[1:2] == ["build.py"]:
            # A build of a fresh or grown copy of the project, as the command line reads it.
            assert command[0] == sys.executable and (cwd / "build.py").is_file()
            assert gather(Project(cwd)).findings.failing(strict=False) == []
            parser().parse_args(command[2:])
        elif command[0].endswith("weasyprint"):
            assert Path(command[-2]).is_file(), "the raw render reads the writer's HTML"
            raw_renders.append(Path(command[-2]).stat().st_size)
        elif command[1:2] == ["-c"]:
            names = command[2].removeprefix("import ").split(", ")
            assert all(importlib.util.find_spec(name) for name in names), command
        commands.append((command, cwd))
        return bench.Run(1.0, 100 * MIB)

    rows = bench.bench(fixture_project, "mini", runs=1, quick=False, suite=True,
                       runner=record, say=lambda line: None)
    figures = [r.figure for r in rows]
    assert figures == [
        "mini PDF, first build", "mini PDF, first build: peak memory",
        "mini PDF, rebuild after a paragraph's edit", "all editions, PDF and EPUB",
        "all editions: peak memory", "all editions: least on 2 cores, each PDF one raw render",
        "all editions: least on 2 cores, the raw renders' work shared out evenly",
        "no-op rebuild, all editions", "EPUB size",
        "mini EPUB only, first build, with the PDF's pages",
        "mini EPUB only, first build", "mini EPUB only, rebuild after a paragraph's edit",
        "EPUB: the writer's libraries imported, nothing else",
        "mini, texts 16× (vs 4×)", "mini, texts 16×: peak memory",
        "mini, texts 16×: the raw render's peak memory", "test suite"]
    # Every build ran in a copy, never in the project or the tool's folder.
    assert all(cwd != fixture_project and cwd != bench.ROOT
               for command, cwd in commands if command[1:2] == ["build.py"])
    # The one PDF edition's render, as measured for the first build (not rendered again; the
    # other raw render is the edited copy's): a single core's work.
    least = rows[figures.index("all editions: least on 2 cores, each PDF one raw render")]
    assert least.ratio == "1.00×" and len(raw_renders) == 4
    # The last raw render is the 16× book's, for its peak memory.
    assert raw_renders[-1] > 2 * raw_renders[0]
    assert "s raw weasyprint, the build 1.00× its time" in rows[figures.index(
        "mini, texts 16×: the raw render's peak memory")].reference
    # The same time at 16× as at 4×: a ratio of 1.
    growth = rows[figures.index("mini, texts 16× (vs 4×)")]
    assert (growth.ratio, growth.passed) == ("1.00×", True)
    # Each PDF build is followed at once by the raw render of its HTML, its pair.
    kinds = ["raw" if c[0].endswith("weasyprint") else " ".join(c[2:4]) for c, _ in commands]
    assert [kind.split()[0] for kind in kinds[:6]] == ["pdf", "raw", "pdf", "raw", "--out",
                                                         "raw"]


def test_a_ratio_is_the_median_of_its_pairs():
    """A build over the raw render taken right after it, not a median over a median taken
    minutes later: here the medians would say 0.6×, while every pair but one says 1× or more."""
    runs = [bench.Run(seconds, 0) for seconds in (1.0, 10.0, 3.0)]
    references = [bench.Run(seconds, 0) for seconds in (1.0, 5.0, 6.0)]
    assert bench.paired_ratio(runs, references) == 1.0
    row = bench.ratio_row("a", 3.0, 5.0, "raw", 1.2, bench.paired_ratio(runs, references))
    assert (row.ratio, row.passed) == ("1.00×", True)


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


def test_the_least_time_of_all_editions_renders_each_pdf_edition(fixture_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", bench.EPOCH)
    monkeypatch.setattr(bench, "cores", lambda: 2)
    edition = fixture_project / "editions" / "mini-pl.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'formats = ["epub"]', 'formats = ["pdf", "epub"]'), encoding="utf-8")
    seconds = {"en": 3.0, "pl": 2.0}  # a raw render's time, by the apparatus' language
    renders = []

    def record(command, cwd):
        if command[0].endswith("weasyprint"):
            html = Path(command[-2]).read_text(encoding="utf-8")
            language = re.search(r'<html lang="([^"]+)"', html)[1]
            renders.append(language)
            return bench.Run(seconds[language], MIB)
        return bench.Run(1.0, MIB)

    rows = bench.bench(fixture_project, "mini", runs=1, quick=True, suite=False,
                       runner=record, say=lambda line: None)
    least = next(r for r in rows if r.figure.startswith("all editions: least"))
    # mini's render (taken from the first build's figure) and mini-pl's, one on each core;
    # the other two are the rebuild's and the all editions' pairs.
    assert renders == ["en", "en", "en", "pl"]
    assert (least.measured, least.ratio) == ("3.00 s", "1.00×")
    # Laid out in parts, the 5 s of work would take 2.5 s on the two cores.
    even = next(r for r in rows if r.figure.endswith("shared out evenly"))
    assert (even.measured, even.ratio) == ("2.50 s", "0.83×")
    # On one core, one after the other.
    monkeypatch.setattr(bench, "cores", lambda: 1)
    rows = bench.bench(fixture_project, "mini", runs=1, quick=True, suite=False,
                       runner=record, say=lambda line: None)
    least = next(r for r in rows if r.figure.startswith("all editions: least"))
    assert (least.figure, least.measured) == (
        "all editions: least on 1 core, each PDF one raw render", "5.00 s")
    even = next(r for r in rows if r.figure.endswith("shared out evenly"))
    assert (even.figure, even.measured) == (
        "all editions: least on 1 core, the raw renders' work shared out evenly", "5.00 s")


def test_the_least_time_of_whole_jobs_on_the_cores():
    # Three editions on two cores: the longest alone, the two others together.
    assert bench.fastest_schedule([5.7, 5.0, 4.6], 2) == 5.0 + 4.6
    # One job longer than all the others together takes its own time.
    assert bench.fastest_schedule([10.0, 1.0, 1.0], 2) == 10.0
    assert bench.fastest_schedule([3.0, 2.0], 1) == 5.0
    assert bench.fastest_schedule([3.0, 2.0], 300) == 3.0  # at once, not 300² ways
    assert bench.fastest_schedule([], 2) == 0.0
    # Too many ways to try: the bound that holds, the work shared out evenly.
    assert bench.fastest_schedule([1.0] * 20, 2) == 10.0
    assert bench.fastest_schedule([9.0] + [1.0] * 19, 2) == 14.0
