"""Validation of registry records, in the model, shared by forms, API and imports."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compliance.choices import EquipmentKind, Fuel, LampType
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Equipment
from tests.factories import EQUIPMENT_DEFAULTS, make_equipment

pytestmark = pytest.mark.django_db


def build(premises, kind, **fields):
    values = {"premises": premises, "kind": kind, "tag": "X-1", **EQUIPMENT_DEFAULTS[kind]}
    values.update(fields)
    return Equipment(**values)


@pytest.mark.parametrize("kind", list(EquipmentKind))
def test_defaults_of_every_kind_are_valid(premises, kind):
    build(premises, kind).full_clean()


def test_air_conditioner_without_efficiency_names_the_missing_field(premises):
    item = build(premises, EquipmentKind.AIR_CONDITIONER, efficiency_value=None)
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "efficiency_value" in excinfo.value.message_dict


def test_attribute_of_another_kind_is_refused(premises):
    item = build(premises, EquipmentKind.ENTRANCE, fuel=Fuel.COAL)
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "fuel" in excinfo.value.message_dict


@pytest.mark.parametrize("value", [Decimal("0.50"), Decimal("42.00")])
def test_implausible_eer_is_refused(premises, value):
    item = build(
        premises, EquipmentKind.AIR_CONDITIONER, efficiency_metric="eer", efficiency_value=value
    )
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "efficiency_value" in excinfo.value.message_dict


def test_negative_capacity_is_refused(premises):
    item = build(premises, EquipmentKind.AIR_CONDITIONER, cooling_capacity_kw=Decimal("-3"))
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "cooling_capacity_kw" in excinfo.value.message_dict


def test_negative_capacity_is_refused_by_the_database_too(premises):
    with pytest.raises(IntegrityError), transaction.atomic():
        build(premises, EquipmentKind.CHILLER, capacity_hp=Decimal("-1")).save()


def test_boiler_needs_steam_or_heat_input(premises):
    item = build(premises, EquipmentKind.BOILER, steam_evaporation_tph=None)
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert "steam_evaporation_tph" in excinfo.value.message_dict
    build(
        premises, EquipmentKind.BOILER, steam_evaporation_tph=None, heat_input_kcal_h=1_600_000
    ).full_clean()


def test_tag_is_unique_within_a_premises(premises, other_premises):
    make_equipment(premises, tag="AC-01")
    make_equipment(other_premises, tag="AC-01")  # another premises may reuse it
    with pytest.raises(ValidationError):
        build(premises, EquipmentKind.AIR_CONDITIONER, tag="AC-01").full_clean()


def test_signboard_lamp_type_is_required(premises):
    with pytest.raises(ValidationError):
        build(premises, EquipmentKind.SIGNBOARD, lamp_type="").full_clean()
    build(premises, EquipmentKind.SIGNBOARD, lamp_type=LampType.INCANDESCENT).full_clean()


def test_one_ac_log_per_equipment_and_month(premises):
    chiller = make_equipment(premises, EquipmentKind.CHILLER)
    AcMonthlyLog.objects.create(
        equipment=chiller, month=date(2026, 9, 1), recorded_by="陳", ac_electricity_kwh=1200
    )
    duplicate = AcMonthlyLog(
        equipment=chiller, month=date(2026, 9, 1), recorded_by="陳", ac_electricity_kwh=1300
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_log_month_is_normalised_to_its_first_day(premises):
    boiler = make_equipment(premises, EquipmentKind.BOILER)
    log = BoilerMonthlyLog(
        equipment=boiler,
        month=date(2026, 9, 17),
        recorded_by="林",
        air_volume_m3h=500,
        exhaust_temp_c=180,
        furnace_wall_temp_c=60,
        exhaust_co2_pct=Decimal("10.5"),
    )
    log.full_clean()
    assert log.month == date(2026, 9, 1)


def test_boiler_log_cannot_be_kept_for_an_air_conditioner(premises):
    unit = make_equipment(premises, EquipmentKind.AIR_CONDITIONER)
    log = BoilerMonthlyLog(
        equipment=unit,
        month=date(2026, 9, 1),
        recorded_by="林",
        air_volume_m3h=500,
        exhaust_temp_c=180,
        furnace_wall_temp_c=60,
        exhaust_co2_pct=Decimal("10.5"),
    )
    with pytest.raises(ValidationError) as excinfo:
        log.full_clean()
    assert "equipment" in excinfo.value.message_dict


def test_log_for_a_future_month_is_refused(premises, time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")
    chiller = make_equipment(premises, EquipmentKind.CHILLER)
    log = AcMonthlyLog(
        equipment=chiller, month=date(2026, 12, 1), recorded_by="陳", ac_electricity_kwh=1
    )
    with pytest.raises(ValidationError) as excinfo:
        log.full_clean()
    assert "month" in excinfo.value.message_dict
