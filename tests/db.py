"""Build expensive test data once for a module, and undo it after.

Use it in a module-scoped fixture::

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            yield build_everything()

The data is written inside a transaction that stays open for the module and is rolled back
at its end. Each test marked ``django_db`` runs inside a savepoint of that transaction
(pytest-django's TestCase atomics nest), so what one test changes is undone before the next
and no test sees another's writes. Not for transactional tests, live servers or real
workers: they need committed rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import transaction
from django.test import override_settings


@contextlib.contextmanager
def built_once(django_db_blocker, **settings) -> Iterator[None]:
    """Open the module's transaction (with ``settings`` overridden), roll it back after."""
    with django_db_blocker.unblock(), override_settings(**settings), transaction.atomic():
        yield
        transaction.set_rollback(True)


# The named administrator who publishes the initial rule book in every test database.
RULEBOOK_PUBLISHER = "rulebook-publisher"


def rulebook_publisher():
    """Return the test administrator who publishes the initial rule book (made once)."""
    from django.contrib.auth import get_user_model

    from portal.choices import Role

    user, _created = get_user_model().objects.get_or_create(
        username=RULEBOOK_PUBLISHER,
        defaults={
            "role": Role.ADMINISTRATOR,
            "display_name": "Rule book publisher (tests)",
            "email": "",  # no address: e-mails to the City's staff do not reach it
        },
    )
    return user


def publish_initial_rulebook() -> None:
    """Publish the migrations' initial rule-book draft, as a named administrator would.

    The migrations leave the initial version (in force from the ordinance's start date) a
    draft; the first administrator publishes it. Tests rely on a published rule book, so
    the test database's set-up does it once through the real service (attributed and
    audited). Nothing happens when a version is published already.
    """
    from compliance.models import RuleBookVersion
    from compliance.rulebook.services import versions

    if RuleBookVersion.objects.published().exists():
        return
    draft = versions.initial_draft()
    if draft is None:
        raise RuntimeError("The migrations left no initial rule-book draft to publish.")
    versions.publish(rulebook_publisher(), draft, reason="tests: the initial rule book")
