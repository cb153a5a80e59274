"""Stage 4a: the PDF, drawn by WeasyPrint from the rendered book template."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import jinja2

from .errors import BookError
from .model import Book
from .output import atomic_path
from .render import render


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(book: Book, env: jinja2.Environment, search_path: list[Path], target: Path) -> list[str]:
    """Write the PDF to `target`; returns WeasyPrint's warnings, which callers must show."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    from .fetch import SearchPathFetcher

    html = render(env, "pdf/book.html", book)
    base = search_path[0].resolve()
    fetcher = SearchPathFetcher(search_path, base)
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=FontConfiguration()
        )
        with atomic_path(target) as temporary:
            document.write_pdf(
                temporary,
                # A stable /ID: the same edition is the same document, whenever it is built.
                pdf_identifier=hashlib.sha256(book.edition.identifier.encode()).hexdigest()[:32].encode(),
                custom_metadata=True,
            )
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise BookError(f"the PDF was not written: {cause}", hint="templates may refer only "
                        "to files in their own folders") from None
    finally:
        logger.removeHandler(collect)
    return collect.messages
