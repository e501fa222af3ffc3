"""The report API: 202 while rendering, 200 with a download URL once ready, the reason if failed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inspections.api.serializers.reports import ReportRequestSerializer
from inspections.choices import ReportStatus
from inspections.models import InspectionReport
from inspections.services import reports
from portal.api.serializers import VisibleRelatedField
from tests.factories import make_premises
from tests.inspections.report_builders import make_completed_visit, make_report

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visit(premises, inspector):
    return make_completed_visit(premises, inspector)


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_report_is_accepted_then_ready_with_a_download_url(visit, inspector, owner):
    inspector_api = api(inspector)

    asked = inspector_api.post(REPORTS, {"visit": visit.pk, "language": "zh-hant"}, format="json")
    assert asked.status_code == 202
    assert asked.json()["status"] == "pending"
    assert asked.json()["download_url"] is None
    detail = f"{REPORTS}{asked.json()['id']}/"
    assert inspector_api.get(detail).status_code == 202

    reports.render(asked.json()["id"])

    ready = api(owner).get(detail)
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["document_number"].startswith("TPE-EC-")
    assert body["download_url"].endswith(f"{detail}download/")
    pdf = api(owner).get(body["download_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == f'attachment; filename="{body["document_number"]}.pdf"'
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_asking_again_answers_with_the_same_report(visit, inspector):
    client = api(inspector)

    first = client.post(REPORTS, {"visit": visit.pk}, format="json").json()
    second = client.post(REPORTS, {"visit": visit.pk}, format="json").json()

    assert first["id"] == second["id"]
    assert first["language"] == "zh-hant"
    assert InspectionReport.objects.count() == 1


def test_the_visit_report_endpoint_answers_202_then_200(visit, inspector):
    client = api(inspector)
    url = f"/api/v1/visits/{visit.pk}/report/"

    assert client.get(url, {"language": "en"}).status_code == 404
    asked = client.post(url, {"language": "en"}, format="json")
    assert asked.status_code == 202
    assert client.get(url, {"language": "en"}).status_code == 202

    reports.render(asked.json()["id"])

    ready = client.get(url, {"language": "en"})
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_a_failed_report_answers_200_with_the_reason_and_can_be_retried(visit, inspector):
    failed = make_report(visit, status=ReportStatus.FAILED, error="The PDF could not be rendered")
    client = api(inspector)

    response = client.get(f"{REPORTS}{failed.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    assert response.json()["error"] == "The PDF could not be rendered"

    retried = client.post(f"{REPORTS}{failed.pk}/retry/", {}, format="json")
    assert retried.status_code == 202
    assert retried.json()["status"] == "pending"


def test_only_an_administrator_forces_a_ready_report(visit, inspector, administrator):
    ready = make_report(visit)
    url = f"{REPORTS}{ready.pk}/retry/"

    assert api(inspector).post(url, {"force": True}, format="json").status_code == 403
    assert api(inspector).post(url, {}, format="json").status_code == 200  # a no-op
    forced = api(administrator).post(url, {"force": True}, format="json")
    assert forced.status_code == 202
    assert forced.json()["document_number"] == ready.document_number


def test_the_business_reads_its_reports_but_cannot_ask_for_one(visit, owner):
    make_report(visit)
    client = api(owner)

    assert len(client.get(REPORTS).json()["results"]) == 1
    refused = client.post(REPORTS, {"visit": visit.pk}, format="json")
    assert refused.status_code == 403


def test_another_business_neither_sees_nor_downloads_the_report(visit, other_owner):
    ready = make_report(visit)
    client = api(other_owner)

    assert client.get(REPORTS).json()["results"] == []
    assert client.get(f"{REPORTS}{ready.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{ready.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/visits/{visit.pk}/report/").status_code == 404


def test_an_anonymous_client_is_refused(visit):
    assert api(None).get(REPORTS).status_code == 401
    assert api(None).post(REPORTS, {"visit": visit.pk}, format="json").status_code == 401


def test_bad_requests_get_field_errors(premises, visit, inspector):
    unfinished = make_completed_visit(premises, inspector, assess=False)
    unfinished.completed_at = None
    unfinished.save()
    client = api(inspector)

    language = client.post(REPORTS, {"visit": visit.pk, "language": "fr"}, format="json")
    missing = client.post(REPORTS, {"visit": 999999}, format="json")
    not_done = client.post(REPORTS, {"visit": unfinished.pk}, format="json")

    assert language.status_code == 400 and "language" in language.json()["errors"]
    assert missing.status_code == 400 and "visit" in missing.json()["errors"]
    assert not_done.status_code == 400
    assert "not completed" in str(not_done.json()["errors"])


def test_a_download_asking_for_a_pdf_gets_it(visit, owner):
    ready = make_report(visit)

    response = api(owner).get(f"{REPORTS}{ready.pk}/download/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_list_takes_the_same_number_of_queries_however_many_reports(
    business, inspector, administrator
):
    def add_reports(count):
        for _ in range(count):
            visit = make_completed_visit(make_premises(business), inspector, assess=False)
            make_report(visit)

    client = api(administrator)
    add_reports(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(REPORTS).status_code == 200
    add_reports(5)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(REPORTS).json()["results"]) == 6

    assert len(many) == len(few)


def test_the_visit_field_is_portals_visible_related_field(visit, inspector, other_owner):
    def asked(user, pk):
        context = {"request": SimpleNamespace(user=user)}
        serializer = ReportRequestSerializer(data={"visit": pk}, context=context)
        return serializer.is_valid(), serializer.errors

    assert isinstance(ReportRequestSerializer().fields["visit"], VisibleRelatedField)
    assert asked(inspector, visit.pk) == (True, {})
    # A visit the user may not see reads like one that does not exist.
    hidden, missing = asked(other_owner, visit.pk), asked(other_owner, 999999)
    assert hidden[0] is False and missing[0] is False
    assert hidden[1]["visit"][0].code == missing[1]["visit"][0].code == "does_not_exist"
