"""Filter by a long list of ids with one array parameter instead of one per id."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def among(ids: Iterable[int]) -> RawSQL | list[int]:
    """Return the ids as a subquery for ``__in``: ``filter(premises_id__in=among(ids))``.

    Django sends an ``IN`` list as one parameter per value, each prepared by Django and
    then quoted and spliced into the statement by psycopg, in Python: for chunks of
    thousands of ids (the city-scale assessment) that took longer than the queries.
    One array parameter is adapted at once, and PostgreSQL estimates its length. Other
    databases (SQLite, the demo) have no arrays: they get the plain list.
    """
    if connection.vendor != "postgresql":
        return list(ids)
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
