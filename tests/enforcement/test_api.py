"""The enforcement API: filters, visibility, actions through the services, error shape, queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import (
    AppealStatus,
    DocumentKind,
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
    ViolationStatus,
)
from compliance.enforcement.services import appeals, notices
from compliance.enforcement.services import violations as services
from compliance.models import (
    Appeal,
    AppealAttachment,
    Fine,
    FinePayment,
    RectificationEvidence,
    SweepRun,
    Violation,
    ViolationEvent,
)
from tests.enforcement.builders import (
    DEADLINE,
    FINED_ON,
    FOUND,
    PDF,
    fined_violation,
    matrix_objects,
    ready_document,
    served_fine,
)
from tests.factories import make_premises, make_violation
from tests.uploads import PNG
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db
TODAY = FINED_ON + datetime.timedelta(days=3)  # 2026-11-20: inside the appeal period


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Violations: filters, visibility, detail ------------------------------------------------


def test_violations_filter_by_status_article_and_district(inspector, business):
    daan = make_premises(business, district="daan")
    xinyi = make_premises(business, district="xinyi")
    wanted = make_violation(daan, "5-5", found_on=FOUND)
    make_violation(xinyi, "5-5", found_on=FOUND)
    make_violation(daan, "6-1", found_on=FOUND)
    cancelled = make_violation(daan, "5-5", found_on=FOUND, status=ViolationStatus.CANCELLED)
    client = api(inspector)

    assert ids(client.get(reverse("api:violation-list"), {"district": "daan", "article": "5-5"}))
    assert set(
        ids(client.get(reverse("api:violation-list"), {"district": "daan", "article": "5-5"}))
    ) == {wanted.pk, cancelled.pk}
    assert ids(
        client.get(
            reverse("api:violation-list"),
            {"district": "daan", "article": "5-5", "status": "open"},
        )
    ) == [wanted.pk]


def test_violations_filter_by_penalty_article(inspector, premises):
    art_15 = make_violation(premises, "5-5", found_on=FOUND)
    art_16 = make_violation(premises, "8-1", found_on=FOUND)

    client = api(inspector)

    assert ids(client.get(reverse("api:violation-list"), {"penalty_article": "16"})) == [art_16.pk]
    assert ids(client.get(reverse("api:violation-list"), {"penalty_article": "15"})) == [art_15.pk]


def test_violations_filter_by_found_on_and_deadline_range(inspector, premises):
    early = make_violation(premises, "5-5", found_on=datetime.date(2026, 9, 1))
    middle = make_violation(premises, "5-5", found_on=datetime.date(2026, 10, 1))
    make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 1))
    client = api(inspector)

    found = client.get(
        reverse("api:violation-list"),
        {"found_on_after": "2026-09-01", "found_on_before": "2026-10-31"},
    )
    due = client.get(reverse("api:violation-list"), {"deadline_before": "2026-09-30"})

    assert set(ids(found)) == {early.pk, middle.pk}
    assert ids(due) == [early.pk]


def test_overdue_filter_keeps_running_deadlines_that_passed(inspector, premises):
    overdue = make_violation(premises, "5-5", found_on=datetime.date(2026, 10, 1))
    running = make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 15))
    closed = make_violation(
        premises, "5-5", found_on=datetime.date(2026, 10, 1), status=ViolationStatus.CLOSED
    )
    client = api(inspector)

    assert ids(client.get(reverse("api:violation-list"), {"overdue": "true"})) == [overdue.pk]
    assert set(ids(client.get(reverse("api:violation-list"), {"overdue": "false"}))) == {
        running.pk,
        closed.pk,
    }


def test_unknown_filter_value_is_a_400_with_the_field(inspector):
    response = api(inspector).get(reverse("api:violation-list"), {"status": "forgotten"})

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_violation_row_counts_down_to_its_deadline(owner, premises, business):
    violation = make_violation(premises, "5-5", found_on=FOUND)

    row = api(owner).get(reverse("api:violation-list")).json()["results"][0]

    assert row["id"] == violation.pk
    assert row["premises"] == premises.pk
    assert row["business"] == business.pk
    assert row["deadline"] == DEADLINE.isoformat()
    assert row["days_left"] == -4  # the deadline was 2026-11-16, today is 2026-11-20
    assert row["overdue"] is True
    assert row["fines_issued"] == 0
    assert row["rulebook_version"] == violation.rulebook_version_id
    assert "events" not in row


def test_violation_detail_lists_every_change_of_state(owner, premises):
    violation, _fine = fined_violation(premises)

    detail = api(owner).get(reverse("api:violation-detail", args=[violation.pk])).json()

    # (The tests decide on a past day, so the events' times are not in the order made.)
    changes = sorted((e["from_status"], e["to_status"], e["actor_label"]) for e in detail["events"])
    assert changes == [
        ("", "open", "test"),
        ("fined", "fined", "official-wang"),  # the decision served: the periods run
        ("open", "fined", "official-wang"),  # an official approved the proposal
        ("open", "open", "deadline-sweep"),  # the sweep proposed the fine
        ("open", "open", "system"),  # the re-inspection verified it was not rectified
    ]
    assert detail["status"] == "fined"
    assert detail["fines_issued"] == 1


def test_business_sees_only_its_own_rows_on_every_list(
    owner, premises, other_premises, other_owner
):
    own = matrix_objects(premises, owner)
    matrix_objects(other_premises, other_owner)
    client = api(owner)

    assert ids(client.get(reverse("api:violation-list"))) == [own["violation"]]
    assert ids(client.get(reverse("api:fine-list"))) == [own["fine"]]
    assert set(ids(client.get(reverse("api:enforcement-document-list")))) == {
        own["notice"],
        own["decision"],
    }
    assert ids(client.get(reverse("api:payment-list"))) == [own["payment"]]
    assert ids(client.get(reverse("api:appeal-list"))) == [own["appeal"]]
    assert ids(client.get(reverse("api:evidence-list"))) == [own["evidence"]]


def test_another_business_violation_is_a_404_like_an_unknown_one(owner, other_premises):
    foreign = make_violation(other_premises, "5-5", found_on=FOUND)
    client = api(owner)

    hidden = client.get(reverse("api:violation-detail", args=[foreign.pk]))
    unknown = client.get(reverse("api:violation-detail", args=[987654321]))

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


def test_roles_outside_the_registry_see_no_violations(supplier, premises):
    make_violation(premises, "5-5", found_on=FOUND)

    assert ids(api(supplier).get(reverse("api:violation-list"))) == []


# --- Cancelling -----------------------------------------------------------------------------


def test_administrator_cancels_a_violation_with_the_reason(administrator, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)

    response = api(administrator).post(
        reverse("api:violation-cancel", args=[violation.pk]),
        {"reason": "Found at the wrong premises."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    event = ViolationEvent.objects.filter(violation=violation).latest("id")
    assert (event.to_status, event.actor, event.reason) == (
        "cancelled",
        administrator,
        "Found at the wrong premises.",
    )


def test_cancelling_without_a_reason_is_a_400_naming_the_reason(administrator, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)

    response = api(administrator).post(
        reverse("api:violation-cancel", args=[violation.pk]), {"reason": "  "}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN


def test_cancelling_a_closed_violation_is_a_400_saying_why(administrator, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND, status=ViolationStatus.CLOSED)

    response = api(administrator).post(
        reverse("api:violation-cancel", args=[violation.pk]), {"reason": "late"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_owner_may_not_cancel_their_own_violation(owner, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)

    response = api(owner).post(
        reverse("api:violation-cancel", args=[violation.pk]), {"reason": "x"}, format="json"
    )

    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN


# --- Fines and documents --------------------------------------------------------------------


def test_fine_shows_amounts_deadlines_appeal_period_and_its_decision(owner, premises):
    violation, fine = fined_violation(premises)
    decision = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)

    row = api(owner).get(reverse("api:fine-detail", args=[fine.pk])).json()

    assert row["violation"] == violation.pk
    assert row["step"] == 1
    assert row["amount_ntd"] == row["amount_due_ntd"] == 10_000
    assert row["penalty_article"] == "15"
    assert row["issued_on"] == FINED_ON.isoformat()
    assert row["new_deadline"] == violation.deadline.isoformat()
    assert row["appeal_until"] == (FINED_ON + datetime.timedelta(days=30)).isoformat()
    assert row["document_number"] == fine.document_number
    assert [d["id"] for d in row["documents"]] == [decision.pk]
    assert row["documents"][0]["download"].endswith(
        reverse("enforcement-document-download", args=[decision.pk])
    )


def test_fines_filter_by_status_penalty_article_district_and_issue_date(inspector, business):
    here = make_premises(business, district="beitou")
    _violation, wanted = fined_violation(here)
    _other, elsewhere = fined_violation(make_premises(business, district="xinyi"))
    client = api(inspector)

    by_place = client.get(
        reverse("api:fine-list"),
        {"district": "beitou", "status": "issued", "penalty_article": "15"},
    )
    by_day = client.get(
        reverse("api:fine-list"),
        {"issued_on_after": FINED_ON.isoformat(), "issued_on_before": FINED_ON.isoformat()},
    )
    later = client.get(reverse("api:fine-list"), {"issued_on_after": "2026-11-18"})

    assert ids(by_place) == [wanted.pk]
    assert set(ids(by_day)) == {wanted.pk, elsewhere.pk}
    assert ids(later) == []


def test_document_has_no_download_until_it_is_ready(owner, premises):
    violation, _fine = fined_violation(premises)

    pending = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)

    row = api(owner).get(reverse("api:enforcement-document-detail", args=[pending.pk])).json()

    assert row["status"] == "pending"
    assert row["download"] is None


def test_documents_filter_by_kind(inspector, premises, owner):
    objects = matrix_objects(premises, owner)

    response = api(inspector).get(reverse("api:enforcement-document-list"), {"kind": "decision"})

    assert ids(response) == [objects["decision"]]


# --- Payments -------------------------------------------------------------------------------


def test_owner_reports_a_payment_of_their_fine(owner, premises):
    _violation, fine = fined_violation(premises)

    response = api(owner).post(
        reverse("api:payment-list"),
        {"fine": fine.pk, "amount_ntd": 10_000, "paid_on": "2026-11-19", "reference": "TX-1"},
        format="json",
    )

    assert response.status_code == 201, response.content
    payment = FinePayment.objects.get(fine=fine)
    assert response.json()["id"] == payment.pk
    assert (payment.status, payment.reported_by, payment.amount_ntd) == (
        PaymentStatus.REPORTED,
        owner,
        10_000,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_ntd": 0}, "amount_ntd"),
        ({"paid_on": "2026-12-31"}, "paid_on"),
        ({"paid_on": "2026-11-01"}, "paid_on"),
        ({"reference": "   "}, "reference"),
        ({"amount_ntd": "ten thousand"}, "amount_ntd"),
    ],
)
def test_a_bad_payment_is_a_400_naming_the_field(owner, premises, body, field):
    _violation, fine = fined_violation(premises)
    payload = {"fine": fine.pk, "amount_ntd": 10_000, "paid_on": "2026-11-19", "reference": "T"}

    response = api(owner).post(reverse("api:payment-list"), {**payload, **body}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not FinePayment.objects.exists()


def test_a_second_payment_with_the_same_reference_is_a_400(owner, premises):
    _violation, fine = fined_violation(premises)
    payload = {"fine": fine.pk, "amount_ntd": 5_000, "paid_on": "2026-11-19", "reference": "T"}
    client = api(owner)
    assert client.post(reverse("api:payment-list"), payload, format="json").status_code == 201

    response = client.post(reverse("api:payment-list"), payload, format="json")

    assert response.status_code == 400
    assert "reference" in response.json()["errors"]


def test_paying_another_business_fine_reads_as_an_unknown_fine(owner, other_premises):
    _violation, foreign = fined_violation(other_premises)

    response = api(owner).post(
        reverse("api:payment-list"),
        {"fine": foreign.pk, "amount_ntd": 10_000, "paid_on": "2026-11-19", "reference": "X"},
        format="json",
    )

    assert response.status_code == 400
    assert "fine" in response.json()["errors"]
    assert not FinePayment.objects.exists()


def test_inspectors_do_not_report_payments(inspector, premises):
    _violation, fine = fined_violation(premises)

    response = api(inspector).post(
        reverse("api:payment-list"),
        {"fine": fine.pk, "amount_ntd": 10_000, "paid_on": "2026-11-19", "reference": "X"},
        format="json",
    )

    assert response.status_code == 403


def test_administrator_confirming_the_full_amount_marks_the_fine_paid(
    administrator, owner, premises
):
    _violation, fine = fined_violation(premises)
    payment = services.report_payment(
        owner, fine, amount_ntd=10_000, paid_on=datetime.date(2026, 11, 19), reference="TX"
    )

    response = api(administrator).post(
        reverse("api:payment-decide", args=[payment.pk]), {"confirm": True}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    fine.refresh_from_db()
    assert fine.status == FineStatus.PAID


def test_rejecting_a_payment_without_a_reason_is_a_400(administrator, owner, premises):
    _violation, fine = fined_violation(premises)
    payment = services.report_payment(
        owner, fine, amount_ntd=10_000, paid_on=datetime.date(2026, 11, 19), reference="TX"
    )

    response = api(administrator).post(
        reverse("api:payment-decide", args=[payment.pk]), {"confirm": False}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REPORTED


def test_owner_may_not_confirm_their_own_payment(owner, premises):
    _violation, fine = fined_violation(premises)
    payment = services.report_payment(
        owner, fine, amount_ntd=10_000, paid_on=datetime.date(2026, 11, 19), reference="TX"
    )

    response = api(owner).post(
        reverse("api:payment-decide", args=[payment.pk]), {"confirm": True}, format="json"
    )

    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REPORTED


# --- Appeals --------------------------------------------------------------------------------


def test_owner_files_an_appeal_within_the_period(owner, premises):
    _violation, fine = fined_violation(premises)

    response = api(owner).post(
        reverse("api:appeal-list"),
        {"fine": fine.pk, "grounds": "The thermostat was at 26 °C."},
        format="json",
    )

    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(fine=fine)
    body = response.json()
    assert body["status"] == AppealStatus.FILED == appeal.status
    assert appeal.filed_by == owner
    assert body["received_on"] == TODAY.isoformat()
    assert body["forward_by"] == (TODAY + datetime.timedelta(days=20)).isoformat()
    assert body["attachments"] == [] and body["payment_suspended_on"] is None


def test_an_appeal_filed_with_files_lists_them_with_download_links(owner, premises):
    _violation, fine = fined_violation(premises)

    response = api(owner).post(
        reverse("api:appeal-list"),
        {
            "fine": fine.pk,
            "grounds": "See the photo.",
            "files": [SimpleUploadedFile("photo.png", PNG, "image/png")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    [item] = response.json()["attachments"]
    assert (item["kind"], item["original_name"], item["content_type"]) == (
        "appellant",
        "photo.png",
        "image/png",
    )
    attachment = AppealAttachment.objects.get()
    assert item["download"].endswith(reverse("enforcement-appeal-attachment", args=[attachment.pk]))


def test_an_appeal_with_a_file_that_is_not_an_image_or_pdf_is_a_400_saving_nothing(owner, premises):
    _violation, fine = fined_violation(premises)

    response = api(owner).post(
        reverse("api:appeal-list"),
        {
            "fine": fine.pk,
            "grounds": "See the file.",
            "files": [SimpleUploadedFile("script.png", b"<script>", "image/png")],
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "files" in response.json()["errors"]
    assert not Appeal.objects.exists() and not AppealAttachment.objects.exists()


def test_an_appeal_after_the_period_is_a_400_saying_when_it_ended(owner, premises, time_machine):
    _violation, fine = fined_violation(premises)
    time_machine.move_to(f"{fine.appeal_until + datetime.timedelta(days=1)} 10:00 +0800")

    response = api(owner).post(
        reverse("api:appeal-list"), {"fine": fine.pk, "grounds": "Too late?"}, format="json"
    )

    assert response.status_code == 400
    assert fine.appeal_until.isoformat() in str(response.json()["errors"])
    assert not Appeal.objects.exists()


def test_an_appeal_without_grounds_is_a_400_naming_the_grounds(owner, premises):
    _violation, fine = fined_violation(premises)

    response = api(owner).post(
        reverse("api:appeal-list"), {"fine": fine.pk, "grounds": "   "}, format="json"
    )

    assert response.status_code == 400
    assert "grounds" in response.json()["errors"]


def _filed_appeal(premises, owner):
    _violation, fine = fined_violation(premises)
    return appeals.file_appeal(owner, fine, grounds="The thermostat was set.")


def test_an_unknown_outcome_is_a_400_naming_the_outcome(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)

    response = api(administrator).post(
        reverse("api:appeal-review", args=[appeal.pk]),
        {"outcome": "dismissed", "reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "outcome" in response.json()["errors"]


@pytest.mark.parametrize("amount", [None, 9_999, 10_000, 31_000])
def test_an_amended_amount_outside_the_range_is_a_400(administrator, owner, premises, amount):
    appeal = _filed_appeal(premises, owner)

    response = api(administrator).post(
        reverse("api:appeal-review", args=[appeal.pk]),
        {"outcome": "dept_amended", "reason": "Mitigating facts.", "amended_amount_ntd": amount},
        format="json",
    )

    assert response.status_code == 400
    assert "amended_amount_ntd" in response.json()["errors"]
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILED


def test_the_department_amending_its_decision_lowers_the_amount_due(administrator, owner, premises):
    _violation, fine = served_fine(premises, step=2)  # Art. 15, 2nd step: NT$20,000
    appeal = appeals.file_appeal(owner, fine, grounds="First time we were told.")

    response = api(administrator).post(
        reverse("api:appeal-review", args=[appeal.pk]),
        {"outcome": "dept_amended", "reason": "First offence.", "amended_amount_ntd": 12_000},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["amended_amount_ntd"]) == (AppealStatus.DEPARTMENT_AMENDED, 12_000)
    assert body["reported_to_body_on"] == TODAY.isoformat()
    fine.refresh_from_db()
    assert (fine.amount_ntd, fine.amount_due_ntd) == (20_000, 12_000)


def test_the_department_revoking_its_decision_owes_nothing(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)

    response = api(administrator).post(
        reverse("api:appeal-review", args=[appeal.pk]),
        {"outcome": "dept_revoked", "reason": "Measured at the wrong time."},
        format="json",
    )

    assert response.status_code == 200, response.content
    fine = Fine.objects.get(pk=appeal.fine_id)
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.REVOKED, 0)


def test_an_appeal_review_without_a_reason_is_a_400_naming_the_reason(
    administrator, owner, premises
):
    appeal = _filed_appeal(premises, owner)

    response = api(administrator).post(
        reverse("api:appeal-review", args=[appeal.pk]),
        {"outcome": "dept_revoked", "reason": ""},
        format="json",
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_forwarding_needs_the_reply_and_shows_it(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)
    url = reverse("api:appeal-forward", args=[appeal.pk])

    empty = api(administrator).post(url, {"reply": " "}, format="json")
    response = api(administrator).post(url, {"reply": "The reading was correct."}, format="json")

    assert empty.status_code == 400 and "reply" in empty.json()["errors"]
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["reply"]) == (AppealStatus.FORWARDED, "The reading was correct.")
    assert body["forwarded_on"] == TODAY.isoformat()
    seen = api(owner).get(reverse("api:appeal-detail", args=[appeal.pk])).json()
    assert seen["reply"] == "The reading was correct."


def test_the_appeal_body_s_decision_is_recorded_with_its_document(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)
    appeals.forward_appeal(administrator, appeal, reply="The reading was correct.")
    url = reverse("api:appeal-record-decision", args=[appeal.pk])
    decision = {
        "outcome": "dismissed",
        "decided_on": TODAY.isoformat(),
        "number": "府訴二字第1150001號",
        "reason": "The reading was correct.",
    }

    def document():
        return [SimpleUploadedFile("decision.pdf", PDF, "application/pdf")]

    without_document = api(administrator).post(url, decision, format="json")
    # Art. 15 starts at NT$10,000: nothing below the NT$10,000 decided remains in range.
    in_part = api(administrator).post(
        url,
        {
            **decision,
            "outcome": "revoked_in_part",
            "amended_amount_ntd": 6_000,
            "files": document(),
        },
        format="multipart",
    )
    dismissed = api(administrator).post(url, {**decision, "files": document()}, format="multipart")

    assert without_document.status_code == 400
    assert "files" in without_document.json()["errors"]
    assert in_part.status_code == 400
    assert "amended_amount_ntd" in in_part.json()["errors"]
    assert dismissed.status_code == 200, dismissed.content
    body = dismissed.json()
    assert (body["status"], body["body_decision_number"]) == ("dismissed", "府訴二字第1150001號")
    assert [item["kind"] for item in body["attachments"]] == ["body_decision"]
    fine = Fine.objects.get(pk=appeal.fine_id)
    assert (fine.status, fine.amount_due_ntd) == (FineStatus.ISSUED, 10_000)


def test_recording_a_decision_on_an_appeal_not_forwarded_is_a_400(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)

    response = api(administrator).post(
        reverse("api:appeal-record-decision", args=[appeal.pk]),
        {
            "outcome": "revoked",
            "decided_on": TODAY.isoformat(),
            "number": "N-1",
            "reason": "x",
            "files": [SimpleUploadedFile("decision.pdf", PDF, "application/pdf")],
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.FILED


def test_payment_is_suspended_and_the_suspension_lifted(administrator, owner, premises):
    appeal = _filed_appeal(premises, owner)
    url = reverse("api:appeal-suspension", args=[appeal.pk])

    suspended = api(administrator).post(
        url, {"suspend": True, "reason": "The reading is in doubt."}, format="json"
    )
    again = api(administrator).post(url, {"suspend": True, "reason": "Again."}, format="json")
    lifted = api(administrator).post(url, {"suspend": False, "reason": "Decided."}, format="json")
    by_owner = api(owner).post(url, {"suspend": True, "reason": "Please."}, format="json")

    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["payment_suspended_on"] == TODAY.isoformat()
    assert again.status_code == 400
    assert lifted.status_code == 200 and lifted.json()["payment_suspended_on"] is None
    assert by_owner.status_code == 403


# --- Evidence -------------------------------------------------------------------------------


def test_evidence_lists_its_files_as_metadata(owner, premises):
    objects = matrix_objects(premises, owner)

    row = api(owner).get(reverse("api:evidence-detail", args=[objects["evidence"]])).json()

    assert row["status"] == EvidenceStatus.SUBMITTED
    [item] = row["files"]
    assert item["original_name"] == "receipt.pdf"
    assert item["content_type"] == "application/pdf"
    assert item["size"] > 0 and len(item["sha256"]) == 64
    assert item["download"].endswith(
        reverse("enforcement-evidence-file", args=[objects["evidence_file"]])
    )
    assert "file" not in item


def test_inspector_accepting_evidence_rectifies_the_violation(inspector, owner, premises):
    violation = make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 15))
    evidence = services.submit_evidence(owner, violation, description="Set to 26 °C.")

    response = api(inspector).post(
        reverse("api:evidence-review", args=[evidence.pk]),
        {"accept": True, "reason": "The photo shows 26 °C."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == EvidenceStatus.ACCEPTED
    violation.refresh_from_db()
    # Nothing was fined, so nothing is outstanding: rectified and closed at once.
    assert violation.status == ViolationStatus.CLOSED


def test_reviewing_without_a_reason_is_a_400_naming_the_reason(inspector, owner, premises):
    violation = make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 15))
    evidence = services.submit_evidence(owner, violation, description="Set to 26 °C.")

    response = api(inspector).post(
        reverse("api:evidence-review", args=[evidence.pk]),
        {"accept": False, "reason": "  "},
        format="json",
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_reviewing_twice_is_a_400(inspector, owner, premises):
    violation = make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 15))
    evidence = services.submit_evidence(owner, violation, description="Set to 26 °C.")
    services.review_evidence(inspector, evidence, accept=False, reason="Blurred photo.")

    response = api(inspector).post(
        reverse("api:evidence-review", args=[evidence.pk]),
        {"accept": True, "reason": "Changed my mind."},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    assert RectificationEvidence.objects.get(pk=evidence.pk).status == EvidenceStatus.REJECTED


# --- Sweep runs -----------------------------------------------------------------------------


def test_administrator_queues_the_sweep_for_today(
    administrator, premises, django_capture_on_commit_callbacks
):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    verify_missed(violation)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(administrator).post(reverse("api:sweep-run-list"))

    assert response.status_code == 202
    assert response.json() == {"day": TODAY.isoformat(), "queued": True}
    run = SweepRun.objects.get()
    assert (run.day, run.triggered_by, run.fines_issued) == (TODAY, administrator, 1)
    # Proposed for an official's decision: the case is fined only once approved.
    assert violation.fines.get().status == FineStatus.PROPOSED
    listed = api(administrator).get(reverse("api:sweep-run-list")).json()["results"]
    assert [row["id"] for row in listed] == [run.pk]


@pytest.mark.parametrize("persona", ["inspector", "owner", "api_client"])
def test_only_administrators_see_or_start_sweeps(persona, personas):
    client = api(personas[persona])

    assert client.get(reverse("api:sweep-run-list")).status_code == 403
    assert client.post(reverse("api:sweep-run-list")).status_code == 403
    assert not SweepRun.objects.exists()


# --- Lists stay fast: the same queries for one row and for many ------------------------------

LISTS = [
    "violation",
    "fine",
    "enforcement-document",
    "payment",
    "appeal",
    "evidence",
    "sweep-run",
]


def _queries(client, basename: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"api:{basename}-list"), {"page_size": 100})
    assert response.status_code == 200, response.content
    return [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize("persona", ["owner", "administrator"])
def test_every_list_costs_the_same_queries_for_one_row_and_for_many(
    persona, personas, owner, premises
):
    client = api(personas[persona])
    matrix_objects(premises, owner)
    lists = LISTS if persona == "administrator" else LISTS[:-1]
    one = {name: _queries(client, name) for name in lists}
    for _ in range(4):
        matrix_objects(premises, owner)

    many = {name: _queries(client, name) for name in lists}

    assert Violation.objects.count() == 5
    for name in lists:
        assert len(many[name]) == len(one[name]), (name, many[name])
        assert not [sql for sql in many[name] if "COUNT(" in sql.upper()], name


# --- The browsable API and the schema -------------------------------------------------------


@pytest.mark.parametrize("basename", ["payment", "appeal"])
def test_browsable_api_offers_the_report_form_without_other_businesses(
    basename, owner, premises, other_premises
):
    fined_violation(premises)
    _violation, foreign = fined_violation(other_premises)
    client = APIClient()
    client.force_login(owner)

    response = client.get(reverse(f"api:{basename}-list"), HTTP_ACCEPT="text/html")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="fine"' in html
    assert 'name="grounds"' in html or 'name="amount_ntd"' in html
    assert foreign.document_number not in html


def test_schema_describes_every_enforcement_resource():
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        stdout=out,
        stderr=err,
    )

    schema = out.getvalue()
    for path in (
        "/api/v1/violations/{id}/cancel/",
        "/api/v1/fines/{id}/",
        "/api/v1/documents/",
        "/api/v1/payments/{id}/decide/",
        "/api/v1/appeals/{id}/review/",
        "/api/v1/appeals/{id}/forward/",
        "/api/v1/appeals/{id}/record-decision/",
        "/api/v1/appeals/{id}/suspension/",
        "/api/v1/evidence/{id}/review/",
        "/api/v1/sweep-runs/",
    ):
        assert f'"{path}"' in schema, path
