"""Appeals (訴願) to the City Government, filed through the Department (AAA Arts. 14, 58, 93).

A served decision is appealed within its period, counted as filed on the day received;
the Department revokes or amends its own decision, or forwards the appeal with its reply
(copied to the appellant); staff record the appeal body's decision with its document;
payment stays due unless a suspension is recorded. Every step is audited with who.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.choices import AppealStatus, FineStatus, ViolationStatus
from compliance.enforcement.services import appeals, proposals, violations
from compliance.models import Appeal, AppealAttachment, Fine
from portal import outbox
from portal.choices import AuditAction
from portal.models import AuditEntry, CitySettings, OutboxMessage
from tests.enforcement.builders import PDF, served_fine
from tests.uploads import PNG

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)  # a week after the decision was served (FINED_ON)


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(f"{TODAY} 10:00 +0800")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, "image/png")


def pdf(name: str = "decision.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def audit_of(instance):
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).order_by("timestamp", "id")


def deliver(time_machine) -> None:
    """Deliver the outbox as a worker would later (messages are due from the database's
    clock, which the tests' frozen day does not move)."""
    time_machine.move_to("2099-01-01 10:00 +0800")
    outbox.deliver("celery")


def topics() -> list[str]:
    return list(OutboxMessage.objects.order_by("id").values_list("topic", flat=True))


def detail(violation) -> str:
    return reverse("enforcement-violation-detail", args=[violation.pk])


def filed(owner, premises, **fine):
    """Return (violation, fine, appeal): a served decision appealed today."""
    violation, decision = served_fine(premises, **fine)
    appeal = appeals.file_appeal(owner, decision, grounds="The thermostat was set to 26 °C.")
    return violation, decision, appeal


def forwarded(owner, administrator, premises, **fine):
    """Return (violation, fine, appeal): an appeal forwarded with the reply today."""
    violation, decision, appeal = filed(owner, premises, **fine)
    appeal = appeals.forward_appeal(
        administrator, appeal, reply="The reading was taken as prescribed."
    )
    return violation, decision, appeal


def body_decision(administrator, appeal, outcome, **extra):
    return appeals.record_appeal_decision(
        administrator,
        appeal,
        outcome=outcome,
        decided_on=TODAY,
        number="府訴二字第1150001號",
        reason="As the decision states.",
        files=[pdf()],
        **extra,
    )


# --- Filing -----------------------------------------------------------------------------


def test_a_decision_not_served_yet_cannot_be_appealed(owner, premises):
    _violation, fine = served_fine(premises)
    Fine.objects.filter(pk=fine.pk).update(served_on=None, service_method="", appeal_until=None)
    fine.refresh_from_db()
    assert fine.awaits_service

    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(owner, fine, grounds="Not served yet.")

    assert "The decision has not been served yet" in str(refused.value)
    assert not Appeal.objects.exists()


def test_a_proposal_cannot_be_appealed(owner, administrator, premises):
    _violation, fine = served_fine(premises)
    Fine.objects.filter(pk=fine.pk).update(
        status=FineStatus.PROPOSED,
        document_number=None,
        issued_on=None,
        served_on=None,
        appeal_until=None,
    )
    fine.refresh_from_db()

    # The business does not see a proposal at all; the City acting for it is told why.
    with pytest.raises(PermissionDenied):
        appeals.file_appeal(owner, fine, grounds="Proposed only.")
    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(administrator, fine, grounds="Proposed only.")

    assert "The decision has not been served yet" in str(refused.value)
    assert not Appeal.objects.exists()


def test_an_appeal_counts_as_filed_the_day_received_up_to_the_last_day(
    owner, premises, time_machine
):
    _violation, fine = served_fine(premises)
    city = CitySettings.current()
    city.appeal_forward_days = 15
    city.save()
    time_machine.move_to(f"{fine.appeal_until} 23:30 +0800")  # the last day, late at night

    appeal = appeals.file_appeal(owner, fine, grounds="Filed on the last day.")

    assert appeal.received_on == fine.appeal_until
    assert appeal.forward_by == fine.appeal_until + datetime.timedelta(days=15)
    assert (appeal.status, appeal.filed_by) == (AppealStatus.FILED, owner)
    assert topics() == [appeals.FILED_TOPIC]


def test_the_day_after_the_appeal_period_the_appeal_is_refused(owner, premises, time_machine):
    _violation, fine = served_fine(premises)
    time_machine.move_to(f"{fine.appeal_until + datetime.timedelta(days=1)} 00:10 +0800")

    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(owner, fine, grounds="One day late.")

    assert f"The appeal period ended on {fine.appeal_until.isoformat()}." in str(refused.value)
    assert not Appeal.objects.exists()


def test_a_decision_is_appealed_once_and_only_by_its_own_business(
    owner, other_owner, inspector, premises
):
    _violation, fine = served_fine(premises)
    with pytest.raises(PermissionDenied):
        appeals.file_appeal(other_owner, fine, grounds="Not mine.")
    with pytest.raises(PermissionDenied):
        appeals.file_appeal(inspector, fine, grounds="Not mine either.")
    appeals.file_appeal(owner, fine, grounds="Mine.")

    with pytest.raises(ValidationError) as again:
        appeals.file_appeal(owner, fine, grounds="Again.")

    assert "appealed already" in str(again.value)
    assert Appeal.objects.count() == 1


def test_grounds_are_required(owner, premises):
    _violation, fine = served_fine(premises)

    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(owner, fine, grounds="  ")

    assert "grounds" in refused.value.message_dict


def test_the_appellant_s_files_are_stored_once_each_by_content(owner, premises):
    _violation, fine = served_fine(premises)

    appeal = appeals.file_appeal(
        owner, fine, grounds="See the files.", files=[png(), pdf("letter.pdf"), png("again.png")]
    )

    stored = list(appeal.attachments.order_by("id"))
    assert [(a.kind, a.original_name, a.content_type) for a in stored] == [
        ("appellant", "photo.png", "image/png"),
        ("appellant", "letter.pdf", "application/pdf"),
    ]
    assert all(a.uploaded_by == owner and len(a.sha256) == 64 for a in stored)
    # Stored under a name from the hash, never the name it came with.
    assert "photo" not in stored[0].file.name


def test_a_bad_file_saves_nothing(owner, premises):
    _violation, fine = served_fine(premises)

    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(
            owner,
            fine,
            grounds="See the files.",
            files=[png(), SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")],
        )

    assert "x.pdf is not a JPEG, PNG or PDF file." in refused.value.message_dict["files"]
    assert not Appeal.objects.exists() and not AppealAttachment.objects.exists()
    with pytest.raises(ValidationError) as too_many:
        appeals.file_appeal(
            owner, fine, grounds="Many.", files=[png(f"{n}.png") for n in range(11)]
        )
    assert "files" in too_many.value.message_dict
    assert not OutboxMessage.objects.exists()


# --- The Department's own review ---------------------------------------------------------


def test_the_department_revoking_its_decision_owes_nothing_and_closes_a_rectified_case(
    owner, administrator, premises
):
    violation, fine, appeal = filed(owner, premises, violation_status=ViolationStatus.RECTIFIED)

    appeal = appeals.review_appeal(
        administrator,
        appeal,
        outcome=AppealStatus.DEPARTMENT_REVOKED,
        reason="The measurement was taken with the doors open.",
    )

    fine.refresh_from_db()
    violation.refresh_from_db()
    assert (fine.status, fine.amount_due_ntd, fine.amount_ntd) == (FineStatus.REVOKED, 0, 10_000)
    assert violation.status == ViolationStatus.CLOSED
    assert (appeal.status, appeal.decided_by, appeal.reported_to_body_on) == (
        AppealStatus.DEPARTMENT_REVOKED,
        administrator,
        TODAY,
    )
    assert appeal.decision_reason == "The measurement was taken with the doors open."
    assert audit_of(appeal).last().actor == administrator
    assert audit_of(fine).last().changes["status"] == ["issued", "revoked"]
    assert appeals.DECIDED_TOPIC in topics()
    with pytest.raises(ValidationError):
        appeals.forward_appeal(administrator, appeal, reply="Too late: it was granted.")


def test_the_department_revoking_leaves_an_unrectified_case_running(owner, administrator, premises):
    violation, _fine, appeal = filed(owner, premises)

    appeals.review_appeal(
        administrator, appeal, outcome=AppealStatus.DEPARTMENT_REVOKED, reason="Found in error."
    )

    violation.refresh_from_db()
    assert violation.status == ViolationStatus.FINED


@pytest.mark.parametrize("amount", [None, 9_999, 20_000, 25_000])
def test_an_amended_amount_must_lie_in_the_range_and_below_the_decided(
    owner, administrator, premises, amount
):
    _violation, fine, appeal = filed(owner, premises, step=2)
    assert fine.amount_ntd == 20_000

    with pytest.raises(ValidationError) as refused:
        appeals.review_appeal(
            administrator,
            appeal,
            outcome=AppealStatus.DEPARTMENT_AMENDED,
            reason="Lower.",
            amended_amount_ntd=amount,
        )

    assert "amended_amount_ntd" in refused.value.message_dict
    fine.refresh_from_db()
    assert (fine.amount_due_ntd, fine.status) == (20_000, FineStatus.ISSUED)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.FILED


def test_the_department_amending_its_decision_lowers_what_is_owed(owner, administrator, premises):
    _violation, fine, appeal = filed(owner, premises, step=2)

    appeals.review_appeal(
        administrator,
        appeal,
        outcome=AppealStatus.DEPARTMENT_AMENDED,
        reason="First repeat offence.",
        amended_amount_ntd=15_000,
    )

    fine.refresh_from_db()
    assert (fine.amount_ntd, fine.amount_due_ntd, fine.status) == (20_000, 15_000, "issued")
    entry = audit_of(fine).last()
    assert entry.actor == administrator
    assert entry.reason == "Appeal reviewed by the Department: Decision amended by the Department"


def test_only_an_administrator_reviews_forwards_and_records(owner, inspector, premises):
    _violation, _fine, appeal = filed(owner, premises)
    with pytest.raises(PermissionDenied):
        appeals.review_appeal(
            inspector, appeal, outcome=AppealStatus.DEPARTMENT_REVOKED, reason="No."
        )
    with pytest.raises(PermissionDenied):
        appeals.forward_appeal(owner, appeal, reply="No.")
    with pytest.raises(PermissionDenied):
        body_decision(owner, appeal, AppealStatus.REVOKED)
    with pytest.raises(PermissionDenied):
        appeals.record_suspension(owner, appeal, reason="Please.")


# --- Forwarding with the reply -------------------------------------------------------------


def test_forwarding_needs_the_reply_and_copies_it_to_the_appellant(
    client, owner, administrator, premises, mailoutbox, time_machine
):
    violation, _fine, appeal = filed(owner, premises)
    with pytest.raises(ValidationError) as refused:
        appeals.forward_appeal(administrator, appeal, reply=" ")
    assert "reply" in refused.value.message_dict

    appeal = appeals.forward_appeal(
        administrator,
        appeal,
        reply="The reading was taken as the rule book prescribes.",
        files=[pdf("reply-annex.pdf")],
    )
    deliver(time_machine)

    assert (appeal.status, appeal.forwarded_on, appeal.forwarded_by) == (
        AppealStatus.FORWARDED,
        TODAY,
        administrator,
    )
    # The owner reads Chinese: 您對裁處書…之訴願已連同本局答辯書移送.
    [copy] = [m for m in mailoutbox if owner.email in m.to and "移送" in m.subject]
    assert "The reading was taken as the rule book prescribes." in copy.body
    client.force_login(owner)
    page = client.get(detail(violation)).content.decode()
    assert "The reading was taken as the rule book prescribes." in page
    assert "reply-annex.pdf" in page
    # The business reads the Department, never an official's user name.
    assert administrator.get_username() not in page
    with pytest.raises(ValidationError):
        appeals.forward_appeal(administrator, appeal, reply="Twice.")


# --- The appeal body's decision --------------------------------------------------------------


def test_the_appeal_body_dismissing_leaves_the_fine_due_and_payable(
    client, owner, administrator, premises
):
    violation, fine, appeal = forwarded(owner, administrator, premises)

    appeal = body_decision(administrator, appeal, AppealStatus.DISMISSED)

    fine.refresh_from_db()
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.ISSUED, 10_000)
    assert (appeal.body_decision_number, appeal.body_decided_on, appeal.body_recorded_by) == (
        "府訴二字第1150001號",
        TODAY,
        administrator,
    )
    assert [a.kind for a in appeal.attachments.all()] == ["body_decision"]
    assert appeal.payment_suspended_on is None
    client.force_login(owner)
    page = client.get(detail(violation)).content.decode()
    assert "Appeal dismissed (駁回)" in page
    assert reverse("enforcement-payment-report", args=[fine.pk]) in page
    payment = violations.report_payment(
        owner, fine, amount_ntd=10_000, paid_on=TODAY, reference="TRF-1"
    )
    violations.decide_payment(administrator, payment, confirm=True)
    fine.refresh_from_db()
    assert fine.status == FineStatus.PAID


def test_the_appeal_body_revoking_owes_nothing_and_closes_a_rectified_case(
    owner, administrator, premises
):
    violation, fine, appeal = forwarded(
        owner, administrator, premises, violation_status=ViolationStatus.RECTIFIED
    )

    body_decision(administrator, appeal, AppealStatus.REVOKED)

    fine.refresh_from_db()
    violation.refresh_from_db()
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.REVOKED, 0)
    assert violation.status == ViolationStatus.CLOSED


