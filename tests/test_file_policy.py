"""The one file policy: no file of the machine reaches a book, a log or a folder outside --out,
whatever a theme, an edition or a template names (tests on the tests' own small project)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import run

SECRET = "SECRET-7f3a9c-not-for-books"




@pytest.fixture
def secret(tmp_path) -> Path:
    """A file of the machine, outside the project, that no build may read."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def leaked(out: Path, printed: str) -> bool:
    """Whether the secret is in the output, printed or in any file (EPUB members unzipped)."""
    if SECRET in printed:
        return True
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if SECRET.encode() in data:
            return True
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                if any(SECRET.encode() in book.read(name) for name in book.namelist()):
                    return True
    return False


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def theme(project: Path, name: str = "mine", extends: str = "base") -> Path:
    """A theme folder of the edition `mini`, extending `extends`."""
    folder = project / "templates" / name
    write(folder / "theme.toml", f'extends = "{extends}"\n')
    edition = project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + f'templates = "{name}"\n',
                       encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_a_link_in_a_theme_to_a_file_outside_is_refused(fixture_project, tmp_path, secret, fmt):
    folder = theme(fixture_project)
    (folder / "parts").mkdir()
    (folder / "parts" / "colophon.html").symlink_to(secret)
    out = tmp_path / "out"
    code, printed = run(fixture_project, fmt, "--edition", "mini", "--out", str(out))
    assert code == 1
    assert "templates/mine/parts/colophon.html: error: a symbolic link that leads out of " \
           "templates/" in printed
    assert "hint: replace the link by a copy of the file it leads to" in printed
    assert not leaked(out, printed) and not any(out.rglob("*.*"))


@pytest.mark.parametrize("where", ["sources/notes.txt", "editions/notes.txt",
                                   "templates/base/css/unused.css"])
def test_a_link_that_leads_out_is_refused_though_nothing_reads_it(fixture_project, tmp_path,
                                                                  secret, where):
    (fixture_project / where).symlink_to(secret)
    for argv in (["check"], ["epub", "--edition", "mini", "--out", str(tmp_path / "out")]):
        code, printed = run(fixture_project, *argv)
        assert code == 1
        assert f"{where}: error: a symbolic link that leads out of {where.split('/')[0]}/" \
            in printed
        assert not leaked(tmp_path / "out", printed) and not (tmp_path / "out").exists()


def test_a_link_that_leads_back_to_itself_is_refused(fixture_project, tmp_path):
    # Found by the fuzzer: resolving it raised, and the build stopped with a traceback.
    (fixture_project / "templates/base/css/loop.css").symlink_to("loop.css")
    for argv in (["check"], ["epub", "--edition", "mini", "--out", str(tmp_path / "out")]):
        code, printed = run(fixture_project, *argv)
        assert code == 1 and "Traceback" not in printed, printed
        assert "templates/base/css/loop.css: error: a symbolic link that leads nowhere (to " \
            "a file that is not there, or back to itself)" in printed, printed


def test_a_link_to_a_folder_outside_is_refused_on_include(fixture_project, tmp_path, secret):
    folder = theme(fixture_project)
    (folder / "outside").symlink_to(secret.parent)
    write(folder / "parts" / "colophon.html", '{% include "outside/secret.txt" %}\n')
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 1 and "templates/mine/outside: error: a symbolic link that leads out of " \
        "templates/" in printed
    assert not leaked(out, printed)


@pytest.mark.parametrize("extends", ["/", "../../../../etc", "..", "base/../..", "Base"])
def test_extends_names_a_theme_never_a_path(fixture_project, tmp_path, secret, extends):
    folder = theme(fixture_project, extends=extends)
    write(folder / "parts" / "colophon.html", '{% include "etc/hostname" %}\n')
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 1
    assert f"templates/mine/theme.toml: {extends!r} is not the name of a template folder" \
        in printed
    assert "hint: name a folder directly under templates/" in printed
    assert not any(out.rglob("*.*"))


def test_a_theme_folder_that_is_a_link_outside_is_refused(fixture_project, tmp_path, secret):
    (fixture_project / "templates" / "evil").symlink_to(secret.parent, target_is_directory=True)
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + 'templates = "evil"\n',
                       encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "pdf", "--edition", "mini", "--out", str(out))
    assert code == 1
    assert "templates/evil: error: a symbolic link that leads out of templates/" in printed
    assert not leaked(out, printed) and not any(out.rglob("*.*"))


def test_an_attachment_outside_the_templates_is_refused(fixture_project, tmp_path, secret):
    book = fixture_project / "templates" / "base" / "pdf" / "book.html"
    book.write_text(book.read_text(encoding="utf-8").replace(
        "</head>", f'<link rel="attachment" href="{secret}"/></head>'), encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "pdf", "--edition", "mini", "--out", str(out))
    assert code == 1 and "it is outside the templates" in printed
    assert not leaked(out, printed)


@pytest.mark.parametrize("name", ["...", ".hidden", "a..b"])
def test_an_edition_name_is_a_plain_name(fixture_project, tmp_path, name):
    (fixture_project / "editions" / "mini.toml").rename(
        fixture_project / "editions" / f"{name}.toml")
    out = tmp_path / "deep" / "out"
    code, printed = run(fixture_project, "epub", "--out", str(out))
    assert code == 1
    assert f"editions/{name}.toml: an edition's name, its file name without .toml, {name!r} " \
           "must be a plain name" in printed
    assert "hint: rename the file" in printed
    assert not any(p.is_file() for p in (tmp_path / "deep").rglob("*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture"]


@pytest.mark.parametrize("filename", ["../escape", "x" * 300, ".hidden", "a/b"])
def test_a_file_name_is_a_plain_name(fixture_project, tmp_path, filename):
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'filename = "mini"', f'filename = "{filename}"'), encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 1
    assert "editions/mini.toml:7: the file name" in printed and "must be a plain name" in printed
    assert not out.exists()


def test_templates_print_no_path_of_the_machine(fixture_project, tmp_path):
    colophon = fixture_project / "templates" / "base" / "parts" / "colophon.html"
    colophon.write_text(colophon.read_text(encoding="utf-8").replace(
        "</section>", "{{ book.texts[0]|string }} {{ edition|string }}</section>"),
        encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    with zipfile.ZipFile(out / "mini" / "mini.epub") as book:
        colophon_xhtml = book.read("EPUB/colophon.xhtml").decode()
    assert "Text(id=&#39;gr&#39;" in colophon_xhtml
    assert str(fixture_project) not in colophon_xhtml and "PosixPath" not in colophon_xhtml


@pytest.mark.parametrize("name", ["sources/zz-link.md", "sources/glossary.yaml"])
def test_a_source_that_is_a_link_out_of_sources_is_refused(fixture_project, tmp_path, secret,
                                                           name):
    path = fixture_project / name
    path.unlink(missing_ok=True)
    path.symlink_to(secret)
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 1
    assert name in printed and "the file is a link that leads out of its folder" in printed
    assert not leaked(out, printed)


def test_a_file_the_user_may_not_read_is_said_not_raised(fixture_project, monkeypatch):
    # As root, which the suite may run as, no permission stops a read: the refusal is made.
    edition = fixture_project / "editions" / "mini.toml"
    read_bytes = Path.read_bytes

    def refused(path: Path) -> bytes:
        if path == edition:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    code, printed = run(fixture_project, "check")
    assert code == 1 and "Traceback" not in printed
    assert "editions/mini.toml: mini.toml cannot be read: Permission denied" in printed, printed
