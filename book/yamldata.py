"""YAML for the editorial data and the texts' headers: one reader, the line of every key, dates
left as text, and everything YAML could do that our data never needs refused with its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import SourceError
from .findings import Findings
from .limits import MAX_WORDING_CHARS, MAX_YAML_DEPTH
from .reading import BAD_CHARACTER, bad_character, read_source_file

NO_ALIASES = "write the value out in full; this data never needs anchors or aliases"


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None, hint: str | None = None):
        super().__init__(message)
        self.line = line
        self.hint = hint


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature our data does not use, refused where it is written."""

    def __init__(self, problem: str, mark, hint: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class _Guard:
    """Refuses aliases, anchors, explicit tags and deep nesting while a loader composes, so
    that nothing is expanded (a "billion laughs" file stops at its first alias)."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _Refused("an anchor or alias (&name, *name) is not allowed here",
                           event.start_mark, NO_ALIASES)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _Refused(f"the explicit tag {tag} is not allowed here", event.start_mark,
                           "remove the tag: values are text, numbers, lists and mappings")
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise _Refused(f"lists or mappings are nested more than {MAX_YAML_DEPTH} deep",
                               event.start_mark, "this data nests a few levels at most")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_Guard, yaml.SafeLoader):
    """The pure-Python loader: its words name a mistake (see _plain)."""


# Dates stay text: the tool reads them itself, in the calendar the data names. (YAML's own
# reading would also stop on 1917-04-31 with a bare ValueError instead of a message.)
_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the Python loader reads everything
    _FastLoader = None
else:
    class _FastLoader(_Guard, CParser, Composer, SafeConstructor, Resolver):  # type: ignore
        """libyaml's scanner and parser (six times faster here) under the Python composer,
        so that the guard sees every event and the marks are the same as _Loader's."""

        # CParser composes in C, past the guard: the Python composer's methods instead.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _RESOLVERS


def _load(loader_class, text: str, first_line: int) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node, first_line)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (for line numbers: node.start_mark.line + first_line)."""
    try:
        if _FastLoader is not None:
            try:
                return _load(_FastLoader, text, first_line)
            except _Refused:
                raise
            except yaml.YAMLError:
                pass  # libyaml words a mistake otherwise: read again for _plain's words
        return _load(_Loader, text, first_line)
    except _Refused as error:
        raise YamlError(error.problem, error.problem_mark.line + first_line, error.hint) from None
    except yaml.MarkedYAMLError as error:
        message, line, hint = _plain(error, text)
        raise YamlError(message, line + first_line if line is not None else None,
                        hint) from None
    except yaml.reader.ReaderError as error:
        # A literal control character: the reader gives its position, not its line.
        raise YamlError(f"the character U+{error.character:04X} is not allowed in YAML",
                        text.count("\n", 0, error.position) + first_line,
                        "remove it; it prints as nothing or as a box") from None
    except yaml.YAMLError as error:
        raise YamlError(f"not valid YAML: {error}", None) from None


# The indentation rule, for the messages of a line YAML reads as out of place.
INDENT_HINT = ("each key of an entry starts exactly below the one above it, indented with "
               "spaces only; a value with a colon followed by a space goes in double quotes")


def _plain(error: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None, str]:
    """PyYAML's parser words ("expected <block end>, but found '<block mapping start>'")
    said as a writer of the file sees the mistake, with the line it is on (from 0)."""
    problem, mark, context = error.problem or "", error.problem_mark, error.context_mark
    line = mark.line if mark else context.line if context else None
    written = text.split("\n")[line] if line is not None and line < len(text.split("\n")) \
        else ""
    if problem == "mapping values are not allowed here" and mark is not None:
        key = re.match(r"\s*(?:-\s+)?([^\s:#\"'][^:#]*?):\s+(.*)$", written)
        if key and mark.column > key.end(1):
            # "en: Note: when…": the second colon ends no key, it is in the value.
            value = key.group(2).rstrip().replace('"', '\\"')
            return (f"the value of '{key.group(1)}' holds a colon followed by a space, which "
                    "YAML reads as the start of another key",
                    line, f'put the value in double quotes: {key.group(1)}: "{value}"')
        return ("this line is indented as if it belonged to the line above",
                line, INDENT_HINT)
    if problem.startswith("expected <block end>"):
        if "'<scalar>'" in problem:
            # The mark the value opened with, which one of its own closed too soon.
            value = re.match(r"\s*(?:-\s+)?(?:[^\s:#\"'][^:#]*?:\s+)?([\"'])", written)
            if value and value.group(1) == '"':
                return ("the text goes on after a quoted value ends", line,
                        "a value that holds a double quotation mark goes in single quotes "
                        "instead: 'John Reed, \"Ten Days\"'")
            return ("the text goes on after a quoted value ends", line,
                    "a value that holds its own quotation mark (') goes in double quotes "
                    "instead: \"it's\"; or double the mark inside single quotes: 'it''s'")
        return ("this line is indented differently from the lines it belongs with", line,
                INDENT_HINT)
    if problem == "could not find expected ':'" and context is not None:
        return ("this line is neither 'key: value' nor a list item ('- …')", context.line,
                "add the colon after the key, or join the line to the value above it")
    if "found character '\\t'" in problem:
        return ("a tab indents this line", line, "indent with spaces only")
    if "cannot start any token" in problem:
        character = re.search(r"found character '(.+?)'", problem)
        sign = character.group(1) if character else "this character"
        return (f"a value cannot begin with {sign}", line,
                f'put the value in double quotes: "{sign}…"')
    if "quoted scalar" in (error.context or "") and context is not None:
        return ("a quotation mark opened here is never closed", context.line,
                "close the value with the same mark it opens with")
    if "flow sequence" in (error.context or "") and context is not None:
        return ("a list opened with '[' here is not closed with ']'", context.line,
                "write a list as [a, b, c] on one line, or quote a value holding a comma "
                "or a colon")
    if "flow mapping" in (error.context or "") and context is not None:
        return ("a mapping opened with '{' here is not closed with '}'", context.line,
                "write it as {key: value, key: value} on one line")
    return (f"the file does not read as YAML here ({problem})", line,
            "compare this line with the ones around it: its indentation, colons and quotes")


def _check_nodes(root: yaml.Node, first_line: int) -> None:
    """Refuse a key written twice in a mapping (YAML would keep the last silently) and a
    string holding a character that is not text."""
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            bad = BAD_CHARACTER.search(node.value)
            if bad:
                raise YamlError(f"the {bad_character(bad.group())} is not allowed in text",
                                node.start_mark.line + first_line,
                                "remove it, or the escape that writes it; it prints as "
                                "nothing, as a box, or turns the letters after it around")
        elif isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    raise YamlError("a merge key '<<' is not allowed here",
                                    key.start_mark.line + first_line, NO_ALIASES)
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        raise YamlError(f"the key {key.value!r} is given twice in this mapping",
                                        key.start_mark.line + first_line,
                                        "YAML would keep only the last: keep one")
                    seen.add((key.tag, key.value))
                pending += [key, value]
        else:
            pending += node.value


def value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of `key`'s value in a mapping node, or None."""
    return next((v for k, v in getattr(node, "value", ()) if getattr(k, "value", None) == key),
                None) if isinstance(node, yaml.MappingNode) else None


