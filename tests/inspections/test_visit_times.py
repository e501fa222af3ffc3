"""A visit's times lie between its inspection's creation and now, near its planned day.

A back-dated arrival back-dated an Art. 17 fine (appeal time lost) and shortened the
rectification period counted from the visit; a future one dated a fine in the future.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.services.visits import VisitInvalid, save_visit
from portal.models import AuditEntry, CitySettings
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    VISIT_DAY,
    at,
    inspection_fixture,
    make_inspection,
    make_visit,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 15, 0, tzinfo=datetime.UTC))


def errors_of(inspector, visit, **times) -> dict:
    with pytest.raises(VisitInvalid) as caught:
        save_visit(inspector, visit, {name: value.isoformat() for name, value in times.items()})
    return caught.value.errors


def test_times_on_the_planned_day_are_kept(inspector, visit):
    save_visit(
        inspector, visit, {"arrived_at": at(9).isoformat(), "departed_at": at(10).isoformat()}
    )

    visit.refresh_from_db()
    assert visit.arrived_at == at(9)


def test_an_arrival_ten_days_before_the_planned_day_is_refused(inspector, visit):
    errors = errors_of(inspector, visit, arrived_at=at(9, day=VISIT_DAY - datetime.timedelta(10)))

    assert "before the inspection was planned" in str(errors["arrived_at"])


def test_an_arrival_in_the_future_is_refused(inspector, visit):
    errors = errors_of(
        inspector, visit, arrived_at=datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
    )

    assert "future" in str(errors["arrived_at"])


def test_a_tablet_clock_a_few_minutes_ahead_is_tolerated(inspector, visit):
    ahead = datetime.datetime(2026, 11, 25, 15, 5, tzinfo=datetime.UTC)

    save_visit(
        inspector, visit, {"arrived_at": at(9).isoformat(), "departed_at": ahead.isoformat()}
    )

    visit.refresh_from_db()
    assert visit.departed_at == ahead


def test_the_citys_tolerance_around_the_planned_day_applies(inspector, visit):
    late = at(9, day=VISIT_DAY + datetime.timedelta(days=3))
    settings = CitySettings.current()
    settings.visit_tolerance_days = 2
    settings.save()

    errors = errors_of(inspector, visit, arrived_at=late)

    assert "more than 2 days from the planned day 2026-11-20" in str(errors["arrived_at"])
    settings.visit_tolerance_days = 3
    settings.save()
    save_visit(
        inspector,
        visit,
        {
            "arrived_at": late.isoformat(),
            "departed_at": (late + datetime.timedelta(hours=1)).isoformat(),
        },
    )
    visit.refresh_from_db()
    assert visit.arrived_at == late


def test_an_administrator_changes_the_tolerance_on_the_settings_page(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("city-settings"), {"visit_tolerance_days": "3", "document_prefix": "TPE-EC"}
    )

    assert response.status_code == 302
    assert CitySettings.current().visit_tolerance_days == 3
    entry = AuditEntry.objects.get(object_type="portal.citysettings")
    assert entry.changes == {"visit_tolerance_days": [7, 3]}
    assert entry.actor == administrator


def test_a_tolerance_out_of_bounds_keeps_what_was_typed(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("city-settings"), {"visit_tolerance_days": "400", "document_prefix": "TPE-EC"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["visit_tolerance_days"]
    assert 'value="400"' in response.content.decode()
    assert CitySettings.current().visit_tolerance_days == 7
