"""Turn an uploaded file into text and rows, refusing what is not a UTF-8 CSV file."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_OTHER_UNICODE_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``line`` is set when one place is to blame."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class CsvRow:
    """The cells of one record and the line of the file where it starts."""

    line: int
    cells: list[str]


def read_csv_text(file) -> str:
    """Return the text of ``file`` (bytes, str or a file object), decoded as UTF-8.

    A UTF-8 byte-order mark (Excel writes one) is dropped. Files larger than
    ``settings.CSV_IMPORT_MAX_BYTES`` or in another encoding raise :class:`ImportFileError`.
    """
    limit = settings.CSV_IMPORT_MAX_BYTES
    if isinstance(file, str):
        data: bytes = file.encode("utf-8")
    elif isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s; split it into smaller files.")
            % {"limit": filesizeformat(limit)}
        )
    not_utf8 = _(
        "The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (comma "
        "delimited)”, then upload that file."
    )
    if data.startswith(_OTHER_UNICODE_BOMS):
        raise ImportFileError(not_utf8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(not_utf8, line=line) from exc
    if "\x00" in text:
        raise ImportFileError(_("The file contains binary data; upload a CSV text file."))
    if not text.strip():
        raise ImportFileError(
            _("The file is empty: it needs a header row and at least one equipment row.")
        )
    return text


def read_csv_rows(text: str) -> list[CsvRow]:
    """Return the non-blank records of ``text`` with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[CsvRow] = []
    previous_line = 0
    try:
        for cells in reader:
            start = previous_line + 1
            previous_line = reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append(CsvRow(start, cells))
    except csv.Error as exc:
        raise ImportFileError(
            _("This line cannot be read as CSV (check the quotation marks)."),
            line=previous_line + 1,
        ) from exc
    return rows
