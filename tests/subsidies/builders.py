"""Builders of the service-team tests and of their permission-matrix rows."""

from __future__ import annotations

from datetime import date

from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert


def make_team(name: str = "Commerce energy team", *, user=None, active: bool = True) -> ServiceTeam:
    """Return a commerce team with one expert (linked to ``user`` when given)."""
    team = ServiceTeam.objects.create(name=name, industry="commerce", active=active)
    TeamExpert.objects.create(team=team, name="黃工程師", expertise="HVAC", user=user)
    return team


def make_request(premises, *, team=None, status="requested", violation=None) -> ServiceRequest:
    """Return a service request of ``premises``' business in ``status``."""
    return ServiceRequest.objects.create(
        business=premises.business,
        premises=premises,
        violation=violation,
        topic="Air conditioning",
        description="How do we keep the rooms at 26 °C?",
        team=team,
        status=status,
    )


def matrix_objects(premises, owner) -> dict[str, int]:
    """The service-team rows of the permission matrix, owned by ``premises``' business."""
    team = make_team()
    request = make_request(premises, team=team, status="assigned")
    consultation = Consultation.objects.create(
        request=request,
        held_on=date(2026, 11, 2),
        findings="Set to 22 °C.",
        recommendations="26 °C.",
    )
    return {
        "service_team": team.pk,
        "team_expert": team.experts.get().pk,
        "service_request": request.pk,
        "consultation": consultation.pk,
    }
