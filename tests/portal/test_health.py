"""/health/live and /health/ready: each check fails when its service is down (issue 17).

Real parts: the database check against a closed port, Redis at a closed port, a real
Celery worker started and stopped, beat's schedule row, the outbox's rows.
"""

from __future__ import annotations

import datetime
import json
import socket
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal import beat, health
from portal.models import OutboxMessage
from tests.workers import running_worker

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_live_answers_anyone_without_checking_anything(client):
    response = client.get(reverse("health-live"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_database_check_fails_when_the_database_is_unreachable():
    assert health.database().ok
    settings_dict = {**connections["default"].settings_dict, "PORT": closed_port()}
    if connections["default"].vendor != "postgresql":
        pytest.skip("A closed port means a network database.")
    down = connections["default"].__class__(settings_dict, alias="health-down")
    try:
        outcome = health.database(connection=down)
    finally:
        down.close()

    assert not outcome.ok
    assert outcome.detail.startswith("database unavailable")


def test_the_redis_check_fails_when_redis_is_unreachable(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("No Redis configured: the check is skipped.")
    assert health.redis().ok

    outcome = health.redis(f"redis://127.0.0.1:{closed_port()}/0")

    assert not outcome.ok
    assert outcome.detail == "Redis unavailable (ConnectionError)"


def test_beat_must_have_sent_its_every_minute_entry_lately():
    assert not health.beat().ok  # never ran
    beat.sync_new_entries()
    entry = PeriodicTask.objects.get(name=django_settings.HEALTH_BEAT_ENTRY)

    entry.last_run_at = timezone.now() - datetime.timedelta(seconds=30)
    entry.save()
    assert health.beat().ok

    entry.last_run_at = timezone.now() - datetime.timedelta(minutes=10)
    entry.save()
    outcome = health.beat()
    assert not outcome.ok
    assert "ago" in outcome.detail


def test_the_outbox_check_fails_when_a_follow_up_waits_too_long():
    OutboxMessage.objects.create(topic="enforcement.violation_closed", payload={})
    assert health.outbox().ok  # due now: delivery has not had its chance yet

    OutboxMessage.objects.update(available_at=timezone.now() - datetime.timedelta(hours=1))
    outcome = health.outbox()

    assert not outcome.ok
    assert "1 due" in outcome.detail


def test_ready_answers_503_with_each_check_and_no_secret(client, settings):
    settings.REDIS_URL = f"redis://:s3cret-redis@127.0.0.1:{closed_port()}/3"
    response = client.get(reverse("health-ready"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert set(body["checks"]) == {"database", "redis", "workers", "beat", "outbox"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "fail"
    assert body["checks"]["beat"]["status"] == "fail"
    text = json.dumps(body)
    for secret in ("s3cret-redis", django_settings.SECRET_KEY, "127.0.0.1", "postgres://"):
        assert secret not in text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_check_follows_a_real_worker_and_ready_says_200_when_all_is_up(
    tmp_path, client, settings, monkeypatch
):
    from portal.celery import app as celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queue = f"health-{uuid.uuid4().hex[:12]}"
    settings.HEALTH_QUEUES = [queue]
    beat.sync_new_entries()
    PeriodicTask.objects.filter(name=settings.HEALTH_BEAT_ENTRY).update(last_run_at=timezone.now())
    assert health.workers().detail == f"no worker answering on: {queue}"

    with running_worker(tmp_path, queue):
        assert health.workers().ok
        response = client.get(reverse("health-ready"))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "ok"

    # The worker stopped: no answer on its queue, and ready says so.
    assert not health.workers().ok
    response = client.get(reverse("health-ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["workers"]["status"] == "fail"


def test_the_demo_without_a_broker_is_ready_with_the_worker_and_beat_checks_skipped(
    client, settings
):
    settings.REDIS_URL = ""  # the demo: SQLite or not, tasks run in-process, no beat

    response = client.get(reverse("health-ready"))

    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "redis": "skipped",
        "workers": "skipped",
        "beat": "skipped",
        "outbox": "ok",
    }
