"""Tasks of the portal app: the worker heartbeat that shows the queue is served, and the
delivery of the outbox.

Operations queue :func:`record_heartbeat` to check that a worker picks up tasks and
can write to the database; the audit log then shows when it last did.
:func:`deliver_outbox` delivers a queue's follow-ups in batches; :func:`deliver_renders`
renders the documents of the "reports" queue one per run, under a rendering's time limits.
:func:`seal_audit_chain` chains the audit entries written since its last run (every
minute) and :func:`verify_audit_chain` checks the whole chain (nightly).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from celery import shared_task
from django.db import OperationalError, connection, transaction

from portal import audit, audit_chain, outbox
from portal.choices import AuditAction
from portal.models import AuditEntry
from portal.pdf import jobs

HEARTBEAT_ACTOR = "celery-worker"
HEARTBEAT_OBJECT_TYPE = "portal.heartbeat"


@dataclass(frozen=True)
class Heartbeat:
    """What a heartbeat entry is about: the check named by its key (not a table row)."""

    pk: str
    _meta = SimpleNamespace(label_lower=HEARTBEAT_OBJECT_TYPE)

    def __str__(self) -> str:
        return f"worker heartbeat {self.pk}"


def write_heartbeat(key: str) -> int:
    """Write the audit entry of heartbeat ``key`` once; return its id.

    Running it again with the same key returns the first entry: a transaction-scoped
    advisory lock on PostgreSQL serialises two deliveries of the same message.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"heartbeat:{key}"])
        existing = (
            AuditEntry.objects.filter(object_type=HEARTBEAT_OBJECT_TYPE, object_id=key)
            .values_list("pk", flat=True)
            .first()
        )
        if existing is not None:
            return existing
        entry = audit.record(
            actor=None,
            actor_label=HEARTBEAT_ACTOR,
            action=AuditAction.CREATE,
            instance=Heartbeat(key),
        )
        return entry.pk


@shared_task(
    name="portal.record_heartbeat",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def record_heartbeat(key: str) -> int:
    """Record that a worker ran this task (idempotent by ``key``)."""
    return write_heartbeat(key)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver_outbox(queue: str = "celery") -> int:
    """Deliver the due outbox messages of ``queue``'s topics; return how many were delivered.

    Queued after each commit that writes messages and every minute by beat (which also
    picks up messages whose delivery job Celery lost). Running it twice at once is safe:
    each message is claimed by one run only. A run that leaves due messages (more than a
    batch: a bulk approval's e-mails) queues the next run instead of waiting for beat.
    """
    delivered = outbox.deliver(queue)
    if delivered and outbox.has_due(queue):
        outbox.wake(queue)
    return delivered


@shared_task(
    name=jobs.RENDER_TASK,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=jobs.SOFT_TIME_LIMIT,
    time_limit=jobs.TIME_LIMIT,
)
def deliver_renders(queue: str = jobs.QUEUE) -> int:
    """Deliver the next due message of ``queue`` (a document to render); 1 if delivered.

    One message per run, so the time limits are a rendering's: the soft limit marks that
    document FAILED with the reason, the hard limit ends a rendering that ignores it. A
    run that took a message queues the next run while another is due.
    """
    outcome = outbox.deliver_next(queue)
    if outcome is None:
        return 0
    if outbox.has_due(queue):
        outbox.wake(queue)
    return outcome


@shared_task(name="portal.seal_audit_chain", autoretry_for=(OperationalError,), max_retries=3)
def seal_audit_chain() -> int:
    """Seal the audit entries written since the last run; return how many.

    Skips at once when another sealer holds the lock (that one seals what is waiting).
    """
    return audit_chain.seal(wait=False)


@shared_task(name="portal.verify_audit_chain")
def verify_audit_chain() -> bool:
    """Verify the audit chain and store the outcome (the admin shows a broken chain)."""
    return audit_chain.verify().ok
