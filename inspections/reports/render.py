"""Render report data (a plain dict from :mod:`.gather`) to PDF bytes with WeasyPrint.

No ORM and no network: the HTML comes from the template ``inspections/report.html``
rendered with the dict, its stylesheet is ``static/css/report.css``, and every resource
goes through :class:`portal.pdf.fetch.RestrictedFetcher`. The text is set in
Noto Sans CJK TC (Debian's ``fonts-noto-cjk``, found through fontconfig), which
WeasyPrint subsets and embeds; with Debian's ``libharfbuzz-subset0`` it subsets with
HarfBuzz (fast), without it with fontTools (about twenty times slower for CJK), which
:func:`harfbuzz_subsetting` lets tests and the benchmark check.
"""

from __future__ import annotations

import importlib
import io
import logging
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image, ImageOps, UnidentifiedImageError
from weasyprint import Document

from portal.pdf.fetch import RestrictedFetcher, photo_url
from portal.pdf.layout import html_document
from portal.pdf.qr import qr_svg

logger = logging.getLogger(__name__)

TEMPLATE = "inspections/report.html"
# Photos are printed at most about 8 cm wide: 1600 px is more than 300 dpi there.
PHOTO_MAX_PX = 1600
PHOTO_JPEG_QUALITY = 85
_HTML_LANG = {"zh-hant": "zh-Hant", "en": "en"}


def harfbuzz_subsetting() -> bool:
    """Return whether WeasyPrint subsets fonts with HarfBuzz (not the slow fontTools path)."""
    libraries = importlib.import_module("weasyprint.text.ffi")
    if getattr(libraries, "harfbuzz_subset", None) is None:
        return False
    # WeasyPrint's own condition (weasyprint/pdf/fonts.py): HarfBuzz 4.1 or later.
    return bool(libraries.harfbuzz.hb_version_atleast(4, 1, 0))


def scale_photo(data: bytes, max_px: int = PHOTO_MAX_PX) -> bytes | None:
    """Return a photo as a JPEG no larger than ``max_px`` on its longer side (None: unreadable)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_px, max_px))
            output = io.BytesIO()
            image.convert("RGB").save(output, "JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        logger.warning("A photo of a report could not be read as an image; it is left out.")
        return None
    return output.getvalue()


def prepare_photos(photos: Iterable[dict]) -> tuple[list[dict], dict[str, tuple[bytes, str]]]:
    """Return the photos to show (each with a ``src``) and the bytes the fetcher serves."""
    shown, served = [], {}
    for photo in photos:
        scaled = scale_photo(photo["data"]) if photo.get("data") else None
        entry = {key: value for key, value in photo.items() if key != "data"}
        entry["src"] = photo_url(photo["sha256"]) if scaled else ""
        if scaled:
            served[photo["sha256"]] = (scaled, "image/jpeg")
        shown.append(entry)
    return shown, served


def render_html(data: dict, photos: list[dict] | None = None) -> str:
    """Return the report's HTML in its language (``photos``: as :func:`prepare_photos` gives)."""
    language = data.get("language", "zh-hant")
    report = {**data, "photos": photos if photos is not None else prepare_photos(data["photos"])[0]}
    with translation.override(language):
        return render_to_string(
            TEMPLATE,
            {
                "report": report,
                "html_lang": _HTML_LANG.get(language, language),
                "qr": qr_svg(data["verification_url"]) if data.get("verification_url") else "",
            },
        )


def render_document(data: dict, *, fetcher: RestrictedFetcher | None = None) -> Document:
    """Return the laid-out report (its ``pages`` can be counted before writing the PDF)."""
    photos, served = prepare_photos(data.get("photos", []))
    if fetcher is None:
        fetcher = RestrictedFetcher(photos=served)
    else:
        fetcher.photos.update(served)
    return html_document(render_html(data, photos), fetcher)


def render_report(data: dict, *, fetcher: RestrictedFetcher | None = None) -> bytes:
    """Return the report's PDF bytes, fonts subset and embedded."""
    return render_document(data, fetcher=fetcher).write_pdf()
