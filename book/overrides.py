"""What a teacher's template folder holds that the build would silently ignore: a file that
shadows none of the theme's and that no template names (`title-page.html`), a block the
template it extends has no place for (`titlepage`), and text written outside the blocks of a
template that extends another. Jinja drops all three without a word. And an override that
replaces the whole of the theme's file where it meant to change a part of it: an empty one,
or one that forgot its {% extends %}."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import jinja2
from jinja2 import nodes

from .errors import BookError, TemplateError
from .files import MEDIA_TYPES, TemplateFolders, inside, read_text
from .findings import Finding
from .render import syntax_problem

TEMPLATES = (".html", ".xhtml")
# The files of a folder that the build reads by their names: templates, stylesheets, fonts,
# images. Anything else (a teacher's notes.txt) is not the build's business.
USED = (*TEMPLATES, *MEDIA_TYPES)
# The stylesheet an edition's own rules go in, after the theme's.
OWN_RULES = "css/custom.css"


def override_problems(env: jinja2.Environment, search_path: TemplateFolders
                      ) -> tuple[list[TemplateError], list[Finding]]:
    """The problems of every folder of the search path but the base, which is ours: errors,
    and warnings of pictures and fonts that no template uses and whose names are near none
    of the theme's (a file left over, not an override misnamed: nothing of the book changes)."""
    found: list[TemplateError] = []
    unused: list[Finding] = []
    folders = list(search_path)
    names = {folder: _files(folder) for folder in folders}
    # What each template and stylesheet says: a file any of them names is used.
    sources = {path: _source(path, search_path.root_of(path)) for folder in folders
               for path in names[folder].values() if path.suffix in (*TEMPLATES, ".css")}
    for index, folder in enumerate(folders[:-1]):
        below = {name for lower in folders[index + 1:] for name in names[lower]}
        themes = search_path.shown(folders[index + 1:])
        for name, path in sorted(names[folder].items()):
            if name not in below and not any(_names(text, name, path) for other, text
                                             in sources.items() if other != path):
                close = difflib.get_close_matches(name, sorted(below), n=1, cutoff=0.75)
                if path.suffix == ".css" and OWN_RULES in below:
                    close = [OWN_RULES]  # not theme.css, which would replace the theme's
                if not close and path.suffix not in (*TEMPLATES, ".css"):
                    unused.append(Finding(
                        "warning", "unused-file", f"{name} replaces no file of the theme, and "
                        "no template uses it: it is not in the book", path, None,
                        "delete it, or name it in a template (an <img src=\"…\"/> or a "
                        "stylesheet's url(…))"))
                    continue
                found.append(TemplateError(
                    f"{name} replaces no file of the theme, and no template uses it"
                    + (f" (did you mean {close[0]}?)" if close else ""), path, None,
                    (f"rename it {close[0]}" if close else "give it the name of the file it "
                     "should replace") + f"; the theme's files are in {themes}"))
            if path.suffix in TEMPLATES:
                found += _block_problems(env, folder.name, name, path,
                                         search_path.root_of(path))
                shadowed = next((lower for lower in folders[index + 1:]
                                 if name in names[lower]), None)
                if shadowed is not None:
                    unused += _replacement_warnings(env, f"{shadowed.name}:{name}", name, path,
                                                    search_path.root_of(path))
    return found, unused


def _names(text: str, name: str, path: Path) -> bool:
    """Whether a template or a stylesheet's `text` names the file `name` of a folder: a
    template or a stylesheet by its whole path there ("parts/title_page.html" is not
    "title_page.html" at the folder's top), a picture or a font by its file name (a
    stylesheet reaches it by a path of its own, "../fonts/…")."""
    if path.suffix not in (*TEMPLATES, ".css"):
        return Path(name).name in text
    return re.search(rf"(?<![\w./-]){re.escape(name)}", text) is not None


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix.lower() in USED and inside(p, folder)}


def _source(path: Path, root: Path) -> str:
    try:
        return read_text(path, root)
    except BookError:  # reported where the file is used
        return ""


