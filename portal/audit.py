"""Write audit entries: the one way services record who changed what, when and why."""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Iterable
from typing import Any

from django.db import models

from portal.bulk_insert import insert_rows
from portal.choices import AuditAction
from portal.models import AuditEntry

SYSTEM_ACTOR = "system"


def _plain(value: Any) -> Any:
    """Return a JSON-safe form of a field value."""
    if isinstance(value, decimal.Decimal | datetime.date | datetime.time | datetime.datetime):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


@functools.cache
def _kept_fields(meta) -> tuple[tuple[str, str, decimal.Decimal | None], ...]:
    """Return (name, attname, decimal step or None) of each field a snapshot keeps."""
    return tuple(
        (
            field.name,
            field.attname,
            # Compare values as the database stores them ("5.2" typed is "5.20" stored).
            decimal.Decimal(1).scaleb(-field.decimal_places)
            if isinstance(field, models.DecimalField)
            else None,
        )
        for field in meta.concrete_fields
        # The bookkeeping timestamps are the audit entry's own time.
        if not field.primary_key
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


_NATIVE = frozenset({str, int, bool, float, type(None)})


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the concrete field values of an instance, keyed by attribute name."""
    values = {}
    for name, attname, step in _kept_fields(instance._meta):
        if fields is not None and name not in fields:
            continue
        value = getattr(instance, attname)
        if type(value) not in _NATIVE:
            if step is not None and isinstance(value, decimal.Decimal):
                value = value.quantize(step)
            value = _plain(value)
        values[attname] = value
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for every value that changed."""
    if not before:  # a creation: every value given
        return {key: [None, value] for key, value in after.items() if value is not None}
    keys = list(after) + [key for key in before if key not in after]
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def entry_values(
    *,
    actor,
    action: AuditAction | str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    business_id: int | None = None,
    actor_label: str | None = None,
) -> dict[str, Any]:
    """Return the fields of the audit entry of a change to ``instance``, keyed by attname.

    A plain dict, for :func:`entries_bulk` to write by the thousand without building a
    model instance per entry; :func:`entry` makes the instance from it.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor_label or actor.get_username()
        actor_id = actor.pk
    else:
        label = actor_label or SYSTEM_ACTOR
        actor_id = None
    return {
        "actor_id": actor_id,
        "actor_label": label,
        "action": str(action),
        "object_type": instance._meta.label_lower,
        "object_id": str(instance.pk),
        "object_repr": str(instance)[:255],
        "changes": changes or {},
        "reason": reason,
        "business_id": business_id,
    }


def entry(**fields) -> AuditEntry:
    """Return the unsaved audit entry of a change (see :func:`entry_values`)."""
    return AuditEntry(**entry_values(**fields))


def record(**fields) -> AuditEntry:
    """Write one audit entry for a change made by ``actor`` (None: a job); see ``entry``."""
    row = entry(**fields)
    row.save()
    return row


# The columns a writer fills (the time, if empty, is the statement's): all but the id and
# the chain's columns, which are the sealer's (portal.audit_chain).
WRITTEN_FIELDS = tuple(
    field.name
    for field in AuditEntry._meta.concrete_fields
    if field.name not in {"id", "seq", "prev_hash", "hash"}
)


def entries_bulk(
    entries: Iterable[AuditEntry | dict[str, Any]], *, batch_size: int = 5000
) -> list[int]:
    """Write many audit entries with one INSERT per ``batch_size`` (an import's thousands).

    Each is an unsaved :class:`AuditEntry` (:func:`entry`) or the dict of its fields
    (:func:`entry_values`, cheaper by the thousand); the rows go to PostgreSQL as one
    JSON document per statement (:func:`portal.bulk_insert.insert_rows`). They are
    written unsealed like every other entry, and the sealing step
    (:func:`portal.audit_chain.seal`) chains them in order with the rest: a bulk writer
    needs no lock and cannot fork the chain. Returns the new entries' ids.
    """
    rows = list(entries)
    for row in rows:
        values = row if isinstance(row, dict) else row.__dict__
        if values.get("id") is not None or values.get("seq") is not None or values.get("hash"):
            raise ValueError("entries_bulk writes new, unsealed audit entries only")
    return [
        pk
        for (pk,) in insert_rows(
            AuditEntry, rows, WRITTEN_FIELDS, returning=("id",), batch_size=batch_size
        )
    ]


def history_of(instance: models.Model):
    """Return the audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related("actor")
