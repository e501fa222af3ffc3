"""A report's life: requested once, rendered once, failed with a reason, retried (in-process)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inspections.choices import ReportStatus
from inspections.models import InspectionReport
from inspections.services import reports
from inspections.tasks import render_report_task
from portal.celery import app as celery_app
from portal.models import AuditEntry
from tests.inspections.report_builders import make_completed_visit, make_report

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visit(premises, inspector):
    return make_completed_visit(premises, inspector)


def audit_of(report) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="inspections.inspectionreport", object_id=str(report.pk)
        ).order_by("id")
    )


def test_asking_for_a_report_renders_it_once_the_request_is_committed(
    visit, inspector, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        report = reports.request_report(visit, actor=inspector)
        assert report.status == ReportStatus.PENDING  # nothing rendered before the commit

    assert len(queued) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.language == "zh-hant"
    assert re.fullmatch(rf"TPE-EC-\d{{4}}-{report.pk:06d}", report.document_number)
    assert report.file.name.startswith("inspections/reports/")
    assert not report.file.name.endswith("ready.pdf")
    path = Path(settings.MEDIA_ROOT) / report.file.name
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.rendered_at is not None
    assert report.attempts == 1
    assert audit_of(report)[0].actor == inspector


def test_asking_again_returns_the_same_report(visit, inspector):
    first = reports.request_report(visit, "en", actor=inspector)
    second = reports.request_report(visit, "en", actor=inspector)

    assert first.pk == second.pk
    assert first.document_number == second.document_number
    assert InspectionReport.objects.filter(visit=visit).count() == 1


def test_each_language_has_its_own_document_number(visit, inspector):
    chinese = reports.request_report(visit, "zh-hant", actor=inspector)
    english = reports.request_report(visit, "en", actor=inspector)

    assert chinese.document_number != english.document_number


def test_an_unfinished_visit_or_an_unknown_language_has_no_report(premises, inspector, visit):
    unfinished = make_completed_visit(premises, inspector, assess=False)
    unfinished.completed_at = None
    unfinished.save()

    with pytest.raises(ValidationError, match="not completed"):
        reports.request_report(unfinished, actor=inspector)
    with pytest.raises(ValidationError):
        reports.request_report(visit, "fr", actor=inspector)
    assert not InspectionReport.objects.exists()


def test_a_business_user_cannot_ask_for_a_report(visit, owner):
    with pytest.raises(PermissionDenied):
        reports.request_report(visit, actor=owner)


def test_running_the_task_twice_leaves_one_report_with_the_same_number(visit, inspector):
    report = reports.request_report(visit, actor=inspector)

    assert render_report_task.delay(report.pk).get() == ReportStatus.READY
    rendered = InspectionReport.objects.get(pk=report.pk)
    assert render_report_task.delay(report.pk).get() == ReportStatus.READY

    again = InspectionReport.objects.get(visit=visit)
    assert again.pk == report.pk
    assert again.document_number == report.document_number
    assert (again.file.name, again.sha256, again.rendered_at, again.attempts) == (
        rendered.file.name,
        rendered.sha256,
        rendered.rendered_at,
        1,
    )


def test_only_one_worker_claims_a_report(visit, inspector):
    report = reports.request_report(visit, actor=inspector)

    assert reports.claim(report.pk) is True
    assert reports.claim(report.pk) is False
    # The one that lost leaves the report to the winner.
    assert reports.render(report.pk) == ReportStatus.RENDERING


def test_a_failed_render_says_why_and_can_be_retried(visit, inspector, monkeypatch):
    report = reports.request_report(visit, "en", actor=inspector)

    def broken(data):
        raise RuntimeError("the font cache is unreadable")

    monkeypatch.setattr("inspections.reports.render.render_report", broken)
    assert reports.render(report.pk) == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "could not be rendered" in report.error
    assert "the font cache is unreadable" in report.error
    assert report.attempts == 1
    assert not report.file

    monkeypatch.undo()
    retried = reports.retry_report(inspector, report)
    assert retried.status == ReportStatus.PENDING
    assert reports.render(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == (ReportStatus.READY, "", 2)
    entries = audit_of(report)
    assert [entry.changes.get("status") for entry in entries[1:]] == [
        ["rendering", "failed"],
        ["failed", "pending"],
        ["rendering", "ready"],
    ]
    assert entries[2].actor == inspector


def test_the_soft_time_limit_fails_the_report_with_a_reason(visit, inspector, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    report = reports.request_report(visit, "en", actor=inspector)

    def slow(data):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr("inspections.reports.render.render_report", slow)
    assert reports.render(report.pk) == ReportStatus.FAILED
    report.refresh_from_db()
    assert "took too long" in report.error


def test_a_ready_report_is_rendered_again_only_when_an_administrator_forces_it(
    visit, inspector, administrator, settings
):
    report = make_report(visit)
    old_path = Path(settings.MEDIA_ROOT) / report.file.name

    assert reports.retry_report(inspector, report).status == ReportStatus.READY  # a no-op
    with pytest.raises(PermissionDenied):
        reports.retry_report(inspector, report, force=True)

    forced = reports.retry_report(administrator, report, force=True)
    assert forced.status == ReportStatus.PENDING
    with transaction.atomic():
        assert reports.render(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    assert report.document_number == forced.document_number
    assert (Path(settings.MEDIA_ROOT) / report.file.name).read_bytes().startswith(b"%PDF")
    assert report.file.name != old_path.name


def test_the_replaced_file_is_removed_after_commit(
    visit, administrator, settings, django_capture_on_commit_callbacks
):
    report = make_report(visit)
    old_path = Path(settings.MEDIA_ROOT) / report.file.name
    reports.retry_report(administrator, report, force=True)

    with django_capture_on_commit_callbacks(execute=True):
        reports.render(report.pk)

    assert not old_path.exists()


def test_rendering_is_routed_to_its_own_queue_with_time_limits():
    route = celery_app.amqp.router.route({}, render_report_task.name)

    assert route["queue"].name == "reports"
    assert render_report_task.soft_time_limit == 60
    assert render_report_task.time_limit == 90


def test_the_docker_worker_listens_on_the_reports_queue_with_a_memory_ceiling_per_child():
    compose = (ROOT / "docker-compose.yml").read_text()

    (command,) = [line for line in compose.splitlines() if '"-Q", "reports"' in line]
    assert '"--max-memory-per-child=307200"' in command  # KiB: 300 MiB
    assert '"--max-tasks-per-child=' in command
