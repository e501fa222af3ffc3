"""The transactional outbox: failures back off, a message is delivered once, SKIP LOCKED."""

from __future__ import annotations

import collections
import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from portal import outbox
from portal.models import OutboxMessage

QUEUE = "test-outbox"
TOPIC = "test.outbox.recorded"
FAILING = "test.outbox.failing"


@pytest.fixture
def delivered(monkeypatch):
    """Register test handlers on a queue of their own; return what they delivered."""
    seen: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def record(payload: dict) -> None:
        time.sleep(payload.get("sleep", 0))
        with lock:
            seen[payload["n"]] += 1

    def fail(payload: dict) -> None:
        raise RuntimeError("SMTP server said no")

    monkeypatch.setitem(outbox._HANDLERS, TOPIC, outbox.Handler(TOPIC, record, QUEUE))
    monkeypatch.setitem(outbox._HANDLERS, FAILING, outbox.Handler(FAILING, fail, QUEUE))
    return seen


def queue_messages(topic: str, count: int, **payload) -> list[OutboxMessage]:
    """Write messages without waking a delivery job (the test delivers them itself)."""
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=topic, payload={"n": n, **payload}) for n in range(count)
    )


@pytest.mark.django_db
def test_a_failing_handler_leaves_the_message_to_retry_later(delivered):
    (message,) = queue_messages(FAILING, 1)
    before = timezone.now()

    assert outbox.deliver(QUEUE) == 0

    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert message.last_error == "RuntimeError: SMTP server said no"
    assert message.available_at >= before + datetime.timedelta(seconds=30)
    # Not due yet: a second delivery run leaves it alone.
    assert outbox.deliver(QUEUE) == 0
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db
def test_each_failure_waits_longer(delivered):
    (message,) = queue_messages(FAILING, 1)
    waits = []
    for _attempt in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
        started = timezone.now()
        outbox.deliver(QUEUE)
        message.refresh_from_db()
        waits.append(message.available_at - started)

    assert message.attempts == 3
    assert waits[0] < waits[1] < waits[2]
    assert outbox.backoff(1) == datetime.timedelta(seconds=30)
    assert outbox.backoff(2) == datetime.timedelta(seconds=60)
    assert outbox.backoff(50) == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_a_message_that_failed_too_often_waits_for_an_operator(delivered):
    (message,) = queue_messages(TOPIC, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS)

    assert outbox.deliver(QUEUE) == 0
    assert delivered == {}


@pytest.mark.django_db
def test_a_message_is_delivered_once(delivered):
    messages = queue_messages(TOPIC, 3)

    assert outbox.deliver(QUEUE) == 3
    assert outbox.deliver(QUEUE) == 0

    assert delivered == {0: 1, 1: 1, 2: 1}
    for message in messages:
        message.refresh_from_db()
        assert message.delivered_at is not None
        assert message.attempts == 1
        assert message.last_error == ""


@pytest.mark.django_db
def test_a_later_success_clears_the_error(delivered):
    (message,) = queue_messages(TOPIC, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=2, last_error="RuntimeError: x")

    assert outbox.deliver(QUEUE) == 1

    message.refresh_from_db()
    assert (message.attempts, message.last_error) == (3, "")


@pytest.mark.django_db
def test_delivery_takes_only_its_own_queues_topics(delivered):
    other = OutboxMessage.objects.create(topic="enforcement.fine_issued", payload={"fine": 0})
    queue_messages(TOPIC, 1)

    assert outbox.deliver(QUEUE) == 1

    other.refresh_from_db()
    assert other.delivered_at is None and other.attempts == 0


@pytest.mark.django_db
def test_a_dedupe_key_writes_a_follow_up_once(delivered):
    first = outbox.add(TOPIC, {"n": 1}, dedupe_key="test:once")
    second = outbox.add(TOPIC, {"n": 1}, dedupe_key="test:once")

    assert first is not None and second is None
    assert OutboxMessage.objects.filter(dedupe_key="test:once").count() == 1


def test_an_unknown_topic_is_refused():
    with pytest.raises(ValueError, match="No outbox handler"):
        outbox.add("test.outbox.nobody", {})


@pytest.mark.django_db(transaction=True)
def test_two_delivery_jobs_at_once_deliver_each_message_once(delivered):
    """FOR UPDATE SKIP LOCKED on real PostgreSQL: each job skips what the other holds."""
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    count = 60
    # A short pause in each handler keeps both jobs busy at the same time.
    messages = queue_messages(TOPIC, count, sleep=0.01)
    # Batches of ten (not the default hundred): both jobs claim batches while the other works.
    start = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def job():
        try:
            start.wait(timeout=10)
            results.append(outbox.deliver(QUEUE, batch=10))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(results) == count
    assert all(result > 0 for result in results), f"one job did everything: {results}"
    assert set(delivered) == set(range(count))
    assert set(delivered.values()) == {1}
    assert not OutboxMessage.objects.filter(
        pk__in=[m.pk for m in messages], delivered_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_an_operator_retries_a_message_that_gave_up_from_the_admin(client, administrator):
    from django.urls import reverse

    from portal.models import AuditEntry

    message = OutboxMessage.objects.create(
        topic="enforcement.violation_closed",
        payload={"violation": 0},
        attempts=10,
        last_error="SMTPServerDisconnected",
    )
    client.force_login(administrator)
    url = reverse("admin:portal_outboxmessage_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "retry_now", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    # Due again at once, with its attempts counted afresh (delivery runs after the commit).
    assert message.attempts == 0
    assert message.available_at <= timezone.now()
    assert AuditEntry.objects.filter(
        object_type="portal.outboxmessage", object_id=str(message.pk), actor=administrator
    ).exists()


@pytest.mark.django_db
def test_a_run_that_leaves_a_backlog_queues_the_next_run_at_once(
    delivered, settings, django_capture_on_commit_callbacks
):
    """A bulk approval's e-mails: each run takes a batch and wakes the next, beat or not."""
    from portal.tasks import deliver_outbox

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the woken runs run here, one after another
    queue_messages(TOPIC, 1203)
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver_outbox(QUEUE)
    assert first == 500
    assert sum(delivered.values()) == 1203  # the next runs followed without beat
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
