"""From a proposed fine to the City Government's decision on appeal, in headless Chromium.

An official approves the night's proposals in one batch from the filtered list; the
business (which agreed to electronic service) opens its decision, which is served that
day, and reads its appeal deadline and new deadline to rectify; it appeals with an
attachment; staff forward the appeal with the Department's reply and record the appeal
body's decision, which the business then reads.
"""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from compliance import rules
from compliance.choices import AppealStatus, FineStatus
from compliance.enforcement.services import serving
from compliance.enforcement.services.sweep import sweep
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Appeal, AppealAttachment, Fine
from tests.browser.journeys import sign_in
from tests.deciding import official
from tests.factories import ensure_rulebook, make_violation
from tests.uploads import PDF
from tests.verifying import verify_missed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")
TAIPEI = ZoneInfo("Asia/Taipei")
FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # Art. 5-5: 14 days
PROPOSED = datetime.date(2026, 11, 17)  # verified the day after: the sweep proposes
DECIDED = datetime.date(2026, 11, 18)  # Wednesday: the official approves the batch
OPENED = datetime.date(2026, 11, 20)  # Friday: the business opens its decision


def taipei(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TAIPEI)


def zh(message: str) -> str:
    with translation.override("zh-hant"):
        return translation.gettext(message)


def test_an_official_approves_a_batch_the_business_is_served_appeals_and_the_city_decides(
    browser, live_server, time_machine, premises, owner, administrator, settings, tmp_path
):
    RESULTS.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hant"
    ensure_rulebook()
    serving.set_electronic_service(owner, premises.business, agree=True)
    time_machine.move_to(taipei(PROPOSED, 0, 30), tick=True)
    cases = [make_violation(premises, "5-5", found_on=FOUND) for _ in range(3)]
    for case in cases:
        verify_missed(case, PROPOSED)
    sweep(PROPOSED)
    fines = list(Fine.objects.filter(violation__in=cases).order_by("pk"))
    assert [fine.status for fine in fines] == [FineStatus.PROPOSED] * 3

    # Wednesday: the official filters the proposals by article and approves the batch.
    deciding = official()
    time_machine.move_to(taipei(DECIDED, 9), tick=True)
    desk = sign_in(browser, live_server, deciding)
    desk.goto(reverse("enforcement-proposal-list") + "?article=5-5")
    for fine in fines:
        assert desk.locator(f"tr[data-proposal='{fine.pk}']").count() == 1
    desk.check("#batch-approval input[name=confirm]")
    desk.click("#batch-approval button[type=submit]")
    desk.wait_for_load_state()
    assert desk.locator("tr[data-proposal]").count() == 0
    desk.screenshot(path=str(RESULTS / "decision-1-batch-approved.png"), full_page=True)
    desk.context.close()
    for fine in fines:
        fine.refresh_from_db()
        assert (fine.status, fine.decided_by, fine.issued_on) == (
            FineStatus.ISSUED,
            deciding,
            DECIDED,
        )
        assert fine.served_on is None  # issued, not yet served: no period runs

    # Friday: the business opens its decision; it counts as served that day.
    fine = fines[0]
    time_machine.move_to(taipei(OPENED, 10), tick=True)
    page = sign_in(browser, live_server, owner)
    page.goto(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    card = page.locator(f"[data-fine='{fine.pk}']")
    assert zh("Awaiting service") in card.inner_text()
    card.locator("a.open-decision").click()
    page.wait_for_url(re.compile(re.escape(reverse("enforcement-fine-decision", args=[fine.pk]))))
    calendar = calendar_for(OPENED)
    appeal_until = rules.period_end(calendar, OPENED, 30)  # Sat 12-20 -> Mon 12-21
    new_deadline = rules.period_end(calendar, OPENED, 14)  # Fri 12-04
    assert appeal_until == datetime.date(2026, 12, 21)
    assert page.locator("dd.appeal-until").inner_text().startswith(appeal_until.isoformat())
    assert page.locator("dd.new-deadline").inner_text() == new_deadline.isoformat()
    assert "科長 王大明" in page.inner_text("main")
    assert deciding.username not in page.inner_text("main")
    page.screenshot(path=str(RESULTS / "decision-2-served.png"), full_page=True)
    fine.refresh_from_db()
    assert (fine.served_on, fine.service_method) == (OPENED, "electronic")
    assert fines[1].__class__.objects.get(pk=fines[1].pk).served_on is None  # not opened

    # The business appeals with a supporting document.
    grounds = "The thermometer was placed beside the entrance, not in the sales area."
    page.goto(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    page.fill(f"#id_appeal{fine.pk}_grounds", grounds)
    evidence = tmp_path / "thermometer.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files(f"#id_appeal{fine.pk}_files", str(evidence))
    page.click(f"form[action='{reverse('enforcement-appeal-file', args=[fine.pk])}'] button")
    page.wait_for_selector("[data-appeal]")
    appeal = Appeal.objects.get(fine=fine)
    assert (appeal.status, appeal.received_on) == (AppealStatus.FILED, OPENED)
    assert AppealAttachment.objects.get(appeal=appeal).original_name == "thermometer.pdf"
    assert zh("Filing an appeal does not stop the fine being due (訴願法第93條).") in (
        page.inner_text("main")
    )
    page.context.close()

    # Staff forward the appeal with the reply, then record the City Government's decision.
    time_machine.move_to(taipei(datetime.date(2026, 11, 24), 10), tick=True)
    staff = sign_in(browser, live_server, administrator)
    staff.goto(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    reply = "The readings were taken in the sales area as the rule book prescribes."
    staff.fill(f"#id_appeal_forward{appeal.pk}_reply", reply)
    staff.click("form.appeal-forward-form button[type=submit]")
    staff.wait_for_selector(f"[data-appeal='{appeal.pk}'][data-status='forwarded']")
    time_machine.move_to(taipei(datetime.date(2026, 12, 4), 10), tick=True)
    staff.reload()
    form = staff.locator("form.appeal-decision-form")
    form.locator("input[name=outcome][value=dismissed]").check()
    form.locator("input[name=number]").fill("府訴一字第1160001234號")
    form.locator("input[name=decided_on]").fill("2026-12-03")
    form.locator("textarea[name=reason]").fill("The measurement followed the rule book.")
    decision_scan = tmp_path / "appeal-decision.pdf"
    decision_scan.write_bytes(PDF)
    form.locator("input[name=files]").set_input_files(str(decision_scan))
    form.locator("button[type=submit]").click()
    staff.wait_for_selector(f"[data-appeal='{appeal.pk}'][data-status='dismissed']")
    staff.screenshot(path=str(RESULTS / "decision-3-appeal-decided.png"), full_page=True)
    staff.context.close()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISMISSED
    assert appeal.body_decision_number == "府訴一字第1160001234號"

    # The business reads the reply and the City Government's decision; the fine stays due.
    page = sign_in(browser, live_server, owner)
    page.goto(reverse("enforcement-violation-detail", args=[fine.violation_id]))
    section = page.locator(f"[data-appeal='{appeal.pk}']")
    assert reply in section.inner_text()
    assert "府訴一字第1160001234號" in section.inner_text()
    assert administrator.username not in page.inner_text("main")
    fine.refresh_from_db()
    assert fine.status == FineStatus.ISSUED and fine.amount_due_ntd == fine.amount_ntd
    page.context.close()
