"""Render document data (a plain dict from :mod:`.gather`) to PDF bytes with WeasyPrint.

No ORM and no network: the HTML comes from ``compliance/documents/notice.html`` or
``decision.html`` rendered with the dict in the document's language, its stylesheets
are the project's static files, and :mod:`portal.pdf.layout` lays it out with the
restricted fetcher, the Chinese text set in Noto Sans CJK TC, subset and embedded.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from compliance.choices import DocumentKind
from portal.pdf.layout import write_pdf
from portal.pdf.qr import qr_svg

TEMPLATES = {
    DocumentKind.RECTIFICATION_NOTICE: "compliance/documents/notice.html",
    DocumentKind.PENALTY_DECISION: "compliance/documents/decision.html",
}
_HTML_LANG = {"zh-hant": "zh-Hant", "en": "en"}


def render_html(data: dict) -> str:
    """Return the document's HTML in its language."""
    language = data.get("language", "zh-hant")
    with translation.override(language):
        return render_to_string(
            TEMPLATES[data["kind"]],
            {
                "doc": data,
                "html_lang": _HTML_LANG.get(language, language),
                "qr": qr_svg(data["verification_url"]) if data.get("verification_url") else "",
            },
        )


def render_pdf(data: dict) -> bytes:
    """Return the document's PDF bytes."""
    return write_pdf(render_html(data))
