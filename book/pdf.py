"""Stage 4a: the PDF, drawn by WeasyPrint from the rendered book template."""

from __future__ import annotations

import gc
import hashlib
import html as html_module
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from . import anchors
from .errors import BookError
from .files import TemplateFolders
from .findings import LoggedWarnings
from .glyphs import check_glyphs
from .limits import CSS_HINT, LimitExceeded, css_length_problem, css_problem
from .model import Book
from .output import atomic_path
from .pdftags import correct_tags
from .relayout import Relayout, relaid, rules
from .render import Links, render

# Python's collector while a PDF's pages are laid out, checked and drawn: a young collection
# after 50,000 objects made, not 700 (fewer_collections says why).
COLLECTOR_THRESHOLDS = (50_000, 20, 20)
# Tagged, with a structure tree, the document's language and title: PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"
# A <style> element's content, or a style="…" attribute's.
INLINE_CSS = re.compile(r"""<style[^>]*>(.*?)</style>|\sstyle=(?:"([^"]*)"|'([^']*)')""",
                        re.DOTALL | re.IGNORECASE)


def book_html(book: Book, env: jinja2.Environment, search_path: TemplateFolders,
              glyph_places: Sequence[Path] = ()) -> str:
    """The book's HTML as WeasyPrint will lay it out, checked: what `check` makes of a PDF."""
    html = render(env, "pdf/book.html", book, links=Links())
    for sheet, double_quoted, single_quoted in INLINE_CSS.findall(html):
        problem = css_problem(html_module.unescape(sheet)) if sheet else \
            css_length_problem(html_module.unescape(double_quoted or single_quoted))
        if problem:
            raise LimitExceeded(f"a stylesheet in the book's templates: {problem[1]}",
                                search_path[0], hint="give lengths a page can hold")
    check_glyphs(html, search_path, glyph_places)
    return html


@dataclass(frozen=True)
class Laid:
    """A book laid out, not yet written: what the PDF is drawn from and the page check reads."""

    document: Any  # WeasyPrint's Document
    warnings: list[str]  # what WeasyPrint logged while laying out
    moved: frozenset[str]  # blocks the re-layout started on a new page (break-before: page)
    families: frozenset[str]  # the @font-face families: the book's typeface
    html: str = ""  # what WeasyPrint laid out
    rules: str = ""  # the re-layout's rules, as a stylesheet (book/relayout.py)


def lay_out(book: Book, env: jinja2.Environment, search_path: TemplateFolders,
            glyph_places: Sequence[Path] = ()) -> Laid:
    """Lay the book out as its PDF will be drawn, each note on the page of its call (or as
    near as the mending of book/relayout.py can bring it)."""
    from weasyprint import HTML

    from .fetch import SearchPathFetcher

    html = book_html(book, env, search_path, glyph_places)
    base = search_path[0].resolve()
    blocks = frozenset({p.id for t in book.texts for p in t.paragraphs} | {
        s.id for t in book.texts for s in t.sections if s.id
    })
    relayout = Relayout(blocks)
    font_config = _book_fonts()()
    with weasyprint_errors(search_path) as warnings, relaid(relayout), _lean_layout():
        document = HTML(string=html, base_url=base.as_uri() + "/",
                        url_fetcher=SearchPathFetcher(search_path)).render(
                            font_config=font_config, pdf_variant=PDF_VARIANT)
    if relayout.left:
        warnings.append("some notes could not be kept on the page of their call")
    return Laid(document, warnings, relayout.moved, frozenset(font_config.families), html,
                rules(relayout.steps, relayout.tracked))


def write_pdf(
    book: Book, env: jinja2.Environment, search_path: TemplateFolders, target: Path,
    when: datetime, strict: bool = False, glyph_places: Sequence[Path] = (),
    laid: Laid | None = None,
) -> list[str]:
    """Write the PDF/UA-1 file to `target`, from `laid` if the book is laid out already;
    returns WeasyPrint's warnings, which callers must show. Under `strict`, a warning stops
    the build before the file is moved into place."""
    laid = laid or lay_out(book, env, search_path, glyph_places)
    _page_references_kept()
    # The date the build stamps (the edition's, or its commit's) is the PDF's, as the EPUB's,
    # unless a template gives its own (<meta name="dcterms.created">).
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata = laid.document.metadata
    metadata.created, metadata.modified = metadata.created or stamp, metadata.modified or stamp
    with weasyprint_errors(search_path) as warnings:
        warnings[:0] = laid.warnings
        with atomic_path(target) as temporary, source_date(when):
            padded(laid.document, book.edition.page.page_multiple).write_pdf(
                temporary,
                pdf_variant=PDF_VARIANT,
                # A stable /ID: the same edition is the same document, whenever it is built.
                pdf_identifier=hashlib.sha256(book.edition.identifier.encode()).hexdigest()[:32]
                .encode(),
                custom_metadata=True,
                finisher=lambda doc, pdf: (correct_tags(doc, pdf, link_words(book, env)),
                                           _bleed_boxes(pdf, book.edition.page.bleed_mm)),
            )
            # Warnings logged while drawing count too; the file is not moved into place.
            if strict and warnings:
                raise BookError("WeasyPrint warned (--strict): " + "; ".join(warnings),
                                hint="each warning names what could not be drawn as written; "
                                "mend it, or build without --strict")
    return warnings


