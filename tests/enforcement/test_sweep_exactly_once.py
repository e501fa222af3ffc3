"""Exactly one proposed fine per missed deadline: two sweeps at once, re-runs, a killed worker.

Real PostgreSQL (committed transactions, row locks) throughout; real Celery workers over
the real Redis broker for the task delivered twice at once and again the same night, and
for the worker SIGKILLed as a process group while it sweeps.
"""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from compliance.choices import FineStatus, SweepStatus, ViolationStatus
from compliance.enforcement.services import proposals, sweep
from compliance.models import Fine, RuleBookVersion, SweepRun, Violation, ViolationEvent
from compliance.tasks import deadline_sweep
from portal.celery import app as celery_app
from portal.models import AuditEntry, OutboxMessage
from tests.factories import ensure_rulebook
from tests.workers import ROOT, database_url_of, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

DAY = datetime.date(2026, 12, 1)
MISSED = DAY - datetime.timedelta(days=1)  # the deadline was yesterday: Art. 5-5, 14 days

# Set-based, as a city's worth of violations would be loaded: one statement.
_OVERDUE = """
INSERT INTO compliance_violation
    (article, penalty_article, subject, message_key, finding, parameters, found_on,
     deadline, status, source_reference, opened_at, premises_id, rulebook_version_id,
     fines_issued, fine_due_on)
SELECT '5-5', '15', '', 'test_finding', '{}'::jsonb, '{}'::jsonb,
       %(deadline)s::date - 14, %(deadline)s, 'open', %(prefix)s || g.i, now(),
       %(premises)s, %(version)s, 0, %(deadline)s::date + 1
FROM generate_series(1, %(count)s) AS g(i)
"""


