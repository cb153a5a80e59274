"""Declarations of an edition's stylesheets that WeasyPrint would ignore (an unknown property,
a value the property cannot take), located at the stylesheet's line and column: WeasyPrint's
own warning gives the line and column but not the file. Only the stylesheets the PDF reads are
held to WeasyPrint's list: one the EPUB alone links is read by reading systems, which know
more (font-synthesis)."""

from __future__ import annotations

import fnmatch
import logging
import posixpath
import re
from collections.abc import Sequence

import jinja2

from .cssparse import stylesheet_rules
from .errors import BookError, did_you_mean
from .files import TemplateFolders, read_text
from .findings import Finding, LoggedWarnings
from .limits import css_problem, kept_if_small
from .render import template_tree

# WeasyPrint's words: "Ignored `colr: red` at 1:5, unknown property."
IGNORED = re.compile(r"(?:Ignored|Deprecated) `([^:`]*):(.*?)` at (\d+):(\d+), (.*?)\.?$",
                     re.DOTALL)
# How alike an unknown property and a known one are for the first to be taken for a typo of
# the second: 'font-wieght' (0.91) is 'font-weight', 'font-synthesis' (0.67), a property the
# layout does not know, is no 'font-style'.
TYPO = 0.8
HINT = "the layout skips this declaration and keeps the rest of the stylesheet: mend it or " \
       "remove it"
OURS_HINT = "the layout skips each declaration that uses it (var(--accent)), and the titles " \
            "and headings keep the text's colour and size: mend it or remove it"


def stylesheet_warnings(search_path: TemplateFolders, env: jinja2.Environment
                        ) -> list[Finding]:
    """A warning for each declaration WeasyPrint would ignore, in every stylesheet the PDF's
    templates (`env`'s) read, and for what no reader of the book takes (a font family it
    lacks, a value of its own properties it would drop), in every stylesheet the edition's
    template folders give it (the first of each name); a stylesheet holding template code is
    rendered first, and WeasyPrint's warning names it no better. It loads WeasyPrint's
    knowledge of CSS: for the PDF's build and for check, not the EPUB's."""
    found: list[Finding] = []
    seen: set[str] = set()
    sheets = []  # (path, css, whether it is ours, whether the PDF reads it) of each stylesheet
    printed = pdf_stylesheets(env, search_path)
    for folder in search_path:
        for path in sorted(folder.rglob("*.css")):
            name = path.relative_to(folder).as_posix()
            if name in seen or not path.is_file():
                continue
            seen.add(name)
            try:
                css = read_text(path, search_path.root_of(path))
            except BookError:  # reported where the stylesheet is read for the book
                continue
            # Template code, or a syntax error the build stops on anyway.
            if "{{" in css or "{%" in css or css_problem(css):
                continue
            sheets.append((path, css, folder == search_path.folders[-1],
                           printed is None or name in printed))
    families = {family for _, css, _, _ in sheets for family in font_faces(css)}
    for path, css, ours, pdf in sheets:
        # A stylesheet the EPUB alone reads is a reading system's: WeasyPrint's list of
        # properties is not its judge, and the edition's [page] is not its page.
        found += [Finding("warning", "css", message, path, line,
                          OURS_HINT if _of_ours(message) else HINT)
                  for line, message in (ignored_declarations(css) if pdf
                                        else custom_property_problems(css))]
        if not ours:  # the base theme's are the book's own
            found += [Finding("warning", "css", message, path, line, PAGE_HINT)
                      for line, message in (page_declarations(css) if pdf else ())]
            found += [Finding("warning", "css", message, path, line,
                              "the book's typefaces: " + ", ".join(sorted(families)) + "; one "
                              "of your own takes an @font-face rule and its font file, as "
                              "css/fonts.css has them")
                      for line, message in unknown_families(
                          css, frozenset(f.casefold() for f in families))]
    return found


# The template of the PDF: the one document WeasyPrint lays out.
PDF_TEMPLATE = "pdf/book.html"
# A <link> element, and its attributes.
LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
                       re.IGNORECASE)
# Template code in a name: whatever it prints.
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# An @import of a <style> (or a style block) a template holds: @import "x.css", url(x.css).
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"');]+))""",
                    re.IGNORECASE)


