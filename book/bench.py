"""The benchmark of the build's speed (issue 13): each figure against its reference, measured
side by side in one run on one machine, as whole processes.

    python -m book.bench [--quick] [--runs N] [--suite] [--check] [--edition NAME]

Everything is built in temporary folders, from fresh copies of the project; nothing is written
into the project or dist/. A benchmark reports: it exits 0 whatever it measures, unless
--check is given. The targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .workers import cores

ROOT = Path(__file__).resolve().parent.parent
# A copy of the project is the tool's code and the project's inputs: what a fresh clone holds.
CODE = ("book", "build.py", "pyproject.toml")
CONTENT = ("sources", "editions", "templates")
# Builds outside a git checkout need the date to stamp (book/clock.py); any fixed one will do.
EPOCH = "1700000000"
MIB = 1024 * 1024

# The targets.
FIRST_PDF = 2.0  # × the raw render, first build in a fresh copy
REBUILD_PDF = 1.2  # × the raw render, rebuild after one paragraph is edited
ALL_EDITIONS = 1.5  # × one raw render of the edition
NOOP_SECONDS, NOOP_RATIO = 0.3, 0.1
EPUB_RATIO = 1.0  # × pandoc on the same texts
EPUB_KB = 400
GROWTH = 4.2  # time at 16× over time at 4×: linear is 4
PEAK_MIB = 300  # per process, at 16×
# The libraries the EPUB is written with (book/epub.py, book/subset.py, book/sources.py and
# the data files' reader): what an EPUB build imports before it reads a text.
EPUB_STACK = ("ebooklib.epub", "jinja2", "babel.support", "yaml", "markdown_it",
              "fontTools.subset")
SUITE_SECONDS = 90


@dataclass(frozen=True)
class Run:
    seconds: float
    peak: int  # bytes: the highest resident set of the process or of any child it waited for


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    reference: str = "—"
    ratio: str = "—"
    target: str = "—"
    passed: bool | None = None  # None: nothing to pass (information, or not measured)


class BenchError(Exception):
    """A measured command failed: its output's end says why."""


Runner = Callable[[Sequence[str], Path], Run]


def run(command: Sequence[str], cwd: Path) -> Run:
    """Run `command` to its end; its own peak memory comes from wait4 (RUSAGE_CHILDREN of this
    process would be the highest of every child so far)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        # Python writes its bytecode, as on a reader's machine: a rebuild does not compile
        # the tool again (a first build in a fresh copy does).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        process = subprocess.Popen(list(command), cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace")[-2000:]
            raise BenchError(f"{' '.join(map(str, command))} (in {cwd}) exited with "
                             f"{process.returncode}:\n{tail}")
    return Run(seconds, usage.ru_maxrss * 1024)  # Linux counts it in KiB


def fresh_copy(project: Path, dest: Path) -> Path:
    """The tool's code and `project`'s inputs in `dest`, without bytecode or caches."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=skip)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for name in CONTENT:
        shutil.copytree(project / name, dest / name, ignore=skip)
    return dest


def build_command(*args: str) -> list[str]:
    return [sys.executable, "build.py", *args]


def final_html(project: Path, edition_name: str, dest: Path) -> Path:
    """The HTML the PDF writer hands WeasyPrint for `edition_name`, rendered by the writer's own
    functions, in a folder where WeasyPrint's own fetcher finds what the writer's finds.

    The writer's fetcher looks a reference up along the template search path, first match
    wins; the CLI's resolves it in one folder: the folders are laid one over the other. (What
    the writer adds as it keeps notes with their calls, a rule for a few blocks, is no more
    HTML: book/relayout.py.)"""
    from .config import copies_of
    from .make import Project, gather, prepare
    from .pdf import book_html

    gathered = gather(Project(project))
    edition = next(e for e in gathered.editions if e.name == edition_name)
    made = prepare(Project(project), copies_of(edition)[0], gathered, css_warnings=False)
    html = book_html(made.book, made.env, made.search_path, made.glyph_places)
    folder = dest / "templates"
    for source in reversed(made.search_path.folders):
        shutil.copytree(source, folder, dirs_exist_ok=True)
    path = folder / "book.html"
    path.write_text(html, encoding="utf-8")
    return path


def raw_command(html: Path, pdf: Path) -> list[str]:
    """The WeasyPrint CLI with the options the writer passes (book/pdf.py)."""
    from .pdf import PDF_VARIANT

    weasyprint = Path(sys.executable).parent / "weasyprint"
    return [str(weasyprint), "--pdf-variant", PDF_VARIANT, "--custom-metadata",
            "--base-url", html.parent.as_uri() + "/", str(html), str(pdf)]


