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
        "claim-list",
        "aclog-list",
        "service-request-list",
        "service-team-list",
        "token-list",
    ),
    "detail": (
        "business-detail",
        "premises-detail",
        "inspection-detail",
        "scheme-detail",
        "equipment-detail",
        "exemption-detail",
        "service-request-detail",
    ),
    "form": (
        "premises-create",
        "equipment-create",
        "energy-use-upload",
        "programme-project-create",
        "business-create",
        "business-edit",
        "premises-edit",
        "equipment-edit",
        "aclog-create",
        "claim-create",
        "exemption-create",
        "service-request-create",
    ),
    "violation": ("enforcement-violation-detail",),
    "proposals": ("enforcement-proposal-list",),
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
    "sign-in": (
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    ),
    "account": ("password_change", "password_change_done", "sign-in-locks"),
    "document check": ("document-verify-start", "document-verify"),
    "decision": ("enforcement-fine-decision", "claim-decide", "exemption-decide"),
    "review": ("equipment-import-review", "energy-use-upload-review", "rulebook-impact"),
    "sweep": ("enforcement-sweep",),
    "calendar declaration": ("working-calendar-declare",),
    "inspection action": ("inspection-reschedule", "inspection-assign", "visit-start"),
    "service request action": (
        "service-request-assign",
        "service-request-consultation",
        "service-request-close",
        "service-team-expert-remove",
    ),
    "reward call": ("scheme-criteria", "scheme-awards"),
    "resubmission": ("application-resubmit",),
    "programme review": ("programme-assessment-decide", "programme-scoring"),
    "api docs": ("api-docs",),
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

    equipment = make_equipment(premises)
    violation, fine = fined_violation(premises)
    open_violation = make_violation(premises, "6-3")
    inspection = make_inspection(premises, lead=inspector, day=datetime.date.today())
    visit = make_visit(inspection)
    scheme = make_scheme("lamps", title="Lamp replacement subsidy")
    application = make_application(scheme, premises, status="submitted")
    programme = make_programme("asean-esc", name_en="ASEAN Energy Smart Cities")
    make_project(programme, "esc-1")
    rulebook = _published_rulebook()
    return _steps(premises, owner, violation, fine) | {
        "premises": premises,
        "business": premises.business,
        "equipment": equipment,
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


def _steps(premises, owner, violation, fine) -> dict:
    """The rows of the pages that show a case at one step: a claim and an exemption to
    decide, an upload to review, a draft's impact, an inspection to reschedule (without a
    visit yet), a service request, a reward call, an application asked for more
    information, a programme assessment and scoring scheme, a decision's verification code
    (the permission matrix's builders)."""
    from django.contrib.auth import get_user_model

    from compliance.choices import DocumentKind
    from compliance.models import BusinessClaim
    from compliance.registry.models.imports import ImportBatch
    from compliance.rulebook.models.exemptions import Exemption
    from compliance.rulebook.models.versions import RuleBookVersion
    from compliance.rules import initial_parameters, params_to_dict
    from tests.compliance.energy_use_builders import matrix_objects as energy_use_objects
    from tests.enforcement.builders import ready_document
    from tests.factories import make_business
    from tests.inspections.visit_builders import make_inspection
    from tests.programs.page_builders import matrix_objects as programme_objects
    from tests.subsidies.builders import matrix_objects as service_team_objects
    from tests.subsidies.scheme_builders import make_application, make_call, make_scheme

    claimant = get_user_model().objects.get(username="owner2")
    decision = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)
    return {
        "claim": BusinessClaim.objects.create(
            user=claimant, business=make_business(), evidence="I manage the shop."
        ),
        "exemption": Exemption.objects.create(
            premises=premises,
            article="5-3",
            reason="technical_impossibility",
            explanation="The meter room is being rebuilt.",
            evidence="Permit 115-0001.",
            valid_from=datetime.date(2024, 1, 1),
        ),
        "import_batch": ImportBatch.objects.create(user=owner, content="premises_id,tag,kind\n"),
        "draft": RuleBookVersion.objects.create(
            title="Draft for next year",
            effective_from=datetime.date(2099, 1, 1),
            parameters=params_to_dict(initial_parameters()),
        ),
        "planned_inspection": make_inspection(
            premises,
            lead=get_user_model().objects.get(username="inspector1"),
            day=datetime.date.today() + datetime.timedelta(days=3),
        ),
        "reward_call": make_call("award-call"),
        "info_requested_application": make_application(
            make_scheme("heat-pumps", title="Heat pump subsidy"),
            premises,
            status="more_information_requested",
        ),
        "decision_code": decision.verification_code,
        **energy_use_objects(premises),
        **service_team_objects(premises, owner),
        **programme_objects(),
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
        "business-edit": [world["business"].pk],
        "premises-edit": [world["premises"].pk],
        "equipment-detail": [world["equipment"].pk],
        "equipment-edit": [world["equipment"].pk],
        "exemption-detail": [world["exemption"].pk],
        "service-request-detail": [world["service_request"]],
        "password_reset_confirm": ["MQ", "set-password"],  # an expired link: its page
        "document-verify": [world["decision_code"]],
        "claim-decide": [world["claim"].pk],
        "exemption-decide": [world["exemption"].pk],
        "equipment-import-review": [world["import_batch"].pk],
        "energy-use-upload-review": [world["energy_batch"]],
        "rulebook-impact": [world["draft"].pk],
        "inspection-reschedule": [world["planned_inspection"].pk],
        "inspection-assign": [world["planned_inspection"].pk],
        "visit-start": [world["planned_inspection"].pk],
        "service-request-assign": [world["service_request"]],
        "service-request-consultation": [world["service_request"]],
        "service-request-close": [world["service_request"]],
        "service-team-expert-remove": [world["service_team"], world["team_expert"]],
        "scheme-criteria": [world["reward_call"].pk],
        "scheme-awards": [world["reward_call"].pk],
        "application-resubmit": [world["info_requested_application"].pk],
        "programme-assessment-decide": [world["page_assessment"]],
        "programme-scoring": [world["page_scheme"]],
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
        "claim-decide",
        "exemption-decide",
        "rulebook-impact",
        "enforcement-sweep",
        "working-calendar-declare",
        "inspection-reschedule",
        "inspection-assign",
        "service-request-assign",
        "service-request-consultation",
        "service-request-close",
        "service-team-expert-remove",
        "scheme-criteria",
        "scheme-awards",
        "api-docs",
        "sign-in-locks",
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
        "visit-start",
        "premises-list",
        "premises-compliance",
        "premises-energy-use",
        "business-detail",
        "equipment-detail",
        "exemption-detail",
        "enforcement-review-queue",
        "enforcement-dashboard",
        "enforcement-fine-decision",
        "working-calendar",
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
        "application-resubmit",
        "equipment-import-review",
        "password_change",
        "password_change_done",
        "business-list",
        "business-detail",
        "business-create",
        "business-edit",
        "premises-create",
        "premises-edit",
        "equipment-detail",
        "equipment-edit",
        "aclog-list",
        "aclog-create",
        "claim-list",
        "claim-create",
        "exemption-list",
        "exemption-create",
        "exemption-detail",
        "energy-use-list",
        "inspection-detail",
        "service-request-list",
        "service-request-create",
        "service-request-detail",
        "service-team-list",
        "token-list",
        "working-calendar",
        "rulebook-list",
    ),
    "supplier": ("home", "energy-use-list", "energy-use-upload", "energy-use-upload-review"),
    "programme_officer": (
        "home",
        "programme-list",
        "programme-detail",
        "programme-project-list",
        "programme-project-create",
        "programme-assessment-decide",
        "programme-scoring",
    ),
    "anonymous": (
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "document-verify-start",
        "document-verify",
        "programme-list",
    ),
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
