"""Querysets compiled to SQL once and run again with other values, for the hottest reads.

Building and compiling a queryset costs about a millisecond of Python per request (the
API token's lookup, a premises' status): more than PostgreSQL takes to answer it. A
:class:`CompiledQuery` lets the ORM write the statement once, from the same queryset the
code would build, with unique placeholder values standing for the arguments; a run puts
the arguments in their places and reads the rows as the queryset would (converters
applied; model instances with their ``select_related`` rows, or value tuples for
``values_list``). What the statement says stays the ORM's: nothing is restated in SQL.

A queryset whose SQL depends on more than its arguments (a user's visibility, say) is
compiled once per ``shape``: a hashable key that must determine everything else in the
statement (e.g. the visible queryset's ``WHERE``, users' ids included).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators

# Values no real argument takes: each found exactly once among the compiled parameters.
_PLACEHOLDER_SEED = -7_364_019_283


class CompiledQuery:
    """A queryset built by ``build(*arguments)``, compiled once per database and shape.

    ``placeholders`` are the values ``build`` is called with to compile: each must reach
    the statement's parameters unchanged and exactly once (an exact lookup on a column).
    """

    def __init__(
        self, build: Callable[..., QuerySet], placeholders: Sequence[Any], shapes: int = 256
    ):
        self.build = build
        self.placeholders = tuple(placeholders)
        self.shapes = shapes
        self._compiled: OrderedDict[tuple, _Statement] = OrderedDict()
        self._lock = threading.Lock()

    def rows(
        self,
        *arguments,
        given: tuple = (),
        shape: Hashable = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> list:
        """Return what ``build(*given, *arguments)`` yields, as a list.

        ``given`` goes to ``build`` only when the statement of this ``shape`` is compiled:
        the shape must determine it.
        """
        key = (using, shape)
        statement = self._compiled.get(key)
        if statement is None:
            queryset = self.build(*given, *self.placeholders)
            statement = _Statement(queryset, self.placeholders, using)
            with self._lock:
                self._compiled[key] = statement
                while len(self._compiled) > self.shapes:
                    self._compiled.popitem(last=False)
        return statement.run(arguments)


class _Statement:
    """One compiled queryset: its SQL, where each argument goes, and how rows are read."""

    def __init__(self, queryset: QuerySet, placeholders: tuple, using: str):
        self.using = using
        self.compiler = queryset.query.get_compiler(using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for index, placeholder in enumerate(placeholders):
            found = [at for at, value in enumerate(self.params) if value == placeholder]
            if len(found) != 1:
                raise ValueError(f"Placeholder {placeholder!r} found {len(found)} times.")
            self.slots.append((found[0], index))
        self.values = issubclass(queryset._iterable_class, ValuesListIterable)
        if not self.values:
            self.klass_info = self.compiler.klass_info
            select_fields = self.klass_info["select_fields"]
            self.model_slice = slice(select_fields[0], select_fields[-1] + 1)
            self.init_list = [
                column[0].target.attname for column in self.compiler.select[self.model_slice]
            ]
            self.populators = get_related_populators(self.klass_info, self.compiler.select, using)
        self.converters = self.compiler.get_converters(
            [column[0] for column in self.compiler.select]
        )

    def run(self, arguments: tuple) -> list:
        params = list(self.params)
        for at, index in self.slots:
            params[at] = arguments[index]
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if self.values:
            return [tuple(row[: self.compiler.col_count]) for row in rows]
        return [self._instance(row) for row in rows]

    def _instance(self, row):
        instance = self.klass_info["model"].from_db(
            self.using, self.init_list, row[self.model_slice]
        )
        for populator in self.populators:
            populator.populate(row, instance)
        return instance


def placeholders(count: int) -> list[int]:
    """Return ``count`` integer placeholders (for ids), distinct from any real id."""
    return [_PLACEHOLDER_SEED - index for index in range(count)]


def where_shape(queryset: QuerySet) -> Hashable:
    """A key for ``given=(queryset,)``: its model, joins and conditions (values included).

    Only for a queryset of plain filters (no ``none()``, slicing, ordering or annotations
    that the key would not see).
    """
    query = queryset.query
    return (query.model, tuple(query.alias_map), query.where)
