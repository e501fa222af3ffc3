"""What follows a fine through the outbox (decision, e-mails, re-inspection), and every e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from compliance.choices import AppealStatus, DocumentKind, DocumentStatus, EvidenceStatus
from compliance.enforcement.documents import formats
from compliance.enforcement.services import notifications, sweep
from compliance.enforcement.services.proposals import FINE_TOPIC
from compliance.models import (
    Appeal,
    BusinessMembership,
    EnforcementDocument,
    RectificationEvidence,
    Statement,
)
from inspections.models import Inspection
from portal import outbox
from portal.choices import Role
from portal.models import OutboxMessage
from tests.deciding import decide_and_serve
from tests.enforcement.builders import fined_violation
from tests.factories import make_violation
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 11, 2)
FINED_ON = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english_member(make_user, business):
    """A second member of ``business`` who reads English (``owner`` reads Chinese)."""
    user = make_user("owner-en", Role.BUSINESS, preferred_language="en")
    BusinessMembership.objects.create(user=user, business=business)
    return user


@pytest.fixture
def violation(premises):
    return make_violation(premises, "5-5", found_on=FOUND)


def deliver_all() -> int:
    """Deliver what is due on both queues, as the workers would after the commit."""
    return outbox.deliver("celery") + outbox.deliver("reports")


def deliver_fine_again(fine) -> None:
    """Make the fine's outbox message due again, as after a redelivered job."""
    OutboxMessage.objects.filter(topic=FINE_TOPIC, payload__fine=fine.pk).update(delivered_at=None)
    outbox.deliver("celery")


# --- After the sweep ------------------------------------------------------------------


def test_delivering_a_fine_creates_its_decision_once_and_renders_it(violation, owner):
    verify_missed(violation)
    sweep.sweep(FINED_ON)
    decide_and_serve(FINED_ON)
    fine = violation.fines.get()

    deliver_all()
    deliver_fine_again(fine)
    deliver_all()

    decision = EnforcementDocument.objects.get(kind=DocumentKind.PENALTY_DECISION, fine=fine)
    assert decision.document_number == fine.document_number
    assert decision.language == "zh-hant"
    assert decision.status == DocumentStatus.READY
    assert decision.file.name.endswith(".pdf")
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0


def test_each_fine_of_a_sweep_gets_its_own_decision(premises, other_premises):
    first = make_violation(premises, "5-5", found_on=FOUND)
    second = make_violation(other_premises, "5-5", found_on=FOUND)
    verify_missed(first)
    verify_missed(second)
    sweep.sweep(FINED_ON)
    decide_and_serve(FINED_ON)

    outbox.deliver("celery")
    outbox.deliver("celery")

    for violation in (first, second):
        fine = violation.fines.get()
        assert EnforcementDocument.objects.filter(fine=fine).count() == 1


def test_the_fine_email_reaches_each_member_in_their_language(
    violation, owner, english_member, mailoutbox
):
    verify_missed(violation)
    sweep.sweep(FINED_ON)
    decide_and_serve(FINED_ON)
    fine = violation.fines.get()

    outbox.deliver("celery")

    # Two e-mails each: the decision issued, then its service with the periods it starts.
    fines = [m for m in mailoutbox if "10,000" in m.subject]
    issued = {m.to[0]: m for m in fines if fine.document_number not in m.subject}
    served = {m.to[0]: m for m in mailoutbox if fine.document_number in m.subject}
    assert set(issued) == set(served) == {owner.email, english_member.email}
    chinese, english = issued[owner.email], issued[english_member.email]
    assert chinese.subject != english.subject
    assert "第5條第5款" in chinese.subject
    assert "Art. 5-5" in english.subject
    assert "NT$10,000" in english.subject
    assert "新臺幣 10,000 元" in chinese.subject
    assert fine.document_number in english.body
    assert "served" in english.body  # it counts from service, not from today
    chinese, english = served[owner.email], served[english_member.email]
    assert "Dec. 1, 2026" in english.body  # the new deadline, counted from service
    assert "2026年12月1日" in chinese.body
    link = f"{settings.PORTAL_BASE_URL}/enforcement/violations/{violation.pk}/"
    assert link in english.body and link in chinese.body


