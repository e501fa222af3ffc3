"""The business's statement of opinion before a fine (陳述意見, APenA Art. 42).

Where the rule book gives an article a period to state an opinion, a verification that
finds the violation persisting opens it (``Verification.statement_until``, counted on
the working calendar). Until its last day the violation's own side — its business's
members, or the supplier of an Art. 18 case — may submit statements; each is kept on the
case beside its verification, audited, recorded in the violation's history, and the
City's staff are told by e-mail (through the outbox). After the period, or where none was
given, a statement is refused with the reason.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.enforcement import permissions  # noqa: F401 (registers the rule required below)
from compliance.enforcement.services.violations import actor_and_label
from compliance.models import Statement, Verification, Violation, ViolationEvent
from portal import audit, outbox
from portal.choices import AuditAction
from portal.permissions import require

STATEMENT_TOPIC = "enforcement.statement_submitted"
# A statement is read by a person before the fine: a few pages at most.
MAX_STATEMENT_CHARS = 5000


def open_verification(
    violation: Violation, verifications, today: datetime.date
) -> Verification | None:
    """Return the verification whose period to state an opinion is open on ``today``.

    ``verifications`` are the violation's (already loaded, any order); only one of its
    current missed deadline that found it persisting and gave a period not yet over.
    """
    if not violation.is_active:
        return None
    for verification in verifications:
        if (
            verification.persisting
            and verification.missed_deadline == violation.deadline
            and verification.statement_until is not None
            and today <= verification.statement_until
        ):
            return verification
    return None


def _period_error(violation: Violation, today: datetime.date) -> ValidationError:
    """Say why no statement is taken: the period is over, or none was given."""
    last = (
        violation.verifications.filter(statement_until__isnull=False, returned_at__isnull=True)
        .order_by("-statement_until")
        .first()
    )
    if last is not None and last.statement_until < today:
        return ValidationError(
            _("The period to state an opinion on this violation ended on %(day)s.")
            % {"day": last.statement_until.isoformat()},
            code="period_over",
        )
    return ValidationError(
        _("No period to state an opinion is open for this violation."), code="no_period"
    )


def check_text(text: str) -> str:
    """Return the statement's text, stripped; refuse an empty or an overlong one."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your statement of opinion.")})
    if len(text) > MAX_STATEMENT_CHARS:
        raise ValidationError(
            {
                "text": _(
                    "A statement may have at most %(limit)d characters (this one has %(length)d)."
                )
                % {"limit": MAX_STATEMENT_CHARS, "length": len(text)}
            }
        )
    return text


def submit(actor, violation: Violation, *, text: str) -> Statement:
    """The violation's own side states its opinion while a period is open; return it.

    Raises PermissionDenied for anyone else (``enforcement.state_opinion``) and a
    ValidationError for an empty or overlong text, or when no period is open.
    """
    require(actor, "enforcement.state_opinion", violation)
    text = check_text(text)
    today = timezone.localdate()
    with transaction.atomic():
        current = Violation.objects.select_for_update().get(pk=violation.pk)
        verification = open_verification(
            current, current.verifications.filter(returned_at__isnull=True), today
        )
        if verification is None:
            raise _period_error(current, today)
        statement = Statement.objects.create(
            violation=current, verification=verification, text=text, submitted_by=actor
        )
        reason = _event_reason(verification)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=statement,
            changes={"text": [None, text], "verification": [None, verification.pk]},
            reason=reason,
            business_id=current.owner_business_id,
        )
        user, label = actor_and_label(actor)
        ViolationEvent.objects.create(
            violation=current,
            from_status=current.status,
            to_status=current.status,
            actor=user,
            actor_label=label,
            reason=reason,
        )
        outbox.add(STATEMENT_TOPIC, {"statement": statement.pk})
    return statement


def _event_reason(verification: Verification) -> str:
    """The history's line, in the City's language like the rest of the case file."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Statement of opinion submitted (the period to state an opinion runs until %(until)s)."
        ) % {"until": verification.statement_until.isoformat()}
