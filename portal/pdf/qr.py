"""QR codes printed on documents (segno: pure Python, no image library, SVG out).

A document carries the address of its public verification page as a QR code; WeasyPrint
draws the inline SVG as vectors, so it stays sharp on paper at any size.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, size_mm: int = 28) -> SafeString:
    """Return an inline SVG QR code of ``url``, ``size_mm`` wide (error correction M)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=4, title=url, omitsize=True)  # a quiet zone for scanners
    # Without a size the SVG's viewBox is in modules: size it on the page in millimetres.
    sized = svg.replace("<svg ", f'<svg width="{size_mm}mm" height="{size_mm}mm" ', 1)
    return mark_safe(sized)  # noqa: S308 (segno's own markup; the URL is escaped in the title)


__all__ = ["qr_svg"]
