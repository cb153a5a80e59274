"""Shared fixtures. The real book's editions are built once per session and read only by tests
of properties that hold for any content; the tool's behaviour is tested on the tests' own small
project (tests/fixture/), copied fresh for each test that breaks it, built once for the others."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from book.cli import main
from book.make import Gathered, Project, gather
from book.model import Edition

ROOT = Path(__file__).resolve().parent.parent

# The suite draws the same examples on every run, so a red CI is always reproducible;
# `pytest --hypothesis-profile=explore tests/test_properties.py` searches afresh and harder.
settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """Every edition in editions/, built once, as `python build.py` builds them."""
    out = tmp_path_factory.mktemp("dist")
    printed = io.StringIO()
    assert main(["--out", str(out)], stdout=printed) == 0
    assert "warning" not in printed.getvalue(), printed.getvalue()
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
    out = tmp_path_factory.mktemp("fixture-dist")
    printed = io.StringIO()
    assert main(["--out", str(out)], stdout=printed, project=fixture_copy) == 0, \
        printed.getvalue()
    assert "warning" not in printed.getvalue(), printed.getvalue()
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
