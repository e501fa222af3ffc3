"""Who may do what in enforcement: the rules :func:`portal.permissions.can` answers.

Without an object a rule answers for the user's role (the POST pages and the API refuse
with 403 on it, before the service); with one, whether the user may do it to that object
in its present state (the violation's page offers a form only then). The services ask
the same rules and refuse with PermissionDenied; a state they refuse is a ValidationError.

* the business side (a business's members, energy suppliers for their Art. 18 cases,
  administrators for them) submits evidence, reports payments and files appeals;
* the violation's own side (its business's members, the supplier of its Art. 18 case;
  never the City for them) states its opinion before a fine (APenA Art. 42);
* inspectors and administrators review evidence;
* administrators decide payments, review and forward appeals, record the appeal body's
  decisions and suspensions of payment, cancel violations, record the service of
  decisions, have documents rendered again and declare days off or open in the working
  calendar;
* officials holding the ``compliance.decide_fine`` permission (not every administrator)
  decide proposed fines, never those of a case they verified or found.

Registered on import; ``ComplianceConfig.ready`` imports this module.
"""

from __future__ import annotations

from django.utils import timezone

from compliance.choices import AppealStatus, EvidenceStatus, FineStatus, PaymentStatus
from compliance.rules.lifecycle import Action, allowed_actions
from portal.choices import Role
from portal.permissions import rule


def _administrator(user) -> bool:
    return bool(user.is_administrator)


def _active_staff(user) -> bool:
    """An active inspector or administrator."""
    return bool(user.is_active and (user.is_administrator or user.is_inspector))


@rule("enforcement.act_for_business")
def act_for_business(user, row=None) -> bool:
    """Business members act on their own violations and fines; administrators for them.

    An energy supplier acts on its own Art. 18 cases (pays, appeals) the same way. With a
    row (a violation, a fine): they also see it.
    """
    if not (user.is_business_user or user.is_administrator or user.role == Role.ENERGY_SUPPLIER):
        return False
    return row is None or type(row).objects.visible_to(user).filter(pk=row.pk).exists()


@rule("enforcement.respond")
def respond(user, violation=None) -> bool:
    """The violation's own side: its business's members, or the supplier of its Art. 18 case.

    The violation's page offers them (and only them) the forms of the business side.
    """
    if user.is_business_user:
        return True
    return violation is not None and (
        violation.supplier_id is not None and violation.supplier_id == user.pk
    )


@rule("enforcement.state_opinion")
def state_opinion(user, violation=None) -> bool:
    """The violation's own side states its opinion on a verified case (APenA Art. 42).

    Only business users and energy suppliers; with a violation, only its own business's
    members (who see it) or the supplier of its Art. 18 case. Whether a period is open is
    the state the service checks (a refusal with the reason, not a 403).
    """
    if not (user.is_business_user or user.role == Role.ENERGY_SUPPLIER):
        return False
    if violation is None:
        return True
    if not respond(user, violation):
        return False
    return type(violation).objects.visible_to(user).filter(pk=violation.pk).exists()


@rule("enforcement.submit_evidence")
def submit_evidence(user, violation=None) -> bool:
    """Evidence of rectification, for an active violation that is rectified by it.

    An Art. 18 case is rectified by uploading the data, an Art. 17 refusal not at all.
    """
    if not act_for_business(user):
        return False
    return violation is None or takes_evidence(violation)


def takes_evidence(violation) -> bool:
    """Return whether ``violation`` is rectified by evidence (and is still active)."""
    return bool(
        violation.is_active and not violation.fined_directly and not violation.concerns_supplier
    )


@rule("enforcement.report_payment")
def report_payment(user, fine=None) -> bool:
    """A payment of a fine still owed, unless a reported payment awaits confirmation."""
    if not act_for_business(user):
        return False
    if fine is None:
        return True
    # ``payments`` is prefetched on the case page; elsewhere this is one query.
    awaiting = any(p.status == PaymentStatus.REPORTED for p in fine.payments.all())
    return bool(fine.is_outstanding) and not awaiting


@rule("enforcement.file_appeal")
def file_appeal(user, fine=None) -> bool:
    """An appeal against a decision not appealed yet, not revoked, within its period."""
    if not act_for_business(user):
        return False
    if fine is None:
        return True
    # Only a served decision can be appealed: its period runs from service.
    return (
        getattr(fine, "appeal", None) is None
        and fine.status in (FineStatus.ISSUED, FineStatus.PAID)
        and fine.appeal_until is not None
        and timezone.localdate() <= fine.appeal_until
    )


