"""The main navigation: links grouped by task, each shown only to those who may use it.

A link names its page by URL name and says who it is for: a permission rule of
:mod:`portal.permissions` (the domains register them) or, where a page is open to several
roles without a rule of its own, the roles whose work it is. A group with no link left
for a user is not shown; a group left with one link is shown as that link
(``templates/portal/_nav.html``, ``{% main_nav %}`` of ``portal.templatetags.navigation``).

The portal imports no domain app: links and rules are named, not imported.
``tests/portal/test_navigation.py`` follows every link of every role's menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.choices import Role
from portal.permissions import can

ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API = (
    Role.ADMINISTRATOR,
    Role.INSPECTOR,
    Role.BUSINESS,
    Role.ENERGY_SUPPLIER,
    Role.PROGRAMME_OFFICER,
    Role.API_CLIENT,
)
# Who works on the registry's records: those who keep them, check them or read them.
REGISTRY_READERS = (ADMIN, INSPECTOR, BUSINESS, API)
CITY_READERS = (ADMIN, INSPECTOR, API)
ENERGY_DATA_READERS = (ADMIN, INSPECTOR, SUPPLIER, API)


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    rules: tuple[str, ...] = ()  # shown when any of these rules allows the user
    roles: tuple[str, ...] = ()  # or when the user has one of these roles

    def shown_to(self, user) -> bool:
        if not (self.rules or self.roles):
            return True
        return role_of(user) in self.roles or any(can(user, name) for name in self.rules)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: tuple[Link, ...]
    # What a business (its users, and energy suppliers for their own cases) calls the group.
    business_label: str | None = None


def role_of(user) -> str:
    """The user's role as the menu reads it (a superuser is an administrator)."""
    return ADMIN if user.is_administrator else user.role


GROUPS: tuple[Group, ...] = (
    Group(
        "registry",
        pgettext_lazy("navigation", "Registry"),
        (
            Link(_("Businesses"), "business-list", roles=REGISTRY_READERS),
            Link(_("Premises"), "premises-list", roles=REGISTRY_READERS),
            Link(_("Equipment"), "equipment-list", roles=REGISTRY_READERS),
            Link(_("Exemptions"), "exemption-list", roles=REGISTRY_READERS),
            Link(_("Compliance dashboard"), "compliance-dashboard", roles=CITY_READERS),
        ),
        business_label=pgettext_lazy("navigation", "My businesses"),
    ),
    Group(
        "inspections",
        pgettext_lazy("navigation", "Inspections"),
        (
            Link(_("My agenda"), "inspection-agenda", roles=(INSPECTOR,)),
            Link(
                pgettext_lazy("navigation", "Inspectors' agendas"),
                "inspection-agenda",
                rules=("inspections.read_any_agenda",),
            ),
            Link(
                pgettext_lazy("site inspections", "Inspections"),
                "inspection-list",
                rules=("inspections.read_all",),
            ),
        ),
    ),
    Group(
        "enforcement",
        pgettext_lazy("navigation", "Enforcement"),
        (
            Link(
                pgettext_lazy("violations", "Violations"),
                "enforcement-violation-list",
                roles=(*REGISTRY_READERS, SUPPLIER),
            ),
            Link(
                _("Review queue"),
                "enforcement-review-queue",
                rules=("enforcement.review_evidence",),
            ),
            Link(
                pgettext_lazy("navigation", "Proposed fines to decide"),
                "enforcement-proposal-list",
                rules=("enforcement.see_proposals",),
            ),
            Link(
                _("Enforcement dashboard"),
                "enforcement-dashboard",
                rules=("enforcement.see_dashboard",),
            ),
            Link(_("Deadline sweep"), "enforcement-sweep", rules=("enforcement.run_sweep",)),
        ),
        business_label=pgettext_lazy("navigation", "Violations and fines"),
    ),
    Group(
        "energy",
        pgettext_lazy("navigation", "Energy use"),
        (
            Link(
                pgettext_lazy("energy figures", "Energy use"),
                "energy-use-list",
                roles=(ADMIN, INSPECTOR, BUSINESS, SUPPLIER),
            ),
            Link(_("Energy-use register"), "energy-register", roles=CITY_READERS),
            Link(
                pgettext_lazy("energy data orders", "Data orders"),
                "data-order-list",
                roles=ENERGY_DATA_READERS,
            ),
            Link(_("Supplier referrals"), "referral-list", roles=ENERGY_DATA_READERS),
        ),
    ),
    Group(
        "subsidies",
        pgettext_lazy("navigation", "Subsidies"),
        (
            Link(
                pgettext_lazy("navigation", "Subsidy schemes"),
                "scheme-list",
                rules=("subsidies.apply", "subsidies.review", "subsidies.edit_scheme"),
            ),
            Link(
                pgettext_lazy("navigation", "Subsidy applications"),
                "application-list",
                rules=("subsidies.apply", "subsidies.review"),
            ),
            Link(
                _("Service requests"),
                "service-request-list",
                rules=("subsidies.request_help", "subsidies.assign_team"),
            ),
            Link(
                pgettext_lazy("navigation", "Service teams"),
                "service-team-list",
                rules=("subsidies.manage_teams",),
            ),
        ),
    ),
    Group(
        "programmes",
        pgettext_lazy("navigation", "Programmes"),
        (
            Link(
                pgettext_lazy("international programmes", "Programmes"),
                "programme-list",
                rules=("programs.keep_records",),
            ),
            Link(
                pgettext_lazy("international programmes", "Projects"),
                "programme-project-list",
                rules=("programs.keep_records",),
            ),
            Link(_("Events"), "programme-event-list", rules=("programs.keep_records",)),
        ),
    ),
    Group(
        "rules",
        pgettext_lazy("navigation", "Rules and settings"),
        (
            Link(_("Rule book"), "rulebook-list", roles=(*REGISTRY_READERS, SUPPLIER)),
            Link(
                _("Working calendar"),
                "working-calendar",
                rules=("enforcement.declare_working_day",),
            ),
            Link(_("City settings"), "city-settings", roles=(ADMIN,)),
            Link(_("Throttled sign-ins"), "sign-in-locks", roles=(ADMIN,)),
            Link(_("Administration"), "admin:index", roles=(ADMIN,)),
        ),
    ),
    Group(
        "account",
        pgettext_lazy("navigation", "My account"),
        (
            Link(_("Password"), "password_change"),
            Link(_("API tokens"), "token-list"),
            Link(pgettext_lazy("navigation", "API documentation"), "api-docs"),
        ),
    ),
)


def menu_for(user, current_path: str = "") -> list[dict]:
    """The groups ``user`` may use: ``{key, label, links: [{label, url, current}], current}``."""
    groups = []
    for group in GROUPS:
        links = [
            {"label": link.label, "url": url, "current": url == current_path}
            for link in group.links
            if link.shown_to(user)
            for url in (reverse(link.url_name),)
        ]
        if not links:
            continue
        label = group.label
        if group.business_label and role_of(user) in (BUSINESS, SUPPLIER):
            label = group.business_label
        groups.append(
            {
                "key": group.key,
                "label": label,
                "links": links,
                "current": any(link["current"] for link in links),
            }
        )
    return groups
