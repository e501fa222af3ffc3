"""Service-team API: same permissions as the pages, 400 with field errors on bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies.models import ServiceRequest
from tests.factories import make_violation
from tests.subsidies.builders import make_request, make_team

pytestmark = pytest.mark.django_db


def test_business_creates_its_own_request_from_a_violation(client, owner, premises):
    violation = make_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("api:service-request-list"),
        {
            "business": premises.business_id,
            "violation": violation.pk,
            "topic": "Lamps",
            "description": "Which lamps qualify?",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "requested"
    assert ServiceRequest.objects.get().premises == premises


def test_bad_input_is_400_with_field_errors(client, owner, premises, other_premises):
    violation = make_violation(other_premises)
    client.force_login(owner)
    response = client.post(
        reverse("api:service-request-list"),
        {"business": premises.business_id, "violation": violation.pk, "topic": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"violation", "topic", "description"} <= set(errors)


def test_admin_assigns_and_a_closed_team_is_refused(client, administrator, premises):
    request = make_request(premises)
    client.force_login(administrator)
    url = reverse("api:service-request-assign", args=[request.pk])
    inactive = make_team("Retired", active=False)
    response = client.post(url, {"team": inactive.pk}, content_type="application/json")
    assert response.status_code == 400 and "team" in response.json()["errors"]
    team = make_team()
    response = client.post(url, {"team": team.pk}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "assigned" and response.json()["team"] == team.pk


def test_admin_records_a_consultation_the_business_reads(client, administrator, owner, premises):
    request = make_request(premises, team=make_team(), status="assigned")
    client.force_login(administrator)
    response = client.post(
        reverse("api:consultation-list"),
        {
            "request": request.pk,
            "held_on": timezone.localdate().isoformat(),
            "findings": "22 °C.",
            "recommendations": "26 °C.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    client.force_login(owner)
    listed = client.get(reverse("api:consultation-list")).json()
    assert [row["recommendations"] for row in listed["results"]] == ["26 °C."]


def test_other_business_sees_nothing(client, other_owner, premises):
    request = make_request(premises)
    client.force_login(other_owner)
    assert client.get(reverse("api:service-request-detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("api:service-request-list")).json()["results"] == []


@pytest.mark.parametrize("rows", [1, 5])
def test_request_list_endpoint_queries_do_not_grow(
    client, owner, premises, django_assert_max_num_queries, rows
):
    team = make_team()
    for _ in range(rows):
        make_request(premises, team=team)
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api:service-request-list"))
    assert len(response.json()["results"]) == rows
