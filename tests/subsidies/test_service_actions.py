"""Service requests withdrawn and closed through the API; experts removed from a team."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from subsidies.models import Consultation, ServiceRequest, TeamExpert
from subsidies.services import service_teams as services
from tests.subsidies.builders import make_request, make_team

pytestmark = pytest.mark.django_db


def _post(client, name, request, data=None):
    return client.post(
        reverse(f"api:service-request-{name}", args=[request.pk]),
        data or {},
        content_type="application/json",
    )


def test_the_business_withdraws_its_request_through_the_api(client, owner, premises):
    request = make_request(premises, team=make_team(), status="assigned")
    client.force_login(owner)

    response = _post(client, "withdraw", request)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    request.refresh_from_db()
    assert (request.withdrawn_by, request.status) == (owner, "withdrawn")
    audited = AuditEntry.objects.get(object_type="subsidies.servicerequest")
    assert audited.changes["status"] == ["assigned", "withdrawn"]
    assert audited.actor == owner


def test_a_consulted_request_can_no_longer_be_withdrawn(client, owner, premises):
    request = make_request(premises, team=make_team(), status="consulted")
    client.force_login(owner)

    response = _post(client, "withdraw", request)

    assert response.status_code == 400
    assert "cannot be changed this way" in response.json()["errors"]["non_field_errors"][0]
    request.refresh_from_db()
    assert request.status == "consulted"


def test_another_business_cannot_withdraw_the_request(client, other_owner, premises):
    request = make_request(premises)
    client.force_login(other_owner)

    assert _post(client, "withdraw", request).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_an_administrator_closes_a_consulted_request_with_the_reason(
    client, administrator, premises
):
    request = make_request(premises, team=make_team(), status="consulted")
    client.force_login(administrator)

    response = _post(client, "close", request, {"reason": "Recommendations carried out."})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    assert response.json()["close_reason"] == "Recommendations carried out."
    request.refresh_from_db()
    assert request.closed_by == administrator


def test_closing_needs_a_reason_and_a_consultation(client, administrator, premises):
    consulted = make_request(premises, team=make_team(), status="consulted")
    assigned = make_request(premises, team=make_team("Second team"), status="assigned")
    client.force_login(administrator)

    no_reason = _post(client, "close", consulted, {"reason": ""})
    too_early = _post(client, "close", assigned, {"reason": "Done."})

    assert no_reason.status_code == too_early.status_code == 400
    assert "reason" in no_reason.json()["errors"]
    assert "cannot be changed this way" in too_early.json()["errors"]["non_field_errors"][0]
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {
        "consulted",
        "assigned",
    }


def test_a_business_cannot_close_its_own_request(client, owner, premises):
    request = make_request(premises, team=make_team(), status="consulted")
    client.force_login(owner)

    assert _post(client, "close", request, {"reason": "Done."}).status_code == 403


# --- Removing an expert from a team ---------------------------------------------------


@pytest.fixture
def expert_user(make_user):
    from portal.choices import Role

    return make_user("expert1", Role.PROGRAMME_OFFICER)


@pytest.fixture
def team(expert_user):
    return make_team(user=expert_user)


def test_an_administrator_removes_an_expert_with_the_reason(
    client, administrator, team, premises, expert_user
):
    expert = team.experts.get()
    request = make_request(premises, team=team, status="assigned")
    consultation = Consultation.objects.create(
        request=request, held_on=timezone.localdate(), findings="22 °C.", recommendations="26 °C."
    )
    consultation.experts.add(expert)
    assert ServiceRequest.objects.visible_to(expert_user).filter(pk=request.pk).exists()
    client.force_login(administrator)
    url = reverse("service-team-expert-remove", args=[team.pk, expert.pk])

    response = client.post(url, {"reason": "Left the institute."})

    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.removed_by, expert.removal_reason) == (administrator, "Left the institute.")
    assert expert.removed_at is not None
    assert list(consultation.experts.all()) == [expert]  # the record keeps who was there
    assert not ServiceRequest.objects.visible_to(expert_user).exists()
    assert not ServiceRequest.objects.consultable_by(expert_user).exists()
    audited = AuditEntry.objects.get(object_type="subsidies.serviceteam", object_id=str(team.pk))
    assert (audited.actor, audited.reason) == (administrator, "Left the institute.")
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Former experts" in page
    assert "Left the institute." in page


def test_removing_an_expert_needs_a_reason_and_keeps_the_form(client, administrator, team):
    expert = team.experts.get()
    client.force_login(administrator)

    response = client.post(
        reverse("service-team-expert-remove", args=[team.pk, expert.pk]), {"reason": "  "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    expert.refresh_from_db()
    assert expert.removed_at is None


def test_a_removed_expert_is_gone_from_the_team_and_its_consultations(
    client, administrator, team, premises
):
    expert = team.experts.get()
    services.remove_expert(administrator, expert, "Retired.")
    request = make_request(premises, team=team, status="assigned")
    client.force_login(administrator)

    listing = client.get(reverse("service-team-list")).context["object_list"]
    form = client.get(reverse("service-request-consultation", args=[request.pk])).context["form"]
    api = client.get(reverse("api:service-team-detail", args=[team.pk])).json()
    again = client.get(reverse("service-team-expert-remove", args=[team.pk, expert.pk]))

    assert [t.expert_count for t in listing] == [0]
    assert list(form.fields["experts"].queryset) == []
    assert api["experts"] == []
    assert again.status_code == 404


def test_a_removed_expert_cannot_be_recorded_as_present(administrator, team, premises):
    from django.core.exceptions import ValidationError

    expert = team.experts.get()
    services.remove_expert(administrator, expert, "Retired.")
    expert.refresh_from_db()
    request = make_request(premises, team=team, status="assigned")

    with pytest.raises(ValidationError) as refused:
        services.record_consultation(
            administrator,
            request,
            held_on=timezone.localdate(),
            findings="x",
            recommendations="y",
            experts=[expert],
        )

    assert "experts" in refused.value.message_dict


def test_an_expert_of_another_team_is_not_found_under_this_team(client, administrator, team):
    other = make_team("Industry team")
    client.force_login(administrator)
    expert = TeamExpert.objects.get(team=other)

    response = client.get(reverse("service-team-expert-remove", args=[team.pk, expert.pk]))

    assert response.status_code == 404
