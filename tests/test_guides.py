"""The guides in docs/, followed step by step on a copy of the tests' own project: what a page
tells an editor to write is what this test writes, so the page and the tool agree."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from helpers import line_of, run

ROOT = Path(__file__).resolve().parent.parent


def steps(guide: str) -> list[tuple[str, str, str]]:
    """(what, path, content) for each "File `path`:" and "Append to `path`…:" block."""
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    found = re.findall(r"^(File|Append to) `([^`]+)`[^\n]*:\n\n```[a-z]*\n(.*?)```", text,
                       re.MULTILINE | re.DOTALL)
    assert found, f"{guide} shows no file to write"
    return found




def test_adding_a_text(fixture_project, tmp_path):
    guide = (ROOT / "docs" / "adding-a-text.md").read_text(encoding="utf-8")
    for what, name, content in steps("adding-a-text.md"):
        path = fixture_project / name
        if what == "File":
            path.write_text(content, encoding="utf-8")
        else:
            before = path.read_text(encoding="utf-8")
            path.write_text(before.rstrip("\n") + "\n" + content, encoding="utf-8")
    # Before step 5, the text is checked but no edition prints it: check says so, at its id.
    code, printed = run(fixture_project, "check", "--strict")
    assert code == 0, printed
    at = line_of(fixture_project, "sources/de-bericht.md", "id: bericht")
    assert f"sources/de-bericht.md:{at}: note: no edition prints the text 'bericht'" in printed
    # 5. Print it: the guide's line for the reader edition, here for the fixture's.
    assert 'texts = ["ru", "el", "pl", "bericht"]' in guide
    edition = fixture_project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'texts = ["gr", "rs", "pol", "de"]', 'texts = ["gr", "rs", "pol", "de", "bericht"]'),
        encoding="utf-8")
    assert "python build.py check --strict" in guide
    code, printed = run(fixture_project, "check", "--strict")
    assert code == 0 and "no edition prints" not in printed, printed
    out = tmp_path / "out"
    code, printed = run(fixture_project, "epub", "--edition", "mini", "--out", str(out))
    assert code == 0, printed
    with zipfile.ZipFile(out / "mini" / "mini.epub") as book:
        text = book.read("EPUB/text-bericht.xhtml").decode()
        bibliography = book.read("EPUB/bibliography.xhtml").decode()
        chronology = book.read("EPUB/chronology.xhtml").decode()
    # The chronology's anchors aside.
    words = re.sub(r'<span id="[\w-]+-q\d+">([^<]*)</span>', r"\1", text)
    assert 'lang="de"' in text and "Der Kongress trat am 25.\u00a0Oktober" in words
    # The note's citing words link to the entry, and the entry back to the note.
    assert 'href="bibliography.xhtml#bib-reed1919"' in text
    assert 'href="text-bericht.xhtml#bericht-n1"' in bibliography
    assert 'href="text-bericht.xhtml#bericht-1-q1"' in chronology


def test_adding_a_language(fixture_project, tmp_path):
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po, write_po

    guide = (ROOT / "docs" / "adding-a-language.md").read_text(encoding="utf-8")
    # The typography entry the page shows, for the fixture's German (its last entry): every
    # check below reads it.
    entry = re.search(r"```yaml\n(.*?)```", guide, re.DOTALL).group(1)
    typography = fixture_project / "sources" / "typography.yaml"
    content = typography.read_text(encoding="utf-8")
    typography.write_text(content[:content.index("\nde:\n") + 1] + entry, encoding="utf-8")
    # 1. Start the catalog, as the page's command does.
    command = ("pybabel init -i templates/locales/messages.pot -d templates/locales -w 100 "
               "-l de")
    assert command in guide
    locales = fixture_project / "templates" / "locales"
    CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(locales / "messages.pot"),
                                "-d", str(locales), "-w", "100", "-l", "de"])
    catalog_path = locales / "de" / "LC_MESSAGES" / "messages.po"
    # 2. Translate the strings (here: each marked as the German one, so that it shows).
    with catalog_path.open("rb") as po:
        catalog = read_po(po, locale="de")
    for message in catalog:
        if message.id:
            message.string = tuple(f"DE {i}" for i in message.id) \
                if isinstance(message.id, tuple) else f"DE {message.id}"
    with catalog_path.open("wb") as po:
        write_po(po, catalog)
    # A broken line is found before an edition is written in the language, as the page shows.
    shown = re.search(r"```text\n(templates/locales/de/\S+?):(\d+): (.*?)\n```", guide,
                      re.DOTALL)
    translated = catalog_path.read_text(encoding="utf-8")
    rows = translated.split("\n")
    line = next(n for n, row in enumerate(rows, 1) if row.startswith('msgstr "DE '))
    rows[line - 1] = rows[line - 1].replace('msgstr "', 'msgstr"', 1)
    catalog_path.write_text("\n".join(rows), encoding="utf-8")
    code, printed = run(fixture_project, "check", "--strict")
    assert code == 1 and f"{shown[1]}:{line}: {shown[3]}" in printed, printed
    catalog_path.write_text(translated, encoding="utf-8")
    # 3. An edition in the language: check lists every entry lacking a wording, at its line.
    edition = re.search(r"```toml\n(.*?)```", guide, re.DOTALL).group(1)
    assert 'language = "de"' in edition
    edition = edition.replace('texts = ["ru", "el", "pl"]', 'texts = ["gr", "rs", "pol", "de"]')
    (fixture_project / "editions" / "klasse.toml").write_text(
        edition + 'formats = ["epub"]\ndate = "2020-01-01"\n', encoding="utf-8")
    code, printed = run(fixture_project, "check")
    assert code == 1
    sources = fixture_project / "sources"
    # Each at the line where its wording goes: its entry's, or its field's (the first line
    # after the entry's that begins so).
    expected = {
        ("questions.yaml", "  - id: gr-q1", ""): "question gr-q1",
        ("questions.yaml", "  - id: de-q1", ""): "question de-q1",
        ("glossary.yaml", "- id: congress", "  gloss:"): "the gloss of glossary entry congress",
        ("chronology.yaml", "  - id: peace", "    label:"): "the label of event peace",
        ("gr-test.md", "  - en: A remark", ""): "remark 1 on the gr text",
    }
    for (name, entry, field), what in expected.items():
        lines = (sources / name).read_text(encoding="utf-8").split("\n")
        line = next(i for i, text in enumerate(lines, 1) if text.startswith(entry))
        line = next(i for i, text in enumerate(lines[line - 1:], line) if text.startswith(field))
        assert f"sources/{name}:{line}: {what} has no wording in 'de'" in printed, printed
    # 4. Write the wordings, under the language's tag beside the others.
    assert "de:" in guide
    for name, after, indent in (("questions.yaml", "    en: ", "    "),
                                ("chronology.yaml", "      en: ", "      "),
                                ("gr-test.md", "  - en: ", "    ")):
        path = sources / name
        text = re.sub(rf"^{re.escape(after)}.*$",
                      lambda m, indent=indent: m.group(0) + f"\n{indent}de: Deutsch",
                      path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    glossary = sources / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "forms: {en: congress,", "forms: {de: Kongress, en: congress,").replace(
        "    en: A meeting of delegates.",
        "    en: A meeting of delegates.\n    de: Eine Versammlung."), encoding="utf-8")
    code, printed = run(fixture_project, "check", "--strict")
    assert code == 0, printed
    out = tmp_path / "out"
    code, printed = run(fixture_project, "--edition", "klasse", "--out", str(out))
    assert code == 0, printed
    with zipfile.ZipFile(out / "klasse" / "klasse.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
        colophon = book.read("EPUB/colophon.xhtml").decode()
        glossary_xhtml = book.read("EPUB/glossary.xhtml").decode()
    assert "<dc:language>de</dc:language>" in opf
    assert "DE " in colophon and "Eine Versammlung." in glossary_xhtml
