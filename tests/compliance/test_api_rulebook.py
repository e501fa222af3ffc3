"""The rule book over the REST API: read by all, drafted by administrators, then frozen."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import rules
from compliance.choices import RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
LIST = reverse("api:rulebook-version-list")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


@pytest.fixture
def in_force() -> RuleBookVersion:
    return version_in_force(TODAY)


@pytest.fixture
def draft(administrator) -> RuleBookVersion:
    return rulebook_services.create_draft(administrator)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(version) -> str:
    return reverse("api:rulebook-version-detail", args=[version.pk])


def publish_url(version) -> str:
    return reverse("api:rulebook-version-publish", args=[version.pk])


def frozen_row(version) -> dict:
    return RuleBookVersion.objects.filter(pk=version.pk).values().get()


# Reading.


def test_every_signed_in_client_reads_published_versions_but_only_administrators_drafts(
    personas, draft, in_force
):
    for role, user in personas.items():
        if user is None:
            assert APIClient().get(LIST).status_code == 401
            continue
        ids = {row["id"] for row in api(user).get(LIST).json()["results"]}
        assert in_force.pk in ids, role
        assert (draft.pk in ids) == (role == "administrator"), role
        expected = 200 if role == "administrator" else 404
        assert api(user).get(detail(draft)).status_code == expected, role


def test_a_version_carries_its_parameters_and_who_published_it(inspector, in_force):
    body = api(inspector).get(detail(in_force)).json()

    assert body["status"] == "published"
    assert body["parameters"]["indoor_temperature_floor_c"] == "26"
    assert body["parameters"]["penalty_schedules"][0] == {
        "penalty_article": "15",
        "amounts_ntd": [10_000, 20_000, 30_000],
    }
    assert body["problems"] == []
    assert body["published_at"]


def test_the_list_can_be_filtered_by_status(administrator, draft, in_force):
    rows = api(administrator).get(LIST, {"status": "draft"}).json()["results"]

    assert [row["id"] for row in rows] == [draft.pk]


def test_the_version_in_force_on_a_day(administrator, owner, in_force):
    future = rulebook_services.create_draft(administrator)
    future = rulebook_services.update_draft(
        administrator, future, effective_from=TODAY + datetime.timedelta(days=7)
    )
    rulebook_services.publish(administrator, future)
    client = api(owner)
    url = reverse("api:rulebook-version-in-force")

    assert client.get(url).json()["id"] == in_force.pk  # today
    assert client.get(url, {"on": "2026-11-29"}).json()["id"] == in_force.pk
    assert client.get(url, {"on": "2026-11-30"}).json()["id"] == future.pk
    assert client.get(url, {"on": "2020-01-01"}).status_code == 404
    bad = client.get(url, {"on": "30/11/2026"})
    assert bad.status_code == 400
    assert "on" in bad.json()["errors"]


# Drafting.


def test_an_administrator_starts_a_draft_from_the_version_in_force(administrator, in_force):
    response = api(administrator).post(LIST, {"title": "Summer 2027"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["title"] == "Summer 2027"
    assert body["based_on"] == in_force.pk
    assert body["parameters"] == in_force.parameters
    assert body["created_by"] == str(administrator)


def test_a_draft_can_start_from_another_version(administrator, draft):
    draft = rulebook_services.update_draft(administrator, draft, title="Base")

    response = api(administrator).post(LIST, {"based_on": draft.pk}, format="json")

    assert response.status_code == 201
    assert response.json()["based_on"] == draft.pk


def test_only_administrators_start_drafts(inspector, owner, api_client_user):
    count = RuleBookVersion.objects.count()
    for user in (inspector, owner, api_client_user):
        assert api(user).post(LIST, {}, format="json").status_code == 403
    assert RuleBookVersion.objects.count() == count


def test_an_administrator_changes_a_drafts_fields_and_parameters(administrator, draft):
    params = copy.deepcopy(draft.parameters)
    params["indoor_temperature_floor_c"] = "25.5"
    params["chiller_threshold_hp"] = "150"

    response = api(administrator).patch(
        detail(draft),
        {"title": "Floor 25.5", "note": "Gazette 12", "parameters": params},
        format="json",
    )

    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.title == "Floor 25.5"
    assert parameters_of(draft).indoor_temperature_floor_c == Decimal("25.5")
    assert parameters_of(draft).chiller_threshold_hp == Decimal("150")
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="update"
    ).latest("id")
    assert entry.actor == administrator
    assert entry.changes["parameters.chiller_threshold_hp"] == ["100", "150"]


def _without(params: dict, key: str) -> dict:
    return {name: value for name, value in params.items() if name != key}


@pytest.mark.parametrize(
    ("case", "error_key"),
    [
        ("not an object", "parameters"),
        ("missing field", "parameters"),
        ("unknown field", "parameters"),
        ("not a number", "parameters"),
        ("not a date", "parameters"),
        ("a float", "indoor_temperature_floor_c"),
        ("a string for a whole number", "grace_months"),
        ("a row without its fields", "parameters"),
    ],
)
def test_malformed_parameters_are_a_400_naming_the_field_and_change_nothing(
    administrator, draft, case, error_key
):
    good = draft.parameters
    malformed = {
        "not an object": ["26"],
        "missing field": _without(good, "chiller_threshold_hp"),
        "unknown field": {**good, "colour": "green"},
        "not a number": {**good, "indoor_temperature_floor_c": "warm"},
        "not a date": {**good, "effective_date": "soon"},
        "a float": {**good, "indoor_temperature_floor_c": 25.5},
        "a string for a whole number": {**good, "grace_months": "six"},
        "a row without its fields": {**good, "penalty_schedules": [{"penalty_article": "15"}]},
    }[case]
    before = frozen_row(draft)

    response = api(administrator).patch(detail(draft), {"parameters": malformed}, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]["parameters"]
    if error_key == "parameters":
        assert errors and isinstance(errors, list), errors
    else:
        assert error_key in errors, errors
    assert frozen_row(draft) == before


def test_a_draft_with_problems_is_saved_lists_them_and_cannot_be_published(administrator, draft):
    params = copy.deepcopy(draft.parameters)
    params["penalty_schedules"][0] = {"penalty_article": "15", "amounts_ntd": [5_000, 10_000]}
    client = api(administrator)

    saved = client.patch(detail(draft), {"parameters": params}, format="json")

    assert saved.status_code == 200
    problems = saved.json()["problems"]
    assert [p["message_key"] for p in problems] == ["penalty_amount_out_of_range"]
    assert "statutory range" in problems[0]["message"]

    refused = client.post(publish_url(draft), {}, format="json")

    assert refused.status_code == 400
    assert any("NT$10000-NT$30000" in m for m in refused.json()["errors"]["parameters"])
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.DRAFT


def test_an_administrator_publishes_a_valid_draft(administrator, draft):
    response = api(administrator).post(publish_url(draft), {"reason": "Gazette"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    assert response.json()["published_by"] == str(administrator)
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.PUBLISHED
    assert draft.published_by == administrator


def test_a_draft_dated_in_the_past_cannot_be_published(administrator, draft):
    api(administrator).patch(detail(draft), {"effective_from": "2026-11-01"}, format="json")

    response = api(administrator).post(publish_url(draft), {}, format="json")

    assert response.status_code == 400
    assert "effective_from" in response.json()["errors"]


def test_an_administrator_discards_a_draft(administrator, draft):
    response = api(administrator).delete(detail(draft))

    assert response.status_code == 204
    assert not RuleBookVersion.objects.filter(pk=draft.pk).exists()


def test_other_roles_never_reach_a_draft(owner, inspector, draft):
    before = frozen_row(draft)
    for user in (owner, inspector):
        client = api(user)
        assert client.patch(detail(draft), {"title": "x"}, format="json").status_code == 404
        assert client.delete(detail(draft)).status_code == 404
        assert client.post(publish_url(draft), {}, format="json").status_code == 404
    assert frozen_row(draft) == before


def test_every_write_to_a_published_version_is_a_403_and_changes_nothing(
    administrator, owner, in_force
):
    params = dataclasses.replace(parameters_of(in_force), indoor_temperature_floor_c=Decimal("20"))
    before = frozen_row(in_force)
    for user in (administrator, owner):
        client = api(user)
        writes = [
            client.patch(
                detail(in_force),
                {"title": "edited", "parameters": rules.params_to_dict(params)},
                format="json",
            ),
            client.delete(detail(in_force)),
            client.post(publish_url(in_force), {}, format="json"),
        ]
        assert [response.status_code for response in writes] == [403, 403, 403]
        assert "published" in writes[0].json()["detail"]
    assert client.put(detail(in_force), {}, format="json").status_code == 405
    assert frozen_row(in_force) == before


# Query counts and the schema.


def test_the_list_needs_the_same_queries_for_more_versions(administrator):
    client = api(administrator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    for offset in (1, 2):
        version = rulebook_services.create_draft(administrator)
        rulebook_services.update_draft(
            administrator, version, effective_from=TODAY + datetime.timedelta(days=offset)
        )
        rulebook_services.publish(administrator, version)
    few = count()
    for offset in range(3, 12):
        version = rulebook_services.create_draft(administrator)
        rulebook_services.update_draft(
            administrator, version, effective_from=TODAY + datetime.timedelta(days=offset)
        )
        if offset % 2:
            rulebook_services.publish(administrator, version)

    assert count() == few


def test_the_schema_documents_the_rule_book_endpoints_and_stays_valid():
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
        "/api/v1/rulebook-versions/",
        "/api/v1/rulebook-versions/{id}/",
        "/api/v1/rulebook-versions/{id}/publish/",
        "/api/v1/rulebook-versions/in-force/",
    ):
        assert f'"{path}"' in schema, path
    assert "every write to them answers 403" in schema
