"""axe-core (WCAG 2.1 A and AA rules) over one page of every kind each role uses, in
headless Chromium: no serious or critical violation. The kinds are tied to URL names
(tests/browser/page_kinds.py), so a new kind of page without a check fails here."""

import json

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
                if view_class is None or (
                    hasattr(view_class, "get") and "get" in view_class.http_method_names
                ):
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
    any other page is a kind of its own: the kinds checked must cover the generic kinds
    and every page of a kind of its own (only what is no HTML page is left out, below)."""
    checked_kinds = set(PAGE_KINDS)
    checked_names = {name for names in PAGE_KINDS.values() for name in names}
    generic = {"home", "list", "detail", "form"}
    assert generic <= checked_kinds
    own_kinds = {
        name
        for name in _page_url_names()
        if _kind_of(name) not in generic and name not in checked_names
    }
    unknown = own_kinds - set(KNOWN_UNCHECKED)
    assert not unknown, f"new kinds of page without an accessibility check: {sorted(unknown)}"
    stale = set(KNOWN_UNCHECKED) - own_kinds
    assert not stale, f"checked now, or no longer a page: {sorted(stale)}"


# URL names of a kind of their own that are not HTML pages a person opens, each with the
# reason. A new page kind must join PAGE_KINDS; only what is no page may join this list.
KNOWN_UNCHECKED: dict[str, str] = {
    "health-live": "a probe for the orchestrator: plain text, no page",
    "health-ready": "a probe for the orchestrator: JSON of the dependencies, no page",
    "metrics": "Prometheus's text format for the monitoring, no page",
}


def _violations(page, *, loaded: bool = False) -> list[str]:
    """Run axe on the page (``loaded``: axe-core is in the page already, see _with_axe)."""
    if loaded:
        violations = page.evaluate(f"axe.run({json.dumps(OPTIONS)}).then(r => r.violations)")
    else:
        violations = AXE.run(page, options=OPTIONS).response["violations"]
    found = []
    for violation in violations:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


# Besides 1024 px, the widths a role's pages are used at (axe checks, e.g., that a table
# scrolling sideways on a phone can be reached with the keyboard).
DEVICE_WIDTHS = {"owner": 390, "inspector": 768}
ROLES = ["administrator", "inspector", "owner", "supplier", "programme_officer", "anonymous"]
# Each role at each of its widths is a test of its own, so that the two processes of
# `make test` share the longest checks instead of one process taking a role's both.
ROLE_WIDTHS = [(role, 1024) for role in ROLES] + sorted(DEVICE_WIDTHS.items())


def _with_axe(page):
    """Load axe-core into every page of the context as it opens (not sent again per page)."""
    page.context.add_init_script(AXE.axe_script)
    return page


@pytest.mark.parametrize(("role", "width"), ROLE_WIDTHS, ids=[f"{r}-{w}" for r, w in ROLE_WIDTHS])
def test_no_serious_or_critical_violation_on_any_kind_of_page(
    browser, live_server, personas, premises, settings, tmp_path, role, width
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(owner=personas["owner"], inspector=personas["inspector"], premises=premises)
    if role == "anonymous":
        context = browser.new_context(base_url=live_server.url, locale="zh-TW")
        page = context.new_page()
    else:
        page = sign_in(browser, live_server, personas[role])
    _with_axe(page)
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for target in pages_for(role, world):
        response = page.goto(target.url)
        expected = int(target.name) if target.kind in ("403", "404") else 200
        where = f"{width} px {target.kind} {target.url}"
        if response.status != expected:
            problems.append(f"{where}: HTTP {response.status}")
            continue
        problems.extend(f"{where}: {violation}" for violation in _violations(page, loaded=True))
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("loaded", [False, True], ids=["injected", "preloaded"])
def test_axe_runs_and_reports_what_it_finds(page, loaded):
    """The checks above would pass silently if axe did not run (a script blocked, say),
    whether axe-core is sent into the page or preloaded into every page (_with_axe)."""
    if loaded:
        _with_axe(page)
    page.goto("/account/login/")
    assert _violations(page, loaded=loaded) == []
    page.evaluate("document.querySelector('main').append(document.createElement('select'))")
    found = _violations(page, loaded=loaded)
    assert any(problem.startswith("select-name (critical)") for problem in found)


def _refused_form(page) -> None:
    """Send the language form without its CSRF token (as after the token expired)."""
    page.goto("/")
    page.wait_for_load_state()
    page.evaluate("document.querySelector('.lang-form [name=csrfmiddlewaretoken]').remove()")
    with page.expect_navigation():
        page.locator(".lang-form button").first.click()


@pytest.mark.parametrize("role", ["anonymous", "owner"])
def test_the_error_pages_have_no_serious_or_critical_violation(
    browser, live_server, personas, settings, role
):
    """The 400, 403, 404 and 500 pages and the refused form (CSRF) of a visitor and of a
    signed-in user (the menu is on the page), on a tablet and a phone."""
    settings.ROOT_URLCONF = "tests.browser.error_urls"
    if role == "anonymous":
        page = browser.new_context(base_url=live_server.url, locale="zh-TW").new_page()
    else:
        page = sign_in(browser, live_server, personas[role])
    pages = {
        "400": "/test-errors/400/",
        "403": "/enforcement/proposals/" if role != "anonymous" else None,
        "404": "/no-such-page/",
        "500": "/test-errors/500/",
    }
    problems = []
    for width in (1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for status, url in pages.items():
            if url is None:  # a visitor is sent to sign in, not refused
                continue
            response = page.goto(url)
            assert response.status == int(status), (url, response.status)
            assert page.locator(".error-page h1").is_visible(), url
            problems.extend(f"{width} px {status}: {found}" for found in _violations(page))
        _refused_form(page)
        assert page.locator(".error-page .error-code").inner_text() == "錯誤 403"
        problems.extend(f"{width} px CSRF: {found}" for found in _violations(page))
    page.context.close()
    assert not problems, "\n".join(problems)
