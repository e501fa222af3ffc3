"""Querysets compiled once and run again with other values (portal.statements)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.choices import Role
from portal.models import ApiToken
from portal.statements import CompiledQuery, placeholders, where_shape

pytestmark = pytest.mark.django_db

TOKENS_OF = CompiledQuery(
    lambda user_id: ApiToken.objects.select_related("user").filter(user_id=user_id).order_by("pk"),
    placeholders=placeholders(1),
)
NAMES_AMONG = CompiledQuery(
    lambda visible, user_id: (
        visible.filter(user_id=user_id).values_list("name", "user__username").order_by("pk")
    ),
    placeholders=placeholders(1),
)


@pytest.fixture
def users(make_user):
    first, second = make_user("first", Role.BUSINESS), make_user("second", Role.INSPECTOR)
    for user in (first, second):
        for name in ("a", "b"):
            ApiToken.generate(user, f"{user.username}-{name}")
    return first, second


def test_each_run_answers_as_the_queryset_with_its_own_values(users):
    for user in users:
        with CaptureQueriesContext(connection) as ctx:
            tokens = TOKENS_OF.rows(user.pk)
            names = [(token.name, token.user.username) for token in tokens]

        assert tokens == list(ApiToken.objects.filter(user=user).order_by("pk"))
        assert names == [(f"{user.username}-{name}", user.username) for name in ("a", "b")]
        assert len(ctx) == 1  # the user came with its token


def test_a_shape_keeps_the_given_queryset_s_own_conditions(users):
    _first, second = users
    for visible in (ApiToken.objects.filter(name__endswith="-a"), ApiToken.objects.all()):
        for user in users:
            rows = NAMES_AMONG.rows(user.pk, given=(visible,), shape=where_shape(visible))
            assert rows == list(
                visible.filter(user=user).values_list("name", "user__username").order_by("pk")
            )
    assert NAMES_AMONG.rows(
        second.pk, given=(ApiToken.objects.none(),), shape=where_shape(ApiToken.objects.all())
    ) == [("second-a", "second"), ("second-b", "second")]  # compiled once: the shape decides


def test_a_placeholder_the_orm_changes_is_refused():
    changed = CompiledQuery(
        lambda name: ApiToken.objects.filter(name__startswith=name), placeholders=["x"]
    )

    with pytest.raises(ValueError, match="found 0 times"):
        changed.rows("a")
