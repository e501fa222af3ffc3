"""Published rule-book versions are numbered 1, 2, 3, … at publication, for good.

Documents and pages name a version by its number and title ("rule book no. 2 (…)",
「規則參數第2版（…）」), never by its database id.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from compliance.choices import RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry
from tests.factories import ensure_rulebook

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)

numbering_0020 = importlib.import_module("compliance.migrations.0020_rulebook_version_number")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def draft_for(administrator, days: int, floor: str = "25.5") -> RuleBookVersion:
    """Return a valid draft in force ``days`` after today."""
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(parameters_of(draft), indoor_temperature_floor_c=Decimal(floor))
    return rulebook_services.update_draft(
        administrator,
        draft,
        params=params,
        title=f"Floor {floor}, in {days} days",
        effective_from=TODAY + datetime.timedelta(days=days),
    )


def run(migration_function) -> None:
    with connection.schema_editor(atomic=False) as editor:
        migration_function(apps, editor)


def test_the_initial_version_is_number_1():
    assert version_in_force(TODAY).number == 1


def test_publishing_numbers_versions_in_order_and_a_draft_has_none(administrator):
    first = draft_for(administrator, 1)
    second = draft_for(administrator, 2, floor="25")
    third = draft_for(administrator, 3, floor="24.5")
    assert (first.number, second.number, third.number) == (None, None, None)

    # Published out of the order of their dates: the number follows the publication.
    for draft in (second, first, third):
        rulebook_services.publish(administrator, draft)

    numbers = dict(RuleBookVersion.objects.published().values_list("pk", "number"))
    assert [numbers[v.pk] for v in (second, first, third)] == [2, 3, 4]
    assert sorted(numbers.values()) == [1, 2, 3, 4]
    assert rulebook_services.create_draft(administrator).number is None
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(second.pk), action="approve"
    ).get()
    assert entry.changes["number"] == [None, 2]


def test_a_refused_publication_takes_no_number(administrator):
    draft = draft_for(administrator, 1)
    rulebook_services.publish(administrator, draft)
    same_day = draft_for(administrator, 1, floor="25")
    with pytest.raises(ValidationError):
        rulebook_services.publish(administrator, same_day)
    same_day.refresh_from_db()
    assert same_day.number is None
    rulebook_services.publish(administrator, draft_for(administrator, 2, floor="25"))
    assert sorted(
        RuleBookVersion.objects.values_list("number", flat=True).exclude(number=None)
    ) == [
        1,
        2,
        3,
    ]


def test_a_number_is_never_changed_nor_shared_nor_given_to_a_draft(administrator):
    version = version_in_force(TODAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=version.pk).update(number=7)
    draft = rulebook_services.create_draft(administrator)
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=draft.pk).update(number=9)
    published = draft_for(administrator, 1)
    rulebook_services.publish(administrator, published)
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=published.pk).update(number=1)
    version.refresh_from_db()
    assert version.number == 1


def test_the_reference_names_number_and_title_in_the_active_language():
    version = version_in_force(TODAY)
    with translation.override("en"):
        assert version.reference == f"rule book no. 1 ({version.title})"
    with translation.override("zh-hant"):
        assert version.reference == f"規則參數第1版（{version.title}）"
    draft = RuleBookVersion(title="Draft", parameters={}, effective_from=TODAY)
    assert draft.reference == "Draft"


def test_the_api_shows_the_number_read_only(client, administrator):
    client.force_login(administrator)
    draft = rulebook_services.create_draft(administrator)
    version = version_in_force(TODAY)

    body = client.get(reverse("api:rulebook-version-detail", args=[version.pk])).json()
    assert body["number"] == 1
    response = client.patch(
        reverse("api:rulebook-version-detail", args=[draft.pk]),
        {"number": 5, "title": "Renamed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["number"] is None
    draft.refresh_from_db()
    assert draft.number is None and draft.title == "Renamed"


def test_the_rule_book_pages_show_the_number(client, administrator):
    client.force_login(administrator)
    version = version_in_force(TODAY)
    with translation.override("en"):
        listing = client.get(reverse("rulebook-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        detail = client.get(
            reverse("rulebook-detail", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert f'data-version="{version.pk}" data-status="published" data-number="1"' in listing
    assert "data-number>1<" in detail


def test_the_migration_numbers_the_published_versions_in_order_of_publication():
    initial = version_in_force(TODAY)
    later = initial.published_at + datetime.timedelta(hours=2)

    def published(days: int, at: datetime.datetime) -> RuleBookVersion:
        return RuleBookVersion.objects.create(
            title=f"in {days} days",
            status=RuleBookStatus.PUBLISHED,
            effective_from=TODAY + datetime.timedelta(days=days),
            parameters=initial.parameters,
            published_at=at,
        )

    # The state before the migration: 0006's trigger, no number anywhere.
    run(numbering_0020.unfreeze_number)
    RuleBookVersion.objects.update(number=None)
    second_at_same_time = published(3, later)
    first_published = published(2, later)  # same time, lower id wins: created later here
    earliest = published(1, initial.published_at + datetime.timedelta(hours=1))
    draft = RuleBookVersion.objects.create(
        title="draft", effective_from=TODAY, parameters=initial.parameters
    )

    run(numbering_0020.number_published)
    run(numbering_0020.freeze_number)

    numbers = dict(RuleBookVersion.objects.values_list("pk", "number"))
    assert numbers[initial.pk] == 1
    assert numbers[earliest.pk] == 2
    assert numbers[second_at_same_time.pk] == 3  # lower id than first_published
    assert numbers[first_published.pk] == 4
    assert numbers[draft.pk] is None
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=earliest.pk).update(number=None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real locks")
@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once_never_share_a_number(make_user):
    from portal.choices import Role

    ensure_rulebook()
    administrators = [make_user(f"admin-{n}", Role.ADMINISTRATOR) for n in range(2)]
    drafts = [draft_for(administrators[0], days, floor) for days, floor in ((1, "25.5"), (2, "25"))]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def publish(actor, draft):
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            rulebook_services.publish(actor, draft)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [
        threading.Thread(target=publish, args=pair)
        for pair in zip(administrators, drafts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    numbers = sorted(
        RuleBookVersion.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "number", flat=True
        )
    )
    assert numbers == [2, 3]
