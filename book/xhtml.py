"""Stage 4b's gate: is a rendered XHTML document (or a stylesheet) valid to package in the EPUB?

The checks are those EPUBCheck makes that a template or a source can fail: well-formed XML,
unique ids, language tags, no control characters, attributes HTML has, no script or embedded
content, links that reach an id of a packaged document, and references only to files the EPUB
itself holds. A problem is found in the rendered text, then traced back to the line of the
template or the source that wrote it, since that is where the user can fix it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .cssparse import stylesheet_rules
from .errors import BookError, did_you_mean
from .files import read_text
from .languages import check_language_tag
from .reading import BAD_CHARACTER

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Elements that run code or pull in content EPUBCheck cannot follow; none is needed in a book.
REFUSED_ELEMENTS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "base",
                    "form", "foreignObject"}
# HTML's elements that hold nothing, which HTML lets stand unclosed (<br>) and XHTML does not.
VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                 "track", "wbr"}
# What may hold only phrasing content, and what is a block: a block inside such an element is
# invalid XHTML that browsers mend silently and EPUBCheck reports.
PHRASING_ONLY = {"p", "span", "a", "em", "strong", "b", "i", "sup", "sub", "small", "abbr",
                 "cite", "q", "code", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "label", "time"}
BLOCKS = {"address", "article", "aside", "blockquote", "div", "dl", "figure", "footer", "form",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
          "section", "table", "ul"}
# Attributes whose value names a resource the reading system loads.
RESOURCE_ATTRIBUTES = {"src", "poster", XLINK_HREF}
# Every attribute of HTML's elements (the HTML standard's index of attributes) and RDFa's, which
# EPUBCheck's schema allows; besides them, data-* and aria-*. Another, a typo (ref= for href=),
# makes the document invalid. Event handlers (on…) are refused apart: they run code.
HTML_ATTRIBUTES = frozenset("""
abbr accept accept-charset accesskey action allow allowfullscreen alpha alt as async
autocapitalize autocomplete autofocus autoplay blocking charset checked cite class closedby color
colorspace cols colspan command commandfor content contenteditable controls coords crossorigin
data datetime decoding default defer dir dirname disabled download draggable enctype
enterkeyhint fetchpriority for form formaction formenctype formmethod formnovalidate formtarget
headers height hidden high href hreflang http-equiv id imagesizes imagesrcset inert inputmode
integrity is ismap itemid itemprop itemref itemscope itemtype kind label lang list loading loop
low max maxlength media method min minlength multiple muted name nomodule nonce novalidate open
optimum pattern ping placeholder playsinline popover popovertarget popovertargetaction poster
preload readonly referrerpolicy rel required reversed role rows rowspan sandbox scope selected
shadowrootclonable shadowrootdelegatesfocus shadowrootmode shadowrootserializable shape size
sizes slot span spellcheck src srcdoc srclang srcset start step style tabindex target title
translate type usemap value width wrap writingsuggestions
about datatype inlist prefix property resource rev typeof vocab
""".split())
# Characters a URL's fragment may not hold unescaped (EPUBCheck's RSC-020).
BAD_FRAGMENT = re.compile(r"[\s\"<>`{}|\\^#]")
HYPERLINK_SCHEMES = {"http", "https", "mailto"}
# markdown-it's rendering of a note call that the writers did not draw (one in a heading or
# in a note): its link leads to a note list that no book has.
STRAY_NOTE_CALL = "footnote-ref"


@dataclass(frozen=True)
class Problem:
    """Something invalid in a rendered document, with what can trace it to its origin."""

    message: str
    hint: str
    line: int | None = None  # in the rendered document
    markup: tuple[str, ...] = ()  # literal text that the template or source holds, surest first
    near: tuple[str, ...] = ()  # ids around the fault, innermost first


@dataclass(frozen=True)
class Reference:
    """A file the document or stylesheet names, as a path inside the package."""

    name: str
    line: int | None
    written: str  # as written, to quote and to trace


@dataclass
class Checked:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, Problem]] = field(default_factory=list)  # (file, id, where)
    references: list[tuple[Reference, Problem]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check_document(name: str, rendered: str) -> Checked:
    """Everything wrong with the XHTML document `name` that can be seen in it alone; its ids,
    its internal links and the files it references, for the checks across the book."""
    checked = Checked()
    control = BAD_CHARACTER.search(rendered)
    if control:
        start = rendered.rfind("\n", 0, control.start()) + 1
        before = rendered[start:control.start()].strip()
        checked.problems.append(Problem(
            f"control character U+{ord(control.group()):04X} after {before[-40:]!r}",
            "remove it: no reading system shows it, and XML forbids most of them",
            rendered.count("\n", 0, control.start()) + 1, (before[-30:], before[-12:])))
        return checked
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(rendered.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno, 0)
        # The parser's lines and columns are the rendered document's, not the template's.
        said = re.sub(r",? line \d+(?:, column \d+)?", "", error.msg)
        unclosed = re.match(r"Opening and ending tag mismatch: (\w+) and", said)
        if unclosed and unclosed[1] in VOID_ELEMENTS:  # HTML's <img …>, <br>
            tag = unclosed[1]
            checked.problems.append(Problem(
                f"<{tag}> is not closed: an element that holds nothing is written <{tag} …/> "
                "in the EPUB's XHTML", f"end it with a slash: <{tag} …/>, as <br/>", line,
                _markup_at(rendered, line, column)))
            return checked
        # Located where the element left open opens, not where its parent closes (in the
        # theme's template, when the open one is in a teacher's override).
        left_open = re.match(r"Opening and ending tag mismatch: (\w+) line (\d+) and (\w+)",
                             error.msg)
        if left_open:
            tag, opened, parent = left_open[1], int(left_open[2]), left_open[3]
            text = rendered.split("\n")[opened - 1] if opened <= rendered.count("\n") + 1 else ""
            # The open tag and the one after it, to trace: "<span></div>".
            tags = list(A_TAG.finditer(text, max(text.rfind(f"<{tag}"), 0)))[:2]
            checked.problems.append(Problem(
                f"<{tag}> is never closed: the </{parent}> around it closes first, in "
                f"{_quote_line(rendered, opened)}", f"close it with </{tag}> before "
                f"</{parent}>", opened, _markup_at(rendered, opened, tags[-1].end() if tags
                                                   else 0)))
            return checked
        checked.problems.append(Problem(
            f"not well-formed XHTML: {said} in {_quote_line(rendered, line)}",
            "close every element in the order it was opened, write void elements as <br/>, "
            "and use numeric entities (&#160;) rather than HTML's named ones",
            line, _markup_at(rendered, line, column)))
        return checked
    _walk(root, name, checked, (), in_link=False, in_phrasing=False)
    return checked


def _walk(element, name: str, checked: Checked, near: tuple[str, ...], in_link: bool,
          in_phrasing: bool) -> None:
    if not isinstance(element.tag, str):
        return  # a comment or a processing instruction
    namespace, tag = _split(element.tag)

    def problem(message: str, hint: str, *markup: str) -> Problem:
        found = Problem(message, hint, element.sourceline, markup, _near(element, near))
        checked.problems.append(found)
        return found

    if tag == "sup" and STRAY_NOTE_CALL in element.get("class", "").split():
        problem("a note call where no note can be called: in a heading, or inside a note",
                "move the note call into a paragraph of the text (a note cannot have notes)",
                element.findtext(f"{{{XHTML}}}a") or "")
        return  # its link and id are the markdown renderer's, and this says all there is
    if tag in REFUSED_ELEMENTS:
        problem(f"<{tag}> is not allowed in the EPUB",
                "a book's documents hold text and images; remove the element", f"<{tag}")
        return
    for attribute in element.attrib:
        attribute_name = _split(attribute)[1]
        if attribute_name.lower().startswith("on"):
            problem(f"the attribute {attribute_name}= is not allowed in the EPUB (it runs code)",
                    "remove it: the EPUB holds no scripts", f"{attribute_name}=")
        elif namespace == XHTML and "}" not in attribute and attribute not in HTML_ATTRIBUTES \
                and not attribute.startswith(("data-", "aria-")):
            problem(f"the attribute {attribute}= is not HTML's"
                    + did_you_mean(attribute, HTML_ATTRIBUTES), "no reading system knows it, "
                    "and EPUBCheck refuses the document: mend its name, or keep what it holds "
                    "in data-…=", f" {attribute}=")
    identifier = element.get("id")
    if identifier is not None:
        if not identifier or re.search(r"\s", identifier):
            problem(f"the id {identifier!r} is empty or holds a space",
                    "an id is one word", f'id="{identifier}"')
        elif identifier in checked.ids:
            problem(f"the id {identifier!r} is used twice in {name}",
                    "each id may stand once in a document; give the second another",
                    f'id="{identifier}"', f"id: {identifier}")
        checked.ids.add(identifier)
    _check_languages(element, problem)
    if namespace == XHTML:
        if tag == "a" and in_link:
            problem("a link inside a link", "a link may not contain another link; close the "
                    "first <a> before opening the next", f'<a href="{element.get("href")}"')
        if tag in BLOCKS and in_phrasing:
            problem(f"<{tag}> inside an element that holds only text (such as <p>, <span>, "
                    "<a> or a heading)", f"close the enclosing element before <{tag}>, or use "
                    "a <span> in place of it", f"<{tag}")
        if tag in ("ol", "ul"):
            for child in element:
                if isinstance(child.tag, str) and _split(child.tag)[1] != "li":
                    problem(f"<{_split(child.tag)[1]}> directly in a <{tag}>",
                            "a list holds <li> elements only", f"<{tag}")
        if tag == "style" and element.text:
            for url, line in css_urls(element.text):
                _reference(checked, name, url, (element.sourceline or 1) + line - 1,
                           problem, resource=True)
        if element.get("style"):
            for url, _ in css_urls(element.get("style"), declarations=True):
                _reference(checked, name, url, element.sourceline, problem, resource=True)
        if element.get("srcset"):
            problem("srcset is not supported in the EPUB", "name one image, with src",
                    "srcset=")
        # The package says its images have their text alternatives (accessibilityFeature).
        if tag == "img" and element.get("alt") is None:
            problem("an image without alt text: a reader who cannot see it is told nothing of "
                    "it", 'write what it shows in alt="…", or alt="" for an ornament that '
                    "says nothing", "<img")
        href = element.get("href")
        if href is not None:
            # <a> and <area> link to a place; <link> loads a stylesheet.
            _reference(checked, name, href, element.sourceline, problem,
                       resource=tag not in ("a", "area"))
    for attribute in RESOURCE_ATTRIBUTES:
        value = element.get(attribute)
        if value is not None:
            _reference(checked, name, value, element.sourceline, problem, resource=True)
    if namespace == SVG and tag in ("image", "use", "feImage") and element.get("href"):
        _reference(checked, name, element.get("href"), element.sourceline, problem,
                   resource=True)
    inner = (*near, identifier) if identifier else near
    phrasing = in_phrasing or (namespace == XHTML and tag in PHRASING_ONLY)
    for child in element:
        _walk(child, name, checked, inner, in_link or (namespace == XHTML and tag == "a"),
              phrasing)


def _check_languages(element, problem) -> None:
    lang, xml_lang = element.get("lang"), element.get(XML_LANG)
    for value in {lang, xml_lang} - {None, ""}:
        wrong = check_language_tag(value)
        if wrong:
            problem(f"lang=\"{value}\": {wrong}", "write a BCP 47 language tag, such as 'en', "
                    "'el', 'ru' or 'pl'", f'lang="{value}"', value)
    if lang is not None and xml_lang is not None and lang != xml_lang:
        problem(f'lang="{lang}" and xml:lang="{xml_lang}" differ on one element',
                "give both attributes the same tag (the macro lang_attrs writes both)",
                f'lang="{lang}"')


class Refused(Exception):
    """A URL that no valid EPUB may hold."""

    def __init__(self, message: str, hint: str, *markup: str):
        super().__init__(message)
        self.message, self.hint, self.markup = message, hint, markup


def resolve(base: str, url: str, resource: bool) -> tuple[str, str] | None:
    """The package file and the fragment that `url`, written in the package file `base`,
    leads to; None for a hyperlink to the web, which the reading system loads nothing for.
    A `resource` is a file the reading system loads (an image, a stylesheet, a font)."""
    written = url.strip()
    try:
        parts = urlsplit(written)
    except ValueError:
        raise Refused(f"{written!r} is not a valid URL", "check the reference's quotes",
                      written) from None
    if parts.scheme.lower() == "data":
        # Refused rather than unpacked: an image has one home, a file of the theme, where it
        # is checked, listed in the manifest, and seen by whoever reviews the theme.
        raise Refused(f"a data: URL ({written[:40]}…) in the EPUB", "put the image in the "
                      "theme's folder (e.g. images/) and name it by its path; the EPUB "
                      "packages it", written[:40], written[:12])
    if parts.scheme or parts.netloc or written.startswith("/"):
        if not resource and parts.scheme.lower() in HYPERLINK_SCHEMES:
            return None
        raise Refused(f"{written!r} refers to a file outside the EPUB, which packages only "
                      "files of the template folders", "name a file of the theme's folder by "
                      "a relative path, such as images/logo.png", written)
    fragment = unquote(parts.fragment)
    bad = BAD_FRAGMENT.search(fragment)
    if bad:
        raise Refused(f"the link {written!r} holds {bad.group()!r}, which a URL may not",
                      "ids and note labels take letters, digits, '-' and '_' only",
                      parts.fragment, f"[^{fragment.split('-', 1)[-1][1:]}]")
    target = package_name(base, unquote(parts.path)) if parts.path else base
    if target is None:
        raise Refused(f"{written!r} leads outside the EPUB", "name a file of the theme's "
                      "folder by a relative path without '..'", written)
    return target, fragment


def _reference(checked: Checked, name: str, url: str, line: int | None, problem,
               resource: bool) -> None:
    try:
        found = resolve(name, url, resource)
    except Refused as refused:
        problem(refused.message, refused.hint, *refused.markup)
        return
    if found is None:
        return
    where = Problem("", "", line, (url.strip(),))
    if resource:
        checked.references.append((Reference(found[0], line, url.strip()), where))
    else:
        checked.links.append((*found, where))


def package_name(base: str, relative: str) -> str | None:
    """`relative`, as written in the package file `base`, as a name in the package; None if
    it would leave the package."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), relative))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


