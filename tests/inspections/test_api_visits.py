"""The visits API: idempotent start, nested readings, completion, photos, permissions."""

import uuid
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.models import Violation
from inspections.models import Photo, Visit
from tests.factories import make_premises
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    image_bytes,
    inspection_fixture,
    make_inspection,
    make_visit,
    media_root_fixture,
    unassigned_inspector_fixture,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(visit) -> str:
    return reverse("api:visit-detail", args=[visit.pk])


def test_posting_the_same_visit_twice_creates_one_visit(inspector, inspection):
    key = str(uuid.uuid4())
    client = api(inspector)
    url = reverse("api:visit-list")
    first = client.post(url, {"inspection": inspection.pk}, headers={"idempotency-key": key})
    second = client.post(url, {"inspection": inspection.pk}, headers={"idempotency-key": key})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["client_key"] == key
    third = client.post(url, {"inspection": inspection.pk, "client_key": str(uuid.uuid4())})
    assert third.status_code == 200 and third.json()["id"] == first.json()["id"]
    assert Visit.objects.count() == 1


def test_a_key_that_is_not_a_uuid_is_a_400(inspector, inspection):
    response = api(inspector).post(
        reverse("api:visit-list"),
        {"inspection": inspection.pk},
        headers={"idempotency-key": "not-a-uuid"},
    )
    assert response.status_code == 400
    assert "client_key" in response.json()["errors"]


def test_an_inspection_the_user_cannot_see_is_a_field_error(other_owner, inspector, premises):
    hidden = make_inspection(premises, lead=inspector)
    response = api(other_owner).post(reverse("api:visit-list"), {"inspection": hidden.pk})
    assert response.status_code == 403  # business users never start visits
    response = api(inspector).post(reverse("api:visit-list"), {"inspection": 999999})
    assert response.status_code == 400
    assert "inspection" in response.json()["errors"]


