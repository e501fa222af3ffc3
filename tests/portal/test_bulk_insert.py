"""portal.bulk_insert: the JSON statements on PostgreSQL and the demo's path (SQLite)."""

import datetime

import pytest
from django.db import connection

from portal.bulk_insert import insert_rows, update_rows
from portal.models import TaskRun

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
NAMES = ("task", "started_at", "outcome", "error", "runs", "failures")
TASKS = ("sweep", "mail", "pdf", "a", "b", "c")


def _run(task: str, outcome: str, runs: int) -> dict:
    return {
        "task": task,
        "started_at": WHEN,
        "outcome": outcome,
        "error": "錯誤",
        "runs": runs,
        "failures": 0,
    }


def _written() -> list[tuple]:
    rows = TaskRun.objects.filter(task__in=TASKS).order_by("task")
    return list(rows.values_list("task", "outcome", "runs", "error"))


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_an_upsert_inserts_new_rows_and_updates_those_whose_key_is_there(monkeypatch, vendor):
    TaskRun.objects.create(task="sweep", started_at=WHEN, outcome="failed", runs=1)
    # "sqlite": the demo's path (bulk_create with update_conflicts), taken on PostgreSQL.
    monkeypatch.setattr(connection, "vendor", vendor)

    insert_rows(
        TaskRun,
        [_run("sweep", "succeeded", 2), _run("mail", "succeeded", 1), _run("pdf", "failed", 3)],
        NAMES,
        upsert_on="task",
        batch_size=2,
    )

    monkeypatch.undo()
    assert _written() == [
        ("mail", "succeeded", 1, "錯誤"),
        ("pdf", "failed", 3, "錯誤"),
        ("sweep", "succeeded", 2, "錯誤"),
    ]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_update_rows_sets_the_named_fields_of_the_rows_by_id_and_nothing_else(monkeypatch, vendor):
    first, second, _untouched = (
        TaskRun.objects.create(task=name, started_at=WHEN, outcome="failed", runs=1)
        for name in ("a", "b", "c")
    )
    monkeypatch.setattr(connection, "vendor", vendor)

    update_rows(
        TaskRun,
        [{"id": first.pk, "runs": 5, "error": "x"}, {"id": second.pk, "runs": 6, "error": ""}],
        ("runs", "error"),
        batch_size=1,
    )

    monkeypatch.undo()
    assert _written() == [("a", "failed", 5, "x"), ("b", "failed", 6, ""), ("c", "failed", 1, "")]
