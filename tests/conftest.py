"""Shared fixtures: the reader edition is built once per session and read by many tests."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from book.cli import main

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
def built(dist) -> dict[str, Path]:
    return {
        "pdf": dist / "reader" / "1917-reader.pdf",
        "epub": dist / "reader" / "1917-reader.epub",
    }


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


@pytest.fixture
def fixture_project(tmp_path) -> Path:
    """A throwaway copy of the tests' own small project (tests/fixture/), with the tool's
    templates beside it: tests break it on purpose and never depend on the book's content."""
    copy = tmp_path / "fixture"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    return copy


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
