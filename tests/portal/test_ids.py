"""Filtering by a long list of ids with one array parameter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import Premises
from portal.ids import among
from tests.factories import make_premises

pytestmark = pytest.mark.django_db


def test_among_selects_the_same_rows_as_an_in_list_with_one_parameter(business):
    kept = [make_premises(business).pk for _ in range(3)]
    make_premises(business)
    wanted = [*kept, 10**12]  # an id that does not exist is simply not found

    with CaptureQueriesContext(connection) as queries:
        found = sorted(Premises.objects.filter(pk__in=among(wanted)).values_list("pk", flat=True))

    assert found == sorted(kept)
    assert "unnest" in queries[0]["sql"]
    assert not Premises.objects.filter(pk__in=among([])).exists()


def test_among_is_a_plain_list_where_the_database_has_no_arrays(business, monkeypatch):
    kept = make_premises(business).pk
    make_premises(business)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the demo's database

    ids = among(iter([kept]))

    monkeypatch.undo()
    assert ids == [kept]
    assert list(Premises.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [kept]
