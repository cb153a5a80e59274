"""`new-edition`: an edition in a folder of its own, with commented starting points."""

from __future__ import annotations

import re
from pathlib import Path

from .config import DEFAULT_SECTIONS
from .errors import ConfigError, did_you_mean
from .files import (
    EDITION_FILE,
    THEME_NAME,
    edition_files,
    edition_name,
    find_on_path,
    plain_name_problem,
    read_text,
)
from .limits import MAX_SOURCE_BYTES
from .output import write_text_atomically
from .render import template_search_path
from .teaching import KINDS

TITLE_PAGE = """\
{{#- The title page of {name}, in the PDF and the EPUB. It extends the title page of the
    theme and changes only the blocks you write below: title_extra adds lines under the
    class and the teacher; title_page would replace the whole page. Delete the comment marks
    around the block to use it. Names you can use: edition.title, edition.subtitle,
    edition.class_line, edition.teacher, edition.for_teacher (true in the teacher's copy),
    book.texts, lang, and the helpers of macros.html (m.title(text), m.byline(text)). -#}}
{{% extends "{theme}:parts/title_page.html" %}}
{{% import "macros.html" as m %}}
{{#
{{% block title_extra %}}
<p class="school">Lyceum No. 3, room 12</p>
{{% endblock %}}
#}}
"""

CUSTOM_CSS = """\
/* Styles of {name} only, for the PDF and the EPUB; they come after the theme's.
   Page size, type size and margins are set in edition.toml, under [page]; the accent colour
   and the heading size under [style], or here:
   :root {{ --accent: teal; --heading-size: 1.6rem; }}

.book-title {{ letter-spacing: 0.2em; }}
.questions li {{ margin-bottom: 1.5em; }}
*/
"""

QUESTIONS = """\
# The questions of {name} only, printed after each text, under the text's id ({texts}).
# The editors' shared questions in sources/questions.yaml come too, as [shared] in
# edition.toml says; no other edition prints these.
# A question has an id of its own, its wording by language, and, if you like:
#   about: the paragraphs it asks about, by id (the text's file gives each paragraph's id);
#   answer and notes: for the teacher's copy only;
#   lines: ruled lines for the answer in the student's copy.
# Delete the # at the start of the lines below to use the example.
#
# {text}:
#   - id: {name}-1
#     about: [{paragraph}]
#     {lang}: What does the author want the reader to think of the events told here?
#     answer:
#       {lang}: A sketch of the answer you expect, for your copy only.
#     notes:
#       {lang}: What to listen for in class, a follow-up question.
#     lines: 4
"""

GLOSSARY = """\
# The glossary entries of {name} only, beside the editors' shared ones in
# sources/glossary.yaml (as [shared] in edition.toml says). No other edition prints these.
# Delete the # at the start of the lines below to use the example.
#
# - id: {name}-soviet
#   kind: institution          # {kinds}
#   texts: [{text}]             # the texts that name it
#   forms:                     # its name in each language; en: always
#     {lang}: Soviet
#   gloss:                     # a line in each language, which may hold commas
#     {lang}: A council of workers’ and soldiers’ deputies, elected in factories and units.
"""

# Added to the edition file where the edition it starts from lacks them; an edition that
# prints no questions has no answers for a teacher's copy to add.
COPIES = """
# The copies the build makes: the student's, and the teacher's with the answers and your
# notes (its files end in -teacher).
copies = ["student", "teacher"]
"""
NO_COPIES = """
# With "questions" in its sections, the build can make a teacher's copy too, with the
# answers and your notes (its files end in -teacher):
# copies = ["student", "teacher"]
"""
ISBN_NOTE = "  # the ISBNs of the edition this one started from: give it its own, or none"
ANSWER_LINES = """
# Ruled lines under each question in the student's copy, to write the answer on; a
# question may give its own number, as `lines`.
[questions]
answer_lines = 3
"""
SHARED = """
# What this edition takes of the editors' shared questions and glossary (in sources/):
# true for all of them, false for none, or a list of ids such as ["ru-q1", "el-q2"].
# Its own are in questions.yaml and glossary.yaml, in this folder.
[shared]
{questions}
{glossary}
"""
# A part the sections leave out would print nowhere: its key is written commented.
UNPRINTED = '# {part} = true    # with "{part}" in sections'


def _commented(text: str, printed: bool) -> str:
    """`text`, each line commented where the edition does not print what it sets."""
    return text if printed else "\n".join(f"# {line}" if line and not line.startswith("#")
                                          else line for line in text.split("\n"))


