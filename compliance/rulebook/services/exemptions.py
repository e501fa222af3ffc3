"""Individual exemptions: requested by a business, decided and revoked by administrators."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import ExemptionStatus
from compliance.models import Exemption, Premises
from compliance.rulebook import permissions as _permissions  # noqa: F401  (the rules)
from compliance.rulebook.services import assessment
from compliance.rulebook.services.decisions import decide
from portal import audit
from portal.choices import AuditAction
from portal.permissions import require


@transaction.atomic
def request_exemption(actor, exemption: Exemption) -> Exemption:
    """A business (or an administrator on its behalf) asks for an exemption."""
    if not Premises.objects.editable_by(actor).filter(pk=exemption.premises_id).exists():
        raise PermissionDenied
    exemption.status = ExemptionStatus.REQUESTED
    exemption.requested_by = actor
    exemption.full_clean()
    exemption.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=exemption,
        changes=audit.diff({}, audit.snapshot(exemption)),
        business_id=exemption.owner_business_id,
    )
    return exemption


@transaction.atomic
def decide_exemption(actor, exemption: Exemption, *, approve: bool, reason: str) -> Exemption:
    """Approve or refuse a requested exemption, with the reason; approval re-assesses."""
    exemption = decide(
        actor,
        exemption,
        action="rulebook.decide_exemption",
        approve=approve,
        reason=reason,
        waiting=ExemptionStatus.REQUESTED,
        approved=ExemptionStatus.APPROVED,
        refused=ExemptionStatus.REFUSED,
        already_decided=_("This request has already been decided."),
        business_id=exemption.owner_business_id,
    )
    if approve:
        assessment.schedule([exemption.premises_id], f"exemption {exemption.pk} approved")
    return exemption


@transaction.atomic
def revoke_exemption(
    actor, exemption: Exemption, *, reason: str, on: datetime.date | None = None
) -> Exemption:
    """Revoke an approved exemption: it stops applying on ``on`` (default today)."""
    require(actor, "rulebook.revoke_exemption", exemption)
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.status != ExemptionStatus.APPROVED:
        raise ValidationError(_("Only an approved exemption can be revoked."))
    if not reason.strip():
        raise ValidationError({"revocation_reason": _("Give the reason for the revocation.")})
    on = on or timezone.localdate()
    if on < exemption.valid_from:
        raise ValidationError({"revoked_on": _("An exemption cannot be revoked before it starts.")})
    exemption.status = ExemptionStatus.REVOKED
    exemption.revoked_on = on
    exemption.revoked_by = actor
    exemption.revocation_reason = reason
    exemption.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=exemption,
        changes={
            "status": [ExemptionStatus.APPROVED, ExemptionStatus.REVOKED],
            "revoked_on": [None, on.isoformat()],
        },
        reason=reason,
        business_id=exemption.owner_business_id,
    )
    assessment.schedule([exemption.premises_id], f"exemption {exemption.pk} revoked")
    return exemption
