"""The beat schedule in the database, where administrators see and change it.

django-celery-beat's scheduler writes every ``CELERY_BEAT_SCHEDULE`` entry over its row
each time beat starts, which would undo an administrator's change (a time moved, a job
disabled) at the next restart. :func:`sync_new_entries` writes only the entries that
have no row yet; :class:`DatabaseScheduler` does that instead of overwriting, and
``manage.py sync_beat_schedule`` does the same at deployment (the migrate service).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_celery_beat import schedulers
from django_celery_beat.models import PeriodicTask

from portal import audit
from portal.choices import AuditAction

SYNC_ACTOR = "beat-schedule-sync"


def sync_new_entries(schedule: dict | None = None) -> list[str]:
    """Create the rows of the schedule's entries that have none; return their names."""
    schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
    created = []
    with transaction.atomic():
        existing = set(PeriodicTask.objects.values_list("name", flat=True))
        for name, entry in schedule.items():
            if name in existing:
                continue
            fields = schedulers.ModelEntry._unpack_fields(**entry)
            row = PeriodicTask.objects.create(name=name, **fields)
            audit.record(
                actor=None,
                actor_label=SYNC_ACTOR,
                action=AuditAction.CREATE,
                instance=row,
                changes={"task": [None, row.task], "schedule": [None, str(row.schedule)]},
            )
            created.append(name)
    return created


class DatabaseScheduler(schedulers.DatabaseScheduler):
    """django-celery-beat's scheduler, adding new entries but never overwriting a row."""

    def setup_schedule(self) -> None:
        sync_new_entries(self.app.conf.beat_schedule)