def editable_word(project: Path) -> tuple[Path, Path, str]:
    """A word of a paragraph (the longest text's middle one, or the nearest that has one) that
    stands once in its source, once in its original and nowhere in the data: changed in both,
    the text stays faithful to its original (book/fidelity.py) and no quotation breaks."""
    from .fidelity import words_of
    from .sources import load_texts

    sources = project / "sources"
    data = "".join(p.read_text(encoding="utf-8") for folder in ("sources", "editions")
                   for p in sorted((project / folder).rglob("*.yaml")))
    texts = sorted(load_texts(sources).values(), key=lambda t: -t.source.stat().st_size)
    for text in texts:
        source = text.source.read_text(encoding="utf-8")
        original = text.original.read_text(encoding="utf-8")
        paragraphs = text.paragraphs
        middle = len(paragraphs) // 2
        for paragraph in sorted(paragraphs, key=lambda p: abs(paragraphs.index(p) - middle)):
            for word in re.findall(r"\w{6,}", words_of(paragraph)):
                if source.count(word) == original.count(word) == 1 and word not in data:
                    return text.source, text.original, word
    raise BenchError(f"no word of {sources} stands once in its text and its original")


def without_print_pages(project: Path, edition: str) -> None:
    """The edition's EPUB made without the PDF's pages (print_pages = false): as pandoc's."""
    for path in (project / "editions" / f"{edition}.toml",
                 project / "editions" / edition / "edition.toml"):
        if path.is_file():
            path.write_text(re.sub(r"(?m)^print_pages\s*=.*$", "print_pages = false",
                                   path.read_text(encoding="utf-8")), encoding="utf-8")


def edit_word(source: Path, original: Path, word: str, times: int) -> None:
    """The `times`-th edit of `word`: its last letter written once more, in the text and in
    its original alike, so that each edit gives a text not built before."""
    before, after = word + word[-1] * (times - 1), word + word[-1] * times
    for path in (source, original):
        content = path.read_text(encoding="utf-8")
        assert content.count(before) == 1, (path, before)
        path.write_text(content.replace(before, after), encoding="utf-8")


# A paragraph's or a section heading's id line, and a note's call or definition.
ID_LINE = re.compile(r"^\{#([a-z0-9]+)-(s?)(\d+)\}$", re.MULTILINE)
NOTE_LABEL = re.compile(r"\[\^(\d+)\]")
NOTE_DEFINITION = re.compile(r"^\[\^\d+\]:", re.MULTILINE)


def grown(project: Path, dest: Path, factor: int) -> Path:
    """A copy of `project` whose texts are each `factor` times as long: the paragraphs repeated,
    each copy's ids and note numbers after the last one's (so that the data's references stay
    on the first copy), and each original made anew from the grown text, which the fidelity
    check then compares character by character as it does the real ones."""
    from .fidelity import edited_text
    from .sources import load_texts

    copy = fresh_copy(project, dest)
    for path in sorted((copy / "sources").glob("*.md")):
        _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
        split = NOTE_DEFINITION.search(body)
        main, notes = (body[:split.start()], body[split.start():]) if split else (body, "")
        lasts = (max([int(m[3]) for m in ID_LINE.finditer(body) if not m[2]], default=0),
                 max([int(m[3]) for m in ID_LINE.finditer(body) if m[2]], default=0),
                 max([int(m[1]) for m in NOTE_LABEL.finditer(body)], default=0))
        meta = yaml.safe_load(header)
        meta["removals"] = []  # the grown original is made without them
        grown_body = "".join(shifted(main, n, *lasts).rstrip("\n") + "\n\n"
                             for n in range(factor))
        grown_notes = "".join(shifted(notes, n, *lasts) for n in range(factor))
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
                        + "---\n" + grown_body + grown_notes, encoding="utf-8")
    for text in load_texts(copy / "sources").values():
        text.original.write_text(edited_text(text), encoding="utf-8")
    return copy


def shifted(part: str, n: int, paragraph: int, section: int, label: int) -> str:
    """`part` of a text as its `n`-th copy: ids and note numbers after the last copy's."""
    part = ID_LINE.sub(lambda m: f"{{#{m[1]}-{m[2]}"
                       f"{int(m[3]) + n * (section if m[2] else paragraph)}}}", part)
    return NOTE_LABEL.sub(lambda m: f"[^{int(m[1]) + n * label}]", part)


