"""Report pages: status on the visit, ask and retry buttons, and a download only for the owner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.choices import ReportStatus
from inspections.models import InspectionReport
from tests.inspections.report_builders import make_completed_visit, make_report

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% the owner's report\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visit(premises, inspector):
    return make_completed_visit(premises, inspector, assess=False)


@pytest.fixture
def report(visit):
    return make_report(visit, content=PDF)


def download(client, report):
    return client.get(reverse("report-download", args=[report.pk]))


def test_the_owner_downloads_the_report_named_by_its_document_number(client, owner, report):
    client.force_login(owner)

    response = download(client, report)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{report.document_number}.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF


def test_another_business_cannot_learn_the_report_exists(client, other_owner, report):
    client.force_login(other_owner)

    assert download(client, report).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, report):
    response = download(client, report)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_report_not_yet_ready_cannot_be_downloaded(client, owner, visit):
    pending = make_report(visit, language="en", status=ReportStatus.PENDING)
    client.force_login(owner)

    assert download(client, pending).status_code == 404


def test_an_inspector_asks_for_the_english_report_from_the_visit_page(client, inspector, visit):
    client.force_login(inspector)

    response = client.post(
        reverse("report-request", args=[visit.pk]),
        {"language": "en", "next": f"/visits/{visit.pk}/"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/"
    report = InspectionReport.objects.get(visit=visit)
    assert report.language == "en"


def test_a_request_never_redirects_off_site(client, inspector, visit):
    client.force_login(inspector)

    response = client.post(
        reverse("report-request", args=[visit.pk]), {"next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_business_cannot_ask_for_or_retry_a_report(client, owner, visit):
    failed = make_report(visit, status=ReportStatus.FAILED, error="boom")
    client.force_login(owner)

    assert client.post(reverse("report-request", args=[visit.pk])).status_code == 403
    assert client.post(reverse("report-retry", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED


def test_an_inspector_retries_a_failed_report(client, inspector, visit):
    failed = make_report(visit, status=ReportStatus.FAILED, error="boom")
    client.force_login(inspector)

    response = client.post(reverse("report-retry", args=[failed.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == ReportStatus.PENDING


def test_the_visit_page_shows_each_report_with_its_status(client, owner, inspector, visit):
    make_report(visit, content=PDF)
    make_report(visit, language="en", status=ReportStatus.FAILED, error="字型無法讀取")
    page = reverse("visit-detail", args=[visit.pk])

    client.force_login(owner)
    html = client.get(page).content.decode()
    assert reverse("report-download", args=[visit.reports.get(language="zh-hant").pk]) in html
    assert "字型無法讀取" in html
    assert reverse("report-request", args=[visit.pk]) not in html  # no buttons for them

    client.force_login(inspector)
    html = client.get(page).content.decode()
    assert reverse("report-request", args=[visit.pk]) in html
    assert reverse("report-retry", args=[visit.reports.get(language="en").pk]) in html
