"""Lay out a document's HTML into a PDF with WeasyPrint, resources fetched restrictedly.

The text is set in Noto Sans CJK TC (Debian's ``fonts-noto-cjk``, found through
fontconfig; the stylesheets name it), which WeasyPrint subsets and embeds.
"""

from __future__ import annotations

from weasyprint import HTML, Document

from portal.pdf.fetch import BASE_URL, RestrictedFetcher


def html_document(html: str, fetcher: RestrictedFetcher | None = None) -> Document:
    """Lay out ``html`` into pages, loading resources through ``fetcher`` only."""
    fetcher = fetcher if fetcher is not None else RestrictedFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def write_pdf(html: str, fetcher: RestrictedFetcher | None = None) -> bytes:
    """Return the PDF bytes of ``html``, fonts subset and embedded."""
    return html_document(html, fetcher).write_pdf()
