"""Create, change, publish and unpublish programme records (audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models, transaction

from portal import audit
from portal.choices import AuditAction
from portal.permissions import require
from programs.models import ProgrammeRecord


def _require_staff(actor) -> None:
    require(actor, "programs.keep_records")


def _require_administrator(actor) -> None:
    require(actor, "programs.publish")


def _m2m_ids(instance: models.Model, names: Iterable[str]) -> dict[str, list[int]]:
    if instance.pk is None:
        return {name: [] for name in names}
    return {name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in names}


@transaction.atomic
def save_record(
    actor,
    instance: ProgrammeRecord,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    reason: str = "",
) -> ProgrammeRecord:
    """Create or change ``instance`` as programme staff: validated, saved, audited.

    ``published`` is not changed here: new records start unpublished and only
    :func:`publish` (administrators) publishes them.
    """
    _require_staff(actor)
    m2m = m2m or {}
    creating = instance.pk is None
    if creating:
        instance.published = False
        before = {}
    else:
        stored = type(instance).objects.get(pk=instance.pk)
        instance.published = stored.published
        before = audit.snapshot(stored)
    before_m2m = _m2m_ids(instance, m2m)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    changes = audit.diff(before, audit.snapshot(instance))
    changes.update(audit.diff(before_m2m, _m2m_ids(instance, m2m)))
    if creating or changes:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            instance=instance,
            changes=changes,
            reason=reason,
        )
    return instance


@transaction.atomic
def _set_published(actor, instance: ProgrammeRecord, value: bool, reason: str):
    _require_administrator(actor)
    model = type(instance)
    locked = model.objects.select_for_update().get(pk=instance.pk)
    if locked.published != value:
        model.objects.filter(pk=locked.pk).update(published=value)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            changes={"published": [locked.published, value]},
            reason=reason,
        )
    instance.published = value
    return instance


def publish(actor, instance: ProgrammeRecord, reason: str = "") -> ProgrammeRecord:
    """Make a record public (administrators); publishing it again changes nothing."""
    return _set_published(actor, instance, True, reason)


def unpublish(actor, instance: ProgrammeRecord, reason: str = "") -> ProgrammeRecord:
    """Withdraw a record from the public (administrators); idempotent."""
    return _set_published(actor, instance, False, reason)
