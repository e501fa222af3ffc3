"""State changes of the registry: each runs in one transaction and writes the audit log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from compliance.choices import ClaimStatus
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.registry import permissions as _permissions  # noqa: F401  (the rules)
from compliance.rulebook.services import assessment
from compliance.rulebook.services.decisions import decide
from portal import audit
from portal.choices import AuditAction, Role


def _business_id(instance: models.Model) -> int | None:
    return getattr(instance, "owner_business_id", None)


def _premises_id(instance: models.Model) -> int | None:
    """Return the premises whose compliance a change to ``instance`` may alter."""
    if isinstance(instance, Premises):
        return instance.pk
    if isinstance(instance, Equipment):
        return instance.premises_id
    if isinstance(instance, AcMonthlyLog | BoilerMonthlyLog):
        return (
            Equipment.objects.filter(pk=instance.equipment_id)
            .values_list("premises_id", flat=True)
            .first()
        )
    return None


@transaction.atomic
def save_record(actor, instance: models.Model, *, reason: str = "") -> models.Model:
    """Validate and save a registry record, recording the change with before and after."""
    creating = instance.pk is None
    before = {} if creating else audit.snapshot(type(instance).objects.get(pk=instance.pk))
    instance.full_clean()
    instance.save()
    changes = audit.diff(before, audit.snapshot(instance))
    if creating or changes:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            instance=instance,
            changes=changes,
            reason=reason,
            business_id=_business_id(instance),
        )
        assessment.schedule([_premises_id(instance)], f"{instance._meta.label_lower} changed")
    return instance


@transaction.atomic
def delete_record(actor, instance: models.Model, *, reason: str = "") -> None:
    """Delete a registry record, keeping its last values in the audit log.

    Rows deleted with it by cascade (a premises' equipment and logs) get entries too.
    Raises ``ProtectedError`` when a protected row still refers to it.
    """
    business_id = _business_id(instance)
    premises_id = None if isinstance(instance, Premises) else _premises_id(instance)
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    for _model, rows in collector.data.items():
        for row in rows:
            audit.record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=row,
                changes=audit.diff(audit.snapshot(row), {}),
                reason=reason
                if row is instance
                else _("Deleted with %(parent)s") % {"parent": instance},
                business_id=business_id,
            )
    instance.delete()
    assessment.schedule([premises_id], f"{instance._meta.label_lower} deleted")


@transaction.atomic
def register_business(actor, business: Business) -> Business:
    """Register a new business; a business user who registers it becomes its member."""
    save_record(actor, business)
    if actor.role == Role.BUSINESS and not actor.is_superuser:
        add_member(actor, business, actor)
    return business


@transaction.atomic
def add_member(actor, business: Business, user) -> BusinessMembership:
    """Let ``user`` act for ``business``."""
    membership, created = BusinessMembership.objects.get_or_create(user=user, business=business)
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=membership,
            changes={"user_id": [None, user.pk], "business_id": [None, business.pk]},
            business_id=business.pk,
        )
    return membership


@transaction.atomic
def request_claim(user, business: Business, evidence: str) -> BusinessClaim:
    """Ask to act for an already registered business; an administrator decides."""
    if BusinessMembership.objects.filter(user=user, business=business).exists():
        raise ValidationError(_("You already act for this business."))
    if BusinessClaim.objects.filter(
        user=user, business=business, status=ClaimStatus.PENDING
    ).exists():
        raise ValidationError(_("Your claim to this business is already waiting for a decision."))
    claim = BusinessClaim(user=user, business=business, evidence=evidence)
    return save_record(user, claim)


@transaction.atomic
def decide_claim(actor, claim: BusinessClaim, *, approve: bool, reason: str) -> BusinessClaim:
    """Approve (creating the membership) or reject a pending claim, with a reason."""
    claim = decide(
        actor,
        claim,
        action="registry.decide_claim",
        approve=approve,
        reason=reason,
        waiting=ClaimStatus.PENDING,
        approved=ClaimStatus.APPROVED,
        refused=ClaimStatus.REJECTED,
        already_decided=_("This claim has already been decided."),
        business_id=claim.business_id,
    )
    if approve:
        add_member(actor, claim.business, claim.user)
    return claim
