"""The keyboard alone, in headless Chromium: every control of each role's home shows where
the focus is; the folded menu of a tablet opens with Enter or Space and closes with Escape;
a refused form puts the focus on its error summary, whose links take it to the fields."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element and how its focus shows: an outline of at least 2 px (the browser's
# thin default ring, "auto", is not enough on the portal's green buttons) or a ring drawn
# with a box shadow.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && style.outlineStyle !== 'auto'
    && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  return {
    name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className : '')
      + ' ' + (el.textContent || el.value || '').trim().slice(0, 30),
    visible: outline || ring,
    shown: box.width > 0 && box.height > 0,
  };
}"""


@pytest.mark.parametrize(
    "role", ["administrator", "inspector", "owner", "supplier", "programme_officer"]
)
def test_every_focused_control_of_the_home_shows_its_focus(
    browser, live_server, personas, premises, role
):
    page = sign_in(browser, live_server, personas[role])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.wait_for_load_state()
    seen, unmarked = [], []
    for _ in range(80):  # the home's controls, the header's first
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is None or (seen and focused["name"] == seen[0]):
            break  # back to the page itself, or round again
        seen.append(focused["name"])
        if not (focused["visible"] and focused["shown"]):
            unmarked.append(focused["name"])
    page.context.close()
    assert len(seen) >= 5, seen  # the skip link, the menu, the language and sign-out buttons
    assert not unmarked, f"focus not visible on: {unmarked}"


def test_on_a_tablet_the_menu_opens_and_closes_with_the_keyboard(
    browser, live_server, administrator
):
    page = sign_in(browser, live_server, administrator, locale="en-GB")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/")
    page.wait_for_load_state()
    nav = page.locator("nav.site-nav")
    toggle = nav.locator(".nav-toggle")
    first_group = nav.locator(".nav-group summary").first
    expect(first_group).to_be_hidden()

    # Tab from the top of the page reaches the menu button (skip link, brand, menu).
    for _ in range(5):
        page.keyboard.press("Tab")
        if toggle.evaluate("el => el === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(first_group).to_be_visible()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(first_group).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press(" ")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for _ in range(5):  # "Overview", then the first group
        page.keyboard.press("Tab")
        if first_group.evaluate("el => el === document.activeElement"):
            break
    expect(first_group).to_be_focused()
    page.keyboard.press(" ")  # Space opens the group; its first link is next
    group = page.locator(".nav-group details[open]")
    expect(group).to_have_count(1)
    page.keyboard.press("Tab")
    expect(group.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")  # closes the group, the focus back on its name
    expect(page.locator(".nav-group details[open]")).to_have_count(0)
    expect(first_group).to_be_focused()
    page.keyboard.press("Escape")  # closes the menu
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.context.close()


def test_a_refused_form_focuses_its_summary_whose_links_reach_the_fields(
    browser, live_server, administrator
):
    from compliance.models import RuleBookVersion
    from compliance.rules import initial_parameters, params_to_dict

    draft = RuleBookVersion.objects.create(
        title="Draft for next year",
        effective_from=datetime.date(2099, 1, 1),
        parameters=params_to_dict(initial_parameters()),
    )
    page = sign_in(browser, live_server, administrator, locale="en-GB")
    page.goto(f"/rulebook/{draft.pk}/edit/")
    page.fill("#id_indoor_temperature_floor_c", "")  # required
    page.locator("form[data-rulebook-form] button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary-box]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    link = summary.locator("a[href='#id_indoor_temperature_floor_c']")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    field = page.locator("#id_indoor_temperature_floor_c")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("label[for=id_indoor_temperature_floor_c]")).to_be_in_viewport()
    page.context.close()