def test_patch_saves_nested_readings_and_resending_changes_nothing(inspector, visit):
    body = {
        "badge_numbers": "TPE-7",
        "temperatures": [
            {"point": "door", "temperature_c": "25.0"},
            {"point": "desk", "temperature_c": "26.0"},
        ],
        "illuminance_readings": [
            {"point": "floor", "space_type": "office", "illuminance_lux": "800"}
        ],
    }
    client = api(inspector)
    first = client.patch(detail(visit), body, format="json")
    second = client.patch(detail(visit), body, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json()["temperatures"] == second.json()["temperatures"]
    assert visit.temperatures.count() == 2 and visit.illuminance_readings.count() == 1
    # PATCH keeps the kinds it does not name; PUT replaces them all.
    client.patch(detail(visit), {"notes": "ok"}, format="json")
    assert visit.temperatures.count() == 2
    client.put(detail(visit), {"temperatures": [{"temperature_c": "27"}]}, format="json")
    assert visit.temperatures.count() == 1 and visit.illuminance_readings.count() == 0


def test_row_errors_come_back_with_their_index_never_500(inspector, visit):
    body = {
        "temperatures": [
            {"point": "door", "temperature_c": "25.0"},
            {"point": "desk", "temperature_c": "99"},
        ],
        "departed_at": "2026-11-20T08:00:00+08:00",
    }
    response = api(inspector).patch(detail(visit), body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors["temperatures"]) == ["1"]  # the index of the row in error
    assert "temperature_c" in errors["temperatures"]["1"]
    assert visit.temperatures.count() == 0
    model_error = api(inspector).patch(
        detail(visit), {"departed_at": "2026-11-20T08:00:00+08:00"}, format="json"
    )
    assert model_error.status_code == 400
    assert "departed_at" in model_error.json()["errors"]


def test_completing_returns_the_violations_opened_and_is_idempotent(inspector, visit):
    client = api(inspector)
    client.patch(
        detail(visit),
        {"temperatures": [{"temperature_c": "25.0"}, {"temperature_c": "26.0"}]},
        format="json",
    )
    url = reverse("api:visit-complete", args=[visit.pk])
    first = client.post(url, {}, format="json")
    second = client.post(url, {}, format="json")
    assert first.status_code == second.status_code == 200
    (violation,) = first.json()["violations"]
    assert violation["article"] == "5-5"
    assert violation["deadline"] == "2026-12-04"
    assert second.json()["violations"] == first.json()["violations"]
    assert first.json()["visit"]["completed_at"]
    assert Violation.objects.count() == 1
    late = client.patch(detail(visit), {"notes": "later"}, format="json")
    assert late.status_code == 400


def test_completing_without_identification_is_a_400_with_fields(inspector, inspection):
    visit = make_visit(inspection, ready=False)
    response = api(inspector).post(reverse("api:visit-complete", args=[visit.pk]), {})
    assert response.status_code == 400
    assert {"identification_shown", "arrived_at", "departed_at"} <= set(response.json()["errors"])


def test_rows_refused_by_the_service_come_back_with_their_index(inspector, visit, other_premises):
    from compliance.choices import EquipmentKind
    from tests.factories import make_equipment

    foreign = make_equipment(other_premises, EquipmentKind.ENTRANCE)
    checks = [
        {"equipment": foreign.pk, "article": "5-1", "result": "confirmed"},
    ]
    response = api(inspector).patch(detail(visit), {"equipment_checks": checks}, format="json")
    assert response.status_code == 400
    assert "equipment" in response.json()["errors"]["equipment_checks"]["0"]


def test_a_photo_is_uploaded_as_multipart_and_checked(inspector, visit, media_root):
    client = api(inspector)
    url = reverse("api:visit-photos", args=[visit.pk])
    good = SimpleUploadedFile("p.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    response = client.post(url, {"file": good, "caption": "Thermostat"}, format="multipart")
    assert response.status_code == 201
    assert response.json()["url"].endswith(reverse("photo-file", args=[Photo.objects.get().pk]))
    bad = SimpleUploadedFile("x.jpg", b"plain text", content_type="image/jpeg")
    refused = client.post(url, {"file": bad}, format="multipart")
    assert refused.status_code == 400
    assert "file" in refused.json()["errors"]


def test_permissions_follow_the_pages(owner, other_owner, unassigned_inspector, visit):
    assert api(owner).get(detail(visit)).status_code == 200
    assert api(owner).patch(detail(visit), {"notes": "x"}, format="json").status_code == 403
    assert api(other_owner).get(detail(visit)).status_code == 404
    assert api(unassigned_inspector).get(detail(visit)).status_code == 200
    response = api(unassigned_inspector).patch(detail(visit), {"notes": "x"}, format="json")
    assert response.status_code == 403
    complete = reverse("api:visit-complete", args=[visit.pk])
    assert api(unassigned_inspector).post(complete, {}).status_code == 403
    assert api(other_owner).post(complete, {}).status_code == 404
    assert not Visit.objects.get(pk=visit.pk).is_completed


def test_the_business_lists_only_its_own_visits(owner, inspector, visit, other_business):
    make_visit(make_inspection(make_premises(other_business), lead=inspector))
    ids = [row["id"] for row in api(owner).get(reverse("api:visit-list")).json()["results"]]
    assert ids == [visit.pk]


def test_the_visit_list_runs_a_constant_number_of_queries(inspector, premises, media_root):
    def fill(count: int) -> None:
        for _ in range(count):
            visit = make_visit(make_inspection(premises, lead=inspector))
            visit.temperatures.create(point="a", temperature_c="26")
            visit.equipment_checks.create(point="x", article="5-1", result="confirmed")

    client = api(inspector)
    fill(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("api:visit-list")).status_code == 200
    fill(8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:visit-list"))
    assert len(response.json()["results"]) == 10
    assert len(many) == len(few)


def test_the_schema_is_valid_with_the_visits_api():
    output = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)
    assert "/api/v1/visits/{id}/complete/" in output.getvalue()
