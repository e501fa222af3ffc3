"""Documents queued through the outbox render on the "reports" queue one per task run,
under the same time limits as the direct report task (a stuck WeasyPrint never holds
the worker)."""

from __future__ import annotations

import collections

import pytest
from django.conf import settings

from inspections.tasks import render_report_task
from portal import outbox, queueing
from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.pdf import jobs
from portal.tasks import deliver_renders

TOPIC = "test.render.recorded"


def test_the_outbox_render_task_has_a_renderings_time_limits():
    assert deliver_renders.name == jobs.RENDER_TASK
    assert (deliver_renders.soft_time_limit, deliver_renders.time_limit) == (60, 90)
    assert (deliver_renders.soft_time_limit, deliver_renders.time_limit) == (
        render_report_task.soft_time_limit,
        render_report_task.time_limit,
    )


def test_the_reports_queue_is_delivered_by_the_time_limited_task():
    route = celery_app.amqp.router.route({}, deliver_renders.name)

    assert route["queue"].name == jobs.QUEUE
    assert outbox.deliver_task(jobs.QUEUE) == jobs.RENDER_TASK
    assert outbox.deliver_task(outbox.DEFAULT_QUEUE) == outbox.DELIVER_TASK
    beat = settings.CELERY_BEAT_SCHEDULE["portal-deliver-outbox-reports"]
    assert (beat["task"], beat["args"]) == (jobs.RENDER_TASK, [jobs.QUEUE])


@pytest.mark.django_db
def test_waking_the_reports_queue_queues_the_time_limited_task(monkeypatch):
    queued = []
    monkeypatch.setattr(
        queueing,
        "apply_on_commit",
        lambda name, *, args, queue, robust=False: queued.append((name, args, queue)),
    )

    outbox.wake(jobs.QUEUE)
    outbox.wake()

    assert queued == [
        (jobs.RENDER_TASK, [jobs.QUEUE], jobs.QUEUE),
        (outbox.DELIVER_TASK, [outbox.DEFAULT_QUEUE], outbox.DEFAULT_QUEUE),
    ]


@pytest.mark.django_db
def test_each_run_delivers_one_message_and_queues_the_next(monkeypatch):
    seen: collections.Counter = collections.Counter()
    handler = outbox.Handler(TOPIC, lambda payload: seen.update([payload["n"]]), jobs.QUEUE)
    monkeypatch.setitem(outbox._HANDLERS, TOPIC, handler)
    monkeypatch.setattr(outbox, "topics_of", lambda queue: [TOPIC])
    woken = []
    monkeypatch.setattr(outbox, "wake", lambda queue="celery": woken.append(queue))
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=TOPIC, payload={"n": n}) for n in range(2)
    )

    runs = [deliver_renders.run(jobs.QUEUE) for _ in range(3)]

    assert runs == [1, 1, 0]
    assert seen == {0: 1, 1: 1}
    # The first run queued the next (one more was due); the last two queued nothing.
    assert woken == [jobs.QUEUE]
