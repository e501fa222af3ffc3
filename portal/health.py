"""The checks behind ``/health/ready``: what must work for the portal to do its job.

Each check returns a :class:`Check` (ok or not, and a short reason an operator can act
on, never a host name, address or secret). ``/health/live`` checks nothing: the process
answers. The thresholds are settings (``HEALTH_*``).
"""

from __future__ import annotations

import dataclasses
import datetime
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from portal.models import OutboxMessage


@dataclasses.dataclass(frozen=True)
class Check:
    ok: bool
    detail: str = ""
    skipped: bool = False

    def as_json(self, seconds: float) -> dict:
        status = "skipped" if self.skipped else ("ok" if self.ok else "fail")
        result = {"status": status, "ms": round(seconds * 1000)}
        if self.detail:
            result["detail"] = self.detail
        return result


def database(alias: str = "default", connection=None) -> Check:
    """The database answers a query."""
    connection = connection or connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check(False, f"database unavailable ({type(error).__name__})")
    return Check(True)


def redis(url: str | None = None) -> Check:
    """The broker and cache (Redis) answers PING."""
    url = settings.REDIS_URL if url is None else url
    if not url:
        return Check(True, "no Redis configured: tasks run in-process", skipped=True)
    import redis as redis_client

    timeout = settings.HEALTH_TIMEOUT_SECONDS
    client = redis_client.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        client.ping()
    except redis_client.RedisError as error:
        return Check(False, f"Redis unavailable ({type(error).__name__})")
    finally:
        client.close()
    return Check(True)


def workers(queues: list[str] | None = None) -> Check:
    """A worker answers on each queue (Celery remote control, a short timeout)."""
    from portal.celery import app

    queues = list(settings.HEALTH_QUEUES if queues is None else queues)
    if not settings.REDIS_URL:  # the demo: tasks run in-process
        return Check(True, "no broker configured: tasks run in-process", skipped=True)
    try:
        answers = app.control.inspect(timeout=settings.HEALTH_TIMEOUT_SECONDS).active_queues()
    except Exception as error:  # the broker is down: the redis check says so too
        return Check(False, f"no answer from the workers ({type(error).__name__})")
    served = {queue["name"] for found in (answers or {}).values() for queue in found}
    missing = [queue for queue in queues if queue not in served]
    if missing:
        return Check(False, "no worker answering on: " + ", ".join(missing))
    return Check(True, "workers answering on: " + ", ".join(queues))


def beat(now: datetime.datetime | None = None) -> Check:
    """Beat sent its every-minute job recently (django-celery-beat records when it sends)."""
    from django_celery_beat.models import PeriodicTask

    if not settings.REDIS_URL:  # the demo: no broker, no beat, tasks run in-process
        return Check(True, "no broker configured: no beat", skipped=True)
    now = now or timezone.now()
    name = settings.HEALTH_BEAT_ENTRY
    try:
        last = (
            PeriodicTask.objects.filter(name=name, enabled=True)
            .values_list("last_run_at", flat=True)
            .first()
        )
    except DatabaseError as error:
        return Check(False, f"schedule unreadable ({type(error).__name__})")
    if last is None:
        return Check(False, f"beat has not run {name} yet")
    late = (now - last).total_seconds()
    if late > settings.HEALTH_BEAT_MAX_SECONDS:
        return Check(False, f"beat last ran {name} {late:.0f} s ago")
    return Check(True, f"beat ran {name} {late:.0f} s ago")


def outbox_backlog(now: datetime.datetime | None = None) -> dict[str, int]:
    """Undelivered follow-ups: due now, waiting for a retry, given up (an operator's turn)."""
    from django.db.models import Count, Q

    from portal.outbox import MAX_ATTEMPTS

    now = now or timezone.now()
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True)
    return pending.aggregate(
        due=Count("pk", filter=Q(available_at__lte=now, attempts__lt=MAX_ATTEMPTS)),
        waiting=Count("pk", filter=Q(available_at__gt=now, attempts__lt=MAX_ATTEMPTS)),
        gave_up=Count("pk", filter=Q(attempts__gte=MAX_ATTEMPTS)),
    )


def outbox(now: datetime.datetime | None = None) -> Check:
    """No follow-up has been due for longer than ``HEALTH_OUTBOX_MAX_AGE_SECONDS``."""
    from portal.outbox import MAX_ATTEMPTS

    now = now or timezone.now()
    try:
        oldest = (
            OutboxMessage.objects.filter(
                delivered_at__isnull=True, available_at__lte=now, attempts__lt=MAX_ATTEMPTS
            )
            .order_by("available_at")
            .values_list("available_at", flat=True)
            .first()
        )
        counts = outbox_backlog(now)
    except DatabaseError as error:
        return Check(False, f"outbox unreadable ({type(error).__name__})")
    summary = f"{counts['due']} due, {counts['waiting']} waiting, {counts['gave_up']} gave up"
    if oldest is not None:
        age = (now - oldest).total_seconds()
        if age > settings.HEALTH_OUTBOX_MAX_AGE_SECONDS:
            return Check(False, f"oldest due for {age:.0f} s; {summary}")
    return Check(True, summary)


CHECKS = {
    "database": database,
    "redis": redis,
    "workers": workers,
    "beat": beat,
    "outbox": outbox,
}


def run_all() -> tuple[bool, dict]:
    """Run every check; return (all ok, the JSON of each)."""
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = check()
        except Exception as error:  # a check must not turn the answer into a 500
            outcome = Check(False, f"check failed ({type(error).__name__})")
        results[name] = outcome.as_json(time.perf_counter() - started)
        healthy = healthy and outcome.ok
    return healthy, results
