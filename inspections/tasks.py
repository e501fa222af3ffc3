"""Celery tasks of the inspections app: thin, idempotent, each calling one service.

``render_report_task`` renders one report on the worker queue "reports"
(``CELERY_TASK_ROUTES``) under a time limit: the soft limit marks the report FAILED with
the reason, the hard limit ends a render that ignores it. Requested reports are queued
through the outbox like every rendered document (:mod:`portal.pdf.jobs`); the task
renders one on demand (an operator, a test).
"""

from celery import shared_task

from inspections.services import reports
from portal.pdf import jobs
from portal.pdf.jobs import TRANSIENT_ERRORS

# A rendering's limits, as for every document rendered from the outbox.
REPORT_SOFT_TIME_LIMIT = jobs.SOFT_TIME_LIMIT
REPORT_TIME_LIMIT = jobs.TIME_LIMIT


@shared_task(
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
)
def render_report_task(report_id: int) -> str:
    """Render the inspection report ``report_id`` if it is waiting; return its status."""
    return reports.render(report_id)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def schedule_due_reinspections(day: str | None = None) -> int:
    """Plan the re-inspections of cases whose missed deadline awaits verification."""
    import datetime

    from django.utils import timezone

    from inspections.services import planning

    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return planning.schedule_due_reinspections(on)
