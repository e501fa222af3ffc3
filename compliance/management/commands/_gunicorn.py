"""Start gunicorn the way the production image does, for the benchmarks that time HTTP,
and send it requests from concurrent clients.

``benchmark_city`` and ``benchmark_status_api`` measure the product beside bare baseline
views served by the same gunicorn (DEBUG off, the settings module given), in the same
minute; both start it here.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process uses, for the gunicorn it starts."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def start(
    settings_module: str,
    *,
    workers: int,
    threads: int,
    cwd: Path | str | None = None,
    collect_static: bool = False,
) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on a free port with DEBUG off; return the process and its port.

    ``collect_static`` collects the static files first (DEBUG off serves their hashed
    names, as the image does) for benchmarks that render pages.
    """
    cwd = cwd or settings.BASE_DIR
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY or secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    # One directory per benchmark: one collecting while another's gunicorn scans the same
    # files at start (the tests run side by side) made that gunicorn fail. It exists even
    # when nothing is collected (whitenoise warns about a missing one).
    static_root = settings.BASE_DIR / "var" / "benchmark-static" / settings_module.split(".")[-1]
    static_root.mkdir(parents=True, exist_ok=True)
    env["DJANGO_STATIC_ROOT"] = str(static_root)
    if collect_static:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=cwd,
            check=True,
        )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, env=env, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn exited at start; see its output above.")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise CommandError("gunicorn did not answer within 60 s.")


def load(
    port: int,
    path_of: Callable[[int, int], str],
    headers: dict,
    requests: int,
    concurrency: int,
) -> tuple[float, float, float]:
    """GET ``path_of(client, index)`` ``requests`` times on each of ``concurrency``
    connections at once, after two untimed each (the connection open, the worker warm).

    Returns the median and p95 (ms) of every timed request and the requests a second of
    the whole run, so a server that queues shows it in both. Any answer but 200 fails.
    """
    times: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(concurrency + 1)

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        path = ""
        try:
            for index in range(requests + 2):
                if index == 2:
                    start.wait()
                path = path_of(number, index)
                began = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - began) * 1000
                if response.status != 200:
                    errors.append(f"GET {path} answered {response.status}.")
                if index >= 2:
                    times.append(elapsed)
        except Exception as error:  # reported below, after the other clients end
            errors.append(f"GET {path}: {error!r}")
            start.abort()
        finally:
            conn.close()

    clients = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in clients:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: below
        start.wait()
    began = time.perf_counter()
    for thread in clients:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise CommandError(errors[0])
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(times) / wall if wall else 0.0
