"""The planning rules of ``inspections.permissions``: role × state → allowed.

Without an object a rule answers for the role (the planning pages and the API refuse
with 403 on it, the services with PermissionDenied); with an inspection, whether it may
still be changed (the inspection's page offers its forms only then); with an inspector,
whose agenda the user may read. The roles alone are in tests/enforcement/test_permissions.py
(``INSPECTIONS_BY_ROLE``).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from inspections.choices import InspectionStatus
from portal.choices import Role
from portal.permissions import can
from tests.permission_users import (
    ADMIN,
    API,
    BUSINESS,
    INACTIVE_ADMIN,
    INSPECTOR,
    OFFICER,
    SUPERUSER,
    SUPPLIER,
    allowed_among,
    stand_in,
)

ROLES = (ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API, SUPERUSER, INACTIVE_ADMIN)
USER_PK = 5
PLANNING_RULES = (
    "inspections.read_all",
    "inspections.plan",
    "inspections.read_agenda",
    "inspections.read_any_agenda",
)


def user(kind: str, pk: int = USER_PK):
    return stand_in(kind, pk)


def allowed(*kinds):
    return allowed_among(ROLES, *kinds)


ADMINISTRATORS = (ADMIN, SUPERUSER, INACTIVE_ADMIN)

STATE_CASES = [
    # (action, object, {kind: allowed})
    # Administrators change an inspection still to be made, never one made or called off.
    *[
        (
            "inspections.plan",
            SimpleNamespace(status=status),
            allowed(*ADMINISTRATORS) if ok else allowed(),
        )
        for status, ok in (
            (InspectionStatus.PLANNED, True),
            (InspectionStatus.IN_PROGRESS, True),
            (InspectionStatus.COMPLETED, False),
            (InspectionStatus.REFUSED, False),
            (InspectionStatus.CANCELLED, False),
        )
    ],
    # An inspector reads their own agenda; administrators anyone's.
    ("inspections.read_agenda", user(INSPECTOR), allowed(*ADMINISTRATORS, INSPECTOR)),
    (
        "inspections.read_agenda",
        user(INSPECTOR, pk=USER_PK + 1),
        allowed(*ADMINISTRATORS),
    ),
    ("inspections.read_any_agenda", user(INSPECTOR), allowed(*ADMINISTRATORS)),
    # Reading every inspection does not depend on the inspection.
    (
        "inspections.read_all",
        SimpleNamespace(status=InspectionStatus.COMPLETED),
        allowed(ADMIN, INSPECTOR, API, SUPERUSER, INACTIVE_ADMIN),
    ),
]


@pytest.mark.parametrize(
    ("action", "obj", "kind", "expected"),
    [(action, obj, kind, row[kind]) for action, obj, row in STATE_CASES for kind in ROLES],
)
def test_rule_by_role_and_state(action, obj, kind, expected):
    assert can(user(kind), action, obj) is expected


def test_every_inspection_status_is_in_the_table():
    statuses = {obj.status for action, obj, _row in STATE_CASES if action == "inspections.plan"}
    assert statuses == set(InspectionStatus)


@pytest.mark.parametrize("action", PLANNING_RULES)
def test_anonymous_may_do_nothing(action):
    assert can(AnonymousUser(), action) is False
    assert can(None, action) is False


@pytest.mark.django_db
def test_the_services_refuse_whom_the_rule_refuses(make_user):
    """The planning service and the referral service ask the same rule, with their message."""
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from inspections.services import planning, referrals

    inspector = make_user("planner", Role.INSPECTOR)
    with translation.override("en"):
        with pytest.raises(PermissionDenied, match="Only administrators plan inspections"):
            planning.create_batch(inspector, "Batch", [], None, [])
        with pytest.raises(PermissionDenied, match="Only administrators plan inspections"):
            referrals.target_referral(inspector, None, None)