def _bleed_boxes(pdf, bleed_mm: float) -> None:
    """Each page's BleedBox, the bleed the edition gives around its TrimBox. WeasyPrint puts
    it between the TrimBox and the sheet's edge, at most 10 pt out: a 5 mm bleed, or one with
    crop marks beyond it, would be cut short."""
    import pydyf

    bleed = bleed_mm * 72 / 25.4
    for number in pdf.pages["Kids"][::3]:
        page = pdf.objects[number]
        left, top, right, bottom = page["TrimBox"]
        page["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed,
                                        bottom + bleed])


def blank_pages(count: int, multiple: int) -> int:
    """How many blank pages make `count` pages a multiple of `multiple`."""
    return -count % multiple


def padded(document, multiple: int):
    """`document` with blank pages after its last, up to a multiple of `multiple` pages, as
    the printer folds its sheets: each is the last page's box, its size, bleed and marks,
    without its content (running heads and folios included). The pages laid out stay as
    they are: the page check and the EPUB's page markers read them."""
    from weasyprint.document import Page

    missing = blank_pages(len(document.pages), multiple)
    if not missing:
        return document
    last = document.pages[-1]._page_box
    return document.copy(document.pages + [Page(last.copy_with_children([]))
                                           for _ in range(missing)])


class _PageReferences:
    """pydyf's `PDF.page_references`, made once per count of pages: pydyf makes the tuple of
    every page's reference anew each time it is asked, and WeasyPrint's tagging asks once per
    tagged element, so drawing grew with pages × elements (a third of a 600-page book's).
    Pages are only ever added (`PDF.add_page`), so the count tells when to make it again."""

    def __get__(self, pdf, owner=None):
        if pdf is None:
            return self
        kids = pdf.pages["Kids"]
        count, references = pdf.__dict__.get("_page_references", (None, ()))
        if count != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            pdf.__dict__["_page_references"] = (len(kids), references)
        return references


def _page_references_kept() -> None:
    import pydyf

    if not isinstance(pydyf.PDF.__dict__["page_references"], _PageReferences):
        _PageReferences.pydyfs = pydyf.PDF.__dict__["page_references"]  # for the tests
        pydyf.PDF.page_references = _PageReferences()


