"""Celery tasks of enforcement: the deadline sweep (name kept: ``compliance.tasks.*``)."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

TRANSIENT = (OperationalError,)


def _day(value: str | None) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(
    name="compliance.tasks.deadline_sweep",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def deadline_sweep(
    day: str | None = None, actor_id: int | None = None, chunk: int | None = None
) -> dict:
    """Fine the missed deadlines of ``day`` (today in Taipei) exactly once; return figures.

    Safe to run twice or concurrently, and after a killed run (design: exactly-once from
    PostgreSQL unique keys). ``actor_id``: the administrator who asked for it; ``chunk``:
    violations per transaction (default: the ENFORCEMENT_SWEEP_CHUNK setting).
    """
    from compliance.enforcement.services import sweep
    from portal.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = sweep.sweep(_day(day), actor=actor, chunk=chunk)
    return {
        "run": run.pk,
        "fines": run.fines_issued,
        "closed": run.violations_closed,
        "reminders": run.reminders_queued,
    }
