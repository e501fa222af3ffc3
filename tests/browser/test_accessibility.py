"""axe-core (WCAG 2.1 A and AA rules) over one page of every kind each role uses, in
headless Chromium: no serious or critical violation. The kinds are tied to URL names
(tests/browser/page_kinds.py), so a new kind of page without a check fails here."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.browser.journeys import sign_in
from tests.browser.page_kinds import PAGE_KINDS, ROLE_PAGES, build_world, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Axe()
# WCAG 2.1 A and AA, and axe's best practices (landmarks, heading order, table headers).
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# URL names that are not pages of their own: files, exports, actions reached by a button
# of another page (their forms are checked on that page), the API and the service worker.
NOT_PAGES_SUFFIXES = (
    "-export",
    "-download",
    "-file",
    "-attachment",
    "-template",
    "-retry",
    "-revoke",
    "-withdraw",
    "-cancel",
    "-delete",
    "-publish",
    "-unpublish",
    "-reassess",
    "-certificate",
    "-letter",
)
NOT_PAGES = {"favicon", "service-worker", "logout", "photo-upload", "set_language", "api-schema"}


def _page_url_names() -> set[str]:
    """Every named URL of the portal's HTML pages (the API's namespace left out)."""
    names: set[str] = set()

    def walk(resolver, namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is None or "get" in view_class.http_method_names:
                    names.add(pattern.name)  # POST-only actions are forms of other pages

    walk(get_resolver())
    return {
        name for name in names if name not in NOT_PAGES and not name.endswith(NOT_PAGES_SUFFIXES)
    }


def _kind_of(name: str) -> str:
    """The kind of a page, from its URL name's ending (the portal names its URLs so)."""
    if name == "home":
        return "home"
    for ending, kind in (
        ("-list", "list"),
        ("-detail", "detail"),
        ("-create", "form"),
        ("-edit", "form"),
        ("-new", "form"),
    ):
        if name.endswith(ending):
            return kind
    return name


def test_every_page_kind_names_urls_that_resolve():
    for kind, names in PAGE_KINDS.items():
        for name in names:
            try:
                get_resolver().reverse_dict.getlist(name) or reverse(name)
            except NoReverseMatch:  # pragma: no cover - the failure message
                pytest.fail(f"{kind}: URL name {name!r} no longer exists")
            assert get_resolver().reverse_dict.getlist(name), (kind, name)
    used = {name for names in ROLE_PAGES.values() for name in names}
    checked = {name for names in PAGE_KINDS.values() for name in names}
    assert used <= checked, used - checked


def test_every_kind_of_page_of_the_url_patterns_is_checked():
    """Pages named ``*-list``, ``*-detail``, ``*-create``/``*-edit`` are of the generic kinds;
    any other page is a kind of its own: the kinds checked must cover the generic kinds,
    and the pages of their own kind listed below are known and left for later."""
    checked_kinds = set(PAGE_KINDS)
    checked_names = {name for names in PAGE_KINDS.values() for name in names}
    generic = {"home", "list", "detail", "form"}
    assert generic <= checked_kinds
    own_kinds = {
        name
        for name in _page_url_names()
        if _kind_of(name) not in generic and name not in checked_names
    }
    unknown = own_kinds - KNOWN_UNCHECKED
    assert not unknown, f"new kinds of page without an accessibility check: {sorted(unknown)}"
    stale = KNOWN_UNCHECKED - own_kinds
    assert not stale, f"checked now, or no longer a page: {sorted(stale)}"


# Pages of a kind of their own not yet loaded by the accessibility test (steps, decisions
# and reviews that need a case at that step). A new page kind must join PAGE_KINDS or,
# knowingly, this list.
KNOWN_UNCHECKED = {
    "api-docs",
    "password_change",
    "password_change_done",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "document-verify",
    "claim-decide",
    "equipment-import-review",
    "exemption-decide",
    "rulebook-impact",
    "energy-use-upload-review",
    "energy-account-match",
    "data-order-fulfil",
    "enforcement-sweep",
    "working-calendar-declare",
    "inspection-reschedule",
    "inspection-assign",
    "visit-start",
    "service-team-expert-remove",
    "service-request-assign",
    "service-request-consultation",
    "service-request-close",
    "scheme-criteria",
    "application-step",
    "application-resubmit",
    "application-score",
    "scheme-awards",
    "programme-assessment-decide",
    "programme-scoring",
}


def _violations(page) -> list[str]:
    results = AXE.run(page, options=OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


# Besides 1024 px, the widths a role's pages are used at (axe checks, e.g., that a table
# scrolling sideways on a phone can be reached with the keyboard).
DEVICE_WIDTHS = {"owner": 390, "inspector": 768}


@pytest.mark.parametrize(
    "role", ["administrator", "inspector", "owner", "supplier", "programme_officer", "anonymous"]
)
def test_no_serious_or_critical_violation_on_any_kind_of_page(
    browser, live_server, personas, premises, settings, tmp_path, role
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(owner=personas["owner"], inspector=personas["inspector"], premises=premises)
    if role == "anonymous":
        context = browser.new_context(base_url=live_server.url, locale="zh-TW")
        page = context.new_page()
    else:
        page = sign_in(browser, live_server, personas[role])
    problems = []
    for width in (1024, DEVICE_WIDTHS.get(role)):
        if width is None:
            continue
        page.set_viewport_size({"width": width, "height": 900})
        for target in pages_for(role, world):
            response = page.goto(target.url)
            expected = int(target.name) if target.kind in ("403", "404") else 200
            where = f"{width} px {target.kind} {target.url}"
            if response.status != expected:
                problems.append(f"{where}: HTTP {response.status}")
                continue
            problems.extend(f"{where}: {violation}" for violation in _violations(page))
    page.context.close()
    assert not problems, "\n".join(problems)


def test_axe_runs_and_reports_what_it_finds(page):
    """The checks above would pass silently if axe did not run (a script blocked, say)."""
    page.goto("/account/login/")
    assert _violations(page) == []
    page.evaluate("document.querySelector('main').append(document.createElement('select'))")
    assert any(found.startswith("select-name (critical)") for found in _violations(page))
