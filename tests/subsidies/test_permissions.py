"""The subsidies rules of ``portal.permissions``: role × state → allowed.

Without an object a rule answers for the role (the pages and the API refuse with 403 on
it, the services with PermissionDenied); with one, for the object in its state (a
request's page offers the assign and close forms on it). The objects are stand-ins
carrying only what the rules read.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from portal import permissions
from portal.permissions import can
from subsidies.rules.service_lifecycle import State
from tests.permission_users import (
    ADMIN,
    API,
    BUSINESS,
    INACTIVE_ADMIN,
    INACTIVE_OFFICER,
    INSPECTOR,
    OFFICER,
    SUPERUSER,
    SUPPLIER,
    allowed_among,
    stand_in,
)

ROLES = (
    *(ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API),
    *(SUPERUSER, INACTIVE_ADMIN, INACTIVE_OFFICER),
)
REVIEWER_PK = 7


def user(kind: str, pk: int = REVIEWER_PK):
    return stand_in(kind, pk)


def allowed(*kinds):
    return allowed_among(ROLES, *kinds)


CITY_ADMINISTRATORS = (ADMIN, SUPERUSER, INACTIVE_ADMIN)
# Active administrators (superusers too) and programme officers.
SCHEME_OFFICERS = (ADMIN, OFFICER, SUPERUSER)

BY_ROLE = {
    "subsidies.manage_teams": allowed(*CITY_ADMINISTRATORS),
    "subsidies.request_help": allowed(BUSINESS),
    "subsidies.assign_team": allowed(*CITY_ADMINISTRATORS),
    "subsidies.close_request": allowed(*CITY_ADMINISTRATORS),
    "subsidies.edit_scheme": allowed(*CITY_ADMINISTRATORS),
    "subsidies.apply": allowed(BUSINESS),
    "subsidies.review": allowed(*SCHEME_OFFICERS),
    "subsidies.score": allowed(*SCHEME_OFFICERS),
    "subsidies.publish_awards": allowed(*CITY_ADMINISTRATORS),
}


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in BY_ROLE.items() for kind, ok in row.items()],
)
def test_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


def test_every_subsidies_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("subsidies.")}
    assert names == set(BY_ROLE)


@pytest.mark.parametrize("action", sorted(BY_ROLE))
def test_anonymous_may_do_nothing(action):
    assert can(AnonymousUser(), action) is False
    assert can(None, action) is False


# --- With an object: role × state -----------------------------------------------------


class Reviewers:
    """Stands in for ``scheme.reviewers``: who was made a reviewer of the call."""

    def __init__(self, *pks: int):
        self.pks = set(pks)

    def filter(self, pk):
        return SimpleNamespace(exists=lambda: pk in self.pks)


def call(*reviewer_pks: int):
    return SimpleNamespace(reviewers=Reviewers(*reviewer_pks))


def service_request(status: State):
    return SimpleNamespace(status=str(status))


STATE_CASES = [
    # (action, object, {kind: allowed})
    # A team is assigned (or reassigned) before the consultation.
    *[
        (
            "subsidies.assign_team",
            service_request(state),
            allowed(*CITY_ADMINISTRATORS) if ok else allowed(),
        )
        for state, ok in (
            (State.REQUESTED, True),
            (State.ASSIGNED, True),
            (State.CONSULTED, False),
            (State.CLOSED, False),
            (State.WITHDRAWN, False),
        )
    ],
    # A request is closed once consulted.
    *[
        (
            "subsidies.close_request",
            service_request(state),
            allowed(*CITY_ADMINISTRATORS) if ok else allowed(),
        )
        for state, ok in (
            (State.REQUESTED, False),
            (State.ASSIGNED, False),
            (State.CONSULTED, True),
            (State.CLOSED, False),
            (State.WITHDRAWN, False),
        )
    ],
    # A call's reviewers score it; administrators score any call; a programme officer
    # who is not its reviewer does not, nor anyone inactive.
    ("subsidies.score", call(REVIEWER_PK), allowed(*SCHEME_OFFICERS)),
    ("subsidies.score", call(REVIEWER_PK + 1), allowed(ADMIN, SUPERUSER)),
    ("subsidies.score", call(), allowed(ADMIN, SUPERUSER)),
]


@pytest.mark.parametrize(
    ("action", "obj", "kind", "expected"),
    [(action, obj, kind, row[kind]) for action, obj, row in STATE_CASES for kind in ROLES],
)
def test_rule_by_role_and_state(action, obj, kind, expected):
    assert can(user(kind), action, obj) is expected