def test_revoking_in_part_adjusts_what_is_owed_and_a_payment_covering_it_settles_it(
    owner, administrator, premises
):
    violation, fine, appeal = forwarded(
        owner, administrator, premises, step=2, violation_status=ViolationStatus.RECTIFIED
    )
    with pytest.raises(ValidationError) as refused:
        body_decision(administrator, appeal, AppealStatus.REVOKED_IN_PART, amended_amount_ntd=None)
    assert "amended_amount_ntd" in refused.value.message_dict

    appeal = body_decision(
        administrator, appeal, AppealStatus.REVOKED_IN_PART, amended_amount_ntd=12_000
    )

    fine.refresh_from_db()
    assert (fine.amount_ntd, fine.amount_due_ntd, fine.status) == (20_000, 12_000, "issued")
    assert appeal.amended_amount_ntd == 12_000
    payment = violations.report_payment(
        owner, fine, amount_ntd=12_000, paid_on=TODAY, reference="TRF-12000"
    )
    violations.decide_payment(administrator, payment, confirm=True)
    fine.refresh_from_db()
    violation.refresh_from_db()
    assert fine.status == FineStatus.PAID
    assert violation.status == ViolationStatus.CLOSED


def test_a_payment_confirmed_before_a_partial_revocation_settles_the_fine_at_once(
    owner, administrator, premises
):
    _violation, fine, appeal = forwarded(owner, administrator, premises, step=2)
    payment = violations.report_payment(
        owner, fine, amount_ntd=15_000, paid_on=TODAY, reference="TRF-15000"
    )
    violations.decide_payment(administrator, payment, confirm=True)
    assert Fine.objects.get(pk=fine.pk).status == FineStatus.ISSUED  # NT$20,000 due

    body_decision(administrator, appeal, AppealStatus.REVOKED_IN_PART, amended_amount_ntd=15_000)

    fine.refresh_from_db()
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.PAID, 15_000)


