"""The deadline work does not wait behind a long batch of follow-ups (issue 17, finding 7).

Two real Celery workers, as docker-compose runs them: one on the follow-ups' queue
("celery"), one on "deadlines". The follow-ups' e-mails go over real SMTP to a slow
local relay (half a second a message), so one delivery run takes about ten seconds;
the deadline sweep queued meanwhile, by its own route, finishes long before it.
"""

from __future__ import annotations

import datetime
import time

import pytest

from compliance.choices import SweepStatus
from compliance.management.commands._smtp_sink import SmtpSink
from compliance.models import SweepRun
from compliance.tasks import deadline_sweep
from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.tasks import deliver_outbox
from tests.factories import ensure_rulebook, make_violation
from tests.workers import running_worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FOLLOW_UPS = 20
MESSAGE_SECONDS = 0.5  # the relay's answer to each message: the batch takes ~10 s
FOUND = datetime.date(2026, 11, 2)


def test_a_deadline_sweep_is_not_delayed_by_a_long_follow_up_batch(
    premises, tmp_path, settings, monkeypatch
):
    ensure_rulebook()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()  # nothing queued by another test of this Redis database
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            topic="enforcement.violation_closed",
            payload={"violation": make_violation(premises, "5-5", found_on=FOUND).pk},
        )
        for _ in range(FOLLOW_UPS)
    )

    (tmp_path / "follow-ups").mkdir()
    (tmp_path / "deadlines").mkdir()
    with (
        SmtpSink(message_delay=MESSAGE_SECONDS) as sink,
        running_worker(tmp_path / "follow-ups", "celery", env=sink.environment()) as (
            follow_ups,
            follow_ups_log,
        ),
        running_worker(tmp_path / "deadlines", "deadlines") as (deadlines, deadlines_log),
    ):
        deliver_outbox.delay("celery")  # routed to "celery", as a bulk approval's wake-up
        wait_for(lambda: sink.counts["messages"] >= 1, follow_ups, follow_ups_log)

        queued = time.monotonic()
        deadline_sweep.delay(day=FOUND.isoformat())  # routed to "deadlines"
        wait_for(
            lambda: SweepRun.objects.filter(status=SweepStatus.FINISHED).exists(),
            deadlines,
            deadlines_log,
            seconds=30,
            interval=0.05,
        )
        waited = time.monotonic() - queued
        sent_meanwhile = sink.counts["messages"]

        wait_for(
            lambda: not OutboxMessage.objects.filter(delivered_at__isnull=True).exists(),
            follow_ups,
            follow_ups_log,
            seconds=60,
        )

    # The sweep ran while the batch was still sending, and did not wait for it.
    assert sent_meanwhile < FOLLOW_UPS, (sent_meanwhile, waited)
    assert waited < FOLLOW_UPS * MESSAGE_SECONDS / 2, waited
    # The whole batch went over one connection to the relay.
    assert sink.counts == {"connections": 1, "messages": FOLLOW_UPS}
