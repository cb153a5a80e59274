"""The apparatus catalogs (templates/locales/<lang>/LC_MESSAGES/messages.po): each read as
Babel reads it, and checked for what Babel lets through and the book would print wrong: a
string cut short by a missing quotation mark, a plural rule that is not the language's, a
plural form left empty, a placeholder the template cannot fill, a fuzzy or a doubled entry.
A catalog an edition is written in stops its build at such a line; one no edition uses yet is
read too, its lines warned of (book/make.py, gather)."""

from __future__ import annotations

import io
import re
from gettext import c2py
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, PoFileParser
from babel.support import Translations

from .errors import ConfigError, Problems
from .files import read_text
from .findings import Findings
from .languages import catalog_folders, check_language_tag, language_name

QUOTES_HINT = 'every msgid needs a msgstr, each followed by its words in double quotes: msgstr "…"'
# A keyword line or a continuation line of an entry, and what its words must look like.
ENTRY_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+|(?="))(.*)')
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
# A placeholder of a python-format string, which the templates' newstyle gettext fills.
PLACEHOLDER = re.compile(r"%\((\w+)\)")
# Numbers whose plural form is compared between the header's rule and CLDR's.
COUNTS = range(1001)


class _Catalog(Catalog):
    """A catalog that remembers the entries given twice: Babel keeps one, silently."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.doubled: list[tuple[object, int, int]] = []  # (id, first line, second line)
        self.lines: list[str] = []  # as read, for the lines of the header's fields

    def __setitem__(self, id, message) -> None:
        first = self.get(id, message.context)
        if id and first is not None and message.lineno is not None:
            self.doubled.append((id, first.lineno, message.lineno))
        super().__setitem__(id, message)


def read_catalog(path: Path, language: str, root: Path) -> Catalog:
    """The catalog at `path` as Babel reads it; a located error where it cannot be read as
    written.

    It is decoded here, as UTF-8: Babel would decode each line by the charset the header
    names, and a file saved in another (a Windows editor's) or a charset it does not know
    would stop it with a traceback; the compiled catalog is written in that charset too."""
    # Lines as Babel splits bytes, at "\n" alone: a U+2028 inside a string is no line's end.
    lines = read_text(path, root).split("\n")
    # Babel takes a line's words to be what stands between its first and last characters:
    # `msgstr "Obsah` would print "Obsa".
    for number, text in enumerate(lines, 1):
        entry = ENTRY_LINE.fullmatch(text.strip())
        if entry and not text.lstrip().startswith("#") and not QUOTED.fullmatch(entry[1]):
            raise ConfigError("the words of this line do not stand between double quotes "
                              "(a quotation mark is missing, or stands inside them without a "
                              "backslash: \\\")", path, number, QUOTES_HINT)
    catalog = _Catalog(locale=language)
    try:
        PoFileParser(catalog, abort_invalid=True).parse(lines)
    except PoFileError as error:
        # Babel counts lines from 0: "Unknown or misformatted keyword on 2".
        line = re.search(r" on (\d+)$", str(error))
        message = re.sub(r" on \d+$", "", str(error))
        hint = QUOTES_HINT
        if message.startswith("msg has more translations than num_plurals"):
            message = (f"this entry has more forms (msgstr[n]) than the {catalog.num_plurals} "
                       "the header's plural rule gives")
            hint = "delete the forms past the last, or mend the header's Plural-Forms"
        raise ConfigError(f"the catalog is broken: {message}", path,
                          int(line.group(1)) + 1 if line else None, hint) from None
    if catalog.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ConfigError(f"the catalog's header names the charset {catalog.charset!r}: the "
                          "build reads every catalog as UTF-8", path,
                          _line_of(lines, "charset="),
                          'write "Content-Type: text/plain; charset=UTF-8\\n" in the header, '
                          "and save the file as UTF-8")
    catalog.lines = lines
    return catalog


def _line_of(lines: list[str], words: str) -> int | None:
    return next((n for n, text in enumerate(lines, 1) if words in text), None)


def catalog_problems(catalog: Catalog, path: Path, language: str) -> list[ConfigError]:
    """What in a catalog Babel reads without a word and the book would print wrong."""
    problems = []
    name = language_name(language, "en", start=True)
    cldr = get_plural(language)
    try:
        rule, cldr_rule = c2py(catalog.plural_expr), c2py(cldr.plural_expr)
        wrong = next((f"chooses another form for {n}" for n in COUNTS
                      if rule(n) != cldr_rule(n)), None)
    except (ValueError, SyntaxError, ArithmeticError):  # "plural=(n==1 ? 0 :" and the like
        wrong = f"cannot be read: {catalog.plural_expr}"
    if catalog.num_plurals != cldr.num_plurals:
        wrong = f"gives {catalog.num_plurals}"
    if wrong:
        problems.append(ConfigError(
            f"the header's plural rule is not {name}'s: CLDR gives {name} "
            f"{cldr.num_plurals} plural form{'s' * (cldr.num_plurals != 1)}, and this rule "
            f"{wrong}", path, _line_of(catalog.lines, "Plural-Forms:"),
            f'write "Plural-Forms: {cldr.plural_forms}\\n" in the header, as pybabel init '
            "does"))
    for message_id, first, second in catalog.doubled:
        words = message_id[0] if isinstance(message_id, tuple) else message_id
        problems.append(ConfigError(
            f"{words!r} is translated twice, here and at line {first}: the book would print "
            "one of the two", path, second, "delete the one that is not meant"))
    for message in catalog:
        if not message.id:
            continue  # the header
        words = message.id[0] if message.pluralizable else message.id
        strings = message.string if message.pluralizable else (message.string,)
        if not any(strings):
            continue  # untranslated: the editions that print it say so where they print it
        if message.fuzzy:
            problems.append(ConfigError(
                f"{words!r} is marked fuzzy: a fuzzy translation is not printed, the book "
                "would print the English", path, message.lineno,
                "check the translation, then take 'fuzzy' out of the '#,' line above it"))
            continue
        if message.pluralizable and not wrong:  # its forms are counted by the right rule
            empty = [i for i, text in enumerate(strings) if not text]
            if empty:
                problems.append(ConfigError(
                    f"msgstr[{empty[0]}] of {words!r} is empty: the numbers that take that "
                    f"form would print the English ({name} has {catalog.num_plurals} plural "
                    "forms)", path, message.lineno,
                    f"a msgid_plural takes msgstr[0] to msgstr[{catalog.num_plurals - 1}], "
                    "each with its words"))
                continue
        problem = _placeholder_problem(message, strings)
        if problem:
            problems.append(ConfigError(problem, path, message.lineno,
                                        "keep each %(name)s of the msgid as it is written, "
                                        "and write %% for a percent sign"))
    return problems


def _placeholder_problem(message, strings: tuple[str, ...]) -> str | None:
    """What a translation's placeholders do wrong, if anything: the templates fill a
    translation with the values its msgid names (and `num`, for a plural), by Python's %."""
    ids = message.id if message.pluralizable else (message.id,)
    given = {name for text in ids for name in PLACEHOLDER.findall(text)}
    values = dict.fromkeys(given | ({"num"} if message.pluralizable else set()), 1)
    for text in strings:
        try:
            text % values
        except KeyError as error:
            return (f"the translation names %({error.args[0]})…, which its msgid does not "
                    f"give: {', '.join(f'%({n})…' for n in sorted(given)) or 'none'}")
        except (ValueError, TypeError) as error:
            return f"the translation cannot be filled in: {error}"
    if not message.pluralizable:  # a plural's form for one may leave its number out
        left = sorted(given - set(PLACEHOLDER.findall(strings[0])))
        if left:
            return (f"the translation leaves out {', '.join(f'%({n})…' for n in left)}: the "
                    "book would print it without what the template gives there")
    return None


def check_unused_catalogs(locales: Path, used: set[str], findings: Findings) -> None:
    """Each catalog in `locales` that no edition is written in (`used` are those that are),
    read as a build reads an edition's: a translator preparing a language learns of a broken
    line before an edition uses it, and of a folder no edition could ever name."""
    for folder in catalog_folders(locales):
        language, path = folder.name, folder / "LC_MESSAGES" / "messages.po"
        if language in used:
            continue  # read, and refused where it is broken, by the editions written in it
        problem = check_language_tag(language)
        if problem:
            findings.warn("catalog", f"no edition can be written in this catalog's language: "
                          f"{problem}", path, hint="its folder, templates/locales/<tag>, is "
                          "named by the language's tag (docs/adding-a-language.md)")
            continue
        try:
            catalog = read_catalog(path, language, locales.parent)
            errors = catalog_problems(catalog, path, language)
        except ConfigError as error:
            errors = [error]
        for error in errors:
            findings.warn("catalog", f"{error.message} (no edition is written in {language!r} "
                          "yet, so no build reads it)", error.path, error.line, error.hint)


def load_translations(locales: Path, language: str) -> Translations:
    """The apparatus catalog for `language`, compiled from its .po file in memory: nothing
    generated is written to the project."""
    path = locales / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        raise ConfigError(f"no catalog for the apparatus language {language!r}", path,
                          hint="create it with: pybabel init -i templates/locales/messages.pot "
                          f"-d templates/locales -w 100 -l {language}")
    catalog = read_catalog(path, language, locales.parent)
    problems = Problems()
    for error in catalog_problems(catalog, path, language):
        problems.add(error)
    problems.raise_if_any()
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)
