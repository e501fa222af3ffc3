"""Request ids into logs, tasks and the outbox; JSON logs; metrics and Sentry off by default;
the scheduled jobs in the database and the admin (issue 17, what operators expect)."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
import sentry_sdk
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal import beat, outbox
from portal.celery import app as celery_app
from portal.models import AuditEntry, OutboxMessage, TaskRun
from portal.observability import JsonFormatter, RequestIdFilter, request_id_as
from tests.workers import running_worker, wait_for

pytestmark = pytest.mark.django_db


# --- Request ids ------------------------------------------------------------------------


def test_each_response_carries_a_request_id_and_a_callers_own_is_kept(client):
    fresh = client.get(reverse("health-live"))["X-Request-ID"]
    again = client.get(reverse("health-live"))["X-Request-ID"]
    assert fresh and again and fresh != again

    kept = client.get(reverse("health-live"), headers={"X-Request-ID": "lb-7f3a.1"})
    assert kept["X-Request-ID"] == "lb-7f3a.1"
    # Nothing that could forge log lines is taken over.
    forged = client.get(reverse("health-live"), headers={"X-Request-ID": 'x"\n{"level"'})
    assert forged["X-Request-ID"] != 'x"\n{"level"'
    assert len(forged["X-Request-ID"]) == 32


def test_a_log_line_is_one_json_object_with_the_request_id():
    record = logging.LogRecord("portal.test", logging.WARNING, __file__, 1, "sent %s", (3,), None)
    record.topic = "enforcement.violation_closed"
    with request_id_as("req-123"):
        RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "sent 3"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "portal.test"
    assert entry["request_id"] == "req-123"
    assert entry["topic"] == "enforcement.violation_closed"


def test_a_follow_up_keeps_the_id_of_the_request_that_wrote_it():
    with request_id_as("approval-42"):
        message = outbox.add("enforcement.violation_closed", {"violation": 0})

    assert OutboxMessage.objects.get(pk=message.pk).request_id == "approval-42"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_requests_id_reaches_the_log_of_the_task_it_queued_on_a_real_worker(
    tmp_path, client, administrator, settings, monkeypatch
):
    """An administrator retries a follow-up from the admin; the worker's delivery logs
    under that request's id, and the run is recorded (outcome, duration)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    message = OutboxMessage.objects.create(
        topic="enforcement.violation_closed", payload={"violation": 0}, attempts=10
    )
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    client.force_login(administrator)

    with running_worker(tmp_path, "celery", env={"DJANGO_LOG_FORMAT": "json"}) as (process, log):
        response = client.post(
            reverse("admin:portal_outboxmessage_changelist"),
            {"action": "retry_now", "_selected_action": [message.pk]},
            headers={"X-Request-ID": request_id},
        )
        assert response.status_code == 302
        wait_for(
            lambda: TaskRun.objects.filter(
                task="portal.tasks.deliver_outbox", finished_at__isnull=False
            ).exists(),
            process,
            log,
        )

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == request_id]
    # The handler's failure (no such violation) is logged on the worker under the id.
    assert any(line["message"].startswith(f"Outbox message {message.pk}") for line in mine), lines[
        -10:
    ]
    run = TaskRun.objects.get(task="portal.tasks.deliver_outbox")
    assert run.outcome == TaskRun.Outcome.SUCCEEDED
    assert run.duration_ms is not None and run.runs >= 1


# --- Metrics and Sentry: off by default --------------------------------------------------


def test_metrics_are_off_by_default(client):
    assert client.get(reverse("metrics")).status_code == 404


def test_metrics_when_enabled_need_the_token_or_an_allowed_address(client, settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = "metrics-token-1"
    settings.METRICS_ALLOWED_IPS = []
    OutboxMessage.objects.create(topic="enforcement.violation_closed", payload={})
    client.get(reverse("health-live"))  # a request to count

    assert client.get(reverse("metrics")).status_code == 403
    wrong = client.get(reverse("metrics"), headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    response = client.get(reverse("metrics"), headers={"Authorization": "Bearer metrics-token-1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'portal_http_requests_total{method="GET",status="2xx"}' in text
    assert 'portal_outbox_backlog{state="due"} 1.0' in text
    assert "portal_celery_tasks_total" in text or "portal_celery_tasks" in text

    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]  # the test client's address
    assert client.get(reverse("metrics")).status_code == 200


def test_sentry_is_off_unless_a_dsn_is_set():
    from portal.observability import init_sentry

    assert not sentry_sdk.get_client().is_active()
    assert init_sentry("") is False
    assert not sentry_sdk.get_client().is_active()
    try:
        assert init_sentry("https://public@127.0.0.1:9/1", environment="test") is True
        assert sentry_sdk.get_client().is_active()
        assert sentry_sdk.get_client().should_send_default_pii() is False
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.init()  # back to no client


# --- Scheduled jobs ---------------------------------------------------------------------


def test_the_schedule_is_written_to_the_database_once_and_changes_survive(settings):
    created = beat.sync_new_entries()
    assert sorted(created) == sorted(settings.CELERY_BEAT_SCHEDULE)
    sweep = PeriodicTask.objects.get(name="compliance-deadline-sweep")
    assert sweep.task == "compliance.tasks.deadline_sweep"
    assert sweep.queue == "deadlines"
    assert AuditEntry.objects.filter(
        object_type="django_celery_beat.periodictask", object_id=str(sweep.pk)
    ).exists()

    # An administrator disables it; the next start of beat keeps that.
    PeriodicTask.objects.filter(pk=sweep.pk).update(enabled=False)
    assert beat.sync_new_entries() == []
    beat.DatabaseScheduler.setup_schedule(type("Beat", (), {"app": celery_app})())
    assert PeriodicTask.objects.get(pk=sweep.pk).enabled is False


def test_the_admin_lists_each_job_with_its_last_run_and_audits_a_change(client, administrator):
    beat.sync_new_entries()
    now = timezone.now()
    TaskRun.objects.create(
        task="compliance.tasks.deadline_sweep",
        started_at=now,
        finished_at=now,
        outcome=TaskRun.Outcome.FAILED,
        duration_ms=4200,
        runs=3,
        failures=1,
    )
    client.force_login(administrator)

    url = reverse("admin:django_celery_beat_periodictask_changelist")
    page = client.get(url).content.decode()
    assert "compliance-deadline-sweep" in page
    assert "4.2 s" in page
    assert "failed" in page

    sweep = PeriodicTask.objects.get(name="compliance-deadline-sweep")
    response = client.post(url, {"action": "disable_tasks", "_selected_action": [sweep.pk]})
    assert response.status_code == 302
    assert PeriodicTask.objects.get(pk=sweep.pk).enabled is False
    assert AuditEntry.objects.filter(
        object_type="django_celery_beat.periodictask", object_id=str(sweep.pk), actor=administrator
    ).exists()