def node_line(node: yaml.Node | None, where: tuple[str | int, ...]) -> int | None:
    """The line of what `where` leads to from `node`, key by key and item by item: the line of
    the last key or item it finds (a key's own line, not its value's)."""
    at = None
    for step in where:
        if isinstance(step, int) and isinstance(node, yaml.SequenceNode) and \
                step < len(node.value):
            node = node.value[step]
            at = node.start_mark.line + 1
        elif isinstance(step, str) and isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            at, node = pair[0].start_mark.line + 1, pair[1]
        else:
            break
    return at


def key_lines(node: yaml.Node | None, first_line: int = 1) -> dict[str, int]:
    """The line of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + first_line for k, _ in node.value}


def read_data_file(path: Path, findings: Findings, code: str) -> tuple[Any, yaml.Node | None]:
    """An editorial data file; (None, None), with the problem among the findings, if it is
    missing, unreadable or not valid YAML. An empty file is no data: (None, None) too."""
    try:
        return parse_yaml(read_source_file(
            path, f"create {path.name}; an empty file means the project has none"))
    except SourceError as error:
        findings.error(code, error.message, path, error.line, error.hint)
    except YamlError as error:
        findings.error(code, str(error), path, error.line, error.hint)
    return None, None


# How messages name the types a value may have.
TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
              dict: "a mapping"}


def describe(value: Any) -> str:
    """What a YAML value is, in the words of a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, int):
        return "a number"
    for kind, name in TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def has_type(value: Any, *kinds: type) -> bool:
    """`value` is one of `kinds` (true and false are not whole numbers here)."""
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def type_problem(name: str, value: Any, *kinds: type) -> str | None:
    """Why `value` cannot stand as `name`, or None if it is one of `kinds`."""
    if has_type(value, *kinds):
        return None
    return (f"{name} must be {' or '.join(TYPE_NAMES[k] for k in kinds)}, "
            f"not {describe(value)}" + (NORWAY if isinstance(value, bool) and str in kinds
                                       else ""))


# YAML 1.1, which PyYAML reads, takes yes, no, on and off for true and false: Norway's
# language tag among them.
NORWAY = " (YAML reads yes, no, on and off as true or false: put the word in quotes, \"no\")"


def text_mapping_problem(name: str, value: Any) -> str | None:
    """Why `value` is not a mapping of language tags (en, de, pt-BR…) to text, or None."""
    from .languages import tag_problem

    if not isinstance(value, dict) or not value:
        return f"{name} must be a mapping of language tags (en, ru…) to text"
    for lang, words in value.items():
        if problem := tag_problem(lang):
            return f"{name}: {problem}"
        if not isinstance(words, str):
            return f"{name} in {lang!r} must be text, not {describe(words)}"
    return next(filter(None, (length_problem(f"{name} in {lang!r}", words)
                              for lang, words in value.items())), None)


def length_problem(name: str, words: str) -> str | None:
    """Why editorial `words` are too long to print as one, or none at all, or None."""
    if not words.strip():
        return f"{name} is empty: write its words, or leave the language out"
    if len(words) <= MAX_WORDING_CHARS:
        return None
    return (f"{name} is {len(words):,} characters long, more than the {MAX_WORDING_CHARS:,} "
            "one editorial wording may have (a printed page holds about 3,500)")
