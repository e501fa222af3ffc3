"""Notices and decisions as PDFs: what they say, rendered once, failures, retries, downloads.

A decision is one an official approved, written with the ORM
(:func:`tests.enforcement.test_documents_issued.decided_fine`), so that these tests do not
depend on the sweep and the approval service.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from compliance import rules
from compliance.choices import DocumentKind, DocumentStatus
from compliance.enforcement.documents import gather, service
from compliance.enforcement.services import notices
from portal.choices import Role
from portal.models import AuditEntry, OutboxMessage, User
from tests.enforcement.builders import ready_document
from tests.enforcement.test_documents_issued import decided_fine, rendered_text
from tests.factories import make_business, make_premises, make_violation

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # Art. 5-5: 14 days to rectify
DECIDED_ON = datetime.date(2026, 11, 17)  # an official approves the sweep's proposal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def temperature_finding() -> dict:
    return rules.finding_to_dict(
        rules.Finding(
            "5-5",
            rules.Outcome.NON_COMPLIANT,
            "indoor_temperature.below_floor",
            measured=Decimal("24.50"),
            limit=Decimal("26"),
            unit="c",
            detail="3",
        )
    )


@pytest.fixture
def named_premises(owner):
    business = make_business(
        members=[owner],
        name_zh="台北節能股份有限公司",
        name_en="Taipei Energy Saving Co., Ltd.",
        registered_address="臺北市信義區松仁路100號",
    )
    return make_premises(business, name="信義門市")


@pytest.fixture
def violation(named_premises):
    return make_violation(named_premises, "5-5", found_on=FOUND, finding=temperature_finding())


def an_official():
    """Return the official who decides the fines of these tests (made once)."""
    user, _created = User.objects.get_or_create(
        username="official-lin",
        defaults={"role": Role.ADMINISTRATOR, "job_title": "科長", "display_name": "林科長"},
    )
    return user


@pytest.fixture
def official():
    return an_official()


def fine_once(violation):
    """Return the first fine of ``violation``, as an official decided it on DECIDED_ON."""
    return decided_fine(violation, an_official(), on=DECIDED_ON)


def fined_violation(premises, official, article: str = "5-5"):
    """Return (violation, fine): a violation whose first fine an official decided."""
    violation = make_violation(premises, article, found_on=FOUND)
    return violation, decided_fine(violation, official, on=DECIDED_ON)


# --- What the documents say --------------------------------------------------------


def test_a_chinese_decision_states_number_amount_article_periods_and_business(
    violation, official, tmp_path
):
    fine = decided_fine(violation, official, on=DECIDED_ON)
    document = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)

    text = rendered_text(document, tmp_path)

    assert document.document_number == fine.document_number
    assert fine.document_number in text
    assert "裁處書" in text
    assert "新臺幣 10,000 元" in text
    assert "第 1 次" in text
    assert "第5條第5款" in text
    assert "第15條" in text
    assert "新臺幣 10,000 元以上 30,000 元以下" in text
    assert "中華民國115年11月17日" in text  # the day of the decision (ROC calendar)
    assert "中華民國115年11月16日" in text  # the deadline missed
    flat = "".join(text.split())  # Chinese lines wrap anywhere
    assert "文到14日內" in flat  # the new period, from service (no date before service)
    assert "送達之次日起30日內" in flat  # the appeal period
    assert "2026年" not in text  # no Gregorian date in a Chinese document
    assert "台北節能股份有限公司" in text
    assert "24.50" in text  # the finding, explained
    assert "現場稽查查獲" in text  # how it was found, in words
    assert "visit-" not in text  # never the internal reference


def test_a_second_fine_is_the_second_step_of_the_schedule(violation, official, tmp_path):
    decided_fine(violation, official, on=DECIDED_ON, served_on=DECIDED_ON)
    second = decided_fine(violation, official, step=2, on=violation.deadline)
    document = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=second)

    text = rendered_text(document, tmp_path)

    assert "第 2 次" in text
    assert "新臺幣 20,000 元" in text
    assert second.document_number in text


def test_a_chinese_notice_orders_the_deadline_and_warns_of_the_fine(violation, tmp_path):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)

    text = rendered_text(document, tmp_path)

    assert document.document_number.startswith("TPE-EC-N-2026-")
    assert document.document_number in text
    assert "限期改善通知書" in text
    assert "中華民國115年11月16日" in text
    assert "第5條第5款" in text
    assert "新臺幣 10,000 元以上 30,000 元以下" in text
    assert "台北節能股份有限公司" in text


def test_a_notice_keeps_the_deadline_it_ordered_after_a_fine_moved_it(violation, official):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    before = gather.document_data(document.pk)

    decided_fine(violation, official, on=DECIDED_ON, served_on=DECIDED_ON)
    assert violation.deadline != DEADLINE

    after = gather.document_data(document.pk)
    assert (
        after["violation"]["deadline"] == before["violation"]["deadline"] == "中華民國115年11月16日"
    )
    assert after["verification_hash"] == before["verification_hash"]


def test_an_english_decision_reads_in_english(violation, official, tmp_path):
    fine = decided_fine(violation, official, on=DECIDED_ON)
    document = notices.request_document(
        DocumentKind.PENALTY_DECISION, violation, fine=fine, language="en"
    )

    text = rendered_text(document, tmp_path)

    # A translation of the same decision: the same number, and it says so.
    chinese = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    assert document.document_number == chinese.document_number == fine.document_number
    assert document.document_number in text
    assert "Translation of the official document in Chinese" in text.replace("\n", " ")
    assert "Penalty decision" in text
    assert "NT$10,000" in text
    assert "Art. 5-5" in text
    assert "Nov. 17, 2026" in text
    assert "within 14 days of receipt of this decision" in " ".join(text.split())
    assert "How to appeal" in text
    assert "Taipei Energy Saving Co., Ltd." in text
    assert "新臺幣" not in text


def test_a_decision_names_the_rule_book_by_number_and_title_not_by_id(
    violation, official, tmp_path
):
    fine = decided_fine(violation, official, on=DECIDED_ON)
    version = fine.rulebook_version
    assert version.number is not None
    zh = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    en = notices.request_document(
        DocumentKind.PENALTY_DECISION, violation, fine=fine, language="en"
    )

    chinese = "".join(rendered_text(zh, tmp_path).split())  # lines wrap anywhere
    english = " ".join(rendered_text(en, tmp_path).split())

    title = "".join(version.title.split())
    assert f"規則參數第{version.number}版（{title}）" in chinese
    assert f"版本{version.pk}" not in chinese  # the old "（版本 <id>，…）"
    compact = "".join(english.split())  # a Chinese title wraps anywhere too
    assert f"fromrulebookno.{version.number}({title})" in compact  # the schedule's source
    assert f"Rulebookno.{version.number}({title})" in compact  # the facts table
    assert f"version {version.pk}" not in english
    data = gather.document_data(zh.pk)
    assert data["fine"]["rulebook"]["number"] == version.number
    assert "id" not in data["fine"]["rulebook"] and "id" not in data["violation"]["rulebook"]


def test_the_verification_hash_depends_on_the_content(violation, official):
    fine = decided_fine(violation, official, on=DECIDED_ON)
    zh = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    en = notices.request_document(
        DocumentKind.PENALTY_DECISION, violation, fine=fine, language="en"
    )

    first = gather.document_data(zh.pk)
    assert gather.document_data(zh.pk)["verification_hash"] == first["verification_hash"]
    assert gather.document_data(en.pk)["verification_hash"] != first["verification_hash"]
    assert len(first["verification_hash"]) == 64


def test_an_art17_decision_names_the_refusal_and_no_deadline(premises, official, tmp_path):
    violation, fine = fined_violation(premises, official, "10-1")
    document = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)

    data = gather.document_data(document.pk)
    text = rendered_text(document, tmp_path)

    assert data["fine"]["fined_directly"] is True
    assert data["fine"]["rectify_period"] == ""
    assert "新臺幣 30,000 元" in text
    assert "第17條" in text


# --- Rendered exactly once ---------------------------------------------------------


def test_rendering_a_ready_document_again_does_nothing(violation, django_assert_max_num_queries):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    assert service.render(document.pk) == DocumentStatus.READY
    document.refresh_from_db()
    stored, digest = document.file.name, document.sha256

    with django_assert_max_num_queries(2):
        assert service.render(document.pk) == DocumentStatus.READY

    document.refresh_from_db()
    assert (document.file.name, document.sha256, document.attempts) == (stored, digest, 1)
    assert len(document.sha256) == 64
    assert document.rendered_at is not None


def test_only_one_of_two_claims_wins(violation):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)

    assert service.claim(document.pk) is True
    assert service.claim(document.pk) is False
    # The claimed document is being rendered: a second render() leaves it alone.
    assert service.render(document.pk) == DocumentStatus.RENDERING


@pytest.mark.django_db(transaction=True)
def test_two_workers_rendering_at_once_render_the_document_once(violation, monkeypatch):
    # Committed at once here: keep the outbox from delivering (rendering) it meanwhile.
    monkeypatch.setattr("portal.outbox.wake", lambda queue="celery": None)
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    calls = []
    started = threading.Barrier(2)

    def fake_render(data):
        calls.append(data["document_number"])
        return b"%PDF-1.4 test"

    monkeypatch.setattr("compliance.enforcement.documents.render.render_pdf", fake_render)
    outcomes = []

    def work():
        try:
            started.wait(timeout=10)
            outcomes.append(service.render(document.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(calls) == 1
    assert DocumentStatus.READY in outcomes
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 1


# --- Failure and retry ---------------------------------------------------------------


def broken(data):
    raise RuntimeError("font cache unreadable")


def test_a_failed_rendering_keeps_the_reason(violation, monkeypatch):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    monkeypatch.setattr("compliance.enforcement.documents.render.render_pdf", broken)

    assert service.render(document.pk) == DocumentStatus.FAILED

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "font cache unreadable" in document.error
    assert document.attempts == 1
    assert not document.file


def test_a_transient_database_error_is_raised_again_for_a_retry(violation, monkeypatch):
    from django.db import OperationalError

    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)

    def gone(data):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("compliance.enforcement.documents.render.render_pdf", gone)
    with pytest.raises(OperationalError):
        service.render(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED


def test_an_administrator_retries_a_failed_document_and_it_renders(
    violation, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    with monkeypatch.context() as patch:
        patch.setattr("compliance.enforcement.documents.render.render_pdf", broken)
        service.render(document.pk)

    # The retry queues the rendering through the outbox; delivering it renders.
    with django_capture_on_commit_callbacks(execute=True):
        retried = service.retry(administrator, document)
    assert retried.status == DocumentStatus.PENDING

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 2
    assert document.error == ""
    entry = AuditEntry.objects.get(
        object_type="compliance.enforcementdocument",
        object_id=str(document.pk),
        actor=administrator,
    )
    assert entry.changes["status"] == [DocumentStatus.FAILED, DocumentStatus.PENDING]
    assert entry.reason


@pytest.mark.parametrize("role", ["inspector", "owner"])
def test_only_administrators_retry(violation, role, request):
    from django.core.exceptions import PermissionDenied

    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    with pytest.raises(PermissionDenied):
        service.retry(request.getfixturevalue(role), document)


def test_retrying_a_ready_document_leaves_it_alone(violation, administrator):
    document = ready_document(violation)
    queued = OutboxMessage.objects.count()

    assert service.retry(administrator, document).status == DocumentStatus.READY
    assert OutboxMessage.objects.count() == queued


# --- Pages ---------------------------------------------------------------------------


def test_the_owner_downloads_the_pdf(client, owner, premises, official):
    violation, fine = fined_violation(premises, official)
    document = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)
    client.force_login(owner)

    response = client.get(reverse("enforcement-document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{document.document_number}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_business_gets_404(client, other_owner, premises, official):
    violation, fine = fined_violation(premises, official)
    document = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)
    client.force_login(other_owner)

    response = client.get(reverse("enforcement-document-download", args=[document.pk]))

    assert response.status_code == 404


def test_a_pending_document_is_404(client, owner, premises, official):
    violation, fine = fined_violation(premises, official)
    document = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    assert document.status == DocumentStatus.PENDING
    client.force_login(owner)

    response = client.get(reverse("enforcement-document-download", args=[document.pk]))

    assert response.status_code == 404


def test_the_retry_page_requeues_and_redirects_back(client, administrator, violation, monkeypatch):
    document = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    monkeypatch.setattr("compliance.enforcement.documents.render.render_pdf", broken)
    service.render(document.pk)
    client.force_login(administrator)

    response = client.post(reverse("enforcement-document-retry", args=[document.pk]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert (
        OutboxMessage.objects.filter(
            topic=notices.RENDER_TOPIC, payload__document=document.pk, delivered_at__isnull=True
        ).count()
        == 2
    )  # the request's and the retry's: only one rendering can claim it