def test_sending_back_revokes_the_decision_and_proposes_the_same_step_again(
    owner, administrator, premises
):
    violation, fine, appeal = forwarded(owner, administrator, premises, step=2)

    body_decision(administrator, appeal, AppealStatus.SENT_BACK)

    fine.refresh_from_db()
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.REVOKED, 0)
    proposal = Fine.objects.get(violation=violation, status=FineStatus.PROPOSED)
    assert (proposal.step, proposal.amount_ntd, proposal.penalty_article) == (2, 20_000, "15")
    assert proposal.rulebook_version_id == fine.rulebook_version_id
    assert proposal.missed_deadline == fine.missed_deadline
    assert (proposal.document_number, proposal.issued_on, proposal.decided_by) == (None, None, None)
    assert proposal in proposals.awaiting_decision(administrator)
    assert audit_of(proposal).get().actor == administrator


def test_the_appeal_body_s_decision_needs_its_document_a_date_and_a_forwarded_appeal(
    owner, administrator, premises
):
    _violation, fine, appeal = filed(owner, premises)
    with pytest.raises(ValidationError) as not_forwarded:
        body_decision(administrator, appeal, AppealStatus.REVOKED)
    assert "forwarded" in str(not_forwarded.value)
    appeal = appeals.forward_appeal(administrator, appeal, reply="As decided.")

    def record(**changes):
        values = {
            "outcome": AppealStatus.REVOKED,
            "decided_on": TODAY,
            "number": "府訴二字第1150002號",
            "reason": "Revoked.",
            "files": [pdf()],
        }
        with pytest.raises(ValidationError) as refused:
            appeals.record_appeal_decision(administrator, appeal, **{**values, **changes})
        return refused.value.message_dict

    assert "files" in record(files=[])
    assert "files" in record(files=[SimpleUploadedFile("d.pdf", b"<html>", "application/pdf")])
    assert "decided_on" in record(decided_on=TODAY + datetime.timedelta(days=1))
    assert "decided_on" in record(decided_on=appeal.received_on - datetime.timedelta(days=1))
    assert "decided_on" in record(decided_on=None)
    assert "number" in record(number=" ")
    assert "outcome" in record(outcome=AppealStatus.DEPARTMENT_REVOKED)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.FORWARDED
    assert Fine.objects.get(pk=fine.pk).status == FineStatus.ISSUED
    assert not AppealAttachment.objects.filter(kind="body_decision").exists()


