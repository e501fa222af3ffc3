"""The reset after a transactional test leaves the database as Django's flush would."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction

from compliance.models import DeadlineFigure, Premises, RuleBookVersion, Violation
from tests import emptying
from tests.factories import ensure_rulebook, make_business, make_premises, make_violation


def rows_left() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        return {
            table: count
            for table in tables
            if (count := cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        }


@pytest.mark.django_db(transaction=True)
def test_emptying_deletes_every_row_but_the_content_types_and_permissions():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's tests run in transactions Django rolls back.")
    ensure_rulebook()  # a frozen version: its table refuses deletes
    make_violation(make_premises(make_business()))  # with the counters its triggers keep
    assert DeadlineFigure.objects.exists() and RuleBookVersion.objects.exists()
    types, permissions = ContentType.objects.count(), Permission.objects.count()

    assert emptying.empty("default")

    assert set(rows_left()) == {"django_content_type", "auth_permission"}
    assert (ContentType.objects.count(), Permission.objects.count()) == (types, permissions)
    # The triggers are on again: a new violation is counted.
    ensure_rulebook()
    make_violation(make_premises(make_business()))
    assert Violation.objects.count() == 1
    assert sum(DeadlineFigure.objects.values_list("violations", flat=True)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_another_connection_commits_while_emptying_is_deleted_too(monkeypatch):
    """A request still writing when the test ends commits just after the tables were looked at."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's tests run in transactions Django rolls back.")
    business = make_business()  # committed; no premises yet
    inserted, commit = threading.Event(), threading.Event()

    def late_request():
        try:
            with transaction.atomic():
                make_premises(business)
                inserted.set()
                commit.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=late_request)
    writer.start()
    assert inserted.wait(10)

    looked_at = emptying._tables_with_rows

    def then_the_request_commits(*args):
        found = looked_at(*args)
        if not commit.is_set():  # the first look: no premises among the tables found
            commit.set()
            writer.join(10)
        return found

    monkeypatch.setattr(emptying, "_tables_with_rows", then_the_request_commits)
    assert emptying.empty("default")

    assert not writer.is_alive()
    assert not Premises.objects.exists()  # not left behind its deleted business
    assert set(rows_left()) == {"django_content_type", "auth_permission"}
