"""The one file policy: which files a build may read, and how a name becomes a path.

Templates come from teachers, and a template folder can hold a symbolic link or name a folder
to extend: every file a build reads from the templates (Jinja's templates, the stylesheets,
fonts and images WeasyPrint fetches, the files the EPUB packages, the CSL styles and locales,
the catalogs) is found here, by its real path, inside the project's `templates/` folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .errors import ConfigError, Problems
from .keys import Key
from .limits import MAX_RESOURCE_BYTES, MAX_SOURCE_BYTES

# The media type of each kind of file the templates may hold: EPUB 3's core media types, which
# every reading system shows (the EPUB packages no other), and which WeasyPrint reads.
MEDIA_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
# Edition names, output file names: one plain name, never a path ('..', 'a/b', '.hidden').
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# A theme.toml's one key.
THEME_KEYS = {"extends": Key((str,), False, "the theme this one extends: the name of a folder "
                             "under templates/", '"base"')}
# Theme names, as `templates` in an edition and `extends` in a theme.toml.
THEME_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


# The file of an edition in a folder of its own: editions/NAME/edition.toml.
EDITION_FILE = "edition.toml"


def edition_name(path: Path) -> str:
    """An edition's name: its folder's (editions/NAME/edition.toml) or its file's."""
    return path.parent.name if path.name == EDITION_FILE else path.stem


def edition_files(editions_dir: Path) -> list[Path]:
    """editions/NAME.toml and editions/NAME/edition.toml, by name; a folder with no edition
    file, or two editions of one name, is refused."""
    files: dict[str, Path] = {}
    problems = Problems()
    entries = sorted(editions_dir.iterdir()) if editions_dir.is_dir() else []
    for entry in entries:
        if entry.is_dir() and entry.name.startswith("."):
            continue  # a version control's or an editor's folder
        if entry.is_dir():
            path = entry / EDITION_FILE
            if not path.is_file():
                problems.add(ConfigError(
                    f"the folder editions/{entry.name}/ holds no {EDITION_FILE}", entry,
                    hint=f"an edition in a folder of its own has its keys in "
                    f"editions/{entry.name}/{EDITION_FILE}: move the edition file there, or "
                    "remove the folder; `python build.py new-edition NAME` starts one"))
                continue
        elif entry.suffix == ".toml":
            path = entry
        else:
            continue
        name = edition_name(path)
        if name in files:
            problems.add(ConfigError(
                f"two editions are named {name!r}: this one and "
                f"{files[name].relative_to(editions_dir.parent)}", path,
                hint="keep one of them, or rename the other"))
            continue
        files[name] = path
    problems.raise_if_any()
    return list(files.values())


def plain_name_problem(name: str, what: str) -> str | None:
    """Why `name` cannot name `what` (a file of its own in one folder), or None."""
    if not PLAIN_NAME.fullmatch(name) or ".." in name:
        return (f"{what} {name!r} must be a plain name of at most 100 letters, digits, '.', "
                "'_' and '-', starting with a letter or digit")
    return None


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, symbolic links resolved, is `root` or below it. A link that leads back
    to itself stays where it stands (Path.resolve would raise)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def links_leading_out(folder: Path) -> list[Path]:
    """The symbolic links under `folder` that lead out of it, or nowhere: refused wherever
    they stand, read or not (a build reads the project's folders, nothing else)."""
    return sorted(p for p in folder.rglob("*") if p.is_symlink()
                  and not (p.exists() and inside(p, folder)))


def relative_name(name: str) -> str | None:
    """`name` as a relative path inside a folder ('css/a.css'), or None if it could leave it
    ('/etc/passwd', '../x', 'a/../../x', 'C:x')."""
    if not name or "\\" in name or "\x00" in name:
        return None
    path = PurePosixPath(name)
    if not path.parts or path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return None
    return path.as_posix()


