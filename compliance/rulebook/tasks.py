"""Celery tasks of assessment: thin, idempotent, each calling one service.

Their names stay ``compliance.tasks.*`` (the beat schedule and queued messages use them)."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from compliance.rulebook.services import assessment

TRANSIENT = (OperationalError,)


def _day(value: str | None) -> datetime.date:
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(
    name="compliance.tasks.recompute_status",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def recompute_status(premises_ids: list[int], trigger: str, day: str | None = None) -> int:
    """Assess the given premises again (their data, exemptions or rule book changed)."""
    return assessment.assess_premises(premises_ids, day=_day(day), trigger=trigger)


@shared_task(
    name="compliance.tasks.recompute_all",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def recompute_all(trigger: str, day: str | None = None) -> int:
    """Assess every premises (a rule-book version took effect)."""
    return assessment.assess_premises(None, day=_day(day), trigger=trigger)


@shared_task(
    name="compliance.tasks.nightly_refresh",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def nightly_refresh(day: str | None = None) -> int:
    """Run after midnight Asia/Taipei: re-assess what the new day may change."""
    return assessment.refresh_for_new_day(_day(day))
