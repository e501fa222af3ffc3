"""Real files for upload tests: uploads are decoded (images) and parsed (PDFs) on arrival,
so a signature followed by zeros no longer passes for a picture or a document."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def png_bytes(size: tuple[int, int] = (4, 3), colour=(0, 128, 255)) -> bytes:
    """Return a small PNG, encoded as the portal encodes an accepted one."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG", optimize=True)
    return output.getvalue()


def pdf_bytes(javascript: str | None = None) -> bytes:
    """Return a one-page PDF; with ``javascript``, a document-level script (/Names tree)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript is not None:
        action = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject(javascript),
                }
            )
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("open"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_with_open_action(script: str) -> bytes:
    """Return a PDF whose catalogue runs ``script`` through /OpenAction (no /Names tree)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


PNG = png_bytes()
PDF = pdf_bytes()
