"""The programme rules of ``portal.permissions``: role → allowed.

Programme staff (active programme officers and administrators) keep the records;
administrators publish them. Which records a user reads or changes stays with the
querysets; anonymous visitors read published records and may do nothing else.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal import permissions
from portal.permissions import can
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


def user(kind: str):
    return stand_in(kind, 1)


def allowed(*kinds):
    return allowed_among(ROLES, *kinds)


BY_ROLE = {
    # Keeping records needs an active account; an inactive administrator keeps none.
    "programs.keep_records": allowed(ADMIN, OFFICER, SUPERUSER),
    # Publishing follows the administrator role alone (as the pages always did).
    "programs.publish": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
}


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in BY_ROLE.items() for kind, ok in row.items()],
)
def test_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in BY_ROLE.items() for kind, ok in row.items()],
)
def test_a_record_does_not_change_the_answer(action, kind, expected):
    # Which record is the querysets' business (visible_to, editable_by), not the rule's.
    assert can(user(kind), action, object()) is expected


def test_every_programs_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("programs.")}
    assert names == set(BY_ROLE)


@pytest.mark.parametrize("action", sorted(BY_ROLE))
def test_anonymous_may_do_nothing(action):
    assert can(AnonymousUser(), action) is False
    assert can(None, action) is False
