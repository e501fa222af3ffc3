"""Write CSV rows as text, one line at a time, so large exports can be streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# Excel opens a UTF-8 CSV file correctly only when it starts with this mark.
UTF8_BOM = "\ufeff"


class _Echo:
    """A file-like object whose ``write`` hands back what it was given."""

    def write(self, value: str) -> str:
        return value


def write_rows(rows: Iterable[list[str]]) -> Iterator[str]:
    """Yield each row as one CSV line (quoted where needed, CRLF-terminated)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
