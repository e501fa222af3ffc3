"""Celery tasks of the compliance app: thin, idempotent, each calling one service."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from compliance.services import assessment

TRANSIENT = (OperationalError,)


def _day(value: str | None) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def recompute_status(premises_ids: list[int], trigger: str, day: str | None = None) -> int:
    """Assess the given premises again (their data, exemptions or rule book changed)."""
    return assessment.assess_premises(premises_ids, day=_day(day), trigger=trigger)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def recompute_all(trigger: str, day: str | None = None) -> int:
    """Assess every premises (a rule-book version took effect)."""
    return assessment.assess_premises(None, day=_day(day), trigger=trigger)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def nightly_refresh(day: str | None = None) -> int:
    """Run after midnight Asia/Taipei: re-assess what the new day may change."""
    return assessment.refresh_for_new_day(_day(day))


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def deadline_sweep(
    day: str | None = None, actor_id: int | None = None, chunk: int | None = None
) -> dict:
    """Fine the missed deadlines of ``day`` (today in Taipei) exactly once; return figures.

    Safe to run twice or concurrently, and after a killed run (design: exactly-once from
    PostgreSQL unique keys). ``actor_id``: the administrator who asked for it; ``chunk``:
    violations per transaction (default: the ENFORCEMENT_SWEEP_CHUNK setting).
    """
    from compliance.services import sweep
    from portal.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = sweep.sweep(_day(day), actor=actor, chunk=chunk)
    return {
        "run": run.pk,
        "fines": run.fines_issued,
        "closed": run.violations_closed,
        "reminders": run.reminders_queued,
    }
