"""Art. 11 referrals made inspection targets: a complaint inspection of the premises.

The referral's state belongs to :mod:`compliance.energy.services.referrals`; this module plans
the inspection (through :func:`inspections.services.planning.create_inspection`) and
asks compliance to record the decision, both in one transaction: either the referral
is TARGETED and the inspection exists, or neither.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from compliance.energy.services import referrals
from compliance.models import SupplierReferral
from inspections.choices import InspectionPurpose
from inspections.models import Inspection
from inspections.services import planning
from portal.permissions import can

if TYPE_CHECKING:
    from portal.models import User


@transaction.atomic
def target_referral(
    actor: User, referral: SupplierReferral, scheduled_for: datetime.date, notes: str = ""
) -> Inspection:
    """Plan a complaint inspection of the referral's premises on ``scheduled_for``.

    Administrators only. Refused (ValidationError) unless the referral is submitted and
    names a premises. The least loaded inspector leads it; the inspection and the
    referral's decision (who, when, which inspection) are audited.
    """
    if not can(actor, "inspections.plan"):
        raise PermissionDenied(_("Only administrators plan inspections."))
    referral = referrals.lock_for_targeting(referral)
    inspection = planning.create_inspection(
        actor,
        referral.premises,
        scheduled_for,
        purpose=InspectionPurpose.COMPLAINT,
        notes=notes,
    )
    inspection.referral = referral
    inspection.save(update_fields=["referral", "updated_at"])
    referrals.mark_targeted(
        actor, referral, inspection_id=inspection.pk, scheduled_for=scheduled_for
    )
    return inspection