# --- Suspension of payment (AAA Arts. 93-94) ----------------------------------------------


def test_payment_stays_due_unless_a_suspension_is_recorded(client, owner, administrator, premises):
    violation, _fine, appeal = filed(owner, premises)
    client.force_login(owner)
    assert (
        "does not stop the fine being due (訴願法第93條)"
        in client.get(detail(violation)).content.decode()
    )
    with pytest.raises(ValidationError):
        appeals.record_suspension(administrator, appeal, reason=" ")

    appeal = appeals.record_suspension(
        administrator, appeal, reason="The reading is in doubt; payment waits for the decision."
    )

    assert (appeal.payment_suspended_on, appeal.payment_suspended) == (TODAY, True)
    page = client.get(detail(violation)).content.decode()
    assert "Payment of this fine is suspended since 2026-11-24" in page
    assert "does not stop the fine being due" not in page
    with pytest.raises(ValidationError):
        appeals.record_suspension(administrator, appeal, reason="Twice.")

    appeal = appeals.lift_suspension(administrator, appeal, reason="The reading is confirmed.")

    assert (appeal.payment_suspended_on, appeal.suspension_reason) == (None, "")
    entries = list(audit_of(appeal))
    assert [e.reason for e in entries[-2:]] == [
        "Payment suspended: The reading is in doubt; payment waits for the decision.",
        "Suspension of payment lifted: The reading is confirmed.",
    ]
    assert {e.actor for e in entries[-2:]} == {administrator}


