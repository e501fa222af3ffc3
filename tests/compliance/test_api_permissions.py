"""Who may do what through the REST API: every endpoint, method and persona.

Requests authenticate with real API tokens. The matrix names every URL pattern of the
API namespace; a new endpoint without a row makes ``test_every_api_url_has_a_matrix_row``
fail, so nothing escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

import inspections.api.urls
import portal.api.urls
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
from compliance.models.exemptions import Exemption
from compliance.models.rulebook import RuleBookVersion
from compliance.rules import initial_parameters, params_to_dict
from compliance.services import assessment
from compliance.validators import is_valid_ubn
from portal.models import ApiToken
from tests.conftest import PASSWORD
from tests.factories import make_business, make_equipment

PERSONAS = (
    "administrator",
    "inspector",
    "owner",
    "other_owner",
    "supplier",
    "programme_officer",
    "api_client",
    "anonymous",
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash the personas' passwords cheaply; the matrix creates them for every cell."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fresh_ubn() -> str:
    """Return a valid unified business number no factory hands out."""
    return next(u for u in (f"{n:08d}" for n in range(90000000, 90000100)) if is_valid_ubn(u))


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Return the expected status of every persona: ``default`` unless overridden."""
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


LIST = statuses(200, anonymous=401)
# Objects of the owner's business: read-all roles see them, other roles get 404.
RETRIEVE = statuses(200, other_owner=404, supplier=404, programme_officer=404, anonymous=401)
# Writes: administrators and the owner; read-only roles are refused (403), and who
# cannot see the object gets 404 as if it did not exist.
UPDATE = statuses(
    200,
    inspector=403,
    api_client=403,
    other_owner=404,
    supplier=404,
    programme_officer=404,
    anonymous=401,
)
DELETE = {**UPDATE, "administrator": 204, "owner": 204}
# Creating a record under the owner's business: another business's user names an object
# outside what they may edit, which answers 400 (the field's "does not exist").
CREATE_UNDER_OWNER = statuses(
    201,
    other_owner=400,
    inspector=403,
    supplier=403,
    programme_officer=403,
    api_client=403,
    anonymous=401,
)
NOT_ALLOWED = statuses(405, anonymous=401)
TOKEN_OWN = statuses(404, owner=200, anonymous=401)
# The rule book: drafts exist for administrators only; published versions are frozen.
DRAFT = statuses(404, administrator=200, anonymous=401)
FROZEN = statuses(403, anonymous=401)


@dataclass
class World:
    """The records every matrix cell starts from."""

    business: object
    bare_business: object
    third_business: object
    unclaimed_business: object
    premises: object
    chiller: object
    boiler: object
    ac_log: object
    boiler_log: object
    membership: object
    claim: object
    owner_token: object
    exemption: object = None
    approved_exemption: object = None
    rulebook: object = None
    draft: object = None


@pytest.fixture
def world(business, other_business, premises, other_premises, owner) -> World:
    chiller = make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")
    boiler = make_equipment(premises, EquipmentKind.BOILER, tag="BO-1")
    third = make_business()
    assessment.assess_premises([premises.pk])  # a compliance decision to read
    return World(
        business=business,
        bare_business=make_business(members=[owner]),
        third_business=third,
        unclaimed_business=make_business(),
        premises=premises,
        chiller=chiller,
        boiler=boiler,
        ac_log=AcMonthlyLog.objects.create(
            equipment=chiller,
            month=date(2024, 1, 1),
            recorded_by="陳志明",
            ac_electricity_kwh="12000.0",
        ),
        boiler_log=BoilerMonthlyLog.objects.create(
            equipment=boiler,
            month=date(2024, 1, 1),
            recorded_by="陳志明",
            air_volume_m3h="5000.0",
            exhaust_temp_c="180.0",
            furnace_wall_temp_c="60.0",
            exhaust_co2_pct="11.5",
        ),
        membership=BusinessMembership.objects.get(user=owner, business=business),
        claim=BusinessClaim.objects.create(user=owner, business=third, evidence="經理"),
        owner_token=ApiToken.generate(owner, "owner's script")[0],
        exemption=Exemption.objects.create(premises=premises, **exemption_payload(None)),
        approved_exemption=Exemption.objects.create(
            premises=premises, status="approved", **exemption_payload(None)
        ),
        rulebook=RuleBookVersion.objects.create(
            title="published",
            status="published",
            published_at=timezone.now(),
            effective_from=date(2000, 1, 1),
            parameters=params_to_dict(initial_parameters()),
        ),
        draft=RuleBookVersion.objects.create(
            title="draft",
            effective_from=date(2099, 1, 1),
            parameters=params_to_dict(initial_parameters()),
        ),
    )


def business_payload(w: World) -> dict:
    return {
        "ubn": fresh_ubn(),
        "name_zh": "新登記商行",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "林小美",
    }


def premises_payload(w: World) -> dict:
    return {
        "business": w.business.pk,
        "name": "新門市",
        "kind": "business",
        "address": "臺北市大安區復興南路一段1號",
        "district": "daan",
        "category": "retail_shop",
        "floor_area_m2": "85.50",
    }


