"""`new-edition`: an edition file and a template folder with commented starting points."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ConfigError
from .files import THEME_NAME, find_on_path, plain_name_problem, read_text
from .limits import MAX_SOURCE_BYTES
from .output import write_text_atomically
from .render import template_search_path

TITLE_PAGE = """\
{{#- The title page of {name}, in the PDF and the EPUB. It extends the title page of the
    theme and replaces only what you write in the block below. Delete the comment marks
    around the block to use it. Names you can use: edition.title, edition.subtitle,
    book.texts, lang, and the helpers of macros.html (m.title(text), m.byline(text)). -#}}
{{% extends "{theme}:parts/title_page.html" %}}
{{% import "macros.html" as m %}}
{{#
{{% block title_page %}}
<section class="title-page" id="title-page">
<h1 class="book-title">{{{{ edition.title }}}}</h1>
<p class="book-subtitle">Class 3B, spring term</p>
</section>
{{% endblock %}}
#}}
"""

CUSTOM_CSS = """\
/* Styles of {name} only, for the PDF and the EPUB; they come after the theme's.
   Page size, type size and margins are set in editions/{name}.toml, under [page]; the
   accent colour and the heading size under [style], or here:
   :root {{ --accent: teal; --heading-size: 1.6rem; }}

.book-title {{ letter-spacing: 0.2em; }}
.questions li {{ margin-bottom: 1.5em; }}
*/
"""


def new_edition(project: Path, name: str, source: str) -> list[Path]:
    """Write editions/NAME.toml and templates/NAME/; returns the files written."""
    # The name is also the edition's template folder's: a theme's name.
    if not THEME_NAME.fullmatch(name) or name in ("base", "locales"):
        raise ConfigError(f"{name!r} cannot name an edition",
                          hint="use at most 64 lower-case letters, digits and '-', e.g. "
                          "my-class")
    if plain_name_problem(source, "an edition to start from"):
        raise ConfigError(f"no edition named {source!r} to start from",
                          hint="name one of editions/, such as reader or classroom")
    edition = project / "editions" / f"{name}.toml"
    folder = project / "templates" / name
    for existing in (edition, folder):
        if existing.exists():
            raise ConfigError(f"{existing.relative_to(project)} already exists",
                              hint="choose another name, or edit the existing edition")
    source_file = project / "editions" / f"{source}.toml"
    if not source_file.exists():
        raise ConfigError(f"no edition named {source!r} to start from",
                          hint="editions: " + ", ".join(sorted(
                              p.stem for p in (project / "editions").glob("*.toml"))))
    text = read_text(source_file, project / "editions", MAX_SOURCE_BYTES)
    theme = _value(text, "templates") or "base"
    text = _set(_set(text, "templates", name), "filename", name)
    text = (f"# Edition {name}, started from editions/{source}.toml: change what you like.\n"
            f"# Its templates are in templates/{name}/, in front of the {theme} theme.\n" + text)
    chain = template_search_path(project, theme)
    owner = next((p.name for p in chain if find_on_path("parts/title_page.html", [p])), "base")
    files = {
        edition: text,
        folder / "theme.toml": f'# Templates of {name}: anything here shadows {theme}.\n'
                               f'extends = "{theme}"\n',
        folder / "parts" / "title_page.html": TITLE_PAGE.format(name=name, theme=owner),
        folder / "css" / "custom.css": CUSTOM_CSS.format(name=name),
    }
    for path, content in files.items():
        write_text_atomically(path, content)
    return list(files)


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