# --- Attachments: seen only by those who see the fine --------------------------------------


def test_attachments_are_downloaded_by_the_business_and_staff_only(
    client, owner, other_owner, administrator, inspector, premises
):
    _violation, fine = served_fine(premises)
    appeal = appeals.file_appeal(owner, fine, grounds="See the photo.", files=[png()])
    item = appeal.attachments.get()
    url = reverse("enforcement-appeal-attachment", args=[item.pk])

    for user in (owner, administrator, inspector):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="photo.png"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- The pages ------------------------------------------------------------------------------


def test_the_business_files_an_appeal_with_a_file_from_the_page(client, owner, premises):
    violation, fine = served_fine(premises)
    client.force_login(owner)
    url = reverse("enforcement-appeal-file", args=[fine.pk])

    refused = client.post(
        url,
        {
            "grounds": "Typed with care.",
            "files": [SimpleUploadedFile("photo.png", b"GIF89a", "image/png")],
        },
    )
    response = client.post(url, {"grounds": "Typed with care.", "files": [png()]})

    assert refused.status_code == 200
    text = refused.content.decode()
    assert "photo.png is not a JPEG, PNG or PDF file." in text
    assert "Typed with care.</textarea>" in text
    assert response.status_code == 302 and response.url == detail(violation)
    appeal = Appeal.objects.get(fine=fine)
    assert appeal.attachments.count() == 1
    page = client.get(detail(violation)).content.decode()
    assert "The appeal has been received" in page
    assert TODAY.isoformat() in page  # received on
    assert (TODAY + datetime.timedelta(days=20)).isoformat() in page  # to be forwarded by
    assert reverse("enforcement-appeal-attachment", args=[appeal.attachments.get().pk]) in page
    # No staff form for the business.
    for name in ("review", "forward", "decision", "suspension"):
        assert reverse(f"enforcement-appeal-{name}", args=[appeal.pk]) not in page