def css_urls(css: str, declarations: bool = False) -> Iterator[tuple[str, int]]:
    """Each URL a stylesheet (or a style attribute) loads, with its line: url(), @import."""
    import tinycss2

    nodes = (tinycss2.parse_blocks_contents(css) if declarations
             else stylesheet_rules(css))
    yield from _urls(nodes)


def _urls(nodes: Iterable) -> Iterator[tuple[str, int]]:
    for node in nodes:
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword == "namespace":
            continue  # a namespace's URL names, it does not load
        if kind == "at-rule" and node.lower_at_keyword == "import":
            first = next((t for t in node.prelude if t.type not in ("whitespace", "comment")),
                         None)
            if first is not None and first.type == "string":
                yield first.value, first.source_line
        if kind == "url":
            yield node.value, node.source_line
        elif kind == "function" and node.lower_name == "url":
            strings = [t for t in node.arguments if t.type == "string"]
            if strings:
                yield strings[0].value, node.source_line
        for children in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, children, None)
            if isinstance(inner, list):
                yield from _urls(inner)


def check_links(documents: dict[str, Checked]) -> dict[str, list[Problem]]:
    """Each internal link that reaches no packaged document, or no id in it, by document."""
    broken: dict[str, list[Problem]] = {}
    for name, checked in documents.items():
        for target, fragment, where in checked.links:
            if target not in documents:
                message = (f"the link {where.markup[0]!r} leads to {target}, which is not a "
                           "document of this book")
                hint = "link to a document the EPUB holds: " + ", ".join(sorted(documents))
            elif fragment and fragment not in documents[target].ids:
                message = f"the link {where.markup[0]!r} leads to no id {fragment!r} in {target}"
                hint = "link to an id that the document holds, or give the element that id"
            else:
                continue
            broken.setdefault(name, []).append(Problem(message, hint, where.line, where.markup))
    return broken


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _near(element, near: tuple[str, ...]) -> tuple[str, ...]:
    """The ids that place `element`: its own, its ancestors', and (in the contents, where a
    text's headings are repeated) the id its enclosing link leads to."""
    ids = [element.get("id")] if element.get("id") else []
    for ancestor in (element, *element.iterancestors()):
        href = ancestor.get("href") if isinstance(ancestor.tag, str) else None
        if href and "#" in href:
            ids.append(unquote(href.split("#", 1)[1]))
    return tuple(ids) + tuple(reversed(near))


