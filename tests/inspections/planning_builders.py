"""Builders of inspections and inspector accounts for the planning tests."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from inspections.choices import AssignmentRole, InspectionStatus
from inspections.models import Inspection, InspectionAssignment
from portal.choices import Role


def make_inspector(username: str, **extra):
    """Create an active inspector account."""
    return get_user_model().objects.create_user(
        username=username, password="x-planning-test-1", role=Role.INSPECTOR, **extra
    )


def make_inspection(
    premises,
    day: datetime.date,
    *,
    lead=None,
    others=(),
    status: str = InspectionStatus.PLANNED,
    **fields,
) -> Inspection:
    """Create an inspection of ``premises`` on ``day`` led by ``lead`` (if given)."""
    inspection = Inspection.objects.create(
        premises=premises, scheduled_for=day, status=status, **fields
    )
    if lead is not None:
        InspectionAssignment.objects.create(
            inspection=inspection, user=lead, role=AssignmentRole.LEAD
        )
    for user in others:
        InspectionAssignment.objects.create(
            inspection=inspection, user=user, role=AssignmentRole.INSPECTOR
        )
    return inspection