def test_staff_are_offered_the_forms_of_the_appeal_s_state(
    client, owner, administrator, inspector, premises
):
    violation, _fine, appeal = filed(owner, premises)
    client.force_login(administrator)

    def offered() -> set[str]:
        page = client.get(detail(violation)).content.decode()
        return {
            name
            for name in ("review", "forward", "decision", "suspension")
            if reverse(f"enforcement-appeal-{name}", args=[appeal.pk]) in page
        }

    assert offered() == {"review", "forward", "suspension"}
    response = client.post(
        reverse("enforcement-appeal-forward", args=[appeal.pk]),
        {"reply": "As decided.", "files": [pdf("annex.pdf")]},
    )
    assert response.status_code == 302
    assert offered() == {"decision", "suspension"}
    url = reverse("enforcement-appeal-decision", args=[appeal.pk])
    decision = {
        "outcome": "revoked",
        "number": "府訴二字第1150003號",
        "decided_on": TODAY.isoformat(),
        "reason": "The reading was wrong.",
    }
    response = client.post(url, decision)
    assert response.status_code == 200  # the decision document is missing
    assert "Attach the appeal body&#x27;s decision" in response.content.decode()
    assert "The reading was wrong.</textarea>" in response.content.decode()
    assert client.post(url, {**decision, "files": [pdf()]}).status_code == 302
    assert offered() == set()
    client.force_login(inspector)
    page = client.get(detail(violation)).content.decode()
    assert "府訴二字第1150003號" in page
    assert reverse("enforcement-appeal-decision", args=[appeal.pk]) not in page


def test_the_review_queue_lists_appeals_to_forward_overdue_first(
    client, owner, administrator, premises, time_machine
):
    _v, _f, late = filed(owner, premises)
    time_machine.move_to(f"{TODAY + datetime.timedelta(days=5)} 10:00 +0800")
    _v, _f, recent = filed(owner, premises)
    _v, _f, sent = filed(owner, premises)
    appeals.forward_appeal(administrator, sent, reply="As decided.")
    time_machine.move_to(f"{late.forward_by + datetime.timedelta(days=1)} 10:00 +0800")
    client.force_login(administrator)

    response = client.get(reverse("enforcement-review-queue"))

    assert [a.pk for a in response.context["appeals"]] == [late.pk, recent.pk]
    assert response.context["appeals_overdue"] == 1
    assert [a.pk for a in response.context["forwarded"]] == [sent.pk]
    assert "overdue" in response.content.decode()


# --- Every step audited with who -------------------------------------------------------------


def test_every_step_of_an_appeal_is_audited_with_who(owner, administrator, premises):
    _violation, fine, appeal = filed(owner, premises)
    appeals.record_suspension(administrator, appeal, reason="In doubt.")
    appeals.forward_appeal(administrator, appeal, reply="As decided.")
    body_decision(administrator, Appeal.objects.get(pk=appeal.pk), AppealStatus.REVOKED)

    entries = list(audit_of(appeal))

    assert [(e.action, e.actor) for e in entries] == [
        (AuditAction.CREATE, owner),
        (AuditAction.UPDATE, administrator),
        (AuditAction.UPDATE, administrator),
        (AuditAction.UPDATE, administrator),
    ]
    assert entries[0].changes["received_on"] == [None, TODAY.isoformat()]
    assert entries[2].changes["status"] == ["filed", "forwarded"]
    assert entries[3].changes["status"] == ["forwarded", "revoked"]
    assert entries[3].changes["body_decision_number"][1] == "府訴二字第1150001號"
    assert all(e.business_id == premises.business_id for e in entries)
    fine_entry = audit_of(fine).last()
    assert (fine_entry.actor, fine_entry.changes["status"]) == (
        administrator,
        ["issued", "revoked"],
    )


def test_each_step_sends_its_e_mail(owner, administrator, premises, mailoutbox, time_machine):
    _violation, _fine, appeal = filed(owner, premises)
    appeals.forward_appeal(administrator, appeal, reply="As decided.")
    body_decision(administrator, Appeal.objects.get(pk=appeal.pk), AppealStatus.DISMISSED)

    deliver(time_machine)

    # Everyone here reads Chinese (the default language).
    to_city = [m for m in mailoutbox if m.subject.startswith("待審查訴願")]
    to_business = [m.subject for m in mailoutbox if owner.email in m.to]
    assert [administrator.email] in [m.to for m in to_city]  # every administrator
    assert len(to_business) == 2
    assert "移送" in to_business[0]
    assert "訴願駁回" in to_business[1]
