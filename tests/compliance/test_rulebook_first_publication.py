"""The initial rule book is published by a named administrator, not by a migration.

The state a fresh database is left in is rebuilt inside each test (rolled back after):
0006 seeds the initial version published with nobody as publisher, and 0015 turns it
back into a draft unless something relied on it.
"""

from __future__ import annotations

import datetime
import importlib
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from compliance.choices import RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry
from tests.db import RULEBOOK_PUBLISHER
from tests.factories import make_violation

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
ORDINANCE_START = datetime.date(2025, 1, 1)

seed_0006 = importlib.import_module("compliance.migrations.0006_initial_rulebook")
to_draft_0015 = importlib.import_module("compliance.migrations.0015_initial_rulebook_draft")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def run(migration_function) -> None:
    with connection.schema_editor(atomic=False) as editor:
        migration_function(apps, editor)


@pytest.fixture
def seeded() -> RuleBookVersion:
    """Return the version 0006 seeds on an empty database (published, no publisher)."""
    table = connection.ops.quote_name(RuleBookVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER compliance_rulebook_frozen")
        RuleBookVersion.objects.all().delete()
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER compliance_rulebook_frozen")
    run(seed_0006.seed)
    version = RuleBookVersion.objects.get()
    assert version.is_published and version.published_by is None
    return version


@pytest.fixture
def fresh(seeded) -> RuleBookVersion:
    """Return the initial version as the migrations leave it on a fresh database."""
    run(to_draft_0015.initial_version_to_draft)
    seeded.refresh_from_db()
    return seeded


def test_the_test_database_was_left_a_draft_and_published_by_a_named_administrator():
    version = RuleBookVersion.objects.published().order_by("pk").first()
    if version.title.startswith("tests:"):
        pytest.skip("a transactional test flushed this database; ensure_rulebook rebuilt it")
    assert version.published_by.username == RULEBOOK_PUBLISHER
    history = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(version.pk)
    ).order_by("id")
    assert [(e.actor_label, e.action, e.changes) for e in history] == [
        ("migration", "create", {"status": [None, "published"]}),
        (
            "migration",
            "update",
            {"status": ["published", "draft"], "published_at": [mock.ANY, None]},
        ),
        (
            "migration",
            "update",
            {
                "title": [
                    "Initial rule book (spec/ordinance.md starting values)",
                    "臺北市節約能源管理自治條例 初始規則參數",
                ]
            },
        ),
        (RULEBOOK_PUBLISHER, "approve", mock.ANY),
    ]
    assert history.last().changes["status"] == ["draft", "published"]
    assert version.title == "臺北市節約能源管理自治條例 初始規則參數"  # no file path on a page


def test_on_a_fresh_database_the_migrations_leave_the_initial_version_a_draft(fresh):
    assert fresh.status == RuleBookStatus.DRAFT
    assert fresh.published_at is None and fresh.published_by is None
    assert fresh.effective_from == ORDINANCE_START
    assert version_in_force(TODAY) is None
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(fresh.pk), action="update"
    ).get()
    assert entry.actor_label == "migration"
    assert entry.changes["status"] == ["published", "draft"]
    assert rulebook_services.initial_draft() == fresh


def test_a_version_something_refers_to_is_left_published(seeded, premises):
    violation = make_violation(premises)
    assert violation.rulebook_version == seeded
    run(to_draft_0015.initial_version_to_draft)
    seeded.refresh_from_db()
    assert seeded.is_published
    assert not AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(seeded.pk), action="update"
    ).exists()


def test_an_attributed_version_or_one_with_a_successor_is_left_published(seeded, administrator):
    RuleBookVersion.objects.filter(pk=seeded.pk).update(published_by=administrator)
    run(to_draft_0015.initial_version_to_draft)
    seeded.refresh_from_db()
    assert seeded.is_published

    RuleBookVersion.objects.filter(pk=seeded.pk).update(published_by=None)
    later = rulebook_services.create_draft(administrator)
    rulebook_services.publish(administrator, later)
    run(to_draft_0015.initial_version_to_draft)
    seeded.refresh_from_db()
    assert seeded.is_published


