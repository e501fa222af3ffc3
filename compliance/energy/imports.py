"""Import energy suppliers' monthly use per customer account (Art. 12) from CSV.

The file has one header row naming its columns: ``account``, ``energy_type``, ``month``
(``YYYY-MM``), ``quantity``, ``unit`` (all required) and ``premises_id`` (optional), in any
order. Like the equipment import, a file is checked as a whole: every bad cell is
reported with its line and column, and a commit saves either every row or none. A row
for an account and month already reported replaces that month's figure. An account is
matched to a premises when the row names a valid ``premises_id``; an account matched
before stays matched; the others wait for an administrator.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.energy.models.energy_use import (
    UNIT_OF,
    EnergyTypeChoice,
    MonthlyEnergyUse,
    SupplierAccount,
)
from compliance.models import Premises
from compliance.registry.imports.cells import CellError, format_cell, parse_cell, unguard_formula
from compliance.registry.imports.equipment import RowError
from compliance.registry.imports.reading import ImportFileError, read_csv_rows, read_csv_text
from compliance.registry.imports.writing import write_rows
from portal import bounds

COLUMNS: tuple[str, ...] = ("account", "energy_type", "month", "quantity", "unit", "premises_id")
REQUIRED_COLUMNS: tuple[str, ...] = COLUMNS[:5]
CREATE, UPDATE = "create", "update"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUANTITY_FIELD = MonthlyEnergyUse._meta.get_field("quantity")
_ACCOUNT_MAX = SupplierAccount._meta.get_field("account_number").max_length


@dataclass
class PlannedUse:
    """A valid row and what importing it does."""

    line: int
    action: str
    account_number: str
    energy_type: str
    month: datetime.date
    quantity: Decimal
    unit: str
    premises_id: int | None


@dataclass
class EnergyUseReport:
    """The outcome of checking (or committing) a supplier's file."""

    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedUse] = field(default_factory=list)
    new_accounts: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.action == CREATE)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.action == UPDATE)

    @property
    def unmatched(self) -> int:
        """Return how many accounts of the file stay without a premises."""
        return len({(r.account_number, r.energy_type) for r in self.rows if r.premises_id is None})


def validate_energy_use_csv(file, supplier) -> EnergyUseReport:
    """Check every row of a supplier's CSV file; save nothing."""
    try:
        text = read_csv_text(file)
    except ImportFileError as exc:
        return EnergyUseReport(errors=[RowError(exc.line, "", exc.message)])
    report, _accounts = plan_import(text, supplier, lock=False)
    return report


