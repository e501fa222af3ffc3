"""The row of each deadline sweep run, and telling a run still going from one that died.

A run holds a PostgreSQL advisory lock keyed by its id while it works; the lock goes
with the connection, so when the process running it is killed (SIGKILL, a lost
machine) the lock is released although the row still says *running*. Each new run
therefore marks the running rows whose lock it can take as failed: interrupted. What
an interrupted run committed stays (every chunk is whole); the new run finishes the rest.
"""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.choices import SweepStatus
from compliance.models import SweepRun

SWEEP_ACTOR = "deadline-sweep"
# The first key of the two-key advisory locks that mark live runs ("SW").
LOCK_NAMESPACE = 0x5357


def _interrupted_reason() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Interrupted: the process running it stopped before it finished (e.g. a worker "
            "was killed). What it committed stands; a later run finished the rest."
        )


def _try_lock(run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, run_id])
        return bool(cursor.fetchone()[0])


def _unlock(run_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, run_id])


def mark_interrupted() -> int:
    """Mark the running runs whose process is gone as failed; return how many."""
    if connection.vendor != "postgresql":
        return 0
    dead = []
    for run_id in SweepRun.objects.filter(status=SweepStatus.RUNNING).values_list("pk", flat=True):
        if _try_lock(run_id):
            _unlock(run_id)
            dead.append(run_id)
    if not dead:
        return 0
    return SweepRun.objects.filter(pk__in=dead, status=SweepStatus.RUNNING).update(
        status=SweepStatus.FAILED, finished_at=timezone.now(), error=_interrupted_reason()
    )


def start_run(day: datetime.date, actor=None) -> SweepRun:
    """Record the start of a sweep for ``day`` (committed at once, so fines can cite it)."""
    mark_interrupted()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return SweepRun.objects.create(
        day=day,
        triggered_by=user,
        actor_label=user.get_username() if user else SWEEP_ACTOR,
    )


@contextlib.contextmanager
def alive(run: SweepRun):
    """Hold the run's advisory lock while the block runs: it shows the run is alive."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, run.pk])
    try:
        yield
    finally:
        _unlock(run.pk)
