"""The main menu shows each role only what it may use, grouped by task.

For every role, every link of the menu on the home page leads to a page the role may
open: none answers 403 or 404 (nor fails).
"""

import re

import pytest
from django.urls import reverse

from portal.nav import GROUPS, menu_for

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "inspector", "owner", "supplier", "programme_officer", "api_client_user"]
NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.DOTALL)


def _menu_links(client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    nav = NAV.search(response.content.decode()).group(0)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("who", ROLES)
def test_every_link_of_a_roles_menu_opens(client, request, business, premises, who):
    client.force_login(request.getfixturevalue(who))

    links = _menu_links(client)

    assert links[0] == reverse("home")
    refused = {url: client.get(url).status_code for url in links}
    refused = {url: status for url, status in refused.items() if status >= 400}
    assert not refused, (who, refused)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("programme_officer", ["programme-list"], ["premises-list", "business-list"]),
        ("owner", ["premises-list", "scheme-list"], ["enforcement-review-queue", "city-settings"]),
        ("supplier", ["data-order-list"], ["premises-list", "scheme-list"]),
        ("inspector", ["inspection-agenda", "enforcement-review-queue"], ["city-settings"]),
        ("administrator", ["enforcement-proposal-list", "city-settings"], []),
        ("api_client_user", ["inspection-list"], ["energy-use-list", "token-create"]),
    ],
)
def test_a_role_sees_only_its_entries(client, request, who, shown, hidden):
    client.force_login(request.getfixturevalue(who))

    links = _menu_links(client)

    assert all(reverse(name) in links for name in shown), (who, links)
    assert not any(reverse(name) in links for name in hidden), (who, links)


def test_the_menu_is_grouped_and_names_the_current_page(client, owner, business):
    client.force_login(owner)

    nav = NAV.search(client.get(reverse("premises-list")).content.decode()).group(0)

    # A business reads its own words for the groups; the page it is on is marked.
    assert "My businesses" in nav and "Registry" not in nav
    assert f'<a href="{reverse("premises-list")}" aria-current="page">' in nav
    assert "<details>" in nav and 'class="nav-toggle"' in nav


def test_every_link_names_a_page_and_every_group_someone(
    administrator, inspector, owner, supplier, programme_officer, api_client_user
):
    users = [administrator, inspector, owner, supplier, programme_officer, api_client_user]
    shown = {group["key"] for user in users for group in menu_for(user)}
    assert shown == {group.key for group in GROUPS}


@pytest.mark.parametrize(
    ("who", "shows_city_figures"),
    [
        ("administrator", True),
        ("inspector", True),
        ("api_client_user", True),
        ("programme_officer", False),
        ("supplier", False),
    ],
)
def test_the_city_registry_figures_are_for_those_who_work_on_the_registry(
    client, request, who, shows_city_figures
):
    client.force_login(request.getfixturevalue(who))

    content = client.get(reverse("home")).content.decode()

    assert ("premises registered" in content) == shows_city_figures
