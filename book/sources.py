"""Stage 1: read the edited texts (Markdown with a YAML header) into the model."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import BookError, Problems, SourceError, did_you_mean
from .keys import Key
from .languages import canonical_tag, check_language_tag
from .limits import MAX_PARAGRAPH_CHARS, MAX_WORD_CHARS
from .model import Note, NoteCall, Paragraph, Removal, Section, Text
from .reading import BAD_CHARACTER, bad_character, read_source_file
from .spacing import regularise_text
from .typography import Typographies, typography_beside
from .yamldata import (
    YamlError,
    describe,
    key_lines,
    parse_yaml,
    text_mapping_problem,
    type_problem,
    value_node,
)

HEADER_KEYS = {
    "id": Key((str,), True, "the text's id, lower-case letters and digits, which its "
                    "anchors and the data files use"),
    "lang": Key((str,), True, "the language of the text, a BCP 47 tag such as 'el'"),
    "title": Key((str,), True, "the title, as the author gave it or as the editors made it"),
    "title_editorial": Key((bool,), True, "true if the editors made the title up"),
    "original": Key((str,), True, "the file the text was edited from, a path relative to "
                          "sources/ inside sources/originals/"),
    "author": Key((str,), False, "the author's name, as the text gives it"),
    "published_in": Key((str,), False, "where the text first appeared"),
    "published": Key((str, int), False, "when it first appeared: 2011, 2011-10 or "
                           "2011-10-05"),
    "reposted": Key((str, int), False, "when it was reposted, written as 'published'"),
    "removals": Key((list,), False, "words of the original left out: a list of "
                          "{kind, text}"),
    "remarks": Key((list,), False, "editorial remarks: a list of mappings of a language "
                         "code to text"),
}
REMOVAL_KINDS = ("chrome", "title", "imprint")
NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)
# A line that gives the block after it its id: {#ru-12}.
ID_LINE = re.compile(r"\{#([^}\s]*)\}")
# A call whose note is missing is left as literal text by the footnote plugin.
UNRESOLVED_CALL = re.compile(r"\[\^([^\]\s]+)\]")


# Inline HTML an editor may use in a source; anything else is refused with its line.
ALLOWED_TAGS = {"em", "i", "strong", "b", "sup", "sub", "span", "abbr", "br", "small"}
ALLOWED_ATTRIBUTES = {"lang", "title", "class"}
HTML_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^>]*)?)/?>$", re.DOTALL)
HTML_ATTRIBUTE = re.compile(r"""([^\s=/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")
LANG_ATTRIBUTE = re.compile(r"""\blang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    return md.use(footnote_plugin).use(attrs_block_plugin)


def html_problem(tag: str) -> str | None:
    """Why an inline HTML tag may not stand in a source, or None if it may."""
    match = HTML_TAG.match(tag.strip())
    if match is None:
        return f"{tag!r} is not a tag this tool reads (comments and the like are refused)"
    name = match.group(2).lower()
    if name not in ALLOWED_TAGS:
        return (f"the HTML tag <{name}> is not allowed in a source; allowed: "
                + ", ".join(sorted(ALLOWED_TAGS)))
    for attribute in HTML_ATTRIBUTE.findall(match.group(3)):
        if attribute.lower() not in ALLOWED_ATTRIBUTES:
            return (f"the attribute {attribute!r} of <{name}> is not allowed; allowed: "
                    + ", ".join(sorted(ALLOWED_ATTRIBUTES)))
    return None


def _balance(tag: str, open_tags: list[str]) -> str | None:
    """Track inline tags so that each is closed in the paragraph that opens it."""
    match = HTML_TAG.match(tag.strip())
    closing, name = match.group(1), match.group(2).lower()
    if name == "br":
        return None if tag.rstrip().endswith("/>") else "write <br/>, closed, not <br>"
    if not closing:
        open_tags.append(name)
        return None
    if not open_tags or open_tags[-1] != name:
        return f"</{name}> closes a tag that is not open"
    open_tags.pop()
    return None


def load_texts(sources_dir: Path, typography: Typographies | None = None) -> dict[str, Text]:
    """Every text under `sources_dir`, keyed by id; all problems are reported together.
    `typography` is that of the folder's typography file unless given."""
    problems = Problems()
    if typography is None:
        try:
            typography = typography_beside(sources_dir)
        except BookError as error:
            problems.add(error)
            typography = Typographies()
    paths = sorted(sources_dir.glob("*.md"))
    loaded: dict[Path, Text | BookError] = {}
    for path in paths:
        try:
            loaded[path] = load_text(path, typography)
        except BookError as error:
            loaded[path] = error
    # An id two texts give is said at each, and nothing else of them: the ids of a new text's
    # paragraphs, which take the text's, would be refused first, in the other text's name.
    ids = {path: text.id if isinstance(text, Text) else _header_id(path)[0]
           for path, text in loaded.items()}
    texts: dict[str, Text] = {}
    for path, text in loaded.items():
        twins = [other.name for other in paths if other != path and ids[path] is not None
                 and ids[other] == ids[path]]
        if twins:
            problems.add(SourceError(f"text id {ids[path]!r} is also the id of "
                                     + " and ".join(twins), path, _header_id(path)[1],
                                     "give each text its own id"))
        elif isinstance(text, BookError):
            problems.add(text)
        else:
            texts[text.id] = text
    problems.raise_if_any()
    return texts


def _header_id(path: Path) -> tuple[str | None, int]:
    """The id a text's header gives (None if it cannot be read: load_text says why), and the
    line of its id key."""
    try:
        header = split_front_matter(path, read_source_file(path))[0]
        meta, lines, _ = read_metadata(path, header)
    except SourceError:
        return None, 2
    return (meta["id"] if isinstance(meta.get("id"), str) else None), lines.get("id", 2)


def split_front_matter(path: Path, source: str) -> tuple[str, str, int]:
    """The YAML header, the Markdown body and the line on which the body starts."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            "the file must start with a '---' line opening its metadata header",
            path,
            1,
            "see any file in sources/ for the header's fields",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise SourceError("the metadata header is never closed", path, 1, "add a '---' line after it")


def read_metadata(path: Path, header: str) -> tuple[dict[str, Any], dict[str, int], Any]:
    """The header's values, the line of each key (header lines start at line 2), and its node
    tree (a node's line is its start_mark.line + 2)."""
    try:
        data, node = parse_yaml(header, first_line=2)
    except YamlError as error:
        raise SourceError(f"malformed metadata: {error}", path, error.line or 1,
                          error.hint or "in YAML, put a value holding ':', '[' or '{' in quotes"
                          ) from None
    if not isinstance(data, dict):
        raise SourceError("the metadata header must be a mapping of keys to values", path, 2)
    return data, key_lines(node, first_line=2), node


def load_text(path: Path, typography: Typographies | None = None) -> Text:
    """The text of `path`, its spacing regularised by the rules of its language in
    `typography` (by default, those of the typography file beside it)."""
    if typography is None:
        typography = typography_beside(path.parent)
    source = read_source_file(path)
    # A control character would reach titles and the EPUB's metadata, where ebooklib writes a
    # truncated file: refuse it here, where the editor can see it.
    for number, line in enumerate(source.split("\n"), start=1):
        bad = BAD_CHARACTER.search(line.removesuffix("\r"))
        if bad:
            raise SourceError(f"{bad_character(bad.group())} in the text", path, number,
                              "remove it; it prints as nothing, as a box, or turns the "
                              "letters after it around")
    header, body, body_line = split_front_matter(path, source)
    meta, lines, node = read_metadata(path, header)
    problems = Problems()

    def error(message: str, key: str | None = None, hint: str | None = None) -> None:
        problems.add(SourceError(message, path, lines.get(key, 2), hint))

    for key in sorted(set(meta) - set(HEADER_KEYS), key=str):
        error(f"unknown metadata key {key!r}" + did_you_mean(str(key), HEADER_KEYS), key,
              "allowed keys: " + ", ".join(sorted(HEADER_KEYS)))
    for key, declared in HEADER_KEYS.items():
        if meta.get(key) is None:
            meta.pop(key, None)  # an optional key left empty is a key not given
            if declared.required:
                error(f"missing metadata key {key!r}" if key not in lines
                      else f"the metadata key {key!r} has no value", key,
                      f"add '{key}: …' to the header: {declared.doc}")
            continue
        problem = type_problem(f"the metadata key {key!r}", meta[key], *declared.kinds) or (
            f"the metadata key {key!r} is empty"
            if isinstance(meta[key], str) and not meta[key].strip() else None)
        if problem:
            error(problem, key, f"{key}: {declared.doc}")
    problems.raise_if_any()

    text_id = meta["id"]
    if not re.fullmatch(r"[a-z][a-z0-9]*", text_id):
        error(f"text id {text_id!r} must be lower-case letters and digits", "id")
    lang_problem = check_language_tag(meta["lang"])
    if lang_problem:
        error(lang_problem, "lang", "use a BCP 47 tag such as 'el', 'ru' or 'pl'")
    for key in ("published", "reposted"):
        if key in meta and not _is_date(str(meta[key])):
            error(f"{key} {meta[key]!r} is not a date", key, f"{key}: {HEADER_KEYS[key].doc}")
    original, original_problem = resolve_original(path, meta["original"])
    if original_problem:
        error(original_problem, "original", "copy the original into sources/originals/ and "
              "write 'original: originals/NAME.txt'")
    removals = []
    item_nodes = getattr(value_node(node, "removals"), "value", [])
    for item, item_node in zip(meta.get("removals", []), item_nodes, strict=True):
        # Each at its own line: the item's, or its key's.
        at = {"": item_node.start_mark.line + 2, **key_lines(item_node, first_line=2)}

        def wrong(message: str, key: str = "", hint: str | None = None,
                  at: dict[str, int] = at) -> None:
            problems.add(SourceError(message, path, at.get(key, at[""]), hint))

        if not isinstance(item, dict) or set(item) != {"kind", "text"}:
            wrong("each removal needs exactly 'kind' and 'text'")
        elif item["kind"] not in REMOVAL_KINDS:
            wrong(f"unknown removal kind {item['kind']!r}", "kind",
                  "use one of: " + ", ".join(REMOVAL_KINDS))
        elif not isinstance(item["text"], str):
            wrong(f"a removal's text must be text, not {describe(item['text'])}", "text")
        else:
            removals.append(Removal(item["kind"], item["text"], at.get("text", at[""])))
    remarks = meta.get("remarks", [])
    for remark in remarks:
        problem = text_mapping_problem("each remark", remark)
        if problem:
            error(problem, "remarks", HEADER_KEYS["remarks"].doc)
    problems.raise_if_any()

    sections, notes = parse_body(path, text_id, body, body_line)
    if not any(section.paragraphs for section in sections):
        raise SourceError("the text has no paragraph: only its header", path, body_line,
                          f"write the author's text after the header's '---' line, each "
                          f"paragraph after its id line ({{#{text_id}-1}})")
    lang = canonical_tag(meta["lang"])  # 'UK' is 'uk', as the typography file keys it
    rules = typography.rules_for(lang).spacing
    sections, notes, spacing = regularise_text(sections, notes, lang, rules)
    return Text(
        id=text_id,
        lang=lang,
        title=meta["title"],
        title_editorial=meta["title_editorial"],
        author=meta.get("author"),
        source=path,
        original=original,
        published_in=meta.get("published_in"),
        published=_date_string(meta.get("published")),
        reposted=_date_string(meta.get("reposted")),
        removals=tuple(removals),
        remarks=tuple(remarks),
        sections=tuple(sections),
        notes=tuple(notes),
        spacing=tuple(spacing),
        spacing_rules=rules,
    )


def resolve_original(path: Path, value: str) -> tuple[Path, str | None]:
    """The original a header names, and why it may not be read (or None). Only a regular file
    inside sources/originals/ may be: `check` quotes the original in its messages, and those
    land in CI logs."""
    folder = (path.parent / "originals").resolve()
    named = Path(value)
    if named.is_absolute() or ".." in named.parts or not value.strip():
        return folder, (f"the original {value!r} must be a path relative to sources/, inside "
                        "sources/originals/")
    try:
        original = (path.parent / named).resolve()
        regular = original.is_file()
    except OSError as error:  # a name too long, a loop of links
        return folder, f"the original {value!r} cannot be read: {error.strerror}"
    if not original.is_relative_to(folder):
        return folder, f"the original {value!r} is not inside sources/originals/"
    if not regular:
        return folder, f"the original {value!r} does not exist or is not a regular file"
    return original, None


def _is_date(written: str) -> bool:
    """Whether `written` is a year, a month or a day of the calendar: 2011, 2011-10,
    2011-10-25; not 2016-13 nor 2016-02-30, which the notes on the texts could not print."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", written)
    if match is None:
        return False
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _date_string(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_body(
    path: Path, text_id: str, body: str, first_line: int
) -> tuple[list[Section], list[Note]]:
    long_block = _overlong_block(body)
    if long_block is not None:
        number, length = long_block
        raise SourceError(f"a paragraph of {length:,} characters, more than the "
                          f"{MAX_PARAGRAPH_CHARS:,} a text's paragraph may have",
                          path, first_line + number,
                          "split it where the author did, or check for text pasted by mistake")
    long_word = re.search(rf"\S{{{MAX_WORD_CHARS + 1},}}", body)
    if long_word is not None:
        raise SourceError(f"a word of {len(long_word[0]):,} characters with no space in it, "
                          f"more than the {MAX_WORD_CHARS} a line could hold",
                          path, first_line + body.count("\n", 0, long_word.start()),
                          "put the spaces where the author did, or check for text pasted by "
                          "mistake")
    md = markdown()
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    problems = Problems()

    def line_of(token: Token) -> int:
        return first_line + (token.map[0] if token.map else 0)

    sections: list[Section] = []
    section_id: str | None = None
    section_title: Markup | None = None
    section_line: int | None = None
    paragraphs: list[Paragraph] = []
    notes: list[Note] = []
    seen_ids: dict[str, int] = {}  # each id, and the line it was first given at
    named_lines: set[int] = set()  # the lines of the ids given to a block
    in_note: str | None = None
    note_parts: list[str] = []
    note_line = 0

    def close_section() -> None:
        if paragraphs or section_title is not None:
            sections.append(Section(section_id, section_title, tuple(paragraphs),
                                    section_line))

    # The next number no id of each kind uses yet ("" paragraphs, "s" sections), for the hint
    # of a block without one; looked for only then.
    free: dict[str, int] = {}

    def free_id(kind: str) -> str:
        """An id of `kind` that no block of the text has, each asked for a new one."""
        if kind not in free:
            free[kind] = 1 + max([int(n) for k, n in re.findall(
                rf"\{{#{re.escape(text_id)}-(s?)(\d+)\}}", body) if k == kind], default=0)
        free[kind] += 1
        return f"{text_id}-{kind}{free[kind] - 1}"

    def check_id(token: Token, pattern: str, example: str) -> str | None:
        anchor = token.attrs.get("id")
        if anchor is None:
            paragraph = token.tag == "p"
            kind = "" if paragraph else "s"
            problems.add(
                SourceError(
                    f"{'a paragraph' if paragraph else 'a section heading'} has no id",
                    path,
                    line_of(token),
                    f"put a line '{{#{free_id(kind)}}}' before it: a number no other of the "
                    "text's ids uses; the others keep theirs, which the citations, questions "
                    "and chronology name",
                )
            )
            return None
        anchor = str(anchor)
        id_line = line_of(token) - 1  # the '{#…}' line stands just before its block
        if not re.fullmatch(pattern, anchor):
            problems.add(SourceError(f"id {anchor!r} does not have the form {example!r}", path,
                                     id_line))
        if anchor in seen_ids:
            kind = "" if token.tag == "p" else "s"
            problems.add(SourceError(
                f"id {anchor!r} is used twice: first at line {seen_ids[anchor]}", path, id_line,
                f"give this block a number no other of the text's ids uses, such as "
                f"'{{#{free_id(kind)}}}'; the first keeps its own, which the citations, "
                "questions and chronology may name"))
        seen_ids.setdefault(anchor, id_line)
        named_lines.add(id_line)
        return anchor

    in_note_or_heading = False
    for token in tokens:
        open_tags: list[str] = []
        if token.type in ("footnote_open", "heading_open"):
            in_note_or_heading = True
        elif token.type in ("footnote_close", "heading_close"):
            in_note_or_heading = False
        for child in token.children or []:
            if child.type == "image":
                problems.add(SourceError("an image cannot stand in an author's text", path,
                                         line_of(token), "texts hold '## ' headings and "
                                         "paragraphs only; an edition's images belong in its "
                                         "templates"))
            if child.type == "footnote_ref" and in_note_or_heading:
                problems.add(SourceError(f"the note call [^{child.meta['label']}] stands in "
                                         "a heading or a note, where no note can be called",
                                         path, line_of(token), "move it into a paragraph of "
                                         "the text; a note cannot have notes"))
            if child.type != "html_inline":
                continue
            problem = html_problem(child.content)
            if problem is None:
                problem = _balance(child.content, open_tags)
            if problem is None:
                problem = next(filter(None, (check_language_tag("".join(tag)) for tag in
                                             LANG_ATTRIBUTE.findall(child.content))), None)
            if problem:
                problems.add(SourceError(problem, path, line_of(token)))
            # XHTML wants the language in both attributes, as the templates write it.
            child.content = re.sub(r'\blang="([^"]*)"', r'lang="\1" xml:lang="\1"',
                                   child.content)
        if open_tags:
            problems.add(SourceError(f"<{open_tags[-1]}> is never closed", path,
                                     line_of(token), f"close it with </{open_tags[-1]}>"))
        if token.type == "html_block":
            problems.add(SourceError("raw HTML blocks are not allowed in a source", path,
                                     line_of(token), "only inline tags are: "
                                     + ", ".join(sorted(ALLOWED_TAGS))))

    for index, token in enumerate(tokens):
        if token.type == "footnote_open":
            in_note, note_parts, note_line = token.meta["label"], [], 0
        elif token.type == "footnote_close":
            notes.append(Note(in_note, Markup(" ".join(note_parts)), note_line))
            in_note = None
        elif in_note is not None:
            if token.type == "inline":
                note_line = note_line or line_of(token)
                note_parts.append(render_inline(md, token.children, env))
        elif token.type == "heading_open":
            if token.tag != "h2":
                problems.add(
                    SourceError(
                        f"only '## ' section headings belong in a text, not {token.markup!r}",
                        path,
                        line_of(token),
                        "the text's title goes in the header's 'title' key",
                    )
                )
            close_section()
            section_line = line_of(token)
            section_id = check_id(token, rf"{text_id}-s\d+", f"{text_id}-s1")
            section_title = Markup(render_inline(md, tokens[index + 1].children, env))
            paragraphs = []
        elif token.type == "paragraph_open":
            anchor = check_id(token, rf"{text_id}-\d+", f"{text_id}-1")
            inline = tokens[index + 1]
            parts = split_note_calls(md, inline.children, env)
            for part in parts:
                if isinstance(part, Markup):
                    for label in UNRESOLVED_CALL.findall(part):
                        problems.add(
                            SourceError(
                                f"note call [^{label}] has no note",
                                path,
                                line_of(token),
                                f"add a line '[^{label}]: …' at the end of the text",
                            )
                        )
            paragraphs.append(Paragraph(anchor or "", tuple(parts), line_of(token)))
        elif token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open",
                            "fence", "code_block", "hr", "table_open"):
            problems.add(
                SourceError(
                    f"a {token.type.removesuffix('_open')} cannot stand in an author's text",
                    path,
                    line_of(token),
                    "texts hold '## ' headings and paragraphs only",
                )
            )
    close_section()

    body_lines = body.split("\n")
    # An id line names the block on the line after it. One followed by another id line, by
    # the notes or by nothing would name no block, or lend its number to the next one.
    for number, line in enumerate(body_lines):
        stray = ID_LINE.fullmatch(line.strip())
        if stray and first_line + number not in named_lines:
            problems.add(SourceError(
                f"the id line {{#{stray[1]}}} stands before no paragraph or section heading",
                path, first_line + number, "write its paragraph on the next line, with no "
                "blank line between, or delete the id line"))
    definitions = Counter()
    empty = {note.label for note in notes if not note.line}  # no words: no line of its own
    for number, line in enumerate(body_lines):
        for label in NOTE_DEFINITION.findall(line):
            definitions[label] += 1
            if label in empty and definitions[label] == 1:
                problems.add(SourceError(f"note [^{label}] has no words", path,
                                         first_line + number, f"write the author's note after "
                                         f"'[^{label}]: ', or delete the note and its call"))
            if definitions[label] == 2:
                problems.add(
                    SourceError(f"note [^{label}] is defined twice", path, first_line + number)
                )
            if env.get("footnotes", {}).get("refs", {}).get(f":{label}") == -1:
                problems.add(
                    SourceError(
                        f"note [^{label}] is never called in the text",
                        path,
                        first_line + number,
                        f"add the call [^{label}] where the author placed it, or remove the note",
                    )
                )
    problems.raise_if_any()
    notes.sort(key=lambda note: note.line)
    return sections, notes


def _overlong_block(body: str) -> tuple[int, int] | None:
    """(line from 0, length) of the first run of non-blank lines longer than a paragraph may
    be, found before parsing: later stages take minutes over a paragraph of millions."""
    start, length = 0, 0
    for number, line in enumerate(body.split("\n")):
        # The paragraph starts after its blank line and its attribute line ({#gr-1}).
        if not line.strip() or (length == 0 and re.fullmatch(r"\s*\{[^}]*\}\s*", line)):
            start, length = number + 1, 0
            continue
        length += len(line) + 1
        if length > MAX_PARAGRAPH_CHARS:
            return start, length
    return None


def render_inline(md: MarkdownIt, children: list[Token] | None, env: dict) -> str:
    return md.renderer.renderInline(children or [], md.options, env)


def split_note_calls(
    md: MarkdownIt, children: list[Token] | None, env: dict
) -> list[Markup | NoteCall]:
    """A paragraph's inline content, cut at each note call so each writer can draw its own."""
    parts: list[Markup | NoteCall] = []
    run: list[Token] = []
    for child in children or []:
        if child.type == "footnote_ref":
            if run:
                parts.append(Markup(render_inline(md, run, env)))
                run = []
            parts.append(NoteCall(child.meta["label"]))
        else:
            run.append(child)
    if run:
        parts.append(Markup(render_inline(md, run, env)))
    return parts