def _quote_line(rendered: str, line: int | None) -> str:
    lines = rendered.split("\n")
    if not line or line > len(lines):
        return "the document"
    text = lines[line - 1].strip()
    return repr(text if len(text) <= 80 else text[:77] + "…")


A_TAG = re.compile(r"<[^<>]*>")


def _markup_at(rendered: str, line: int | None, column: int) -> tuple[str, ...]:
    """Pieces of the rendered line at a syntax error, longest first, to find it in a template:
    the whole line, then the tags just before the error."""
    lines = rendered.split("\n")
    if not line or line > len(lines):
        return ()
    text = lines[line - 1]
    head = text[:column] if column else text
    tags = re.findall(r"<[^<>]*>?", head)
    pieces = [text.strip(), "".join(tags[-2:]), tags[-1] if tags else ""]
    return tuple(p for p in pieces if p)


class Locator:
    """Traces a problem in a rendered document to the file and line that wrote it: a template
    of those the document was rendered from, or a source of the book."""

    def __init__(self, templates: list[Path], sources: list[Path],
                 places: dict[str, tuple[Path, int]]):
        self.templates = templates
        self.sources = sources
        self.places = places  # ids of the model (paragraphs, notes) and where they stand
        self._lines: dict[Path, list[str]] = {}

    def error(self, problem: Problem, document: str, fallback: Path) -> BookError:
        """The problem at its file and line; at a file alone, it names the document too. A
        line found is the same mistake as the PDF's check of it finds, reported once."""
        path, line = self.locate(problem)
        message = problem.message if line else f"{problem.message} (in the EPUB's {document})"
        return BookError(message, path or fallback, line, problem.hint)

    def locate(self, problem: Problem) -> tuple[Path | None, int | None]:
        for markup in problem.markup:
            for path in (*self.templates, *self.sources):
                line = self._find(path, markup)
                if line:
                    return path, line
        for identifier in problem.near:
            if identifier in self.places:
                return self.places[identifier]
            for path in self.sources:
                pattern = "{#" + identifier + "}" if path.suffix == ".md" else None
                line = self._find(path, pattern) if pattern else self._find_key(path, identifier)
                if line:
                    return path, line + 1 if pattern else line
        return None, None

    def _read(self, path: Path) -> list[str]:
        if path not in self._lines:
            try:
                self._lines[path] = read_text(path, path.parent).split("\n")
            except (OSError, BookError):
                self._lines[path] = []
        return self._lines[path]

    def _find(self, path: Path, markup: str) -> int | None:
        if len(markup) < 3:
            return None
        return next((n for n, text in enumerate(self._read(path), 1) if markup in text), None)

    def _find_key(self, path: Path, identifier: str) -> int | None:
        key = re.compile(rf"\bid:\s*['\"]?{re.escape(identifier)}['\"]?\s*$")
        return next((n for n, text in enumerate(self._read(path), 1) if key.search(text)), None)
