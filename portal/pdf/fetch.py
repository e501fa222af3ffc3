"""The only way a PDF renderer loads a resource: a restricted URL fetcher.

WeasyPrint would otherwise follow any URL a template names (http, https, ftp, file),
which lets the content of a document reach the network or the server's disk. The
fetcher here serves exactly three things and refuses everything else, recording what
it refused (WeasyPrint logs the refusal and renders on without the resource):

* the project's own static files, named as ``{% static %}`` names them (the HTML is
  rendered with ``BASE_URL``, so ``/static/css/report.css`` arrives here as
  ``file:///static/css/report.css``), resolved through the staticfiles finders or, for
  collected (hashed) names, inside ``STATIC_ROOT``;
* photos passed in as bytes and named ``photo:<sha256>``;
* ``data:`` URIs (inline bytes, nothing to fetch);
* the project's built PDF fonts, named ``pdf-font:<file name>`` (:mod:`portal.pdf.fonts`;
  only the files it builds, from ``PDF_FONT_DIR``).
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.pdf import fonts

logger = logging.getLogger(__name__)

# Relative URLs in a document's HTML resolve against this (never a network location).
BASE_URL = "file:///"
PHOTO_SCHEME = "photo"
FONT_SCHEME = "pdf-font"


class RefusedURL(ValueError):
    """A URL the PDF renderer may not load."""


def photo_url(sha256: str) -> str:
    """Return the URL under which the fetcher serves a photo's bytes."""
    return f"{PHOTO_SCHEME}:{sha256}"


def _static_prefix() -> str:
    """Return the path part of STATIC_URL ("/static/"), with a trailing slash."""
    path = urlsplit(settings.STATIC_URL).path or "/"
    return path if path.endswith("/") else f"{path}/"


def static_file(url: str) -> Path | None:
    """Return the project's static file a ``file:`` URL names, or None if it names none.

    Only paths under STATIC_URL count; ``..`` never leaves the static directories.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix):
        return None
    relative = posixpath.normpath(path[len(prefix) :])
    if relative in ("", ".") or relative.startswith(("..", "/")):
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


class RestrictedFetcher(URLFetcher):
    """Serve static files, the document's photos and ``data:`` URIs; refuse every other URL.

    ``photos`` maps a photo's sha256 to ``(bytes, content_type)``. ``refused`` lists the
    URLs refused, in order, so a caller (or a test) can see what a template asked for.
    """

    def __init__(self, photos: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data", PHOTO_SCHEME, FONT_SCHEME))
        self.photos = dict(photos or {})
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            response = self._data(url)
        elif scheme == PHOTO_SCHEME:
            response = self._photo(url)
        elif scheme == FONT_SCHEME and (path := fonts.font_file(url)) is not None:
            response = URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": "font/otf"}
            )
        elif scheme == "file" and (path := static_file(url)) is not None:
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            response = URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )
        else:
            self._refuse(url)
        self.served.append(url)
        return response

    def open(self, url, data=None, timeout=None):
        """Never let urllib's opener machinery fetch anything behind ``fetch``'s back."""
        return self.fetch(url.full_url if isinstance(url, Request) else url)

    def _photo(self, url: str) -> URLFetcherResponse:
        key = url.partition(":")[2]
        if key not in self.photos:
            self._refuse(url)
        body, content_type = self.photos[key]
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    def _data(self, url: str) -> URLFetcherResponse:
        try:
            response = DataHandler().data_open(Request(url))  # noqa: S310 (data: only, no I/O)
        except ValueError:
            self._refuse(url)
        return URLFetcherResponse(url, response.read(), headers=dict(response.headers))

    def _refuse(self, url: str) -> NoReturn:
        shown = url if len(url) <= 200 else f"{url[:200]}…"
        self.refused.append(url)
        logger.warning("PDF renderer refused to load %s", shown)
        raise RefusedURL(f"Refused to load {shown}: PDFs load only the portal's own files.")
