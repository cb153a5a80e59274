"""Stage 3: the templates, looked up along a search path and rendered over the model."""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path, PurePath
from typing import Any

import jinja2
from babel.dates import format_date
from babel.support import Translations
from jinja2 import meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import anchors, memo, model
from .bibliography import filed
from .config import TEMPLATE_NAMES
from .dates import format_dual, format_single, row_date, unbreakable
from .errors import BookError, ConfigError, TemplateError, did_you_mean
from .files import TemplateFolders, read_text
from .languages import language_name, text_direction
from .limits import MAX_TEMPLATE_OUTPUT, check_markup
from .model import Book, Cite, NoteCall, Text
from .quotes import QuoteLanguages
from .runs import runs
from .textnodes import bind_spaces

# The model's classes, whose field names suggest the right one for a misspelt attribute.
MODEL_CLASSES = [c for c in vars(model).values()
                 if isinstance(c, type) and hasattr(c, "__dataclass_fields__")]


def template_search_path(project: Path, folder: str = "base", own: Path | None = None
                         ) -> TemplateFolders:
    """Folders searched for templates and their files: the edition's own (`own`, in its
    folder), then the theme it names and the themes that extends, to the base (see
    book/files.py)."""
    return TemplateFolders.for_theme(project, folder, own)


class PolicyLoader(jinja2.BaseLoader):
    """Jinja's templates through the file policy: a name is looked up along the search path
    ("theme:name" in one theme's folder only), never followed out of it by a link, and read
    with a size bound. (Jinja's FileSystemLoader follows any symbolic link.)"""

    def __init__(self, search_path: TemplateFolders):
        self.search_path = search_path

    def get_source(self, environment, template):
        theme, colon, name = template.rpartition(":")
        folders = self.search_path.named(theme) if colon else self.search_path
        found = folders.find(name)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source = read_text(found, self.search_path.root_of(found))
        except ConfigError as error:
            raise TemplateError(f"{template!r} cannot be used as a template: {error.message}",
                                error.path, error.line, error.hint) from None
        mtime = found.stat().st_mtime
        return source, str(found), lambda: found.stat().st_mtime == mtime

@dataclass(frozen=True)
class Links:
    """Where things are, for templates: one document (the PDF) or one file per part (EPUB),
    where each text is text-<id>.xhtml and each part of the apparatus <name>.xhtml."""

    text_files: dict[str, str] | None = None

    def _file(self, name: str) -> str:
        if self.text_files is None:
            return ""
        return self.text_files.get(name) or f"{name}.xhtml"

    def text(self, text_id: str) -> str:
        return f"{self._file(text_id)}#{text_id}"

    def anchor(self, text_id: str, anchor: str) -> str:
        """A paragraph or a section of a text."""
        return f"{self._file(text_id)}#{anchor}"

    def note(self, text_id: str, label: str) -> str:
        return f"{self._file(text_id)}#{anchors.note(text_id, label)}"

    def page(self, name: str) -> str:
        """A part of the apparatus: 'note-on-texts', 'chronology', 'glossary', 'bibliography'."""
        return f"{self._file(name)}#{name}"

    def work(self, work_id: str) -> str:
        return f"{self._file('bibliography')}#bib-{work_id}"

    def event(self, event_id: str) -> str:
        return f"{self._file('chronology')}#chron-{event_id}"


# Templates compiled in this process, by name and source, for its later builds too: a
# preview's, or a test session's, whose builds keep their results in other folders.
_COMPILED: dict[str, bytes] = {}
MAX_COMPILED = 512


