"""The planning API: who reads which inspections, filters and cursors, administrators'
single inspections, reschedules with a reason, cancellations and batches."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import District, PremisesCategory
from inspections.choices import InspectionPurpose, InspectionStatus
from inspections.models import Inspection, InspectionBatch
from portal.audit import history_of
from tests.factories import make_business, make_premises
from tests.inspections.planning_builders import make_inspection, make_inspector

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)
DAY = datetime.timedelta(days=1)
LIST = reverse("api:inspection-list")
BATCHES = reverse("api:inspection-batch-list")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-18 09:00 +0800", tick=False)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(inspection) -> str:
    return reverse("api:inspection-detail", args=[inspection.pk])


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# Reading.


def test_business_users_list_their_own_inspections_city_staff_all(
    owner, other_owner, inspector, api_client_user, supplier, premises, other_premises
):
    own = make_inspection(premises, TODAY, lead=inspector)
    other = make_inspection(other_premises, TODAY)

    assert ids(api(owner).get(LIST)) == [own.pk]
    assert ids(api(other_owner).get(LIST)) == [other.pk]
    assert ids(api(inspector).get(LIST)) == [own.pk, other.pk]
    assert ids(api(api_client_user).get(LIST)) == [own.pk, other.pk]
    assert ids(api(supplier).get(LIST)) == []
    assert api(owner).get(detail(other)).status_code == 404
    body = api(owner).get(detail(own)).json()
    assert body["premises"] == premises.pk
    assert body["assignments"] == [{"user": inspector.pk, "name": "inspector1", "role": "lead"}]


def test_filters_by_status_premises_days_inspector_and_purpose(inspector, business):
    ann = make_inspector("ann")
    shop, hotel = make_premises(business), make_premises(business)
    a = make_inspection(shop, TODAY, lead=ann)
    b = make_inspection(hotel, TODAY + 3 * DAY, lead=inspector, purpose=InspectionPurpose.COMPLAINT)
    c = make_inspection(hotel, TODAY + 9 * DAY, lead=ann, status=InspectionStatus.CANCELLED)
    client = api(inspector)

    assert ids(client.get(LIST, {"status": "cancelled"})) == [c.pk]
    assert ids(client.get(LIST, {"premises": hotel.pk})) == [b.pk, c.pk]
    assert ids(
        client.get(
            LIST, {"scheduled_for_after": "2026-11-19", "scheduled_for_before": "2026-11-21"}
        )
    ) == [b.pk]
    assert ids(client.get(LIST, {"inspector": ann.pk})) == [a.pk, c.pk]
    assert ids(client.get(LIST, {"purpose": "complaint"})) == [b.pk]
    assert client.get(LIST, {"status": "nonsense"}).status_code == 400


def test_list_pages_by_cursor_without_counting(inspector, premises):
    for n in range(3):
        make_inspection(premises, TODAY + n * DAY)

    first = api(inspector).get(LIST, {"page_size": 2}).json()

    assert "count" not in first and len(first["results"]) == 2
    second = api(inspector).get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(count, inspector):
    for _ in range(count):
        premises = make_premises(make_business())
        make_inspection(premises, TODAY, lead=inspector, others=[make_inspector(f"x{premises.pk}")])


@pytest.mark.parametrize("url", [LIST, BATCHES])
def test_lists_cost_the_same_queries_for_few_and_many_rows(administrator, inspector, url):
    client = api(administrator)
    _add(2, inspector)
    InspectionBatch.objects.create(title="one")
    small = _count_queries(client, url)
    _add(10, inspector)
    for n in range(5):
        batch = InspectionBatch.objects.create(title=f"b{n}")
        Inspection.objects.filter(batch__isnull=True).update(batch=batch)
    large = _count_queries(client, url)

    assert large == small


def test_a_batch_is_read_with_its_inspections_in_constant_queries(administrator, inspector):
    _add(3, inspector)
    batch = InspectionBatch.objects.create(title="small")
    Inspection.objects.update(batch=batch)
    url = reverse("api:inspection-batch-detail", args=[batch.pk])
    small = _count_queries(api(administrator), url)
    _add(9, inspector)
    Inspection.objects.update(batch=batch)

    assert _count_queries(api(administrator), url) == small
    assert len(api(inspector).get(url).json()["inspections"]) == 12


# Writing: administrators only.


def test_administrator_plans_a_single_inspection_ignoring_forbidden_fields(
    administrator, inspector, premises
):
    response = api(administrator).post(
        LIST,
        {
            "premises": premises.pk,
            "scheduled_for": "2026-11-20",
            "purpose": "complaint",
            "lead": inspector.pk,
            "experts": "林教授",
            "status": "completed",
            "batch": 999,
            "created_by": inspector.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    inspection = Inspection.objects.get(pk=body["id"])
    assert (inspection.status, inspection.batch, inspection.created_by) == (
        InspectionStatus.PLANNED,
        None,
        administrator,
    )
    assert body["assignments"] == [{"user": inspector.pk, "name": "inspector1", "role": "lead"}]
    assert body["purpose"] == "complaint" and body["experts"] == "林教授"
    assert [e.action for e in history_of(inspection)] == ["create"]


def test_a_single_inspection_without_lead_goes_to_the_least_loaded(administrator, premises):
    busy, free = make_inspector("busy"), make_inspector("free")
    make_inspection(premises, TODAY, lead=busy)

    response = api(administrator).post(
        LIST, {"premises": premises.pk, "scheduled_for": "2026-11-20"}, format="json"
    )

    assert response.json()["assignments"][0]["user"] == free.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"premises": None}, "premises"),
        ({"premises": 999999}, "premises"),
        ({"scheduled_for": "2026-11-01"}, "scheduled_for"),
        ({"scheduled_for": "20.11.2026"}, "scheduled_for"),
        ({"lead": 999999}, "lead"),
        ({"purpose": "reinspection"}, "purpose"),
    ],
)
def test_bad_inspections_are_400_with_the_field(administrator, premises, change, field):
    payload = {"premises": premises.pk, "scheduled_for": "2026-11-20", **change}
    payload = {key: value for key, value in payload.items() if value is not None}

    response = api(administrator).post(LIST, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Inspection.objects.exists()


def test_a_business_user_as_lead_is_refused(administrator, owner, premises):
    response = api(administrator).post(
        LIST,
        {"premises": premises.pk, "scheduled_for": "2026-11-20", "lead": owner.pk},
        format="json",
    )

    assert response.status_code == 400 and "lead" in response.json()["errors"]


@pytest.mark.parametrize("persona", ["inspector", "owner", "api_client_user"])
def test_only_administrators_plan_through_the_api(request, persona, premises):
    user = request.getfixturevalue(persona)

    response = api(user).post(
        LIST, {"premises": premises.pk, "scheduled_for": "2026-11-20"}, format="json"
    )

    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_rescheduling_needs_a_reason_and_is_audited(administrator, inspector, premises):
    inspection = make_inspection(premises, TODAY, lead=inspector)
    client = api(administrator)

    refused = client.patch(detail(inspection), {"scheduled_for": "2026-11-24"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]

    done = client.patch(
        detail(inspection),
        {"scheduled_for": "2026-11-24", "reason": "Typhoon warning.", "status": "completed"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["scheduled_for"] == "2026-11-24"
    assert done.json()["status"] == "planned"
    (entry,) = history_of(inspection)
    assert (entry.actor, entry.reason) == (administrator, "Typhoon warning.")
    assert entry.changes == {"scheduled_for": ["2026-11-18", "2026-11-24"]}


def test_patch_to_the_past_is_400_and_changes_nothing(administrator, inspector, premises):
    inspection = make_inspection(premises, TODAY, lead=inspector)

    response = api(administrator).patch(
        detail(inspection),
        {"scheduled_for": "2026-11-01", "reason": "x", "lead": make_inspector("new").pk},
        format="json",
    )

    assert response.status_code == 400
    assert "scheduled_for" in response.json()["errors"]
    assert inspection.assignments.get().user == inspector  # the reassignment rolled back
    assert not history_of(inspection).exists()


def test_patch_reassigns_and_edits_experts(administrator, inspector, premises):
    ann = make_inspector("ann")
    inspection = make_inspection(premises, TODAY, lead=inspector)

    response = api(administrator).patch(
        detail(inspection), {"inspectors": [ann.pk], "experts": "陳博士"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert {(a["user"], a["role"]) for a in response.json()["assignments"]} == {
        (inspector.pk, "lead"),
        (ann.pk, "inspector"),
    }
    assert response.json()["experts"] == "陳博士"
    assert len(history_of(inspection)) == 2


def test_inspectors_and_businesses_cannot_patch(inspector, owner, other_owner, premises):
    inspection = make_inspection(premises, TODAY, lead=inspector)
    payload = {"scheduled_for": "2026-11-24", "reason": "Mine"}

    assert api(inspector).patch(detail(inspection), payload, format="json").status_code == 403
    assert api(owner).patch(detail(inspection), payload, format="json").status_code == 403
    assert api(other_owner).patch(detail(inspection), payload, format="json").status_code == 404
    inspection.refresh_from_db()
    assert inspection.scheduled_for == TODAY


def test_cancel_needs_a_reason(administrator, premises):
    inspection = make_inspection(premises, TODAY)
    url = reverse("api:inspection-cancel", args=[inspection.pk])

    assert api(administrator).post(url, {}, format="json").status_code == 400
    response = api(administrator).post(url, {"reason": "Closed down."}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert history_of(inspection).get().reason == "Closed down."
    again = api(administrator).post(url, {"reason": "Twice"}, format="json")
    assert again.status_code == 400


# Batches.


def test_batch_from_criteria_answers_201_with_the_inspections(administrator, business):
    ann, bo = make_inspector("ann"), make_inspector("bo")
    hotels = [
        make_premises(business, category=PremisesCategory.HOTEL, district=District.DAAN)
        for _ in range(3)
    ]
    make_premises(business, category=PremisesCategory.HOTEL, district=District.XINYI)

    response = api(administrator).post(
        BATCHES,
        {
            "title": "Da'an hotels",
            "scheduled_for": "2026-11-30",
            "criteria": {"district": "daan", "category": "hotel", "industry_code": ""},
            "inspectors": [ann.pk, bo.pk],
            "experts": "林教授",
            "id": 12345,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] != 12345
    assert sorted(row["premises"] for row in body["inspections"]) == [h.pk for h in hotels]
    leads = sorted(row["assignments"][0]["user"] for row in body["inspections"])
    assert leads == sorted([ann.pk, ann.pk, bo.pk])
    assert body["criteria"]["district"] == "daan"
    listed = api(administrator).get(BATCHES).json()["results"]
    assert [(row["title"], row["inspection_count"]) for row in listed] == [("Da'an hotels", 3)]


def test_batch_of_listed_premises(administrator, business):
    ann = make_inspector("ann")
    chosen = make_premises(business)
    make_premises(business)

    response = api(administrator).post(
        BATCHES,
        {
            "title": "One",
            "scheduled_for": "2026-11-30",
            "premises": [chosen.pk],
            "inspectors": [ann.pk],
        },
        format="json",
    )

    assert response.status_code == 201
    assert [row["premises"] for row in response.json()["inspections"]] == [chosen.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"criteria": {"district": "atlantis"}}, "criteria"),
        ({"criteria": {"district": "beitou"}}, "criteria"),  # nothing matches
        ({"criteria": {"last_inspection": "before"}}, "criteria"),
        ({"criteria": None}, "criteria"),
        ({"inspectors": []}, "inspectors"),
        ({"inspectors": [999999]}, "inspectors"),
        ({"scheduled_for": "2026-11-01"}, "scheduled_for"),
        ({"title": ""}, "title"),
        ({"premises": [999999]}, "premises"),
    ],
)
def test_bad_batches_are_400_and_plan_nothing(administrator, business, change, field):
    make_premises(business, district=District.XINYI)
    payload = {
        "title": "B",
        "scheduled_for": "2026-11-30",
        "criteria": {"district": "xinyi"},
        "inspectors": [make_inspector("ann").pk],
    }
    payload.update(change)
    payload = {key: value for key, value in payload.items() if value is not None}

    response = api(administrator).post(BATCHES, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not InspectionBatch.objects.exists() and not Inspection.objects.exists()


def test_batches_are_for_city_staff(inspector, owner):
    batch = InspectionBatch.objects.create(title="Internal")

    assert [row["id"] for row in api(inspector).get(BATCHES).json()["results"]] == [batch.pk]
    assert api(owner).get(BATCHES).json()["results"] == []
    url = reverse("api:inspection-batch-detail", args=[batch.pk])
    assert api(owner).get(url).status_code == 404
    assert api(inspector).post(BATCHES, {}, format="json").status_code == 403


def test_the_schema_describes_the_planning_endpoints():
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

    schema = out.getvalue()
    for path in (
        "/api/v1/inspections/",
        "/api/v1/inspections/{id}/",
        "/api/v1/inspections/{id}/cancel/",
        "/api/v1/inspection-batches/",
    ):
        assert f'"{path}"' in schema
    assert "PatchedInspectionUpdateRequest" in schema
