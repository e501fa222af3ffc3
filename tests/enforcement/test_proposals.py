"""An official decides proposed fines; a decision counts from its service (issue 15 §1-2).

The nightly sweep proposes; an official holding ``compliance.decide_fine`` (never the
inspector who verified the case) approves, returns or cancels, one by one or in bulk;
approval issues the decision, audited with the official; service (opened in the portal
under an e-service agreement, or recorded by staff) starts the appeal period and the new
deadline, counted with APA Art. 48; an unserved decision runs no period.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from compliance.choices import FineStatus, ServiceMethod, ViolationStatus
from compliance.enforcement.services import proposals, serving, sweep
from compliance.models import Fine, Verification, Violation
from portal.choices import AuditAction
from portal.models import AuditEntry, OutboxMessage
from tests.deciding import approve_proposals, at_noon, official, serve
from tests.factories import make_violation
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # Art. 5-5: 14 days
SWEPT = datetime.date(2026, 11, 17)


def proposed(premises, *, verifier=None, found_on=FOUND) -> Fine:
    """A violation verified the day after its deadline by ``verifier``; the sweep proposes."""
    violation = make_violation(premises, "5-5", found_on=found_on)
    verify_missed(violation, violation.deadline + datetime.timedelta(days=1), actor=verifier)
    sweep.sweep(violation.deadline + datetime.timedelta(days=1))
    return Fine.objects.get(violation=violation, status=FineStatus.PROPOSED)


def test_the_sweep_proposes_and_nothing_runs_until_an_official_decides(premises):
    fine = proposed(premises)
    violation = fine.violation
    violation.refresh_from_db()
    assert (fine.document_number, fine.issued_on, fine.decided_by) == (None, None, None)
    assert (violation.status, violation.deadline) == (ViolationStatus.OPEN, None)
    # Night after night the sweep proposes nothing more for the same deadline.
    assert sweep.sweep(datetime.date(2026, 12, 20)).fines_issued == 0
    assert Fine.objects.filter(violation=violation).count() == 1


def test_an_administrator_without_the_permission_cannot_decide(premises, administrator):
    fine = proposed(premises)
    with pytest.raises(PermissionDenied):
        proposals.approve(administrator, fine)
    with pytest.raises(PermissionDenied):
        proposals.approve_many(administrator, [fine.pk])
    fine.refresh_from_db()
    assert fine.status == FineStatus.PROPOSED


def test_the_inspector_who_verified_the_case_cannot_approve_it(premises):
    verifier = official("official-who-verified")
    fine = proposed(premises, verifier=verifier)
    with at_noon(SWEPT), pytest.raises(ValidationError, match="another official"):
        proposals.approve(verifier, fine)
    # In a batch it is skipped, not issued; another official approves it.
    with at_noon(SWEPT):
        done = proposals.approve_many(verifier, [fine.pk])
    assert (done.approved, done.skipped) == (0, 1)
    assert not proposals.decidable_by(verifier).filter(pk=fine.pk).exists()
    assert approve_proposals(SWEPT) == 1
    fine.refresh_from_db()
    assert fine.status == FineStatus.ISSUED and fine.decided_by == official()


def test_approval_issues_the_decision_audited_with_its_official(premises):
    fine = proposed(premises)
    deciding = official()
    with at_noon(SWEPT):
        approved = proposals.approve(deciding, fine)
    assert approved.status == FineStatus.ISSUED
    assert approved.document_number == f"TPE-EC-P-2026-{fine.pk:07d}"
    assert (approved.issued_on, approved.decided_by) == (SWEPT, deciding)
    assert approved.awaits_service
    entry = AuditEntry.objects.get(
        object_type="compliance.fine", object_id=str(fine.pk), action=AuditAction.APPROVE
    )
    assert entry.actor == deciding
    assert entry.changes["status"] == ["proposed", "issued"]
    assert "科長 王大明" in entry.reason
    violation = Violation.objects.get(pk=fine.violation_id)
    assert violation.status == ViolationStatus.FINED
    assert OutboxMessage.objects.filter(
        topic=proposals.FINE_TOPIC, payload={"fine": fine.pk}
    ).exists()
    with at_noon(SWEPT), pytest.raises(ValidationError, match="decided already"):
        proposals.approve(deciding, fine)


def test_a_returned_proposal_is_not_issued_and_the_case_is_verified_again(premises):
    fine = proposed(premises)
    with at_noon(SWEPT):
        returned = proposals.return_for_verification(
            official(), fine, reason="The re-inspection measured the wrong room."
        )
    assert returned.status == FineStatus.RETURNED and returned.document_number is None
    assert returned.decision_reason == "The re-inspection measured the wrong room."
    violation = Violation.objects.get(pk=fine.violation_id)
    # Back where it was before the verification: the deadline missed, awaiting one.
    assert (violation.deadline, violation.fines_issued, violation.fine_due_on) == (
        DEADLINE,
        0,
        None,
    )
    assert violation.awaits_verification(SWEPT)
    assert Verification.objects.get(violation=violation).returned_at is not None
    # Nothing is proposed again until a new verification establishes it.
    assert sweep.sweep(SWEPT + datetime.timedelta(days=1)).fines_issued == 0
    verify_missed(violation, datetime.date(2026, 11, 19))
    assert sweep.sweep(datetime.date(2026, 11, 19)).fines_issued == 1
    steps = list(Fine.objects.filter(violation=violation).values_list("step", "status"))
    assert sorted(steps) == [(1, FineStatus.PROPOSED), (1, FineStatus.RETURNED)]
    assert not OutboxMessage.objects.filter(topic=proposals.FINE_TOPIC).exists()


def test_a_refusal_is_cancelled_not_returned(premises, inspector):
    refusal = make_violation(premises, "10-1", found_on=FOUND)
    sweep.sweep(FOUND)
    fine = Fine.objects.get(violation=refusal)
    with pytest.raises(ValidationError, match="cancel"):
        proposals.return_for_verification(official(), fine, reason="x")
    with pytest.raises(ValidationError):
        proposals.cancel_proposal(official(), fine, reason="  ")
    proposals.cancel_proposal(official(), fine, reason="The door was opened after all.")
    fine.refresh_from_db()
    refusal.refresh_from_db()
    assert fine.status == FineStatus.CANCELLED
    assert refusal.status == ViolationStatus.CANCELLED


def test_both_approval_writers_write_the_same_rows(premises):
    if connection.vendor != "postgresql":
        pytest.skip("The set-based statement is PostgreSQL's.")
    first, second = proposed(premises), proposed(premises, found_on=FOUND)
    with at_noon(SWEPT):
        proposals.approve_many(official(), [first.pk], set_based=True)
        proposals.approve_many(official(), [second.pk], set_based=False)

    def written(fine):
        fine.refresh_from_db()
        entry = AuditEntry.objects.get(object_id=str(fine.pk), action=AuditAction.APPROVE)
        event = fine.violation.events.get(to_status="fined")
        return (
            fine.status,
            fine.document_number.removesuffix(f"{fine.pk:07d}"),
            fine.issued_on,
            fine.decided_by_id,
            entry.actor_id,
            entry.actor_label,
            entry.object_repr == fine.document_number,
            {key: value for key, value in entry.changes.items() if key != "document_number"},
            entry.business_id,
            event.from_status,
            event.reason.replace(fine.document_number, "N"),
            OutboxMessage.objects.filter(payload={"fine": fine.pk}).count(),
        )

    assert written(first) == written(second)


@pytest.mark.django_db(transaction=True)
def test_two_officials_approving_the_same_batch_at_once_issue_each_decision_once(premises):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL.")
    from tests.factories import ensure_rulebook

    ensure_rulebook()
    ids = [proposed(premises).pk for _ in range(12)]
    officials = [official("official-a"), official("official-b")]
    start = threading.Barrier(2)
    results, errors = [], []

    def approve(who) -> None:
        try:
            start.wait(timeout=10)
            with at_noon(SWEPT):
                results.append(proposals.approve_many(who, ids, chunk=3))
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in officials]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sum(result.approved for result in results) == 12
    issued = Fine.objects.filter(pk__in=ids, status=FineStatus.ISSUED)
    assert issued.count() == 12
    assert (
        AuditEntry.objects.filter(object_type="compliance.fine", action=AuditAction.APPROVE).count()
        == 12
    )
    assert OutboxMessage.objects.filter(topic=proposals.FINE_TOPIC).count() == 12
    assert len(set(issued.values_list("document_number", flat=True))) == 12


# --- Service ---------------------------------------------------------------------------


def issued(premises) -> Fine:
    fine = proposed(premises)
    approve_proposals(SWEPT, ids=[fine.pk])
    fine.refresh_from_db()
    return fine


def test_an_unserved_decision_runs_no_period(premises, owner):
    fine = issued(premises)
    violation = fine.violation
    violation.refresh_from_db()
    assert (fine.appeal_until, fine.new_deadline, violation.deadline) == (None, None, None)
    # Weeks later, still unserved: nothing is overdue, nothing proposed, no appeal possible.
    later = datetime.date(2027, 1, 20)
    assert sweep.sweep(later).fines_issued == 0
    assert not violation.is_overdue(later)
    from portal.permissions import can

    assert not can(owner, "enforcement.file_appeal", fine)


def test_staff_record_service_and_the_periods_roll_over_to_a_working_day(premises, owner):
    fine = issued(premises)
    # Served Wednesday 2026-12-02: the 30th day is Friday 2027-01-01 (New Year's Day), so
    # the appeal period ends on Monday 2027-01-04; the 14th day, Wednesday 12-16, stands.
    with at_noon(datetime.date(2026, 12, 3)):
        with pytest.raises(ValidationError):
            serving.record_service(
                official(), fine, served_on=datetime.date(2026, 12, 4), method="registered_mail"
            )
        with pytest.raises(ValidationError):
            serving.record_service(
                official(), fine, served_on=datetime.date(2026, 12, 2), method="electronic"
            )
    served = serve(fine, datetime.date(2026, 12, 2))
    assert (served.served_on, served.service_method) == (
        datetime.date(2026, 12, 2),
        ServiceMethod.REGISTERED_MAIL,
    )
    assert served.appeal_until == datetime.date(2027, 1, 4)
    assert served.new_deadline == datetime.date(2026, 12, 16)
    violation = Violation.objects.get(pk=fine.violation_id)
    assert violation.deadline == datetime.date(2026, 12, 16)
    assert OutboxMessage.objects.filter(topic=serving.SERVED_TOPIC).count() == 1
    with pytest.raises(ValidationError, match="served already"):
        serve(fine, datetime.date(2026, 12, 3))
    entry = AuditEntry.objects.filter(object_type="compliance.fine", object_id=str(fine.pk))
    assert entry.filter(changes__served_on__1="2026-12-02").exists()


def test_opening_the_decision_serves_it_only_under_an_e_service_agreement(
    client, premises, owner, administrator
):
    fine = issued(premises)
    url = reverse("enforcement-fine-decision", args=[fine.pk])
    client.force_login(owner)
    with at_noon(datetime.date(2026, 11, 20)):
        page = client.get(url)
    fine.refresh_from_db()
    assert page.status_code == 200 and fine.served_on is None
    assert "Awaiting service" in page.content.decode()

    serving.set_electronic_service(owner, premises.business, agree=True)
    # Staff looking at it serve nothing.
    client.force_login(administrator)
    client.get(url)
    fine.refresh_from_db()
    assert fine.served_on is None

    client.force_login(owner)
    with at_noon(datetime.date(2026, 11, 20)):  # a Friday
        page = client.get(url)
    fine.refresh_from_db()
    assert (fine.served_on, fine.service_method) == (
        datetime.date(2026, 11, 20),
        ServiceMethod.ELECTRONIC,
    )
    # 30 days from Saturday 11-21: Saturday 12-19, so Monday 12-21; 14 days: Friday 12-04.
    assert fine.appeal_until == datetime.date(2026, 12, 21)
    assert fine.new_deadline == datetime.date(2026, 12, 4)
    text = page.content.decode()
    assert "2026-12-21" in text and "2026-12-04" in text
    assert "科長 王大明" in text
    assert "official-wang" not in text


def test_the_agreement_is_the_business_members_and_audited(premises, owner, administrator):
    with pytest.raises(PermissionDenied):
        serving.set_electronic_service(administrator, premises.business, agree=True)
    serving.set_electronic_service(owner, premises.business, agree=True)
    premises.business.refresh_from_db()
    assert premises.business.electronic_service_since is not None
    assert AuditEntry.objects.filter(
        object_type="compliance.business", object_id=str(premises.business.pk), actor=owner
    ).exists()


# --- Pages -----------------------------------------------------------------------------


def test_an_official_approves_the_filtered_list_in_one_batch(client, premises):
    fines = [proposed(premises) for _ in range(3)]
    deciding = official()
    client.force_login(deciding)
    listing = client.get(reverse("enforcement-proposal-list"), {"article": "5-5"})
    assert listing.status_code == 200
    assert listing.context["decidable_total"] == 3
    text = listing.content.decode()
    assert all(f'data-proposal="{fine.pk}"' in text for fine in fines)
    # A list that changed since it was reviewed is not approved.
    stale = client.post(
        reverse("enforcement-proposal-list"), {"article": "5-5", "expected": 2, "confirm": "on"}
    )
    assert stale.status_code == 302
    assert Fine.objects.filter(status=FineStatus.ISSUED).count() == 0
    with at_noon(SWEPT):
        done = client.post(
            reverse("enforcement-proposal-list"),
            {"article": "5-5", "expected": 3, "confirm": "on"},
            follow=True,
        )
    assert "3 penalty decisions issued." in done.content.decode()
    assert Fine.objects.filter(status=FineStatus.ISSUED, decided_by=deciding).count() == 3


def test_the_case_page_offers_the_decision_and_refuses_what_is_missing(client, premises):
    fine = proposed(premises)
    client.force_login(official())
    page = client.get(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    assert 'class="proposal-decision"' in page.content.decode()
    refused = client.post(
        reverse("enforcement-proposal-decide", args=[fine.pk]), {"decision": "return"}
    )
    assert refused.status_code == 200
    assert "Say why the proposal is not approved." in refused.content.decode()
    with at_noon(SWEPT):
        client.post(reverse("enforcement-proposal-decide", args=[fine.pk]), {"decision": "approve"})
    fine.refresh_from_db()
    assert fine.status == FineStatus.ISSUED


def test_a_business_sees_decisions_not_proposals(client, premises, owner):
    fine = proposed(premises)
    client.force_login(owner)
    page = client.get(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    text = page.content.decode()
    assert f'data-fine="{fine.pk}"' not in text
    assert "the Department is deciding on a fine" in text
    assert not Fine.objects.visible_to(owner).exists()
    assert client.get(reverse("enforcement-fine-decision", args=[fine.pk])).status_code == 404
    approve_proposals(SWEPT, ids=[fine.pk])
    page = client.get(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    text = page.content.decode()
    assert f'data-fine="{fine.pk}"' in text
    assert "awaiting service" in text
    assert Fine.objects.visible_to(owner).get() == fine
