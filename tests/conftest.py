"""Shared fixtures. The real book's editions are built once per session and read only by tests
of properties that hold for any content; the tool's behaviour is tested on the tests' own small
project (tests/fixture/), copied fresh for each test that breaks it, built once for the others."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from epubchecking import Checker, compile_server
from hypothesis import settings

from book.cli import main
from book.make import Gathered, Project, gather
from book.model import Edition

ROOT = Path(__file__).resolve().parent.parent

# EPUBCheck starts a JVM for each book it checks: such short runs take half the CPU time
# compiled by C1 alone and with the serial collector, and check the same.
os.environ["JAVA_TOOL_OPTIONS"] = " ".join(filter(None, [
    os.environ.get("JAVA_TOOL_OPTIONS"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]))

# The suite draws the same examples on every run, so a red CI is always reproducible;
# `pytest --hypothesis-profile=explore tests/test_properties.py` searches afresh and harder.
settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session", autouse=True)
def temporary_folder(tmp_path_factory) -> Iterator[None]:
    """The session's temporary files, in its own folder, which pytest removes after a few
    runs: what a process killed on purpose leaves (a browser's profile, a layout's fonts)
    does not pile up in the machine's."""
    folder = str(tmp_path_factory.mktemp("temporary"))
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = folder
    yield
    tempfile.tempdir = before[0]
    if before[1] is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = before[1]


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Holds an exclusive lock on `path` (a lock file) against the other workers."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """`make(folder)` once per session for all the xdist workers, the pattern of xdist's docs:
    the first worker to ask makes the folder in the session's shared folder under a lock, the
    others wait and read it. The folder, and what `make` returned (JSON)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent
    else:
        root = tmp_path_factory.getbasetemp()
    folder, record = root / name, root / f"{name}.json"
    with locked(root / f"{name}.lock"):
        if not record.exists():
            record.write_text(json.dumps(make(folder)), encoding="utf-8")
    return folder, json.loads(record.read_text(encoding="utf-8"))


def built_once(tmp_path_factory, name: str, argv: list[str], project: Path) -> tuple[Path, str]:
    """`build.py ARGV --out <folder>` on `project`, once per session for all the workers, its
    files made read-only, as every test only reads them. The output folder and what the build
    printed; each worker asserts that it succeeded, so a failed build fails wherever used."""
    def build(out: Path) -> dict:
        printed, errors = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(errors):
            code = main([*argv, "--out", str(out)], stdout=printed, project=project)
        for path in out.rglob("*"):
            if path.is_file():
                path.chmod(0o444)
        return {"code": code, "printed": printed.getvalue(), "errors": errors.getvalue()}

    out, result = once(tmp_path_factory, name, build)
    assert result["code"] == 0, result["printed"] + result["errors"]
    return out, result["printed"]


@pytest.fixture(scope="session")
def epubcheck(tmp_path_factory) -> Iterator[Checker]:
    """EPUBCheck's verdict on an EPUB, `epubcheck(path).valid` and `.messages`, from one Java
    process per worker (tests/epubchecking.py)."""
    classes, result = once(tmp_path_factory, "epubcheck-server",
                           lambda folder: {"compiled": compile_server(folder)})
    checker = Checker(classes if result["compiled"] else None,
                      tmp_path_factory.mktemp("epubcheck"))
    yield checker
    checker.close()


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> tuple[Path, str]:
    """Every edition in editions/, built once, as `python build.py --strict` builds them:
    the folder, and what the build printed."""
    return built_once(tmp_path_factory, "dist", ["--strict"], ROOT)


@pytest.fixture(scope="session")
def dist(real_build) -> Path:
    """Every edition in editions/, built once, as `python build.py` builds them (--strict:
    the book the project ships has no warning)."""
    out, printed = real_build
    assert "warning" not in printed, printed
    return out


@pytest.fixture(scope="session")
def book() -> Gathered:
    """The real book's texts, editions and data, as the build reads them: property tests
    derive what they expect from here, never from literal ids or words."""
    return gather(Project(ROOT))


@pytest.fixture(scope="session")
def made(dist, book) -> dict[str, list[tuple[Edition, Path]]]:
    """Each real edition's files in `dist`, by format: {"pdf": [(edition, path), …], …}."""
    return {fmt: [(edition, dist / edition.name / f"{edition.filename}.{fmt}")
                  for edition in book.editions if fmt in edition.formats]
            for fmt in ("pdf", "epub")}


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A throwaway copy of the project's inputs, for tests that break them on purpose. It is
    no git checkout, so the date stamped into its books is given as a build system would."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    copy = tmp_path / "project"
    for name in ("sources", "editions", "templates"):
        shutil.copytree(ROOT / name, copy / name)
    return copy


FIXTURE = Path(__file__).resolve().parent / "fixture"


def copy_fixture(folder: Path) -> Path:
    copy = folder / "fixture"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    return copy


@pytest.fixture
def fixture_project(tmp_path) -> Path:
    """A throwaway copy of the tests' own small project (tests/fixture/), with the tool's
    templates beside it: tests break it on purpose and never depend on the book's content."""
    return copy_fixture(tmp_path)


@pytest.fixture(scope="session")
def new_fixture_project(tmp_path_factory):
    """Makes a fresh copy of the fixture project, for a module that changes it once."""
    return lambda: copy_fixture(tmp_path_factory.mktemp("fixture-project"))


@pytest.fixture(scope="session")
def fixture_copy(new_fixture_project) -> Path:
    """One copy of the fixture project for the whole session, never changed: read it only."""
    return new_fixture_project()


@pytest.fixture(scope="session")
def fixture_dist(fixture_copy, tmp_path_factory) -> Path:
    """The fixture project's editions, built once (mini: PDF and EPUB; mini-pl: EPUB), for
    the tests that read the tool's output without breaking anything."""
    out, printed = built_once(tmp_path_factory, "fixture-dist", [], fixture_copy)
    assert "warning" not in printed, printed
    return out


@pytest.fixture(scope="session")
def fixture_book(fixture_copy) -> Gathered:
    """The fixture project's texts, editions and data, as the build reads them."""
    return gather(Project(fixture_copy))


@pytest.fixture(autouse=True)
def no_unexpected_warnings(request, caplog):
    """Every test fails if a build logged a warning the test did not ask for."""
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("expected_warnings"):
        return
    logged = [r for phase in ("setup", "call") for r in caplog.get_records(phase)
              if r.levelno >= logging.WARNING]
    assert not logged, "unexpected warnings: " + "; ".join(
        f"{r.name}: {r.getMessage()}" for r in logged)