def equipment_payload(w: World) -> dict:
    return {"premises": w.premises.pk, "kind": "signboard", "tag": "SB-9", "lamp_type": "led"}


def ac_log_payload(w: World) -> dict:
    return {
        "equipment": w.chiller.pk,
        "month": "2024-02-01",
        "recorded_by": "陳志明",
        "ac_electricity_kwh": "11800.0",
        "maintenance_done": True,
    }


def boiler_log_payload(w: World) -> dict:
    return {
        "equipment": w.boiler.pk,
        "month": "2024-02-01",
        "recorded_by": "陳志明",
        "air_volume_m3h": "5100.0",
        "exhaust_temp_c": "175.0",
        "furnace_wall_temp_c": "58.0",
        "exhaust_co2_pct": "11.8",
    }


def exemption_payload(w: World | None) -> dict:
    fields = {
        "article": "8-1",
        "reason": "gas_supply_insufficient",
        "explanation": "No gas main in the street yet.",
        "evidence": "The gas company's letter of 2024-01-05.",
        "valid_from": "2024-01-01",
    }
    return fields if w is None else {**fields, "premises": w.premises.pk}


def claim_payload(w: World) -> dict:
    return {"business": w.unclaimed_business.pk, "evidence": "I am the general manager."}


@dataclass(frozen=True)
class Row:
    """One endpoint and method of the matrix."""

    url_name: str
    method: str
    expected: dict[str, int]
    target: str | None = None  # the World attribute whose pk the URL takes
    payload: object = None  # a function of the World, for writes


ROWS = [
    Row("api-root", "get", LIST),
    # Businesses: any business user may register one (and then acts for it).
    Row("business-list", "get", LIST),
    Row(
        "business-list",
        "post",
        statuses(
            201, inspector=403, supplier=403, programme_officer=403, api_client=403, anonymous=401
        ),
        payload=business_payload,
    ),
    Row("business-detail", "get", RETRIEVE, "bare_business"),
    Row("business-detail", "patch", UPDATE, "bare_business", lambda w: {"name_zh": "改名"}),
    Row(
        "business-detail",
        "put",
        UPDATE,
        "bare_business",
        lambda w: {**business_payload(w), "name_zh": "改名"},
    ),
    Row("business-detail", "delete", DELETE, "bare_business"),
    Row("premises-list", "get", LIST),
    Row("premises-list", "post", CREATE_UNDER_OWNER, payload=premises_payload),
    Row("premises-detail", "get", RETRIEVE, "premises"),
    Row("premises-detail", "patch", UPDATE, "premises", lambda w: {"name": "改名"}),
    Row("premises-detail", "put", UPDATE, "premises", premises_payload),
    Row("premises-detail", "delete", DELETE, "premises"),
    # Compliance status: read-only, visible as the premises and business themselves.
    Row("compliance-premises-list", "get", LIST),
    Row("compliance-premises-detail", "get", RETRIEVE, "premises"),
    Row("compliance-business-detail", "get", RETRIEVE, "business"),
    Row("equipment-list", "get", LIST),
    Row("equipment-list", "post", CREATE_UNDER_OWNER, payload=equipment_payload),
    Row("equipment-detail", "get", RETRIEVE, "chiller"),
    Row("equipment-detail", "patch", UPDATE, "chiller", lambda w: {"description": "B1"}),
    Row("equipment-detail", "delete", DELETE, "chiller"),
    Row("ac-log-list", "get", LIST),
    Row("ac-log-list", "post", CREATE_UNDER_OWNER, payload=ac_log_payload),
    Row("ac-log-detail", "get", RETRIEVE, "ac_log"),
    Row("ac-log-detail", "patch", UPDATE, "ac_log", lambda w: {"notes": "清洗冷卻水塔"}),
    Row("ac-log-detail", "delete", DELETE, "ac_log"),
    Row("boiler-log-list", "get", LIST),
    Row("boiler-log-list", "post", CREATE_UNDER_OWNER, payload=boiler_log_payload),
    Row("boiler-log-detail", "get", RETRIEVE, "boiler_log"),
    Row("boiler-log-detail", "patch", UPDATE, "boiler_log", lambda w: {"notes": "調整風門"}),
    Row("boiler-log-detail", "delete", DELETE, "boiler_log"),
    # Memberships are read-only: they come from registration and approved claims.
    Row("membership-list", "get", LIST),
    Row(
        "membership-list",
        "post",
        statuses(
            405, inspector=403, supplier=403, programme_officer=403, api_client=403, anonymous=401
        ),
        payload=lambda w: {"user": w.membership.user_id, "business": w.third_business.pk},
    ),
    Row("membership-detail", "get", RETRIEVE, "membership"),
    Row("membership-detail", "patch", NOT_ALLOWED, "membership", lambda w: {"business": 1}),
    Row("membership-detail", "delete", NOT_ALLOWED, "membership"),
    # Claims: the claimant and administrators see a claim; only business users claim;
    # only administrators decide.
    Row("claim-list", "get", LIST),
    Row(
        "claim-list",
        "post",
        statuses(403, owner=201, other_owner=201, anonymous=401),
        payload=claim_payload,
    ),
    Row("claim-detail", "get", statuses(404, administrator=200, owner=200, anonymous=401), "claim"),
    Row("claim-detail", "patch", NOT_ALLOWED, "claim", lambda w: {"status": "approved"}),
    Row("claim-detail", "delete", NOT_ALLOWED, "claim"),
    Row(
        "claim-decide",
        "post",
        statuses(404, administrator=200, owner=403, anonymous=401),
        "claim",
        lambda w: {"approve": True, "reason": "Checked the company register."},
    ),
    # Exemptions: businesses (for their own premises) and administrators request them;
    # only administrators decide and revoke.
    Row("exemption-list", "get", LIST),
    Row("exemption-list", "post", CREATE_UNDER_OWNER, payload=exemption_payload),
    Row("exemption-detail", "get", RETRIEVE, "exemption"),
    Row("exemption-detail", "patch", NOT_ALLOWED, "exemption", lambda w: {"status": "approved"}),
    Row("exemption-detail", "delete", NOT_ALLOWED, "exemption"),
    Row(
        "exemption-decide",
        "post",
        {**UPDATE, "owner": 403},
        "exemption",
        lambda w: {"approve": True, "reason": "The gas company's letter was checked."},
    ),
    Row(
        "exemption-revoke",
        "post",
        {**UPDATE, "owner": 403},
        "approved_exemption",
        lambda w: {"reason": "A gas main has been laid."},
    ),
    # The rule book: everyone reads published versions; administrators draft and publish;
    # any write to a published version is refused (403), administrators included.
    Row("rulebook-version-list", "get", LIST),
    Row(
        "rulebook-version-list",
        "post",
        statuses(403, administrator=201, anonymous=401),
        payload=lambda w: {"title": "API draft"},
    ),
    Row("rulebook-version-in-force", "get", LIST),
    Row("rulebook-version-detail", "get", LIST, "rulebook"),
    Row("rulebook-version-detail", "get", DRAFT, "draft"),
    Row("rulebook-version-detail", "patch", DRAFT, "draft", lambda w: {"title": "x"}),
    Row("rulebook-version-detail", "patch", FROZEN, "rulebook", lambda w: {"title": "x"}),
    Row("rulebook-version-detail", "put", NOT_ALLOWED, "draft", lambda w: {"title": "x"}),
    Row("rulebook-version-detail", "delete", {**DRAFT, "administrator": 204}, "draft"),
    Row("rulebook-version-detail", "delete", FROZEN, "rulebook"),
    Row("rulebook-version-publish", "post", DRAFT, "draft"),
    Row("rulebook-version-publish", "post", FROZEN, "rulebook"),
    # Tokens: everyone signed in manages their own, and sees no one else's.
    Row("token-list", "get", LIST),
    Row("token-list", "post", statuses(201, anonymous=401), payload=lambda w: {"name": "ci"}),
    Row("token-detail", "get", TOKEN_OWN, "owner_token"),
    Row("token-detail", "delete", {**TOKEN_OWN, "owner": 204}, "owner_token"),
    Row("token-detail", "patch", NOT_ALLOWED, "owner_token", lambda w: {"name": "x"}),
    # Trading credentials for a token needs no prior authentication at all.
    Row(
        "auth-token",
        "post",
        statuses(201),
        payload=lambda w: {"username": "owner1", "password": PASSWORD, "name": "cli"},
    ),
    Row("auth-token", "get", statuses(405)),
]


