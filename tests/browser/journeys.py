"""What every browser journey does: sign a user in, in a fresh browser context."""

import re

from tests.conftest import PASSWORD


def sign_in(browser, live_server, user, *, locale: str = "zh-TW"):
    """Return a page signed in as ``user`` (Taipei's time zone, ``locale``'s language)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        timezone_id="Asia/Taipei",
        viewport={"width": 1024, "height": 900},
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto("/account/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def follow_menu_link(page, url: str) -> None:
    """Click the main menu's link to ``url`` as a person would: open the menu (folded on
    tablets) and the link's group first."""
    page.wait_for_load_state()  # the menu's script has run
    nav = page.locator("nav.site-nav")
    toggle = nav.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    link = nav.locator(f"a[href='{url}']")
    group = nav.locator(".nav-group", has=page.locator(f"a[href='{url}']"))
    if group.count() and not group.locator("details").evaluate("details => details.open"):
        group.locator("summary").click()
    link.click()
