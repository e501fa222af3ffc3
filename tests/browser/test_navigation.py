"""The main menu in headless Chromium: a drop-down per task on a wide screen, folded
behind "Menu" on a tablet, usable with the keyboard, and never wider than the screen."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_administrator_opens_a_group_and_follows_a_link(browser, live_server, administrator):
    RESULTS.mkdir(exist_ok=True)
    page = sign_in(browser, live_server, administrator, locale="en-GB")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")

    nav = page.locator("nav.site-nav")
    assert not nav.locator(".nav-toggle").is_visible()
    header_height = page.locator("header.site-header").bounding_box()["height"]
    assert header_height < 160, header_height  # two rows at most: no wrapped link soup
    proposals = nav.locator("a[href='/enforcement/proposals/']")
    assert not proposals.is_visible()
    nav.locator("[data-group=enforcement] summary").click()
    assert proposals.is_visible()
    page.screenshot(path=str(RESULTS / "nav-administrator-1280.png"))

    # One group open at a time; Escape closes it and gives the focus back.
    nav.locator("[data-group=rules] summary").click()
    expect(proposals).to_be_hidden()
    expect(nav.locator("a[href='/settings/']")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav.locator("a[href='/settings/']")).to_be_hidden()
    expect(nav.locator("[data-group=rules] summary")).to_be_focused()

    nav.locator("[data-group=enforcement] summary").click()
    proposals.click()
    page.wait_for_url(re.compile(r"/enforcement/proposals/$"))
    assert _fits(page)


@pytest.mark.parametrize("width", [768, 390])
def test_on_a_tablet_or_phone_the_menu_folds_behind_a_button(
    browser, live_server, owner, business, width
):
    RESULTS.mkdir(exist_ok=True)
    page = sign_in(browser, live_server, owner)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")

    nav = page.locator("nav.site-nav")
    toggle = nav.locator(".nav-toggle")
    premises = nav.locator("a[href='/premises/']")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not premises.is_visible()
    assert _fits(page)

    # With the keyboard alone: open the menu, then the business's group, then a page.
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    nav.locator("[data-group=registry] summary").focus()
    page.keyboard.press("Enter")
    assert premises.is_visible()
    assert _fits(page)
    page.screenshot(path=str(RESULTS / f"nav-owner-{width}.png"), full_page=True)
    premises.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/premises/$"))
