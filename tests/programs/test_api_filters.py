"""The programme API's filters and open-data exports over the loaded shared tables."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from programs.imports import load_programme_data
from programs.models import Country, Event, Organisation
from tests.db import built_once
from tests.programs.builders import SHARED_DATA

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


# --- Filters on the loaded tables -------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The shared tables, loaded once for the module (tests/db.py)."""
    with built_once(django_db_blocker):
        load_programme_data(SHARED_DATA)
        yield


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_participations_filter_by_programme_country_and_year(loaded):
    rows = _rows(
        api().get(
            reverse("api:programme-participation-list"),
            {"programme": "asean-esc", "country": "Indonesia", "year": 1},
        )
    )

    assert sorted(row["city_name"] for row in rows) == ["Palembang", "Surabaya"]


def test_projects_filter_by_country_year_and_status(loaded):
    thailand = Country.objects.get(name_en="Thailand")
    url = reverse("api:programme-project-list")

    by_id = _rows(api().get(url, {"country": thailand.pk, "year": 2014, "page_size": 100}))
    registered = _rows(api().get(url, {"status": "registered"}))

    assert sorted(row["reference"] for row in by_id) == [
        "jcm-fs-fy2014-07",
        "jcm-fs-fy2014-08",
        "jcm-fs-fy2014-09",
    ]
    assert [row["registration_date"] for row in registered] == ["2014-10-31"]


def test_cities_filter_by_programme_and_events_by_year(loaded):
    cities = _rows(
        api().get(
            reverse("api:programme-city-list"),
            {"programme": "asean-esc", "year": 2, "country": "Viet Nam"},
        )
    )
    events = _rows(
        api().get(reverse("api:programme-event-list"), {"programme": "asean-esc", "year": 2012})
    )

    assert sorted(row["name_en"] for row in cities) == ["Da Lat", "Da Nang"]
    assert [row["code"] for row in events] == ["ESC-HLS-3"]
    assert events[0]["participants"] == 230


def test_a_bad_filter_value_is_a_400_naming_the_field():
    response = api().get(reverse("api:programme-participation-list"), {"year": "first"})

    assert response.status_code == 400
    assert "year" in response.json()["errors"]


# --- Open data --------------------------------------------------------------------------------


def test_export_csv_has_every_matching_row_a_bom_and_guarded_formulas(loaded):
    Organisation.objects.filter(code="ORG057").update(name_en='=HYPERLINK("http://x")')

    response = api().get(reverse("api:programme-organisation-export"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 58  # all of them, past the API's page size of 50
    assert rows[0]["name_original"] == "亞太經濟合作 能源工作組"
    unilever = next(row for row in rows if row["code"] == "ORG057")
    assert unilever["name_en"] == '\'=HYPERLINK("http://x")'


def test_export_csv_flattens_nested_values(loaded):
    response = api().get(
        reverse("api:programme-city-export"), {"format": "csv", "country": "Cambodia"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    phnom_penh = next(row for row in rows if row["name_en"] == "Phnom Penh")
    assert phnom_penh["participations"] == "asean-esc 1 (selected); asean-esc 2 (selected)"


def test_export_json_follows_the_filters_and_visibility(loaded, administrator):
    Event.objects.filter(code="ESC-HLS-6").update(published=False)
    url = reverse("api:programme-event-export")

    public = api().get(url, {"format": "json", "series": "ESC HLS"})
    staff = api(administrator).get(url, {"format": "json", "series": "ESC HLS"})

    assert public["Content-Disposition"] == 'attachment; filename="events.json"'
    assert [row["code"] for row in public.json()] == [f"ESC-HLS-{n}" for n in range(1, 6)]
    assert len(staff.json()) == 6
