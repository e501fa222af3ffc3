"""A real Celery worker, started as a process, runs queued tasks against the real services."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.result import EagerResult
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from portal.models import AuditEntry
from portal.tasks import HEARTBEAT_ACTOR, HEARTBEAT_OBJECT_TYPE, record_heartbeat

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


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


def database_url_of(db_settings: dict) -> str:
    """Return a DATABASE_URL naming the database the tests run in (``test_…``)."""
    credentials = quote(db_settings["USER"] or "", safe="")
    if db_settings["PASSWORD"]:
        credentials += ":" + quote(db_settings["PASSWORD"], safe="")
    host = db_settings["HOST"] or "localhost"
    port = f":{db_settings['PORT']}" if db_settings["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db_settings['NAME'], safe='')}"


@pytest.fixture
def worker(tmp_path, transactional_db):
    """Start ``celery -A portal worker`` on a queue of its own; stop it afterwards."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: there is no broker for a real worker.")
    if connection.vendor != "postgresql":
        pytest.skip("A worker process cannot share the in-memory SQLite test database.")
    queue = f"test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of(settings.DATABASES["default"]),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
        f"--queues={queue}", f"--hostname={queue}@%h", "--without-gossip",
        "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        # Publish only to a worker that is listening, so nothing waits in Redis meanwhile.
        node = f"{queue}@{socket.gethostname()}"
        wait_for(lambda: celery_app.control.ping(destination=[node], timeout=0.5), process, log)
        yield process, queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(condition, process, log: Path) -> None:
    """Wait until ``condition()`` holds, failing with the worker's log if it never does."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"Nothing happened within {WAIT_SECONDS} s. Worker log:\n{log.read_text()}")


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
