"""Queue a Celery task by its name once the current transaction commits.

Tasks call services, never the reverse (design.md: tasks → services), so a service that
wants a job run after its transaction names the task, as the beat schedule does, instead
of importing the tasks module that imports it. Each app imports its tasks module in
``AppConfig.ready``, so every name is registered in every process (web, worker, shell).
"""

from __future__ import annotations

from celery import Task
from django.db import transaction

from portal.celery import app


def task(name: str) -> Task:
    """Return the registered Celery task called ``name`` (e.g. "portal.tasks.deliver_outbox")."""
    try:
        return app.tasks[name]
    except KeyError:
        raise LookupError(
            f"No Celery task {name!r}: its app must import its tasks module in AppConfig.ready."
        ) from None


def delay_on_commit(name: str, *args) -> None:
    """Queue the task ``name`` with ``args`` once the current transaction commits."""
    task(name).delay_on_commit(*args)


def apply_on_commit(name: str, *, args: list, queue: str, robust: bool = False) -> None:
    """Queue the task ``name`` on ``queue`` once the current transaction commits."""
    found = task(name)
    transaction.on_commit(lambda: found.apply_async(args=args, queue=queue), robust=robust)
