"""Reading the data fast without reading it differently: libyaml parses, each data file once a
build, with the same lines and the same refusals; the bibliography formatted once for the
editions that share its entries, style and language."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from helpers import run

from book import bibliography, yamldata
from book.findings import Findings
from book.yamldata import YamlError, parse_yaml

FIXTURE = Path(__file__).resolve().parent / "fixture"
STYLE = Path(__file__).resolve().parent.parent / "templates" / "base" / "csl" / \
    "chicago-notes-bibliography.csl"


def test_libyaml_parses_where_pyyaml_has_it():
    assert (yamldata._FastLoader is not None) == yaml.__with_libyaml__


def nodes(node: yaml.Node):
    """Each node with its tag, value and marks, depth first."""
    yield node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from nodes(key)
            yield from nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from nodes(item)
    else:
        yield node.value


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURE / "sources").glob("*.yaml")))
def test_libyaml_gives_the_data_and_lines_pyyaml_gives(name):
    text = (FIXTURE / "sources" / name).read_text(encoding="utf-8")
    fast = yamldata._load(yamldata._FastLoader, text, 1)
    slow = yamldata._load(yamldata._Loader, text, 1)
    assert fast[0] == slow[0]
    assert list(nodes(fast[1])) == list(nodes(slow[1]))


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: &x [1]\nc: *x\n", 2, "anchor or alias"),
    ("a: 1\nb:\n  - !!python/object x\n", 3, "explicit tag"),
    ("a: 1\nb: 'it's'\n", 2, "the text goes on after a quoted value ends"),
    ("a: Note: when\n", 1, "holds a colon followed by a space"),
    ("a: 1\nb: \x07\n", 2, "U+0007"),
])
def test_refusals_keep_their_line_and_words(text, line, words):
    with pytest.raises(YamlError) as refused:
        parse_yaml(text, first_line=1)
    assert refused.value.line == line
    assert words in str(refused.value)


@pytest.mark.parametrize(("text", "hint"), [
    # The mark the value opens with is the one to keep out of it.
    ("a: 1\nb: 'it's'\n", "holds its own quotation mark (') goes in double quotes"),
    ('a: 1\nb: "John Reed, "Ten Days", p. 9"\n', "holds a double quotation mark goes in "
     "single quotes instead: 'John Reed, \"Ten Days\"'"),
    ('- a: 1\n- b: "x "y" z"\n', "holds a double quotation mark goes in single quotes"),
])
def test_a_value_closed_too_soon_is_told_the_other_quotes(text, hint):
    with pytest.raises(YamlError) as refused:
        parse_yaml(text, first_line=1)
    assert refused.value.line == 2 and hint in refused.value.hint, refused.value.hint


def test_each_data_file_is_parsed_once_a_build(fixture_project, tmp_path, monkeypatch):
    parsed: Counter[str] = Counter()
    load = yamldata._load

    def counted(loader, text, first_line):
        parsed[text] += 1
        return load(loader, text, first_line)

    monkeypatch.setattr(yamldata, "_load", counted)
    assert run(fixture_project, "epub", "--out", str(tmp_path / "out"))[0] == 0
    data = [p.read_text(encoding="utf-8") for p in (fixture_project / "sources").glob("*.yaml")]
    assert data and all(parsed[text] == 1 for text in data), [parsed[t] for t in data]
    assert set(parsed.values()) == {1}


def test_the_bibliography_is_formatted_once_per_entries_style_and_language(tmp_path,
                                                                           monkeypatch):
    entries = bibliography.load_bibliography(FIXTURE / "sources" / "bibliography.yaml",
                                             Findings())
    assert entries
    formatted: list[str] = []
    real = bibliography._format_works

    def counted(entries, style_path, language, locale_terms):
        formatted.append(language)
        return real(entries, style_path, language, locale_terms)

    monkeypatch.setattr(bibliography, "_format_works", counted)
    monkeypatch.setattr(bibliography, "_FORMATTED", {})
    first = bibliography.format_works(entries, STYLE, "en")
    assert bibliography.format_works(entries, STYLE, "en") == first
    assert formatted == ["en"]
    bibliography.format_works(entries, STYLE, "pl")
    assert formatted == ["en", "pl"]
    # A style edited (in a preview's process) is read again, though its path is the same.
    style = tmp_path / "style.csl"
    style.write_bytes(STYLE.read_bytes())
    bibliography.format_works(entries, style, "en")
    assert formatted == ["en", "pl"]
    style.write_bytes(STYLE.read_bytes().replace(b"</style>", b"<!-- edited --></style>"))
    bibliography.format_works(entries, style, "en")
    assert formatted == ["en", "pl", "en"]
