"""Lists of the REST API (filters, cursors, constant queries) and the OpenAPI schema."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import EquipmentKind
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, BusinessClaim
from portal.models import ApiToken
from tests.factories import make_business, make_equipment, make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def chiller(premises):
    return make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")


# Filters.


def test_premises_filter_by_district_kind_category_and_business(
    inspector, business, other_business
):
    wanted = make_premises(business, district="daan", kind="office", category="hotel")
    make_premises(business, district="daan", kind="factory", category="hotel")
    make_premises(other_business, district="daan", kind="office", category="hotel")

    response = api(inspector).get(
        reverse("api:premises-list"),
        {"district": "daan", "kind": "office", "category": "hotel", "business": business.pk},
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_equipment_filter_by_business_and_district(inspector, business, other_business):
    here = make_equipment(make_premises(business, district="beitou"), EquipmentKind.SIGNBOARD)
    make_equipment(make_premises(business, district="xinyi"), EquipmentKind.SIGNBOARD)
    make_equipment(make_premises(other_business, district="beitou"), EquipmentKind.SIGNBOARD)

    response = api(inspector).get(
        reverse("api:equipment-list"), {"business": business.pk, "district": "beitou"}
    )

    assert [row["id"] for row in response.json()["results"]] == [here.pk]


def test_log_filter_by_month_range(inspector, chiller):
    for month in (1, 2, 3, 4):
        AcMonthlyLog.objects.create(
            equipment=chiller, month=date(2024, month, 1), recorded_by="x", ac_electricity_kwh="1"
        )

    response = api(inspector).get(
        reverse("api:ac-log-list"), {"month_after": "2024-02-01", "month_before": "2024-03-01"}
    )

    assert sorted(row["month"] for row in response.json()["results"]) == [
        "2024-02-01",
        "2024-03-01",
    ]


def test_unknown_filter_value_is_a_400(inspector):
    response = api(inspector).get(reverse("api:premises-list"), {"district": "atlantis"})

    assert response.status_code == 400
    assert "district" in response.json()["errors"]


def test_filtering_by_a_foreign_business_shows_nothing(owner, other_business, other_premises):
    response = api(owner).get(reverse("api:premises-list"), {"business": other_business.pk})

    assert response.status_code == 200
    assert response.json()["results"] == []


# Lists that can grow to millions of rows: cursors, no COUNT(*), constant queries.


def populate(owner, business, n: int) -> None:
    """Add ``n`` rows of every listed kind, all visible to ``owner``."""
    premises = make_premises(business)
    chiller = make_equipment(premises, EquipmentKind.CHILLER)
    boiler = make_equipment(premises, EquipmentKind.BOILER)
    start = AcMonthlyLog.objects.filter(equipment=chiller).count()
    for i in range(n):
        other = make_business(members=[owner])
        make_premises(business)
        make_equipment(premises, EquipmentKind.SIGNBOARD)
        month = date(2000 + (start + i) // 12, (start + i) % 12 + 1, 1)
        AcMonthlyLog.objects.create(
            equipment=chiller, month=month, recorded_by="x", ac_electricity_kwh="1"
        )
        BoilerMonthlyLog.objects.create(
            equipment=boiler,
            month=month,
            recorded_by="x",
            air_volume_m3h="1",
            exhaust_temp_c="1",
            furnace_wall_temp_c="1",
            exhaust_co2_pct="1",
        )
        BusinessClaim.objects.create(user=owner, business=make_business(), evidence="x")
        ApiToken.generate(owner, f"t{i}")
        assert other.pk


LIST_NAMES = [
    "business",
    "premises",
    "equipment",
    "ac-log",
    "boiler-log",
    "membership",
    "claim",
    "token",
]


def _list_queries(client, basename: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"api:{basename}-list"), {"page_size": 100})
    assert response.status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize("persona", ["owner", "administrator"])
def test_list_endpoints_keep_a_constant_query_count_and_never_count(
    persona, owner, administrator, business
):
    user = {"owner": owner, "administrator": administrator}[persona]
    client = APIClient()
    _, raw = ApiToken.generate(user, "counting")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.get(reverse("api:api-root"))  # the token's first use records last_used_at
    populate(owner, business, 3)
    small = {name: _list_queries(client, name) for name in LIST_NAMES}
    populate(owner, business, 27)

    large = {name: _list_queries(client, name) for name in LIST_NAMES}

    for name in LIST_NAMES:
        assert len(large[name]) == len(small[name]), (name, large[name])
        assert not [sql for sql in large[name] if "COUNT(" in sql.upper()], name


def test_lists_page_with_a_cursor(inspector, business):
    for _ in range(5):
        make_premises(business)
    client = api(inspector)

    first = client.get(reverse("api:premises-list"), {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert set(first) == {"next", "previous", "results"}
    assert "cursor=" in first["next"]
    assert len(first["results"]) == len(second["results"]) == 2
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


def test_lists_can_be_ordered_by_a_declared_field(inspector, business):
    make_premises(business, name="B")
    make_premises(business, name="A")

    response = api(inspector).get(reverse("api:premises-list"), {"ordering": "name"})

    assert [row["name"] for row in response.json()["results"]] == ["A", "B"]


# The OpenAPI schema and its docs page.


def test_schema_generates_without_warnings_and_names_every_resource():
    out, err = StringIO(), StringIO()

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        stdout=out,
        stderr=err,
    )

    assert "Warning" not in err.getvalue() and "Error" not in err.getvalue(), err.getvalue()
    schema = out.getvalue()
    for path in (
        "/api/v1/businesses/",
        "/api/v1/premises/{id}/",
        "/api/v1/equipment/",
        "/api/v1/ac-logs/",
        "/api/v1/boiler-logs/",
        "/api/v1/memberships/",
        "/api/v1/claims/{id}/decide/",
        "/api/v1/auth/token/",
        "/api/v1/tokens/{id}/",
    ):
        assert f'"{path}"' in schema, path


def test_schema_is_served(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/premises/" in response.content


@pytest.mark.parametrize("signed_in", [True, False])
def test_docs_page_is_public_html_that_loads_its_script_from_a_file(client, owner, signed_in):
    if signed_in:
        client.force_login(owner)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "<script>" not in html, "inline scripts are forbidden by the CSP"
