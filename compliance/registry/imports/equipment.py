"""Import and export equipment as CSV, one shape for both directions.

The file has one header row naming its columns: ``premises_id``, ``tag``, ``kind`` (all
three required), ``description`` and every attribute of :data:`ATTRIBUTE_FIELDS`, in any
order. A row whose premises and tag already exist updates that item (a column left out
of the file keeps its value); any other row creates one. An import is checked as a
whole: every bad cell is reported with its line and column, and a commit saves either
every row or none.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import (
    AcType,
    AirBarrier,
    EfficiencyMetric,
    EquipmentKind,
    Fuel,
    LampType,
    SpaceType,
)
from compliance.models import Equipment, Premises
from compliance.registry.imports.cells import (
    CellError,
    empty_value,
    format_cell,
    parse_cell,
    unguard_formula,
)
from compliance.registry.imports.reading import ImportFileError, read_csv_rows, read_csv_text
from compliance.registry.imports.writing import write_rows
from compliance.registry.models.equipment import ATTRIBUTE_FIELDS
from compliance.rulebook.services import assessment
from portal import audit
from portal.bulk_insert import insert_rows
from portal.choices import AuditAction

COLUMNS: tuple[str, ...] = ("premises_id", "tag", "kind", "description", *ATTRIBUTE_FIELDS)
REQUIRED_COLUMNS: tuple[str, ...] = ("premises_id", "tag", "kind")
# Columns that hold the model field of the same name.
FIELD_COLUMNS: tuple[str, ...] = COLUMNS[1:]

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class RowError:
    """One problem: the file line (None: the whole file), the column ("" : the row)."""

    line: int | None
    column: str
    message: str


@dataclass
class PlannedRow:
    """A valid row and what importing it does to the registry."""

    line: int
    action: str
    equipment: Equipment
    business_id: int
    before: dict[str, Any]
    changes: dict[str, list[Any]]


@dataclass
class ImportReport:
    """The outcome of checking (or committing) a file."""

    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def error_lines(self) -> int:
        """Return how many lines of the file have at least one error."""
        return len({error.line for error in self.errors if error.line is not None})


@dataclass
class _ParsedRow:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def validate_equipment_csv(file, user) -> ImportReport:
    """Check every row of an equipment CSV file for ``user``; save nothing."""
    try:
        text = read_csv_text(file)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(exc.line, "", exc.message)])
    return _plan(text, user, lock=False)


def import_equipment_csv(file, user, dry_run: bool, *, filename: str = "") -> ImportReport:
    """Import an equipment CSV file for ``user``: all rows or, if any is bad, none.

    With ``dry_run`` nothing is saved. Otherwise the file is checked again inside one
    transaction and each created or updated item gets an audit entry.
    """
    if dry_run:
        return validate_equipment_csv(file, user)
    try:
        text = read_csv_text(file)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(exc.line, "", exc.message)])
    try:
        with transaction.atomic():
            report = _plan(text, user, lock=True)
            if report.ok:
                _apply(report, user, filename)
    except IntegrityError:
        # Someone added the same tag between our check and our insert; nothing was saved.
        return ImportReport(
            errors=[
                RowError(
                    None,
                    "",
                    _(
                        "Another change to the same equipment was saved at the same time; "
                        "nothing was imported. Please try again."
                    ),
                )
            ]
        )
    return report


def _read_header(line: int, cells: list[str], report: ImportReport) -> dict[str, int] | None:
    """Return column name → position, or None when a required column is missing."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(cells):
        name = raw.strip().lower()
        if not name:
            report.errors.append(
                RowError(
                    line,
                    str(index + 1),
                    _("Column %(number)s has no name.") % {"number": index + 1},
                )
            )
        elif name not in COLUMNS:
            report.errors.append(
                RowError(
                    line,
                    raw.strip(),
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
    return None if missing else positions


Columns = list[tuple[str, int, models.Field | None, Any]]


def _columns_of(positions: dict[str, int]) -> Columns:
    """Return (name, position, model field, value of an empty cell) of each column.

    The premises id has no model field here (None): it is read by :func:`_parse_row`.
    """
    columns: Columns = []
    for name, index in positions.items():
        model_field = None if name == "premises_id" else Equipment._meta.get_field(name)
        empty = None if model_field is None else empty_value(model_field)
        columns.append((name, index, model_field, empty))
    return columns


def _parse_row(line: int, cells: list[str], columns: Columns, width: int) -> _ParsedRow:
    row = _ParsedRow(line)
    if len(cells) != width:
        row.add_error(
            "",
            _("This row has %(found)s values but the header has %(expected)s columns.")
            % {"found": len(cells), "expected": width},
        )
        return row
    for name, index, model_field, empty in columns:
        text = cells[index].strip()
        if not text and model_field is not None:  # most cells of a row: its kind's others
            row.values[name] = empty
            continue
        text = unguard_formula(text)
        if model_field is None:  # premises_id
            if not text.isascii() or not text.isdigit():
                row.add_error(
                    name, _("Enter the id of one of your premises, a whole number such as 12.")
                )
            else:
                row.values[name] = int(text)
            continue
        try:
            row.values[name] = parse_cell(model_field, text)
        except CellError as exc:
            row.add_error(name, str(exc))
    return row


def _plan(text: str, user, *, lock: bool) -> ImportReport:
    """Check ``text`` and work out what importing it would do, in a fixed number of queries."""
    report = ImportReport()
    try:
        records = read_csv_rows(text)
    except ImportFileError as exc:
        report.errors.append(RowError(exc.line, "", exc.message))
        return report
    if not records:
        report.errors.append(RowError(None, "", _("The file has no header row.")))
        return report
    header, *data = records
    positions = _read_header(header.line, header.cells, report)
    if positions is None:
        return report
    if not data:
        report.errors.append(RowError(None, "", _("The file has no equipment rows.")))
        return report
    columns = _columns_of(positions)
    parsed = [_parse_row(r.line, r.cells, columns, len(header.cells)) for r in data]

    # Two queries whatever the size of the file: the premises, then the existing items.
    premises_ids = {row.values["premises_id"] for row in parsed if "premises_id" in row.values}
    editable = dict(
        Premises.objects.editable_by(user)
        .filter(pk__in=premises_ids)
        .values_list("pk", "business_id")
    )
    tags = {row.values["tag"] for row in parsed if row.values.get("tag")}
    existing_items = Equipment.objects.filter(premises_id__in=editable, tag__in=tags)
    if lock:
        existing_items = existing_items.select_for_update()
    existing = {(item.premises_id, item.tag): item for item in existing_items}

    first_line: dict[tuple[int, str], int] = {}
    checked: dict[tuple, tuple[bool, Any]] = {}
    for row in parsed:
        planned = _check_row(row, editable, existing, first_line, checked)
        for column, messages in row.errors.items():
            report.errors.extend(RowError(row.line, column, message) for message in messages)
        if planned is not None and not row.errors:
            report.rows.append(planned)
    return report


def _check_row(
    row: _ParsedRow,
    editable: dict[int, int],
    existing: dict[tuple[int, str], Equipment],
    first_line: dict[tuple[int, str], int],
    checked: dict[tuple, tuple[bool, Any]],
) -> PlannedRow | None:
    """Validate one parsed row like a form would; return its plan when it has no error."""
    if "" in row.errors:  # the row could not be split into its columns
        return None
    premises_id = row.values.get("premises_id")
    if premises_id is not None and premises_id not in editable:
        # The same words for a premises that does not exist and one of another business.
        row.add_error(
            "premises_id",
            _("There is no premises %(id)s among those you can edit.") % {"id": premises_id},
        )
        premises_id = None
    tag = row.values.get("tag", "")
    key = (premises_id, tag)
    item = None
    if premises_id is not None and tag:
        if key in first_line:
            row.add_error(
                "tag",
                _("The tag %(tag)s appears again for premises %(id)s (first on line %(line)s).")
                % {"tag": tag, "id": premises_id, "line": first_line[key]},
            )
        else:
            first_line[key] = row.line
            item = existing.get(key)
    if item is None:
        before = {}
        item = _new_item(premises_id, row.values)
    else:
        before = audit.snapshot(item)
        for name in FIELD_COLUMNS:
            if name in row.values:
                setattr(item, name, row.values[name])
    try:
        # The premises was checked above, the unique tag by ``first_line`` and the existing
        # lookup, the check constraints by the field validators: skip their per-row queries.
        _full_clean(item, {"premises", *row.errors}, checked)
    except ValidationError as exc:
        # A cell that could not be read already has its error; the model would only add
        # "required" to it.
        already_reported = set(row.errors)
        for name, messages in exc.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else name
            column = "premises_id" if column == "premises" else column
            if column not in already_reported:
                for message in messages:
                    row.add_error(column, message)
    if row.errors or premises_id is None:
        return None
    _quantize_decimals(item)
    changes = audit.diff(before, audit.snapshot(item))
    action = CREATE if not before else UPDATE if changes else UNCHANGED
    return PlannedRow(row.line, action, item, editable[premises_id], before, changes)


_FIELDS = tuple(Equipment._meta.fields)
# Each field's attname and the value a new item starts with, in the model's order.
_NEW_ITEM = tuple((f.attname, f.get_default()) for f in Equipment._meta.concrete_fields)
_POSITION = {attname: index for index, (attname, _default) in enumerate(_NEW_ITEM)}


def _new_item(premises_id: int | None, values: dict[str, Any]) -> Equipment:
    """Return a new item of ``values`` (by column name), with no id yet.

    Built from positions, as Django builds an item read from the database: a third of
    the cost of keywords, which a 40,000-row file pays 40,000 times.
    """
    args = [default for _attname, default in _NEW_ITEM]
    for name, value in values.items():
        args[_POSITION[name]] = value
    args[_POSITION["premises_id"]] = premises_id
    return Equipment(*args)


def _full_clean(item: Equipment, exclude: set[str], checked: dict[tuple, tuple[bool, Any]]) -> None:
    """Run ``item.full_clean(exclude, validate_unique=False, validate_constraints=False)``.

    The same checks and errors, but each field's own checks (``Field.clean``: type,
    choices, blank, length, validators) run once per distinct value of the file and are
    remembered in ``checked``: they depend on the value alone (the premises, whose check
    reads the database, is excluded), so a kind, lamp type or wattage repeated on
    thousands of rows has the same answer on each. ``clean()`` (the rules across fields)
    runs for every row. Equipment has no generated or database-default field, which
    ``Model.clean_fields`` would also skip.
    """
    errors: dict[str, list[ValidationError]] = {}
    for model_field in _FIELDS:
        if model_field.name in exclude:
            continue
        value = getattr(item, model_field.attname)
        if model_field.blank and value in model_field.empty_values:
            continue
        # Typed and printed: Decimal("7.10") equals 7.1 but not its decimal places.
        key = (model_field.attname, type(value), str(value))
        outcome = checked.get(key)
        if outcome is None:
            try:
                outcome = (True, model_field.clean(value, item))
            except ValidationError as exc:
                outcome = (False, exc.error_list)
            checked[key] = outcome
        valid, result = outcome
        if valid:
            setattr(item, model_field.attname, result)
        else:
            errors[model_field.name] = list(result)  # a copy: clean() may add to it
    try:
        item.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


# (attname, step) of each decimal field of an item.
_DECIMAL_STEPS = tuple(
    (f.attname, Decimal(1).scaleb(-f.decimal_places))
    for f in Equipment._meta.concrete_fields
    if isinstance(f, models.DecimalField)
)


def _quantize_decimals(item: Equipment) -> None:
    """Store decimals as the database returns them, so a re-import compares equal."""
    for attname, step in _DECIMAL_STEPS:
        value = getattr(item, attname)
        if value is not None:
            setattr(item, attname, value.quantize(step))


def _apply(report: ImportReport, user, filename: str) -> None:
    """Save the planned rows in bulk and audit each one (inside the caller's transaction)."""
    creates = [row for row in report.rows if row.action == CREATE]
    updates = [row for row in report.rows if row.action == UPDATE]
    _insert(creates)
    if updates:
        now = timezone.now()
        changed: set[str] = set()
        for row in updates:
            changed.update(row.changes)
            row.equipment.updated_at = now
        Equipment.objects.bulk_update(
            [row.equipment for row in updates], sorted(changed | {"updated_at"}), batch_size=500
        )
    reason = _("CSV import %(file)s") % {"file": filename} if filename else _("CSV import")
    # One entry per row as before, built as plain values and written with one INSERT per
    # few thousand; the audit chain seals them after commit like any other entry.
    audit.entries_bulk(
        audit.entry_values(
            actor=user,
            action=AuditAction.IMPORT,
            instance=row.equipment,
            changes=row.changes,
            reason=reason,
            business_id=row.business_id,
        )
        for row in (*creates, *updates)
    )
    # The trigger is an internal note in one language (pages show it through
    # compliance.rulebook.triggers); the audit entries keep the translated reason.
    assessment.schedule(
        {row.equipment.premises_id for row in (*creates, *updates)}, "compliance.equipment imported"
    )
    report.committed = True


# Every column an import writes to a new item (the id is the database's).
_INSERTED = tuple(f.name for f in Equipment._meta.concrete_fields if not f.primary_key)


def _insert(creates: list[PlannedRow]) -> None:
    """Insert the new items (one JSON document per few thousand) and give each its id."""
    items = [row.equipment for row in creates]
    returned = insert_rows(Equipment, items, _INSERTED, returning=("id", "premises", "tag"))
    ids = {(premises_id, tag): pk for pk, premises_id, tag in returned}
    for item in items:
        item.pk = ids[item.premises_id, item.tag]
        item._state.adding = False
        item._state.db = connection.alias


def equipment_csv_rows(queryset) -> Iterator[list[str]]:
    """Yield the header, then one row per item of ``queryset``."""
    yield list(COLUMNS)
    for item in queryset.order_by("premises_id", "kind", "tag", "pk").iterator(chunk_size=2000):
        yield [str(item.premises_id), *(format_cell(getattr(item, name)) for name in FIELD_COLUMNS)]


def iter_equipment_csv(queryset) -> Iterator[str]:
    """Yield the CSV text of ``queryset`` line by line (for streaming responses)."""
    return write_rows(equipment_csv_rows(queryset))


def export_equipment_csv(queryset) -> str:
    """Return the CSV text of ``queryset`` in the import format (no byte-order mark)."""
    return "".join(iter_equipment_csv(queryset))


def _examples() -> dict[str, dict[str, Any]]:
    """Return one valid example item per kind, keyed by kind (for the template file)."""
    return {
        EquipmentKind.AIR_CONDITIONER: {
            "tag": "AC-01",
            "description": _("Sales floor split unit"),
            "ac_type": AcType.SPLIT,
            "cooling_capacity_kw": Decimal("7.10"),
            "efficiency_metric": EfficiencyMetric.CSPF,
            "efficiency_value": Decimal("5.20"),
            "installed_on": datetime.date(2024, 5, 1),
        },
        EquipmentKind.CHILLER: {
            "tag": "CH-01",
            "description": _("Central chiller"),
            "capacity_hp": Decimal("150.0"),
            "is_production_use": False,
            "has_separate_meter": True,
            "energy_manager": _("Chen Chih-ming"),
            "installed_on": datetime.date(2018, 3, 1),
        },
        EquipmentKind.ENTRANCE: {
            "tag": "ENT-01",
            "description": _("Main entrance"),
            "air_barrier": AirBarrier.AUTOMATIC_DOOR,
        },
        EquipmentKind.LIGHTING: {
            "tag": "LT-01",
            "description": _("Sales floor lighting"),
            "space_type": SpaceType.RETAIL_GENERAL,
            "lamp_type": LampType.LED,
            "lamp_count": 40,
            "lamp_wattage_w": Decimal("18.0"),
        },
        EquipmentKind.SIGNBOARD: {
            "tag": "SB-01",
            "description": _("Shop sign"),
            "lamp_type": LampType.LED,
            "lamp_count": 12,
            "lamp_wattage_w": Decimal("9.0"),
        },
        EquipmentKind.BOILER: {
            "tag": "BL-01",
            "description": _("Hot water boiler"),
            "steam_evaporation_tph": Decimal("1.50"),
            "fuel": Fuel.NATURAL_GAS,
            "is_standby": False,
            "installed_on": datetime.date(2020, 1, 15),
        },
    }


def equipment_template_rows(premises_id: int | None) -> Iterator[list[str]]:
    """Yield the header and one example row per kind, for ``premises_id`` if given."""
    yield list(COLUMNS)
    for kind, values in _examples().items():
        row = {"premises_id": premises_id, "kind": str(kind), **values}
        yield [format_cell(row.get(name)) for name in COLUMNS]


def equipment_template_csv(premises_id: int | None = None) -> str:
    """Return an import template: the header and an example row of each kind."""
    return "".join(write_rows(equipment_template_rows(premises_id)))