@rule("enforcement.review_evidence")
def review_evidence(user, evidence=None) -> bool:
    """Inspectors and administrators accept or reject evidence waiting for review."""
    if not _active_staff(user):
        return False
    return evidence is None or evidence.status == EvidenceStatus.SUBMITTED


@rule("enforcement.decide_payment")
def decide_payment(user, payment=None) -> bool:
    """Administrators confirm or reject a reported payment."""
    if not _administrator(user):
        return False
    return payment is None or payment.status == PaymentStatus.REPORTED


@rule("enforcement.decide_appeal")
def decide_appeal(user, appeal=None) -> bool:
    """Administrators review an appeal under the Department's review (AAA Art. 58).

    They revoke or amend the Department's own decision, or forward the appeal with the
    reply to the appeal body.
    """
    if not _administrator(user):
        return False
    return appeal is None or appeal.status == AppealStatus.FILED


@rule("enforcement.record_appeal_decision")
def record_appeal_decision(user, appeal=None) -> bool:
    """Administrators record the appeal body's decision on an appeal forwarded to it."""
    if not _administrator(user):
        return False
    return appeal is None or appeal.status == AppealStatus.FORWARDED


@rule("enforcement.suspend_payment")
def suspend_payment(user, appeal=None) -> bool:
    """Administrators record a suspension of payment (AAA Art. 93) or lift one (Art. 94).

    With an appeal: recorded while it is pending (filed or forwarded), lifted once recorded.
    """
    if not _administrator(user):
        return False
    return appeal is None or bool(
        appeal.payment_suspended_on is not None
        or appeal.status in (AppealStatus.FILED, AppealStatus.FORWARDED)
    )


@rule("enforcement.see_proposals")
def see_proposals(user, obj=None) -> bool:
    """Administrators see the proposed fines awaiting an official's decision."""
    return bool(user.is_active and user.is_administrator)


@rule("enforcement.decide_fine")
def decide_fine(user, fine=None) -> bool:
    """An official holding ``compliance.decide_fine`` decides a proposal.

    With a fine: a proposal, of a case the official neither verified nor found
    (:func:`involved`, a query).
    """
    if not (user.is_administrator and user.holds_permission("compliance.decide_fine")):
        return False
    if fine is None:
        return True
    return fine.status == FineStatus.PROPOSED and not involved(user, fine)


def involved(user, fine) -> bool:
    """Whether ``user`` verified the case (or found the refusal) a proposal rests on."""
    from compliance.models import Verification

    if fine.violation.opened_by_id == user.pk:
        return True
    return Verification.objects.filter(
        violation_id=fine.violation_id,
        missed_deadline=fine.missed_deadline,
        returned_at__isnull=True,
        verified_by=user,
    ).exists()


@rule("enforcement.record_service")
def record_service(user, fine=None) -> bool:
    """Administrators record the service of a decision not served yet."""
    if not (user.is_active and user.is_administrator):
        return False
    return fine is None or bool(fine.awaits_service and fine.status != FineStatus.REVOKED)


@rule("enforcement.electronic_service")
def electronic_service(user, business=None) -> bool:
    """A business's own members agree to (or withdraw) electronic service of decisions."""
    if not user.is_business_user:
        return False
    return (
        business is None or type(business).objects.visible_to(user).filter(pk=business.pk).exists()
    )


@rule("enforcement.cancel")
def cancel(user, violation=None) -> bool:
    """Administrators withdraw a violation the transition table lets be cancelled."""
    if not _administrator(user):
        return False
    return violation is None or Action.CANCEL in allowed_actions(violation.status)


@rule("enforcement.retry_document")
def retry_document(user, document=None) -> bool:
    """Active administrators have notices and decisions rendered again."""
    return bool(user.is_active and user.is_administrator)


@rule("enforcement.see_dashboard")
def see_dashboard(user, obj=None) -> bool:
    """The City's staff (administrators, inspectors) see the enforcement dashboard."""
    return bool(user.is_administrator or user.is_inspector)


@rule("enforcement.run_sweep")
def run_sweep(user, obj=None) -> bool:
    """Administrators see the deadline sweep's runs and queue one."""
    return _administrator(user)


@rule("enforcement.declare_working_day")
def declare_working_day(user, day=None) -> bool:
    """Administrators declare a day off or open in the working calendar, or withdraw one."""
    return _administrator(user)
