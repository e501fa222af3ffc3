"""A missed deadline in headless Chromium, from the business's countdown to the fine.

A shop inspected on a Saturday gets Art. 5-5's 14 days, which end on a Saturday: the
business's page says Monday (APA Art. 48). The deadline passes; no fine follows until the
re-inspection planned for the next working day establishes that the violation persists; the
business then sees the verification, the fine and its new deadline.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from compliance import rules
from compliance.choices import VerificationMethod, VerificationResult, ViolationStatus
from compliance.enforcement.services.opening import record_inspection
from compliance.enforcement.services.sweep import sweep
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Fine, Verification, Violation
from inspections.choices import AssignmentRole
from inspections.models import InspectionAssignment, Visit
from inspections.services.planning import schedule_due_reinspections
from tests.browser.journeys import sign_in
from tests.deciding import decide_and_serve
from tests.factories import ensure_rulebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")
TAIPEI = ZoneInfo("Asia/Taipei")
FOUND = datetime.date(2026, 12, 12)  # a Saturday: a shop inspected on its busiest day
SATURDAY = datetime.date(2026, 12, 26)  # FOUND + Art. 5-5's 14 days
MONDAY = datetime.date(2026, 12, 28)  # the deadline: the next working day
TUESDAY = datetime.date(2026, 12, 29)  # the first working day after it: the re-inspection
STAGE_AWAITING = "Deadline passed — awaiting verification (re-inspection or records check)"


def taipei(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TAIPEI)


def zh(message: str) -> str:
    with translation.override("zh-hant"):
        return translation.gettext(message)


def open_case(page, violation) -> None:
    """Open the violation from the business's list of violations."""
    detail = reverse("enforcement-violation-detail", args=[violation.pk])
    page.goto(reverse("enforcement-violation-list"))
    page.locator(f"tr[data-violation='{violation.pk}'] a[href='{detail}']").click()
    page.wait_for_url(re.compile(re.escape(detail) + "$"))


def open_section(page, step: str) -> None:
    """Open a section of the visit form from its list of sections."""
    page.click("[data-steps-toggle]")
    page.click(f"[data-step-link='{step}']")
    page.wait_for_selector(f"#{step}.current")


