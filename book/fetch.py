"""What the PDF writer may read: files of the template search path and data: URLs, nothing else.

WeasyPrint's default fetcher would read any file: or network URL a template names; this one
resolves a relative reference along the search path, so an edition's folder can shadow a
stylesheet or a font of the theme it extends, and refuses everything outside it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import limits
from .errors import ConfigError
from .files import MEDIA_TYPES, TemplateFolders, decoded, read_bytes
from .limits import RESOURCE_HINT, LimitExceeded, css_problem


class RefusedReference(FatalURLFetchingError):
    """A reference WeasyPrint must not follow; `path` and `line` where the fault is, if the
    fetched file itself is at fault (a stylesheet that does not parse)."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.path, self.line, self.hint = path, line, hint


class SearchPathFetcher(URLFetcher):
    def __init__(self, search_path: TemplateFolders):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False,
                         fail_on_errors=True)
        self.search_path = search_path
        self.roots = [p.resolve() for p in search_path]

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            # Inline data is checked as a file would be: a data: PNG can be a bomb too.
            response = super().fetch(url, headers)
            data = response.read()
            check_resource("a data: URL", response.headers.get_content_type(), data)
            return URLFetcherResponse(url, data, dict(response.headers))
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedReference(f"refused to fetch {url!r}: only the template files are read")
        # A reference is resolved against the folder it was written in; what it names is then
        # looked up along the whole path, so a theme may shadow a file of the one it extends.
        path = Path(unquote(parts.path))
        root = next((r for r in self.roots if path.is_relative_to(r)), None)
        if root is None:
            raise RefusedReference(f"refused to read {url!r}: it is outside the templates")
        relative = path.relative_to(root).as_posix()
        try:
            found = self.search_path.find(relative)
        except ConfigError as error:
            raise RefusedReference(error.message, hint=error.hint) from None
        if found is None:
            # Located at the template or stylesheet that names it, as the EPUB's check does.
            path, line = naming_place(self.search_path, relative)
            raise RefusedReference(f"{relative!r} is in no template folder", path, line,
                                   "put the file at that path in one of the template "
                                   "folders: " + self.search_path.shown())
        media_type = MEDIA_TYPES.get(found.suffix.lower(), "application/octet-stream")
        try:
            data = read_bytes(found, self.search_path.root_of(found))
        except ConfigError as error:
            raise RefusedReference(f"{relative!r}: {error.message}") from None
        try:
            limits.check_resource(repr(relative), media_type, data)
        except LimitExceeded as error:
            # Located, as a missing file is, where a template names it.
            path, line = naming_place(self.search_path, relative)
            raise RefusedReference(f"refused: {error.message}", path, line,
                                   error.hint or RESOURCE_HINT) from None
        if media_type == "text/css":
            # WeasyPrint would read a byte that is not UTF-8 as U+FFFD, and print it.
            problem = css_problem(decoded(data, found, RefusedReference))
            if problem:
                line, message = problem
                raise RefusedReference(message, found, line)
        return URLFetcherResponse(found.as_uri(), data, {"Content-Type": media_type})


def check_resource(name: str, media_type: str, data: bytes) -> None:
    """limits.check_resource, as a refusal WeasyPrint stops on."""
    try:
        limits.check_resource(name, media_type, data)
    except LimitExceeded as error:
        raise RefusedReference(error.message, hint=error.hint) from None


def naming_place(search_path: TemplateFolders, relative: str) -> tuple[Path | None, int | None]:
    """The first line of a template or stylesheet the build uses (the first file of each
    name along the search path) that names the file `relative`."""
    name, seen = PurePosixPath(relative).name, set()
    for folder in search_path:
        for path in sorted(folder.rglob("*")):
            inner = path.relative_to(folder).as_posix()
            if path.suffix not in (".html", ".xhtml", ".css") or inner in seen:
                continue
            seen.add(inner)
            try:
                text = read_bytes(path, search_path.root_of(path)).decode("utf-8-sig", "replace")
            except ConfigError:
                continue
            for number, line in enumerate(text.split("\n"), 1):
                if name in line:
                    return path, number
    return None, None
