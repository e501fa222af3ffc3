"""The shared shape of an administrator's decision on a request (claims, exemptions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.models.decisions import Decision
from portal.permissions import require


def decide(
    actor,
    row: Decision,
    *,
    action: str,
    approve: bool,
    reason: str,
    waiting: str,
    approved: str,
    refused: str,
    already_decided: str,
    business_id: int,
):
    """Lock ``row``, move it from ``waiting`` to ``approved`` or ``refused`` and audit it.

    Only a user the rule ``action`` allows decides; a decision needs a reason; a row
    decided already is refused with ``already_decided``. Call inside a transaction;
    returns the saved row.
    """
    require(actor, action, row)
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if row.status != waiting:
        raise ValidationError(already_decided)
    if not reason.strip():
        raise ValidationError({"decision_reason": _("Give the reason for the decision.")})
    row.status = approved if approve else refused
    row.record_decision(actor, reason)
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.APPROVE if approve else AuditAction.REJECT,
        instance=row,
        changes={"status": [waiting, row.status]},
        reason=reason,
        business_id=business_id,
    )
    return row
