"""The service request's transition table and the services that follow it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.choices import Role
from portal.models import AuditEntry
from subsidies.models import ServiceRequest
from subsidies.rules import service_lifecycle as lifecycle
from subsidies.services import service_teams as services
from tests.factories import make_violation
from tests.subsidies.builders import make_request, make_team

S, A = lifecycle.State, lifecycle.Action
ALLOWED = {
    (S.REQUESTED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.CONSULT): S.CONSULTED,
    (S.CONSULTED, A.CONSULT): S.CONSULTED,
    (S.CONSULTED, A.CLOSE): S.CLOSED,
    (S.REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.ASSIGNED, A.WITHDRAW): S.WITHDRAWN,
}


@pytest.mark.parametrize(("state", "action"), list(lifecycle.all_pairs()))
def test_transition_table_allows_exactly_the_listed_pairs(state, action):
    if (state, action) in ALLOWED:
        assert lifecycle.next_status(state, action) == ALLOWED[(state, action)]
        assert lifecycle.allows(state, action)
    else:
        with pytest.raises(lifecycle.IllegalTransition):
            lifecycle.next_status(state, action)
        assert not lifecycle.allows(state, action)


def test_final_states_allow_nothing():
    for state in lifecycle.FINAL_STATES:
        assert not any(lifecycle.allows(state, action) for action in A)


@pytest.mark.django_db
def test_business_asks_help_about_its_violation(owner, premises):
    violation = make_violation(premises)
    request = services.request_help(
        owner, premises.business, topic="Lamps", description="Which lamps?", violation=violation
    )
    assert request.status == "requested"
    assert request.violation == violation
    assert request.premises == premises  # taken from the violation
    entry = AuditEntry.objects.get(
        object_type="subsidies.servicerequest", object_id=str(request.pk)
    )
    assert entry.action == "create" and entry.business_id == premises.business_id


@pytest.mark.django_db
def test_business_cannot_ask_about_another_business_violation(owner, premises, other_premises):
    violation = make_violation(other_premises)
    with pytest.raises(ValidationError) as error:
        services.request_help(
            owner, premises.business, topic="x", description="y", violation=violation
        )
    assert "violation" in error.value.error_dict


@pytest.mark.django_db
def test_only_members_ask_for_their_business(other_owner, administrator, premises):
    for actor in (other_owner, administrator):
        with pytest.raises(PermissionDenied):
            services.request_help(actor, premises.business, topic="x", description="y")


@pytest.mark.django_db
def test_administrator_assigns_an_active_team_and_it_is_audited(administrator, inspector, premises):
    request = make_request(premises)
    team = make_team()
    with pytest.raises(PermissionDenied):
        services.assign_team(inspector, request, team, "")
    with pytest.raises(ValidationError):
        services.assign_team(administrator, request, make_team("old", active=False), "")
    request = services.assign_team(administrator, request, team, "HVAC experts")
    assert (request.status, request.team, request.assigned_by) == ("assigned", team, administrator)
    entry = AuditEntry.objects.filter(object_id=str(request.pk)).latest("id")
    assert entry.changes["status"] == ["requested", "assigned"]
    assert entry.reason == "HVAC experts"


@pytest.mark.django_db
def test_team_expert_records_the_consultation(make_user, owner, premises):
    expert_user = make_user("expert1", Role.PROGRAMME_OFFICER)
    team = make_team(user=expert_user)
    request = make_request(premises, team=team, status="assigned")
    consultation = services.record_consultation(
        expert_user,
        request,
        held_on=timezone.localdate(),
        findings="Set to 22 °C.",
        recommendations="Set the thermostats to 26 °C.",
        experts=team.experts.all(),
        follow_up_due=timezone.localdate() + timedelta(days=30),
    )
    request.refresh_from_db()
    assert request.status == "consulted"
    assert list(consultation.experts.all()) == list(team.experts.all())
    assert ServiceRequest.objects.visible_to(expert_user).filter(pk=request.pk).exists()


@pytest.mark.django_db
def test_only_the_assigned_team_records_and_not_before_assignment(
    make_user, administrator, owner, premises
):
    stranger = make_user("expert2", Role.PROGRAMME_OFFICER)
    make_team("Another team", user=stranger)
    request = make_request(premises, team=make_team(), status="assigned")
    fields = {"held_on": timezone.localdate(), "findings": "f", "recommendations": "r"}
    for actor in (owner, stranger):
        with pytest.raises(PermissionDenied):
            services.record_consultation(actor, request, **fields)
    with pytest.raises(ValidationError):
        services.record_consultation(administrator, make_request(premises), **fields)
    with pytest.raises(ValidationError) as error:
        services.record_consultation(
            administrator, request, **{**fields, "held_on": date(2999, 1, 1)}
        )
    assert "held_on" in error.value.error_dict


@pytest.mark.django_db
def test_business_withdraws_before_consultation_only(owner, other_owner, premises):
    request = make_request(premises, status="assigned")
    with pytest.raises(PermissionDenied):
        services.withdraw(other_owner, request)
    assert services.withdraw(owner, request).status == "withdrawn"
    consulted = make_request(premises, status="consulted")
    with pytest.raises(ValidationError):
        services.withdraw(owner, consulted)


@pytest.mark.django_db
def test_administrator_closes_a_consulted_request_with_a_reason(administrator, owner, premises):
    request = make_request(premises, status="consulted")
    with pytest.raises(PermissionDenied):
        services.close(owner, request, "done")
    with pytest.raises(ValidationError) as error:
        services.close(administrator, request, " ")
    assert "close_reason" in error.value.error_dict
    request = services.close(administrator, request, "Recommendations followed.")
    assert (request.status, request.closed_by) == ("closed", administrator)
    with pytest.raises(ValidationError):
        services.close(administrator, make_request(premises, status="assigned"), "early")


@pytest.mark.django_db
def test_requests_are_visible_to_their_business_and_staff_only(
    owner, other_owner, inspector, supplier, premises
):
    request = make_request(premises)
    assert ServiceRequest.objects.visible_to(owner).filter(pk=request.pk).exists()
    assert ServiceRequest.objects.visible_to(inspector).filter(pk=request.pk).exists()
    assert not ServiceRequest.objects.visible_to(other_owner).exists()
    assert not ServiceRequest.objects.visible_to(supplier).exists()
