"""A business with an incandescent-lamp violation follows the suggestion to a subsidy in
headless Chromium, sees it is eligible, applies with a document; an administrator downloads
the document and approves."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from subsidies.models import Application
from tests.browser.journeys import sign_in
from tests.factories import make_violation
from tests.subsidies.scheme_builders import make_scheme
from tests.uploads import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")


def test_a_lamp_violation_leads_to_an_approved_subsidy(
    browser, live_server, owner, administrator, premises, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    RESULTS.mkdir(exist_ok=True)
    quotation = tmp_path / "quotation.pdf"
    quotation.write_bytes(PDF)
    scheme = make_scheme("lamps", title="Lamp replacement subsidy")
    violation = make_violation(premises, "6-3")

    # The business follows the suggestion on its violation's page.
    page = sign_in(browser, live_server, owner, locale="en-US")
    page.goto(reverse("enforcement-violation-detail", args=[violation.pk]))
    page.get_by_role("link", name="Subsidies that pay for fixing it").click()
    page.get_by_text("Lamp replacement subsidy").first.wait_for()
    apply_url = f"{reverse('scheme-apply', args=[scheme.pk])}?violation={violation.pk}"
    page.locator(f"a[href='{apply_url}']").first.click()

    # It checks eligibility first: every reason is shown, with the amount.
    page.fill("#id_eligible_cost_ntd", "200000")
    page.fill("#id_description", "Replace 40 incandescent lamps with LED.")
    page.set_input_files("input[name=document_quotation]", str(quotation))
    page.get_by_role("button", name="Check eligibility").click()
    page.get_by_text("Eligible: the scheme would pay NT$100,000.").wait_for()
    assert not Application.objects.exists()  # a preview saves nothing
    page.screenshot(path=str(RESULTS / "subsidy-eligibility.png"), full_page=True)

    # Then applies, with the quotation.
    page.set_input_files("input[name=document_quotation]", str(quotation))
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r"/applications/\d+/"))
    application = Application.objects.get()
    assert application.status == "submitted"
    assert application.violation_id == violation.pk
    assert application.documents.filter(kind="quotation").exists()

    # An administrator reviews and approves it.
    admin_page = sign_in(browser, live_server, administrator, locale="en-US")
    admin_page.goto(reverse("application-detail", args=[application.pk]))
    # It opens the quotation the business sent: a download, never a page of the portal.
    with admin_page.expect_download() as downloading:
        admin_page.get_by_role("link", name="Download Quotation").click()
    download = downloading.value
    assert download.suggested_filename == "quotation.pdf"
    assert Path(download.path()).read_bytes() == PDF
    admin_page.select_option("#id_step", "start_review")
    admin_page.get_by_role("button", name="Take the step").click()
    admin_page.select_option("#id_step", "approve")
    admin_page.fill("#id_amount_ntd", "100000")
    admin_page.get_by_role("button", name="Take the step").click()
    admin_page.wait_for_load_state()
    application.refresh_from_db()
    assert (application.status, application.approved_amount_ntd) == ("approved", 100_000)

    # The business sees it approved.
    page.goto(reverse("application-detail", args=[application.pk]))
    assert "Approved" in page.content()
    page.screenshot(path=str(RESULTS / "subsidy-approved.png"), full_page=True)
