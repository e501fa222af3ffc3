"""Drafting and publishing rule-book versions (the City's announcements as data).

A draft starts as a copy of the version in force; an administrator edits it, sees its
difference from the version in force and its impact, and publishes it for a day not in
the past (only the first publication may restate the ordinance from its start date).
Publishing validates every parameter (a penalty outside Arts. 15-18 cannot be
published), records who published it and when, freezes the version and, when it is in
force today, re-assesses the city.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook import permissions as _permissions  # noqa: F401  (the rules)
from compliance.rulebook.bridge import version_in_force
from compliance.rulebook.services import assessment
from portal import audit
from portal.choices import AuditAction
from portal.permissions import require


@transaction.atomic
def create_draft(actor, *, based_on: RuleBookVersion | None = None) -> RuleBookVersion:
    """Start a draft from ``based_on`` (default: the version in force today)."""
    require(actor, "rulebook.draft")
    base = based_on or version_in_force()
    params = base.parameters if base else rules.params_to_dict(rules.initial_parameters())
    today = timezone.localdate()
    draft = RuleBookVersion.objects.create(
        title=_("Draft of %(date)s") % {"date": today.isoformat()},
        status=RuleBookStatus.DRAFT,
        effective_from=today + datetime.timedelta(days=1),
        parameters=params,
        based_on=base,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=draft,
        changes={"based_on_id": [None, base.pk if base else None]},
    )
    return draft


@transaction.atomic
def update_draft(
    actor,
    draft: RuleBookVersion,
    *,
    params: rules.RuleParameters | None = None,
    **fields: Any,
) -> RuleBookVersion:
    """Change a draft's parameters and descriptive fields, recording before and after."""
    require(actor, "rulebook.draft")
    draft = RuleBookVersion.objects.select_for_update().get(pk=draft.pk)
    if draft.is_published:
        raise ValidationError(
            _("A published rule book version cannot be changed; draft a new version.")
        )
    before = audit.snapshot(draft)
    before_params = draft.parameters
    for name, value in fields.items():
        setattr(draft, name, value)
    if params is not None:
        draft.parameters = rules.params_to_dict(params)
    draft.full_clean(exclude=["parameters"])
    draft.save()
    changes = audit.diff(
        {k: v for k, v in before.items() if k != "parameters"},
        {k: v for k, v in audit.snapshot(draft).items() if k != "parameters"},
    )
    changes.update(
        {
            f"parameters.{row.path}": [row.before, row.after]
            for row in diff(before_params, draft.parameters)
        }
    )
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=draft, changes=changes)
    return draft


def validation_errors(version: RuleBookVersion) -> list[rules.ParameterError]:
    """Return every problem that stops a version from being published."""
    try:
        params = rules.params_from_dict(version.parameters)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        return [
            rules.ParameterError(
                field="parameters",
                message_key="not_decimal",
                detail=str(exc),
                values=(("field", "parameters"), ("value", str(exc))),
            )
        ]
    return rules.validate_parameters(params)


def ordinance_start(version: RuleBookVersion) -> datetime.date | None:
    """Return the ordinance's start date in a version's parameters (None if unreadable)."""
    try:
        return rules.params_from_dict(version.parameters).effective_date
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
        return None


def restates_ordinance(draft: RuleBookVersion) -> bool:
    """Return whether ``draft`` may be published although it takes effect in the past.

    Only the first publication may: while no version has ever been published (a
    published version is never deleted), a draft in force from the ordinance's start
    date restates the ordinance in force since then. Any later version takes effect on
    the day it is published or after.
    """
    if draft.is_published or RuleBookVersion.objects.published().exists():
        return False
    return draft.effective_from == ordinance_start(draft)


def initial_draft() -> RuleBookVersion | None:
    """Return the draft that would be the first publication, while none is published.

    The oldest draft that restates the ordinance from its start date (the migrations
    leave the initial rule book as such a draft), else None.
    """
    if RuleBookVersion.objects.published().exists():
        return None
    for draft in RuleBookVersion.objects.filter(status=RuleBookStatus.DRAFT).order_by("pk"):
        if restates_ordinance(draft):
            return draft
    return None