def test_the_reinspection_is_planned_after_the_new_deadline_exactly_once(violation):
    verify_missed(violation)
    sweep.sweep(FINED_ON)
    decide_and_serve(FINED_ON)
    fine = violation.fines.get()

    outbox.deliver("celery")
    deliver_fine_again(fine)

    planned = Inspection.objects.filter(violation=violation)
    assert planned.count() == 1
    # The new deadline is Tuesday 12-01; the re-inspection verifies it the first working
    # day after.
    assert fine.new_deadline == datetime.date(2026, 12, 1)
    assert planned.get().scheduled_for == datetime.date(2026, 12, 2)


# --- Every e-mail, both languages -----------------------------------------------------


@pytest.fixture
def case(premises, owner, administrator):
    """A fined violation with evidence and an appeal: every e-mail's context."""
    violation, fine = fined_violation(premises)
    evidence = RectificationEvidence.objects.create(
        violation=violation,
        description="Thermostats set to 26 °C & checked.",
        submitted_by=owner,
    )
    appeal = Appeal.objects.create(
        fine=fine,
        grounds="The thermostat was set.",
        filed_by=owner,
        received_on=fine.served_on or FINED_ON,
        forward_by=(fine.served_on or FINED_ON) + datetime.timedelta(days=20),
        reply="The reading was taken as the rule book prescribes.",
        forwarded_on=fine.served_on or FINED_ON,
    )
    verification = violation.verifications.get()
    statement = Statement.objects.create(
        violation=violation,
        verification=verification,
        text="The unit was repaired & the thermostat reset.",
        submitted_by=owner,
    )
    return {
        "violation": violation,
        "fine": fine,
        "evidence": evidence,
        "appeal": appeal,
        "verification": verification,
        "statement": statement,
    }


def contexts(case) -> dict[str, dict]:
    return {
        "violation_opened": {"violation": case["violation"]},
        "fine_issued": {"violation": case["violation"], "fine": case["fine"]},
        "fine_served": {"violation": case["violation"], "fine": case["fine"]},
        "deadline_reminder": {"violation": case["violation"], "days": 7},
        "deadline_moved": {
            "violation": case["violation"],
            "old_deadline": case["violation"].deadline - datetime.timedelta(days=1),
        },
        "violation_closed": {"violation": case["violation"]},
        "evidence_reviewed": {"violation": case["violation"], "evidence": case["evidence"]},
        "appeal_forwarded": {"violation": case["violation"], "appeal": case["appeal"]},
        "appeal_decided": {"violation": case["violation"], "appeal": case["appeal"]},
        "evidence_submitted": {"violation": case["violation"], "evidence": case["evidence"]},
        "appeal_filed": {"violation": case["violation"], "appeal": case["appeal"]},
        "non_rectification_verified": {
            "violation": case["violation"],
            "verification": case["verification"],
            "checked": "Re-inspection: the average indoor temperature was 25.1 °C.",
        },
        "statement_submitted": {"violation": case["violation"], "statement": case["statement"]},
    }


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("event", notifications.BUSINESS_EVENTS + notifications.CITY_EVENTS)
def test_every_email_renders_as_plain_text_with_the_facts_and_a_link(case, owner, event, language):
    owner.preferred_language = language
    violation = case["violation"]

    subject, body = notifications.render(event, owner, contexts(case)[event])

    assert subject and "\n" not in subject
    assert "{{" not in subject + body and "{%" not in subject + body
    assert "&amp;" not in body and "&#x27;" not in body  # plain text, not HTML-escaped
    assert violation.premises.name in subject + body
    assert f"/enforcement/violations/{violation.pk}/" in body
    if language == "en":
        assert body.startswith(f"Dear {owner.get_username()},")
    if event in (
        "fine_issued",
        "fine_served",
        "appeal_filed",
        "appeal_forwarded",
        "appeal_decided",
    ):
        assert case["fine"].document_number in subject + body
    if event == "non_rectification_verified":
        assert "25.1 °C" in body
    if event == "statement_submitted":
        assert "repaired & the thermostat" in body


