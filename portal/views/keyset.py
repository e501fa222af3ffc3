"""Keyset pagination of HTML lists that can reach millions of rows.

An offset page (``?page=2000``) makes the database walk and throw away every row before
it, and the page count needs ``COUNT(*)`` over the whole filtered list. A keyset page
starts after (or before) the last row shown, carried in the link as the values of the
list's ordering: with an index in that order the database reads the 51 rows it returns,
whatever the page. The total is counted only up to a bound (``LIMIT`` inside the count),
so a list of a million rows says "more than 1,000".

The cursor is an opaque token (JSON of the ordering values, base64url); a token that does
not decode or does not fit the fields starts the list from the top, never an error page.
Visibility is untouched: the cursor only narrows the queryset the view already limited.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet

PAGE_SIZE = 50
# Lists count their rows up to this many; beyond, they say "more than".
COUNT_LIMIT = 1000
AFTER = "after"
BEFORE = "before"


@dataclass
class KeysetPage:
    """One page of a keyset list, with its neighbours' links and its bounded count."""

    object_list: list
    count: int
    count_exceeds: bool
    count_limit: int
    previous_query: str = ""
    next_query: str = ""

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def _field(model, path: str):
    """Return the model field at the end of ``path`` (``premises__business__name_zh``)."""
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _value(row, path: str):
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def encode(values: list) -> str:
    text = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(token: str, model, paths: list[str]) -> list | None:
    """Return the ordering values of ``token``, or None when it is not a valid cursor."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != len(paths):
            return None
        return [
            _field(model, path).to_python(value) for path, value in zip(paths, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError, FieldDoesNotExist):
        return None


def _beyond(paths: list[str], values: list, ascending: bool) -> Q:
    """Rows strictly after ``values`` in the order (lexicographic, expanded for the planner).

    ``(a, b, c) > (x, y, z)`` is written ``a >= x AND (a > x OR a = x AND b > y OR ...)``:
    the first term bounds the index scan, the rest settles the ties.
    """
    later = "gt" if ascending else "lt"
    branches = []
    for i, path in enumerate(paths):
        equal = [Q(**{p: v}) for p, v in zip(paths[:i], values[:i], strict=True)]
        branches.append(reduce(and_, [*equal, Q(**{f"{path}__{later}": values[i]})]))
    bound = Q(**{f"{paths[0]}__{later}e": values[0]})
    return bound & reduce(or_, branches)


def keyset_page(
    queryset: QuerySet,
    params,
    ordering: list[str],
    *,
    page_size: int = PAGE_SIZE,
    count_limit: int = COUNT_LIMIT,
    counted: bool = True,
) -> KeysetPage:
    """Return the page of ``queryset`` that ``params`` (the request's GET) asks for.

    ``ordering`` is every term of the order, all ascending or all descending, the last one
    unique (the id). Costs two queries: the bounded count (unless not ``counted``) and
    the page.
    """
    descending = ordering[0].startswith("-")
    if any(term.startswith("-") != descending for term in ordering):
        raise ValueError("A keyset ordering goes one way.")
    paths = [term.lstrip("-") for term in ordering]
    reverse = [f"{path}" if descending else f"-{path}" for path in paths]
    model = queryset.model
    query = params.copy()
    after = decode(params.get(AFTER, ""), model, paths) if params.get(AFTER) else None
    before = decode(params.get(BEFORE, ""), model, paths) if params.get(BEFORE) else None
    for key in (AFTER, BEFORE):
        query.pop(key, None)

    counted = queryset.order_by().values("pk")[: count_limit + 1].count() if counted else 0
    if before is not None:
        rows = list(
            queryset.filter(_beyond(paths, before, descending)).order_by(*reverse)[: page_size + 1]
        )
        more_before = len(rows) > page_size
        rows = rows[:page_size][::-1]
        has_previous, has_next = more_before, True
    else:
        if after is not None:
            queryset = queryset.filter(_beyond(paths, after, not descending))
        rows = list(queryset.order_by(*ordering)[: page_size + 1])
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        has_previous = after is not None

    def link(key: str, row) -> str:
        linked = query.copy()
        linked[key] = encode([_value(row, path) for path in paths])
        return linked.urlencode()

    return KeysetPage(
        object_list=rows,
        count=min(counted, count_limit),
        count_exceeds=counted > count_limit,
        count_limit=count_limit,
        previous_query=link(BEFORE, rows[0]) if rows and has_previous else "",
        next_query=link(AFTER, rows[-1]) if rows and has_next else "",
    )


class KeysetListMixin:
    """A ListView paged by :func:`keyset_page` (``keyset_ordering``) instead of offsets.

    The template gets ``page`` (a :class:`KeysetPage`) and ``object_list`` (its rows);
    ``_keyset_pagination.html`` draws the links and ``page.count``/``count_exceeds`` the
    bounded total. :meth:`decorate` adds per-row figures for the rows shown only.
    """

    keyset_ordering: list[str] = []
    # Whether the page says how many rows the list has (up to COUNT_LIMIT).
    keyset_counted = True
    keyset_count_limit = COUNT_LIMIT
    paginate_by = None

    def decorate(self, rows: list) -> None:
        """Add what the rows shown need (one query for all of them), in place."""

    def get_context_data(self, **kwargs):
        page = keyset_page(
            self.object_list,
            self.request.GET,
            self.keyset_ordering,
            counted=self.keyset_counted,
            count_limit=self.keyset_count_limit,
        )
        self.decorate(page.object_list)
        query = self.request.GET.copy()
        for key in (AFTER, BEFORE, "page"):
            query.pop(key, None)
        kwargs.update(object_list=page.object_list, page=page, query_string=query.urlencode())
        return super().get_context_data(**kwargs)
