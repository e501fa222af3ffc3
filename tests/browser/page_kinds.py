"""The kinds of page each role uses, by URL name, and the data that gives each one content.

The accessibility, width and screenshot tests load these pages. A kind is tied to URL
names so that a renamed or removed page fails here (tests/browser/test_accessibility.py
checks that every name resolves and that every page-like URL name of the portal belongs
to a kind).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

# Kind -> the URL names of the portal's pages of that kind (HTML pages a person opens).
PAGE_KINDS: dict[str, tuple[str, ...]] = {
    "home": ("home",),
    "list": (
        "business-list",
        "premises-list",
        "equipment-list",
        "enforcement-violation-list",
        "inspection-list",
        "energy-use-list",
        "exemption-list",
        "application-list",
        "scheme-list",
        "programme-project-list",
    ),
    "detail": ("business-detail", "premises-detail", "inspection-detail", "scheme-detail"),
    "form": (
        "premises-create",
        "equipment-create",
        "energy-use-upload",
        "programme-project-create",
    ),
    "violation": ("enforcement-violation-detail",),
    "proposals": ("enforcement-proposal-list",),
    "decision": ("enforcement-fine-decision",),
    "visit form": ("visit-edit",),
    "agenda": ("inspection-agenda",),
    "rule book": ("rulebook-list", "rulebook-detail"),
    "subsidy application": ("scheme-apply", "application-detail"),
    "programme": ("programme-list", "programme-detail"),
    "dashboard": ("compliance-dashboard", "enforcement-dashboard"),
    "queue": ("enforcement-review-queue", "energy-account-unmatched"),
    "calendar": ("working-calendar",),
    "settings": ("city-settings",),
    "register": ("energy-register",),
    "planning": ("inspection-plan", "inspection-load"),
    "premises record": ("premises-compliance", "premises-energy-use"),
    "visit completion": ("visit-complete",),
    "import": ("equipment-import",),
    "sign-in": ("login", "password_reset"),
    "document check": ("document-verify-start",),
}
# Error pages have no URL name: a missing page and a page the role may not open.
ERROR_KINDS = ("404", "403")


@dataclass
class Page:
    kind: str
    url: str
    name: str  # URL name, or the error's status


def build_world(*, owner, inspector, premises):
    """Create the rows the pages show: a fined violation (its decision, the proposals), an
    inspection with a visit, a subsidy application, a programme with a project."""
    from tests.enforcement.builders import fined_violation
    from tests.factories import make_equipment, make_violation
    from tests.inspections.visit_builders import make_inspection, make_visit
    from tests.programs.builders import make_programme, make_project
    from tests.subsidies.scheme_builders import make_application, make_scheme

    make_equipment(premises)
    violation, fine = fined_violation(premises)
    open_violation = make_violation(premises, "6-3")
    inspection = make_inspection(premises, lead=inspector, day=datetime.date.today())
    visit = make_visit(inspection)
    scheme = make_scheme("lamps", title="Lamp replacement subsidy")
    application = make_application(scheme, premises, status="submitted")
    programme = make_programme("asean-esc", name_en="ASEAN Energy Smart Cities")
    make_project(programme, "esc-1")
    rulebook = _published_rulebook()
    return {
        "premises": premises,
        "business": premises.business,
        "violation": open_violation,
        "fined_violation": violation,
        "fine": fine,
        "inspection": inspection,
        "visit": visit,
        "scheme": scheme,
        "application": application,
        "programme": programme,
        "rulebook": rulebook,
    }


def _published_rulebook():
    from compliance.models import RuleBookVersion

    return RuleBookVersion.objects.filter(status="published").order_by("-pk").first()


def _url(name: str, world) -> str:
    args = {
        "business-detail": [world["business"].pk],
        "premises-detail": [world["premises"].pk],
        "inspection-detail": [world["inspection"].pk],
        "scheme-detail": [world["scheme"].pk],
        "scheme-apply": [world["scheme"].pk],
        "application-detail": [world["application"].pk],
        "enforcement-violation-detail": [world["violation"].pk],
        "enforcement-fine-decision": [world["fine"].pk],
        "visit-edit": [world["visit"].pk],
        "rulebook-detail": [world["rulebook"].pk],
        "programme-detail": [world["programme"].code],
        "premises-compliance": [world["premises"].pk],
        "premises-energy-use": [world["premises"].pk],
        "visit-complete": [world["visit"].pk],
    }.get(name, [])
    return reverse(name, args=args)


# What each role uses (URL names); the 404 page for all, and a refused page.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "administrator": (
        "home",
        "business-list",
        "business-detail",
        "premises-create",
        "enforcement-violation-list",
        "enforcement-violation-detail",
        "enforcement-proposal-list",
        "enforcement-fine-decision",
        "rulebook-list",
        "rulebook-detail",
        "application-detail",
        "programme-list",
        "compliance-dashboard",
        "enforcement-dashboard",
        "enforcement-review-queue",
        "energy-account-unmatched",
        "working-calendar",
        "city-settings",
        "energy-register",
        "inspection-plan",
        "inspection-load",
        "premises-compliance",
    ),
    "inspector": (
        "home",
        "inspection-list",
        "inspection-agenda",
        "inspection-detail",
        "visit-edit",
        "visit-complete",
        "premises-detail",
        "enforcement-violation-list",
        "enforcement-violation-detail",
        "rulebook-detail",
    ),
    "owner": (
        "home",
        "premises-list",
        "premises-detail",
        "equipment-list",
        "equipment-create",
        "enforcement-violation-list",
        "enforcement-violation-detail",
        "enforcement-fine-decision",
        "premises-compliance",
        "premises-energy-use",
        "equipment-import",
        "scheme-list",
        "scheme-detail",
        "scheme-apply",
        "application-list",
        "application-detail",
    ),
    "supplier": ("home", "energy-use-list", "energy-use-upload"),
    "programme_officer": (
        "home",
        "programme-list",
        "programme-detail",
        "programme-project-list",
        "programme-project-create",
    ),
    "anonymous": ("login", "password_reset", "document-verify-start", "programme-list"),
}
# A page each role may not open (its 403 page).
REFUSED: dict[str, str] = {
    "administrator": "/claims/new/",
    "inspector": "/settings/",
    "owner": "/enforcement/proposals/",
    "supplier": "/enforcement/proposals/",
    "programme_officer": "/enforcement/proposals/",
}


def pages_for(role: str, world) -> list[Page]:
    kind_of = {name: kind for kind, names in PAGE_KINDS.items() for name in names}
    pages = [Page(kind_of[name], _url(name, world), name) for name in ROLE_PAGES[role]]
    pages.append(Page("404", "/no-such-page/", "404"))
    if role in REFUSED:  # a visitor is sent to sign in, not refused
        pages.append(Page("403", REFUSED[role], "403"))
    return pages
