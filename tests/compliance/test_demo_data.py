"""The demo data generator and ``manage.py demo_data``: realistic, deterministic, idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from compliance.choices import (
    AirBarrier,
    EfficiencyMetric,
    EquipmentKind,
    Fuel,
    LampType,
    PremisesKind,
    Sector,
)
from compliance.demo import DemoSize, generate
from compliance.demo.catalog import DISTRICTS
from compliance.demo.loading import DEMO_PASSWORD, DEMO_USERS
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.validators import is_valid_ubn
from portal.choices import Role
from tests.db import RULEBOOK_PUBLISHER

TODAY = date(2026, 11, 23)
SMALL = {"businesses": 12, "premises": 20, "equipment": 90}


def demo_data(**options) -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def kinds_of(values) -> set[str]:
    return {str(value) for value in values}


def build(seed: int = 1, size: DemoSize | None = None, today: date = TODAY):
    return list(generate(seed=seed, size=size or DemoSize(), today=today))


def rows(bundles, name: str) -> list:
    return [row for bundle in bundles for row in getattr(bundle, name)]


def breaks_the_ordinance(item: Equipment, today: date) -> bool:
    """Say whether an item plainly breaks an obligation (starting values of the rule book)."""
    recent = item.installed_on is not None and item.installed_on > today - timedelta(days=730)
    if item.kind == EquipmentKind.AIR_CONDITIONER:
        minimum = {EfficiencyMetric.EER: Decimal("2.6"), EfficiencyMetric.CSPF: Decimal("3.3")}
        return recent and item.efficiency_value < minimum[item.efficiency_metric]
    if item.kind in (EquipmentKind.LIGHTING, EquipmentKind.SIGNBOARD):
        return item.lamp_type in (LampType.INCANDESCENT, LampType.HALOGEN)
    if item.kind == EquipmentKind.ENTRANCE:
        return item.air_barrier == AirBarrier.NONE
    if item.kind == EquipmentKind.CHILLER:
        return (
            item.capacity_hp >= 100 and not item.is_production_use and not item.has_separate_meter
        )
    large = (item.steam_evaporation_tph or 0) >= 2 or (item.heat_input_kcal_h or 0) >= 1_530_000
    return large and recent and item.fuel != Fuel.NATURAL_GAS and not item.is_standby


def test_the_same_seed_builds_the_same_businesses_and_premises():
    first, second = build(seed=7), build(seed=7)

    def identity(bundles):
        return [
            (b.business.ubn, b.business.name_zh, b.business.name_en, b.business.responsible_person)
            for b in bundles
        ] + [(p.name, p.address, p.floor_area_m2) for p in rows(bundles, "premises")]

    assert identity(first) == identity(second)
    assert [b.business.ubn for b in build(seed=8)] != [b.business.ubn for b in first]


def test_default_size_is_a_small_town():
    bundles = build()

    assert len(bundles) == 50
    assert len(rows(bundles, "premises")) == 80
    assert len(rows(bundles, "equipment")) == 500


@pytest.mark.parametrize("size", [DemoSize(3, 3, 3), DemoSize(8, 30, 0), DemoSize(200, 700, 4000)])
def test_sizes_are_parameters(size):
    bundles = build(size=size)

    assert (len(bundles), len(rows(bundles, "premises")), len(rows(bundles, "equipment"))) == (
        size.businesses,
        size.premises,
        size.equipment,
    )


def test_every_unified_business_number_is_valid_and_unique():
    ubns = [b.business.ubn for b in build(size=DemoSize(2000, 2000, 0))]

    assert all(is_valid_ubn(ubn) for ubn in ubns)
    assert len(set(ubns)) == len(ubns)


def test_numbers_already_in_use_are_never_drawn():
    taken = {b.business.ubn for b in build()[:10]}

    again = list(generate(seed=1, today=TODAY, taken_ubns=taken))

    assert not taken & {b.business.ubn for b in again}


def test_every_kind_of_equipment_premises_and_industry_is_present():
    bundles = build()

    assert kinds_of(e.kind for e in rows(bundles, "equipment")) == set(EquipmentKind.values)
    assert kinds_of(p.kind for p in rows(bundles, "premises")) == set(PremisesKind.values)
    assert kinds_of(b.business.sector for b in bundles) == set(Sector.values)
    assert {"4711", "4712", "4719", "5611", "5510", "2611", "6201"} <= {
        b.business.industry_code for b in bundles
    }


def test_addresses_lie_on_real_streets_of_their_district():
    for premises in rows(build(), "premises"):
        district_zh, streets = DISTRICTS[premises.district]
        assert premises.address.startswith(f"臺北市{district_zh}")
        assert any(street in premises.address for street in streets), premises.address


def test_factories_belong_to_industry_and_shops_to_commerce():
    for bundle in build():
        kinds = {p.kind for p in bundle.premises}
        if PremisesKind.FACTORY in kinds:
            assert bundle.business.sector == Sector.INDUSTRY
        if bundle.business.industry_code in {"4711", "4712", "4719", "5611"}:
            assert bundle.business.sector == Sector.COMMERCE


def test_about_a_tenth_of_the_equipment_breaks_the_ordinance():
    items = rows(build(), "equipment")
    broken = [item for item in items if breaks_the_ordinance(item, TODAY)]

    assert 0.05 * len(items) <= len(broken) <= 0.2 * len(items)


def test_every_obligation_has_equipment_that_breaks_it():
    items = rows(build(size=DemoSize(200, 400, 3000)), "equipment")
    broken = [item for item in items if breaks_the_ordinance(item, TODAY)]

    assert kinds_of(item.kind for item in broken) == set(EquipmentKind.values)


def test_monthly_logs_cover_the_rule_books_twelve_months_with_some_missing():
    bundles = build()
    first_month = date(2025, 11, 1)
    for name, kind in (("ac_logs", EquipmentKind.CHILLER), ("boiler_logs", EquipmentKind.BOILER)):
        logs = rows(bundles, name)
        per_item = Counter(id(log.equipment) for log in logs)
        assert logs
        assert all(log.equipment.kind == kind for log in logs)
        assert all(first_month <= log.month <= date(2026, 10, 1) for log in logs)
        assert max(per_item.values()) == 12
        assert len({(id(log.equipment), log.month) for log in logs}) == len(logs)
    per_chiller = Counter(id(log.equipment) for log in rows(bundles, "ac_logs"))
    assert min(per_chiller.values()) < 12
    assert not any(log.equipment.is_standby for log in rows(bundles, "boiler_logs"))


def test_every_premises_is_lit_and_almost_every_one_has_an_entrance():
    kinds_per_premises = [
        {e.kind for e in bundle.equipment if e.premises is premises}
        for bundle in build()
        for premises in bundle.premises
    ]

    assert all(EquipmentKind.LIGHTING in kinds for kinds in kinds_per_premises)
    with_entrance = [kinds for kinds in kinds_per_premises if EquipmentKind.ENTRANCE in kinds]
    assert len(with_entrance) >= 0.9 * len(kinds_per_premises)


@pytest.mark.django_db
def test_command_saves_exactly_the_sizes_asked_for_in_several_batches():
    demo_data(**SMALL, seed=3, batch_size=7)

    assert Business.objects.count() == 12
    assert Premises.objects.count() == 20
    assert Equipment.objects.count() == 90
    assert AcMonthlyLog.objects.exists() and BoilerMonthlyLog.objects.exists()


@pytest.mark.django_db
def test_saved_demo_records_pass_model_validation():
    demo_data(**SMALL, seed=3)

    for model in (Business, Premises, Equipment, AcMonthlyLog, BoilerMonthlyLog):
        for record in model.objects.all():
            record.full_clean()


@pytest.mark.django_db
def test_running_the_command_again_adds_nothing_and_reset_rebuilds_the_same_data():
    demo_data(**SMALL, seed=5, with_demo_users=True)
    ubns = sorted(Business.objects.values_list("ubn", flat=True))
    counts = [m.objects.count() for m in (Business, Premises, Equipment, BusinessMembership)]

    demo_data(**SMALL, seed=5, with_demo_users=True)
    assert [m.objects.count() for m in (Business, Premises, Equipment, BusinessMembership)] == (
        counts
    )

    demo_data(**SMALL, seed=5, with_demo_users=True, reset=True)
    assert sorted(Business.objects.values_list("ubn", flat=True)) == ubns
    assert [m.objects.count() for m in (Business, Premises, Equipment, BusinessMembership)] == (
        counts
    )
    # Beside the demo logins, only the test database's rule-book publisher (tests/db.py).
    assert get_user_model().objects.exclude(username=RULEBOOK_PUBLISHER).count() == len(DEMO_USERS)


@pytest.mark.django_db
def test_reset_leaves_businesses_that_are_not_demo_data():
    real = Business.objects.create(
        ubn="04595257",
        name_zh="真實商行",
        sector=Sector.COMMERCE,
        industry_code="4711",
        responsible_person="王大明",
    )
    demo_data(**SMALL, seed=5)

    demo_data(**SMALL, seed=6, reset=True)

    assert Business.objects.filter(pk=real.pk).exists()
    assert Business.objects.count() == SMALL["businesses"] + 1


@pytest.mark.django_db
def test_every_demo_login_signs_in_with_the_published_password(client):
    demo_data(**SMALL, seed=1, with_demo_users=True)

    for spec in DEMO_USERS:
        assert client.login(username=spec.username, password=DEMO_PASSWORD), spec.username
        client.logout()
    assert not client.login(username="owner", password="wrong-password")


@pytest.mark.django_db
def test_demo_logins_have_every_role_and_owner_acts_for_several_businesses():
    demo_data(**SMALL, seed=1, with_demo_users=True)
    users = {u.username: u for u in get_user_model().objects.all()}

    assert kinds_of(u.role for u in users.values()) == set(Role.values)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert BusinessMembership.objects.filter(user=users["owner"]).count() == 3
    assert BusinessMembership.objects.filter(user=users["owner2"]).count() == 1
    owned = set(
        BusinessMembership.objects.filter(user=users["owner"]).values_list("business", flat=True)
    )
    assert not owned & set(
        BusinessMembership.objects.filter(user=users["owner2"]).values_list("business", flat=True)
    )


@pytest.mark.django_db
def test_demo_logins_are_not_made_outside_debug_without_asking(settings):
    settings.DEBUG = False

    demo_data(**SMALL, seed=1)

    assert not get_user_model().objects.exclude(username=RULEBOOK_PUBLISHER).exists()
    assert Business.objects.count() == SMALL["businesses"]


@pytest.mark.django_db
def test_equipment_without_premises_is_refused_with_a_clear_error():
    with pytest.raises(CommandError, match="equipment needs premises"):
        demo_data(businesses=2, premises=0, equipment=5)
    assert not Business.objects.exists()


@pytest.mark.django_db
def test_logs_are_never_for_a_month_that_has_not_begun():
    demo_data(**SMALL, seed=2)
    this_month = timezone.localdate().replace(day=1)

    assert not AcMonthlyLog.objects.filter(month__gte=this_month).exists()
    assert not BoilerMonthlyLog.objects.filter(month__gte=this_month).exists()


@pytest.mark.django_db
def test_most_demo_premises_comply_and_a_demo_business_can_apply_for_a_subsidy():
    from compliance.models import PremisesStatus
    from subsidies.models import Scheme
    from subsidies.rules.eligibility import check_conditions
    from subsidies.rules.types import ReasonOutcome
    from subsidies.services.applications import applicant_facts

    demo_data(with_demo_users=True)

    outcomes = Counter(PremisesStatus.objects.values_list("outcome", flat=True))
    total = Premises.objects.count()
    assert sum(outcomes.values()) == total
    assert 0.7 * total < outcomes["compliant"] < total
    assert outcomes["non_compliant"] >= 0.05 * total
    scheme = Scheme.objects.get(code="city-improvement")
    assert scheme.terms().conditions  # it checks fines, overdue cases and the register
    able = []
    for membership in BusinessMembership.objects.select_related("business", "user"):
        for premises in membership.business.premises.all():
            facts = applicant_facts(membership.business, scheme=scheme, premises=premises)
            reasons = check_conditions(scheme.terms(), facts)
            if all(reason.outcome == ReasonOutcome.PASS for reason in reasons):
                able.append((membership.user.username, premises.pk))
    assert able


@pytest.mark.django_db
def test_no_current_status_is_older_than_the_premises_latest_assessment():
    from compliance.models import ComplianceAssessment, PremisesStatus

    demo_data(**SMALL, seed=1, with_demo_users=True)

    for status in PremisesStatus.objects.select_related("assessment"):
        latest = ComplianceAssessment.objects.filter(premises=status.premises_id).first()
        assert status.as_of == latest.as_of, status.premises_id