def test_the_first_publication_keeps_the_ordinances_date_and_names_its_publisher(
    fresh, administrator
):
    version = rulebook_services.publish(administrator, fresh)

    version.refresh_from_db()
    assert version.is_published
    assert version.effective_from == ORDINANCE_START
    assert version.published_by == administrator
    assert version.published_at is not None
    assert version_in_force(TODAY) == version
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(version.pk), action="approve"
    ).get()
    assert entry.actor == administrator
    assert entry.changes["status"] == ["draft", "published"]
    assert entry.changes["published_by"] == [None, administrator.get_username()]
    assert "2025-01-01" in entry.reason
    assert rulebook_services.initial_draft() is None


def test_after_the_first_publication_a_past_date_is_refused_again(fresh, administrator):
    rulebook_services.publish(administrator, fresh)
    later = rulebook_services.create_draft(administrator)
    RuleBookVersion.objects.filter(pk=later.pk).update(effective_from=ORDINANCE_START)
    later.refresh_from_db()
    assert parameters_of(later).effective_date == ORDINANCE_START  # restates it, too late
    with pytest.raises(ValidationError) as excinfo:
        rulebook_services.publish(administrator, later)
    assert "effective_from" in excinfo.value.message_dict
    assert RuleBookVersion.objects.get(pk=later.pk).status == RuleBookStatus.DRAFT


def test_even_the_first_publication_may_not_pick_another_past_date(fresh, administrator):
    RuleBookVersion.objects.filter(pk=fresh.pk).update(
        effective_from=TODAY - datetime.timedelta(days=1)
    )
    fresh.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        rulebook_services.publish(administrator, fresh)
    assert "effective_from" in excinfo.value.message_dict
    assert rulebook_services.initial_draft() is None


def test_only_an_administrator_publishes_it(fresh, inspector):
    with pytest.raises(PermissionDenied):
        rulebook_services.publish(inspector, fresh)
    fresh.refresh_from_db()
    assert fresh.status == RuleBookStatus.DRAFT


def test_the_rule_book_page_says_none_is_in_force_and_offers_the_draft(
    client, fresh, administrator, inspector
):
    client.force_login(administrator)
    page = client.get(reverse("rulebook-list")).content.decode()
    assert "No rule book is in force yet." in page
    publish = reverse("rulebook-publish", args=[fresh.pk])
    assert f'href="{publish}"' in page
    assert "Review and publish the initial rule book" in page

    confirm = client.get(publish).content.decode()
    assert "No rule book has been published yet." in confirm
    assert "data-publish" in confirm  # the button: the past date is no obstacle here
    response = client.post(publish, {"reason": "Ordinance in force"})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.is_published and fresh.published_by == administrator

    page = client.get(reverse("rulebook-list")).content.decode()
    assert "No rule book is in force yet." not in page
    assert administrator.get_username() in page or str(administrator) in page


def test_other_roles_are_told_none_is_in_force_without_the_offer(client, fresh, inspector):
    client.force_login(inspector)
    page = client.get(reverse("rulebook-list")).content.decode()
    assert "No rule book is in force yet." in page
    assert "Review and publish the initial rule book" not in page


def test_demo_data_ends_with_the_rule_book_published_by_its_administrator(fresh):
    from io import StringIO

    from django.core.management import call_command

    from compliance.models import ComplianceAssessment, Violation

    out = StringIO()
    call_command(
        "demo_data",
        businesses=12,
        premises=20,
        equipment=90,
        seed=1,
        with_demo_users=True,
        stdout=out,
    )

    fresh.refresh_from_db()
    assert fresh.is_published
    assert fresh.published_by.username == "admin"
    assert fresh.effective_from == ORDINANCE_START
    assert AuditEntry.objects.filter(
        object_type="compliance.rulebookversion",
        object_id=str(fresh.pk),
        action="approve",
        actor=fresh.published_by,
    ).exists()
    # The administrator published before anything was assessed or opened.
    assessments = ComplianceAssessment.objects.all()
    assert assessments.exists()
    assert not assessments.exclude(rulebook_version=fresh).exists()
    assert not Violation.objects.exclude(rulebook_version=fresh).exists()
    text = out.getvalue()
    assert text.index("admin published the initial version") < text.index("Assessed")

    again = StringIO()
    call_command(
        "demo_data", businesses=12, premises=20, equipment=90, with_demo_users=True, stdout=again
    )
    assert "already published" in again.getvalue()
    assert RuleBookVersion.objects.published().count() == 1
