"""What each persona sees through the REST API's lists, and what guessing ids gets them.

Requests authenticate with real API tokens. Who may call which endpoint with which method
is the project-wide permission matrix's (tests/test_permission_matrix.py, its token rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import EquipmentKind
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.rulebook.services import assessment
from portal.models import ApiToken
from tests.conftest import PASSWORD
from tests.factories import make_business, make_equipment


@dataclass
class World:
    """The owner's business and premises, with records of every registry list."""

    business: object
    premises: object


@pytest.fixture
def world(business, other_business, premises, other_premises, owner) -> World:
    chiller = make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")
    boiler = make_equipment(premises, EquipmentKind.BOILER, tag="BO-1")
    third = make_business()
    make_business(members=[owner])  # a second business of the owner's, with nothing under it
    assessment.assess_premises([premises.pk])  # a compliance decision to read
    AcMonthlyLog.objects.create(
        equipment=chiller,
        month=date(2024, 1, 1),
        recorded_by="陳志明",
        ac_electricity_kwh="12000.0",
    )
    BoilerMonthlyLog.objects.create(
        equipment=boiler,
        month=date(2024, 1, 1),
        recorded_by="陳志明",
        air_volume_m3h="5000.0",
        exhaust_temp_c="180.0",
        furnace_wall_temp_c="60.0",
        exhaust_co2_pct="11.5",
    )
    BusinessClaim.objects.create(user=owner, business=third, evidence="經理")
    return World(business=business, premises=premises)


def ac_log_payload(equipment) -> dict:
    return {
        "equipment": equipment.pk,
        "month": "2024-02-01",
        "recorded_by": "陳志明",
        "ac_electricity_kwh": "11800.0",
        "maintenance_done": True,
    }


def client_as(user) -> APIClient:
    """Return an API client authenticated by a fresh token of ``user`` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        _, raw = ApiToken.generate(user, "matrix")
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


# What each role sees in the lists, and what it cannot reach by guessing ids.

LIST_URLS = ["business", "premises", "equipment", "ac-log", "boiler-log", "membership"]


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


LIST_MODELS = {
    "business": Business,
    "premises": Premises,
    "equipment": Equipment,
    "ac-log": AcMonthlyLog,
    "boiler-log": BoilerMonthlyLog,
    "membership": BusinessMembership,
}


@pytest.mark.django_db
@pytest.mark.parametrize("basename", LIST_URLS)
def test_owner_lists_only_their_own_businesses_records(basename, personas, other_premises, world):
    other_chiller = make_equipment(other_premises, EquipmentKind.CHILLER)
    other_boiler = make_equipment(other_premises, EquipmentKind.BOILER)
    AcMonthlyLog.objects.create(
        equipment=other_chiller, month=date(2024, 1, 1), recorded_by="x", ac_electricity_kwh="1.0"
    )
    BoilerMonthlyLog.objects.create(
        equipment=other_boiler,
        month=date(2024, 1, 1),
        recorded_by="x",
        air_volume_m3h="1.0",
        exhaust_temp_c="1.0",
        furnace_wall_temp_c="1.0",
        exhaust_co2_pct="1.0",
    )
    model = LIST_MODELS[basename]
    owner = personas["owner"]

    listed = _ids(client_as(owner).get(reverse(f"api:{basename}-list")))

    own = set(model.objects.filter(**{_OWNER_PATH[basename]: owner}).values_list("id", flat=True))
    assert own
    assert listed == own
    assert model.objects.exclude(id__in=own).exists(), "other businesses' rows are hidden"


_OWNER_PATH = {
    "business": "memberships__user",
    "premises": "business__memberships__user",
    "equipment": "premises__business__memberships__user",
    "ac-log": "equipment__premises__business__memberships__user",
    "boiler-log": "equipment__premises__business__memberships__user",
    "membership": "business__memberships__user",
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["inspector", "api_client", "administrator"])
def test_read_all_roles_list_every_business(persona, personas, world):
    listed = _ids(client_as(personas[persona]).get(reverse("api:business-list")))

    assert listed == set(Business.objects.values_list("id", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["supplier", "programme_officer"])
@pytest.mark.parametrize("basename", [*LIST_URLS, "claim"])
def test_roles_outside_the_registry_see_empty_lists(persona, basename, personas, world):
    response = client_as(personas[persona]).get(reverse(f"api:{basename}-list"))

    assert _ids(response) == set()


@pytest.mark.django_db
def test_owner_guessing_another_business_premises_id_gets_404(personas, other_premises, world):
    client = client_as(personas["owner"])
    url = reverse("api:premises-detail", kwargs={"pk": other_premises.pk})

    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "hijacked"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    other_premises.refresh_from_db()
    assert other_premises.name != "hijacked"


@pytest.mark.django_db
def test_owner_cannot_create_equipment_on_another_business_premises(
    personas, other_premises, world
):
    client = client_as(personas["owner"])
    payload = {
        "premises": other_premises.pk,
        "kind": "signboard",
        "tag": "SB-X",
        "lamp_type": "led",
    }

    response = client.post(reverse("api:equipment-list"), payload, format="json")

    assert response.status_code == 400
    assert "premises" in response.json()["errors"]
    assert not Equipment.objects.filter(tag="SB-X").exists()


@pytest.mark.django_db
def test_owner_cannot_move_own_premises_to_another_business(personas, other_business, world):
    client = client_as(personas["owner"])
    url = reverse("api:premises-detail", kwargs={"pk": world.premises.pk})

    response = client.patch(url, {"business": other_business.pk}, format="json")

    assert response.status_code == 400
    assert "business" in response.json()["errors"]
    world.premises.refresh_from_db()
    assert world.premises.business_id == world.business.pk


@pytest.mark.django_db
def test_owner_cannot_log_for_another_business_chiller(personas, other_premises, world):
    other_chiller = make_equipment(other_premises, EquipmentKind.CHILLER)
    payload = ac_log_payload(other_chiller)

    response = client_as(personas["owner"]).post(reverse("api:ac-log-list"), payload, format="json")

    assert response.status_code == 400
    assert "equipment" in response.json()["errors"]
    assert not AcMonthlyLog.objects.filter(equipment=other_chiller).exists()


@pytest.mark.django_db
def test_unknown_and_foreign_ids_look_the_same_to_a_business_user(personas, other_premises, world):
    client = client_as(personas["owner"])
    foreign = client.get(reverse("api:premises-detail", kwargs={"pk": other_premises.pk}))
    unknown = client.get(reverse("api:premises-detail", kwargs={"pk": 987654321}))

    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()


@pytest.mark.django_db
def test_anonymous_request_is_told_to_authenticate(world):
    response = APIClient().get(reverse("api:premises-list"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_session_of_a_signed_in_user_works_like_a_token(personas, world):
    client = APIClient()
    client.login(username="owner1", password=PASSWORD)

    listed = _ids(client.get(reverse("api:premises-list")))

    assert listed == {world.premises.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("basename", ["claim", "premises", "equipment"])
def test_browsable_api_forms_do_not_list_other_businesses(
    basename, personas, other_business, other_premises, world
):
    client = APIClient()
    client.force_login(personas["owner"])

    response = client.get(reverse(f"api:{basename}-list"), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html
    assert other_business.name_zh not in html
    assert other_premises.name not in html