@contextmanager
def _lean_layout() -> Iterator[None]:
    """WeasyPrint without what its layout keeps and no longer reads: the computed style of
    every element, cached while the boxes are built (each box holds its own), and, once the
    pages are made, that cache, the targets' pending boxes and the page maker's states, which
    the layout context keeps as long as the document (an SVG image holds the context). The
    page styles and the root's stay while the pages are made. The reader's PDF with its texts
    16 times as long: 392 MiB at most instead of 451, the same bytes. A WeasyPrint that keeps
    them elsewhere lays out as it is."""
    from weasyprint import document as module

    try:
        from weasyprint.layout.page import PageType
    except ImportError:
        yield
        return
    layout_document = module.layout_document

    def lean(html, root_box, context, *args, **kwargs):
        try:
            styles = context.style_for.get_computed_styles()
            leftovers = (styles, context.target_collector.target_lookup_items,
                         context.target_collector.counter_lookup_items)
        except AttributeError:
            yield from layout_document(html, root_box, context, *args, **kwargs)
            return
        root = html.etree_element
        for key in [k for k in styles if k[0] is not root and not isinstance(k[0], PageType)]:
            del styles[key]
        yield from layout_document(html, root_box, context, *args, **kwargs)
        for leftover in (*leftovers, getattr(context, "page_maker", [])):  # made by the layout
            leftover.clear()

    module.layout_document = lean
    try:
        yield
    finally:
        module.layout_document = layout_document


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic collector, run less often while a PDF's document is alive: from its
    layout to its drawing, the page check between. A layout makes a box, a style and a line
    for every piece of text, and keeps them as long as the document: at Python's default
    thresholds the collector walks all of them again and again, and finds almost nothing to
    free. It took 0.3 s of the reader's 4.9 s, 3.7 s of 42 s for the reader 16 times as long
    (five and fifteen full collections); with these thresholds, none, for 2% more memory at
    the peak. The process's own thresholds come back after, for a preview or a test run that
    goes on."""
    previous = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextmanager
def weasyprint_errors(search_path: TemplateFolders) -> Iterator[list[str]]:
    """Collect what WeasyPrint (and fontTools, while it subsets the fonts) logs, for the user;
    its failures become errors that name what to mend."""
    from weasyprint.urls import FatalURLFetchingError

    loggers = [logging.getLogger("weasyprint"), logging.getLogger("fontTools")]
    collect = LoggedWarnings()
    for logger in loggers:
        logger.addHandler(collect)
    try:
        yield collect.messages
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        if getattr(cause, "path", None) is not None:  # a file of the templates is at fault
            raise BookError(str(cause), cause.path, cause.line,
                            hint=getattr(cause, "hint", None) or CSS_HINT) from None
        raise BookError(f"the PDF was not written: {cause}", hint=getattr(cause, "hint", None)
                        or "a template or a source may refer only to files in the template "
                        "folders, of a reasonable size; nothing on the network") from None
    except RecursionError:
        raise LimitExceeded("the book's markup is nested too deeply to lay out",
                            hint="a template nests elements without end") from None
    except (BookError, MemoryError):
        raise
    except Exception as error:
        # WeasyPrint stumbles on some values it is given (a length of 1e300 in an inline
        # style); the templates or stylesheets of the edition are the cause to look at.
        raise BookError(f"WeasyPrint could not lay out the book: {type(error).__name__}: "
                        f"{' '.join(str(error).split())[:200]}", search_path[0],
                        hint="a value in the edition's templates or stylesheets is beyond "
                        "what WeasyPrint handles; undo the last change there") from None
    finally:
        for logger in loggers:
            logger.removeHandler(collect)


def read_hyphenation(languages: Iterable[str]) -> None:
    """Read the hyphenation patterns of `languages` into this process: pyphen keeps what it
    read for the process, and a layout asks for the patterns of each language it hyphenates,
    so the processes forked to lay the PDFs out find them read (German's take 0.8 s to read,
    Russian's 0.02 s). WeasyPrint is imported on the way, for the same reason."""
    import pyphen
    import weasyprint  # noqa: F401

    for lang in dict.fromkeys(languages):
        if pyphen.language_fallback(lang):  # as WeasyPrint asks (text/line_break.py)
            pyphen.Pyphen(lang=lang)


@cache
def _book_fonts():
    """A FontConfiguration that remembers the families its @font-face rules name (made on
    first use: WeasyPrint is imported only when a book is laid out)."""
    from weasyprint.text.fonts import FontConfiguration

    class BookFonts(FontConfiguration):
        def __init__(self) -> None:
            super().__init__()
            self.families: set[str] = set()

        def add_font_face(self, rule_descriptors, url_fetcher):
            self.families.add(rule_descriptors["font_family"])
            return super().add_font_face(rule_descriptors, url_fetcher)

    return BookFonts


@contextmanager
def source_date(when: datetime) -> Iterator[None]:
    """fontTools stamps the fonts it subsets with SOURCE_DATE_EPOCH, or with the clock."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def link_words(book: Book, env: jinja2.Environment):
    """The words that name where a link of the book leads (a link annotation's /Contents),
    in the apparatus language, where its own text does not say it: "Note 12" for a note's
    number, the cited work and its page for a citation, whatever its words ("ibid."), "p. 9"
    for a page reference, whose number is generated; the `aria-label` the templates give a
    link ("Paragraph 22" for "¶ 22"). None: the link's own text says it."""
    from markupsafe import Markup

    # The catalog's own strings, translated as the templates translate them.
    note = env.from_string('{{ ngettext("Note %(notes)s", "Notes %(notes)s", 1, notes=n) }}')
    page = env.from_string('{{ _("p.") }}').render()
    notes = {f"#{anchors.note(t.id, n.label)}": note.render(n=n.label) for t in book.texts
             for n in t.notes}
    works = {w.id: " ".join(Markup(w.html).striptags().split()) for w in book.works}

    def words(element, shown: str) -> str | None:
        if element is None:
            return None
        if "page-ref" in element.get("class", "").split():  # its page number is generated
            return shown
        if element.get("aria-label"):  # the name the templates give it ("Paragraph 22")
            return element.get("aria-label")
        work = works.get(element.get("data-work", ""))
        if work:
            locator = element.get("data-locator")
            return f"{work.rstrip('.')}, {page}\u00a0{locator}" if locator else work
        return notes.get(element.get("href", ""))

    return words
