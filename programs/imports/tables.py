"""Read the programme CSV tables cell by cell, collecting every problem with its place.

A problem names the file, the line (as a text editor counts them, the header being
line 1) and the column; a row with a problem is not saved, and the load as a whole
saves nothing if any row has one (:mod:`programs.imports`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from programs.rules.periods import Period, PeriodError, parse_period

_PLAIN_NUMBER = re.compile(r"^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
_PLAIN_COUNT = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)$")
YES_WORDS = frozenset({"yes", "y", "true"})
NO_WORDS = frozenset({"no", "n", "false"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, and where."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.message}"


class Problems(list):
    """The problems found so far in one load."""

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.append(Problem(file, line, column, message))


def plain_count(text: str) -> int | None:
    """Return ``text`` as a whole number when it is just one (``1,200`` too), else None."""
    text = text.strip()
    return int(text.replace(",", "")) if _PLAIN_COUNT.match(text) else None


def plain_number(text: str) -> Decimal | None:
    """Return ``text`` as a Decimal when it is just a number, else None."""
    text = text.strip()
    return Decimal(text.replace(",", "")) if _PLAIN_NUMBER.match(text) else None


class Row:
    """One data row: its cells by column name, its line, and typed readers of its cells."""

    def __init__(self, table: Table, line: int, cells: dict[str, str]) -> None:
        self.table = table
        self.line = line
        self.cells = cells
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        """Record a problem in this row; the row will not be saved."""
        self.ok = False
        self.table.problems.add(self.table.name, self.line, column, message)

    def text(self, column: str, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.problem(column, _("This cell must not be empty."))
        return value

    def integer(self, column: str, required: bool = False) -> int | None:
        value = self.text(column, required)
        if not value:
            return None
        number = plain_count(value)
        if number is None:
            self.problem(column, _("“%(value)s” is not a whole number.") % {"value": value})
        return number

    def decimal(self, column: str, required: bool = False) -> Decimal | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            number = plain_number(value)
        except InvalidOperation:
            number = None
        if number is None:
            self.problem(
                column,
                _("“%(value)s” is not a number (write digits, a dot for decimals).")
                % {"value": value},
            )
        return number

    def period(self, column: str, required: bool = False) -> Period | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            return parse_period(value)
        except PeriodError:
            self.problem(
                column,
                _("“%(value)s” is not a date (YYYY-MM-DD, YYYY-MM or YYYY).") % {"value": value},
            )
            return None

    def yes_no(self, column: str, *, none_words: tuple[str, ...] = ()) -> bool | None:
        value = self.text(column)
        lowered = value.lower()
        if not value or lowered in none_words:
            return None
        if lowered in YES_WORDS:
            return True
        if lowered in NO_WORDS:
            return False
        allowed = ", ".join(["yes", "no", *none_words])
        self.problem(
            column,
            _("“%(value)s” is not allowed here. Allowed values: %(allowed)s.")
            % {"value": value, "allowed": allowed},
        )
        return None

    def choice(self, column: str, allowed, required: bool = True) -> str:
        value = self.text(column, required)
        if value and value not in allowed:
            self.problem(
                column,
                _("“%(value)s” is not allowed here. Allowed values: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
            return ""
        return value


class Table:
    """A CSV file of the data directory: checks its header, yields its rows."""

    def __init__(self, directory: Path, name: str, columns: tuple[str, ...], problems: Problems):
        self.path = directory / name
        self.name = name
        self.columns = columns
        self.problems = problems
        self.broken = False  # missing, unreadable or without a required column

    def rows(self) -> Iterator[Row]:
        """Yield the rows; a missing file or column is one problem and no rows."""
        if not self.path.is_file():
            self.problems.add(self.name, 0, "", _("The file is missing."))
            self.broken = True
            return
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.problems.add(self.name, 1, "", _("The file is not UTF-8 text."))
            self.broken = True
            return
        reader = csv.reader(text.splitlines(keepends=True))
        header = [name.strip() for name in next(reader, [])]
        missing = [column for column in self.columns if column not in header]
        for column in missing:
            self.problems.add(self.name, 1, column, _("The column is missing."))
        if missing:
            self.broken = True
            return
        previous_end = reader.line_num
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = Row(self, line, dict(zip(header, cells, strict=False)))
            if len(cells) != len(header):
                row.problem(
                    "",
                    _("The row has %(found)d cells; the header has %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                )
                continue
            yield row
