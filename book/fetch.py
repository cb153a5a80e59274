"""What the PDF writer may read: files of the template search path and data: URLs, nothing else.

WeasyPrint's default fetcher would read any file: or network URL a template names; this one
resolves a relative reference along the search path, so an edition's folder can shadow a
stylesheet or a font of the theme it extends, and refuses everything outside it.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .limits import MAX_IMAGE_PIXELS, MAX_RESOURCE_BYTES
from .render import find_on_path

MEDIA_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class RefusedReference(FatalURLFetchingError):
    pass


class SearchPathFetcher(URLFetcher):
    def __init__(self, search_path: list[Path]):
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
        found = find_on_path(relative, self.search_path)
        if found is None:
            raise RefusedReference(f"{relative!r} is not in any template folder")
        media_type = MEDIA_TYPES.get(found.suffix.lower(), "application/octet-stream")
        data = found.read_bytes()
        check_resource(repr(relative), media_type, data)
        return URLFetcherResponse(found.as_uri(), data, {"Content-Type": media_type})


def check_resource(name: str, media_type: str, data: bytes) -> None:
    if len(data) > MAX_RESOURCE_BYTES:
        raise RefusedReference(f"{name} is {len(data):,} bytes, more than a book needs")
    if media_type in ("image/png", "image/jpeg"):
        check_image(name, data)


def check_image(name: str, data: bytes) -> None:
    """Refuse an image whose pixels would fill the memory once decoded (a few bytes of PNG
    can declare a picture of billions of pixels)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        raise RefusedReference(f"{name} declares more pixels than a book needs (at most "
                               f"{MAX_IMAGE_PIXELS:,})") from None
    except OSError as error:
        raise RefusedReference(f"{name} is not an image this tool can read: {error}") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise RefusedReference(f"{name} is {width:,} × {height:,} pixels, more than a book "
                               f"needs (at most {MAX_IMAGE_PIXELS:,})")