def pdf_editions(project: Path) -> list[str]:
    from .make import Project, gather

    return [e.name for e in gather(Project(project)).editions if "pdf" in e.formats]


def fastest_schedule(durations: Sequence[float], cores: int) -> float:
    """The shortest time in which jobs of `durations`, each run whole on one of `cores`, can
    all be done: every way of sharing them out is tried while there are few (editions are
    few); past that, a bound no way of sharing them can beat."""
    if len(durations) <= cores:  # one core each
        return max(durations, default=0.0)
    if cores ** len(durations) > 100_000:
        return max(max(durations), sum(durations) / cores)
    return min(max(sum(d for d, on in zip(durations, assigned, strict=True) if on == core)
                   for core in range(cores))
               for assigned in itertools.product(range(cores), repeat=len(durations)))


def median(runs: Sequence[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def peak(runs: Sequence[Run]) -> float:
    return max(r.peak for r in runs) / MIB


def ratio_row(figure: str, measured: float, reference: float, reference_name: str,
              limit: float, ratio: float | None = None) -> Row:
    """A figure against its reference; `ratio`, if given, is the pairs' (paired_ratio)."""
    ratio = measured / reference if ratio is None else ratio
    return Row(figure, f"{measured:.2f} s", f"{reference:.2f} s {reference_name}",
               f"{ratio:.2f}×", f"≤ {limit:g}×", ratio <= limit)


def paired_ratio(runs: Sequence[Run], references: Sequence[Run]) -> float:
    """The median of each run's time over its reference's, each reference run right after
    its run: the machine's speed drifts by a fifth within one benchmark, and a ratio of two
    medians taken minutes apart would measure the drift too."""
    return statistics.median(r.seconds / ref.seconds
                             for r, ref in zip(runs, references, strict=True))


def skipped(figure: str, why: str, target: str) -> Row:
    return Row(figure, f"skipped ({why})", target=target)


def bench(project: Path, edition: str, runs: int, quick: bool, suite: bool,
          runner: Runner = run, say: Callable[[str], None] = print) -> list[Row]:
    """Every figure, in order; `say` follows the progress of the long run."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="book-bench-") as temp_name:
        temp = Path(temp_name)
        count = iter(range(1_000_000))

        def folder() -> Path:
            made = temp / f"{next(count)}"
            made.mkdir()
            return made

        def fresh() -> Path:
            return fresh_copy(project, folder())

        def raw(project_copy: Path, name: str = edition, times: int = runs) -> list[Run]:
            html = final_html(project_copy, name, folder())
            return [runner(raw_command(html, folder() / "raw.pdf"), temp) for _ in range(times)]

        # 1. One PDF: a first build, each in a fresh copy, then rebuilds after an edit; each
        # build is followed by the raw render of its HTML, the pair's ratio kept.
        say(f"one PDF, first build in a fresh copy ({runs}×), each with the raw render")
        pdf = ["pdf", "--edition", edition]
        first, raws = [], []
        for _ in range(runs):
            copy, out = fresh(), folder()
            first.append(runner(build_command(*pdf, "--out", str(out)), copy))
            raws += raw(copy, times=1)
        raw_first = median(raws)
        rows.append(ratio_row(f"{edition} PDF, first build", median(first), raw_first,
                              "raw weasyprint", FIRST_PDF, paired_ratio(first, raws)))
        rows.append(Row(f"{edition} PDF, first build: peak memory", f"{peak(first):.0f} MiB"))
        say(f"one PDF, rebuilt after one word of a paragraph is changed ({runs}×), each with "
            "the raw render")
        source, original, word = editable_word(copy)
        again, raws_again = [], []
        for time_ in range(1, runs + 1):
            edit_word(source, original, word, time_)
            again.append(runner(build_command(*pdf, "--out", str(out)), copy))
            raws_again += raw(copy, times=1)
        rows.append(ratio_row(f"{edition} PDF, rebuild after a paragraph's edit", median(again),
                              median(raws_again), "raw weasyprint", REBUILD_PDF,
                              paired_ratio(again, raws_again)))

        # 2. and 3. Every shipped edition in every format, then again with nothing changed.
        say(f"all editions, PDF and EPUB, first build in a fresh copy ({runs}×), each with "
            f"the raw render of {edition}")
        every, raws_every = [], []
        for _ in range(runs):
            copy, out = fresh(), folder()
            every.append(runner(build_command("--out", str(out)), copy))
            raws_every += raw(copy, times=1)
        rows.append(ratio_row("all editions, PDF and EPUB", median(every), median(raws_every),
                              f"raw weasyprint ({edition})", ALL_EDITIONS,
                              paired_ratio(every, raws_every)))
        rows.append(Row("all editions: peak memory", f"{peak(every):.0f} MiB"))
        # What the all-editions target asks of a layout that WeasyPrint makes whole: each
        # PDF edition's raw render, shared out over the cores as well as they can be.
        renders = [raw_first if name == edition else median(raw(copy, name))
                   for name in pdf_editions(copy)]
        least, many = fastest_schedule(renders, cores()), cores()
        on = f"on {many} core{'s' * (many != 1)}"
        rows.append(Row(f"all editions: least {on}, each PDF one raw render",
                        f"{least:.2f} s", f"{raw_first:.2f} s raw weasyprint ({edition})",
                        f"{least / raw_first:.2f}×"))
        # And were each PDF laid out in parts, as many at once as there are cores: the raw
        # renders' work shared out evenly, nothing added for the parts or their joining.
        even = sum(renders) / many
        rows.append(Row(f"all editions: least {on}, the raw renders' work shared out evenly",
                        f"{even:.2f} s", f"{raw_first:.2f} s raw weasyprint ({edition})",
                        f"{even / raw_first:.2f}×"))
        say(f"all editions, rebuilt with nothing changed ({runs}×)")
        noop = median([runner(build_command("--out", str(out)), copy) for _ in range(runs)])
        rows.append(Row("no-op rebuild, all editions", f"{noop:.2f} s",
                        f"{raw_first:.2f} s raw weasyprint ({edition})",
                        f"{noop / raw_first:.2f}×", f"≤ {NOOP_SECONDS:g} s and ≤ {NOOP_RATIO:g}×",
                        noop <= NOOP_SECONDS and noop / raw_first <= NOOP_RATIO))
        for epub in sorted(out.rglob("*.epub")):
            size = epub.stat().st_size / 1000
            rows.append(Row(f"EPUB size: {epub.name}", f"{size:.0f} KB", target=f"≤ {EPUB_KB} KB",
                            passed=size <= EPUB_KB))
        if not any(out.rglob("*.epub")):
            rows.append(Row("EPUB size", "no EPUB was written", target=f"≤ {EPUB_KB} KB"))

        # 4. One EPUB against pandoc's of the same texts; pandoc's carries no print pages,
        # whose markers are taken from the PDF's layout: with them, the EPUB waits for it.
        say(f"{edition} EPUB only, with the printed edition's pages ({runs}×)")
        epub = ["epub", "--edition", edition]
        paged = [runner(build_command(*epub, "--out", str(folder())), fresh())
                 for _ in range(runs)]
        rows.append(Row(f"{edition} EPUB only, first build, with the PDF's pages",
                        f"{median(paged):.2f} s", f"{raw_first:.2f} s raw weasyprint"))
        say(f"{edition} EPUB only, first build in a fresh copy ({runs}×), and pandoc")
        epubs = []
        for _ in range(runs):
            copy, out = fresh(), folder()
            without_print_pages(copy, edition)
            epubs.append(runner(build_command(*epub, "--out", str(out)), copy))
        say(f"{edition} EPUB only, rebuilt after one word of a paragraph is changed ({runs}×)")
        source, original, word = editable_word(copy)
        epubs_again = []
        for time_ in range(1, runs + 1):
            edit_word(source, original, word, time_)
            epubs_again.append(runner(build_command(*epub, "--out", str(out)), copy))
        pandoc = None
        if shutil.which("pandoc"):
            texts = [p.name for p in sorted((copy / "sources").glob("*.md"))]
            pandoc = median([runner(["pandoc", "-o", str(folder() / "pandoc.epub"), *texts],
                                    copy / "sources") for _ in range(runs)])
        for figure, measured in ((f"{edition} EPUB only, first build", epubs),
                                 (f"{edition} EPUB only, rebuild after a paragraph's edit",
                                  epubs_again)):
            if pandoc is None:
                rows.append(Row(figure, f"{median(measured):.2f} s",
                                "pandoc is not installed (setup.sh installs it)",
                                target=f"≤ {EPUB_RATIO:g}×"))
            else:
                rows.append(ratio_row(figure, median(measured), pandoc, "pandoc", EPUB_RATIO))
        # What the EPUB target asks of the libraries the writer is made with: their imports.
        imports = median([runner([sys.executable, "-c", f"import {', '.join(EPUB_STACK)}"], copy)
                          for _ in range(runs)])
        rows.append(Row("EPUB: the writer's libraries imported, nothing else", f"{imports:.2f} s",
                        *((f"{pandoc:.2f} s pandoc", f"{imports / pandoc:.2f}×") if pandoc
                          else ())))

        # 5. The same book with its texts 4 and 16 times as long: once each, they are long.
        grown_runs = {}
        for factor in (4, 16):
            if quick and factor == 16:
                continue
            say(f"{edition}, PDF and EPUB, its texts {factor}× as long")
            copy = grown(project, folder(), factor)
            grown_runs[factor] = runner(build_command("--edition", edition, "--out",
                                                      str(folder())), copy)
        if 16 in grown_runs:
            rows.append(ratio_row(f"{edition}, texts 16× (vs 4×)", grown_runs[16].seconds,
                                  grown_runs[4].seconds, "at 4×", GROWTH))
            memory = grown_runs[16].peak / MIB
            rows.append(Row(f"{edition}, texts 16×: peak memory", f"{memory:.0f} MiB",
                            target=f"≤ {PEAK_MIB} MiB", passed=memory <= PEAK_MIB))
            # What the memory target asks of WeasyPrint, which holds a document's every page
            # until it writes the PDF: its own peak on the same HTML.
            say(f"{edition}, its texts 16× as long: the raw render")
            raw_16 = runner(raw_command(final_html(copy, edition, folder()),
                                        folder() / "raw.pdf"), temp)
            rows.append(Row(f"{edition}, texts 16×: the raw render's peak memory",
                            f"{raw_16.peak / MIB:.0f} MiB",
                            f"{raw_16.seconds:.2f} s raw weasyprint, the build "
                            f"{grown_runs[16].seconds / raw_16.seconds:.2f}× its time"))
        else:
            at_4 = grown_runs[4]
            rows.append(Row(f"{edition}, texts 16× (vs 4×)", "skipped (--quick)",
                            f"{at_4.seconds:.2f} s at 4×", target=f"≤ {GROWTH:g}×"))
            rows.append(Row(f"{edition}, texts 16×: peak memory", "skipped (--quick)",
                            f"{at_4.peak / MIB:.0f} MiB at 4×", target=f"≤ {PEAK_MIB} MiB"))

    # 6. The README's test command, on the project itself (it writes only temporary folders).
    target = f"≤ {SUITE_SECONDS} s"
    if suite and not quick:
        say("the test suite")
        try:
            seconds = runner([sys.executable, "-B", "-m", "pytest", "-q", "-p",
                              "no:cacheprovider"], ROOT).seconds
            rows.append(Row("test suite", f"{seconds:.0f} s", target=target,
                            passed=seconds <= SUITE_SECONDS))
        except BenchError as error:  # the other figures stand; the failures are shown
            say(str(error))
            rows.append(Row("test suite", "failed (its output is above)", target=target,
                            passed=False))
    else:
        rows.append(skipped("test suite", "--quick" if quick else "without --suite", target))
    return rows


def table(rows: Sequence[Row]) -> str:
    header = ("figure", "measured", "reference", "ratio", "target", "")
    lines = [(r.figure, r.measured, r.reference, r.ratio, r.target,
              {True: "pass", False: "FAIL", None: ""}[r.passed]) for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths,
                                                                         strict=True)).rstrip()
                     for line in [header, *lines])


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m book.bench",
        description="Measure the build against its references (the raw WeasyPrint render of "
        "the same HTML, pandoc) in one run, whole processes, in temporary folders.")
    p.add_argument("--runs", type=int, default=3, help="runs per figure, the median kept "
                   "(default 3; the grown books are built once)")
    p.add_argument("--quick", action="store_true",
                   help="one run each, without the 16× book and the test suite")
    p.add_argument("--suite", action="store_true", help="time the test suite too (minutes)")
    p.add_argument("--check", action="store_true", help="exit 1 if a figure misses its target")
    p.add_argument("--edition", default="reader", help="the edition of the one-PDF, EPUB and "
                   "growth figures (default: reader)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs takes a number from 1 up")
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    started = time.perf_counter()
    try:
        rows = bench(ROOT, args.edition, 1 if args.quick else args.runs, args.quick,
                     args.suite, say=lambda line: print(f"bench: {line}", file=sys.stderr,
                                                        flush=True))
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    print(table(rows))
    print(f"({os.cpu_count()} cores, {time.perf_counter() - started:.0f} s in all)")
    return 1 if args.check and any(r.passed is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
