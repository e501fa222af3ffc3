"""The inspector's day offline, in headless Chromium: the service worker keeps the day's
pages when the agenda opens, entries and photos wait in IndexedDB through a reload and a
closed tab, and sync once when the network returns; a change made on the server meanwhile
is shown side by side and the inspector chooses."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from compliance.choices import EquipmentKind
from inspections.choices import AssignmentRole
from inspections.models import Inspection, InspectionAssignment, Visit
from inspections.services import visits as services
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.conftest import PASSWORD
from tests.factories import ensure_rulebook, make_equipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1024, "height": 768}


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def started_visit(premises, inspector, settings, tmp_path):
    """Today's inspection, its visit started at the office in the morning."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_rulebook()
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    inspection = Inspection.objects.create(premises=premises, scheduled_for=timezone.localdate())
    InspectionAssignment.objects.create(
        inspection=inspection, user=inspector, role=AssignmentRole.LEAD
    )
    visit, _ = services.start_visit(inspector, inspection)
    return visit


@pytest.fixture
def tablet(browser, live_server, inspector):
    """A signed-in tablet in Taipei, landscape."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-TW",
        timezone_id="Asia/Taipei",
        viewport=TABLET,
        has_touch=True,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto("/account/login/")
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    yield page
    context.close()


def state(page, value: str) -> None:
    page.wait_for_selector(f"form[data-visit-form] [data-sync-status][data-state='{value}']")


def saves_of(visit: Visit) -> int:
    return AuditEntry.objects.filter(
        object_type__iendswith="visit", object_id=str(visit.pk), action=AuditAction.UPDATE
    ).count()


def open_the_day(page) -> None:
    """Open the agenda with the network: the service worker keeps the day's pages."""
    page.goto(reverse("inspection-agenda"))
    page.wait_for_selector("[data-offline-status][data-state='ready']")


def test_a_visit_recorded_offline_survives_a_closed_tab_and_syncs_once(tablet, started_visit):
    page = tablet
    context = page.context
    visit = started_visit
    edit_url = reverse("visit-edit", args=[visit.pk])
    open_the_day(page)
    assert (
        page.locator(f"[data-visit-key='{visit.client_key}']").get_attribute("data-state")
        == "saved"
    )

    # Offline from here: the visit form comes from the service worker's cache.
    context.set_offline(True)
    page.goto(edit_url)
    page.wait_for_selector("form[data-visit-form]")
    page.check("#id_identification_shown")
    page.fill("#id_badge_numbers", "TPE-0042")
    page.fill("input[name='temperatures-0-temperature_c']", "25.0")
    page.fill("#id_notes", "Recorded offline")
    page.set_input_files(
        "form[data-photo-form] input[name='file']",
        {"name": "door.png", "mimeType": "image/png", "buffer": png()},
    )
    page.fill("form[data-photo-form] [name='caption']", "Door held open")
    page.click("form[data-photo-form] button[type=submit]")
    page.wait_for_selector("[data-queued-photos] [data-photo-state='pending']")
    page.click("[data-save]")
    state(page, "pending")

    # The tab is closed, and opened again, still offline: everything is there.
    page.close()
    page = context.new_page()
    page.goto(edit_url)
    page.locator("[data-restored-notice]").wait_for()
    assert page.is_checked("#id_identification_shown")
    assert page.input_value("input[name='temperatures-0-temperature_c']") == "25.0"
    assert page.input_value("#id_notes") == "Recorded offline"
    assert "Door held open" in page.inner_text("[data-queued-photos]")
    state(page, "pending")
    assert visit.temperatures.count() == 0 and visit.photos.count() == 0
    assert saves_of(visit) == 0

    # The network returns: the queue syncs by itself, once.
    context.set_offline(False)
    state(page, "saved")
    page.wait_for_selector("[data-queued-photos] [data-photo-state='saved']")
    visit.refresh_from_db()
    assert visit.notes == "Recorded offline" and visit.identification_shown
    assert visit.temperatures.count() == 1
    assert visit.photos.get().caption == "Door held open"
    assert saves_of(visit) == 1
    # Loaded again, nothing is left to send, and nothing is sent twice.
    page.reload()
    page.wait_for_selector("form[data-visit-form]")
    assert page.locator("[data-restored-notice]").is_hidden()
    assert saves_of(visit) == 1 and visit.photos.count() == 1
    page.goto(reverse("inspection-agenda"))
    page.wait_for_selector(f"[data-visit-key='{visit.client_key}'][data-state='saved']")


def test_a_change_on_the_server_meanwhile_is_shown_and_the_inspector_chooses(
    tablet, started_visit, inspector
):
    page = tablet
    context = page.context
    visit = started_visit
    open_the_day(page)
    page.goto(reverse("visit-edit", args=[visit.pk]))
    page.wait_for_selector("form[data-visit-form]")

    context.set_offline(True)
    page.fill("#id_notes", "Written on the tablet")
    page.click("[data-save]")
    state(page, "pending")
    # Meanwhile, at the office, a colleague corrects the visit.
    services.save_visit(inspector, visit, {"notes": "Corrected at the office"})

    context.set_offline(False)
    state(page, "conflict")
    row = page.locator("[data-conflict] tr[data-conflict-field='notes']")
    assert row.locator("[data-mine]").inner_text() == "Written on the tablet"
    assert row.locator("[data-server]").inner_text() == "Corrected at the office"
    visit.refresh_from_db()
    assert visit.notes == "Corrected at the office"  # nothing overwritten

    # The inspector keeps theirs: sent again over the server's version.
    page.click("[data-keep-mine]")
    state(page, "saved")
    assert page.locator("[data-conflict]").is_hidden()
    visit.refresh_from_db()
    assert visit.notes == "Written on the tablet"
