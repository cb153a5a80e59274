"""The command line, run in-process as a user would run it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import files_in

from book.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(argv, project):
    out = io.StringIO()
    code = main(argv, stdout=out, project=project)
    return code, out.getvalue()


def test_help_explains_itself():
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "--edition" in result.stdout and "--out" in result.stdout
    assert "pdf and/or epub" in result.stdout
    # The other commands, before the examples: each answers its own --help.
    for command in ("new-edition", "preview"):
        assert f"  {command} " in result.stdout.split("examples:")[0], result.stdout
        own = subprocess.run([sys.executable, "build.py", command, "--help"], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        assert own.stdout.startswith(f"usage: build.py {command}"), own.stdout


def test_one_format_only(fixture_project, tmp_path):
    code, printed = run(["epub", "--out", str(tmp_path)], fixture_project)
    assert code == 0
    assert [p.name for p in (tmp_path / "mini").iterdir()] == ["mini.epub"]
    assert [p.name for p in (tmp_path / "mini-pl").iterdir()] == ["mini-pl.epub"]
    assert "wrote" in printed and " s)" in printed


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["mobi"])
    assert caught.value.code == 2
    assert "unknown format 'mobi'" in capsys.readouterr().err


def test_a_broken_source_changes_no_output(tmp_path, fixture_project, capsys):
    out = tmp_path / "dist"
    assert run(["epub", "--out", str(out)], fixture_project)[0] == 0
    before = files_in(out)
    source = fixture_project / "sources" / "gr-test.md"
    source.write_text(source.read_text().replace("1917.[^1]", "1917.[^1][^77]"))
    code, _ = run(["--out", str(out)], fixture_project)
    assert code == 1
    err = capsys.readouterr().err
    assert "sources/gr-test.md:24: " in err and "note call [^77] has no note" in err
    assert "No output was written or changed." in err
    assert files_in(out) == before


def test_an_undefined_template_variable_names_file_and_line(tmp_path, fixture_project, capsys):
    template = fixture_project / "templates" / "base" / "parts" / "colophon.html"
    lines = template.read_text().split("\n")
    lines.insert(3, "<p>{{ edition.titel }}</p>")
    template.write_text("\n".join(lines))
    out = tmp_path / "out"
    code, _ = run(["pdf", "--out", str(out)], fixture_project)
    assert code == 1
    err = capsys.readouterr().err
    assert "templates/base/parts/colophon.html:4: an edition has no 'titel' (did you mean " \
        "'title'?); it has: name, title, subtitle" in err
    assert not out.exists()


def test_a_template_syntax_error_names_file_and_line(tmp_path, fixture_project, capsys):
    template = fixture_project / "templates" / "base" / "epub" / "colophon.xhtml"
    template.write_text(template.read_text() + "\n{% if %}\n")
    assert run(["epub", "--out", str(tmp_path / "out")], fixture_project)[0] == 1
    err = capsys.readouterr().err
    assert "templates/base/epub/colophon.xhtml:" in err and "syntax error" in err


def test_a_reference_outside_the_templates_is_refused(tmp_path, fixture_project, capsys):
    book = fixture_project / "templates" / "base" / "pdf" / "book.html"
    book.write_text(book.read_text().replace(
        '<link rel="stylesheet" href="css/print.css"/>',
        '<link rel="stylesheet" href="css/print.css"/>'
        '<link rel="stylesheet" href="../../../../etc/hostname"/>'))
    out = tmp_path / "out"
    assert run(["pdf", "--out", str(out)], fixture_project)[0] == 1
    assert "outside the templates" in capsys.readouterr().err
    assert not any(p.is_file() for p in out.rglob("*"))


def test_each_writer_imports_only_its_own_library(fixture_project, tmp_path):
    program = (
        "import sys, io; from pathlib import Path; from book.cli import main; "
        f"assert main(['epub', '--out', {str(tmp_path)!r}], stdout=io.StringIO(), "
        f"project=Path({str(fixture_project)!r})) == 0; "
        "assert 'ebooklib' in sys.modules and 'weasyprint' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True)


def test_the_real_book_passes_strict(real_build):
    # Whatever the texts say, the book the project ships is clean: no error, no warning. The
    # session's build of it runs with --strict, which stops on what `check --strict` reports
    # (the PDFs laid out, their pages read), so it is read here rather than laid out again;
    # `check --strict` itself is run on the fixture (test_pagecheck).
    out, printed = real_build
    assert "warning" not in printed and "error" not in printed, printed
    assert any(out.rglob("*.pdf")) and any(out.rglob("*.epub"))


def test_checks_summary_counts_in_words(fixture_project):
    # One mistake is "1 error", not "1 errors".
    questions = fixture_project / "sources" / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8") + "\n: oops\n", encoding="utf-8")
    code, printed = run(["check"], fixture_project)
    assert code == 1 and "\n1 error, 0 warnings, " in printed, printed
