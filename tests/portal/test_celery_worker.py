"""A real Celery worker, started as a process, runs queued tasks against the real services."""

from __future__ import annotations

import uuid

import pytest
from celery.result import EagerResult

from portal.celery import app as celery_app
from portal.models import AuditEntry
from portal.tasks import HEARTBEAT_ACTOR, HEARTBEAT_OBJECT_TYPE, record_heartbeat
from tests.workers import running_worker, wait_for


def heartbeats(key: str):
    return AuditEntry.objects.filter(object_type=HEARTBEAT_OBJECT_TYPE, object_id=key)


@pytest.mark.django_db
def test_a_heartbeat_is_recorded_once_however_often_it_runs():
    key = f"eager-{uuid.uuid4().hex}"

    record_heartbeat.delay(key)
    record_heartbeat.delay(key)

    entry = heartbeats(key).get()
    assert entry.actor is None
    assert entry.actor_label == HEARTBEAT_ACTOR


@pytest.fixture
def worker(tmp_path, transactional_db):
    """Start ``celery -A portal worker`` on a queue of its own; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex}"
    with running_worker(tmp_path, queue, name=queue) as (process, log):
        yield process, queue, log


@pytest.mark.services
def test_a_real_worker_runs_a_queued_task_and_runs_a_repeat_without_a_second_entry(
    worker, settings, monkeypatch
):
    process, queue, log = worker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    key, marker = f"worker-{uuid.uuid4().hex}", f"marker-{uuid.uuid4().hex}"

    queued = record_heartbeat.apply_async(args=[key], queue=queue)
    assert not isinstance(queued, EagerResult)  # sent to Redis, not run in this process
    wait_for(lambda: heartbeats(key).exists(), process, log)

    # The worker takes one task at a time, in order: once the marker is written,
    # the repeated heartbeat has run too.
    record_heartbeat.apply_async(args=[key], queue=queue)
    record_heartbeat.apply_async(args=[marker], queue=queue)
    wait_for(lambda: heartbeats(marker).exists(), process, log)

    assert heartbeats(key).count() == 1
    assert heartbeats(key).get().actor_label == HEARTBEAT_ACTOR
