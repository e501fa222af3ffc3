"""A delivery run sends its e-mails over one SMTP connection and marks them in batches.

The e-mails go over real SMTP to a local server (``_smtp_sink``), which counts the
connections the portal opened and the messages it received.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.management.commands._smtp_sink import SmtpSink
from portal import outbox
from portal.models import OutboxMessage
from tests.factories import make_violation

pytestmark = pytest.mark.django_db

TOPIC = "enforcement.violation_closed"  # a real follow-up: an e-mail to the business


@pytest.fixture
def sink(settings):
    with SmtpSink() as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        yield running


def closed_violations(premises, count: int) -> list[OutboxMessage]:
    violations = [
        make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 2)) for _ in range(count)
    ]
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=TOPIC, payload={"violation": v.pk}) for v in violations
    )


def test_a_delivery_run_sends_all_its_emails_over_one_smtp_connection(premises, sink):
    closed_violations(premises, 12)

    assert outbox.deliver("celery") == 12

    assert sink.counts == {"connections": 1, "messages": 12}
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


def test_a_batch_is_claimed_and_marked_delivered_in_one_transaction(premises, sink):
    closed_violations(premises, 30)

    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver("celery", batch=10) == 30

    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    updates = [s for s in statements if s.startswith('UPDATE "PORTAL_OUTBOXMESSAGE"')]
    claims = [s for s in statements if "FOR UPDATE SKIP LOCKED" in s]
    assert len(updates) == 3  # one per batch of ten, not one per message
    assert len(claims) == 4  # three full batches, then one that finds nothing


def test_a_failing_message_waits_for_its_retry_and_its_batch_is_delivered(premises, sink):
    good = closed_violations(premises, 3)
    broken = OutboxMessage.objects.create(topic=TOPIC, payload={"violation": 0})

    assert outbox.deliver("celery") == 3

    broken.refresh_from_db()
    assert broken.delivered_at is None
    assert broken.attempts == 1
    assert broken.last_error.startswith("DoesNotExist")
    assert (
        OutboxMessage.objects.filter(
            pk__in=[m.pk for m in good], delivered_at__isnull=False
        ).count()
        == 3
    )
    assert sink.counts["messages"] == 3
