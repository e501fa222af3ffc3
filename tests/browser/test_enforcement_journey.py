"""A fined business sends evidence in headless Chromium; an inspector accepts it and it closes."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from compliance import rules
from compliance.choices import RuleBookStatus, ViolationStatus
from compliance.enforcement.services import violations
from compliance.models import RectificationEvidence, RuleBookVersion, Violation
from compliance.rulebook.bridge import version_in_force
from tests.browser.journeys import follow_menu_link, sign_in
from tests.enforcement.builders import FINED_ON, fined_violation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


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
def fined(premises, rule_book_in_force, settings, tmp_path):
    """A violation whose deadline was missed, fined by the sweep (its fine unpaid)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the evidence files are stored there
    return fined_violation(premises)


def zh(label) -> str:
    with translation.override("zh-hant"):
        return str(label)


def test_business_sends_evidence_and_an_inspector_accepts_it_closing_the_violation(
    browser, live_server, owner, inspector, administrator, fined
):
    RESULTS.mkdir(exist_ok=True)
    violation, fine = fined
    detail = reverse("enforcement-violation-detail", args=[violation.pk])

    # The business finds the violation in its list: fined, with its fine and the countdown.
    page = sign_in(browser, live_server, owner)
    follow_menu_link(page, reverse("enforcement-violation-list"))
    row = page.locator(f"tr[data-violation='{violation.pk}']")
    assert row.locator("[data-status]").get_attribute("data-status") == ViolationStatus.FINED
    assert row.locator("[data-status]").inner_text() == zh(ViolationStatus.FINED.label)
    assert "10,000" in row.inner_text()
    row.locator(f"a[href='{detail}']").click()
    page.wait_for_url(re.compile(re.escape(detail) + "$"))
    days_left = (violation.deadline - timezone.localdate()).days
    assert page.get_attribute("dl.facts [data-days-left]", "data-days-left") == str(days_left)
    fine_card = page.locator(f"[data-fine='{fine.pk}']")
    assert fine.document_number in fine_card.inner_text()
    assert "10,000" in fine_card.inner_text()

    # It sends a photo as evidence.
    page.fill(f"#id_evidence{violation.pk}_description", "溫控器已設定為 26 °C，附照片。")
    page.set_input_files(
        f"#id_evidence{violation.pk}_files",
        {"name": "thermostat.png", "mimeType": "image/png", "buffer": PNG},
    )
    page.click("form.evidence-form button[type=submit]")
    page.wait_for_selector("ul.messages")
    evidence = RectificationEvidence.objects.get(violation=violation)
    assert evidence.files.get().content_type == "image/png"
    assert "thermostat.png" in page.inner_text(f"#evidence-{evidence.pk}")
    page.screenshot(path=str(RESULTS / "enforcement-business.png"), full_page=True)
    page.context.close()

    # The fine is paid and an administrator confirms it: nothing is outstanding.
    payment = violations.report_payment(
        owner, fine, amount_ntd=fine.amount_due_ntd, paid_on=FINED_ON, reference="TRF-2026-1117"
    )
    violations.decide_payment(administrator, payment, confirm=True)

    # An inspector reviews the evidence from the queue and accepts it with a reason.
    page = sign_in(browser, live_server, inspector)
    follow_menu_link(page, reverse("enforcement-review-queue"))
    page.locator(f"tr[data-evidence='{evidence.pk}'] a").click()
    page.wait_for_url(re.compile(re.escape(detail)))
    page.check(f"#id_review{evidence.pk}_accept_0")
    page.fill(f"#id_review{evidence.pk}_reason", "照片顯示室內溫度 26 °C。")
    page.click(f"#evidence-{evidence.pk} form.review-form button[type=submit]")
    page.wait_for_selector("ul.messages")

    status = page.locator("dl.facts [data-status]").first
    assert status.get_attribute("data-status") == ViolationStatus.CLOSED
    assert status.inner_text() == zh(ViolationStatus.CLOSED.label)
    assert Violation.objects.get(pk=violation.pk).status == ViolationStatus.CLOSED
    page.screenshot(path=str(RESULTS / "enforcement-inspector.png"), full_page=True)
    page.context.close()
