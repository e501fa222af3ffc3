"""An inspector records a visit on a tablet in headless Chromium, losing the network mid-way."""

import datetime
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from compliance import rules
from compliance.choices import EquipmentKind, RuleBookStatus
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import RuleBookVersion, Violation
from compliance.rulebook.bridge import version_in_force
from inspections.choices import AssignmentRole
from inspections.models import Inspection, InspectionAssignment, InspectionReport, Visit
from inspections.services.visits import start_visit
from tests.conftest import PASSWORD
from tests.factories import make_equipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path("test-results")
TABLET = {"width": 800, "height": 1280}


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
def todays_inspection(premises, inspector, rule_book_in_force, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the report PDF is stored there
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    inspection = Inspection.objects.create(premises=premises, scheduled_for=timezone.localdate())
    InspectionAssignment.objects.create(
        inspection=inspection, user=inspector, role=AssignmentRole.LEAD
    )
    return inspection


def temperature(page, index: int):
    return page.locator(f"input[name='temperatures-{index}-temperature_c']")


def message(page, name: str) -> str:
    """Return a text the page shows, in its language, from the form's data-msg-* attribute."""
    return page.get_attribute("form[data-visit-form]", f"data-msg-{name}")


def go_to(page, step: str) -> None:
    """Open a section of the visit form from its progress list."""
    page.click("[data-steps-toggle]")
    page.click(f"[data-step-link='{step}']")
    page.wait_for_selector(f"#{step}.current")


def wait_for_state(page, state: str) -> None:
    page.wait_for_selector(f"[data-sync-status][data-state='{state}']")


@pytest.fixture
def tablet(browser, live_server):
    """A tablet in Taipei: portrait 800×1280, touch, the City's language and time zone."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-TW",
        timezone_id="Asia/Taipei",
        viewport=TABLET,
        has_touch=True,
        accept_downloads=True,
    )
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def test_inspector_records_a_visit_through_a_network_drop(tablet, inspector, todays_inspection):
    RESULTS.mkdir(exist_ok=True)
    page = tablet
    context = page.context
    inspection = todays_inspection

    # Sign in and open the agenda (or, without it, the inspection).
    page.goto("/account/login/")
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    try:
        page.goto(reverse("inspection-agenda"))
        page.click(f"a[href='{reverse('inspection-detail', args=[inspection.pk])}']")
    except NoReverseMatch:
        page.goto(reverse("inspection-detail", args=[inspection.pk]))

    # Start the visit.
    page.click(f"a[href='{reverse('visit-start', args=[inspection.pk])}']")
    page.click("main form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/visits/\d+/edit/$"))
    visit = Visit.objects.get(inspection=inspection)
    edit_url = page.url

    # Identification, arrival, and a temperature below the floor: flagged at once.
    page.check("#id_identification_shown")
    page.fill("#id_badge_numbers", "TPE-0042")
    page.click("[data-step-next]")
    page.fill("#id_present_persons", "林小姐 店長")
    page.click("[data-now-for='id_arrived_at']")
    assert page.input_value("#id_arrived_at")
    go_to(page, "step-art-5-5")
    temperature(page, 0).fill("25.0")
    assert "breaks-rule" in temperature(page, 0).get_attribute("class")
    flag = page.locator("td[data-cell='temperature_c'] [data-flag]").first
    assert flag.is_visible() and "26" in flag.inner_text()
    assert "breaks-rule" in page.get_attribute("[data-temperature-average]", "class")
    # A value typed by mistake is removed with its row, and counts no more.
    temperature(page, 2).fill("40")
    temperature(page, 2).locator("xpath=ancestor::tr").locator("[data-remove-row]").click()
    assert not temperature(page, 2).is_visible()
    assert "25.00" in page.inner_text("[data-temperature-average]")
    # Indoor illuminance above the CNS 12112 bound of an office (750 lx) is flagged too.
    go_to(page, "step-art-6-2")
    page.select_option("select[name='illuminance-0-space_type']", "office")
    page.fill("input[name='illuminance-0-illuminance_lux']", "800")
    assert "breaks-rule" in page.get_attribute(
        "input[name='illuminance-0-illuminance_lux']", "class"
    )
    page.click("[data-save]")
    wait_for_state(page, "saved")
    assert "25.00" in page.inner_text("[data-breaches]")  # the average, below the floor
    assert list(visit.temperatures.values_list("temperature_c", flat=True)) == [Decimal("25.0")]
    page.screenshot(path=str(RESULTS / "inspection-visit-1-flagged.png"), full_page=True)

    # The network drops: what is typed stays on the device, and saving says so.
    context.set_offline(True)
    go_to(page, "step-art-5-5")
    add_row = page.locator("[data-formset='temperatures'] [data-add-row]")
    add_row.click()
    add_row.click()
    temperature(page, 4).fill("25.5")
    go_to(page, "step-presence")
    page.click("[data-now-for='id_departed_at']")
    page.click("[data-save]")
    wait_for_state(page, "pending")
    # "Saved on this device, not yet sent" in the page's language.
    assert page.inner_text("[data-sync-status]") == message(page, "pending")
    page.screenshot(path=str(RESULTS / "inspection-visit-2-offline.png"), full_page=True)
    assert visit.temperatures.count() == 1
    # The network returns while the tablet is on another page: the entries are sent by
    # themselves, by the service worker's Background Sync, or by the page once opened
    # again (restored from the device) if the worker has not sent them yet; either way once.
    page.goto("about:blank")
    context.set_offline(False)
    page.wait_for_function("navigator.onLine")  # the browser has noticed the network
    page.goto(edit_url)
    page.wait_for_selector("form[data-visit-form]")
    expected = [Decimal("25.0"), Decimal("25.5")]
    for _attempt in range(60):
        if sorted(visit.temperatures.values_list("temperature_c", flat=True)) == expected:
            break
        page.wait_for_timeout(250)
    assert sorted(visit.temperatures.values_list("temperature_c", flat=True)) == expected
    visit.refresh_from_db()
    assert visit.departed_at is not None
    page.reload()  # nothing is left waiting on the device: the server's entries are shown
    page.wait_for_selector("form[data-visit-form]")
    assert page.locator("[data-restored-notice]").is_hidden()
    assert page.input_value("input[name='temperatures-1-temperature_c']") == "25.5"
    assert page.input_value("#id_departed_at")
    assert Visit.objects.count() == 1
    page.screenshot(path=str(RESULTS / "inspection-visit-3-restored.png"), full_page=True)

    # Complete the visit: the 5-5 violation with its deadline.
    page.click("[data-complete-link]")
    page.wait_for_url(re.compile(r"/visits/\d+/complete/$"))
    page.click("button[data-complete]")
    page.wait_for_url(re.compile(rf"/visits/{visit.pk}/$"))
    deadline = Violation.objects.get(source_reference=f"visit-{visit.pk}", article="5-5").deadline
    today = timezone.localdate()
    # Fourteen days, moved to the next working day when the last is a day off (APA Art. 48).
    assert deadline == rules.period_end(calendar_for(today), today, 14)
    assert deadline >= today + datetime.timedelta(days=14)
    row = page.locator("[data-violation='5-5']")
    assert row.locator("[data-deadline]").inner_text() == deadline.isoformat()
    page.screenshot(path=str(RESULTS / "inspection-visit-4-completed.png"), full_page=True)

    # The report: downloaded once rendered (the report row exists in any case).
    report = InspectionReport.objects.get(visit=visit)
    assert report.language == "zh-hant"
    download = page.locator("[data-report-download]")
    if download.count():
        with page.expect_download() as info:
            download.first.click()
        target = RESULTS / "inspection-visit-report.pdf"
        info.value.save_as(target)
        assert target.read_bytes()[:5] == b"%PDF-"
    else:
        assert page.locator(f"[data-report='{report.language}']").count() == 1


def test_the_average_typed_is_a_preview_and_the_saved_figure_is_the_servers(
    tablet, inspector, todays_inspection
):
    page = tablet
    visit, _ = start_visit(inspector, todays_inspection, uuid.uuid4())
    page.goto("/account/login/")
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(reverse("visit-edit", args=[visit.pk]))

    go_to(page, "step-art-5-5")
    for index, value in enumerate(("25.9", "26.0", "26.0")):
        temperature(page, index).fill(value)
    preview = page.inner_text("[data-temperature-average]")
    assert "25.97" in preview and message(page, "average-preview") in preview  # 25.966…
    assert "breaks-rule" in page.get_attribute("[data-temperature-average]", "class")

    page.click("[data-save]")
    wait_for_state(page, "saved")
    saved = message(page, "average-saved").replace("{average}", "25.97")
    assert page.inner_text("[data-temperature-average]") == saved
    page.reload()
    assert page.inner_text("[data-temperature-average]") == saved
