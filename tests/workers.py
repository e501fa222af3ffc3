"""Start a real Celery worker process against the test database and Redis (for `services` tests)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def database_url_of(db_settings: dict) -> str:
    """Return a DATABASE_URL naming the database the tests run in (``test_…``)."""
    credentials = quote(db_settings["USER"] or "", safe="")
    if db_settings["PASSWORD"]:
        credentials += ":" + quote(db_settings["PASSWORD"], safe="")
    host = db_settings["HOST"] or "localhost"
    port = f":{db_settings['PORT']}" if db_settings["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db_settings['NAME'], safe='')}"


def wait_for(condition, process, log: Path, seconds: float = 60, interval: float = 0.2) -> None:
    """Wait until ``condition()`` holds, failing with the worker's log if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log.read_text()}")
        time.sleep(interval)
    pytest.fail(f"Nothing happened within {seconds} s. Worker log:\n{log.read_text()}")


@contextlib.contextmanager
def running_worker(
    tmp_path: Path,
    queues: str,
    *,
    name: str | None = None,
    env: dict | None = None,
    pool: str = "solo",
) -> Iterator[tuple[subprocess.Popen, Path]]:
    """Run ``celery -A portal worker -Q <queues>`` until the block ends.

    ``pool="prefork"`` runs the task in one child process, as docker-compose's workers do.

    Skips when there is no broker (REDIS_URL) or the database is not PostgreSQL. Yields
    only once the worker answers a ping, so nothing waits in Redis meanwhile.
    """
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: there is no broker for a real worker.")
    if connection.vendor != "postgresql":
        pytest.skip("A worker process cannot share the in-memory SQLite test database.")
    name = name or f"test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_of(settings.DATABASES["default"]),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}",
        "--concurrency=1", f"--queues={queues}", f"--hostname={name}@%h", "--without-gossip",
        "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
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
