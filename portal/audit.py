"""Write audit entries: the one way services record who changed what, when and why."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

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


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the concrete field values of an instance, keyed by attribute name."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue  # bookkeeping timestamps are the audit entry's own time
        value = getattr(instance, field.attname)
        if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal):
            # Compare values as the database stores them ("5.2" typed is "5.20" stored).
            value = value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        values[field.attname] = _plain(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for every value that changed."""
    keys = list(after) + [key for key in before if key not in after]
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def entry(
    *,
    actor,
    action: AuditAction | str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    business_id: int | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Return the unsaved audit entry of a change to ``instance`` (for ``bulk_create``)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor_label or actor.get_username()
        actor_obj = actor
    else:
        label = actor_label or SYSTEM_ACTOR
        actor_obj = None
    return AuditEntry(
        actor=actor_obj,
        actor_label=label,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        changes=changes or {},
        reason=reason,
        business_id=business_id,
    )


def record(**fields) -> AuditEntry:
    """Write one audit entry for a change made by ``actor`` (None: a job); see ``entry``."""
    row = entry(**fields)
    row.save()
    return row


def entries_bulk(entries: Iterable[AuditEntry], *, batch_size: int = 5000) -> list[AuditEntry]:
    """Write many audit entries with one INSERT per ``batch_size`` (an import's thousands).

    They are written unsealed like every other entry, and the sealing step
    (:func:`portal.audit_chain.seal`) chains them in order with the rest: a bulk writer
    needs no lock and cannot fork the chain. Build the entries with :func:`entry`.
    """
    rows = list(entries)
    for row in rows:
        if row.pk is not None or row.seq is not None or row.hash:
            raise ValueError("entries_bulk writes new, unsealed audit entries only")
    return AuditEntry.objects.bulk_create(rows, batch_size=batch_size)


def history_of(instance: models.Model):
    """Return the audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related("actor")