def _block_problems(env: jinja2.Environment, theme: str, name: str, path: Path, root: Path
                    ) -> list[TemplateError]:
    try:
        tree = env.parse(_source(path, root), f"{theme}:{name}", str(path))
    except jinja2.TemplateSyntaxError as error:
        # Said now, before any edition is laid out, as rendering it would say it.
        return [syntax_problem(env, error, name)]
    extends = next((n for n in tree.body if isinstance(n, nodes.Extends)), None)
    if extends is None:
        return []
    found = []
    # Jinja renders a child template's blocks in its parent's places, and nothing else.
    for node in tree.body:
        if isinstance(node, nodes.Output) and _prints(node):
            found.append(TemplateError(
                "this is outside every {% block %}, in a template that extends another: it "
                "is never printed", path, node.lineno,
                "move it inside a {% block %} … {% endblock %}; a template that extends "
                "another prints only its blocks"))
    parent = extends.template.value if isinstance(extends.template, nodes.Const) else None
    if not isinstance(parent, str):
        return found
    available = _blocks_of(env, parent, set())
    if available is None:
        return found  # a parent that cannot be read is reported when rendered
    for block in (n for n in tree.body if isinstance(n, nodes.Block)):
        if block.name not in available:
            close = difflib.get_close_matches(block.name, sorted(available), n=1)
            found.append(TemplateError(
                f"{{% block {block.name} %}}: {parent} has no block of that name, so it is "
                "never printed" + (f" (did you mean {close[0]}?)" if close else ""), path,
                block.lineno, "the blocks of each template are listed in "
                f"docs/customizing.md; {parent} has: {', '.join(sorted(available))}"))
    return found


def _replacement_warnings(env: jinja2.Environment, theirs: str, name: str, path: Path,
                          root: Path) -> list[Finding]:
    """An override that replaces the whole of the theme's file where it meant to change a part
    of it: one that prints nothing (the title page gone), or one that writes the theme's
    blocks but extends nothing (the title page reduced to one of its lines)."""
    try:
        tree = env.parse(_source(path, root), name, str(path))
    except jinja2.TemplateSyntaxError:
        return []  # an error, said as rendering would say it
    if any(isinstance(node, nodes.Extends) for node in tree.body):
        return []
    hint = (f"to change a part of it, begin the file with {{% extends \"{theirs}\" %}} and "
            "write the blocks to change (docs/customizing.md); to have the theme's, delete "
            "this file")
    if not any(_prints(node) for node in tree.find_all(nodes.Output)) and not any(
            tree.find_all((nodes.Include, nodes.Call, nodes.Block, nodes.CallBlock))):
        return [Finding("warning", "override", f"{name} prints nothing: it replaces the "
                        f"theme's {name} with nothing", path, None, hint)]
    theirs_blocks = _blocks_of(env, theirs, set()) or set()
    block = next((b for b in tree.find_all(nodes.Block) if b.name in theirs_blocks), None)
    if block is not None:
        return [Finding("warning", "override", f"{{% block {block.name} %}} is a block of the "
                        f"theme's {name}, but this file extends nothing: it replaces the whole "
                        "of it, and the book prints only what this file writes", path,
                        block.lineno, hint)]
    return []


def _prints(node: nodes.Output) -> bool:
    """Whether an output prints more than the white space between tags."""
    return any(not isinstance(n, nodes.TemplateData) or n.data.strip() for n in node.nodes)


def _blocks_of(env: jinja2.Environment, name: str, seen: set[str]) -> set[str] | None:
    """Every block name template `name` and the templates it extends define."""
    if name in seen:
        return set()
    seen.add(name)
    try:
        source, filename, _ = env.loader.get_source(env, name)
        tree = env.parse(source, name, filename)
    except (jinja2.TemplateError, BookError):
        return None
    blocks = {b.name for b in tree.find_all(nodes.Block)}
    for extends in tree.find_all(nodes.Extends):
        if isinstance(extends.template, nodes.Const) and isinstance(extends.template.value, str):
            more = _blocks_of(env, extends.template.value, seen)
            if more is None:
                return None
            blocks |= more
    return blocks