def pdf_stylesheets(env: jinja2.Environment, search_path: TemplateFolders
                    ) -> frozenset[str] | None:
    """The names in the template folders ('css/print.css') of the stylesheets the PDF reads:
    those the PDF's template, and every template it extends, includes or imports, link or
    @import or include, found along the search path as the build finds them (an edition's
    own pdf/book.html, a theme's), and those these @import in turn. A stylesheet's name
    written with template code ("css/{{ name }}.css") stands for every name it could give;
    None if a template's is, which only the book's rendering gives: every stylesheet is then
    the PDF's."""
    sheets: set[str] = set()
    patterns: set[str] = set()  # the names a computed one could be
    for name, source, _, referenced in template_tree(env, PDF_TEMPLATE):
        if None in referenced:
            return None
        # "base:css/page.css" is in a theme's folder.
        sheets |= {r.rpartition(":")[2] for r in referenced if r.endswith(".css")}
        if name.endswith(".css"):  # a stylesheet included: its @imports are followed below
            continue
        for reference in _stylesheet_references(source):
            computed = TEMPLATE_CODE.sub("*", reference)
            (patterns if computed != reference else sheets).add(_joined("", computed))
    names = {path.relative_to(folder).as_posix() for folder in search_path
             for path in folder.rglob("*.css")}
    sheets |= {name for name in names for pattern in patterns
               if pattern and fnmatch.fnmatchcase(name, pattern)}
    # What the stylesheets @import in turn, relative to their own folder.
    queue = sorted(sheets)
    while queue:
        name = queue.pop(0)
        try:
            path = search_path.find(name)
            css = read_text(path, search_path.root_of(path)) if path else ""
        except BookError:  # reported where the stylesheet is read for the book
            continue
        for reference in _imports(css):
            joined = _joined(posixpath.dirname(name), reference)
            if joined and joined not in sheets:
                sheets.add(joined)
                queue.append(joined)
    sheets.discard("")
    return frozenset(sheets)


def _stylesheet_references(source: str) -> list[str]:
    """The href of each <link rel="stylesheet"> of a template's source, and each @import."""
    found = []
    for link in LINK.findall(source):
        attributes = {m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
                      for m in ATTRIBUTE.finditer(link)}
        if "stylesheet" in attributes.get("rel", "").lower().split() and "href" in attributes:
            found.append(attributes["href"])
    found += [next(v for v in m.groups() if v is not None) for m in IMPORT.finditer(source)]
    return found


def _imports(css: str) -> list[str]:
    """What the @import rules of `css` name."""
    found = []
    for rule in stylesheet_rules(css):
        if rule.type != "at-rule" or rule.lower_at_keyword != "import":
            continue
        first = next((t for t in rule.prelude if t.type not in ("whitespace", "comment")),
                     None)
        if first is not None and first.type in ("string", "url"):
            found.append(first.value)
        elif first is not None and first.type == "function" and first.lower_name == "url":
            found += [t.value for t in first.arguments if t.type == "string"][:1]
    return found


def _joined(folder: str, reference: str) -> str:
    """`reference`, written in a file of `folder`, as a name in the template folders; "" if
    it names no file of them (a data: or network URL, a path leaving them)."""
    reference = reference.split("#")[0].split("?")[0]
    if not reference or ":" in reference.split("/")[0] or reference.startswith("/"):
        return ""
    joined = posixpath.normpath(posixpath.join(folder, reference))
    return "" if joined in (".", "..") or joined.startswith("../") else joined


# The families CSS gives every reader, and the keywords a font-family may take.
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui",
                    "math", "emoji", "fangsong", "ui-serif", "ui-sans-serif", "ui-monospace",
                    "ui-rounded", "inherit", "initial", "unset", "revert", "revert-layer"}


@kept_if_small(maxsize=128)
def font_faces(css: str) -> frozenset[str]:
    """The families the @font-face rules of `css` give, as written there."""
    return frozenset(family for rule in _at_rules(css, "font-face")
                     for declaration in _declarations(rule)
                     if declaration.lower_name == "font-family"
                     for family in _families(declaration.value))


def unknown_families(css: str, known: frozenset[str]) -> tuple[tuple[int, str], ...]:
    """(line, message) of each family a font-family declaration of `css` names that no
    @font-face of the book gives (`known`, in lower case): its text would be set in another
    font than the one named, the book's or a fallback the machine happens to have, and the
    EPUB's reader's in another."""
    found = []
    for declarations in _declaration_lists(css):
        for declaration in declarations:
            if declaration.lower_name != "font-family":
                continue
            for family in _families(declaration.value):
                if family.casefold() not in known | GENERIC_FAMILIES:
                    found.append((declaration.source_line, f"column "
                                  f"{declaration.source_column}: the font family {family!r} is "
                                  "no typeface of the book: its text is set in another"))
    return tuple(found)


def _families(tokens) -> list[str]:
    """The families a font-family value lists: a quoted name, or words joined by spaces."""
    families, words = [], []
    for token in [*tokens, None]:
        if token is None or token.type == "literal" and token.value == ",":
            if words:
                families.append(" ".join(words))
            words = []
        elif token.type == "string":
            words.append(token.value)
        elif token.type == "ident":
            words.append(token.value)
    return families


# The edition's [page] is the page: its rules follow every stylesheet's.
PAGE_DECLARATIONS = {"size", "margin", "margin-top", "margin-right", "margin-bottom",
                     "margin-left"}
PAGE_HINT = "write the page's size and margins in the edition file's [page] (size, margins), " \
            "which the book's page follows; docs/reference.md lists its keys"