@pytest.fixture(autouse=True)
def _rulebook():
    """A published rule book (a transactional test's flush removes the migration's)."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks, concurrent transactions and a worker need PostgreSQL.")
    ensure_rulebook()


def make_overdue(premises, count: int, deadline: datetime.date = MISSED) -> None:
    """Insert ``count`` open Art. 5-5 violations whose deadline was ``deadline``.

    Each was verified as not rectified the day after it (its fine due from then).
    """
    version = RuleBookVersion.objects.published().order_by("effective_from").first()
    with connection.cursor() as cursor:
        cursor.execute(
            _OVERDUE,
            {
                "deadline": deadline,
                "prefix": f"visit-{uuid.uuid4().hex[:8]}-",
                "premises": premises.pk,
                "version": version.pk,
                "count": count,
            },
        )


def proposed_ids() -> set[int]:
    """The violations with a proposal: their count of fines moved, their deadline cleared."""
    return set(
        Violation.objects.filter(fines_issued=1, deadline__isnull=True).values_list("pk", flat=True)
    )


def assert_whole(expected: int | None = None) -> int:
    """Assert every proposal came with its violation moved, its event and its audit entry."""
    fines = list(Fine.objects.values_list("pk", "violation_id"))
    fine_violations = [violation for _, violation in fines]
    # The proposal's event: no change of state (the official's approval makes it fined).
    events = list(
        ViolationEvent.objects.filter(from_status="open", to_status="open").values_list(
            "violation_id", flat=True
        )
    )
    audited = [
        int(pk)
        for pk in AuditEntry.objects.filter(object_type="compliance.fine").values_list(
            "object_id", flat=True
        )
    ]
    assert len(fines) == len(proposed_ids()) == len(events) == len(audited)
    assert set(fine_violations) == proposed_ids() == set(events)
    assert sorted(audited) == sorted(pk for pk, _ in fines)
    # Nothing is sent about a proposal: the follow-ups wait for the official's decision.
    assert not OutboxMessage.objects.filter(topic=proposals.FINE_TOPIC).exists()
    if expected is not None:
        assert len(fines) == expected
    return len(fines)


def assert_one_fine_each(count: int) -> None:
    """Assert ``count`` violations, each proposed a fine exactly once at step 1."""
    assert Violation.objects.count() == count
    assert Fine.objects.count() == count
    assert set(Fine.objects.values_list("status", flat=True)) == {FineStatus.PROPOSED}
    duplicated = Fine.objects.values("violation_id", "step").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicated.exists()
    states = Counter(Violation.objects.values_list("status", "fines_issued"))
    assert states == {(ViolationStatus.OPEN, 1): count}
    assert_whole(count)


def test_two_sweeps_at_once_share_the_work_and_fine_each_violation_once(premises):
    make_overdue(premises, 3000)
    start = threading.Barrier(2)
    runs: list[SweepRun] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            # Small chunks: many transactions each, so the two sweeps interleave.
            runs.append(sweep.sweep(DAY, chunk=50, deliver=False))
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(runs) == 2
    assert sum(run.fines_issued for run in runs) == 3000
    assert all(run.status == SweepStatus.FINISHED for run in runs)
    # Both took part, each fining the rows it claimed: the work was shared, not doubled.
    assert all(run.fines_issued > 0 for run in runs), [run.fines_issued for run in runs]
    assert {fine.sweep_id for fine in Fine.objects.only("sweep")} == {run.pk for run in runs}
    assert_one_fine_each(3000)


def test_a_rerun_the_same_night_and_the_next_day_issue_nothing(premises):
    make_overdue(premises, 3000)
    assert sweep.sweep(DAY, deliver=False).fines_issued == 3000

    again = sweep.sweep(DAY, deliver=False)
    next_day = sweep.sweep(DAY + datetime.timedelta(days=1), deliver=False)

    assert (again.fines_issued, next_day.fines_issued) == (0, 0)
    # No deadline runs until an official decides and the decision is served.
    assert set(Violation.objects.values_list("deadline", flat=True)) == {None}
    assert_one_fine_each(3000)


# --- A real worker killed mid-sweep -----------------------------------------------------

KILLED_COUNT = 20_000
KILLED_CHUNK = 100  # 200 transactions: the sweep takes seconds, long enough to kill


@contextmanager
def worker_group(tmp_path: Path, queue: str, name: str, concurrency: int = 1):
    """Run a Celery worker (prefork, ``concurrency`` children) in a process group of its own.

    Like ``tests.workers.running_worker``, but in a new session so that the whole group
    (the parent and the child running the task) can be SIGKILLed at once.
    """
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: there is no broker for a real worker.")
    log = tmp_path / f"{name}.log"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_of(settings.DATABASES["default"]),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork",
        f"--concurrency={concurrency}", f"--queues={queue}", f"--hostname={name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        node = f"{name}@{socket.gethostname()}"
        wait_for(lambda: celery_app.control.ping(destination=[node], timeout=0.5), process, log)
        yield process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def test_a_worker_killed_mid_sweep_leaves_whole_chunks_and_the_next_run_finishes(
    premises, tmp_path, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    make_overdue(premises, KILLED_COUNT)
    queue = f"sweep-{uuid.uuid4().hex[:12]}"
    arguments = {"day": DAY.isoformat(), "chunk": KILLED_CHUNK}

    with worker_group(tmp_path, queue, f"{queue}-a") as (process, log):
        deadline_sweep.apply_async(kwargs=arguments, queue=queue)
        wait_for(lambda: Fine.objects.exists(), process, log, seconds=60, interval=0.02)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    # What was committed is whole: chunk by chunk, every proposal with its violation
    # moved, its event and its audit entry, and nothing of a chunk that was cut short.
    done = assert_whole()
    assert 0 < done < KILLED_COUNT, "the worker was killed mid-sweep"
    assert done % KILLED_CHUNK == 0
    killed = SweepRun.objects.get()
    assert killed.status == SweepStatus.RUNNING  # it never finished
    # Its counts are those of the chunks it committed: the fines that cite it.
    assert killed.fines_issued == Fine.objects.filter(sweep=killed).count() == done

    with worker_group(tmp_path, queue, f"{queue}-b") as (process, log):
        deadline_sweep.apply_async(kwargs=arguments, queue=queue)
        wait_for(
            lambda: SweepRun.objects.filter(status=SweepStatus.FINISHED).exists(),
            process,
            log,
            seconds=60,
        )

    finished = SweepRun.objects.filter(status=SweepStatus.FINISHED)
    assert sum(run.fines_issued for run in finished) == KILLED_COUNT - done
    assert all(run.fines_issued == Fine.objects.filter(sweep=run).count() for run in finished)
    assert_one_fine_each(KILLED_COUNT)
    # The killed run no longer claims to be running: the next run saw its lock gone.
    killed.refresh_from_db()
    assert killed.status == SweepStatus.FAILED
    assert killed.error.startswith(("Interrupted", "已中斷", "中斷"))


def test_a_sweep_failing_after_some_chunks_counts_the_fines_it_committed(premises, monkeypatch):
    """An error after three chunks (a lost connection, a bug): the run says what it did."""
    make_overdue(premises, 500)
    written = sweep.write_fines_sql
    calls = 0

    def fail_on_the_fourth_chunk(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 4:
            raise RuntimeError("the database went away")
        return written(*args, **kwargs)

    monkeypatch.setattr(sweep, "write_fines_sql", fail_on_the_fourth_chunk)

    with pytest.raises(RuntimeError, match="went away"):
        sweep.sweep(DAY, chunk=100, workers=1, deliver=False)

    run = SweepRun.objects.get()
    assert run.status == SweepStatus.FAILED
    assert Fine.objects.filter(sweep=run).count() == 300  # three whole chunks, not the fourth
    assert run.fines_issued == 300
    assert_whole(300)

    again = sweep.sweep(DAY, chunk=100, workers=1, deliver=False)
    assert again.fines_issued == Fine.objects.filter(sweep=again).count() == 200
    assert_one_fine_each(500)


def test_two_sweep_tasks_at_once_on_a_real_worker_then_a_redelivered_one_fine_once(
    premises, tmp_path, settings, monkeypatch
):
    """Celery may run the nightly task twice at once and deliver it again later."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    make_overdue(premises, 6000)
    queue = f"sweep-{uuid.uuid4().hex[:12]}"
    arguments = {"day": DAY.isoformat(), "chunk": 100}

    with worker_group(tmp_path, queue, f"{queue}-c", concurrency=2) as (process, log):
        # The same task twice, as a duplicated delivery would: the two children run them.
        deadline_sweep.apply_async(kwargs=arguments, queue=queue)
        deadline_sweep.apply_async(kwargs=arguments, queue=queue)
        wait_for(
            lambda: SweepRun.objects.filter(status=SweepStatus.FINISHED).count() == 2,
            process,
            log,
            seconds=90,
        )
        # And once more the same night (a redelivery after the visibility timeout).
        deadline_sweep.apply_async(kwargs=arguments, queue=queue)
        wait_for(
            lambda: SweepRun.objects.filter(status=SweepStatus.FINISHED).count() == 3,
            process,
            log,
            seconds=60,
        )

    first, second, third = SweepRun.objects.order_by("started_at", "id")
    assert first.fines_issued + second.fines_issued == 6000
    assert third.fines_issued == 0
    assert_one_fine_each(6000)
