"""A real Celery worker on the "reports" queue renders a report over the real Redis broker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.result import EagerResult
from django.conf import settings
from django.db import connection

from inspections.choices import ReportStatus
from inspections.models import InspectionReport
from inspections.services import reports
from inspections.tasks import render_report_task
from portal.celery import app as celery_app
from tests.inspections.report_builders import DEADLINE, make_completed_visit
from tests.portal.test_celery_worker import database_url_of

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


def wait_for(condition, process, log: Path) -> None:
    """Wait until ``condition()`` holds, failing with the worker's log if it never does."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log.read_text()}")
        time.sleep(0.3)
    pytest.fail(f"Nothing happened within {WAIT_SECONDS} s. Worker log:\n{log.read_text()}")


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def report_worker(tmp_path, media_root, transactional_db):
    """Start ``celery -A portal worker -Q reports`` against the test database; stop it after."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: there is no broker for a real worker.")
    if connection.vendor != "postgresql":
        pytest.skip("A worker process cannot share the in-memory SQLite test database.")
    name = f"reports-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of(settings.DATABASES["default"]),
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
        "-Q", "reports", f"--hostname={name}@%h", "--without-gossip",
        "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        node = f"{name}@{socket.gethostname()}"
        wait_for(lambda: celery_app.control.ping(destination=[node], timeout=0.5), process, log)
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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
    assert DEADLINE.isoformat() in text
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