@kept_if_small(maxsize=128)
def page_declarations(css: str) -> tuple[tuple[int, str], ...]:
    """(line, message) of each declaration of an @page rule (not of its margin boxes) that the
    edition's [page] sets over: the page's size and its margins."""
    found = []
    for rule in _at_rules(css, "page"):
        for declaration in _declarations(rule):
            if declaration.lower_name in PAGE_DECLARATIONS:
                found.append((declaration.source_line, f"column {declaration.source_column}: "
                              f"an @page rule's '{declaration.name}' is not used: the "
                              "edition's [page] sets the page's size and margins"))
    return tuple(found)


@kept_if_small(maxsize=128)
def _rules(css: str) -> tuple:
    """Each rule of a stylesheet, those inside @media and @supports too: parsed once for all
    the checks of a build (tinycss2's nodes, which they only read)."""
    import tinycss2

    def flat(rules):
        for rule in rules:
            yield rule
            if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") \
                    and rule.content is not None:
                yield from flat(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                         skip_whitespace=True))

    return tuple(flat(stylesheet_rules(css)))


def _at_rules(css: str, keyword: str) -> list:
    """The @`keyword` rules of `css` that have a block."""
    return [rule for rule in _rules(css) if rule.type == "at-rule"
            and rule.lower_at_keyword == keyword and rule.content is not None]


def _declarations(rule) -> list:
    """The declarations of a rule's block."""
    import tinycss2

    return [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True)
            if d.type == "declaration"]


@kept_if_small(maxsize=128)  # the editions of a build share their themes' stylesheets
def ignored_declarations(css: str) -> tuple[tuple[int, str], ...]:
    """(line, message) of each declaration of `css` WeasyPrint would ignore."""
    from weasyprint.css.properties import KNOWN_PROPERTIES
    from weasyprint.css.validation import preprocess_declarations

    # WeasyPrint's warnings are caught here only: the build reports them as findings.
    logger = logging.getLogger("weasyprint")
    collect = LoggedWarnings()
    handlers, propagate = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [collect], False
    try:
        for declarations in _declaration_lists(css):
            list(preprocess_declarations("file:///", declarations))
    finally:
        logger.handlers, logger.propagate = handlers, propagate
    found = [*custom_property_problems(css)]
    for message in collect.messages:
        ignored = IGNORED.match(message)
        if ignored is None:
            continue
        name, value, line, column, reason = ignored.groups()
        where = f"column {column}: "
        if reason == "unknown property":
            found.append((int(line), f"{where}'{name}' is not a CSS property the book's "
                          "layout knows" + did_you_mean(name.lower(), sorted(KNOWN_PROPERTIES),
                                                         cutoff=TYPO)))
        elif reason == "invalid value":
            found.append((int(line), f"{where}'{value.strip()}' is not a value '{name}' can "
                          "take"))
        else:
            found.append((int(line), f"{where}'{name}:{value}' is ignored: {reason}"))
    return tuple(found)


def custom_property_problems(css: str) -> tuple[tuple[int, str], ...]:
    """(line, message) of each of the book's own properties (--accent, --heading-size) given a
    value the edition file's keys would refuse: WeasyPrint, as a reading system, drops each
    declaration that uses it, where it is used, and the titles fall back to the text's colour
    and size."""
    import tinycss2

    from .config import accent_problem, heading_size_problem

    rules = {"--accent": accent_problem, "--heading-size": heading_size_problem}
    found = []
    for declarations in _declaration_lists(css):
        for declaration in declarations:
            value = tinycss2.serialize(declaration.value).strip()
            rule = rules.get(declaration.name)
            problem = rule(value) if rule and not value.lower().startswith("var(") else None
            if problem:
                found.append((declaration.source_line, f"column {declaration.source_column}: "
                              f"{declaration.name}: {problem[0]}: {problem[1]}"))
    return tuple(found)


def _of_ours(message: str) -> bool:
    """Whether `message` is one custom_property_problems wrote ("column 9: --accent: …")."""
    return re.match(r"column \d+: --", message) is not None


def _declaration_lists(css: str) -> list:
    """The declaration lists of style rules and @page rules, inside @media and @supports
    too (the other at-rules hold descriptors, not properties)."""
    return [_declarations(rule) for rule in _rules(css) if rule.type == "qualified-rule" or (
        rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None)]


def located(warning: str, findings: Sequence[Finding]) -> bool:
    """Whether WeasyPrint's `warning` is one of `findings`, which say in which file."""
    ignored = IGNORED.match(warning)
    if ignored is None:
        return False
    name, value, line, column, _reason = ignored.groups()
    return any(f.line == int(line) and f.message.startswith(f"column {column}: ")
               and (f"'{name}'" in f.message or f"'{name}:" in f.message) for f in findings) \
        or any(_of_ours(f.message) and f"{value.strip()!r} is not" in f.message
               for f in findings)  # a value of ours, dropped where var() gives it
