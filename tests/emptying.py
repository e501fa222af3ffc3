"""Empty the test database after a transactional test in milliseconds, not a second.

Django ends every ``TransactionTestCase`` (pytest-django's ``transactional_db``, the
browser tests' ``live_server``) with ``manage.py flush``: a ``TRUNCATE`` of all 106
tables, each given new files, and the content types and permissions written again.
That took 0.6 s on a quiet machine and 1.5-2 s under the suite's load, for each of
the few hundred such tests.

On PostgreSQL, as a superuser (the test database's owner in ``make test``), the same
end state is reached by deleting the rows of the tables that have any, found in one
query, with triggers and foreign-key checks off for the session
(``session_replication_role = replica``): the maintained figures are emptied like the
rows they count, and the append-only and frozen-version guards do not apply to a test
database being reset. The content types, permissions and migration records are kept,
as ``flush`` would write them again identically. Anywhere else (SQLite, a role that
may not switch triggers off) Django's own flush runs.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.utils import DatabaseError
from django.test import TransactionTestCase

from tests import live_requests

# Rows flush's post_migrate signal writes back the same: kept instead.
KEPT = frozenset({"django_migrations", "django_content_type", "auth_permission"})
PASSES = 5

_flush = TransactionTestCase._fixture_teardown


def _tables_with_rows(cursor, tables: list[str], quote) -> list[str]:
    union = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
    )
    cursor.execute(union, tables)
    return [row[0] for row in cursor.fetchall()]


def empty(alias: str) -> bool:
    """Delete every row of the database ``alias`` but the kept ones; False if it cannot."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    quote = connection.ops.quote_name
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in KEPT
    ]
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            # Again while some are found (a few passes at most): a row another connection
            # committed after the tables were looked at (its foreign keys checked at its
            # commit, the rows it refers to not yet deleted) is deleted too, instead of
            # outliving them.
            for _pass in range(PASSES):
                found = _tables_with_rows(cursor, tables, quote)
                if not found:
                    break
                for table in found:
                    cursor.execute(f"DELETE FROM {quote(table)}")
    except DatabaseError:  # not a superuser: triggers cannot be switched off
        return False
    return True


def _fixture_teardown(self) -> None:
    # The browser is closed by now; what it sent last may still be running on the server.
    live_requests.wait_until_idle()
    if self.available_apps is None and not self.serialized_rollback:
        aliases = list(self._databases_names(include_mirrors=False))
        if all(empty(alias) for alias in aliases):
            return
    _flush(self)


def install() -> None:
    """Make every transactional test end with :func:`empty` (tests/conftest.py)."""
    TransactionTestCase._fixture_teardown = _fixture_teardown
