"""Service-team pages: ask from a violation, assign, record, read the recommendations."""

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies.models import ServiceRequest
from tests.factories import make_violation
from tests.subsidies.builders import make_request, make_team

pytestmark = pytest.mark.django_db


def test_violation_page_offers_to_ask_the_service_team(client, owner, premises):
    violation = make_violation(premises)
    client.force_login(owner)
    page = client.get(reverse("enforcement-violation-detail", args=[violation.pk]))
    create_url = reverse("service-request-create") + f"?violation={violation.pk}"
    assert create_url in page.content.decode()
    form = client.get(create_url)
    assert form.context["form"].initial["violation"] == violation.pk
    assert form.context["form"].initial["premises"] == premises.pk


def test_business_asks_from_its_violation(client, owner, premises):
    violation = make_violation(premises)
    client.force_login(owner)
    response = client.post(
        reverse("service-request-create"),
        {
            "business": premises.business_id,
            "premises": premises.pk,
            "violation": violation.pk,
            "topic": "Thermostats",
            "description": "How do we keep 26 °C?",
        },
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    assert request.violation == violation and request.requested_by == owner


def test_another_business_violation_cannot_prefill(client, other_owner, premises):
    violation = make_violation(premises)
    client.force_login(other_owner)
    url = reverse("service-request-create") + f"?violation={violation.pk}"
    assert client.get(url).status_code == 404


def test_admin_assigns_then_business_reads_the_recommendations(
    client, administrator, owner, premises
):
    team = make_team()
    request = make_request(premises)
    client.force_login(administrator)
    response = client.post(
        reverse("service-request-assign", args=[request.pk]), {"team": team.pk, "reason": ""}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("service-request-consultation", args=[request.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "experts": [team.experts.get().pk],
            "findings": "Thermostats at 22 °C.",
            "recommendations": "Lock the thermostats at 26 °C.",
        },
    )
    assert response.status_code == 302
    client.force_login(owner)
    page = client.get(reverse("service-request-detail", args=[request.pk]))
    assert "Lock the thermostats at 26 °C." in page.content.decode()
    assert team.name in page.content.decode()


def test_closing_without_a_consultation_shows_the_reason(client, administrator, premises):
    request = make_request(premises, status="assigned")
    client.force_login(administrator)
    response = client.post(reverse("service-request-close", args=[request.pk]), {"reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    request.refresh_from_db()
    assert request.status == "assigned"


def test_another_business_gets_404(client, other_owner, premises):
    request = make_request(premises)
    client.force_login(other_owner)
    assert client.get(reverse("service-request-detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("service-request-withdraw", args=[request.pk])).status_code == 404
    assert request.topic not in client.get(reverse("service-request-list")).content.decode()


def test_admin_creates_a_team_with_an_expert(client, administrator):
    client.force_login(administrator)
    data = {
        "name": "Retail team",
        "industry": "commerce",
        "description": "",
        "active": "on",
        "experts-TOTAL_FORMS": "2",
        "experts-INITIAL_FORMS": "0",
        "experts-0-name": "林顧問",
        "experts-0-expertise": "Lighting",
    }
    response = client.post(reverse("service-team-create"), data)
    assert response.status_code == 302
    page = client.get(response.url)
    assert "林顧問" in page.content.decode()


@pytest.mark.parametrize("rows", [1, 5])
def test_request_list_queries_do_not_grow(
    client, owner, premises, django_assert_max_num_queries, rows
):
    team = make_team()
    for _ in range(rows):
        make_request(premises, team=team, violation=make_violation(premises))
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("service-request-list"))
    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_team_list_queries_do_not_grow(client, owner, django_assert_max_num_queries, rows):
    for number in range(rows):
        make_team(f"Team {number}")
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service-team-list"))
    assert len(response.context["object_list"]) == rows
