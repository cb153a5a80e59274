"""An edition holds what its texts need, and nothing a text departing from its original
(tests on the tests' own small project)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from helpers import run


def edition(project: Path, texts: list[str]) -> None:
    """An EPUB edition `solo` of `texts`, with every section."""
    (project / "editions" / "solo.toml").write_text(
        'title = "Solo"\nlanguage = "en"\ntexts = [' + ", ".join(f'"{t}"' for t in texts)
        + ']\nsections = ["contents", "notes", "questions", "chronology", "glossary", '
        '"bibliography"]\nformats = ["epub"]\ndate = "2020-01-01"\n', encoding="utf-8")


def documents(project: Path, out: Path) -> dict[str, str]:
    code, printed = run(project, "--edition", "solo", "--out", str(out))
    assert code == 0, printed
    with zipfile.ZipFile(out / "solo" / "solo.epub") as book:
        return {Path(n).name: book.read(n).decode() for n in book.namelist()
                if n.endswith(".xhtml")}


@pytest.mark.parametrize(("texts", "works"), [
    (["gr"], {"papa1990", "smith2001"}),
    (["pol", "rs"], set()),
    (["de", "pol"], {"papa1990", "smith2001"}),
])
def test_the_bibliography_lists_the_works_the_edition_cites(fixture_project, tmp_path, texts,
                                                            works):
    edition(fixture_project, texts)
    found = documents(fixture_project, tmp_path / "out")
    listed = {w for w in ("papa1990", "smith2001")
              if f'id="bib-{w}"' in found.get("bibliography.xhtml", "")}
    assert listed == works
    assert ("bibliography.xhtml" in found) == bool(works)


def test_a_correction_is_printed_only_with_the_note_it_corrects(fixture_project, tmp_path):
    bibliography = fixture_project / "sources" / "bibliography.yaml"
    text = bibliography.read_text(encoding="utf-8")
    # gr's note 3 cites Smith; de's note 3 cites Papa.
    text = text.replace("  language: en\n", "  language: en\n  custom:\n    corrections:\n"
                        '      - {cited: "Study", correct: "A Study", notes: ["3"]}\n', 1)
    bibliography.write_text(text, encoding="utf-8")
    edition(fixture_project, ["gr"])
    assert 'id="corrections"' in documents(fixture_project, tmp_path / "a")["bibliography.xhtml"]
    edition(fixture_project, ["de"])
    assert 'id="corrections"' not in documents(fixture_project,
                                               tmp_path / "b")["bibliography.xhtml"]


@pytest.mark.parametrize(("texts", "printed"), [(["gr"], False), (["gr", "pol"], True)])
def test_the_glossary_holds_the_entries_its_texts_name(fixture_project, tmp_path, texts,
                                                      printed):
    edition(fixture_project, texts)
    found = documents(fixture_project, tmp_path / "out")
    assert ("glossary.xhtml" in found) == printed


def test_a_glossary_entry_names_the_texts_that_name_it(fixture_project):
    glossary = fixture_project / "sources" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "texts: [rs, pol, de]", "texts: [rs, pl]"), encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    assert "sources/glossary.yaml:4: error: no text has the id 'pl'" in printed


@pytest.mark.parametrize("argv", [["check"], ["epub", "--edition", "mini"]])
def test_a_text_that_departs_from_its_original_is_refused_at_its_line(fixture_project,
                                                                     tmp_path, argv):
    source = fixture_project / "sources" / "rs-test.md"
    source.write_text(source.read_text(encoding="utf-8").replace("короткий", "длинный"),
                      encoding="utf-8")
    line = next(i for i, text in enumerate(source.read_text(encoding="utf-8").split("\n"), 1)
                if "длинный" in text)
    out = tmp_path / "out"
    code, printed = run(fixture_project, *argv, *(["--out", str(out)] if argv != ["check"]
                                                  else []))
    assert code == 1
    assert f"sources/rs-test.md:{line}: error: the edited text departs from the original" \
        in printed
    assert not out.exists()


@pytest.mark.parametrize(("template", "old", "new", "message"), [
    ("templates/base/parts/colophon.html", "</section>", "{{ 1/0 }}</section>",
     "ZeroDivisionError"),
    ("templates/base/epub/colophon.xhtml", "{% endblock %}\n", "<span></div>{% endblock %}\n",
     "<span> is never closed: the </div> around it closes first"),
    ("templates/base/css/custom.css", "", "\np { color red }\n", "a declaration does not parse"),
])
def test_check_finds_what_a_build_would_and_writes_nothing(fixture_project, template, old, new,
                                                           message):
    path = fixture_project / template
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    before = sorted(p for p in fixture_project.rglob("*"))
    code, printed = run(fixture_project, "check")
    assert code == 1 and message in printed and f"{template}:" in printed
    if message == "ZeroDivisionError":
        assert printed.count(message) == 1  # found by both editions, reported once
    assert sorted(p for p in fixture_project.rglob("*")) == before


@pytest.mark.parametrize("size", ["US Letter", "Letter", "letter"])
def test_a_named_page_size_in_any_case(fixture_project, tmp_path, size):
    from pypdf import PdfReader

    edition_file = fixture_project / "editions" / "mini.toml"
    edition_file.write_text(edition_file.read_text(encoding="utf-8")
                            + f'\n[page]\nsize = "{size}"\n', encoding="utf-8")
    out = tmp_path / "out"
    code, printed = run(fixture_project, "pdf", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    first = PdfReader(out / "mini" / "mini.pdf").pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (612, 792)


def epub_document_with(epub: Path, marker: str) -> str:
    """The XHTML of the EPUB's document that holds `marker`."""
    with zipfile.ZipFile(epub) as package:
        return next(text for name in package.namelist() if name.endswith(".xhtml")
                    and marker in (text := package.read(name).decode("utf-8")))


def test_a_date_of_publication_without_its_place_is_printed_not_called_unrecorded(
        fixture_dist):
    note = epub_document_with(fixture_dist / "mini" / "mini.epub", 'id="note-de"')
    source = note[note.index('id="note-de"'):].split("</dl>")[0]
    assert "Published: May\u00a02015." in source and "Not recorded" not in source


def test_the_glossary_gives_each_form_its_entry_has_whatever_the_language(fixture_project,
                                                                          tmp_path):
    glossary = fixture_project / "sources" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "pl: zjazd}", "pl: zjazd, uk: зʼїзд}"), encoding="utf-8")
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(tmp_path))
    assert code == 0, printed
    forms = epub_document_with(tmp_path / "mini" / "mini.epub", 'id="glossary"')
    forms = forms[forms.index('id="gloss-congress"'):].split("</dt>")[0]
    # The texts' languages in the book's order (gr, rs, pol, de), then the others.
    assert re.findall(r'<span lang="([a-z]+)"', forms) == ["el", "ru", "pl", "uk"]
