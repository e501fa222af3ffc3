"""Stand-in users for the table-driven permission tests: one of each kind, unsaved.

The rules read only the role, the superuser and active flags and the primary key, so the
tables need no database rows (``tests/*/test_permissions.py``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from portal.choices import Role

ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API = (
    Role.ADMINISTRATOR,
    Role.INSPECTOR,
    Role.BUSINESS,
    Role.ENERGY_SUPPLIER,
    Role.PROGRAMME_OFFICER,
    Role.API_CLIENT,
)
SUPERUSER, INACTIVE_ADMIN, INACTIVE_OFFICER = (
    "superuser",
    "inactive administrator",
    "inactive programme officer",
)


def stand_in(kind: str, pk: int, *, permissions: frozenset[str] = frozenset()):
    """An unsaved user of ``kind`` (authenticated, as every User instance is).

    ``permissions`` are the Django permissions granted to the person (none by default),
    held in the cache Django's backend reads, so no rule queries the database.
    """
    User = get_user_model()
    if kind == SUPERUSER:
        user = User(pk=pk, username=kind, role=Role.BUSINESS, is_superuser=True)
    elif kind == INACTIVE_ADMIN:
        user = User(pk=pk, username=kind, role=Role.ADMINISTRATOR, is_active=False)
    elif kind == INACTIVE_OFFICER:
        user = User(pk=pk, username=kind, role=Role.PROGRAMME_OFFICER, is_active=False)
    else:
        user = User(pk=pk, username=str(kind), role=kind)
    user._perm_cache = set(permissions)
    return user


def allowed_among(roles: tuple[str, ...], *kinds: str) -> dict[str, bool]:
    """Return {kind: allowed} over ``roles``: True for ``kinds``, False for the rest."""
    return {kind: kind in kinds for kind in roles}
