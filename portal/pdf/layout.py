"""Lay out a document's HTML into a PDF with WeasyPrint, resources fetched restrictedly.

The text is set in the project's Traditional Chinese cut of Noto Sans CJK TC
(:mod:`portal.pdf.fonts`, declared here with ``@font-face``), falling back to Debian's
``fonts-noto-cjk`` through fontconfig (the stylesheets name both); WeasyPrint subsets and
embeds what a document uses.
"""

from __future__ import annotations

import threading

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

from portal.pdf import fonts
from portal.pdf.fetch import BASE_URL, RestrictedFetcher

_local = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's font configuration, kept across documents.

    A worker renders one document after another: finding and loading the CJK fonts once
    a process (a thread) instead of once a document saves about a tenth of a rendering
    (measured on the inspection report: 0.375 s → 0.329 s, medians of ten, interleaved).
    Kept per set of built fonts: a configuration that has loaded the project's font keeps
    it, so one whose files went away is not reused (the documents fall back to the system).
    """
    key = (str(fonts.font_dir()), *(face.filename for face in fonts.available_faces()))
    config = getattr(_local, "font_config", None)
    if config is None or getattr(_local, "font_key", None) != key:
        config = _local.font_config = FontConfiguration()
        _local.font_key = key
        _local.font_sheets = None
    return config


def font_stylesheets(fetcher: RestrictedFetcher) -> list[CSS]:
    """The ``@font-face`` rules of the project's built fonts (none built: no rules).

    Declared here rather than in ``report.css`` so that a missing font file (a checkout
    where ``build_pdf_fonts`` has not run) costs nothing but the fallback to the system
    font, with no refused URL and no warning per document. Parsed once per font
    configuration, which loads the files through the first document's fetcher and keeps
    them (WeasyPrint adds a face to a configuration once).
    """
    config = font_configuration()
    if _local.font_sheets is None:
        rules = fonts.font_face_css()
        _local.font_sheets = (
            [CSS(string=rules, url_fetcher=fetcher, font_config=config)] if rules else []
        )
    return _local.font_sheets


def html_document(html: str, fetcher: RestrictedFetcher | None = None) -> Document:
    """Lay out ``html`` into pages, loading resources through ``fetcher`` only."""
    fetcher = fetcher if fetcher is not None else RestrictedFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=font_stylesheets(fetcher), font_config=font_configuration()
    )


def write_pdf(html: str, fetcher: RestrictedFetcher | None = None) -> bytes:
    """Return the PDF bytes of ``html``, fonts subset and embedded."""
    return html_document(html, fetcher).write_pdf()
