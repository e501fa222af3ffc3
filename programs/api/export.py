"""Open data: every list of programme records as CSV or JSON (``export/?format=csv|json``).

The export holds every visible row that matches the list's filters, unpaginated. CSV is
UTF-8 with a byte-order mark (so spreadsheets read the names in Chinese and Japanese),
nested values flattened (``programme.code``; lists joined with "; "), and text that a
spreadsheet would run as a formula written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework import renderers

UTF8_BOM = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def guard_formula(text: str) -> str:
    """Return ``text`` with an apostrophe before it if a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("label") or value.get("name_en") or value.get("id") or "")
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    return str(value)


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Return a serialized record as flat CSV cells (nested objects as ``parent.child``)."""
    cells: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            cells.update(flatten(value, f"{name}."))
        else:
            cells[name] = guard_formula(_cell(value))
    return cells


class CsvRenderer(renderers.BaseRenderer):
    """Render a list of records (or an error) as CSV with a BOM and guarded formulas."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data if isinstance(data, list) else [data] if data else []
        flat = [flatten(row) for row in rows]
        header: list[str] = []
        for row in flat:
            header.extend(name for name in row if name not in header)
        if not header and renderer_context and renderer_context.get("view") is not None:
            header = list(renderer_context["view"].get_serializer().fields)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat)
        return (UTF8_BOM + out.getvalue()).encode(self.charset)
