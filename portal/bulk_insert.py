"""Insert many rows with one statement per chunk, the rows passed as one JSON document.

Django's ``bulk_create`` sends each column as an array literal that psycopg escapes in
Python, character by character: for long text or JSON columns (an assessment's findings,
an audit entry's changes) that was most of the time of writing them. Here the rows go as
one ``jsonb`` parameter, escaped once by libpq, and PostgreSQL unpacks them with
``INSERT … SELECT … FROM jsonb_to_recordset(%s)``. Other databases (SQLite, the demo)
take ``bulk_create``.
"""

# ruff: noqa: S608 (table and column names are the model's; the rows are one parameter)
from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

Row = models.Model | dict[str, Any]


def _json_value(value: Any) -> Any:
    """Return a value JSON has no type for as PostgreSQL reads it (dates ISO, decimals exact).

    The encoder calls this only for such values: the others are written at C speed.
    """
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _record(row: Row, fields: list[models.Field]) -> dict[str, Any]:
    """Return one row as the JSON object ``jsonb_to_recordset`` reads, keyed by column."""
    if isinstance(row, dict):
        return {f.column: row.get(f.attname) for f in fields}
    return {f.column: getattr(row, f.attname) for f in fields}


def _stamp(rows: list[Row], fields: list[models.Field]) -> None:
    """Give ``auto_now``/``auto_now_add`` fields left empty the time, as ``save`` would."""
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if not stamped:
        return
    now = timezone.now()
    for row in rows:
        for field in stamped:
            if isinstance(row, dict):
                if row.get(field.attname) is None:
                    row[field.attname] = now
            elif getattr(row, field.attname) is None:
                setattr(row, field.attname, now)


def insert_rows(
    model: type[models.Model],
    rows: Iterable[Row],
    names: Sequence[str],
    *,
    returning: Sequence[str] = (),
    upsert_on: str = "",
    batch_size: int = 5000,
) -> list[tuple]:
    """Insert ``rows`` (model instances or dicts keyed by attname) into ``model``'s table.

    Only the fields ``names`` are written (the others take their database default);
    empty ``auto_now``/``auto_now_add`` fields get the time. One statement per
    ``batch_size`` rows. With ``upsert_on`` (a field unique on its own), a row whose value
    is already there updates that row's other ``names`` instead. Returns, for each row
    inserted, the tuple of its ``returning`` fields (in no guaranteed order: match them on
    a key, e.g. ``("id", "premises")``).
    """
    rows = list(rows)
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    back = [meta.get_field(name) for name in returning]
    key = meta.get_field(upsert_on) if upsert_on else None
    _stamp(rows, fields)
    if connection.vendor != "postgresql":
        objs = [row if isinstance(row, models.Model) else model(**row) for row in rows]
        upsert = (
            {
                "update_conflicts": True,
                "unique_fields": [key.name],
                "update_fields": [f.name for f in fields if f != key],
            }
            if key
            else {}
        )
        model.objects.bulk_create(objs, batch_size=batch_size, **upsert)
        return [tuple(getattr(obj, f.attname) for f in back) for obj in objs] if back else []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {columns} FROM {_records(fields)}"
    if key:
        updates = ", ".join(
            f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in fields if f != key
        )
        sql += f" ON CONFLICT ({quote(key.column)}) DO UPDATE SET {updates}"
    if back:
        sql += f" RETURNING {', '.join(quote(f.column) for f in back)}"
    return _run(sql, rows, fields, batch_size, fetch=bool(back))


def update_rows(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    names: Sequence[str],
    *,
    batch_size: int = 5000,
) -> None:
    """Set the fields ``names`` of existing rows, each a dict with its ``id`` (one statement
    per ``batch_size`` rows; ``bulk_update`` on other databases)."""
    rows = list(rows)
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    if connection.vendor != "postgresql":
        objs = [model(**{f.attname: row[f.attname] for f in fields}) for row in rows]
        model.objects.bulk_update(objs, [f.name for f in fields[1:]], batch_size=batch_size)
        return
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    updates = ", ".join(f"{quote(f.column)} = r.{quote(f.column)}" for f in fields[1:])
    sql = (
        f"UPDATE {quote(meta.db_table)} t SET {updates} FROM {_records(fields)} "
        f"WHERE t.{pk} = r.{pk}"
    )
    _run(sql, rows, fields, batch_size)


def _records(fields: list[models.Field]) -> str:
    """The record set of the JSON parameter, each column typed as the table's."""
    quote = connection.ops.quote_name
    typed = ", ".join(
        f"{quote(f.column)} {(f.target_field if f.is_relation else f).db_type(connection)}"
        for f in fields
    )
    return f"jsonb_to_recordset(%s::jsonb) AS r({typed})"


def _run(
    sql: str, rows: list[Row], fields: list[models.Field], batch_size: int, *, fetch=False
) -> list[tuple]:
    """Run ``sql`` once per ``batch_size`` rows, the rows as its JSON parameter."""
    result: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            chunk = [_record(row, fields) for row in rows[start : start + batch_size]]
            cursor.execute(sql, [json.dumps(chunk, ensure_ascii=False, default=_json_value)])
            if fetch:
                result.extend(tuple(row) for row in cursor.fetchall())
    return result