class TemplateFolders:
    """The folders searched for templates and their files, first match wins: an edition's
    own folder, then the theme it extends (its theme.toml says which), and so on to the base.

    Each folder and every file found in it resolves inside the project's templates/ folder;
    a symbolic link that leaves it is refused, wherever it stands."""

    def __init__(self, templates_root: Path, folders: list[Path], own: Path | None = None):
        self.root = templates_root.resolve()
        # An edition's own templates (editions/NAME/templates/), searched first, stay inside
        # its folder as a theme's stay inside templates/.
        self.own = own
        self.folders = [own, *folders] if own else folders
        for folder in folders:
            if not folder.resolve().is_relative_to(self.root):
                raise ConfigError(f"the template folder templates/{folder.name} is a link to a "
                                  "folder outside templates/", folder,
                                  hint="make it a real folder under templates/")
        if own and not own.resolve().is_relative_to(own.parent.resolve()):
            raise ConfigError("the edition's templates folder is a link to a folder outside "
                              "the edition's folder", own, hint="make it a real folder there")

    def shown(self, folders: list[Path] | None = None) -> str:
        """The folders as the project names them: "editions/myc/templates/, templates/base/"."""
        project = self.root.parent
        return ", ".join(f"{f.resolve().relative_to(project).as_posix()}/"
                         if f.resolve().is_relative_to(project) else f"{f.name}/"
                         for f in (self.folders if folders is None else folders))

    def root_of(self, path: Path) -> Path:
        """The folder a file found on this path must stay inside: the edition's folder for its
        own templates, else templates/."""
        own = self.own.resolve() if self.own else None
        return own if own and path.resolve().is_relative_to(own) else self.root

    @classmethod
    def for_theme(cls, project: Path, theme: str = "base", own: Path | None = None
                  ) -> TemplateFolders:
        templates = project / "templates"
        chain: list[Path] = []
        where: Path | None = None  # the theme.toml that named `theme`
        while True:
            if not THEME_NAME.fullmatch(theme) or theme == "locales":
                raise ConfigError(f"{theme!r} is not the name of a template folder", where,
                                  hint="name a folder directly under templates/, such as "
                                  "'base' or 'classroom'")
            path = templates / theme
            if path in chain:
                raise ConfigError("template folders extend each other in a circle: "
                                  + " -> ".join(p.name for p in [*chain, path]),
                                  path / "theme.toml")
            if not path.is_dir():
                raise ConfigError(f"no template folder templates/{theme}", where)
            chain.append(path)
            if theme == "base":
                return cls(templates, chain, own if own and own.is_dir() else None)
            where = path / "theme.toml"
            theme = _extends(where, templates)

    def __iter__(self):
        return iter(self.folders)

    def __getitem__(self, index: int) -> Path:
        return self.folders[index]

    def named(self, theme: str) -> TemplateFolders:
        """Only the folder of `theme` ("classroom:pdf/book.html" names a theme's own file; an
        edition's own templates are no theme)."""
        return TemplateFolders(self.root, [f for f in self.folders
                                           if f.name == theme and f != self.own])

    def find(self, name: str) -> Path | None:
        return find_on_path(name, self.folders)



def find_on_path(name: str, folders) -> Path | None:
    """The first regular file `name` in one of `folders`, by its real path; None if there is
    none, or if the name or a link would lead outside its folder."""
    relative = relative_name(name)
    if relative is None:
        return None
    for folder in folders:
        root = folder.resolve()
        try:
            candidate = (root / relative).resolve()
            if not candidate.is_relative_to(root):
                if (root / relative).exists():
                    raise ConfigError(f"{folder.name}/{relative} is a link that leads out of "
                                      "its template folder", folder / relative,
                                      hint="replace the link by a copy of the file")
                continue
            if candidate.is_file():
                return candidate
        except OSError:  # a name too long, a loop of links: no such file
            continue
    return None


def _extends(theme: Path, templates: Path) -> str:
    if not theme.exists():
        return "base"
    data = read_toml(theme, templates, "a theme.toml holds one line: extends = \"base\"")
    unknown = set(data) - set(THEME_KEYS)
    if unknown or not isinstance(data.get("extends", "base"), str):
        raise ConfigError(f"a theme.toml holds only 'extends = \"FOLDER\"' "
                          f"(found {', '.join(sorted(unknown)) or 'a non-text extends'})", theme)
    return data.get("extends", "base")


def read_toml(path: Path, root: Path, hint: str) -> dict:
    """A TOML file under the policy; a syntax error at its line."""
    return parse_toml(read_text(path, root, MAX_SOURCE_BYTES), path, hint)


