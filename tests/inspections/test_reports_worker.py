"""A real Celery worker on the "reports" queue renders a report over the real Redis broker."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from celery.result import EagerResult

from inspections.choices import ReportStatus
from inspections.models import InspectionReport
from inspections.services import reports
from inspections.tasks import render_report_task
from portal.celery import app as celery_app
from portal.pdf.formats import roc_date
from tests.inspections.report_builders import DEADLINE, make_completed_visit
from tests.workers import running_worker
from tests.workers import wait_for as _wait_for

WAIT_SECONDS = 90


def wait_for(condition, process, log: Path) -> None:
    """Wait for a render, which takes longer than other tasks."""
    _wait_for(condition, process, log, seconds=WAIT_SECONDS, interval=0.3)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def report_worker(tmp_path, media_root, transactional_db):
    """Start ``celery -A portal worker -Q reports`` against the test database; stop it after."""
    name = f"reports-{uuid.uuid4().hex[:12]}"
    with running_worker(
        tmp_path, "reports", name=name, env={"DJANGO_MEDIA_ROOT": str(media_root)}
    ) as (process, log):
        yield process, log


@pytest.mark.services
def test_a_real_worker_renders_the_report_and_a_repeat_changes_nothing(
    report_worker, premises, inspector, media_root, settings, monkeypatch, tmp_path
):
    process, log = report_worker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    visit = make_completed_visit(premises, inspector)

    # Committed at once (transactional_db): the task is published to the "reports" queue.
    report = reports.request_report(visit, actor=inspector)

    def ready() -> bool:
        return InspectionReport.objects.filter(pk=report.pk, status=ReportStatus.READY).exists()

    wait_for(ready, process, log)
    rendered = InspectionReport.objects.get(pk=report.pk)
    path = media_root / rendered.file.name
    assert path.is_file(), "the worker stored the PDF under the shared MEDIA_ROOT"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert premises.name in text
    assert premises.business.name_zh in text
    assert "第5條第5款" in text
    assert roc_date(DEADLINE) in text  # the ROC calendar: 中華民國115年…
    assert rendered.document_number in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts

    # The same task again, then a marker report: once the marker is ready, the repeat ran.
    queued = render_report_task.delay(report.pk)
    assert not isinstance(queued, EagerResult)
    marker = reports.request_report(visit, "en", actor=inspector)
    wait_for(
        lambda: InspectionReport.objects.filter(pk=marker.pk, status=ReportStatus.READY).exists(),
        process,
        log,
    )
    again = InspectionReport.objects.get(visit=visit, language="zh-hant")
    assert InspectionReport.objects.filter(visit=visit).count() == 2
    assert (again.document_number, again.file.name, again.sha256, again.attempts) == (
        rendered.document_number,
        rendered.file.name,
        rendered.sha256,
        1,
    )
