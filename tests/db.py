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
