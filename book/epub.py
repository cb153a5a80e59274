"""Stage 4b: the EPUB 3, assembled by ebooklib from the rendered XHTML templates."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import jinja2

from .errors import BookError
from .model import Book
from .output import atomic_path
from .render import Links, find_on_path, render

STYLESHEETS = ("css/common.css", "css/epub.css", "css/theme.css", "css/custom.css")
FONTS = (
    "fonts/GentiumBookPlus-Regular.ttf",
    "fonts/GentiumBookPlus-Italic.ttf",
    "fonts/GentiumBookPlus-Bold.ttf",
    "fonts/GentiumBookPlus-BoldItalic.ttf",
)


def write_epub(
    book: Book, env: jinja2.Environment, search_path: list[Path], target: Path, when: datetime
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
    ebook.set_identifier(edition.identifier)
    ebook.set_title(edition.title)
    ebook.set_language(edition.language)
    for lang in book.languages:
        if lang != edition.language:
            ebook.add_metadata("DC", "language", lang)
    for text in book.texts:
        if text.author:
            ebook.add_author(text.author)
    if edition.subtitle:
        ebook.add_metadata("DC", "description", edition.subtitle)

    for name in STYLESHEETS + FONTS:
        found = find_on_path(name, search_path)
        if found is None:
            raise BookError(f"{name} is in no template folder", search_path[0])
        media_type = "text/css" if name.endswith(".css") else "font/ttf"
        ebook.add_item(epub.EpubItem(uid=Path(name).stem, file_name=name, media_type=media_type,
                                     content=found.read_bytes()))

    text_files = {text.id: f"text-{text.id}.xhtml" for text in book.texts}

    links = Links(text_files)

    def document(uid: str, file_name: str, template: str, title: str, lang: str, **context):
        item = Document(
            render(env, template, book, links=links, doc_lang=lang, **context),
            uid=uid, file_name=file_name, title=title, lang=lang,
        )
        ebook.add_item(item)
        return item

    language = edition.language
    title_page = document("title-page", "title.xhtml", "epub/title.xhtml", edition.title, language)
    nav = document("nav", "nav.xhtml", "epub/nav.xhtml", edition.title, language)
    nav.properties = ["nav"]
    note = document("note-on-texts", "note-on-texts.xhtml", "epub/note.xhtml", edition.title,
                    language)
    texts = [
        document(f"text-{text.id}", text_files[text.id], "epub/text.xhtml", text.title, text.lang,
                 text=text)
        for text in book.texts
    ]
    chronology = (
        [document("chronology", "chronology.xhtml", "epub/chronology.xhtml", edition.title,
                  language)]
        if book.events else []
    )
    glossary = (
        [document("glossary", "glossary.xhtml", "epub/glossary.xhtml", edition.title, language)]
        if book.glossary else []
    )
    bibliography = (
        [document("bibliography", "bibliography.xhtml", "epub/bibliography.xhtml",
                  edition.title, language)]
        if book.works else []
    )
    colophon = document("colophon", "colophon.xhtml", "epub/colophon.xhtml", edition.title,
                        language)

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
    ebook.spine = [title_page, nav, note, *texts, *chronology, *glossary, *bibliography,
                   colophon]

    with atomic_path(target) as temporary:
        epub.write_epub(str(temporary), ebook, {"epub3_pages": False, "mtime": when})
        repack(temporary, when)


def repack(path: Path, when: datetime) -> None:
    """Rewrite the zip with fixed times and a fixed order, `mimetype` first and stored."""
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = ["mimetype"] + sorted(n for n in entries if n != "mimetype")
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path, "w") as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, entries[name])
