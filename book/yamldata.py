"""YAML for the editorial data: one parse, the line of every key, dates left as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .findings import Findings


class _Loader(yaml.SafeLoader):
    pass


# Dates stay text: the tool reads them itself, in the calendar the data names. (YAML's own
# reading would also stop on 1917-04-31 with a bare ValueError instead of a message.)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (for line numbers: node.start_mark.line + first_line)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(f"not valid YAML: {error.problem}",
                        mark.line + first_line if mark else None) from None
    except yaml.YAMLError as error:
        raise YamlError(f"not valid YAML: {error}", None) from None
    return data, node


def key_lines(node: yaml.Node | None, first_line: int = 1) -> dict[str, int]:
    """The line of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + first_line for k, _ in node.value}


def read_data_file(path: Path, findings: Findings, code: str) -> tuple[Any, yaml.Node | None]:
    """An editorial data file; (None, None), with the problem among the findings, if it is
    not valid YAML."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except YamlError as error:
        findings.error(code, str(error), path, error.line)
        return None, None