def parse_toml(text: str, path: Path, hint: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        message, plain_hint = _toml_in_words(str(error))
        number = int(line.group(1)) if line else None
        written = text.split("\n")[number - 1] if number and number <= text.count("\n") + 1 \
            else ""
        if "Invalid value" in str(error):
            plain_hint = _value_hint(written) or plain_hint
        listed = re.match(r"\s*([\w.-]+)\s*=\s*(\"[^\"]*\"(?:\s*,\s*\"[^\"]*\")+)\s*$",
                          written)
        if listed and "after a statement" in str(error):
            message = "a list of values is written in brackets"
            plain_hint = f"write {listed[1]} = [{listed[2]}]"
        raise ConfigError(message, path, number, plain_hint or hint) from None


# What a value TOML cannot read was meant to be, as written on its line.
YES_NO = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false",
          "off": "false"}
CURLY_QUOTES = "“”„‟‘’‚‛«»"


def _value_hint(written: str) -> str | None:
    """How to write the value of the line `written`, which TOML could not read: `True`
    (Python's, YAML's) in lower case, yes and no as true and false, a word processor's
    quotation marks as straight ones, text in quotes."""
    found = re.match(r"\s*([\w.-]+)\s*=\s*(.*?)\s*(#.*)?$", written)
    if found is None or not found[2]:
        return None
    key, value = found[1], found[2]
    if value.lower() in ("true", "false"):
        return f"write {value.lower()} in lower case, without quotes"
    if value.lower() in YES_NO:
        return f"write true or false: {key} = {YES_NO[value.lower()]}"
    if value[0] in CURLY_QUOTES:
        return f"write straight quotes, not a word processor's: {key} = " \
               f"\"{value.strip(CURLY_QUOTES)}\""
    return f"put text in quotes: {key} = \"{value}\""


# tomllib's messages, in the words of someone editing the file, with what to do.
TOML_MISTAKES = (
    (r"Cannot declare \('([^']+)',?.*\) twice", "the table [{0}] is there twice",
     "write its keys under the first [{0}] and delete this one"),
    (r"Illegal character '\\n'", "a text value is not closed on its line",
     'end it with the same quote it starts with: title = "1917"'),
    (r"Cannot overwrite a value", "this key is given twice", "keep one of the two lines"),
    (r"Invalid value", "this value is neither text in quotes, a number, true or false, nor "
     "a list", 'put text in quotes: size = "A5"'),
    (r"Expected ']' at the end of a table", "a table's name is not closed with ]",
     "write it as [page]"),
)


def _toml_in_words(error: str) -> tuple[str, str | None]:
    detail = re.sub(r" \(at line \d+, column \d+\)$", "", error)
    for pattern, message, hint in TOML_MISTAKES:
        found = re.match(pattern, detail)
        if found:
            return message.format(*found.groups()), hint.format(*found.groups())
    return f"not valid TOML: {detail}", None


def read_bytes(path: Path, root: Path, limit: int = MAX_RESOURCE_BYTES) -> bytes:
    """A regular file inside `root` (real paths), refused by its size before it is read."""
    if not inside(path, root):
        raise ConfigError(f"{path.name} is a link that leads out of {root.name}/", path,
                          hint="replace the link by a copy of the file")
    if not path.resolve().is_file():
        raise ConfigError(f"{path.name} is not a file", path,
                          hint="it may be missing, or a folder")
    try:
        size = path.stat().st_size
        if size > limit:
            raise ConfigError(f"{path.name} is {size:,} bytes, more than a book needs "
                              f"(at most {limit:,})", path)
        return path.read_bytes()
    except OSError as error:  # its permissions, or a disk that fails
        raise ConfigError(f"{path.name} cannot be read: {error.strerror}", path,
                          hint="give the files of the project to the user who builds it "
                          "(chmod u+r)") from None


def read_text(path: Path, root: Path, limit: int = MAX_RESOURCE_BYTES) -> str:
    """As read_bytes, decoded as UTF-8 (decoded)."""
    return decoded(read_bytes(path, root, limit), path)


def decoded(data: bytes, path: Path,
            kind: Callable[[str, Path, int, str], Exception] = ConfigError) -> str:
    """`data`, read from `path`, decoded as UTF-8 (a byte-order mark, which some editors put
    first, dropped); a bad byte is a `kind` of error (made from its message, path, line and
    hint) at its line, never read as another character."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise kind(f"not UTF-8 text: the byte 0x{data[error.start]:02X} (byte {column} of the "
                   "line) is not valid UTF-8", path, data.count(b"\n", 0, error.start) + 1,
                   "save the file as UTF-8 (your editor's 'encoding' setting)") from None
