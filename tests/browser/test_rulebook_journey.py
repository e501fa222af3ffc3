"""An administrator drafts a rule-book change in headless Chromium, previews it and publishes it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from compliance import rules
from compliance.choices import EquipmentKind, RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import version_in_force
from tests.conftest import PASSWORD
from tests.factories import make_business, make_equipment, make_premises

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rule_book_in_force():
    """The migration's initial version, seeded again if an earlier test's flush removed it."""
    version = version_in_force()
    if version is None:
        params = rules.initial_parameters()
        version = RuleBookVersion.objects.create(
            title="Initial rule book",
            status=RuleBookStatus.PUBLISHED,
            effective_from=params.effective_date,
            parameters=rules.params_to_dict(params),
            published_at=timezone.now(),
        )
    return version


@pytest.fixture
def premises_that_would_change():
    """A 120 HP chiller without a separate meter: non-compliant with Art. 5-3 at 100 HP."""
    premises = make_premises(make_business(), name="信義旗艦店")
    make_equipment(
        premises, EquipmentKind.CHILLER, capacity_hp=Decimal("120"), has_separate_meter=False
    )
    return premises


def test_administrator_drafts_previews_and_publishes_a_change(
    page, administrator, rule_book_in_force, premises_that_would_change
):
    assert rule_book_in_force.parameters["indoor_temperature_floor_c"] == "26"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    # Sign in and start a draft from the rule book list.
    page.goto("/account/login/")
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/rulebook/")
    page.click("main form[action$='/rulebook/new/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/rulebook/\d+/edit/$"))
    draft_id = int(re.search(r"/rulebook/(\d+)/edit/", page.url).group(1))

    # The tables grow a row on request (static/js, allowed by the CSP); an empty one is ignored.
    rows = page.locator("[data-formset=illuminance] tbody[data-rows] tr")
    before = rows.count()
    page.click("[data-formset=illuminance] [data-add-row]")
    assert rows.count() == before + 1

    # Lower the temperature floor, raise the chiller threshold, take effect tomorrow.
    page.fill("#id_title", "2027 夏季公告")
    page.fill("#id_effective_from", tomorrow.isoformat())
    page.fill("#id_indoor_temperature_floor_c", "25.5")
    page.fill("#id_chiller_threshold_hp", "150")
    page.click("form[data-rulebook-form] .actions button[type=submit]")
    page.wait_for_url(re.compile(rf"/rulebook/{draft_id}/$"))

    # The diff against the version in force.
    diff = page.inner_text("table.rulebook-diff")
    assert "26 → 25.5" in diff
    assert "100 → 150" in diff

    # The impact preview names the premises whose status would change, and only it.
    page.click(f"main a[href='/rulebook/{draft_id}/impact/']")
    page.wait_for_url(re.compile(rf"/rulebook/{draft_id}/impact/$"))
    impact_rows = page.locator("table.impact tbody tr")
    assert impact_rows.count() == 1
    row = impact_rows.first
    assert row.get_attribute("data-premises") == str(premises_that_would_change.pk)
    assert "信義旗艦店" in row.inner_text()

    # Publish for tomorrow and see it listed as published.
    page.click(f"main a[href='/rulebook/{draft_id}/publish/']")
    page.wait_for_url(re.compile(rf"/rulebook/{draft_id}/publish/$"))
    assert page.get_attribute("[data-impact-count]", "data-impact-count") == "1"
    page.click("button[data-publish]")
    page.wait_for_url(re.compile(r"/rulebook/$"))
    listed = page.locator(f"tr[data-version='{draft_id}']")
    assert listed.get_attribute("data-status") == "published"
    assert tomorrow.isoformat() in listed.inner_text()
    page.screenshot(path="test-results/rulebook-journey.png", full_page=True)

    version = RuleBookVersion.objects.get(pk=draft_id)
    assert version.status == RuleBookStatus.PUBLISHED
    assert version.published_by == administrator
    assert version.effective_from == tomorrow
    assert version.parameters["indoor_temperature_floor_c"] == "25.5"
