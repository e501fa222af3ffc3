"""Assessing at city scale: version referenced not copied, unchanged inputs skip the engine."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import rules
from compliance.choices import EquipmentKind, ExemptionReason
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    ComplianceAssessment,
    Equipment,
    Exemption,
    Premises,
    PremisesStatus,
)
from compliance.rulebook.bridge import facts_for, parameters_of, version_in_force
from compliance.rulebook.services import assessment
from tests.compliance.decisions import chiller_without_meter
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def test_a_decision_references_its_frozen_version_instead_of_copying_its_parameters(premises):
    chiller_without_meter(premises)

    assessment.assess_premises([premises.pk], day=TODAY)

    decision = ComplianceAssessment.objects.get(premises=premises)
    stored = ComplianceAssessment.objects.filter(pk=decision.pk).values_list(
        "parameters_copy", flat=True
    )
    assert list(stored) == [{}]  # no 1.7 kB copy per decision
    assert decision.rulebook_version == version_in_force(TODAY)
    # Readers (pages, API, reports) still read the parameters it was made under.
    assert decision.parameters == decision.rulebook_version.parameters
    assert decision.parameters["chiller_threshold_hp"] == "100"


def test_unchanged_inputs_are_confirmed_without_running_the_engine(premises, monkeypatch):
    chiller_without_meter(premises)  # declared today: the day after is a compared date
    first, nightly = TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=2)
    assessment.assess_premises([premises.pk], day=first)
    ran = []
    real = rules.assess
    monkeypatch.setattr(rules, "assess", lambda *a, **k: ran.append(a) or real(*a, **k))

    changed = assessment.assess_premises([premises.pk], day=nightly)

    assert (changed, ran) == (0, [])
    decision = ComplianceAssessment.objects.get(premises=premises)
    assert (decision.as_of, decision.confirmed_on) == (first, nightly)


def test_a_changed_input_is_assessed_again_and_changes_the_status(premises):
    chiller = chiller_without_meter(premises)
    assessment.assess_premises([premises.pk], day=TODAY)
    assert PremisesStatus.objects.get(premises=premises).outcome == "non_compliant"

    chiller.has_separate_meter = True
    chiller.save()
    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=1))

    assert ComplianceAssessment.objects.filter(premises=premises).count() == 2
    status = PremisesStatus.objects.get(premises=premises)
    assert status.as_of == TODAY + datetime.timedelta(days=1)
    assert status.assessment.findings != ComplianceAssessment.objects.earliest("id").findings


def test_a_new_month_is_assessed_again_even_with_the_same_facts(premises, monkeypatch):
    chiller_without_meter(premises)
    assessment.assess_premises([premises.pk], day=TODAY)
    ran = []
    real = rules.assess
    monkeypatch.setattr(rules, "assess", lambda *a, **k: ran.append(a) or real(*a, **k))

    assessment.assess_premises([premises.pk], day=datetime.date(2026, 12, 1))

    assert len(ran) == 1  # monthly records fall due with a new month: the engine decides


def test_a_new_month_without_monthly_records_is_confirmed(premises, monkeypatch):
    make_equipment(premises, EquipmentKind.ENTRANCE, installed_on=datetime.date(2026, 1, 5))
    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=2))
    ran = []
    real = rules.assess
    monkeypatch.setattr(rules, "assess", lambda *a, **k: ran.append(a) or real(*a, **k))

    assessment.assess_premises([premises.pk], day=datetime.date(2026, 12, 1))

    assert ran == []  # no chiller or boiler: nothing falls due with the month


def test_same_day_signature_gives_the_same_assessment(premises):
    """Whatever the facts, days the engine cannot tell apart get the same assessment."""
    chiller = make_equipment(
        premises,
        EquipmentKind.CHILLER,
        capacity_hp=Decimal("150"),
        has_separate_meter=False,
        installed_on=datetime.date(2026, 11, 10),
    )
    make_equipment(premises, EquipmentKind.ENTRANCE, installed_on=datetime.date(2026, 12, 3))
    Exemption.objects.create(
        premises=premises,
        equipment=chiller,
        article="5-3",
        reason=ExemptionReason.values[0],
        status="approved",
        valid_from=datetime.date(2026, 11, 20),
        valid_until=datetime.date(2026, 11, 27),
        decided_at=datetime.datetime(2026, 11, 19, tzinfo=datetime.UTC),
    )
    params = parameters_of(version_in_force(TODAY))
    days = [datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(61)]
    seen: dict[tuple, tuple] = {}
    signatures = set()
    for day in days:
        facts = facts_for(Premises.objects.filter(pk=premises.pk), day)[premises.pk]
        result = rules.assess(facts, params, day)
        key = (facts, rules.day_signature(facts, params, day))
        signatures.add(key[1])
        answer = (result.outcome, result.findings)
        assert seen.setdefault(key, answer) == answer, day
    # The grant's start and end, the installations and the month all tell days apart.
    assert len(signatures) > 4


def test_facts_hold_the_taipei_declaration_day_and_the_logs_in_the_window_only(premises):
    chiller = chiller_without_meter(premises)
    boiler = make_equipment(premises, EquipmentKind.BOILER)
    unit = make_equipment(premises, EquipmentKind.AIR_CONDITIONER)
    # 01:30 in Taipei on the 23rd is still the 22nd in UTC.
    Equipment.objects.filter(pk=chiller.pk).update(
        created_at=datetime.datetime(2026, 11, 22, 17, 30, tzinfo=datetime.UTC)
    )
    for month in ("2024-10-01", "2024-11-01", "2026-11-01", "2026-12-01"):  # 24 months back
        AcMonthlyLog.objects.create(
            equipment=chiller, month=month, ac_electricity_kwh=Decimal("900"), recorded_by="x"
        )
    AcMonthlyLog.objects.create(
        equipment=unit, month="2026-10-01", ac_electricity_kwh=Decimal("1"), recorded_by="x"
    )
    BoilerMonthlyLog.objects.create(
        equipment=boiler,
        month="2026-10-01",
        recorded_by="x",
        air_volume_m3h=500,
        exhaust_temp_c=180,
        furnace_wall_temp_c=60,
        exhaust_co2_pct=Decimal("10.5"),
    )

    facts = facts_for(Premises.objects.filter(pk=premises.pk), TODAY)[premises.pk]

    (chiller_facts,) = facts.chillers
    assert chiller_facts.declared_on == TODAY
    assert [log.month for log in chiller_facts.logs] == [
        datetime.date(2024, 11, 1),
        datetime.date(2026, 11, 1),
    ]
    assert chiller_facts.logs[0].ac_electricity_kwh == Decimal("900")
    assert [log.exhaust_temp_c for log in facts.boilers[0].logs] == [180]
    assert [item.tag for item in facts.air_conditioners] == [unit.tag]


def test_facts_of_many_premises_take_as_many_queries_as_of_one(premises, business):
    others = [make_premises(business) for _ in range(5)]
    for item in [premises, *others]:
        make_equipment(item, EquipmentKind.BOILER)
        chiller_without_meter(item)

    with CaptureQueriesContext(connection) as one:
        facts_for([premises], TODAY)
    with CaptureQueriesContext(connection) as six:
        facts = facts_for([premises, *others], TODAY)

    assert len(six) == len(one) <= 6
    assert all(len(item.chillers) == len(item.boilers) == 1 for item in facts.values())


ROW = re.compile(
    r"^(?P<name>first assessment|unchanged re-assessment|bare bulk insert \(baseline\)): "
    r"(?P<count>[\d,]+) premises, min (?P<min>[\d.]+) s, median (?P<median>[\d.]+) s, "
    r"(?P<rate>[\d,]+) premises/s, (?P<ratio>[\d.]+) x baseline$",
    re.MULTILINE,
)


def test_benchmark_prints_premises_per_second_beside_the_baseline_and_cleans_up():
    before = Premises.objects.count()
    out = StringIO()

    call_command("benchmark_assessment", "--premises", "12", stdout=out)

    rows = {match["name"]: match for match in ROW.finditer(out.getvalue())}
    assert list(rows) == [
        "first assessment",
        "unchanged re-assessment",
        "bare bulk insert (baseline)",
    ]
    for row in rows.values():
        assert row["count"] == "12"
        assert float(row["min"]) <= float(row["median"])
    assert rows["bare bulk insert (baseline)"]["ratio"] == "1.0"
    assert Premises.objects.count() == before  # the scratch city is gone
