"""Enforcement pages: the lists with their countdowns, the violation page and its forms."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import (
    AppealStatus,
    District,
    DocumentKind,
    DocumentStatus,
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
    ViolationStatus,
)
from compliance.enforcement.services import appeals, notices, violations
from compliance.models import (
    Appeal,
    EnforcementDocument,
    FinePayment,
    RectificationEvidence,
    SweepRun,
)
from tests.enforcement.builders import (
    FINED_ON,
    FOUND,
    fined_violation,
    matrix_objects,
    ready_document,
)
from tests.factories import make_premises, make_violation
from tests.uploads import PDF, PNG
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to("2026-11-24 10:00 +0800")


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def detail_url(violation) -> str:
    return reverse("enforcement-violation-detail", args=[violation.pk])


def listed(response) -> list[int]:
    return [violation.pk for violation in response.context["object_list"]]


# --- The list ------------------------------------------------------------------------


def test_a_business_sees_its_own_violations_with_a_countdown_to_each_deadline(
    client, owner, premises, other_premises
):
    soon = make_violation(premises, "5-5", found_on=days(-9), deadline=days(5))
    today = make_violation(premises, "6-3", found_on=days(-9), deadline=TODAY)
    late = make_violation(premises, "5-1", found_on=days(-20), deadline=days(-2))
    elsewhere = make_violation(other_premises, "5-5", found_on=days(-9))
    client.force_login(owner)
    response = client.get(reverse("enforcement-violation-list"))
    assert sorted(listed(response)) == sorted([soon.pk, today.pk, late.pk])
    assert elsewhere.pk not in listed(response)
    text = response.content.decode()
    assert "5 days left" in text
    assert "last day today" in text
    assert "overdue by 2 days" in text


def test_the_list_shows_the_fines_and_what_is_outstanding(client, owner, premises):
    _violation, fine = fined_violation(premises)
    client.force_login(owner)
    response = client.get(reverse("enforcement-violation-list"))
    (row,) = response.context["object_list"]
    assert (row.fine_count, row.outstanding_ntd) == (1, fine.amount_due_ntd)
    assert "10,000" in response.content.decode()


def test_the_list_filters_by_status_article_district_date_and_overdue(
    client, administrator, business, premises
):
    neihu = make_premises(business, district=District.NEIHU)
    open_late = make_violation(premises, "5-5", found_on=days(-30), deadline=days(-1))
    open_soon = make_violation(neihu, "6-3", found_on=days(-3), deadline=days(10))
    cancelled = make_violation(premises, "5-1", found_on=days(-3))
    violations.cancel(administrator, cancelled, reason="Found in error.")
    client.force_login(administrator)
    url = reverse("enforcement-violation-list")

    def filtered(**query):
        return sorted(listed(client.get(url, query)))

    assert filtered(status="cancelled") == [cancelled.pk]
    assert filtered(article="6-3") == [open_soon.pk]
    assert filtered(district="neihu") == [open_soon.pk]
    assert filtered(found_from=days(-5).isoformat()) == sorted([open_soon.pk, cancelled.pk])
    assert filtered(found_to=days(-5).isoformat()) == [open_late.pk]
    assert filtered(overdue="on") == [open_late.pk]


def test_the_violation_list_takes_the_same_queries_for_1_or_20_rows(
    client, owner, premises, django_assert_num_queries
):
    fined_violation(premises)
    client.force_login(owner)
    url = reverse("enforcement-violation-list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        make_violation(make_premises(premises.business), "5-5", found_on=days(-n))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 20


# --- The page of one violation ---------------------------------------------------------


def test_a_business_reads_what_was_found_what_to_do_and_its_fine(client, owner, premises):
    violation, fine = fined_violation(premises)
    client.force_login(owner)
    response = client.get(detail_url(violation))
    text = response.content.decode()
    assert response.status_code == 200
    # The new deadline (2026-12-01) counted from the fine, seen on 2026-11-24.
    assert "7 days left" in text
    assert "average indoor temperature with the air conditioning on is at least 26 °C" in text
    assert fine.document_number in text
    assert "NT$10,000" in text
    assert fine.appeal_until.isoformat() in text
    # Its forms: evidence, payment and appeal; no reviewer's or administrator's forms.
    assert reverse("enforcement-evidence-submit", args=[violation.pk]) in text
    assert reverse("enforcement-payment-report", args=[fine.pk]) in text
    assert reverse("enforcement-appeal-file", args=[fine.pk]) in text
    assert reverse("enforcement-violation-cancel", args=[violation.pk]) not in text


def test_the_page_shows_the_timeline_with_who_and_why(client, administrator, premises):
    violation, _fine = fined_violation(premises)
    client.force_login(administrator)
    text = client.get(detail_url(violation)).content.decode()
    assert "System (nightly deadline run)" in text  # recorded as "deadline-sweep"
    assert "deadline-sweep" not in text
    assert "Deadline 2026-11-16 missed" in text


def test_an_owner_cannot_see_or_act_on_another_business_s_violation(
    client, other_owner, owner, premises
):
    ids = matrix_objects(premises, owner)
    client.force_login(other_owner)
    assert (
        client.get(reverse("enforcement-violation-detail", args=[ids["violation"]])).status_code
        == 404
    )
    assert (
        client.get(reverse("enforcement-evidence-file", args=[ids["evidence_file"]])).status_code
        == 404
    )
    posts = [
        ("enforcement-evidence-submit", "violation", {"description": "x"}),
        ("enforcement-payment-report", "fine", {"amount_ntd": 1, "paid_on": "2026-11-20"}),
        ("enforcement-appeal-file", "fine", {"grounds": "x"}),
    ]
    for name, key, data in posts:
        assert client.post(reverse(name, args=[ids[key]]), data).status_code == 404, name
    assert FinePayment.objects.filter(fine_id=ids["fine"]).count() == 1
    assert RectificationEvidence.objects.filter(violation_id=ids["violation"]).count() == 1


def test_evidence_uploaded_from_the_page_is_kept_and_served_as_an_attachment(
    client, owner, premises
):
    violation, _fine = fined_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("enforcement-evidence-submit", args=[violation.pk]),
        {
            "description": "New thermostat set to 26 °C.",
            "files": [
                SimpleUploadedFile("thermostat.png", PNG, "image/png"),
                SimpleUploadedFile("invoice.pdf", PDF, "application/pdf"),
            ],
        },
    )
    assert response.status_code == 302
    assert response.url == detail_url(violation)
    evidence = RectificationEvidence.objects.get(violation=violation)
    assert evidence.files.count() == 2
    item = evidence.files.get(original_name="thermostat.png")
    download = client.get(reverse("enforcement-evidence-file", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    page = client.get(detail_url(violation)).content.decode()
    assert "The evidence has been submitted" in page
    assert "Your evidence is being reviewed" in page
    again = client.post(
        reverse("enforcement-evidence-submit", args=[violation.pk]), {"description": "More."}
    )
    assert again.status_code == 200
    assert "Evidence submitted earlier is still being reviewed" in again.content.decode()


def test_a_refused_upload_shows_the_error_and_keeps_the_description(client, owner, premises):
    violation, _fine = fined_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("enforcement-evidence-submit", args=[violation.pk]),
        {
            "description": "Typed with care.",
            "files": [SimpleUploadedFile("photo.png", b"GIF89a not allowed", "image/png")],
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "photo.png is not a JPEG, PNG or PDF file." in text
    assert "Typed with care.</textarea>" in text
    assert not RectificationEvidence.objects.filter(violation=violation).exists()


def test_a_refused_payment_report_shows_the_error_and_keeps_what_was_typed(client, owner, premises):
    _violation, fine = fined_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("enforcement-payment-report", args=[fine.pk]),
        {"amount_ntd": "10000", "paid_on": days(3).isoformat(), "reference": "TRF-778899"},
    )
    assert response.status_code == 200
    form = response.context["fines"][0].payment_form
    assert form.errors["paid_on"] == ["The payment date cannot be in the future."]
    text = response.content.decode()
    assert 'value="TRF-778899"' in text
    assert "The payment date cannot be in the future." in text
    assert not FinePayment.objects.filter(fine=fine).exists()


def test_a_business_reports_a_payment_and_an_administrator_confirms_it(
    client, owner, administrator, premises
):
    violation, fine = fined_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("enforcement-payment-report", args=[fine.pk]),
        {"amount_ntd": "10000", "paid_on": FINED_ON.isoformat(), "reference": "TRF-1"},
    )
    assert response.status_code == 302
    payment = FinePayment.objects.get(fine=fine)
    client.force_login(administrator)
    page = client.get(detail_url(violation)).content.decode()
    assert reverse("enforcement-payment-decide", args=[payment.pk]) in page
    response = client.post(
        reverse("enforcement-payment-decide", args=[payment.pk]), {"confirm": "yes", "reason": ""}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    fine.refresh_from_db()
    assert (payment.status, fine.status) == (PaymentStatus.CONFIRMED, "paid")


def test_an_amended_amount_out_of_range_is_shown_on_the_appeal_review(
    client, owner, administrator, premises
):
    _violation, fine = fined_violation(premises)
    appeal = appeals.file_appeal(owner, fine, grounds="The thermostat was set.")
    client.force_login(administrator)
    response = client.post(
        reverse("enforcement-appeal-review", args=[appeal.pk]),
        {"outcome": "dept_amended", "amended_amount_ntd": "5000", "reason": "Mitigating facts."},
    )
    assert response.status_code == 200
    form = response.context["fines"][0].appeal_or_none.review_form
    assert "amended_amount_ntd" in form.errors
    text = response.content.decode()
    assert "Mitigating facts.</textarea>" in text
    assert 'value="5000"' in text
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILED


def test_a_late_appeal_is_not_offered_and_is_refused(client, owner, premises, time_machine):
    _violation, fine = fined_violation(premises)
    time_machine.move_to(f"{fine.appeal_until + datetime.timedelta(days=1)} 09:00 +0800")
    client.force_login(owner)
    page = client.get(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    assert page.context["fines"][0].appeal_form is None
    response = client.post(
        reverse("enforcement-appeal-file", args=[fine.pk]), {"grounds": "Please."}
    )
    assert response.status_code == 200
    assert "The appeal period ended on" in response.content.decode()
    assert not Appeal.objects.filter(fine=fine).exists()


def test_an_inspector_accepts_evidence_from_the_page(client, owner, inspector, premises):
    violation = make_violation(premises, "5-5", found_on=days(-5))
    evidence = violations.submit_evidence(
        owner,
        violation,
        description="Fixed.",
        files=[SimpleUploadedFile("p.png", PNG, "image/png")],
    )
    client.force_login(inspector)
    url = reverse("enforcement-evidence-review", args=[evidence.pk])
    refused = client.post(url, {"accept": "yes", "reason": ""})
    assert refused.status_code == 200
    assert "Give the reason for the decision." in refused.content.decode()
    response = client.post(url, {"accept": "yes", "reason": "Photo shows 26 °C."}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(violation)
    violation.refresh_from_db()
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.ACCEPTED
    assert violation.status == ViolationStatus.CLOSED
    assert 'data-status="closed"' in response.content.decode()


def test_an_administrator_cancels_a_violation_with_a_reason(client, administrator, premises):
    violation = make_violation(premises, "5-5", found_on=days(-5))
    client.force_login(administrator)
    url = reverse("enforcement-violation-cancel", args=[violation.pk])
    assert "Give the reason for this change." in client.post(url, {"reason": ""}).content.decode()
    assert client.post(url, {"reason": "Found in error."}).status_code == 302
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CANCELLED


# --- Review queue, sweep page, home page -----------------------------------------------


def _queue_rows(premises, owner, n: int):
    for _ in range(n):
        violation, fine = fined_violation(make_premises(premises.business))
        violations.submit_evidence(owner, violation, description="Fixed.", files=[])
        violations.report_payment(
            owner, fine, amount_ntd=fine.amount_ntd, paid_on=FINED_ON, reference="R"
        )
        appeals.file_appeal(owner, fine, grounds="No.")


def test_the_review_queue_takes_the_same_queries_for_1_or_many_rows(
    client, administrator, owner, premises, django_assert_num_queries
):
    _queue_rows(premises, owner, 1)
    client.force_login(administrator)
    url = reverse("enforcement-review-queue")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _queue_rows(premises, owner, 5)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert (response.context["evidence_total"], response.context["payments_total"]) == (6, 6)
    assert response.context["appeals_total"] == 6


def test_an_inspector_s_queue_lists_evidence_oldest_first_without_payments(
    client, inspector, owner, premises
):
    first = make_violation(premises, "5-5", found_on=days(-5))
    second = make_violation(premises, "6-3", found_on=days(-5))
    older = violations.submit_evidence(owner, first, description="First.", files=[])
    newer = violations.submit_evidence(owner, second, description="Second.", files=[])
    client.force_login(inspector)
    response = client.get(reverse("enforcement-review-queue"))
    assert [item.pk for item in response.context["evidence"]] == [older.pk, newer.pk]
    assert "payments" not in response.context


def test_running_the_sweep_from_its_page_queues_it_for_today(
    client, administrator, premises, django_capture_on_commit_callbacks
):
    violation = make_violation(premises, "5-5", found_on=FOUND)  # deadline 2026-11-16
    verify_missed(violation)  # re-inspected on 11-17: not rectified
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enforcement-sweep"))
    assert response.status_code == 302
    run = SweepRun.objects.get()
    assert (run.day, run.triggered_by, run.fines_issued) == (TODAY, administrator, 1)
    # Proposed for an official's decision: the case is fined only once approved.
    assert violation.fines.get().status == FineStatus.PROPOSED
    page = client.get(reverse("enforcement-sweep"))
    assert "has been queued" in page.content.decode()
    assert list(page.context["runs"]) == [run]


def test_the_home_page_lists_a_business_s_active_violations_with_their_countdown(
    client, owner, premises
):
    violation = make_violation(premises, "5-5", found_on=days(-9), deadline=days(3))
    client.force_login(owner)
    text = client.get(reverse("home")).content.decode()
    assert detail_url(violation) in text
    assert "3 days left" in text


def test_the_decision_pdf_is_linked_once_it_is_ready(client, owner, premises):
    violation, fine = fined_violation(premises)
    decision = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    download = reverse("enforcement-document-download", args=[decision.pk])
    client.force_login(owner)
    assert download not in client.get(detail_url(violation)).content.decode()
    ready = ready_document(violation, DocumentKind.RECTIFICATION_NOTICE)
    EnforcementDocument.objects.filter(pk=decision.pk).update(status=DocumentStatus.READY)
    text = client.get(detail_url(violation)).content.decode()
    assert f'href="{download}"' in text
    assert reverse("enforcement-document-download", args=[ready.pk]) in text


def test_a_refused_inspection_offers_no_evidence_form(client, owner, premises):
    violation = make_violation(premises, "10-1", found_on=days(-3))
    client.force_login(owner)
    response = client.get(detail_url(violation))
    assert response.context["evidence_form"] is None
    text = response.content.decode()
    assert reverse("enforcement-evidence-submit", args=[violation.pk]) not in text
    assert "fined directly, nothing to rectify" in text