def _lock_publications() -> None:
    """Serialize publications until the transaction ends.

    Two at once could both see no version published (the first publication's exception)
    or both take the same next number. The lock conflicts with itself and with writes to
    the table, not with reads (pages and the sweep read versions meanwhile).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(RuleBookVersion._meta.db_table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )


def _next_number() -> int:
    """Return the number the next published version takes (call under the lock)."""
    highest = RuleBookVersion.objects.aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def publish(actor, draft: RuleBookVersion, *, reason: str = "") -> RuleBookVersion:
    """Publish a draft: validate it, freeze it, and re-assess if it is in force today.

    A version takes effect on the day it is published or later, except the first
    publication, which may restate the ordinance from its start date
    (:func:`restates_ordinance`). Who published it and when are recorded and audited.
    """
    require(actor, "rulebook.draft")
    draft = RuleBookVersion.objects.select_for_update().get(pk=draft.pk)
    if draft.is_published:
        raise ValidationError(_("This version is already published."))
    today = timezone.localdate()
    first = False
    _lock_publications()
    if draft.effective_from < today:
        first = restates_ordinance(draft)
        if not first:
            raise ValidationError(
                {
                    "effective_from": _(
                        "A version cannot take effect before the day it is published."
                    )
                }
            )
    errors = validation_errors(draft)
    if errors:
        raise ValidationError(
            {"parameters": [error.detail for error in errors]}, code="invalid_parameters"
        )
    if RuleBookVersion.objects.published().filter(effective_from=draft.effective_from).exists():
        raise ValidationError(
            {"effective_from": _("Another published version already takes effect on this day.")}
        )
    # One UPDATE publishes, numbers and freezes the row: once published, the database's
    # trigger refuses any change to it, its number included.
    draft.status = RuleBookStatus.PUBLISHED
    draft.number = _next_number()
    draft.published_by = actor
    draft.published_at = timezone.now()
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"effective_from": _("Another published version already takes effect on this day.")}
        ) from exc
    if first:
        default_reason = _(
            "First publication: restates the ordinance in force from its start date, %(date)s"
        ) % {"date": draft.effective_from.isoformat()}
    else:
        default_reason = _("Published, in force from %(date)s") % {
            "date": draft.effective_from.isoformat()
        }
    audit.record(
        actor=actor,
        action=AuditAction.APPROVE,
        instance=draft,
        changes={
            "status": [RuleBookStatus.DRAFT, RuleBookStatus.PUBLISHED],
            "published_by": [None, actor.get_username()],
            "published_at": [None, draft.published_at.isoformat()],
            "number": [None, draft.number],
        },
        reason=reason or default_reason,
    )
    in_force = version_in_force(today)
    if in_force is not None and in_force.pk == draft.pk:
        assessment.schedule_all(f"rule book no. {draft.number} took effect", today)
    return draft


@transaction.atomic
def delete_draft(actor, draft: RuleBookVersion) -> None:
    """Discard a draft (published versions are never deleted)."""
    require(actor, "rulebook.draft")
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=draft,
        changes={"status": [draft.status, None]},
    )
    draft.delete()


@dataclass(frozen=True)
class Change:
    """One parameter that differs between two versions."""

    path: str
    before: Any
    after: Any


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            _flatten(item, f"{path}[{_row_key(item)}]", out)
    else:
        out[path] = value


def _row_key(row: dict) -> str:
    """Name a table row by what identifies it, so reordering is not a change."""
    for keys in (
        ("ac_type", "metric", "min_kw"),
        ("space_type",),
        ("article",),
        ("penalty_article",),
        ("energy_type",),
    ):
        if all(key in row for key in keys):
            return "/".join(str(row[key]) for key in keys)
    return "?"


def diff(before: dict, after: dict) -> list[Change]:
    """Return every parameter whose value differs, by a readable path."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    _flatten(before or {}, "", old)
    _flatten(after or {}, "", new)
    return [
        Change(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]