def test_the_reminder_counts_the_days_left(case, english_member):
    violation = case["violation"]

    subject, body = notifications.render(
        "deadline_reminder", english_member, {"violation": violation, "days": 7}
    )
    one, _body = notifications.render(
        "deadline_reminder", english_member, {"violation": violation, "days": 1}
    )

    assert subject.startswith("7 days left")
    assert one.startswith("1 day left")
    assert "7 days left" in body
    assert formats.date(violation.deadline, "en") in body


def test_evidence_emails_say_what_to_do_after_acceptance_and_rejection(case, english_member):
    evidence = case["evidence"]
    context = {"violation": case["violation"], "evidence": evidence}
    evidence.status, evidence.review_reason = EvidenceStatus.REJECTED, "Photo is blurred."
    rejected_subject, rejected = notifications.render("evidence_reviewed", english_member, context)
    evidence.status, evidence.review_reason = EvidenceStatus.ACCEPTED, ""
    accepted_subject, _body = notifications.render("evidence_reviewed", english_member, context)

    assert rejected_subject.startswith("Rectification evidence rejected")
    assert "Photo is blurred." in rejected
    assert "submit new evidence" in rejected
    assert accepted_subject.startswith("Rectification accepted")


def test_an_amended_appeal_email_states_the_new_amount(case, english_member):
    appeal, fine = case["appeal"], case["fine"]
    appeal.status = AppealStatus.DEPARTMENT_AMENDED
    appeal.decided_at = timezone.now()
    appeal.decision_reason = "First offence, set right at once."
    fine.amount_due_ntd = 5_000

    subject, body = notifications.render(
        "appeal_decided", english_member, {"violation": case["violation"], "appeal": appeal}
    )

    assert "Decision amended by the Department" in subject
    assert "The Department reviewed your appeal" in body
    assert "Amount due now: NT$5,000" in body
    assert "First offence, set right at once." in body


def test_the_appeal_body_s_decision_email_names_it_and_what_follows(case, english_member):
    appeal, fine = case["appeal"], case["fine"]
    appeal.status = AppealStatus.SENT_BACK
    appeal.body_decision_number = "府訴二字第1150001號"
    appeal.body_decided_on = datetime.date(2027, 1, 20)
    appeal.body_reason = "The verification was incomplete."
    fine.status, fine.amount_due_ntd = "revoked", 0

    subject, body = notifications.render(
        "appeal_decided", english_member, {"violation": case["violation"], "appeal": appeal}
    )

    assert "Sent back for a new decision" in subject
    assert "府訴二字第1150001號" in body
    assert "The verification was incomplete." in body
    assert "the Department makes a new decision" in body


def test_the_forwarded_appeal_email_copies_the_reply(case, english_member):
    subject, body = notifications.render(
        "appeal_forwarded",
        english_member,
        {"violation": case["violation"], "appeal": case["appeal"]},
    )

    assert "forwarded" in subject
    assert "The reading was taken as the rule book prescribes." in body
    assert "does not stop the fine being due" in body


def test_city_staff_hear_about_evidence_and_appeals(case, administrator, inspector, mailoutbox):
    notifications.notify_city(
        "evidence_submitted", violation=case["violation"], evidence=case["evidence"]
    )
    notifications.notify_city("appeal_filed", violation=case["violation"], appeal=case["appeal"])

    evidence_mail = [m for m in mailoutbox if "/enforcement/review/" in m.body]
    assert {m.to[0] for m in mailoutbox} == {administrator.email, inspector.email}
    assert len(evidence_mail) == 3  # evidence to both, the appeal to the administrator
    assert any("Thermostats set to 26 °C & checked." in m.body for m in evidence_mail)
