"""The programme API: public reads of published records, staff writes, filters, open data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from portal.audit import history_of
from programs.models import Country, Event, Organisation, Programme, Project
from tests.programs.builders import (
    make_city,
    make_participation,
    make_programme,
    make_project,
)

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# --- Visibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "owner", "inspector", "api_client", "supplier"])
def test_outside_the_programmes_only_published_records_are_listed(persona, personas):
    make_programme("public")
    make_programme("draft", published=False)

    listed = _codes(api(personas[persona]).get(reverse("api:programme-list")))

    assert listed == {"public"}


@pytest.mark.parametrize("persona", ["programme_officer", "administrator"])
def test_programme_staff_list_unpublished_records_too(persona, personas):
    make_programme("public")
    make_programme("draft", published=False)

    listed = _codes(api(personas[persona]).get(reverse("api:programme-list")))

    assert listed == {"public", "draft"}


def test_an_unpublished_record_is_a_404_for_visitors(programme_officer):
    hidden = make_programme("draft", published=False)
    url = reverse("api:programme-detail", args=[hidden.pk])

    assert api().get(url).status_code == 404
    assert api(programme_officer).get(url).status_code == 200


def test_a_city_lists_its_participations_across_programmes_that_the_user_may_see(
    programme_officer,
):
    esc, lcmt = make_programme("asean-esc"), make_programme("apec-lcmt")
    hidden = make_programme("hidden", published=False)
    city = make_city("Surabaya", "Indonesia")
    make_participation(esc, city, year=1)
    make_participation(esc, city, year=2)
    make_participation(lcmt, city, year=None)
    make_participation(esc, city, year=3, published=False)
    make_participation(hidden, city, year=1)
    url = reverse("api:programme-city-detail", args=[city.pk])

    public = api().get(url).json()
    staff = api(programme_officer).get(url).json()

    assert [(p["programme"], p["programme_year"]) for p in public["participations"]] == [
        ("apec-lcmt", None),
        ("asean-esc", 1),
        ("asean-esc", 2),
    ]
    assert len(staff["participations"]) == 5
    assert public["country_name"] == "Indonesia"


def test_a_project_names_only_the_countries_a_visitor_may_see(programme_officer):
    project = make_project(make_programme("jcm"))
    palau = Country.objects.create(name_en="Palau", published=True)
    samoa = Country.objects.create(name_en="Samoa", published=False)
    project.countries.set([palau, samoa])
    url = reverse("api:programme-project-detail", args=[project.pk])

    public = api().get(url).json()
    staff = api(programme_officer).get(url).json()

    assert (public["countries"], public["country_names"]) == ([palau.pk], ["Palau"])
    assert staff["country_names"] == ["Palau", "Samoa"]


# --- Writes -----------------------------------------------------------------------------------

NEW_PROGRAMME = {"code": "locarnet", "name_en": "LoCARNet", "kind": "research_network"}


def test_a_programme_officer_creates_a_record_that_is_not_yet_public(programme_officer):
    response = api(programme_officer).post(
        reverse("api:programme-list"), {**NEW_PROGRAMME, "published": True}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["published"] is False
    programme = Programme.objects.get(code="locarnet")
    assert [e.actor for e in history_of(programme)] == [programme_officer]
    assert api().get(reverse("api:programme-detail", args=[programme.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("owner", 403), ("inspector", 403), ("api_client", 403)],
)
def test_users_outside_the_programmes_cannot_create_records(persona, status, personas):
    response = api(personas[persona]).post(
        reverse("api:programme-list"), NEW_PROGRAMME, format="json"
    )

    assert response.status_code == status
    assert not Programme.objects.exists()


def test_business_users_cannot_change_a_published_record(owner):
    programme = make_programme("esc")
    url = reverse("api:programme-detail", args=[programme.pk])

    response = api(owner).patch(url, {"name_en": "Mine"}, format="json")

    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.name_en == "Programme esc"


def test_a_bad_write_is_a_400_with_field_errors_and_saves_nothing(programme_officer):
    programme = make_programme("jcm")
    payload = {
        "reference": "bad",
        "programme": "no-such-programme",
        "kind": "spaceship",
        "title_original": "x",
        "title_en": "x",
        "expected_tco2_per_year": "-5",
    }

    response = api(programme_officer).post(
        reverse("api:programme-project-list"), payload, format="json"
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"programme", "kind"} <= set(errors)
    response = api(programme_officer).post(
        reverse("api:programme-project-list"),
        {**payload, "programme": programme.code, "kind": "other"},
        format="json",
    )
    assert response.status_code == 400
    assert "expected_tco2_per_year" in response.json()["errors"]
    assert not Project.objects.exists()


def test_an_officer_edits_a_project_and_its_countries(programme_officer):
    project = make_project(make_programme("jcm"))
    palau = Country.objects.create(name_en="Palau", published=True)
    samoa = Country.objects.create(name_en="Samoa", published=True)
    url = reverse("api:programme-project-detail", args=[project.pk])

    response = api(programme_officer).patch(
        url,
        {"countries": [palau.pk, samoa.pk], "expected_tco2_per_year": "799"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["country_names"] == ["Palau", "Samoa"]
    assert response.json()["expected_tco2_per_year"] == "799.00"
    (entry,) = history_of(project)
    assert entry.changes["countries"] == [[], sorted([palau.pk, samoa.pk])]


def test_the_status_changes_only_through_the_review(programme_officer, administrator):
    project = make_project(make_programme("apec-lcmt"))
    url = reverse("api:programme-project-detail", args=[project.pk])
    review = reverse("api:programme-project-review", args=[project.pk])

    api(programme_officer).patch(url, {"status": "approved"}, format="json")
    project.refresh_from_db()
    assert project.status == "draft"

    assert api(programme_officer).post(review, {"step": "submit"}, format="json").status_code == 200
    refused = api(administrator).post(review, {"step": "reject"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    done = api(administrator).post(review, {"step": "approve"}, format="json")
    assert done.json()["status"] == "approved"


# --- Publishing -------------------------------------------------------------------------------


def test_only_administrators_publish(programme_officer, administrator, owner):
    programme = make_programme("esc", published=False)
    publish = reverse("api:programme-publish", args=[programme.pk])

    assert api(owner).post(publish).status_code == 404  # cannot see it
    assert api(programme_officer).post(publish).status_code == 403
    response = api(administrator).post(publish, {"reason": "Checked"}, format="json")

    assert response.status_code == 200
    assert response.json()["published"] is True
    assert api().get(reverse("api:programme-detail", args=[programme.pk])).status_code == 200
    (entry,) = history_of(programme)
    assert (entry.actor, entry.reason) == (administrator, "Checked")
    assert api(owner).post(publish).status_code == 403  # sees it now, still may not


def test_unpublishing_hides_a_record_again(administrator):
    city = make_city("Yangon", "Myanmar")

    api(administrator).post(reverse("api:programme-city-unpublish", args=[city.pk]))

    assert api().get(reverse("api:programme-city-detail", args=[city.pk])).status_code == 404


def test_an_empty_export_still_has_its_header():
    response = api().get(reverse("api:programme-contribution-export"), {"format": "csv"})

    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id,fund,economy,economy_name")


# --- Lists stay fast --------------------------------------------------------------------------

LISTS = [
    "programme-list",
    "programme-organisation-list",
    "programme-fund-list",
    "programme-country-list",
    "programme-city-list",
    "programme-participation-list",
    "programme-project-list",
    "programme-event-list",
    "programme-contribution-list",
    "programme-project-export",
    "programme-city-export",
]


def _world(n: int) -> None:
    from programs.models import Fund, FundingContribution

    programme = make_programme(f"p{n}")
    Organisation.objects.create(code=f"O{n}", name_original="o", name_en="o", published=True)
    programme.organisers.set(Organisation.objects.filter(code=f"O{n}"))
    city = make_city(f"City {n}", f"Country {n}")
    make_participation(programme, city)
    project = make_project(programme, f"project-{n}")
    project.countries.add(city.country)
    fund = Fund.objects.create(
        code=f"F{n}", name_original="f", name_en="f", programme=programme, published=True
    )
    FundingContribution.objects.create(
        fund=fund, economy=city.country, year=2010, amount=1, currency="USD", published=True
    )
    Event.objects.create(
        code=f"E{n}",
        name_original="e",
        name_en="e",
        status="held",
        programme=programme,
        country=city.country,
        published=True,
    )


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"api:{name}"))
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["anonymous", "programme_officer"])
def test_every_list_costs_the_same_queries_for_one_record_and_for_many(persona, personas):
    client = api(personas[persona])
    _world(0)
    one = {name: _queries(client, name) for name in LISTS}
    for n in range(1, 6):
        _world(n)

    many = {name: _queries(client, name) for name in LISTS}

    assert many == one
