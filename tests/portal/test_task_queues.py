"""The nightly deadline work and the follow-ups run on queues of their own (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

import compliance.tasks  # noqa: F401 - registers the tasks routed below
import inspections.tasks  # noqa: F401
import portal.tasks  # noqa: F401
from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]

DEADLINE_TASKS = (
    "compliance.tasks.nightly_refresh",
    "compliance.tasks.deadline_sweep",
    "inspections.tasks.schedule_due_reinspections",
)
# What follows a bulk approval: the e-mails (and every other outbox delivery) and the PDFs.
FOLLOW_UP_TASKS = ("portal.tasks.deliver_outbox", "portal.tasks.deliver_renders")


def queue_of(task: str) -> str:
    """The queue Celery sends ``task`` to when nothing names one."""
    assert task in celery_app.tasks, f"{task} is not a registered task"
    return celery_app.amqp.router.route({}, task)["queue"].name


@pytest.mark.parametrize("task", DEADLINE_TASKS)
def test_the_nightly_deadline_work_is_routed_to_the_deadlines_queue(task):
    assert queue_of(task) == "deadlines"


def test_the_follow_ups_are_on_their_own_queues_never_the_deadlines_one():
    assert queue_of("portal.tasks.deliver_outbox") == "celery"
    assert queue_of("portal.tasks.deliver_renders") == "reports"
    follow_ups = {queue_of(task) for task in FOLLOW_UP_TASKS}
    assert not follow_ups & {queue_of(task) for task in DEADLINE_TASKS}


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_beat_entry_is_sent_to_the_queue_its_task_is_routed_to(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]

    assert entry.get("options", {}).get("queue") == queue_of(entry["task"])


def test_the_outbox_deliveries_are_woken_on_the_queue_they_deliver():
    from portal import outbox

    for queue in outbox.queues():
        if queue_of(outbox.deliver_task(queue)) != queue:
            pytest.fail(f"{outbox.deliver_task(queue)} delivers {queue} but is routed elsewhere")


def test_docker_runs_a_worker_for_the_deadlines_and_one_for_the_follow_ups():
    compose = (ROOT / "docker-compose.yml").read_text()
    workers = re.findall(r'"worker", "-Q", "([^"]+)"', compose)

    served = [set(queues.split(",")) for queues in workers]
    assert {"deadlines"} in served
    assert {"celery"} in served
    assert {"reports"} in served  # the PDFs, with a memory ceiling per child
    # Every queue a task is routed to is served, and no worker takes the deadline work
    # together with the follow-ups.
    routed = {queue_of(task) for task in DEADLINE_TASKS + FOLLOW_UP_TASKS}
    assert routed <= set().union(*served)
    assert all(not ("deadlines" in queues and queues - {"deadlines"}) for queues in served)
