"""Jobs run side by side, each in a process forked from the build once everything is read,
rendered and checked: the children share the imports and the prepared books, and send back
only their progress lines and their outcome. A job may wait for a value another job gives it
while both run (a Handoff: the EPUB waiting for where its PDF's pages begin)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import tempfile
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BookError

Report = Callable[[str], None]
# The children's temporary folder, named by its build's process: book-jobs-<pid>-<random>.
SCRATCH = "book-jobs-"
# A job makes its part and reports its progress; what it returns comes back to the parent (it
# must pickle); it raises BookError for the user's mistakes.
Job = Callable[[Report], Any]


def cores() -> int:
    """The cores this process may run on (Linux, as the fork the workers need)."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Done:
    """A job ended: `error` is the user's mistake it stopped on, if it stopped on one, and
    `value` what it returned."""

    index: int
    error: BookError | None
    value: Any = None


class Abandoned(BookError):
    """A job stopped because the job it waited for failed: that one says why."""


class Handoff:
    """A value one job gives another while both run, across the workers' processes. The giver
    must come first in the jobs' order: they start in that order, so a taker that waits never
    keeps its giver from a worker, and one worker runs the giver to its end first. `run`
    settles it when the giver ends: a giver that stopped without giving leaves its taker
    Abandoned, never waiting."""

    def __init__(self) -> None:
        # Made before the fork, for both children and the parent: a file with no name, not a
        # pipe, which would keep a giver from ending while what it gave is unread.
        self._file = tempfile.TemporaryFile()
        self._given = multiprocessing.get_context("fork").Event()

    def __enter__(self) -> Handoff:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()

    @property
    def given(self) -> bool:
        return self._given.is_set()

    def give(self, value: Any) -> None:
        self._put((True, value))

    def fail(self) -> None:
        """The giver stopped before giving: the taker abandons."""
        self._put((False, None))

    def _put(self, given: tuple[bool, Any]) -> None:
        # Whatever the writing meets (a full disk), the taker wakes: to a value, or to a file
        # it cannot read, which is a failure too.
        try:
            data = memoryview(pickle.dumps(given))
            descriptor = self._file.fileno()
            os.ftruncate(descriptor, 0)
            written = 0
            while written < len(data):
                written += os.pwrite(descriptor, data[written:], written)
        finally:
            self._given.set()

    def take(self) -> Any:
        """The value given, waited for; Abandoned if the giver failed."""
        self._given.wait()
        descriptor = self._file.fileno()
        try:
            given, value = pickle.loads(os.pread(descriptor, os.fstat(descriptor).st_size, 0))
        except (pickle.UnpicklingError, EOFError, OSError, ValueError):
            given, value = False, None
        if not given:
            raise Abandoned("abandoned: the job this one waited for failed")
        return value


def run(jobs: Sequence[Job], workers: int, report: Report,
        handoffs: Mapping[int, Handoff] | None = None) -> Iterator[Done]:
    """Run `jobs`, at most `workers` at a time, yielding each as it ends; `handoffs`: the
    handoff each giver (by index) gives. One worker (or one job) runs them here, one after
    the other: the same jobs, the same lines, no fork."""
    for done in _ran(jobs, workers, report):
        handoff = (handoffs or {}).get(done.index)
        if handoff is not None and not handoff.given:
            # Its taker must not wait for ever: it abandons, and says nothing of its own.
            handoff.fail()
            if done.error is None:
                done = Done(done.index, BookError(
                    "a part of the book ended without giving what another part waits for",
                    hint="this is a bug of the tool: please report it"))
        yield done


def forks(jobs: int, workers: int) -> bool:
    """Whether `run` runs that many jobs in processes of their own."""
    return workers > 1 and jobs > 1


