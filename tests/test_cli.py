"""The command line, run in-process as a user would run it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from book import pdf as pdf_writer
from book.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(argv, project=ROOT):
    out = io.StringIO()
    code = main(argv, stdout=out, project=project)
    return code, out.getvalue()


def test_help_explains_itself():
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "--edition" in result.stdout and "--out" in result.stdout
    assert "pdf and/or epub" in result.stdout


def test_one_format_only(tmp_path):
    code, printed = run(["epub", "--out", str(tmp_path)])
    assert code == 0
    assert [p.name for p in (tmp_path / "reader").iterdir()] == ["1917-reader.epub"]
    assert "wrote" in printed and " s)" in printed


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["mobi"])
    assert caught.value.code == 2
    assert "unknown format 'mobi'" in capsys.readouterr().err


def test_a_broken_source_changes_no_output(tmp_path, project_copy, capsys):
    out = tmp_path / "dist"
    assert run(["epub", "--out", str(out)], project_copy)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    source = project_copy / "sources" / "el-paloukis-october.md"
    source.write_text(source.read_text().replace("χώρας.[^1]", "χώρας.[^1][^77]"))
    code, _ = run(["--out", str(out)], project_copy)
    assert code == 1
    err = capsys.readouterr().err
    assert "sources/el-paloukis-october.md:" in err and "note call [^77] has no note" in err
    assert "No output was written or changed." in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_undefined_template_variable_names_file_and_line(tmp_path, project_copy, capsys):
    template = project_copy / "templates" / "base" / "parts" / "colophon.html"
    lines = template.read_text().split("\n")
    lines.insert(3, "<p>{{ edition.titel }}</p>")
    template.write_text("\n".join(lines))
    out = tmp_path / "out"
    code, _ = run(["pdf", "--out", str(out)], project_copy)
    assert code == 1
    err = capsys.readouterr().err
    assert "templates/base/parts/colophon.html:4: 'book.model.Edition object' has no " \
        "attribute 'titel' (did you mean 'title'?)" in err
    assert not out.exists()


def test_a_template_syntax_error_names_file_and_line(tmp_path, project_copy, capsys):
    template = project_copy / "templates" / "base" / "epub" / "colophon.xhtml"
    template.write_text(template.read_text() + "\n{% if %}\n")
    assert run(["epub", "--out", str(tmp_path / "out")], project_copy)[0] == 1
    err = capsys.readouterr().err
    assert "templates/base/epub/colophon.xhtml:" in err and "syntax error" in err


def test_a_reference_outside_the_templates_is_refused(tmp_path, project_copy, capsys):
    book = project_copy / "templates" / "base" / "pdf" / "book.html"
    book.write_text(book.read_text().replace(
        '<link rel="stylesheet" href="css/print.css"/>',
        '<link rel="stylesheet" href="css/print.css"/>'
        '<link rel="stylesheet" href="../../../../etc/hostname"/>'))
    out = tmp_path / "out"
    assert run(["pdf", "--out", str(out)], project_copy)[0] == 1
    assert "outside the templates" in capsys.readouterr().err
    assert not any(p.is_file() for p in out.rglob("*"))


def test_without_relayout_notes_would_leave_their_page(tmp_path, monkeypatch):
    # The re-layout that keeps notes with their calls is needed by this very book.
    monkeypatch.setattr(pdf_writer, "MAX_LAYOUT_PASSES", 1)
    code, printed = run(["pdf", "--out", str(tmp_path)])
    assert code == 0
    assert "some notes could not be kept on the page of their call" in printed


def test_each_writer_imports_only_its_own_library(tmp_path):
    program = (
        "import sys, io; from book.cli import main; "
        f"assert main(['epub', '--out', {str(tmp_path)!r}], stdout=io.StringIO()) == 0; "
        "assert 'ebooklib' in sys.modules and 'weasyprint' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True)