def new_edition(project: Path, name: str, source: str) -> list[Path]:
    """Write editions/NAME/: its edition.toml, started from editions/SOURCE, its own questions
    and glossary, and its templates with commented starting points. Returns the files."""
    # The name is also the edition's folder's, and one an edition file may not have taken.
    if not THEME_NAME.fullmatch(name) or name in ("base", "locales"):
        raise ConfigError(f"{name!r} cannot name an edition",
                          hint="use at most 64 lower-case letters, digits and '-', e.g. "
                          "my-class")
    editions = project / "editions"
    names = {edition_name(p): p for p in edition_files(editions)}
    if plain_name_problem(source, "an edition to start from") or source not in names:
        raise ConfigError(f"no edition named {source!r} to start from"
                          + did_you_mean(source, sorted(names)),
                          hint="editions: " + ", ".join(sorted(names)))
    folder = editions / name
    for existing in (folder, editions / f"{name}.toml"):
        if existing.exists():
            raise ConfigError(f"{existing.relative_to(project)} already exists",
                              hint="choose another name, or edit the existing edition")
    source_file = names[source]
    text = read_text(source_file, source_file.parent, MAX_SOURCE_BYTES)
    theme = _value(text, "templates") or "base"
    text = _set(text, "filename", name)
    text = _without_isbns(text)
    if not re.search(r"^copies\s*=", text, re.MULTILINE):
        table = re.search(r"^\[", text, re.MULTILINE)
        at = table.start() if table else len(text)
        questions = "questions" in (_list(text, "sections") or DEFAULT_SECTIONS)
        text = text[:at].rstrip("\n") + "\n" + (COPIES if questions else NO_COPIES) + "\n" \
            + text[at:]
    sections = _list(text, "sections") or DEFAULT_SECTIONS
    shared = SHARED.format(**{part: f"{part} = true" if part in sections
                              else UNPRINTED.format(part=part)
                              for part in ("questions", "glossary")})
    for table, lines in (("questions", _commented(ANSWER_LINES, "questions" in sections)),
                         ("shared", shared)):
        if not re.search(rf"^\[{table}\]", text, re.MULTILINE):
            text = text.rstrip("\n") + "\n" + lines
    text = (f"# Edition {name}, started from {source_file.relative_to(project)}: change what "
            f"you like;\n# docs/reference.md explains every key. Its questions, glossary and "
            f"templates are in this\n# folder; its templates come before the {theme} "
            "theme's.\n" + text)
    texts = _list(text, "texts") or ["ru"]
    chain = template_search_path(project, theme)
    owner = next((p.name for p in chain if find_on_path("parts/title_page.html", [p])), "base")
    example = _example(project, texts[0])
    files = {
        folder / EDITION_FILE: text,
        folder / "questions.yaml": QUESTIONS.format(name=name, texts=", ".join(texts),
                                                    text=texts[0], **example),
        folder / "glossary.yaml": GLOSSARY.format(
            name=name, text=texts[0], lang=example["lang"],
            kinds=", ".join(KINDS[:-1]) + " or " + KINDS[-1]),
        folder / "templates" / "parts" / "title_page.html": TITLE_PAGE.format(name=name,
                                                                              theme=owner),
        folder / "templates" / "css" / "custom.css": CUSTOM_CSS.format(name=name),
    }
    for path, content in files.items():
        write_text_atomically(path, content)
    return list(files)


def _without_isbns(text: str) -> str:
    """`text` with its ISBNs turned into comments: they are the other edition's, and a new
    edition is a new book."""
    lines = text.splitlines(keepends=True)
    inside = False
    for number, line in enumerate(lines):
        header = re.match(r"[ \t]*\[[ \t]*([^\]]*?)[ \t]*\]", line)
        if header:
            inside = header.group(1) == "isbn"
        # [isbn], isbn = {…} or isbn.pdf = …
        if (inside or re.match(r"[ \t]*isbn[ \t]*[=.]", line)) and line.strip() and \
                not line.lstrip().startswith("#"):
            body = line.rstrip("\r\n")
            # The note before the line's own ending: a file written on Windows keeps \r\n.
            lines[number] = "# " + body + (ISBN_NOTE if header or not inside else "") \
                + line[len(body):]
    return "".join(lines)


def _example(project: Path, text_id: str) -> dict[str, str]:
    """A paragraph of the edition's first text, for the example; a made-up id if the texts
    cannot be read now (the build will say why)."""
    from .errors import BookError
    from .sources import load_texts

    try:
        text = load_texts(project / "sources").get(text_id)
    except BookError:
        text = None
    paragraph = text.paragraphs[0].id if text and text.paragraphs else f"{text_id}-1"
    return {"paragraph": paragraph, "lang": "en"}


def _list(text: str, key: str) -> list[str]:
    match = re.search(rf"^{key}\s*=\s*\[([^\]]*)\]", text, re.MULTILINE)
    return re.findall(r'"([^"]*)"', match.group(1)) if match else []


def _value(text: str, key: str) -> str | None:
    match = re.search(rf'^{key}\s*=\s*"([^"]*)"', text, re.MULTILINE)
    return match.group(1) if match else None


def _set(text: str, key: str, value: str) -> str:
    """Set a top-level string key, before the first [table] if it has to be added."""
    line = f'{key} = "{value}"'
    if re.search(rf"^{key}\s*=", text, re.MULTILINE):
        return re.sub(rf"^{key}\s*=.*$", line, text, count=1, flags=re.MULTILINE)
    table = re.search(r"^\[", text, re.MULTILINE)
    at = table.start() if table else len(text)
    return text[:at].rstrip("\n") + "\n" + line + "\n" + ("\n" + text[at:] if table else "")