class KeptBytecode(jinja2.BytecodeCache):
    """Templates compiled by an earlier build, kept with its other results (book/memo.py),
    found by the template's name and source: each edition of a build, and the next build,
    compiles only what changed."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = bucket.key + bucket.checksum
        compiled = _COMPILED.pop(key, None)
        if compiled is not None:
            _remember_compiled(key, compiled)  # used now: the last to go
            bucket.bytecode_from_string(compiled)
            if not memo.kept("template", key):  # kept where this build keeps its results
                memo.keep("template", key, base64.b64encode(compiled).decode("ascii"))
            return
        kept = memo.recall("template", key, lambda value: isinstance(value, str))
        if kept is not None:
            with suppress(ValueError):
                compiled = base64.b64decode(kept, validate=True)
                bucket.bytecode_from_string(compiled)
            if bucket.code is not None:  # None: bytecode of another Python, compiled again
                _remember_compiled(key, compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key, compiled = bucket.key + bucket.checksum, bucket.bytecode_to_string()
        memo.keep("template", key, base64.b64encode(compiled).decode("ascii"))
        _remember_compiled(key, compiled)


def _remember_compiled(key: str, compiled: bytes) -> None:
    while len(_COMPILED) >= MAX_COMPILED:
        del _COMPILED[next(iter(_COMPILED))]  # the one used longest ago
    _COMPILED[key] = compiled


class BookSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, and no file system: the model's paths are for the tool, not for
    templates (a Path's read_text() would read any file). Multiplying strings or lists, and
    powers, are bounded, so that a template cannot fill the memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the power {right} is larger than a book needs")
        if operator == "*":
            sequence, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sequence, str | list | tuple) and isinstance(count, int) and \
                    len(sequence) * count > MAX_TEMPLATE_OUTPUT // 10:
                raise SecurityError(f"repeating something {count:,} times makes more text "
                                    "than a book needs")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        return super().is_safe_attribute(obj, attr, value)


def make_environment(search_path: TemplateFolders, language: str,
                     translations: Translations | None = None,
                     texts: Sequence[Text] = ()) -> jinja2.Environment:
    # Templates come from teachers as well as from us: sandboxed, escaped, and loud about
    # undefined names rather than silently empty.
    # "classroom:pdf/book.html" names a theme's own file, so that an override can extend the
    # very file it shadows.
    env = BookSandbox(
        loader=PolicyLoader(search_path),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=KeptBytecode(),
    )
    if translations is None:
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    else:
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    quotes = QuoteLanguages(texts)
    filters = {
        "language_name": lambda tag, start=False: language_name(tag, language, start),
        "runs": runs,
        "filed": filed,
        "month_year": lambda iso: unbreakable(_format_partial_date(iso, language)),
        "dual_date": lambda when: unbreakable(format_dual(when, language)),
        "text_date": lambda when: unbreakable(format_single(when, language)),
        "row_date": lambda when: row_date(when, language),
        "quotes": lambda value: quotes.mark(value, language),
        "direction": text_direction,
    }
    # Each run when the page is rendered, never while compiling: Jinja would print a constant
    # ("1918-01" | month_year) in the language of the edition that compiled the template first,
    # and the compiled template is kept for every edition (KeptBytecode).
    env.filters.update({name: _at_render(f) for name, f in filters.items()})
    env.globals["anchor"] = anchors.FOR_TEMPLATES
    # What lang_attrs compares a language's direction with, unless told what surrounds it.
    env.globals["apparatus_direction"] = text_direction(language)
    env.tests["note_call"] = lambda part: isinstance(part, NoteCall)
    env.tests["cite"] = lambda part: isinstance(part, Cite)
    return env


def _at_render(function):
    # A filter given the render's context is one Jinja never calls while compiling. A value
    # that is not there ({{ question.text[lang]|quotes }}) fails as Jinja says it, with the
    # name that is missing, not inside the filter with Python's words for it.
    def filtered(context, *args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, jinja2.Undefined):
                value._fail_with_undefined_error()
        return function(*args, **kwargs)

    return jinja2.pass_context(filtered)


def _format_partial_date(iso: str, language: str) -> str:
    """'2011-10' -> 'October 2011'; '2012-06-26' -> '26 June 2012' (in the apparatus language)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return format_date(date(parts[0], parts[1], 1), "LLLL y", locale=language)
    return format_date(date(*parts), "long", locale=language)


def template_tree(env: jinja2.Environment, name: str
                  ) -> Iterator[tuple[str, str, str | None, list[str | None]]]:
    """Each template `name` is rendered from, once: itself, and what it extends, includes or
    imports (a stylesheet included too), as (its name, its source, its file, the names it
    refers to, None for one only its rendering gives). One that cannot be read or parsed is
    passed over: the build says why where it renders it."""
    queue, seen = [name], set()
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        try:
            source, filename, _ = env.loader.get_source(env, current)
            referenced = list(meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateError, BookError):
            continue
        yield current, source, filename, referenced
        queue += [r for r in referenced if r]


