"""Art. 11 referrals: a supplier files one, administrators match, target or close it.

A referral moves only forward, from SUBMITTED to TARGETED (an inspection is planned,
by :mod:`inspections.services.referrals`, which calls :func:`lock_for_targeting` and
:func:`mark_targeted` in its own transaction) or to CLOSED (with the reason). Each
change is one transaction and one audit entry naming who, when and why.

Compliance never imports the inspections app: the referral's page asks for an inspection
through :func:`plan_inspection`, which calls the planner the inspections app registers
on start-up (:func:`register_inspection_planner`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.energy import permissions  # noqa: F401 (registers the rules asked below)
from compliance.models import Premises, ReferralStatus, SupplierAccount, SupplierReferral
from portal import audit
from portal.choices import AuditAction, Role
from portal.permissions import can

# What a supplier states when filing; everything else is set by the portal.
FILED_FIELDS = (
    "account",
    "customer_name",
    "address",
    "equipment_kind",
    "description",
    "seen_on",
    "urged_on",
)


def _require_supplier(user) -> None:
    if not (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.ENERGY_SUPPLIER
    ):
        raise PermissionDenied(_("Only energy suppliers file referrals."))


def _require_administrator(actor) -> None:
    if not can(actor, "energy.decide_referral"):
        raise PermissionDenied(_("Only administrators decide on referrals."))


def _not_in_future(fields: dict, today: datetime.date) -> dict[str, str]:
    errors = {}
    for name in ("seen_on", "urged_on"):
        day = fields.get(name)
        if isinstance(day, datetime.date) and day > today:
            errors[name] = _("The day cannot be in the future.")
    return errors


def _constraint_message(name: str) -> str:
    (constraint,) = (c for c in SupplierReferral._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def _business_of(referral: SupplierReferral) -> int | None:
    return referral.premises.business_id if referral.premises_id else None


@transaction.atomic
def file_referral(supplier, **fields) -> SupplierReferral:
    """File an Art. 11 referral for ``supplier``; return it saved and audited.

    ``account`` (optional) must be one of the supplier's own customer accounts; the
    referral then concerns the premises that account is matched to (if any).
    """
    _require_supplier(supplier)
    unknown = set(fields) - set(FILED_FIELDS)
    if unknown:
        raise TypeError(f"file_referral() got unexpected fields: {sorted(unknown)}")
    account: SupplierAccount | None = fields.pop("account", None)
    if account is not None and account.supplier_id != supplier.pk:
        raise ValidationError({"account": _("Choose one of your own customer accounts.")})
    referral = SupplierReferral(
        supplier=supplier,
        account=account,
        premises_id=account.premises_id if account is not None else None,
        status=ReferralStatus.SUBMITTED,
        **fields,
    )
    errors: dict[str, list] = {}
    try:
        referral.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
    # The model's "urged after seen" constraint is a fact about ``urged_on``: say so there.
    urged_message = str(_constraint_message("referral_urged_after_seen"))
    if urged_message in errors.get(NON_FIELD_ERRORS, []):
        errors[NON_FIELD_ERRORS].remove(urged_message)
        if not errors[NON_FIELD_ERRORS]:
            del errors[NON_FIELD_ERRORS]
        errors.setdefault("urged_on", []).append(urged_message)
    for name, message in _not_in_future(fields, timezone.localdate()).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    referral.save()
    audit.record(
        actor=supplier,
        action=AuditAction.CREATE,
        instance=referral,
        changes=audit.diff({}, audit.snapshot(referral)),
        reason=_("Art. 11 referral filed by the energy supplier"),
        business_id=_business_of(referral),
    )
    return referral


def lock_for_targeting(referral: SupplierReferral) -> SupplierReferral:
    """Lock ``referral`` and check it can become an inspection target (in a transaction).

    Refused with a ValidationError unless it is SUBMITTED and names a premises.
    """
    locked = (
        SupplierReferral.objects.select_for_update(of=("self",))
        .select_related("premises")
        .get(pk=referral.pk)
    )
    _require_submitted(locked, _("Only a submitted referral can be made an inspection target."))
    if locked.premises_id is None:
        raise ValidationError(
            {
                "premises": _(
                    "The referral names no registered premises. "
                    "Set its premises first, then make it an inspection target."
                )
            }
        )
    return locked


# (actor, referral, scheduled_for, notes) -> the planned inspection.
InspectionPlanner = Callable[[object, SupplierReferral, datetime.date, str], object]
_inspection_planner: InspectionPlanner | None = None


def register_inspection_planner(planner: InspectionPlanner) -> None:
    """Let the inspections app plan the inspection of a referral made a target."""
    global _inspection_planner  # one registry, set at app start-up
    _inspection_planner = planner


def plan_inspection(actor, referral: SupplierReferral, scheduled_for: datetime.date, notes: str):
    """Make ``referral`` an inspection target: the inspections app plans the inspection."""
    if _inspection_planner is None:
        raise ImproperlyConfigured("No inspection planner is registered: install inspections.")
    return _inspection_planner(actor, referral, scheduled_for, notes)


def _require_submitted(referral: SupplierReferral, message: str) -> None:
    if referral.status != ReferralStatus.SUBMITTED:
        raise ValidationError(
            _("%(message)s This one is: %(status)s.")
            % {"message": message, "status": referral.get_status_display()}
        )


def _locked(referral: SupplierReferral) -> SupplierReferral:
    return (
        SupplierReferral.objects.select_for_update(of=("self",))
        .select_related("premises")
        .get(pk=referral.pk)
    )


def mark_targeted(
    actor, referral: SupplierReferral, *, inspection_id: int, scheduled_for: datetime.date
) -> SupplierReferral:
    """Record that an inspection was planned for a locked, checked referral (audited).

    Called by the inspections app inside the transaction that plans the inspection,
    after :func:`lock_for_targeting`.
    """
    _require_administrator(actor)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mark_targeted() must run inside the targeting transaction")
    _require_submitted(referral, _("Only a submitted referral can be made an inspection target."))
    referral.status = ReferralStatus.TARGETED
    decided = referral.record_decision(actor)
    referral.save(update_fields=["status", *decided])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=referral,
        changes={
            "status": [ReferralStatus.SUBMITTED, ReferralStatus.TARGETED],
            "inspection": [None, inspection_id],
            "scheduled_for": [None, scheduled_for.isoformat()],
        },
        reason=_("Made an inspection target: inspection %(id)s on %(day)s")
        % {"id": inspection_id, "day": scheduled_for.isoformat()},
        business_id=_business_of(referral),
    )
    return referral


@transaction.atomic
def close_referral(actor, referral: SupplierReferral, reason: str) -> SupplierReferral:
    """Close a submitted referral without an inspection, saying why (administrators)."""
    _require_administrator(actor)
    referral = _locked(referral)
    _require_submitted(referral, _("Only a submitted referral can be closed."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Say why the referral is closed.")})
    referral.status = ReferralStatus.CLOSED
    decided = referral.record_decision(actor, reason)
    referral.save(update_fields=["status", *decided])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=referral,
        changes={"status": [ReferralStatus.SUBMITTED, ReferralStatus.CLOSED]},
        reason=reason,
        business_id=_business_of(referral),
    )
    return referral


@transaction.atomic
def set_referral_premises(
    actor, referral: SupplierReferral, premises: Premises
) -> SupplierReferral:
    """Name the registered premises a submitted referral concerns (administrators)."""
    _require_administrator(actor)
    referral = _locked(referral)
    _require_submitted(referral, _("Only a submitted referral can be given a premises."))
    if referral.premises_id == premises.pk:
        raise ValidationError({"premises": _("The referral already names this premises.")})
    before = referral.premises_id
    referral.premises = premises
    referral.save(update_fields=["premises"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=referral,
        changes={"premises": [before, premises.pk]},
        reason=_("Referral matched to a registered premises"),
        business_id=premises.business_id,
    )
    return referral