def test_a_saturday_deadline_moves_to_monday_and_only_a_verified_miss_is_fined(
    browser, live_server, time_machine, premises, owner, inspector, settings, tmp_path
):
    RESULTS.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hant"  # the case file's language, as deployed
    ensure_rulebook()
    assert rules.period_end(calendar_for(FOUND), FOUND, 14) == MONDAY
    assert SATURDAY.weekday() == 5 and MONDAY.weekday() == 0

    # Saturday 12 December: the inspector measures 24 °C (Art. 5-5, 14 days to rectify).
    time_machine.move_to(taipei(FOUND, 15), tick=True)
    result = record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=FOUND, indoor_temperatures_c=(Decimal("24"),)),
        actor=inspector,
        source_reference="visit-first",
    )
    violation = next(v for v in result.violations if v.article == "5-5")
    assert violation.deadline == MONDAY

    # Monday 14 December: the business reads Monday 28 December and the days left to it.
    time_machine.move_to(taipei(datetime.date(2026, 12, 14), 9), tick=True)
    page = sign_in(browser, live_server, owner)
    open_case(page, violation)
    deadline = page.locator("dl.facts dd", has=page.locator("[data-days-left]"))
    assert MONDAY.isoformat() in deadline.inner_text()
    assert SATURDAY.isoformat() not in page.inner_text("main")
    assert page.get_attribute("dl.facts [data-days-left]", "data-days-left") == "14"
    page.screenshot(path=str(RESULTS / "verification-1-deadline-monday.png"), full_page=True)

    # The night after the deadline: the re-inspection is planned; the sweep fines nothing.
    time_machine.move_to(taipei(TUESDAY, 0, 30), tick=True)
    assert schedule_due_reinspections(TUESDAY) == 1
    sweep(TUESDAY)
    assert not Fine.objects.exists()
    inspection = violation.reinspections.get()
    assert inspection.scheduled_for == TUESDAY
    InspectionAssignment.objects.update_or_create(
        inspection=inspection, role=AssignmentRole.LEAD, defaults={"user": inspector}
    )

    # Tuesday morning the business sees the case awaiting verification, not a fine.
    page.context.close()  # two weeks on, the session has expired: sign in again
    time_machine.move_to(taipei(TUESDAY, 8), tick=True)
    page = sign_in(browser, live_server, owner)
    open_case(page, violation)
    stage = page.locator("dl.facts [data-stage]")
    assert stage.get_attribute("data-stage") == "awaiting"
    assert stage.inner_text() == zh(STAGE_AWAITING)
    assert page.locator("[data-fine]").count() == 0
    page.context.close()

    # The inspector's agenda lists the re-inspection with the case it verifies.
    time_machine.move_to(taipei(TUESDAY, 9, 30), tick=True)
    tablet = sign_in(browser, live_server, inspector)
    tablet.goto(reverse("inspection-agenda"))
    briefing = tablet.locator(f"[data-case='{violation.pk}']").first
    assert MONDAY.isoformat() in briefing.inner_text()
    tablet.click(f"a[href='{reverse('inspection-detail', args=[inspection.pk])}']")
    case_row = tablet.locator(f"tr[data-case='{violation.pk}']")
    assert case_row.get_attribute("data-case-state") == "to_verify"
    tablet.screenshot(path=str(RESULTS / "verification-2-briefing.png"), full_page=True)

    # The visit: identification, times and three readings averaging 25.13 °C.
    tablet.click(f"a[href='{reverse('visit-start', args=[inspection.pk])}']")
    tablet.click("main form button[type=submit].primary")
    tablet.wait_for_url(re.compile(r"/visits/\d+/edit/$"))
    visit = Visit.objects.get(inspection=inspection)
    tablet.check("#id_identification_shown")
    tablet.fill("#id_badge_numbers", "TPE-0042")
    tablet.click("[data-step-next]")  # the form shows one section at a time
    tablet.fill("#id_present_persons", "林小姐 店長")
    tablet.fill("#id_arrived_at", f"{TUESDAY.isoformat()}T09:40")
    open_section(tablet, "step-art-5-5")
    add_row = tablet.locator("[data-formset='temperatures'] [data-add-row]")
    for index, value in enumerate(("25.0", "25.2", "25.2")):
        field = tablet.locator(f"input[name='temperatures-{index}-temperature_c']")
        if not field.count():
            add_row.click()
        field.fill(value)
    time_machine.move_to(taipei(TUESDAY, 10, 30), tick=True)
    open_section(tablet, "step-presence")
    tablet.fill("#id_departed_at", f"{TUESDAY.isoformat()}T10:20")
    tablet.click("[data-save]")
    tablet.wait_for_selector("[data-sync-status][data-state='saved']")
    tablet.click("[data-complete-link]")
    tablet.wait_for_url(re.compile(r"/visits/\d+/complete/$"))
    tablet.click("button[data-complete]")
    tablet.wait_for_url(re.compile(rf"/visits/{visit.pk}/$"))

    # The completed visit says the case persists and a fine follows; no new case is opened.
    verified = tablet.locator(f"tr[data-case='{violation.pk}']")
    assert verified.get_attribute("data-case-state") == "persisting"
    assert zh("Not rectified: the fine follows") in verified.inner_text()
    assert not Violation.objects.filter(source_reference=f"visit-{visit.pk}").exists()
    tablet.screenshot(path=str(RESULTS / "verification-3-visit.png"), full_page=True)
    tablet.context.close()
    verification = Verification.objects.get(violation=violation)
    assert verification.method == VerificationMethod.REINSPECTION
    assert verification.result == VerificationResult.PERSISTING
    assert (verification.missed_deadline, verification.verified_on) == (MONDAY, TUESDAY)

    # That night's sweep proposes the fine; an official approves it and it is served that
    # day: the new deadline runs from service, on the working calendar.
    violation.refresh_from_db()
    time_machine.move_to(taipei(violation.fine_due_on + datetime.timedelta(days=1), 0, 30))
    sweep(violation.fine_due_on)
    assert Fine.objects.get(violation=violation).status == "proposed"
    decide_and_serve(violation.fine_due_on)
    fine = Fine.objects.get(violation=violation)
    assert fine.missed_deadline == MONDAY
    assert fine.new_deadline == rules.period_end(calendar_for(fine.served_on), fine.served_on, 14)

    # The business sees the verification, the fine and the new deadline.
    time_machine.move_to(taipei(violation.fine_due_on + datetime.timedelta(days=1), 9), tick=True)
    page = sign_in(browser, live_server, owner)
    open_case(page, violation)
    status = page.locator("dl.facts [data-status]").first
    assert status.get_attribute("data-status") == ViolationStatus.FINED
    deadline = page.locator("dl.facts dd", has=page.locator("[data-days-left]"))
    assert fine.new_deadline.isoformat() in deadline.inner_text()
    card = page.locator(f"[data-fine='{fine.pk}']")
    assert fine.document_number in card.inner_text()
    assert fine.new_deadline.isoformat() in card.inner_text()
    assert MONDAY.isoformat() in card.inner_text()  # the deadline it missed
    record = page.locator(f"[data-verification='{verification.pk}']")
    assert record.get_attribute("data-result") == VerificationResult.PERSISTING
    assert TUESDAY.isoformat() in record.inner_text()
    assert "visit-" not in page.inner_text("main")  # no internal reference on the page
    page.screenshot(path=str(RESULTS / "verification-4-fined.png"), full_page=True)
    page.context.close()
