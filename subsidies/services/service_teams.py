"""Art. 13 service teams: requests for help, assignment, consultation, closing.

Every change is one transaction, follows :mod:`subsidies.rules.service_lifecycle` and is
audited. Refusals raise PermissionDenied (the actor may not) or ValidationError (the
request's state or the input does not allow it). Subsidies only read enforcement data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Business, Premises, Violation
from portal import audit
from portal.choices import AuditAction
from portal.permissions import require
from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert
from subsidies.rules import service_lifecycle as lifecycle


def _advance(request: ServiceRequest, action: lifecycle.Action) -> tuple[str, str]:
    """Return (from, to) for ``action`` on ``request``, or a ValidationError."""
    try:
        target = lifecycle.next_status(request.status, action)
    except lifecycle.IllegalTransition as exc:
        raise ValidationError(
            _("This request is %(status)s: it cannot be changed this way.")
            % {"status": request.get_status_display().lower()},
            code="illegal_transition",
        ) from exc
    return request.status, str(target)


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _record(actor, request: ServiceRequest, before: str, changes: dict, reason: str = ""):
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=request,
        changes={"status": [before, request.status], **changes},
        reason=reason,
        business_id=request.business_id,
    )


@transaction.atomic
def save_team(actor, team: ServiceTeam, experts: Iterable[TeamExpert] = ()) -> ServiceTeam:
    """Create or change a service team (and add or change its experts): administrators."""
    require(actor, "subsidies.manage_teams")
    before = audit.snapshot(ServiceTeam.objects.get(pk=team.pk)) if team.pk is not None else {}
    team.full_clean()
    team.save()
    changes = audit.diff(before, audit.snapshot(team))
    for expert in experts:
        expert.team = team
        expert.full_clean()
        expert.save()
        changes.setdefault("experts", []).append(str(expert))
    if changes or not before:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=team,
            changes=changes,
        )
    return team


@transaction.atomic
def remove_expert(actor, expert: TeamExpert, reason: str) -> TeamExpert:
    """An administrator removes an expert from a team, with the reason (the row stays).

    The consultations the expert attended keep naming them; their account no longer
    sees or records the team's requests.
    """
    require(actor, "subsidies.manage_teams")
    expert = TeamExpert.objects.select_for_update().select_related("team").get(pk=expert.pk)
    if expert.removed_at is not None:
        raise ValidationError(_("This expert has already been removed from the team."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for removing the expert.")})
    expert.removed_at = timezone.now()
    expert.removed_by = actor
    expert.removal_reason = reason.strip()
    expert.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=expert.team,
        changes={"experts": [str(expert), None], "removed_expert": [None, expert.pk]},
        reason=expert.removal_reason,
    )
    return expert


@transaction.atomic
def request_help(
    actor,
    business: Business,
    *,
    topic: str,
    description: str,
    premises: Premises | None = None,
    violation: Violation | None = None,
) -> ServiceRequest:
    """A business member asks for a service team's help, optionally about a violation."""
    require(actor, "subsidies.request_help")
    if not Business.objects.editable_by(actor).filter(pk=business.pk).exists():
        raise PermissionDenied
    errors = {}
    if premises is not None and premises.business_id != business.pk:
        errors["premises"] = _("This premises belongs to another business.")
    if violation is not None:
        seen = Violation.objects.visible_to(actor).filter(pk=violation.pk).exists()
        if not seen or violation.premises.business_id != business.pk:
            errors["violation"] = _("This violation concerns another business.")
        elif premises is None:
            premises = violation.premises
    if not (topic or "").strip():
        errors["topic"] = _("Say briefly what the request is about.")
    if not (description or "").strip():
        errors["description"] = _("Describe what you need help with.")
    if errors:
        raise ValidationError(errors)
    request = ServiceRequest.objects.create(
        business=business,
        premises=premises,
        violation=violation,
        topic=topic.strip(),
        description=description.strip(),
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=request,
        changes=audit.diff({}, audit.snapshot(request)),
        business_id=business.pk,
    )
    return request


@transaction.atomic
def assign_team(
    actor, request: ServiceRequest, team: ServiceTeam, reason: str = ""
) -> ServiceRequest:
    """An administrator assigns (or reassigns) an active service team to a request."""
    require(actor, "subsidies.assign_team")
    request = _locked(request)
    before, request.status = _advance(request, lifecycle.Action.ASSIGN)
    if not team.active:
        raise ValidationError({"team": _("This team is not active.")})
    previous_team = request.team_id
    request.team = team
    request.assigned_by = actor
    request.assigned_at = timezone.now()
    request.assignment_reason = reason.strip()
    request.save()
    _record(actor, request, before, {"team": [previous_team, team.pk]}, reason)
    return request


@transaction.atomic
def record_consultation(
    actor,
    request: ServiceRequest,
    *,
    held_on: datetime.date,
    findings: str,
    recommendations: str,
    experts: Iterable[TeamExpert] = (),
    follow_up_due: datetime.date | None = None,
) -> Consultation:
    """The assigned team (an expert with an account, or an administrator) records a consultation."""
    if not ServiceRequest.objects.consultable_by(actor).filter(pk=request.pk).exists():
        raise PermissionDenied
    request = _locked(request)
    before, request.status = _advance(request, lifecycle.Action.CONSULT)
    experts = list(experts)
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("A consultation cannot be recorded before it is held.")
    if follow_up_due is not None and follow_up_due < held_on:
        errors["follow_up_due"] = _("The follow-up cannot be due before the consultation.")
    if any(
        expert.team_id != request.team_id or expert.removed_at is not None for expert in experts
    ):
        errors["experts"] = _("Only experts of the assigned team can be present.")
    if not (findings or "").strip():
        errors["findings"] = _("Record what the team found.")
    if not (recommendations or "").strip():
        errors["recommendations"] = _("Record the team's recommendations.")
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        request=request,
        held_on=held_on,
        findings=findings.strip(),
        recommendations=recommendations.strip(),
        follow_up_due=follow_up_due,
        recorded_by=actor,
    )
    consultation.experts.set(experts)
    request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=consultation,
        changes=audit.diff({}, audit.snapshot(consultation)),
        business_id=request.business_id,
    )
    _record(actor, request, before, {"consultation": [None, consultation.pk]})
    return consultation


@transaction.atomic
def close(actor, request: ServiceRequest, reason: str) -> ServiceRequest:
    """An administrator closes a consulted request, with the reason."""
    require(actor, "subsidies.close_request")
    request = _locked(request)
    before, request.status = _advance(request, lifecycle.Action.CLOSE)
    if not (reason or "").strip():
        raise ValidationError({"close_reason": _("Give the reason for closing the request.")})
    request.closed_by = actor
    request.closed_at = timezone.now()
    request.close_reason = reason.strip()
    request.save()
    _record(actor, request, before, {}, reason)
    return request


@transaction.atomic
def withdraw(actor, request: ServiceRequest) -> ServiceRequest:
    """The business (or an administrator for it) withdraws a request before its consultation."""
    if not ServiceRequest.objects.editable_by(actor).filter(pk=request.pk).exists():
        raise PermissionDenied
    request = _locked(request)
    before, request.status = _advance(request, lifecycle.Action.WITHDRAW)
    request.withdrawn_by = actor
    request.withdrawn_at = timezone.now()
    request.save()
    _record(actor, request, before, {})
    return request
