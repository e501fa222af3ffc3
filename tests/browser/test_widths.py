"""Phones and tablets in headless Chromium: every page a business uses fits a 390 px phone,
every page an inspector uses fits a 768 and a 1024 px tablet held either way; no page is
wider than its viewport. Screenshots of each role's home and of the visit form at 390, 768
and 1280 px are written under var/screenshots/ (a CI artifact)."""

from pathlib import Path

import pytest

from tests.browser.journeys import sign_in
from tests.browser.page_kinds import build_world, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path("var/screenshots")
PHONE = [(390, 844)]
TABLET = [(768, 1024), (1024, 768)]  # portrait and landscape
SCREENSHOT_WIDTHS = (390, 768, 1280)
# The viewports each role's pages must fit (the others only for their screenshots).
VIEWPORTS = {"owner": PHONE, "inspector": TABLET}

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap')
  ).slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return document.documentElement.scrollWidth + ' px: ' + wide.join(', ');
}"""


def _overflow(page) -> str | None:
    return page.evaluate(OVERFLOW)


@pytest.mark.parametrize(
    "role", ["owner", "inspector", "administrator", "supplier", "programme_officer"]
)
def test_pages_fit_the_screen_and_homes_are_captured(
    browser, live_server, personas, premises, settings, tmp_path, role
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    world = build_world(owner=personas["owner"], inspector=personas["inspector"], premises=premises)
    page = sign_in(browser, live_server, personas[role])
    problems = []

    for width, height in VIEWPORTS.get(role, []):
        page.set_viewport_size({"width": width, "height": height})
        for target in pages_for(role, world):
            page.goto(target.url)
            if (wide := _overflow(page)) is not None:
                problems.append(f"{width}x{height} {target.kind} {target.url}: {wide}")

    captured = {"home": "/"}
    if role == "inspector":
        captured["visit-form"] = f"/visits/{world['visit'].pk}/edit/"
    if role == "owner":  # the list that overflowed a phone
        captured["violations"] = "/enforcement/violations/"
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for label, url in captured.items():
            page.goto(url)
            page.wait_for_load_state()
            if (wide := _overflow(page)) is not None:
                problems.append(f"{width} {label}: {wide}")
            path = SCREENSHOTS / f"{label}-{role.replace('_', '-')}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 0
    page.context.close()
    assert not problems, "\n".join(problems)


# The visit form on a tablet held either way, at the widths inspectors use.
VISIT_FORM_VIEWPORTS = [(768, 1024), (1024, 768)]

SECTIONS = """() => [...document.querySelectorAll('[data-step]')].map((step) => step.id)"""


def test_every_section_of_the_visit_form_fits_a_tablet_both_ways(
    browser, live_server, personas, premises, settings, tmp_path
):
    """Each section of the visit form, shown one at a time, and the list of sections
    opened: no wider than a 768 or 1024 px tablet, portrait or landscape; screenshots."""
    settings.MEDIA_ROOT = tmp_path / "media"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    world = build_world(owner=personas["owner"], inspector=personas["inspector"], premises=premises)
    page = sign_in(browser, live_server, personas["inspector"])
    problems = []
    for width, height in VISIT_FORM_VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/visits/{world['visit'].pk}/edit/")
        page.wait_for_selector("form[data-visit-form].stepped")
        page.click("[data-steps-toggle]")  # the list of sections, opened
        if (wide := _overflow(page)) is not None:
            problems.append(f"{width}x{height} list of sections: {wide}")
        sections = page.evaluate(SECTIONS)
        assert len(sections) > 10
        for section in sections:
            page.click(f"[data-step-link='{section}']")
            page.wait_for_selector(f"#{section}.current")
            if (wide := _overflow(page)) is not None:
                problems.append(f"{width}x{height} {section}: {wide}")
            page.click("[data-steps-toggle]")
        orientation = "portrait" if height > width else "landscape"
        path = SCREENSHOTS / f"visit-form-sections-{width}-{orientation}.png"
        page.screenshot(path=str(path), full_page=True)
    page.context.close()
    assert not problems, "\n".join(problems)
