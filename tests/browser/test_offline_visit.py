"""The inspector's day offline, in headless Chromium: the service worker keeps the day's
pages when the agenda opens; offline, the agenda loads again and a visit not yet started
is begun in its kept form, one section at a time; entries and photos wait in IndexedDB
through a closed tab, and when the network returns the visit starts and syncs once; a
change made on the server meanwhile is shown side by side and the inspector chooses."""

import io
import re
import time

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


@pytest.fixture
def todays_inspection(premises, inspector, settings, tmp_path):
    """Today's inspection, its visit not started yet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_rulebook()
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    inspection = Inspection.objects.create(premises=premises, scheduled_for=timezone.localdate())
    InspectionAssignment.objects.create(
        inspection=inspection, user=inspector, role=AssignmentRole.LEAD
    )
    return inspection


def audits_of(visit: Visit, action: str) -> int:
    return AuditEntry.objects.filter(
        object_type__iendswith="visit", object_id=str(visit.pk), action=action
    ).count()


def go_to(page, step: str) -> None:
    """Open a section from the progress list (folded behind "All sections")."""
    page.click("[data-steps-toggle]")
    page.click(f"[data-step-link='{step}']")
    page.wait_for_selector(f"#{step}.current")


def test_a_visit_begun_offline_survives_a_reload_and_a_closed_tab_and_syncs_once(
    tablet, todays_inspection, inspector
):
    page = tablet
    context = page.context
    inspection = todays_inspection
    key = str(services.draft_key(inspection.pk, inspector.pk))
    new_url = reverse("visit-new", args=[inspection.pk])

    # The day's agenda with the network; then offline, the agenda is loaded again.
    open_the_day(page)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-offline-status][data-state='offline']")
    page.click(f"a[data-visit-link][href='{new_url}']")
    page.wait_for_selector("form[data-visit-form][data-draft]")

    # One section at a time, the progress list saying which.
    assert page.is_visible("#step-identification") and page.is_hidden("#step-presence")
    page.check("#id_identification_shown")
    page.fill("#id_badge_numbers", "TPE-0042")
    page.click("[data-step-next]")
    page.wait_for_selector("#step-presence.current")
    assert page.get_attribute("[data-step-link='step-presence']", "aria-current") == "step"
    assert page.get_attribute("[data-step-item='step-identification']", "data-state") == "complete"
    page.fill("#id_present_persons", "林小姐 店長")
    page.click("[data-now-for='id_arrived_at']")
    go_to(page, "step-art-5-5")
    page.fill("input[name='temperatures-0-temperature_c']", "25.0")
    go_to(page, "step-photos")
    page.set_input_files(
        "input[name='file'][form='visit-photo-form']",
        {"name": "door.png", "mimeType": "image/png", "buffer": png()},
    )
    page.fill("input[name='caption'][form='visit-photo-form']", "Door held open")
    page.click("[data-photo-submit]")
    page.wait_for_selector("[data-queued-photos] [data-photo-state='pending']")
    assert page.get_attribute("[data-step-item='step-photos']", "data-state") == "complete"
    go_to(page, "step-summary")
    page.fill("#id_notes", "Recorded offline")
    page.click("[data-save]")
    state(page, "pending")

    # The tab is closed, and opened again from the agenda, still offline: everything is there.
    page.close()
    page = context.new_page()
    page.goto(reverse("inspection-agenda"))
    page.wait_for_selector(f"[data-visit-key='{key}'][data-state='pending']")
    page.click(f"a[data-visit-link][href='{new_url}']")
    page.locator("[data-restored-notice]").wait_for()
    assert page.is_checked("#id_identification_shown")
    assert page.input_value("#id_present_persons") == "林小姐 店長"
    assert page.input_value("input[name='temperatures-0-temperature_c']") == "25.0"
    assert page.input_value("#id_notes") == "Recorded offline"
    assert "Door held open" in page.inner_text("[data-queued-photos]")
    state(page, "pending")
    assert not Visit.objects.filter(inspection=inspection).exists()

    # The network returns: the visit starts and syncs by itself, once; the page goes on
    # to the started visit's form.
    context.set_offline(False)
    page.wait_for_url(re.compile(r"/visits/\d+/edit/$"))
    page.wait_for_selector("form[data-visit-form]:not([data-draft])")
    visit = Visit.objects.get(inspection=inspection)
    assert str(visit.client_key) == key
    assert visit.notes == "Recorded offline" and visit.identification_shown
    assert visit.temperatures.count() == 1
    assert visit.photos.get().caption == "Door held open"
    assert audits_of(visit, AuditAction.CREATE) == 1
    assert audits_of(visit, AuditAction.UPDATE) == 1
    assert page.locator("[data-restored-notice]").is_hidden()
    page.reload()
    page.wait_for_selector("form[data-visit-form]")
    assert Visit.objects.filter(inspection=inspection).count() == 1
    assert visit.photos.count() == 1
    assert audits_of(visit, AuditAction.UPDATE) == 1
    page.goto(reverse("inspection-agenda"))
    page.wait_for_selector(f"[data-visit-key='{key}'][data-state='saved']")


def queued(context, key: str) -> dict:
    """What the tablet keeps for ``key``: its queued record and the sync asked for.

    Read on a page that sends nothing, to say in a failure's message where a send stopped.
    """
    page = context.new_page()
    page.goto("/")
    return page.evaluate(
        """async (key) => {
            const found = {};
            try {
                const db = await new Promise((resolve, reject) => {
                    const request = indexedDB.open("portal-offline");
                    request.onsuccess = () => resolve(request.result);
                    request.onerror = () => reject(request.error);
                });
                const record = await new Promise((resolve, reject) => {
                    const request = db.transaction("visits").objectStore("visits").get(key);
                    request.onsuccess = () => resolve(request.result || null);
                    request.onerror = () => reject(request.error);
                });
                found.record = record && {
                    state: record.state, pending: record.pending, action: record.action
                };
            } catch (error) {
                found.record = String(error);
            }
            const registration = await navigator.serviceWorker.getRegistration("/");
            found.worker = registration && registration.active && registration.active.state;
            found.syncTags = registration && registration.sync
                ? await registration.sync.getTags() : null;
            return found;
        }""",
        key,
    )


# The page's registration of the sync, made to take 1.5 s (a busy tablet).
SLOW_SYNC_REGISTRATION = """
(() => {
  if (!self.SyncManager) {
    return;
  }
  const register = SyncManager.prototype.register;
  SyncManager.prototype.register = function (tag) {
    return new Promise((resolve) => setTimeout(resolve, 1500)).then(
      () => register.call(this, tag)
    );
  };
})();
"""


@pytest.mark.parametrize("registration", ["quick", "slow"])
def test_with_every_tab_closed_the_service_worker_sends_the_queue_when_online(
    tablet, todays_inspection, inspector, registration
):
    """Background Sync: the entries go when the network returns, no page of the portal open.

    The form says "waiting to be sent" only once the sync is registered, however long that
    takes: the tab closed at that moment is sent all the same.
    """
    page = tablet
    context = page.context
    if registration == "slow":
        context.add_init_script(SLOW_SYNC_REGISTRATION)
    inspection = todays_inspection
    open_the_day(page)
    context.set_offline(True)
    page.goto(reverse("visit-new", args=[inspection.pk]))
    page.wait_for_selector("form[data-visit-form][data-draft]")
    page.check("#id_identification_shown")
    go_to(page, "step-summary")
    page.fill("#id_notes", "Sent by the service worker")
    page.click("[data-save]")
    state(page, "pending")
    tags = page.evaluate("navigator.serviceWorker.ready.then((r) => r.sync.getTags())")
    assert tags == ["portal-visits"]
    page.close()  # no tab of the portal is left open

    context.set_offline(False)
    for _attempt in range(80):
        visit = Visit.objects.filter(inspection=inspection).first()
        if visit is not None and visit.notes:
            break
        time.sleep(0.25)
    key = str(services.draft_key(inspection.pk, inspector.pk))
    assert visit is not None and visit.notes == "Sent by the service worker", queued(context, key)
    assert audits_of(visit, AuditAction.UPDATE) == 1
    # The agenda, opened again, says it was sent.
    page = context.new_page()
    page.goto(reverse("inspection-agenda"))
    page.wait_for_selector(f"[data-visit-key='{key}'][data-state='saved']")


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
    go_to(page, "step-summary")
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


def test_an_error_the_server_finds_opens_its_section_from_the_error_summary(tablet, started_visit):
    page = tablet
    visit = started_visit
    page.goto(reverse("visit-edit", args=[visit.pk]))
    page.wait_for_selector("form[data-visit-form].stepped")
    page.click("[data-step-next]")
    page.fill("#id_arrived_at", "2026-12-01T11:00")
    page.fill("#id_departed_at", "2026-12-01T10:00")  # before the arrival
    go_to(page, "step-summary")
    page.click("[data-save]")
    state(page, "invalid")
    # The summary at the top takes the focus; the section holding the error is opened.
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    page.wait_for_selector("#step-presence.current")
    assert page.get_attribute("[data-step-item='step-presence']", "data-state") == "error"
    # Its link leads to the field, its section shown.
    go_to(page, "step-photos")
    summary.locator("a[href='#id_departed_at']").click()
    page.wait_for_selector("#step-presence.current")
    assert page.evaluate("document.activeElement.id") == "id_departed_at"
    visit.refresh_from_db()
    assert visit.departed_at is None or visit.departed_at >= visit.arrived_at
