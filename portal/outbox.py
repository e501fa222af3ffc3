"""Deliver the transactional outbox: each message once it is committed, retried until done.

Apps register a handler per topic (in ``AppConfig.ready``) and write messages with
:func:`add` in the transaction of the change that causes them. :func:`deliver` claims
a batch of undelivered messages with ``FOR UPDATE SKIP LOCKED`` (two delivery jobs
never take the same message), runs each handler and marks them delivered in the same
transaction. A handler that writes only to the database therefore takes effect exactly
once; one with an outside effect (an email) at least once, so it must tolerate a
repeat. A failing handler leaves its message undelivered with the error and a later
due time (exponential back-off); after :data:`MAX_ATTEMPTS` it waits for an operator.

A queue's messages are delivered by :data:`DELIVER_TASK` in batches, unless a task of its
own was named with :func:`delivered_by` (the "reports" queue: one rendering per run,
under that task's time limits, :mod:`portal.pdf.jobs`).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import mail, queueing
from portal.models import OutboxMessage
from portal.observability import current_request_id, request_id_as

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# Messages claimed, delivered and marked delivered per transaction by :func:`deliver`.
BATCH = 100
DEFAULT_QUEUE = "celery"
# Named, not imported: portal.tasks imports this module (tasks → services).
DELIVER_TASK = "portal.tasks.deliver_outbox"


@dataclasses.dataclass(frozen=True)
class Handler:
    topic: str
    function: Callable[[dict], None]
    queue: str


_HANDLERS: dict[str, Handler] = {}
# Queues delivered by a task other than DELIVER_TASK: queue -> the task's name.
_DELIVER_TASKS: dict[str, str] = {}


def handler(topic: str, *, queue: str = DEFAULT_QUEUE):
    """Register the decorated function as the handler of ``topic`` (delivered on ``queue``)."""

    def register(function: Callable[[dict], None]) -> Callable[[dict], None]:
        _HANDLERS[topic] = Handler(topic, function, queue)
        return function

    return register


def delivered_by(queue: str, task: str) -> None:
    """Have the Celery task named ``task`` (called with the queue) deliver ``queue``."""
    _DELIVER_TASKS[queue] = task


def deliver_task(queue: str) -> str:
    """Return the name of the task that delivers ``queue``'s messages."""
    return _DELIVER_TASKS.get(queue, DELIVER_TASK)


def topics_of(queue: str) -> list[str]:
    """Return the topics delivered by workers of ``queue``."""
    return sorted(topic for topic, h in _HANDLERS.items() if h.queue == queue)


def queues() -> list[str]:
    return sorted({h.queue for h in _HANDLERS.values()} | {DEFAULT_QUEUE})


def add(topic: str, payload: dict, *, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Write a follow-up for ``topic`` in the current transaction; wake delivery on commit.

    With ``dedupe_key``, a message already written under that key is kept and None is
    returned (the follow-up is written once however often this is called).
    """
    if topic not in _HANDLERS:
        raise ValueError(f"No outbox handler for {topic!r}")
    if dedupe_key is not None:
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={"topic": topic, "payload": payload, "request_id": current_request_id()},
        )
        if not created:
            return None
    else:
        message = OutboxMessage.objects.create(
            topic=topic, payload=payload, request_id=current_request_id()
        )
    wake(_HANDLERS[topic].queue)
    return message


def wake(queue: str = DEFAULT_QUEUE) -> None:
    """Queue a delivery run on ``queue`` after the current transaction commits."""
    queueing.apply_on_commit(deliver_task(queue), args=[queue], queue=queue, robust=True)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait before the next attempt: 30 s doubling, at most 6 hours."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def deliver(queue: str = DEFAULT_QUEUE, *, limit: int = 500, batch: int = BATCH) -> int:
    """Deliver up to ``limit`` due messages of ``queue``'s topics; return how many succeeded.

    In transactions of ``batch`` messages (one claim, one update of the delivered) sharing
    one mail connection for the whole run (:mod:`portal.mail`): greeting the relay and
    committing once per message cost more than the messages themselves.
    """
    topics = topics_of(queue)
    delivered = 0
    left = limit
    with mail.one_connection():
        while left > 0:
            claimed, succeeded = _deliver_batch(topics, min(batch, left))
            delivered += succeeded
            left -= claimed
            if claimed < min(batch, left + claimed):
                break
    return delivered


def _deliver_batch(topics: list[str], size: int) -> tuple[int, int]:
    """Claim up to ``size`` due messages and deliver them in one transaction.

    Each handler runs in a savepoint of its own: a failing one is rolled back alone and
    its message waits for a retry, the others are marked delivered by one update. A
    worker that dies mid-batch leaves the whole batch due again (its e-mails may then be
    sent twice: delivery is at least once). Returns (claimed, delivered).
    """
    task_id = current_request_id()
    with transaction.atomic():
        messages = list(
            _due(topics).select_for_update(skip_locked=True).order_by("available_at", "id")[:size]
        )
        done: list[int] = []
        for message in messages:
            try:
                with transaction.atomic(), request_id_as(message.request_id or task_id):
                    _HANDLERS[message.topic].function(message.payload)
            except Exception as error:
                logger.exception("Outbox message %s (%s) failed", message.pk, message.topic)
                mail.discard()  # the next message opens a fresh connection
                _failed(message, error)
            else:
                done.append(message.pk)
        if done:
            OutboxMessage.objects.filter(pk__in=done).update(
                delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    return len(messages), len(done)


def _failed(message: OutboxMessage, error: Exception) -> None:
    """Keep the error of a failed delivery and put the message off (exponential back-off)."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        available_at=timezone.now() + backoff(message.attempts + 1),
    )


def deliver_next(queue: str = DEFAULT_QUEUE) -> int | None:
    """Deliver the next due message of ``queue``'s topics: 1 if delivered, 0 if it failed,
    None if none is due (or every due one is being delivered by another job)."""
    return _deliver_one(topics_of(queue))


def has_due(queue: str = DEFAULT_QUEUE) -> bool:
    """Return whether a message of ``queue``'s topics is due (delivered by nobody yet)."""
    return _due(topics_of(queue)).exists()


def _due(topics: list[str]):
    return OutboxMessage.objects.filter(
        delivered_at__isnull=True,
        available_at__lte=timezone.now(),
        attempts__lt=MAX_ATTEMPTS,
        topic__in=topics,
    )


def _deliver_one(topics: list[str]) -> int | None:
    """Deliver the next due message: 1 if delivered, 0 if it failed, None if none is due."""
    with transaction.atomic():
        message = (
            _due(topics).select_for_update(skip_locked=True).order_by("available_at", "id").first()
        )
        if message is None:
            return None
        try:
            with transaction.atomic(), request_id_as(message.request_id or current_request_id()):
                _HANDLERS[message.topic].function(message.payload)
        except Exception as error:
            logger.exception("Outbox message %s (%s) failed", message.pk, message.topic)
            _failed(message, error)
            return 0
        OutboxMessage.objects.filter(pk=message.pk).update(
            delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        return 1