def _cells():
    for row in ROWS:
        for persona in PERSONAS:
            yield pytest.param(row, persona, id=f"{row.url_name}-{row.method}-{persona}")


def client_as(user) -> APIClient:
    """Return an API client authenticated by a fresh token of ``user`` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        _, raw = ApiToken.generate(user, "matrix")
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), list(_cells()))
def test_persona_gets_the_expected_status(row: Row, persona: str, personas, world):
    client = client_as(personas[persona])
    args = [getattr(world, row.target).pk] if row.target else []
    url = reverse(f"api:{row.url_name}", args=args)
    payload = row.payload(world) if row.payload else None

    response = getattr(client, row.method)(url, payload, format="json")

    assert response.status_code == row.expected[persona], response.content


def _api_url_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _api_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_api_url_has_a_matrix_row():
    from tests import test_permission_matrix as page_matrix

    covered = {row.url_name for row in ROWS}
    # Some APIs (inspections, enforcement, subsidies) have their rows, named "api:<name>",
    # in the project-wide matrix tests/test_permission_matrix.py.
    covered |= {
        row.name.removeprefix("api:") for row in page_matrix.ROWS if row.name.startswith("api:")
    }
    missing = (
        _api_url_names(portal.api.urls.urlpatterns)
        - _api_url_names(inspections.api.urls.urlpatterns)
        - covered
    )

    assert not missing, f"API endpoints without a permission-matrix row: {sorted(missing)}"


def test_every_matrix_row_names_every_persona():
    for row in ROWS:
        assert set(row.expected) == set(PERSONAS), row


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
    payload = {**ac_log_payload(world), "equipment": other_chiller.pk}

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
