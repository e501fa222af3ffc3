"""A city's assessment shared by forked processes: the same decisions, one per premises.

These tests commit (the children cannot see an open transaction), so they run on
PostgreSQL with ``transactional_db``; a real Celery worker (prefork, as deployed) runs
the whole-city task the same way.
"""

from __future__ import annotations

import datetime
import os
import signal
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from compliance.choices import EquipmentKind
from compliance.models import ComplianceAssessment, Premises, PremisesStatus
from compliance.rulebook.services import assessment
from compliance.tasks import recompute_all
from portal import forked
from portal.celery import app as celery_app
from tests.compliance.decisions import chiller_without_meter
from tests.factories import ensure_rulebook, make_business, make_equipment, make_premises
from tests.workers import running_worker, wait_for

TODAY = datetime.date(2026, 11, 23)
CHUNK = 3


@pytest.fixture
def city(transactional_db, settings):
    """Eleven premises in chunks of three: four chunks, every other premises at fault."""
    if connection.vendor != "postgresql":
        pytest.skip("Forked processes need PostgreSQL (SQLite would serialise them).")
    ensure_rulebook()
    settings.ASSESSMENT_CHUNK = CHUNK
    business = make_business()
    premises = [make_premises(business) for _ in range(11)]
    for index, item in enumerate(premises):
        make_equipment(item, EquipmentKind.ENTRANCE)
        if index % 2:
            chiller_without_meter(item)
        else:
            make_equipment(
                item, EquipmentKind.CHILLER, capacity_hp=Decimal("150"), has_separate_meter=True
            )
    return premises


def record_pids(monkeypatch, tmp_path: Path) -> Path:
    """Append the id of the process that stores each chunk to a file (children inherit it)."""
    log = tmp_path / "pids"
    real = assessment.store

    def store(*args, **kwargs):
        with log.open("a") as output:
            output.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(assessment, "store", store)
    return log


def decisions():
    """Each premises' current outcome and findings, and how many decisions it has."""
    return {
        status.premises_id: (
            status.outcome,
            status.assessment.findings,
            ComplianceAssessment.objects.filter(premises_id=status.premises_id).count(),
        )
        for status in PremisesStatus.objects.select_related("assessment")
    }


def test_forked_processes_store_what_one_process_would(city, monkeypatch, tmp_path):
    log = record_pids(monkeypatch, tmp_path)

    changed = assessment.assess_premises(None, day=TODAY, processes=2)

    pids = {int(line) for line in log.read_text().split()}
    assert os.getpid() not in pids and len(pids) == 2  # two children stored every chunk
    assert changed == len(city)
    forked_ = decisions()
    assert sorted(forked_) == sorted(p.pk for p in city)
    outcomes = [forked_[p.pk][0] for p in city]
    # Every other premises has a chiller without its own meter (Art. 5-3).
    assert [outcome == "non_compliant" for outcome in outcomes] == [n % 2 == 1 for n in range(11)]
    assert {count for *_, count in forked_.values()} == {1}  # one decision per premises

    # The same premises assessed in this process, from scratch, give the same decisions.
    ComplianceAssessment.objects.all().delete()
    assert assessment.assess_premises(None, day=TODAY, processes=1) == len(city)
    assert decisions() == forked_


def test_a_second_forked_run_confirms_without_new_decisions(city):
    assessment.assess_premises(None, day=TODAY, processes=2)

    changed = assessment.assess_premises(None, day=TODAY + datetime.timedelta(days=1), processes=2)

    assert changed == 0
    assert ComplianceAssessment.objects.count() == len(city)
    assert set(ComplianceAssessment.objects.values_list("confirmed_on", flat=True)) == {
        TODAY + datetime.timedelta(days=1)
    }


def test_a_failing_chunk_is_reported_and_the_other_chunks_keep_their_decisions(city, monkeypatch):
    broken = city[4].pk  # in the second chunk
    real = assessment.result_of

    def result_of(premises_id, *args):
        if premises_id == broken:
            raise ValueError(f"cannot assess premises {broken}")
        return real(premises_id, *args)

    monkeypatch.setattr(assessment, "result_of", result_of)

    with pytest.raises(ValueError, match=f"cannot assess premises {broken}"):
        assessment.assess_premises(None, day=TODAY, processes=2)

    stored = set(PremisesStatus.objects.values_list("premises_id", flat=True))
    second = {p.pk for p in city[CHUNK : 2 * CHUNK]}
    assert stored == {p.pk for p in city} - second  # the failed chunk wrote nothing


def test_inside_a_transaction_the_chunks_stay_in_this_process(city, monkeypatch, tmp_path):
    from django.db import transaction

    log = record_pids(monkeypatch, tmp_path)

    with transaction.atomic():
        assert not forked.can_fork()
        assessment.assess_premises(None, day=TODAY, processes=2)
        assert PremisesStatus.objects.count() == len(city)  # seen by this transaction

    assert {int(line) for line in log.read_text().split()} == {os.getpid()}


def test_a_process_that_has_used_the_broker_still_forks_and_finishes(city, monkeypatch):
    """A child must not touch the broker connections it inherits: kombu's after-fork hook
    (run by multiprocessing's and billiard's pools) closed them from the child and waited
    on Redis for ever once this process had asked the workers something."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("No broker (REDIS_URL) to have used.")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    celery_app.control.ping(timeout=0.2)  # a reply consumer in this process's pool
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the forked assessment hung"))
    signal.alarm(120)
    try:
        changed = assessment.assess_premises(None, day=TODAY, processes=2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

    assert changed == len(city)
    celery_app.control.ping(timeout=0.2)  # this process's own connections still work


def test_a_killed_child_is_reported_with_its_signal(city, monkeypatch):
    real = assessment.result_of

    def result_of(premises_id, *args):
        if premises_id == city[4].pk:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return real(premises_id, *args)

    monkeypatch.setattr(assessment, "result_of", result_of)

    with pytest.raises(forked.ForkedProcessDied, match="killed by SIGKILL"):
        assessment.assess_premises(None, day=TODAY, processes=2)


@pytest.mark.services
def test_a_real_prefork_worker_assesses_the_city_in_processes(city, tmp_path, monkeypatch):
    queue = f"test-{uuid.uuid4().hex}"
    environment = {"ASSESSMENT_CHUNK": str(CHUNK), "ASSESSMENT_PROCESSES": "2"}
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    with running_worker(tmp_path, queue, name=queue, env=environment, pool="prefork") as (
        process,
        log,
    ):
        recompute_all.apply_async(args=["rule book took effect", TODAY.isoformat()], queue=queue)
        wait_for(lambda: PremisesStatus.objects.count() == len(city), process, log)
        wait_for(lambda: "succeeded" in log.read_text(), process, log)

    assert Premises.objects.filter(status__isnull=True).count() == 0
    assert ComplianceAssessment.objects.count() == len(city)
    assert set(ComplianceAssessment.objects.values_list("trigger", flat=True)) == {
        "rule book took effect"
    }