def _read_header(line: int, cells: list[str], report: EnergyUseReport) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, raw in enumerate(cells):
        name = raw.strip().lower()
        if name not in COLUMNS:
            report.errors.append(
                RowError(
                    line,
                    raw.strip() or str(index + 1),
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in positions:
            report.errors.append(RowError(line, name, _("This column appears more than once.")))
        else:
            positions[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    for name in missing:
        report.errors.append(RowError(line, name, _("This required column is missing.")))
    return None if missing or report.errors else positions


def _parse_row(cells: list[str], positions: dict[str, int]) -> tuple[dict, dict[str, str]]:
    """Return the values of one row and its errors by column."""
    values: dict = {}
    errors: dict[str, str] = {}
    text = {name: unguard_formula(cells[index].strip()) for name, index in positions.items()}
    account = text["account"]
    if not account:
        errors["account"] = _("Enter the customer account number.")
    elif len(account) > _ACCOUNT_MAX:
        errors["account"] = _("At most %(max)s characters.") % {"max": _ACCOUNT_MAX}
    else:
        values["account"] = account
    energy_type = text["energy_type"].lower()
    if energy_type not in EnergyTypeChoice.values:
        errors["energy_type"] = _(
            "“%(value)s” is not allowed here. Allowed values: %(allowed)s."
        ) % {
            "value": text["energy_type"],
            "allowed": ", ".join(EnergyTypeChoice.values),
        }
    else:
        values["energy_type"] = energy_type
    match = _MONTH.match(text["month"])
    if match and 1 <= int(match.group(2)) <= 12:
        year = int(match.group(1))
        if bounds.EARLIEST_YEAR <= year <= bounds.LATEST_YEAR:
            values["month"] = datetime.date(year, int(match.group(2)), 1)
        else:  # year 0000 is no date at all (it answered 500)
            errors["month"] = str(bounds.DATE_RANGE_MESSAGE)
    else:
        errors["month"] = _("Enter the month as YYYY-MM, e.g. 2026-03.")
    try:
        quantity = parse_cell(_QUANTITY_FIELD, text["quantity"])
        if quantity is None or quantity == "":
            errors["quantity"] = _("Enter the quantity used in the month.")
        elif quantity < 0:
            errors["quantity"] = _("Use cannot be negative.")
        elif quantity != quantity.quantize(Decimal("0.01")) or quantity >= Decimal(10) ** 12:
            errors["quantity"] = _("Enter at most 12 digits and 2 decimal places.")
        else:
            values["quantity"] = quantity
    except CellError as exc:
        errors["quantity"] = str(exc)
    unit = text["unit"].lower()
    expected = UNIT_OF.get(energy_type)
    if expected is not None and unit != expected:
        errors["unit"] = _("Report %(type)s in %(unit)s.") % {
            "type": energy_type,
            "unit": expected.value,
        }
    else:
        values["unit"] = unit
    premises_text = text.get("premises_id", "")
    if premises_text:
        if premises_text.isascii() and premises_text.isdigit():
            values["premises_id"] = int(premises_text)
        else:
            errors["premises_id"] = _("Enter a premises id, a whole number such as 12.")
    return values, errors


def plan_import(text: str, supplier, *, lock: bool):
    """Check ``text`` and work out what importing it would do, in a fixed number of queries."""
    report = EnergyUseReport()
    try:
        records = read_csv_rows(text)
    except ImportFileError as exc:
        report.errors.append(RowError(exc.line, "", exc.message))
        return report, {}
    if not records:
        report.errors.append(RowError(None, "", _("The file has no header row.")))
        return report, {}
    header, *data = records
    positions = _read_header(header.line, header.cells, report)
    if positions is None:
        return report, {}
    if not data:
        report.errors.append(RowError(None, "", _("The file has no rows of monthly use.")))
        return report, {}
    parsed = []
    for record in data:
        if len(record.cells) != len(header.cells):
            message = _(
                "This row has %(found)s values but the header has %(expected)s columns."
            ) % {"found": len(record.cells), "expected": len(header.cells)}
            report.errors.append(RowError(record.line, "", message))
            continue
        parsed.append((record.line, *_parse_row(record.cells, positions)))

    # Three queries whatever the size of the file: accounts, premises, existing months.
    numbers = {values["account"] for _line, values, _e in parsed if "account" in values}
    accounts_qs = SupplierAccount.objects.filter(supplier=supplier, account_number__in=numbers)
    if lock:
        accounts_qs = accounts_qs.select_for_update()
    accounts = {(a.account_number, a.energy_type): a for a in accounts_qs}
    wanted = {values["premises_id"] for _line, values, _e in parsed if "premises_id" in values}
    known_premises = set(Premises.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    existing = set(
        MonthlyEnergyUse.objects.filter(account__in=[a.pk for a in accounts.values()]).values_list(
            "account__account_number", "account__energy_type", "month"
        )
    )

    first_line: dict[tuple, int] = {}
    premises_of: dict[tuple[str, str], tuple[int, int]] = {}  # key -> (premises, line)
    for line, values, errors in parsed:
        key = (values.get("account"), values.get("energy_type"))
        premises_id = values.get("premises_id")
        account = accounts.get(key)
        if premises_id is not None:
            if premises_id not in known_premises:
                errors["premises_id"] = _("There is no premises %(id)s.") % {"id": premises_id}
            elif account is not None and account.premises_id not in (None, premises_id):
                errors["premises_id"] = _(
                    "This account is matched to premises %(id)s; ask the City to change it."
                ) % {"id": account.premises_id}
            elif key in premises_of and premises_of[key][0] != premises_id:
                errors["premises_id"] = _("Line %(line)s gives this account premises %(id)s.") % {
                    "line": premises_of[key][1],
                    "id": premises_of[key][0],
                }
            else:
                premises_of.setdefault(key, (premises_id, line))
        if None not in key and "month" in values:
            month_key = (*key, values["month"])
            if month_key in first_line:
                errors["month"] = _(
                    "This account and month appear again (first on line %(line)s)."
                ) % {"line": first_line[month_key]}
            else:
                first_line[month_key] = line
        for column, message in errors.items():
            report.errors.append(RowError(line, column, message))
        if errors:
            continue
        report.rows.append(
            PlannedUse(
                line=line,
                action=UPDATE if (*key, values["month"]) in existing else CREATE,
                account_number=key[0],
                energy_type=key[1],
                month=values["month"],
                quantity=values["quantity"],
                unit=values["unit"],
                premises_id=None,
            )
        )
    report.errors.sort(
        key=lambda error: (
            error.line or 0,
            COLUMNS.index(error.column) if error.column in COLUMNS else -1,
        )
    )
    for row in report.rows:
        key = (row.account_number, row.energy_type)
        matched = accounts[key].premises_id if key in accounts else None
        row.premises_id = matched or premises_of.get(key, (None, 0))[0]
    report.new_accounts = len(
        {(r.account_number, r.energy_type) for r in report.rows} - set(accounts)
    )
    return report, accounts


def apply_import(report: EnergyUseReport, accounts: dict, supplier, batch) -> None:
    """Save the planned rows in bulk (inside the caller's transaction)."""
    now = timezone.now()
    new = {}
    for row in report.rows:
        key = (row.account_number, row.energy_type)
        if key not in accounts and key not in new:
            new[key] = SupplierAccount(
                supplier=supplier,
                account_number=row.account_number,
                energy_type=row.energy_type,
                premises_id=row.premises_id,
                matched_at=now if row.premises_id else None,
            )
    SupplierAccount.objects.bulk_create(new.values(), batch_size=500)
    newly_matched = []
    for row in report.rows:
        account = accounts.get((row.account_number, row.energy_type))
        if account is not None and account.premises_id is None and row.premises_id:
            account.premises_id = row.premises_id
            account.matched_at = now
            newly_matched.append(account)
    SupplierAccount.objects.bulk_update(newly_matched, ["premises", "matched_at"], batch_size=500)
    accounts = {**accounts, **new}
    MonthlyEnergyUse.objects.bulk_create(
        [
            MonthlyEnergyUse(
                account=accounts[(row.account_number, row.energy_type)],
                month=row.month,
                quantity=row.quantity,
                unit=row.unit,
                uploaded_by=supplier,
                batch=batch,
            )
            for row in report.rows
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["account", "month"],
        update_fields=["quantity", "unit", "uploaded_by", "batch", "updated_at"],
    )
    report.committed = True


def energy_use_csv_rows(queryset) -> Iterator[list[str]]:
    """Yield the header, then one row per monthly figure of ``queryset`` (import format)."""
    yield list(COLUMNS)
    rows = queryset.select_related("account").order_by("account__account_number", "month", "pk")
    for use in rows.iterator(chunk_size=2000):
        yield [
            format_cell(use.account.account_number),
            use.account.energy_type,
            f"{use.month:%Y-%m}",
            format_cell(use.quantity),
            use.unit,
            format_cell(use.account.premises_id),
        ]


def export_energy_use_csv(queryset) -> str:
    """Return the CSV text of ``queryset``; text cells a spreadsheet would run are guarded."""
    return "".join(write_rows(energy_use_csv_rows(queryset)))
