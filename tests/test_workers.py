"""Files made side by side in forked processes (book/workers.py): the same books as one after
the other, every progress line, each edition replaced whole, and a child that fails or dies
named in words."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time

import pyphen
import pytest
from helpers import edit, files_in, run

from book.cli import main
from book.errors import BookError, ConfigError
from book.workers import Abandoned, Done, Handoff
from book.workers import run as run_jobs


def lines_of(jobs, workers):
    printed: list[str] = []
    done = list(run_jobs(jobs, workers, printed.append))
    return printed, done


def saying(*lines, error=None):
    def job(report):
        for line in lines:
            report(line)
        if error is not None:
            raise error
    return job


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_each_job_reports_its_lines_in_order_and_ends_once(workers):
    jobs = [saying(f"{n}: one", f"{n}: two", f"{n}: three") for n in range(5)]
    printed, done = lines_of(jobs, workers)
    assert sorted(d.index for d in done) == list(range(5))
    assert all(d.error is None for d in done)
    for n in range(5):
        assert [line for line in printed if line.startswith(f"{n}:")] == \
            [f"{n}: one", f"{n}: two", f"{n}: three"]
    if workers == 1:  # no fork: in the order given
        assert [d.index for d in done] == list(range(5))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_users_mistake_comes_back_whole_with_its_place_and_hint(workers):
    mistake = ConfigError("'size' is not a page size", "editions/x.toml", 7, hint="try A5")
    printed, done = lines_of([saying("a"), saying("b", error=mistake)], workers)
    error = next(d.error for d in done if d.index == 1)
    assert type(error) is ConfigError and str(error) == str(mistake)
    assert (error.path, error.line, error.hint) == (mistake.path, 7, "try A5")
    assert next(d for d in done if d.index == 0) == Done(0, None)


def test_a_bug_in_a_child_is_reported_with_its_traceback():
    def broken(report):
        report("starting")
        {}["no such key"]

    printed, done = lines_of([broken, saying("fine")], 2)
    error = next(d.error for d in done if d.index == 0)
    assert isinstance(error, BookError)
    assert "KeyError: 'no such key'" in str(error) and "bug of the tool" in str(error)
    assert "starting" in printed and next(d for d in done if d.index == 1).error is None


@pytest.mark.parametrize(("end", "code"), [
    (lambda: os.kill(os.getpid(), signal.SIGKILL), -9),
    (lambda: os._exit(0), 0),  # a library that ends the process without a word
    (lambda: os._exit(3), 3),
])
def test_a_child_that_ends_without_an_outcome_stops_the_build_in_words(end, code):
    def ended(report):
        report("starting")
        end()

    with pytest.raises(BookError, match=rf"stopped \(exit code {code}\)") as raised:
        lines_of([ended, saying("fine")], 2)
    assert raised.value.hint == "the machine may have run out of memory; build with --jobs 1 " \
        "to make one file at a time"


def test_nothing_forked_jobs_leave_in_temporary_folders_outlives_them(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def leaves(report):  # as WeasyPrint leaves the copies of its fonts
        tempfile.mkdtemp(prefix="weasyprint-")

    def stays(report):
        tempfile.mkdtemp(prefix="weasyprint-")
        time.sleep(60)

    # What a build killed outright left is removed by the next; a running build's is not.
    ended = subprocess.Popen(["true"])
    ended.wait()
    for pid in (ended.pid, os.getpid()):
        (tmp_path / f"book-jobs-{pid}-x" / "weasyprint-y").mkdir(parents=True)
    lines_of([leaves, leaves], 2)
    assert [p.name for p in tmp_path.iterdir()] == [f"book-jobs-{os.getpid()}-x"]
    shutil.rmtree(tmp_path / f"book-jobs-{os.getpid()}-x")
    # A job still running when the build stops (an error elsewhere, Ctrl-C) leaves none either.
    jobs = run_jobs([leaves, stays], 2, lambda line: None)
    assert next(jobs).index == 0
    deadline = time.monotonic() + 20
    while len(list(tmp_path.glob("*/weasyprint-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(tmp_path.glob("*/weasyprint-*"))) == 2
    jobs.close()
    assert not list(tmp_path.iterdir())


def test_nothing_jobs_run_here_leave_in_temporary_folders_outlives_them(tmp_path, monkeypatch):
    # One worker runs the jobs in this process: what they leave, referenced or not (a layout
    # kept alive holds WeasyPrint's fonts folder), goes when they end, however they end.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kept = []

    def leaves(report):
        kept.append(tempfile.mkdtemp(prefix="weasyprint-"))

    def fails(report):
        leaves(report)
        raise BookError("a mistake")

    assert [d.error for d in lines_of([leaves, fails], 1)[1]][0] is None
    assert len(kept) == 2 and not list(tmp_path.iterdir())
    assert tempfile.tempdir == str(tmp_path)  # as it was
    jobs = run_jobs([leaves, leaves], 1, lambda line: None)
    next(jobs)
    assert list(tmp_path.iterdir())  # the jobs' folder, while they run
    jobs.close()
    assert not list(tmp_path.iterdir()) and tempfile.tempdir == str(tmp_path)


def test_no_more_jobs_run_at_once_than_workers(tmp_path):
    def job(n):
        def running(report):
            (tmp_path / f"{n}.start").write_text(str(time.monotonic()))
            time.sleep(0.3)
            (tmp_path / f"{n}.end").write_text(str(time.monotonic()))
        return running

    lines_of([job(n) for n in range(4)], 2)
    spans = [(float((tmp_path / f"{n}.start").read_text()),
              float((tmp_path / f"{n}.end").read_text())) for n in range(4)]
    for start, _ in spans:
        assert sum(s <= start < e for s, e in spans) <= 2
    # And two did run at once: the work was shared.
    assert any(s1 < s2 < e1 for i, (s1, e1) in enumerate(spans)
               for s2, _ in spans[i + 1:])


def test_one_process_or_many_make_the_same_books(fixture_project, tmp_path, monkeypatch):
    one, many = tmp_path / "one", tmp_path / "many"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    code, printed = run(fixture_project, "--out", str(one), "--jobs", "1")
    assert code == 0, printed
    # Nothing is left behind by the build (WeasyPrint's fonts), even before it is collected.
    assert not list((tmp_path / "temporary").iterdir())
    monkeypatch.setattr(pyphen, "hdcache", {})
    code, printed = run(fixture_project, "--out", str(many), "--jobs", "3")
    assert code == 0, printed
    # Nor by the processes that made the files.
    assert not list((tmp_path / "temporary").iterdir())
    # The hyphenation patterns of the PDF's languages, its texts' and its apparatus's, were
    # read here, once, for every layout forked from here to find them read.
    assert {p.name for p in pyphen.hdcache} == {pyphen.LANGUAGES[pyphen.language_fallback(
        lang)].name for lang in ("de", "el", "pl", "ru", "en")}
    made = {p.relative_to(one): data for p, data in files_in(one).items()
            if p.suffix in (".pdf", ".epub")}
    assert len(made) == 3
    assert made == {p.relative_to(many): data for p, data in files_in(many).items()
                    if p.suffix in (".pdf", ".epub")}
    # Each file's progress, while it runs, and each file written.
    for name in ("mini.pdf", "mini.epub", "mini-pl.epub"):
        assert f"making {name}" in printed and f"wrote {many}" in printed
    assert "mini: mini.pdf laid out in" in printed and "mini: mini.pdf ready (" in printed


def test_a_failing_edition_keeps_its_files_and_the_others_are_written(fixture_project,
                                                                       tmp_path):
    out = tmp_path / "out"
    assert run(fixture_project, "--out", str(out))[0] == 0
    before = files_in(out / "mini-pl")
    edit(fixture_project, "editions/mini-pl.toml", "Książka próbna", "Inna książka")
    edit(fixture_project, "editions/mini.toml", 'title = "Test book"', 'title = "Other"')
    # The classroom theme, which mini-pl alone uses, names an image no folder has: its EPUB
    # fails while it is made, beside mini's two files.
    theme = fixture_project / "templates" / "classroom" / "css" / "theme.css"
    theme.write_text(theme.read_text(encoding="utf-8") + "p { background: url(gone.png) }\n",
                     encoding="utf-8")
    line = len(theme.read_text(encoding="utf-8").splitlines())
    code, printed = run(fixture_project, "--out", str(out), "--jobs", "2")
    assert code == 1
    assert f"templates/classroom/css/theme.css:{line}: 'css/gone.png' is in no template " \
           "folder" in printed
    assert files_in(out / "mini-pl") == before
    # No line names a file of mini-pl's folder: none was written there.
    assert str(out / "mini-pl") not in printed
    assert f"wrote {out / 'mini' / 'mini.pdf'}" in printed
    assert "Only the files listed above were written" in printed
    assert not [p for p in out.rglob("*") if p.name.endswith((".staged", ".part"))]


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_jobs_must_be_one_or_more(fixture_project, tmp_path, jobs, capsys):
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "out"), f"--jobs={jobs}"], project=fixture_project)
    assert f"--jobs {jobs}: give a number of files to make at a time, 1 or more" in \
        capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_check_finds_the_same_one_layout_at_a_time_or_many(fixture_project):
    # A broken edition beside a good one: its mistake, and the same words either way.
    theme = fixture_project / "templates" / "classroom" / "css" / "theme.css"
    theme.write_text(theme.read_text(encoding="utf-8") + "p { background: url(gone.png) }\n",
                     encoding="utf-8")
    one = run(fixture_project, "check", "--jobs", "1")
    many = run(fixture_project, "check", "--jobs", "3")
    assert one == many
    assert one[0] == 1 and "templates/classroom/css/theme.css:" in one[1]


@pytest.mark.parametrize(("workers", "jobs", "forked"), [(1, 3, False), (4, 1, False),
                                                          (2, 3, True)])
def test_one_worker_or_one_job_runs_here_and_more_fork(workers, jobs, forked):
    _, done = lines_of([lambda report: os.getpid()] * jobs, workers)
    assert len(done) == jobs
    assert all((d.value != os.getpid()) is forked for d in done)


def test_check_of_one_edition_lays_out_that_one_only(fixture_project):
    # A mistake in the theme mini-pl alone uses: checking mini passes, checking mini-pl or
    # every edition names it.
    theme = fixture_project / "templates" / "classroom" / "css" / "theme.css"
    theme.write_text(theme.read_text(encoding="utf-8") + "p { background: url(gone.png) }\n",
                     encoding="utf-8")
    assert run(fixture_project, "check", "--edition", "mini")[0] == 0
    for argv in (["--edition", "mini-pl"], []):
        code, printed = run(fixture_project, "check", *argv)
        assert code == 1 and "templates/classroom/css/theme.css:" in printed
    code, printed = run(fixture_project, "check", "--edition", "minni")
    assert code == 1
    assert "editions: no edition named minni (did you mean 'mini'?)\n  hint: editions: mini, " \
        "mini-pl" in printed


# More than a pipe holds (64 KiB on Linux): a giver must not wait for its taker to read it.
LARGE = [f"page {n}" * 20 for n in range(2000)]


def test_a_handoff_brings_a_value_to_a_job_already_running(tmp_path):
    """The taker runs beside its giver and waits, within its job, for what it gives."""
    waiting = tmp_path / "waiting"

    def giver(report):
        while not waiting.exists():  # the taker has begun before anything is given
            time.sleep(0.01)
        handoff.give(LARGE)

    def taker(report):
        waiting.touch()
        return handoff.take()

    with Handoff() as handoff:
        _, done = lines_of([giver, taker], 2)
    assert {d.index: d.value for d in done} == {0: None, 1: LARGE}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_giver_ends_though_its_taker_never_takes_and_one_that_never_gives_is_abandoned(
        workers):
    def stops(signum, frame):
        raise AssertionError("the jobs did not end")

    def fails(report):
        raise BookError("the giver's mistake")

    def unwritable(report):
        os.close(handoff._file.fileno())  # the file can no longer be written (a full disk)
        handoff.give(LARGE)

    previous = signal.signal(signal.SIGALRM, stops)
    signal.alarm(60)
    try:
        with Handoff() as handoff:
            _, done = lines_of([lambda report: handoff.give(LARGE),
                                saying(error=BookError("the taker's own mistake"))], workers)
        assert [str(d.error) for d in sorted(done, key=lambda d: d.index)] == \
            ["None", "the taker's own mistake"]
        for giver, said in (
                (fails, "the giver's mistake"),
                (lambda report: "ended", "a part of the book ended without giving what another "
                 "part waits for\n  hint: this is a bug of the tool: please report it")):
            with Handoff() as handoff:
                done = list(run_jobs([giver, lambda report: handoff.take()], workers,
                                     lambda line: None, {0: handoff}))
            errors = {d.index: d.error for d in done}
            assert str(errors[0]) == said and type(errors[1]) is Abandoned
        if workers > 1:  # in a child of its own, whose descriptor it may close
            with Handoff() as handoff:
                done = list(run_jobs([unwritable, lambda report: handoff.take()], workers,
                                     lambda line: None, {0: handoff}))
            errors = {d.index: d.error for d in done}
            assert "OSError" in str(errors[0]) and type(errors[1]) is Abandoned
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_value_given_is_the_value_taken_and_a_write_that_fails_is_a_failure(monkeypatch):
    """One after the other in one process, as one worker runs them; and a giver whose file
    cannot be written (a full disk) still wakes its taker, to a failure."""
    with Handoff() as handoff:
        _, done = lines_of([lambda report: handoff.give(LARGE), lambda report: handoff.take()],
                           1)
        assert [d.value for d in done] == [None, LARGE] and handoff.given

    def full(*args):
        raise OSError(28, "No space left on device")

    with Handoff() as handoff:
        monkeypatch.setattr(os, "pwrite", full)
        with pytest.raises(OSError):
            handoff.give(LARGE)
        monkeypatch.undo()
        with pytest.raises(Abandoned):
            handoff.take()