def render(env: jinja2.Environment, name: str, book: Book, **context: Any) -> str:
    """Render template `name`; any template problem becomes a TemplateError with file and line."""
    # `format`: which writer renders, for wordings true of one ("at the foot of the page").
    links = context.get("links")
    context = {"book": book, "edition": book.edition, "lang": book.edition.language,
               "title": book.edition.title,
               "format": "epub" if getattr(links, "text_files", None) is not None else "pdf",
               **context}
    try:
        # Words each language keeps on one line are bound by no-break spaces, in the
        # authors' texts and the apparatus alike, by the language of each element.
        rendered = bind_spaces(env.get_template(name).render(**context), book.typography,
                               book.edition.language)
        check_markup(rendered, name)
        return rendered
    except jinja2.TemplateSyntaxError as error:
        raise syntax_problem(env, error, name) from None
    except jinja2.UndefinedError as error:
        filename, line = _template_frame(error, name)
        message = _with_suggestion(str(error.message), context)
        raise TemplateError(message, filename, line, EDITION_VALUES_HINT
                            if message.startswith("an edition has no") else
                            "the names a template can use are listed in docs/customizing.md"
                            ) from None
    except SecurityError as error:
        filename, line = _template_frame(error, name)
        raise TemplateError(f"refused: {error}", filename, line,
                            "templates run in a sandbox: they may read the book's data, "
                            "not Python's internals") from None
    except jinja2.TemplateNotFound as error:
        filename, line = _template_frame(error, name)
        raise TemplateError(f"template {error.name!r} not found", filename, line,
                            "a template names another by its path in a template folder, "
                            "such as 'parts/colophon.html' or 'base:parts/colophon.html'"
                            ) from None
    except BookError:
        raise
    except RecursionError as error:
        filename, line = _repeated_frame(error, name)
        raise TemplateError("templates extend, include or call each other without end",
                            filename, line, "an override that extends the file it replaces "
                            "names the theme's own: {% extends \"base:parts/title_page.html\" %}"
                            ) from None
    except Exception as error:
        # What a template's own expression raises ({{ 1/0 }}, {{ 'a' + 1 }}) is the
        # template's mistake, at its line; anything raised outside template code is a bug.
        filename, line = _template_frame(error, None)
        if filename is None:
            raise
        raise TemplateError(f"the template failed here: {_plain_error(error)}", filename,
                            line, "check the expression on this line: its values may not "
                            "be of the kind it expects") from None


EDITION_VALUES_HINT = "an edition's values are the keys of its file in editions/ (docs/" \
                      "reference.md lists them all; docs/customizing.md names those a " \
                      "template finds under another name); words of your own can be written " \
                      "in the template itself"
# Tags that open a part a later {% end… %} closes.
PAIRED_TAGS = {"block", "if", "for", "macro", "call", "filter", "with", "autoescape", "trans"}
# Jinja's tags (with the i18n extension's): those an end tag may close (a part's, and a
# {% set %} or {% raw %} written as one), and the others.
CLOSED_TAGS = (*sorted(PAIRED_TAGS), "set", "raw")
TAGS = (*CLOSED_TAGS, "elif", "else", "extends", "include", "import", "from", "pluralize")
TAG_HINT = "a value is written {{ edition.title }}, a tag {% if … %}, and each " \
           "{% block %}, {% if %} and {% for %} is closed by its {% end… %}"


def syntax_problem(env: jinja2.Environment, error: jinja2.TemplateSyntaxError, name: str
                   ) -> TemplateError:
    """Jinja's syntax error in template `name`, as the writer of the template reads it."""
    message, line, hint = _plain_syntax_error(env, error)
    # Jinja's lexer gives the file's path as the name of a comment never closed, and no path.
    return TemplateError(message, error.filename or error.name or name, line, hint)


def _plain_syntax_error(env: jinja2.Environment, error: jinja2.TemplateSyntaxError
                        ) -> tuple[str, int | None, str]:
    """Jinja's parser words said as the writer of the template sees the mistake, at the line
    to mend: a tag never closed is located where it opens, not at the end of the file."""
    source = error.source
    if source is None and error.name:
        try:
            source = env.loader.get_source(env, error.name)[0]
        except (jinja2.TemplateNotFound, BookError):
            source = None
    lines = (source or "").split("\n")
    written = lines[error.lineno - 1] if source and 0 < error.lineno <= len(lines) else ""
    message = error.message or ""
    if "The innermost block that needs to be closed" in message and source is not None:
        # Jinja stops at the end of the file, or at the end tag of an outer part: the tag
        # to mend is the one still open there.
        at_end = message.startswith("Unexpected end of template")
        opened = _open_tags(env, source if at_end else "\n".join(lines[:error.lineno - 1]))
        closer = re.match(r"Encountered unknown tag '(\w+)'", message)
        # An end tag that closes a part opened further out: the inner part is left open.
        # Otherwise the end tag closes nothing (handled below).
        if opened and (at_end or closer and closer.group(1)[3:] in
                       [t.split()[0] for t, _ in opened[:-1]]):
            tag, line = opened[-1]
            return (f"the {{% {tag} %}} opened here is never closed" if at_end else
                    f"the {{% {tag} %}} opened here is not closed before the "
                    f"{{% {closer.group(1) if closer else 'end'} %}} on line {error.lineno}",
                    line, f"add {{% end{tag.split()[0]} %}} where it ends")
    if message == "Missing end of comment tag":  # at the line of its {#
        return ("a comment opened here with {# is never closed", error.lineno,
                "close it with #}, or write {{ '{#' }} to print the two marks")
    if message == "unexpected '}'":
        # "{{ edition.title }" or "{% if x }": one brace where two marks close.
        if re.search(r"\{%(?:(?!%\}).)*?(?<!%)\}", written) and not re.search(
                r"\{\{(?:(?!\}\}).)*?\}(?!\})", written):
            return ("a '{%' on this line is not closed with '%}'", error.lineno,
                    "write a tag as {% if edition.subtitle %}")
        return ("a '{{' on this line is not closed with '}}'", error.lineno,
                "write a value with two braces on each side: {{ edition.title }}")
    missing = re.match(r"No (filter|test) named '([^']+)'", message)
    if missing:
        kind, name = missing.groups()
        known = sorted(env.filters if kind == "filter" else env.tests)
        return (f"no {kind} is named {name!r}" + did_you_mean(name, known), error.lineno,
                f"the {kind}s templates know: " + ", ".join(known))
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        tag = unknown.group(1)
        known = [*TAGS, *(f"end{t}" for t in CLOSED_TAGS)]
        meant = did_you_mean(tag, known) if tag not in known else ""
        if tag.startswith("end") and not meant:
            return (f"{{% {tag} %}} closes nothing that is open", error.lineno,
                    f"remove it, or add the {{% {tag[3:]} … %}} it closes above it")
        return (f"{{% {tag} %}} is not a tag templates know{meant}", error.lineno, TAG_HINT)
    return (f"syntax error: {message}", error.lineno, TAG_HINT)