def _ran(jobs: Sequence[Job], workers: int, report: Report) -> Iterator[Done]:
    if not forks(len(jobs), workers):
        # Here too the jobs' temporary files go into a folder of the build's, removed when
        # they end: WeasyPrint's copy of the fonts goes only when its layout is collected,
        # which a long-lived process (the test suite's, a preview's) may never do.
        scratch = _new_scratch()
        previous, tempfile.tempdir = tempfile.tempdir, str(scratch)
        try:
            for index, job in enumerate(jobs):
                try:
                    value = job(report)
                except BookError as error:
                    yield Done(index, error)
                else:
                    yield Done(index, None, value)
        finally:
            tempfile.tempdir = previous
            shutil.rmtree(scratch, ignore_errors=True)
        return
    yield from _forked(jobs, workers, report)


def _new_scratch() -> Path:
    """A new folder for the jobs' temporary files, which the caller removes once they have
    ended; first, those of builds killed outright are removed."""
    _remove_orphaned_scratch()
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-"))


def _forked(jobs: Sequence[Job], workers: int, report: Report) -> Iterator[Done]:
    # Forked, whatever Python's default: the children use the parent's prepared books.
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    # The children's temporary files go into a folder of the build's, removed once they have
    # ended, however they end: one stopped early, or killed, cleans up nothing itself, and a
    # child's end (os._exit) runs no finalizer (WeasyPrint copies the fonts of each layout
    # into a temporary folder, 3 MB for the book, removed when its fonts are let go).
    scratch = _new_scratch()
    waiting = list(enumerate(jobs))
    running: dict[int, multiprocessing.process.BaseProcess] = {}
    ended: set[int] = set()  # children seen ended before their outcome was read
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                index, job = waiting.pop(0)
                running[index] = context.Process(target=_child,
                                                 args=(job, index, messages, scratch))
                running[index].start()
            try:
                kind, index, value = messages.get(timeout=0.2)
            except queue.Empty:
                # A child killed outright (out of memory, a signal), or ended by a library's
                # os._exit, sends no outcome. One that sent it flushed it before ending, so
                # a child seen ended at two waits in a row, the queue read empty between
                # them, never will.
                for index, child in list(running.items()):
                    if child.exitcode is None:
                        continue
                    if index not in ended:
                        ended.add(index)
                        continue
                    child.join()
                    del running[index]
                    raise BookError(f"the process making part of the book stopped "
                                    f"(exit code {child.exitcode})",
                                    hint="the machine may have run out of memory; build "
                                    "with --jobs 1 to make one file at a time") from None
                continue
            if kind == "line":
                report(value)
                continue
            running.pop(index).join()
            yield Done(index, *pickle.loads(value))
    finally:
        # Stopped early (an error, Ctrl-C, SIGTERM): no child goes on writing.
        for child in running.values():
            child.terminate()
        for child in running.values():
            child.join()
        shutil.rmtree(scratch, ignore_errors=True)


def _remove_orphaned_scratch() -> None:
    """Remove the children's temporary folders that a build killed outright (SIGKILL, a power
    cut) left: those whose build's process is gone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH}*-*"):
        pid = folder.name[len(SCRATCH):].split("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # another user's process: not ours to judge
            continue


def _child(job: Job, index: int, messages, scratch: Path) -> None:
    # The parent stops its children (Ctrl-C reaches the whole process group): a child ends
    # at once, without a word of its own.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = str(scratch)

    def report(line: str) -> None:
        messages.put(("line", index, line))

    # The outcome is pickled here, not in the queue's thread, where a failure would be lost
    # and leave the parent waiting.
    try:
        outcome = pickle.dumps((None, job(report)))
    except BookError as error:
        outcome = pickle.dumps((error, None))
    except BaseException as error:  # a bug: its traceback, in words the parent can print
        outcome = pickle.dumps((BookError(
            "an unexpected error while making part of the book:\n"
            + "".join(traceback.format_exception(error)).rstrip(),
            hint="this is a bug of the tool: please report it with the lines above"), None))
    messages.put(("done", index, outcome))
    messages.close()
    messages.join_thread()
