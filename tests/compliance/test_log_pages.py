"""Monthly log pages: chillers (Art. 5-3) and boilers (Art. 8-2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import EquipmentKind
from compliance.models import AcMonthlyLog, BoilerMonthlyLog
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import make_equipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def chiller(premises):
    return make_equipment(premises, EquipmentKind.CHILLER, tag="CH-01")


@pytest.fixture
def boiler(premises):
    return make_equipment(premises, EquipmentKind.BOILER, tag="BL-01")


@pytest.fixture
def owner_client(client, owner, business):
    client.force_login(owner)
    return client


def ac_log_form(chiller, **values) -> dict:
    data = {
        "equipment": chiller.pk,
        "month": "2025-03",
        "ac_electricity_kwh": "18250.5",
        "chiller_inlet_temp_c": "12.0",
        "chiller_outlet_temp_c": "7.0",
        "chiller_flow_m3h": "85",
        "tower_inlet_temp_c": "37",
        "tower_outlet_temp_c": "32",
        "tower_flow_m3h": "110",
        "maintenance_done": "on",
        "recorded_by": "陳志明",
        "notes": "",
    }
    data.update(values)
    return data


def boiler_log_form(boiler, **values) -> dict:
    data = {
        "equipment": boiler.pk,
        "month": "2025-03",
        "air_volume_m3h": "2400",
        "exhaust_temp_c": "180",
        "furnace_wall_temp_c": "55",
        "exhaust_co2_pct": "10.5",
        "combustion_complete": "on",
        "recorded_by": "陳志明",
    }
    data.update(values)
    return data


def make_ac_log(chiller, month: date) -> AcMonthlyLog:
    return AcMonthlyLog.objects.create(
        equipment=chiller, month=month, ac_electricity_kwh=Decimal("1000"), recorded_by="x"
    )


def test_owner_records_a_chiller_month(owner_client, owner, chiller):
    page = owner_client.get(reverse("aclog-create"), {"equipment": chiller.pk})
    assert page.context["form"]["equipment"].value() == chiller.pk

    response = owner_client.post(reverse("aclog-create"), ac_log_form(chiller))

    assert response.status_code == 302
    assert response.url == reverse("equipment-detail", args=[chiller.pk])
    log = AcMonthlyLog.objects.get()
    assert (log.month, log.ac_electricity_kwh, log.maintenance_done) == (
        date(2025, 3, 1),
        Decimal("18250.5"),
        True,
    )
    entry = AuditEntry.objects.get(object_type="compliance.acmonthlylog")
    assert (entry.action, entry.actor) == (AuditAction.CREATE, owner)


def test_owner_records_a_boiler_check(owner_client, boiler):
    response = owner_client.post(reverse("boilerlog-create"), boiler_log_form(boiler))

    assert response.status_code == 302
    assert BoilerMonthlyLog.objects.get().exhaust_co2_pct == Decimal("10.5")


def test_a_second_log_for_the_same_month_is_a_form_error(owner_client, chiller):
    make_ac_log(chiller, date(2025, 3, 1))

    response = owner_client.post(
        reverse("aclog-create"), ac_log_form(chiller, month="2025-03-20", notes="second try")
    )

    assert response.status_code == 200
    assert "already logged for this month" in str(response.context["form"].errors["month"])
    assert "second try" in response.content.decode()
    assert AcMonthlyLog.objects.count() == 1


def test_moving_a_log_onto_a_logged_month_is_a_form_error(owner_client, boiler):
    BoilerMonthlyLog.objects.create(
        equipment=boiler,
        month=date(2025, 1, 1),
        air_volume_m3h=1,
        exhaust_temp_c=1,
        furnace_wall_temp_c=1,
        exhaust_co2_pct=1,
        recorded_by="x",
    )
    owner_client.post(reverse("boilerlog-create"), boiler_log_form(boiler, month="2025-02"))
    february = BoilerMonthlyLog.objects.get(month=date(2025, 2, 1))

    response = owner_client.post(
        reverse("boilerlog-edit", args=[february.pk]), boiler_log_form(boiler, month="2025-01")
    )

    assert response.status_code == 200
    assert "already logged for this month" in str(response.context["form"].errors["month"])
    february.refresh_from_db()
    assert february.month == date(2025, 2, 1)


def test_owner_corrects_a_log(owner_client, chiller):
    log = make_ac_log(chiller, date(2025, 3, 1))

    response = owner_client.post(
        reverse("aclog-edit", args=[log.pk]), ac_log_form(chiller, ac_electricity_kwh="999")
    )

    assert response.status_code == 302
    log.refresh_from_db()
    assert log.ac_electricity_kwh == Decimal("999")
    assert AuditEntry.objects.filter(object_id=str(log.pk), action=AuditAction.UPDATE).exists()


def test_a_month_not_yet_begun_is_refused_and_the_input_kept(owner_client, chiller):
    response = owner_client.post(
        reverse("aclog-create"), ac_log_form(chiller, month="2999-01", recorded_by="林小姐")
    )

    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="林小姐"' in html and 'value="18250.5"' in html
    assert not AcMonthlyLog.objects.exists()


def test_only_editable_equipment_of_the_right_kind_is_offered(
    owner_client, premises, other_premises, chiller, boiler
):
    theirs = make_equipment(other_premises, EquipmentKind.CHILLER)

    page = owner_client.get(reverse("aclog-create"), {"equipment": theirs.pk})

    assert list(page.context["form"].fields["equipment"].queryset) == [chiller]
    assert page.context["form"]["equipment"].value() == theirs.pk  # not among the choices
    for item in (boiler, theirs):
        response = owner_client.post(reverse("aclog-create"), ac_log_form(item))
        assert response.status_code == 200
        assert "equipment" in response.context["form"].errors
    assert not AcMonthlyLog.objects.exists()


def test_another_business_log_is_not_found(owner_client, other_premises):
    theirs = make_ac_log(make_equipment(other_premises, EquipmentKind.CHILLER), date(2025, 1, 1))

    assert owner_client.get(reverse("aclog-edit", args=[theirs.pk])).status_code == 404
    response = owner_client.post(
        reverse("aclog-edit", args=[theirs.pk]), ac_log_form(theirs.equipment)
    )
    assert response.status_code == 404
    listing = owner_client.get(reverse("aclog-list"))
    assert list(listing.context["object_list"]) == []


def test_inspector_reads_logs_but_cannot_write(client, inspector, chiller):
    log = make_ac_log(chiller, date(2025, 1, 1))
    client.force_login(inspector)

    listing = client.get(reverse("aclog-list"))
    assert list(listing.context["object_list"]) == [log]
    assert reverse("aclog-create") not in listing.content.decode()
    assert client.get(reverse("aclog-create")).status_code == 403
    assert client.post(reverse("aclog-create"), ac_log_form(chiller)).status_code == 403
    assert (
        client.post(
            reverse("aclog-edit", args=[log.pk]), ac_log_form(chiller, month="2025-02")
        ).status_code
        == 403
    )
    log.refresh_from_db()
    assert log.month == date(2025, 1, 1)


def test_log_list_takes_the_same_queries_for_5_or_50_logs(owner_client, premises):
    def queries_for(count: int) -> int:
        AcMonthlyLog.objects.all().delete()
        for n in range(count):
            item = make_equipment(premises, EquipmentKind.CHILLER)
            make_ac_log(item, date(2020 + n // 12, n % 12 + 1, 1))
        with CaptureQueriesContext(connection) as context:
            response = owner_client.get(reverse("aclog-list"))
        assert len(response.context["object_list"]) == count
        return len(context.captured_queries)

    assert queries_for(5) == queries_for(50)


def test_log_list_filters_by_equipment(owner_client, premises, chiller):
    other = make_equipment(premises, EquipmentKind.CHILLER)
    make_ac_log(chiller, date(2025, 1, 1))
    make_ac_log(other, date(2025, 1, 1))

    response = owner_client.get(reverse("aclog-list"), {"equipment": chiller.pk})

    assert [log.equipment_id for log in response.context["object_list"]] == [chiller.pk]


def test_chiller_page_lists_its_logs_and_links_to_add_one(owner_client, chiller):
    log = make_ac_log(chiller, date(2025, 2, 1))

    response = owner_client.get(reverse("equipment-detail", args=[chiller.pk]))

    html = response.content.decode()
    assert list(response.context["logs"]) == [log]
    assert "2025-02" in html
    assert f"{reverse('aclog-create')}?equipment={chiller.pk}" in html
    assert reverse("aclog-edit", args=[log.pk]) in html
