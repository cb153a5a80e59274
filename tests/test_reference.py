"""docs/reference.md is written from the declarations the loaders validate with: it is up to
date, and it describes every key each loader accepts."""

from __future__ import annotations

import contextlib
import io

import pytest

from book.cli import main
from book.reference import FILES, PAGE, reference


def test_the_reference_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == reference(), \
        "run: python -m book.reference"


def test_every_key_has_its_sentence():
    for heading, _, _, keys in FILES:
        for name, key in keys.items():
            assert key.doc.strip(), f"{heading}: {name} has no sentence"
            assert f"| `{name}` |" in reference()


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("editions/mini.toml", 'filename = "mini"', 'filename = "mini"\nfilenam = "x"',
     "unknown key 'filenam'"),
    ("templates/classroom/theme.toml", None, 'extend = "base"\n', "holds only 'extends"),
    ("sources/rs-test.md", "lang: ru", "lang: ru\nlingo: ru", "unknown metadata key"),
])
def test_a_key_the_reference_does_not_name_is_refused(fixture_project, file, old, new, message):
    path = fixture_project / file
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    key = new.split("\n")[-1].split("=")[0].split(":")[0].strip()
    assert f"| `{key}` |" not in reference()
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(["check"], stdout=stdout, project=fixture_project)
    assert code == 1 and message in stdout.getvalue() + stderr.getvalue()
