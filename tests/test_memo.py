"""Slow steps' results kept between builds in the output folder (book/memo.py): the same
books from them as without them, a changed input never served an old result, a damaged or
unwritable store never in the way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import edit, run

from book import bibliography, glyphs, memo, render
from book.made import RECORDS

ROOT = Path(__file__).resolve().parent.parent


def epub(project, out):
    # Each build reads the store, not what an earlier one left in this process's memory.
    bibliography._FORMATTED.clear()
    render._COMPILED.clear()
    code, printed = run(project, "epub", "--edition", "mini", "--out", str(out), "--force",
                        "--jobs", "1")
    assert code == 0, printed
    return (out / "mini" / "mini.epub").read_bytes()


def kept(out):
    return sorted((out / RECORDS / "memo").glob("bibliography-*.json"))


def test_a_rebuild_from_kept_results_is_the_same_book(fixture_project, tmp_path):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    (result,) = kept(out)
    # What is kept is the formatted entries, in the data's words.
    assert any("A Study of Things" in html for html in json.loads(result.read_text("utf-8")))
    assert epub(fixture_project, out) == first
    assert epub(fixture_project, tmp_path / "elsewhere") == first


@pytest.mark.parametrize("damage", ["{not json", "[]", '["a", 1]', "null", '"bm90IGJ5dGVjb2Rl"',
                                    '"not base64!"', "[-1, 1e9]"])
@pytest.mark.parametrize("kind", ["bibliography", "template", "characters", "cover",
                                  "fidelity", "resource"])
def test_a_damaged_result_is_made_again(fixture_project, tmp_path, damage, kind):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    results = sorted((out / RECORDS / "memo").glob(f"{kind}-*.json"))
    assert results
    for result in results:
        result.write_text(damage, encoding="utf-8")
    glyphs._font_characters.cache_clear()
    assert epub(fixture_project, out) == first


def test_an_edited_entry_is_formatted_again(fixture_project, tmp_path):
    out = tmp_path / "out"
    epub(fixture_project, out)
    edit(fixture_project, "sources/bibliography.yaml", "title: A Study of Things",
         "title: A Study of Other Things")
    epub(fixture_project, out)
    texts = [result.read_text(encoding="utf-8") for result in kept(out)]
    assert len(texts) == 2 and any("A Study of Other Things" in t for t in texts)


def test_a_text_edited_after_a_build_is_proved_against_its_original_again(
        fixture_project, tmp_path):
    # The proof of each text is kept; an edit that departs from the original still fails.
    out = tmp_path / "out"
    epub(fixture_project, out)
    assert len(list((out / RECORDS / "memo").glob("fidelity-*.json"))) == 4
    edit(fixture_project, "sources/pol-test.md", "To krótki tekst", "To krótki tekścik")
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 1
    assert "pol-test.md:12: error: the edited text departs from the original" in printed


def test_a_file_checked_by_a_build_is_not_read_as_an_image_again_unless_it_changed(
        fixture_project, tmp_path, monkeypatch):
    from book import limits

    out = tmp_path / "out"
    epub(fixture_project, out)
    read = []
    monkeypatch.setattr(limits, "_check_image", lambda name, *_: read.append(name))
    epub(fixture_project, out)
    assert read == []
    edit(fixture_project, "templates/base/css/fonts.css", "@font-face",
         "/* changed */ @font-face")
    epub(fixture_project, out)
    assert read == ["'css/fonts.css'"]


def test_a_file_checked_under_one_type_is_checked_again_under_another(tmp_path):
    # The same bytes, a stylesheet's, then named as a picture: refused, not taken as kept.
    from book import limits

    with memo.kept_in(tmp_path, "tool"):
        limits.check_resource("'a.css'", "text/css", b"body { margin: 0 }")
    with memo.kept_in(tmp_path, "tool"), pytest.raises(limits.LimitExceeded) as refused:
        limits.check_resource("'a.png'", "image/png", b"body { margin: 0 }")
    assert refused.value.message == "'a.png' is not an image this tool can read"


def test_results_are_kept_for_the_same_tool_only(tmp_path):
    made = []

    def make():
        made.append(1)
        return ["formatted"]

    def valid(value):
        return isinstance(value, list)

    with memo.kept_in(tmp_path, "tool 1"):
        assert memo.remembered("kind", "inputs", make, valid) == ["formatted"]
        assert memo.remembered("kind", "inputs", make, valid) == ["formatted"]
    assert len(made) == 1
    with memo.kept_in(tmp_path, "tool 2"):  # another version of the tool
        memo.remembered("kind", "inputs", make, valid)
    # Outside a build nothing is kept.
    memo.remembered("kind", "inputs", make, valid)
    assert len(made) == 3


def test_the_oldest_results_are_forgotten(tmp_path, monkeypatch):
    monkeypatch.setattr(memo, "MAX_RESULTS", 3)
    seen: set = set()
    for n in range(5):
        with memo.kept_in(tmp_path, "tool"):
            memo.remembered("kind", str(n), lambda n=n: [n], lambda v: True)
        # Its own second, whatever the file system's clock can tell apart.
        (new,) = set(tmp_path.glob("*.json")) - seen
        os.utime(new, (1_000_000 + n, 1_000_000 + n))
        seen = set(tmp_path.glob("*.json"))
    assert len(list(tmp_path.glob("*.json"))) == 3
    # The newest are kept.
    with memo.kept_in(tmp_path, "tool"):
        assert memo.remembered("kind", "4", lambda: pytest.fail("made again"),
                               lambda v: True) == [4]


def test_an_unwritable_store_only_costs_time(fixture_project, tmp_path):
    out = tmp_path / "out"
    first = epub(fixture_project, out)
    store = out / RECORDS / "memo"
    shutil.rmtree(store)
    store.write_text("a file where the folder was", encoding="utf-8")
    assert epub(fixture_project, out) == first


def test_a_failed_build_keeps_nothing(tmp_path):
    with pytest.raises(RuntimeError), memo.kept_in(tmp_path / "store", "tool"):
        memo.remembered("kind", "inputs", lambda: ["made"], lambda v: True)
        raise RuntimeError("the build stopped")
    assert not (tmp_path / "store").exists()


def test_a_template_kept_compiled_prints_each_editions_language(tmp_path):
    # A constant passed through a filter that speaks the edition's language: folded while
    # compiling, the first edition's words would be kept for every other.
    from book.files import TemplateFolders
    from book.render import make_environment

    folder = tmp_path / "templates" / "base"
    folder.mkdir(parents=True)
    (folder / "date.html").write_text('{{ "1918-01" | month_year }}', encoding="utf-8")
    search_path = TemplateFolders(tmp_path / "templates", [folder])
    printed = {}
    for language in ("en", "pl", "el", "en"):
        with memo.kept_in(tmp_path / "store", "tool"):
            env = make_environment(search_path, language)
            printed[language] = env.get_template("date.html").render()
    assert len(list((tmp_path / "store").glob("template-*.json"))) == 1
    assert len(set(printed.values())) == 3 and "1918" in printed["pl"]


def test_a_build_with_the_bibliography_kept_does_not_import_citeproc(fixture_project,
                                                                      tmp_path):
    # citeproc-py takes a thirtieth of a second to import, on every build and save.
    build = ("import sys; from pathlib import Path; from book.cli import main; "
             f"main(['epub', '--edition', 'mini-pl', '--force', '--out', "
             f"{str(tmp_path / 'out')!r}], project=Path({str(fixture_project)!r})); "
             "print('citeproc' in sys.modules)")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    imported = [subprocess.run([sys.executable, "-c", build], capture_output=True, text=True,
                               env=env, cwd=ROOT, check=True).stdout.split()[-1]
                for _ in range(2)]
    assert imported == ["True", "False"]


def test_a_kept_result_is_used_by_the_next_build(tmp_path):
    def valid(value):
        return isinstance(value, list)

    with memo.kept_in(tmp_path, "tool"):
        memo.remembered("kind", "inputs", lambda: ["made"], valid)
    with memo.kept_in(tmp_path, "tool"):
        assert memo.remembered("kind", "inputs", lambda: pytest.fail("made again"),
                               valid) == ["made"]


def test_what_forked_jobs_make_is_kept_as_if_made_here(fixture_project, tmp_path):
    stores = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"out-{jobs}"
        bibliography._FORMATTED.clear()
        glyphs._font_characters.cache_clear()
        render._COMPILED.clear()
        code, printed = run(fixture_project, "--out", str(out), "--jobs", jobs)
        assert code == 0, printed
        stores[jobs] = sorted(p.name for p in (out / RECORDS / "memo").iterdir())
    # The templates compiled in the children are among them.
    assert stores["3"] == stores["1"] and any(n.startswith("template-") for n in stores["3"])


def test_templates_compiled_by_an_earlier_build_of_the_process_are_kept_in_each_folder(
        fixture_project, tmp_path, monkeypatch):
    def templates(out):
        return {p.name: p.read_text(encoding="utf-8")
                for p in (out / RECORDS / "memo").glob("template-*.json")}

    render._COMPILED.clear()
    first = epub_compiled(fixture_project, tmp_path / "first")
    # Another folder, the same process: nothing is compiled again, and the folder keeps
    # every template for a build of another process.
    compiled = []
    monkeypatch.setattr(render.BookSandbox, "compile", lambda *args, **kwargs: compiled.append(
        args) or pytest.fail("compiled again"))
    second = epub_compiled(fixture_project, tmp_path / "second")
    assert second[0] == first[0] and not compiled
    assert templates(tmp_path / "second") == templates(tmp_path / "first") != {}
    # Built again into the same folder, the templates are not written again, only marked
    # used, as a build of another process would mark them.
    for path in (tmp_path / "second" / RECORDS / "memo").glob("template-*.json"):
        os.utime(path, (1_000_000, 1_000_000))
    before = {p.name: p.stat().st_ino
              for p in (tmp_path / "second" / RECORDS / "memo").glob("template-*.json")}
    epub_compiled(fixture_project, tmp_path / "second")
    after = {p.name: p.stat() for p in (tmp_path / "second" / RECORDS / "memo").glob(
        "template-*.json")}
    assert {name: stat.st_ino for name, stat in after.items()} == before
    assert all(stat.st_mtime > 1_000_000 for stat in after.values())
    # An edited template is compiled anew, in this process as in any.
    monkeypatch.undo()
    edit(fixture_project, "templates/base/epub/colophon.xhtml", '<h1 class="colophon-title">',
         '<p>edited</p><h1 class="colophon-title">')
    third = epub_compiled(fixture_project, tmp_path / "third")
    assert b"<p>edited</p>" in third[1]
    assert len(templates(tmp_path / "third")) == len(templates(tmp_path / "first"))


def epub_compiled(project, out):
    """The EPUB built into `out`, and its colophon, with what this process compiled before."""
    code, printed = run(project, "epub", "--edition", "mini", "--out", str(out), "--jobs", "1",
                        "--force")
    assert code == 0, printed
    book = out / "mini" / "mini.epub"
    with zipfile.ZipFile(book) as package:
        colophon = next(n for n in package.namelist() if n.endswith("colophon.xhtml"))
        return book.read_bytes(), package.read(colophon)


def test_a_process_keeps_the_templates_it_used_last(tmp_path, monkeypatch):
    from book.files import TemplateFolders
    from book.render import make_environment

    folder = tmp_path / "templates" / "base"
    folder.mkdir(parents=True)
    for name in "abc":
        (folder / f"{name}.html").write_text(f"{name}{{{{ 1 + 1 }}}}", encoding="utf-8")
    search_path = TemplateFolders(tmp_path / "templates", [folder])
    monkeypatch.setattr(render, "MAX_COMPILED", 2)
    render._COMPILED.clear()

    def use(name: str) -> None:  # a new environment, as each build makes its own
        assert make_environment(search_path, "en").get_template(f"{name}.html").render() == \
            f"{name}2"

    for name in "aba":
        use(name)
    use("c")  # b, used longest ago, goes
    compiled = []
    monkeypatch.setattr(render.BookSandbox, "compile", lambda *args, **kwargs: compiled.append(
        args[1]) or pytest.fail("compiled again"))
    use("a")
    use("c")
    assert len(render._COMPILED) == 2 and not compiled