def _open_tags(env: jinja2.Environment, source: str) -> list[tuple[str, int]]:
    """The tags that open a part and are not closed by the end of `source`, outermost
    first, as written ('block titlepage'), with their lines; none if it cannot be read."""
    opened: list[tuple[str, int]] = []
    try:
        tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return []
    for index, (line, kind, _value) in enumerate(tokens):
        if kind != "block_begin" or index + 1 >= len(tokens):
            continue
        tag = tokens[index + 1][2]
        if tag in PAIRED_TAGS:
            after = tokens[index + 2] if index + 2 < len(tokens) else None
            name = f" {after[2]}" if tag == "block" and after and after[1] == "name" else ""
            opened.append((f"{tag}{name}", line))
        elif tag.startswith("end") and opened and opened[-1][0].split()[0] == tag[3:]:
            opened.pop()
    return opened


def _plain_error(error: BaseException) -> str:
    """'division by zero (ZeroDivisionError)', kept to one short line."""
    message = " ".join(str(error).split())[:200]
    return f"{message} ({type(error).__name__})" if message else type(error).__name__


def _template_frames(error: BaseException) -> list[tuple[str, int]]:
    """The (template file, line) of each frame of template code in the traceback of `error`,
    outermost first: Jinja rewrites those frames to the template's file and line."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            frames.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _template_frame(error: BaseException, fallback: str | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback of `error`."""
    frames = _template_frames(error)
    return frames[-1] if frames else (fallback, None)


def _repeated_frame(error: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template line that recurs most in the traceback of `error`: the call, include or
    extends that goes round."""
    frames = _template_frames(error)
    return Counter(frames).most_common(1)[0][0] if frames else (fallback, None)


def _with_suggestion(message: str, context: dict[str, Any]) -> str:
    """"'titel' is undefined" -> "'titel' is undefined (did you mean 'title'?)"."""
    undefined = re.match(r"'([^']+)' is undefined", message)
    attribute = re.search(r"has no attribute '([^']+)'", message)
    owner = re.match(r"'book\.model\.(\w+) object' has no attribute", message)
    cls = getattr(model, owner.group(1), None) if owner else None
    if attribute and cls in MODEL_CLASSES:
        # "'book.model.Edition object' has no attribute 'x'" says what the object has.
        # What a template can print or ask: not the paths of files, which it cannot read.
        has = [f.name for f in fields(cls) if "Path" not in str(f.type)]
        has += [n for n, v in vars(cls).items() if not n.startswith("_") and
                isinstance(v, property | type(_plain_error)) and "Path" not in str(
                    getattr(getattr(v, "fget", v), "__annotations__", {}).get("return"))]
        kind = re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower()
        article = "an" if kind[0] in "aeiou" else "a"
        table = TEMPLATE_NAMES.get(attribute.group(1)) if cls is model.Edition else None
        if table:  # edition.questions.answer_lines: the [questions] table's key
            return (f"an edition has no {attribute.group(1)!r}: a template finds the keys of "
                    f"the [{attribute.group(1)}] table as "
                    + ", ".join(f"edition.{name}" for name in table))
        return (f"{article} {kind} has no {attribute.group(1)!r}"
                + did_you_mean(attribute.group(1), has)
                + f"; it has: {', '.join(has)}")
    if undefined:
        name, names = undefined.group(1), list(context)
    elif attribute:
        name = attribute.group(1)
        names = [f.name for cls in MODEL_CLASSES for f in fields(cls)]
        names += [n for cls in MODEL_CLASSES for n in vars(cls) if not n.startswith("_")]
    else:
        return message
    return message + did_you_mean(name, names)
