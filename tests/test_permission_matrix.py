"""Every page and endpoint × every role, the refusals included.

Each URL pattern of the project must have a row here: a new page or endpoint without
one fails ``test_every_url_pattern_has_a_row``, so nothing escapes the matrix.
Objects in the rows belong to ``business``, whose member is the persona ``owner``;
``other_owner`` acts for another business and must get 404s (never learn it exists).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from compliance.choices import EquipmentKind
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    BusinessClaim,
    CalendarDay,
    CalendarDayKind,
)
from compliance.registry.models.imports import ImportBatch
from compliance.rulebook.models.exemptions import Exemption
from compliance.rulebook.models.versions import RuleBookVersion
from compliance.rulebook.services import assessment
from compliance.rules import initial_parameters, params_to_dict
from compliance.validators import is_valid_ubn
from inspections.models import Inspection, InspectionAssignment, InspectionBatch
from portal.choices import Role
from portal.models import ApiToken
from tests.compliance.energy_use_builders import matrix_objects as energy_use_objects
from tests.compliance.referral_builders import matrix_objects as referral_objects
from tests.conftest import FAST_HASHERS, PASSWORD
from tests.db import built_once
from tests.enforcement.builders import matrix_objects as enforcement_objects
from tests.enforcement.data_order_builders import matrix_objects as data_order_objects
from tests.factories import make_business, make_equipment, make_premises
from tests.inspections.report_builders import report_objects
from tests.inspections.visit_builders import matrix_objects as visit_objects
from tests.programs.builders import matrix_objects as programme_api_objects
from tests.programs.page_builders import matrix_objects as programme_page_objects
from tests.subsidies.builders import matrix_objects as service_team_objects
from tests.subsidies.scheme_builders import matrix_objects as scheme_objects

ROLES = (
    "anonymous",
    "administrator",
    "inspector",
    "owner",
    "other_owner",
    "supplier",
    "programme_officer",
    "api_client",
)


def expect(anon, admin, inspector, owner, other, supplier, officer, api) -> dict[str, int]:
    return dict(
        zip(ROLES, (anon, admin, inspector, owner, other, supplier, officer, api), strict=True)
    )


# Pages (anonymous users are sent to the login page).
PUBLIC = expect(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(302, 200, 200, 200, 200, 200, 200, 200)
READ_OBJECT = expect(302, 200, 200, 200, 404, 404, 404, 200)
EDIT_OBJECT = expect(302, 200, 403, 200, 404, 404, 404, 403)
CREATE = expect(302, 200, 403, 200, 200, 403, 403, 403)
BUSINESS_USERS_ONLY = expect(302, 403, 403, 200, 200, 403, 403, 403)
ADMINISTRATORS_ONLY = expect(302, 200, 403, 403, 403, 403, 403, 403)
# The whole city's figures: city staff and API clients; business users have their home page.
CITY_STAFF = expect(302, 200, 200, 403, 403, 403, 403, 200)
# An administrator's action on an object (redirects when done): 404 for those who cannot see it.
ADMIN_ACTION_ON_OBJECT = expect(302, 302, 403, 403, 404, 404, 404, 403)
# Each user's own token pages and upload batches: only the owner reaches them.
OWN_ONLY = expect(302, 404, 404, 302, 404, 404, 404, 404)
OWN_BATCH = expect(302, 404, 403, 200, 404, 403, 403, 403)
# The rule book: a draft exists only for administrators (404 for the rest); a published
# version is read by everyone signed in and changed by no one (403, administrators too).
DRAFT_ONLY = expect(302, 200, 404, 404, 404, 404, 404, 404)
FROZEN = expect(302, 403, 403, 403, 403, 403, 403, 403)
API_DRAFT_ONLY = expect(401, 200, 404, 404, 404, 404, 404, 404)
API_FROZEN = expect(401, 403, 403, 403, 403, 403, 403, 403)
# API (no session: 401 for anonymous clients).
API_PUBLIC = expect(200, 200, 200, 200, 200, 200, 200, 200)
API_LIST = expect(401, 200, 200, 200, 200, 200, 200, 200)
API_READ_OBJECT = expect(401, 200, 200, 200, 404, 404, 404, 200)
API_EDIT_OBJECT = expect(401, 200, 403, 200, 404, 404, 404, 403)
API_OWN_TOKEN = expect(401, 404, 404, 200, 404, 404, 404, 404)
API_CLAIM_DECIDE = expect(401, 200, 404, 404, 403, 404, 404, 404)
# Administrators decide what others may see: 403 for those who see it, 404 for the rest.
DECIDE_OBJECT = expect(302, 200, 403, 403, 404, 404, 404, 403)
# A visit: its assigned inspectors and administrators record it; the business reads it.
VISIT_EDIT = expect(302, 200, 200, 403, 404, 404, 404, 403)
API_VISIT_EDIT = expect(401, 200, 200, 403, 404, 404, 404, 403)
API_DECIDE_OBJECT = expect(401, 200, 403, 403, 404, 404, 404, 403)
# Enforcement: inspectors and administrators review evidence and see the review queue.
REVIEWERS_ONLY = expect(302, 200, 200, 403, 403, 403, 403, 403)
REVIEW_ACTION_ON_OBJECT = expect(302, 302, 302, 403, 404, 404, 404, 403)
# A business member's action on its own object (administrators may act for it): done (302).
BUSINESS_ACTION_ON_OBJECT = expect(302, 302, 403, 302, 404, 404, 404, 403)
# The same when the service refuses it in the matrix objects' state (evidence already
# under review, a fine already appealed): the page again with the reason (200).
BUSINESS_ACTION_REFUSED = expect(302, 200, 403, 200, 404, 404, 404, 403)
# Enforcement API: business users, energy suppliers (their Art. 18 fines) and administrators
# report payments and file appeals (an empty body is a 400); the deadline sweep's runs are
# for administrators only.
API_BUSINESS_REPORT = expect(401, 400, 403, 400, 400, 400, 403, 403)
# A statement of opinion before a fine (APenA Art. 42): only the violation's own side (its
# business's members, the supplier of an Art. 18 case), never the City for it (403); the
# matrix violation has no period open, so the service refuses: the page again with the
# reason (200), a 400 from the API.
STATEMENT_REFUSED = expect(302, 403, 403, 200, 404, 404, 404, 403)
API_STATEMENT_REFUSED = expect(401, 403, 403, 400, 404, 404, 404, 403)
API_ADMINISTRATORS_ONLY = expect(401, 200, 403, 403, 403, 403, 403, 403)
# The enforcement dashboard: city staff (administrators and inspectors); API clients
# read the same figures through the API, business users their own violations.
ENFORCEMENT_STAFF = expect(302, 200, 200, 403, 403, 403, 403, 403)
# Energy suppliers upload their customers' monthly use (Art. 12); nobody else does.
SUPPLIERS_ONLY = expect(302, 403, 403, 403, 403, 200, 403, 403)
# Art. 11 referrals: a supplier reads its own, city staff all; business users none.
REFERRAL_READERS = expect(302, 200, 200, 403, 403, 200, 403, 200)
READ_REFERRAL = expect(302, 200, 200, 404, 404, 200, 404, 200)
DECIDE_REFERRAL = expect(302, 302, 403, 404, 404, 403, 404, 403)
API_READ_REFERRAL = expect(401, 200, 200, 404, 404, 200, 404, 200)
API_DECIDE_REFERRAL = expect(401, 400, 403, 404, 404, 403, 404, 403)


# Programme records (issue 7): published records are public; programme staff (officers and
# administrators) read every record and keep them; an unpublished one is a 404 for others.
HIDDEN_RECORD = expect(404, 200, 404, 404, 404, 404, 200, 404)
PROGRAMME_STAFF = expect(302, 200, 403, 403, 403, 403, 200, 403)
PROGRAMME_STAFF_HIDDEN = expect(302, 200, 404, 404, 404, 404, 200, 404)
PROGRAMME_STAFF_ACTION = expect(302, 302, 403, 403, 403, 403, 302, 403)


@dataclass
class Row:
    name: str
    expected: dict[str, int]
    method: str = "get"
    args: tuple[str, ...] = ()  # names of objects from the ``world`` fixture
    # The request's body, or a function of the world's objects returning it.
    data: dict | Callable[[dict], dict] = field(default_factory=dict)
    query: str = ""
    # "session": signed in like a browser; "token": the REST API's token authentication.
    auth: str = "session"


ROWS = [
    Row("home", SIGNED_IN),
    Row("favicon", dict.fromkeys(ROLES, 302)),  # to the static icon
    Row(
        "set_language",
        PUBLIC | dict.fromkeys(ROLES, 302),
        "post",
        data={"language": "en", "next": "/"},
    ),
    Row("api-schema", API_PUBLIC),
    Row("api-docs", PUBLIC),
    # Operations (issue 17): liveness for anyone (the load balancer has no account); the
    # readiness checks answer everyone alike, 503 here because beat never ran in a test
    # database; metrics are off unless METRICS_ENABLED (404 for everyone).
    Row("health-live", PUBLIC),
    Row("health-ready", dict.fromkeys(ROLES, 503)),
    Row("metrics", dict.fromkeys(ROLES, 404)),
    Row("login", expect(200, 302, 302, 302, 302, 302, 302, 302)),
    Row("logout", dict.fromkeys(ROLES, 302), "post"),
    Row("password_change", SIGNED_IN),
    Row("password_change_done", SIGNED_IN),
    Row("password_reset", PUBLIC),
    Row("password_reset_done", PUBLIC),
    Row("password_reset_confirm", PUBLIC | dict.fromkeys(ROLES, 200), args=("uid", "token")),
    Row("password_reset_complete", PUBLIC),
    Row("token-list", SIGNED_IN),
    Row(
        "token-create",
        SIGNED_IN | {role: 200 for role in ROLES if role != "anonymous"},
        "post",
        data={"name": "matrix"},
    ),
    Row("token-revoke", OWN_ONLY, "post", args=("token",)),
    # Throttled sign-ins: administrators only (clearing redirects back to the list).
    Row("sign-in-locks", ADMINISTRATORS_ONLY),
    Row(
        "sign-in-locks",
        ADMINISTRATORS_ONLY | {"administrator": 302},
        "post",
        data={"kind": "account", "key": "nobody"},
    ),
    # The City's procedural settings: administrators only (a valid change redirects).
    Row("city-settings", ADMINISTRATORS_ONLY),
    Row(
        "city-settings",
        ADMINISTRATORS_ONLY | {"administrator": 302},
        "post",
        data={"visit_tolerance_days": "5", "document_prefix": "TPE-EC"},
    ),
    Row("business-list", SIGNED_IN),
    Row("business-create", CREATE),
    Row("business-detail", READ_OBJECT, args=("business",)),
    Row("business-edit", EDIT_OBJECT, args=("business",)),
    Row("claim-list", SIGNED_IN),
    Row("claim-create", BUSINESS_USERS_ONLY),
    Row("claim-decide", ADMINISTRATORS_ONLY, args=("claim",)),
    Row("premises-list", SIGNED_IN),
    Row("premises-create", CREATE),
    Row("premises-detail", READ_OBJECT, args=("premises",)),
    Row("premises-edit", EDIT_OBJECT, args=("premises",)),
    Row("premises-delete", EDIT_OBJECT, args=("premises",)),
    Row("premises-compliance", READ_OBJECT, args=("premises",)),
    Row("premises-compliance", READ_OBJECT, args=("premises",), query="?as_of=2020-01-01"),
    Row(
        "premises-reassess",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("premises",),
        data={"reason": "matrix"},
    ),
    Row("compliance-dashboard", CITY_STAFF),
    Row("equipment-list", SIGNED_IN),
    Row("equipment-create", CREATE),
    Row("equipment-detail", READ_OBJECT, args=("equipment",)),
    Row("equipment-edit", EDIT_OBJECT, args=("equipment",)),
    Row("equipment-delete", EDIT_OBJECT, args=("equipment",)),
    Row("equipment-export", SIGNED_IN),
    Row("equipment-template", SIGNED_IN),
    Row("equipment-import", CREATE),
    Row("equipment-import-review", OWN_BATCH, args=("batch",)),
    Row("aclog-list", SIGNED_IN),
    Row("aclog-create", CREATE),
    Row("aclog-edit", EDIT_OBJECT, args=("ac_log",)),
    Row("boilerlog-list", SIGNED_IN),
    Row("boilerlog-create", CREATE),
    Row("boilerlog-edit", EDIT_OBJECT, args=("boiler_log",)),
    Row("api:api-root", API_LIST),
    Row("api:auth-token", dict.fromkeys(ROLES, 400), "post", data={"username": "x"}),
    Row("api:token-list", API_LIST),
    Row("api:token-detail", API_OWN_TOKEN, args=("token",)),
    Row("api:business-list", API_LIST),
    Row("api:business-detail", API_READ_OBJECT, args=("business",)),
    Row("api:business-detail", API_EDIT_OBJECT, "patch", args=("business",)),
    Row("api:premises-list", API_LIST),
    Row("api:premises-detail", API_READ_OBJECT, args=("premises",)),
    Row("api:premises-detail", API_EDIT_OBJECT, "patch", args=("premises",)),
    Row("api:compliance-premises-list", API_LIST),
    Row("api:compliance-premises-detail", API_READ_OBJECT, args=("premises",)),
    Row("api:compliance-business-detail", API_READ_OBJECT, args=("business",)),
    Row("api:equipment-list", API_LIST),
    Row("api:equipment-detail", API_READ_OBJECT, args=("equipment",)),
    Row("api:equipment-detail", API_EDIT_OBJECT, "patch", args=("equipment",)),
    Row("api:ac-log-list", API_LIST),
    Row("api:ac-log-detail", API_READ_OBJECT, args=("ac_log",)),
    Row("api:ac-log-detail", API_EDIT_OBJECT, "patch", args=("ac_log",)),
    Row("api:boiler-log-list", API_LIST),
    Row("api:boiler-log-detail", API_READ_OBJECT, args=("boiler_log",)),
    Row("api:boiler-log-detail", API_EDIT_OBJECT, "patch", args=("boiler_log",)),
    Row("api:membership-list", API_LIST),
    Row("api:membership-detail", API_READ_OBJECT, args=("membership",)),
    Row("api:claim-list", API_LIST),
    Row("api:claim-detail", expect(401, 200, 404, 404, 200, 404, 404, 404), args=("claim",)),
    Row(
        "api:claim-decide",
        API_CLAIM_DECIDE,
        "post",
        args=("claim",),
        data={"approve": True, "reason": "matrix"},
    ),
    Row("exemption-list", SIGNED_IN),
    Row("exemption-create", CREATE),
    Row("exemption-detail", READ_OBJECT, args=("exemption",)),
    Row("exemption-decide", DECIDE_OBJECT, args=("exemption",)),
    Row(
        "exemption-decide",
        DECIDE_OBJECT | {"administrator": 302},
        "post",
        args=("exemption",),
        data={"approve": "yes", "reason": "matrix"},
    ),
    Row("exemption-revoke", DECIDE_OBJECT, args=("approved_exemption",)),
    Row(
        "exemption-revoke",
        DECIDE_OBJECT | {"administrator": 302},
        "post",
        args=("approved_exemption",),
        data={"reason": "matrix", "on": "2025-01-01"},
    ),
    Row("api:exemption-list", API_LIST),
    Row("api:exemption-detail", API_READ_OBJECT, args=("exemption",)),
    Row(
        "api:exemption-decide",
        API_DECIDE_OBJECT,
        "post",
        args=("exemption",),
        data={"approve": True, "reason": "matrix"},
    ),
    Row(
        "api:exemption-revoke",
        API_DECIDE_OBJECT,
        "post",
        args=("approved_exemption",),
        data={"reason": "matrix"},
    ),
    # The working calendar (APA Art. 48): read by everyone signed in, declared by
    # administrators (an empty declaration: the form again with its errors).
    Row("working-calendar", SIGNED_IN),
    Row("working-calendar", SIGNED_IN, query="?year=abc"),
    Row("working-calendar-declare", ADMINISTRATORS_ONLY),
    Row("working-calendar-declare", ADMINISTRATORS_ONLY, "post"),
    Row("working-calendar-withdraw", ADMINISTRATORS_ONLY, args=("calendar_day",)),
    Row(
        "working-calendar-withdraw",
        ADMINISTRATORS_ONLY | {"administrator": 302},
        "post",
        args=("calendar_day",),
        data={"reason": "matrix"},
    ),
    Row("rulebook-list", SIGNED_IN),
    Row("rulebook-draft-create", ADMINISTRATORS_ONLY | {"administrator": 302}, "post"),
    Row("rulebook-detail", SIGNED_IN, args=("rulebook",)),
    Row("rulebook-detail", DRAFT_ONLY, args=("draft",)),
    Row("rulebook-edit", DRAFT_ONLY, args=("draft",)),
    Row("rulebook-edit", FROZEN, args=("rulebook",)),
    Row("rulebook-impact", DRAFT_ONLY, args=("draft",)),
    Row("rulebook-impact", FROZEN, args=("rulebook",)),
    Row("rulebook-publish", DRAFT_ONLY, args=("draft",)),
    Row("rulebook-publish", DRAFT_ONLY | {"administrator": 302}, "post", args=("draft",)),
    Row("rulebook-publish", FROZEN, "post", args=("rulebook",)),
    Row("rulebook-delete", DRAFT_ONLY, args=("draft",)),
    Row("rulebook-delete", DRAFT_ONLY | {"administrator": 302}, "post", args=("draft",)),
    Row("rulebook-delete", FROZEN, "post", args=("rulebook",)),
    Row("api:rulebook-version-list", API_LIST),
    Row("api:rulebook-version-list", API_FROZEN | {"administrator": 201}, "post"),
    Row("api:rulebook-version-in-force", API_LIST),
    Row("api:rulebook-version-detail", API_LIST, args=("rulebook",)),
    Row("api:rulebook-version-detail", API_DRAFT_ONLY, args=("draft",)),
    Row("api:rulebook-version-detail", API_DRAFT_ONLY, "patch", args=("draft",)),
    Row("api:rulebook-version-detail", API_FROZEN, "patch", args=("rulebook",)),
    Row(
        "api:rulebook-version-detail",
        API_DRAFT_ONLY | {"administrator": 204},
        "delete",
        args=("draft",),
    ),
    Row("api:rulebook-version-detail", API_FROZEN, "delete", args=("rulebook",)),
    Row("api:rulebook-version-publish", API_DRAFT_ONLY, "post", args=("draft",)),
    Row("api:rulebook-version-publish", API_FROZEN, "post", args=("rulebook",)),
    # Inspections: planning (issue 4).
    Row("inspection-list", expect(302, 200, 200, 403, 403, 403, 403, 200)),
    Row("inspection-plan", ADMINISTRATORS_ONLY),
    Row("inspection-plan", ADMINISTRATORS_ONLY, query="?search=1&district=xinyi"),
    Row("inspection-plan", ADMINISTRATORS_ONLY, "post", data={"title": "matrix"}),
    Row("inspection-load", ADMINISTRATORS_ONLY),
    Row("inspection-agenda", expect(302, 200, 200, 403, 403, 403, 403, 403)),
    Row("inspection-detail", READ_OBJECT, args=("inspection",)),
    Row("inspection-reschedule", DECIDE_OBJECT, args=("inspection",)),
    Row(
        "inspection-reschedule",
        DECIDE_OBJECT | {"administrator": 302},
        "post",
        args=("inspection",),
        data={"scheduled_for": "2099-02-01", "reason": "matrix"},
    ),
    Row("inspection-assign", DECIDE_OBJECT, args=("inspection",)),
    Row("inspection-assign", DECIDE_OBJECT, "post", args=("inspection",)),
    Row("inspection-cancel", DECIDE_OBJECT, args=("inspection",)),
    Row(
        "inspection-cancel",
        DECIDE_OBJECT | {"administrator": 302},
        "post",
        args=("inspection",),
        data={"reason": "matrix"},
    ),
    Row("api:inspection-list", API_LIST),
    Row("api:inspection-list", expect(401, 400, 403, 403, 403, 403, 403, 403), "post"),
    Row("api:inspection-detail", API_READ_OBJECT, args=("inspection",)),
    Row(
        "api:inspection-detail",
        API_DECIDE_OBJECT,
        "patch",
        args=("inspection",),
        data={"notes": "matrix"},
    ),
    Row(
        "api:inspection-cancel",
        API_DECIDE_OBJECT,
        "post",
        args=("inspection",),
        data={"reason": "matrix"},
    ),
    Row("api:inspection-batch-list", API_LIST),
    Row("api:inspection-batch-list", expect(401, 400, 403, 403, 403, 403, 403, 403), "post"),
    Row(
        "api:inspection-batch-detail",
        expect(401, 200, 200, 404, 404, 404, 404, 200),
        args=("inspection_batch",),
    ),
    # Inspections: the visit on a tablet (issue 4).
    Row("visit-start", VISIT_EDIT, args=("inspection",)),
    Row(
        "visit-start",
        VISIT_EDIT | {"administrator": 302, "inspector": 302},
        "post",
        args=("inspection",),
    ),
    # The form of a visit not yet started (kept by the tablet, filled offline; issue 16).
    Row("visit-new", VISIT_EDIT, args=("inspection",)),
    Row("visit-new", VISIT_EDIT, "post", args=("inspection",)),
    Row("visit-detail", READ_OBJECT, args=("visit",)),
    Row("visit-edit", VISIT_EDIT, args=("visit",)),
    Row("visit-edit", VISIT_EDIT, "post", args=("visit",)),
    Row("visit-complete", VISIT_EDIT, args=("visit",)),
    Row(
        "visit-complete",
        VISIT_EDIT | {"administrator": 302, "inspector": 302},
        "post",
        args=("visit",),
    ),
    Row("photo-upload", VISIT_EDIT, args=("visit",)),
    Row("photo-upload", VISIT_EDIT, "post", args=("visit",)),
    # The tablet's service worker: a public script (it holds no data), at the root.
    Row("service-worker", PUBLIC),
    Row("photo-file", READ_OBJECT, args=("photo",)),
    Row("api:visit-list", API_LIST),
    Row("api:visit-list", expect(401, 400, 400, 403, 403, 403, 403, 403), "post"),
    Row("api:visit-detail", API_READ_OBJECT, args=("visit",)),
    Row("api:visit-detail", API_VISIT_EDIT, "patch", args=("visit",), data={"notes": "matrix"}),
    Row("api:visit-complete", API_VISIT_EDIT, "post", args=("visit",)),
    Row(
        "api:visit-photos",
        API_VISIT_EDIT | {"administrator": 400, "inspector": 400},
        "post",
        args=("visit",),
    ),
    # The Art. 10-4 report: inspectors and administrators ask and retry; the business reads.
    Row("report-download", READ_OBJECT, args=("ready_report",)),
    Row(
        "report-request",
        expect(302, 302, 302, 403, 404, 404, 404, 403),
        "post",
        args=("report_visit",),
        data={"language": "zh-hant"},
    ),
    Row(
        "report-retry",
        expect(302, 302, 302, 403, 404, 404, 404, 403),
        "post",
        args=("failed_report",),
    ),
    Row("api:inspection-report-list", API_LIST),
    Row("api:inspection-report-list", expect(401, 400, 400, 403, 403, 403, 403, 403), "post"),
    Row("api:inspection-report-detail", API_READ_OBJECT, args=("ready_report",)),
    Row("api:inspection-report-download", API_READ_OBJECT, args=("ready_report",)),
    Row(
        "api:inspection-report-retry",
        expect(401, 202, 202, 403, 404, 404, 404, 403),
        "post",
        args=("failed_report",),
    ),
    Row("api:visit-inspection-report", API_READ_OBJECT, args=("report_visit",)),
    Row(
        "api:visit-inspection-report",
        expect(401, 200, 200, 403, 404, 404, 404, 403),
        "post",
        args=("report_visit",),
        data={"language": "zh-hant"},
    ),
    # --- Enforcement pages (compliance/enforcement/urls.py, pages section) ---
    Row("enforcement-violation-list", SIGNED_IN),
    Row("enforcement-violation-list", SIGNED_IN, query="?overdue=on&status=fined&article=5-5"),
    Row("enforcement-violation-list", SIGNED_IN, query="?awaiting_verification=on"),
    Row("enforcement-violation-detail", READ_OBJECT, args=("violation",)),
    Row(
        "enforcement-evidence-submit",
        BUSINESS_ACTION_REFUSED,
        "post",
        args=("violation",),
        data={"description": "matrix"},
    ),
    Row(
        "enforcement-evidence-review",
        REVIEW_ACTION_ON_OBJECT,
        "post",
        args=("evidence",),
        data={"accept": "yes", "reason": "matrix"},
    ),
    Row("enforcement-evidence-file", READ_OBJECT, args=("evidence_file",)),
    Row(
        "enforcement-payment-report",
        BUSINESS_ACTION_ON_OBJECT,
        "post",
        args=("fine",),
        data={"amount_ntd": "1000", "paid_on": "2026-11-17", "reference": "matrix-2"},
    ),
    Row(
        "enforcement-payment-decide",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("payment",),
        data={"confirm": "yes", "reason": "matrix"},
    ),
    Row(
        "enforcement-appeal-file",
        BUSINESS_ACTION_REFUSED,
        "post",
        args=("fine",),
        data={"grounds": "matrix"},
    ),
    # The matrix appeal is under the Department's review: administrators revoke or amend
    # the decision, forward the appeal and suspend payment (done: 302); the appeal body's
    # decision is recorded only once forwarded (refused with the reason: the page, 200).
    Row(
        "enforcement-appeal-review",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("appeal",),
        data={"outcome": "dept_revoked", "reason": "matrix"},
    ),
    Row(
        "enforcement-appeal-forward",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("appeal",),
        data={"reply": "matrix"},
    ),
    Row(
        "enforcement-appeal-decision",
        ADMIN_ACTION_ON_OBJECT | {"administrator": 200},
        "post",
        args=("appeal",),
        data={"outcome": "dismissed", "number": "matrix", "decided_on": "2026-11-18"},
    ),
    Row(
        "enforcement-appeal-suspension",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("appeal",),
        data={"suspend": "yes", "reason": "matrix"},
    ),
    # An appeal's files: read like its fine.
    Row("enforcement-appeal-attachment", READ_OBJECT, args=("appeal_attachment",)),
    Row(
        "enforcement-statement-submit",
        STATEMENT_REFUSED,
        "post",
        args=("violation",),
        data={"text": "matrix"},
    ),
    Row(
        "enforcement-violation-cancel",
        ADMIN_ACTION_ON_OBJECT,
        "post",
        args=("violation",),
        data={"reason": "matrix"},
    ),
    Row("enforcement-review-queue", REVIEWERS_ONLY),
    # Proposed fines: administrators see the list; only an official holding the
    # decide_fine permission decides (the matrix administrator does not hold it: 403).
    Row("enforcement-proposal-list", ADMINISTRATORS_ONLY),
    Row("enforcement-proposal-list", ADMINISTRATORS_ONLY | {"administrator": 403}, "post"),
    Row(
        "enforcement-proposal-decide",
        expect(302, 403, 403, 403, 404, 404, 404, 403),
        "post",
        args=("fine",),
        data={"decision": "approve"},
    ),
    # A decision's page is read like its violation (a member opening it may serve it).
    Row("enforcement-fine-decision", READ_OBJECT, args=("fine",)),
    # Staff record service; the matrix fine is served already: the page again (200).
    Row(
        "enforcement-service-record",
        DECIDE_OBJECT,
        "post",
        args=("fine",),
        data={"method": "registered_mail", "served_on": "2026-11-17"},
    ),
    # A business's own members agree to electronic service; the City never for it.
    Row(
        "enforcement-electronic-service",
        expect(302, 403, 403, 302, 404, 404, 404, 403),
        "post",
        args=("business",),
        data={"agree": "on"},
    ),
    Row("enforcement-sweep", ADMINISTRATORS_ONLY),
    Row("enforcement-sweep", ADMINISTRATORS_ONLY | {"administrator": 302}, "post"),
    # A notice or decision (PDF): read like its violation; administrators retry a rendering.
    Row("enforcement-document-download", READ_OBJECT, args=("document",)),
    # The public verification of an issued document: anyone holding its code, signed in
    # or not; an unknown code is a 404, a check without a file a 400.
    Row("document-verify-start", PUBLIC),
    Row("document-verify-start", dict.fromkeys(ROLES, 404), query="?code=ABCD-EFGH-JKLM-NPQR"),
    Row("document-verify", PUBLIC, args=("decision_code",)),
    Row("document-verify", dict.fromkeys(ROLES, 400), "post", args=("decision_code",)),
    Row("enforcement-document-retry", ADMIN_ACTION_ON_OBJECT, "post", args=("document",)),
    # --- Enforcement dashboard and exports (compliance/enforcement/urls.py) ---
    Row("enforcement-dashboard", ENFORCEMENT_STAFF),
    # Exports: everyone signed in downloads what they may see (a business only its own).
    Row("enforcement-violations-export", SIGNED_IN),
    Row("enforcement-violations-export", SIGNED_IN, query="?status=fined&overdue=on"),
    Row("enforcement-fines-export", SIGNED_IN),
    Row("enforcement-fines-export", SIGNED_IN, query="?district=daan&issued_on_after=2026-01-01"),
    Row("enforcement-payments-export", SIGNED_IN),
    Row("enforcement-appeals-export", SIGNED_IN),
    # --- Enforcement API (compliance/api) ---
    Row("api:violation-list", API_LIST),
    Row("api:violation-list", API_LIST, query="?status=fined&district=daan&overdue=true"),
    Row("api:violation-detail", API_READ_OBJECT, args=("violation",)),
    Row(
        "api:violation-cancel",
        API_DECIDE_OBJECT,
        "post",
        args=("violation",),
        data={"reason": "matrix"},
    ),
    Row(
        "api:violation-statement",
        API_STATEMENT_REFUSED,
        "post",
        args=("violation",),
        data={"text": "matrix"},
    ),
    Row(
        "api:violation-statement",
        API_STATEMENT_REFUSED,
        "post",
        args=("violation",),
        data={"text": "matrix"},
        auth="token",
    ),
    Row("api:fine-list", API_LIST),
    Row("api:fine-detail", API_READ_OBJECT, args=("fine",)),
    Row("api:enforcement-document-list", API_LIST),
    Row("api:enforcement-document-detail", API_READ_OBJECT, args=("document",)),
    Row("api:payment-list", API_LIST),
    # Business users and administrators report (an empty body is a 400); others may not.
    Row("api:payment-list", API_BUSINESS_REPORT, "post"),
    Row("api:payment-detail", API_READ_OBJECT, args=("payment",)),
    Row(
        "api:payment-decide",
        API_DECIDE_OBJECT,
        "post",
        args=("payment",),
        data={"confirm": True, "reason": "matrix"},
    ),
    Row("api:appeal-list", API_LIST),
    Row("api:appeal-list", API_BUSINESS_REPORT, "post"),
    Row("api:appeal-detail", API_READ_OBJECT, args=("appeal",)),
    Row(
        "api:appeal-review",
        API_DECIDE_OBJECT,
        "post",
        args=("appeal",),
        data={"outcome": "dept_revoked", "reason": "matrix"},
    ),
    Row(
        "api:appeal-forward",
        API_DECIDE_OBJECT,
        "post",
        args=("appeal",),
        data={"reply": "matrix"},
    ),
    # Not forwarded (and no decision document): refused with the reason, 400.
    Row(
        "api:appeal-record-decision",
        API_DECIDE_OBJECT | {"administrator": 400},
        "post",
        args=("appeal",),
        data={"outcome": "dismissed", "number": "matrix", "reason": "matrix"},
    ),
    Row(
        "api:appeal-suspension",
        API_DECIDE_OBJECT,
        "post",
        args=("appeal",),
        data={"suspend": True, "reason": "matrix"},
    ),
    Row("api:evidence-list", API_LIST),
    Row("api:evidence-detail", API_READ_OBJECT, args=("evidence",)),
    Row(
        "api:evidence-review",
        API_VISIT_EDIT,  # inspectors and administrators review; the business reads
        "post",
        args=("evidence",),
        data={"accept": True, "reason": "matrix"},
    ),
    Row("api:sweep-run-list", API_ADMINISTRATORS_ONLY),
    Row("api:sweep-run-list", API_ADMINISTRATORS_ONLY | {"administrator": 202}, "post"),
    # --- Art. 13 service teams (subsidies/urls.py, subsidies/api.py) ---
    Row("service-team-list", SIGNED_IN),
    Row("service-team-detail", SIGNED_IN, args=("service_team",)),
    Row("service-team-create", ADMINISTRATORS_ONLY),
    Row("service-team-edit", ADMINISTRATORS_ONLY, args=("service_team",)),
    Row(
        "service-team-expert-remove",
        ADMINISTRATORS_ONLY,
        args=("service_team", "team_expert"),
    ),
    Row(
        "service-team-expert-remove",
        ADMINISTRATORS_ONLY | {"administrator": 302},
        "post",
        args=("service_team", "team_expert"),
        data={"reason": "matrix"},
    ),
    Row("service-request-list", SIGNED_IN),
    Row("service-request-create", BUSINESS_USERS_ONLY),
    Row("service-request-detail", READ_OBJECT, args=("service_request",)),
    Row("service-request-assign", DECIDE_OBJECT, args=("service_request",)),
    Row("service-request-consultation", DECIDE_OBJECT, args=("service_request",)),
    Row("service-request-close", DECIDE_OBJECT, args=("service_request",)),
    Row("service-request-withdraw", EDIT_OBJECT, args=("service_request",)),
    Row(
        "service-request-withdraw",
        BUSINESS_ACTION_ON_OBJECT,
        "post",
        args=("service_request",),
    ),
    Row("api:service-team-list", API_LIST),
    Row("api:service-team-list", expect(401, 400, 403, 403, 403, 403, 403, 403), "post"),
    Row("api:service-team-detail", API_LIST, args=("service_team",)),
    Row("api:service-request-list", API_LIST),
    Row("api:service-request-list", expect(401, 403, 403, 400, 400, 403, 403, 403), "post"),
    Row("api:service-request-detail", API_READ_OBJECT, args=("service_request",)),
    # The requesting business withdraws (administrators may for it); administrators close a
    # consulted request (the matrix's request is only assigned: refused with the reason, 400).
    Row(
        "api:service-request-withdraw",
        expect(401, 200, 403, 200, 404, 404, 404, 403),
        "post",
        args=("service_request",),
    ),
    Row(
        "api:service-request-close",
        expect(401, 400, 403, 403, 404, 404, 404, 403),
        "post",
        args=("service_request",),
        data={"reason": "matrix"},
    ),
    Row(
        "api:service-request-assign",
        expect(401, 400, 403, 403, 404, 404, 404, 403),
        "post",
        args=("service_request",),
    ),
    Row("api:consultation-list", API_LIST),
    Row("api:consultation-detail", API_READ_OBJECT, args=("consultation",)),
    # --- Art. 14 schemes and applications (subsidies/views/schemes.py, api_schemes.py) ---
    # Applications: the applicant's business, officers, inspectors and API clients read them.
    Row("scheme-list", SIGNED_IN),
    Row("scheme-detail", SIGNED_IN, args=("scheme",)),
    # Administrators configure schemes and a call's criteria (an empty form: errors, 200).
    Row("scheme-create", ADMINISTRATORS_ONLY),
    Row("scheme-create", ADMINISTRATORS_ONLY, "post"),
    Row("scheme-edit", ADMINISTRATORS_ONLY, args=("scheme",)),
    Row("scheme-edit", ADMINISTRATORS_ONLY, "post", args=("scheme",)),
    Row("scheme-criteria", ADMINISTRATORS_ONLY, args=("reward_call",)),
    Row("scheme-criteria", ADMINISTRATORS_ONLY, "post", args=("reward_call",)),
    Row("scheme-apply", BUSINESS_USERS_ONLY, args=("scheme",)),
    Row("application-list", SIGNED_IN),
    Row(
        "application-detail",
        expect(302, 200, 200, 200, 404, 404, 200, 200),
        args=("application",),
    ),
    Row(
        "application-step",
        expect(302, 302, 403, 403, 404, 404, 302, 403),
        "post",
        args=("application",),
        data={"step": "start_review"},
    ),
    Row(
        "application-step",
        expect(302, 403, 403, 302, 404, 404, 403, 403),
        "post",
        args=("application",),
        data={"step": "withdraw"},
    ),
    # The applicant answers a request for information (its documents are complete: 302).
    Row(
        "application-resubmit",
        expect(302, 403, 403, 200, 404, 404, 403, 403),
        args=("info_requested_application",),
    ),
    Row(
        "application-resubmit",
        expect(302, 403, 403, 302, 404, 404, 403, 403),
        "post",
        args=("info_requested_application",),
    ),
    # An awarded application's certificate (rendered): read like the application.
    Row(
        "application-certificate",
        expect(302, 200, 200, 200, 404, 404, 200, 200),
        args=("awarded_application",),
    ),
    # No letter until an approval's letter is rendered: 404 for everyone signed in.
    Row(
        "application-letter",
        expect(302, 404, 404, 404, 404, 404, 404, 404),
        args=("application",),
    ),
    # An application's documents: its business and the officers who review it download them;
    # inspectors and API clients see the application, not its documents (404).
    Row(
        "application-document-file",
        expect(302, 200, 404, 200, 404, 404, 200, 404),
        args=("draft_document",),
    ),
    # A reward call's ranking: reviewers (officers, administrators) until it is published.
    Row("scheme-awards", expect(302, 200, 404, 404, 404, 404, 200, 404), args=("reward_call",)),
    # An empty form: the scores are refused with the reason (back to the application, 302);
    # the call's assigned reviewers and administrators score (the persona officer is not one).
    Row(
        "application-score",
        expect(302, 302, 403, 403, 404, 404, 403, 403),
        "post",
        args=("reward_entry",),
    ),
    # No count and no scores: refused with the reason, back to the ranking (302).
    Row(
        "scheme-awards-publish",
        expect(302, 302, 403, 403, 403, 403, 403, 403),
        "post",
        args=("reward_call",),
    ),
    # Reward calls: a ranking is for reviewers until published, then for everyone signed in;
    # scores are read by officers and submitted by the call's reviewers and administrators.
    Row("api:reward-call-list", API_LIST),
    Row("api:reward-call-detail", API_LIST, args=("reward_call",)),
    Row(
        "api:reward-call-ranking",
        expect(401, 200, 404, 404, 404, 404, 200, 404),
        args=("reward_call",),
    ),
    Row("api:reward-call-ranking", API_LIST, args=("awarded_call",)),
    Row(
        "api:reward-call-publish",
        expect(401, 400, 403, 403, 403, 403, 403, 403),
        "post",
        args=("reward_call",),
    ),
    Row("api:review-score-list", API_LIST),
    Row("api:review-score-list", expect(401, 400, 403, 403, 403, 403, 400, 403), "post"),
    Row(
        "api:review-score-detail",
        expect(401, 200, 404, 404, 404, 404, 200, 404),
        args=("review_score",),
    ),
    Row("api:scheme-list", API_LIST),
    Row("api:scheme-detail", API_LIST, args=("scheme",)),
    Row("api:application-list", API_LIST),
    Row("api:application-list", expect(401, 403, 403, 400, 400, 403, 403, 403), "post"),
    Row(
        "api:application-detail",
        expect(401, 200, 200, 200, 404, 404, 200, 200),
        args=("application",),
    ),
    # Submitting: only its applicant (a submitted application cannot be again, and the
    # matrix business's unpaid fine makes its draft ineligible: 400 with the reasons).
    Row(
        "api:application-submit",
        expect(401, 403, 403, 400, 404, 404, 403, 403),
        "post",
        args=("application",),
    ),
    Row(
        "api:application-submit",
        expect(401, 403, 403, 400, 404, 404, 403, 403),
        "post",
        args=("draft_application",),
    ),
    # Its documents: read by its business and the officers; added (an empty body: 400) and
    # deleted by its applicant while a draft; the read-only API client role writes nothing.
    Row(
        "api:application-documents",
        expect(401, 200, 404, 200, 404, 404, 200, 404),
        args=("application",),
    ),
    Row(
        "api:application-documents",
        expect(401, 403, 404, 400, 404, 404, 403, 403),
        "post",
        args=("draft_application",),
    ),
    Row(
        "api:application-document",
        expect(401, 200, 404, 200, 404, 404, 200, 404),
        args=("draft_application", "draft_document"),
    ),
    Row(
        "api:application-document",
        expect(401, 403, 404, 204, 404, 404, 403, 403),
        "delete",
        args=("draft_application", "draft_document"),
    ),
    Row(
        "api:application-document",
        expect(401, 403, 404, 400, 404, 404, 403, 403),
        "delete",
        args=("application", "application_document"),
    ),
    # --- Art. 12 energy-use register (compliance/energy/views/energy_use.py) ---
    Row("energy-use-list", SIGNED_IN),  # each user the figures they may see
    Row("energy-use-export", SIGNED_IN),
    Row("energy-use-upload", SUPPLIERS_ONLY),
    Row("energy-use-upload-review", SUPPLIERS_ONLY, args=("energy_batch",)),
    # The staged file has no rows: the supplier gets the report again (200).
    Row("energy-use-upload-review", SUPPLIERS_ONLY, "post", args=("energy_batch",)),
    Row("energy-register", CITY_STAFF),
    Row("energy-account-unmatched", ADMINISTRATORS_ONLY),
    Row(
        "energy-account-match",
        expect(302, 302, 403, 404, 404, 403, 404, 403),  # its supplier sees it, cannot match it
        "post",
        args=("supplier_account",),
        data={"premises": "1"},
    ),
    Row("premises-energy-use", READ_OBJECT, args=("premises",)),
    # --- Art. 12 energy-use API (compliance/energy/api/views.py) ---
    # The register: city staff and API clients, as its page; everyone else 403.
    Row("api:energy-register-list", expect(401, 200, 200, 403, 403, 403, 403, 200)),
    Row(
        "api:energy-register-list",
        expect(401, 200, 200, 403, 403, 403, 403, 200),
        query="?month=2026-01&district=xinyi&industry=47&energy_type=electricity",
    ),
    # Monthly use and accounts: the supplier its own, the business its premises', staff all.
    Row("api:monthly-use-list", API_LIST),
    Row("api:monthly-use-list", API_LIST, query="?energy_type=electricity&month_from=2026-01"),
    Row(
        "api:monthly-use-detail",
        expect(401, 200, 200, 200, 404, 200, 404, 200),
        args=("monthly_use",),
    ),
    Row("api:supplier-account-list", API_LIST),
    Row(
        "api:supplier-account-detail",
        expect(401, 200, 200, 200, 404, 200, 404, 200),
        args=("matched_account",),
    ),
    Row(
        "api:supplier-account-detail",
        expect(401, 200, 200, 404, 404, 200, 404, 200),  # unmatched: no business sees it
        args=("supplier_account",),
    ),
    # Administrators match (an empty body: 400); who sees the account may not (403).
    Row(
        "api:supplier-account-match",
        expect(401, 400, 403, 404, 404, 403, 404, 403),
        "post",
        args=("supplier_account",),
    ),
    # Uploads: everyone lists what they may see; suppliers upload (a JSON body: 400).
    Row("api:energy-use-upload-list", API_LIST),
    Row("api:energy-use-upload-list", expect(401, 403, 403, 403, 403, 400, 403, 403), "post"),
    # --- Art. 11 supplier referrals (compliance/energy/views/referrals.py, inspections/views) ---
    # Suppliers read their own, city staff all; administrators decide (403 for who sees it).
    Row("referral-list", REFERRAL_READERS),
    Row("referral-list", REFERRAL_READERS, query="?status=submitted&equipment_kind=lighting"),
    Row("referral-create", SUPPLIERS_ONLY),
    Row("referral-create", SUPPLIERS_ONLY, "post"),  # empty: the form again with errors
    Row("referral-detail", READ_REFERRAL, args=("referral",)),
    Row("referral-close", DECIDE_REFERRAL, "post", args=("referral",), data={"reason": "matrix"}),
    Row("referral-close", DECIDE_REFERRAL | {"administrator": 200}, "post", args=("referral",)),
    Row("referral-premises", DECIDE_REFERRAL | {"administrator": 200}, "post", args=("referral",)),
    Row(
        "referral-target",
        DECIDE_REFERRAL,
        "post",
        args=("referral",),
        data={"scheduled_for": "2099-02-01", "notes": "matrix"},
    ),
    Row("api:referral-list", API_LIST),
    Row("api:referral-list", expect(401, 403, 403, 403, 403, 400, 403, 403), "post"),
    Row("api:referral-detail", API_READ_REFERRAL, args=("referral",)),
    Row(
        "api:referral-close",
        API_DECIDE_REFERRAL | {"administrator": 200},
        "post",
        args=("referral",),
        data={"reason": "matrix"},
    ),
    Row("api:referral-premises", API_DECIDE_REFERRAL, "post", args=("referral",)),
    Row(
        "api:referral-target",
        API_DECIDE_REFERRAL | {"administrator": 201},
        "post",
        args=("referral",),
        data={"scheduled_for": "2099-02-01"},
    ),
]
# --- Art. 12-2 data orders (compliance/energy/views/ and api/data_orders.py) ---
# Read like referrals: a supplier its own, city staff all; administrators order and decide.
ROWS += [
    Row("data-order-list", REFERRAL_READERS),
    Row("data-order-list", REFERRAL_READERS, query="?status=open&energy_type=electricity"),
    Row("data-order-create", ADMINISTRATORS_ONLY),
    Row("data-order-create", ADMINISTRATORS_ONLY, "post"),  # empty: the form with errors
    Row("data-order-detail", READ_REFERRAL, args=("data_order",)),
    Row(
        "data-order-cancel",
        DECIDE_REFERRAL,
        "post",
        args=("data_order",),
        data={"cancel-reason": "matrix"},
    ),
    Row(
        "data-order-cancel", DECIDE_REFERRAL | {"administrator": 400}, "post", args=("data_order",)
    ),
    Row(
        "data-order-fulfil",
        DECIDE_REFERRAL,
        "post",
        args=("data_order",),
        data={"fulfil-reason": "matrix"},
    ),
    Row("api:data-order-list", API_LIST),
    Row("api:data-order-list", expect(401, 400, 403, 403, 403, 403, 403, 403), "post"),
    Row("api:data-order-detail", API_READ_REFERRAL, args=("data_order",)),
    Row(
        "api:data-order-cancel",
        API_DECIDE_REFERRAL | {"administrator": 200},
        "post",
        args=("data_order",),
        data={"reason": "matrix"},
    ),
    Row("api:data-order-fulfil", API_DECIDE_REFERRAL, "post", args=("data_order",)),
    # --- Programme records (programs/urls.py): public pages of published records ---
    Row("programme-list", PUBLIC),
    Row("programme-detail", PUBLIC, args=("page_programme",)),
    Row("programme-detail", PUBLIC, args=("page_programme",), query="?programme_year=1&q=page"),
    Row("programme-detail", HIDDEN_RECORD, args=("page_hidden_programme",)),
    Row("programme-city-detail", PUBLIC, args=("page_city",)),
    Row("programme-city-detail", HIDDEN_RECORD, args=("page_hidden_city",)),
    Row("programme-project-list", PUBLIC),
    Row("programme-project-list", PUBLIC, query="?status=approved&kind=other&q=page"),
    Row("programme-project-detail", PUBLIC, args=("page_project",)),
    Row("programme-project-detail", HIDDEN_RECORD, args=("page_hidden_project",)),
    Row("programme-event-list", PUBLIC),
    Row("programme-event-list", PUBLIC, query="?status=held&q=page"),
    # Programme staff create and edit (an empty form comes back with its errors: 200).
    Row("programme-create", PROGRAMME_STAFF),
    Row("programme-create", PROGRAMME_STAFF, "post"),
    Row("programme-edit", PROGRAMME_STAFF, args=("page_programme",)),
    Row("programme-edit", PROGRAMME_STAFF_HIDDEN, args=("page_hidden_programme",)),
    Row("programme-city-create", PROGRAMME_STAFF),
    Row("programme-city-create", PROGRAMME_STAFF, "post"),
    Row("programme-city-edit", PROGRAMME_STAFF, args=("page_city",)),
    Row("programme-city-edit", PROGRAMME_STAFF_HIDDEN, args=("page_hidden_city",)),
    Row("programme-participation-create", PROGRAMME_STAFF, args=("page_programme",)),
    Row("programme-participation-create", PROGRAMME_STAFF_HIDDEN, args=("page_hidden_programme",)),
    Row("programme-participation-edit", PROGRAMME_STAFF, args=("page_participation",)),
    Row("programme-project-create", PROGRAMME_STAFF),
    Row("programme-project-edit", PROGRAMME_STAFF, args=("page_project",)),
    Row("programme-project-edit", PROGRAMME_STAFF, "post", args=("page_project",)),
    Row("programme-project-edit", PROGRAMME_STAFF_HIDDEN, args=("page_hidden_project",)),
    Row("programme-event-create", PROGRAMME_STAFF),
    Row("programme-event-edit", PROGRAMME_STAFF, args=("page_event",)),
    Row("programme-contribution-create", PROGRAMME_STAFF),
    Row("programme-contribution-edit", PROGRAMME_STAFF, args=("page_contribution",)),
    Row("programme-milestone-create", PROGRAMME_STAFF, args=("page_programme",)),
    Row("programme-milestone-edit", PROGRAMME_STAFF, args=("page_milestone",)),
    Row("programme-project-assessment-create", PROGRAMME_STAFF, args=("page_project",)),
    Row(
        "programme-project-assessment-create",
        PROGRAMME_STAFF_HIDDEN,
        args=("page_hidden_project",),
    ),
    Row(
        "programme-participation-assessment-create",
        PROGRAMME_STAFF,
        args=("page_participation",),
    ),
    Row("programme-assessment-edit", PROGRAMME_STAFF, args=("page_assessment",)),
    Row("programme-assessment-decide", PROGRAMME_STAFF, args=("page_assessment",)),
    Row(
        "programme-assessment-decide",
        PROGRAMME_STAFF_ACTION,
        "post",
        args=("page_assessment",),
        data={"decision": "met", "reason": "matrix"},
    ),
    # The matrix's proposal is under review: approving it is done (302); the hidden one is
    # a draft, and an empty step is refused on its page (200).
    Row(
        "programme-project-review",
        PROGRAMME_STAFF_ACTION,
        "post",
        args=("page_project",),
        data={"step": "approve", "reason": "matrix"},
    ),
    Row(
        "programme-project-review",
        PROGRAMME_STAFF_HIDDEN,
        "post",
        args=("page_hidden_project",),
    ),
    # Weighted scoring: programme staff (an empty score form: errors, 200).
    Row("programme-scoring", PROGRAMME_STAFF, args=("page_scheme",)),
    Row("programme-scoring", PROGRAMME_STAFF, "post", args=("page_scheme",)),
    Row("programme-scoring-scheme-create", PROGRAMME_STAFF, args=("page_programme",)),
    Row("programme-scoring-scheme-create", PROGRAMME_STAFF, "post", args=("page_programme",)),
    Row(
        "programme-scoring-scheme-create",
        PROGRAMME_STAFF_HIDDEN,
        args=("page_hidden_programme",),
    ),
    Row("programme-scoring-scheme-edit", PROGRAMME_STAFF, args=("page_scheme",)),
    # Administrators publish and unpublish (403 for who sees the record, 404 for the rest).
    Row(
        "programme-record-publish",
        expect(302, 302, 404, 404, 404, 404, 403, 404),
        "post",
        args=("kind_project", "page_hidden_project"),
    ),
    Row(
        "programme-record-unpublish",
        PROGRAMME_STAFF_ACTION | {"programme_officer": 403},
        "post",
        args=("kind_city", "page_city"),
    ),
]
# --- Programme records API (programs/api): public reads of published records; programme
# staff create (an empty body: 400) and change them; administrators publish; business users,
# inspectors, suppliers and API clients never write (403); an unpublished record is a 404.
API_PROGRAMME_CREATE = expect(401, 400, 403, 403, 403, 403, 400, 403)
API_PROGRAMME_EDIT = expect(401, 200, 403, 403, 403, 403, 200, 403)
API_PROGRAMME_PUBLISH = expect(401, 200, 403, 403, 403, 403, 403, 403)
API_PROGRAMME_HIDDEN = expect(404, 200, 404, 404, 404, 404, 200, 404)
for _basename, _record in (
    ("programme", "programme_record"),
    ("programme-organisation", "programme_organisation"),
    ("programme-fund", "programme_fund"),
    ("programme-country", "programme_country"),
    ("programme-city", "programme_city"),
    ("programme-participation", "programme_participation"),
    ("programme-project", "programme_project"),
    ("programme-event", "programme_event"),
    ("programme-contribution", "programme_contribution"),
):
    ROWS += [
        Row(f"api:{_basename}-list", API_PUBLIC),
        Row(f"api:{_basename}-list", API_PROGRAMME_CREATE, "post"),
        Row(f"api:{_basename}-export", API_PUBLIC, query="?format=csv"),
        Row(f"api:{_basename}-detail", API_PUBLIC, args=(_record,)),
        Row(f"api:{_basename}-detail", API_PROGRAMME_EDIT, "patch", args=(_record,)),
        Row(f"api:{_basename}-publish", API_PROGRAMME_PUBLISH, "post", args=(_record,)),
        Row(f"api:{_basename}-unpublish", API_PROGRAMME_PUBLISH, "post", args=(_record,)),
    ]
ROWS += [
    Row("api:programme-detail", API_PROGRAMME_HIDDEN, args=("hidden_programme",)),
    Row(
        "api:programme-publish",
        expect(401, 200, 404, 404, 404, 404, 403, 403),  # 403 before 404 for API clients
        "post",
        args=("hidden_programme",),
    ),
    Row(
        "api:programme-project-review",
        API_PROGRAMME_EDIT,
        "post",
        args=("programme_project",),
        data={"step": "submit"},
    ),
]


# --- The registry and rule-book API with token authentication, every method: the rows of
# what was tests/compliance/test_api_permissions.py. Requests carry a fresh API token of the
# persona (none for anonymous clients); bodies are functions of the world's objects.
def api_statuses(default: int, **overrides: int) -> dict[str, int]:
    """Return the expected status of every role: ``default`` unless overridden."""
    return {role: overrides.get(role, default) for role in ROLES}


TOKEN_LIST = api_statuses(200, anonymous=401)
# Objects of the owner's business: read-all roles see them, other roles get 404.
TOKEN_RETRIEVE = api_statuses(
    200, other_owner=404, supplier=404, programme_officer=404, anonymous=401
)
# Writes: administrators and the owner; read-only roles are refused (403), and who cannot
# see the object gets 404 as if it did not exist.
TOKEN_UPDATE = api_statuses(
    200,
    inspector=403,
    api_client=403,
    other_owner=404,
    supplier=404,
    programme_officer=404,
    anonymous=401,
)
TOKEN_DELETE = {**TOKEN_UPDATE, "administrator": 204, "owner": 204}
# Creating a record under the owner's business: another business's user names an object
# outside what they may edit, which answers 400 (the field's "does not exist").
TOKEN_CREATE_UNDER_OWNER = api_statuses(
    201,
    other_owner=400,
    inspector=403,
    supplier=403,
    programme_officer=403,
    api_client=403,
    anonymous=401,
)
TOKEN_NOT_ALLOWED = api_statuses(405, anonymous=401)
TOKEN_OWN = api_statuses(404, owner=200, anonymous=401)
# The rule book: drafts exist for administrators only; published versions are frozen.
TOKEN_DRAFT = api_statuses(404, administrator=200, anonymous=401)
TOKEN_FROZEN = api_statuses(403, anonymous=401)


def fresh_ubn() -> str:
    """Return a valid unified business number no factory hands out."""
    return next(u for u in (f"{n:08d}" for n in range(90000000, 90000100)) if is_valid_ubn(u))


def business_payload(o: dict) -> dict:
    return {
        "ubn": fresh_ubn(),
        "name_zh": "新登記商行",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "林小美",
    }


def premises_payload(o: dict) -> dict:
    return {
        "business": o["business"],
        "name": "新門市",
        "kind": "business",
        "address": "臺北市大安區復興南路一段1號",
        "district": "daan",
        "category": "retail_shop",
        "floor_area_m2": "85.50",
    }


def equipment_payload(o: dict) -> dict:
    return {"premises": o["premises"], "kind": "signboard", "tag": "SB-9", "lamp_type": "led"}


def ac_log_payload(o: dict) -> dict:
    return {
        "equipment": o["equipment"],
        "month": "2024-02-01",
        "recorded_by": "陳志明",
        "ac_electricity_kwh": "11800.0",
        "maintenance_done": True,
    }


def boiler_log_payload(o: dict) -> dict:
    return {
        "equipment": o["boiler"],
        "month": "2024-02-01",
        "recorded_by": "陳志明",
        "air_volume_m3h": "5100.0",
        "exhaust_temp_c": "175.0",
        "furnace_wall_temp_c": "58.0",
        "exhaust_co2_pct": "11.8",
    }


API_EXEMPTION = {
    "article": "8-1",
    "reason": "gas_supply_insufficient",
    "explanation": "No gas main in the street yet.",
    "evidence": "The gas company's letter of 2024-01-05.",
    "valid_from": "2024-01-01",
}


def exemption_payload(o: dict) -> dict:
    return {**API_EXEMPTION, "premises": o["premises"]}


def claim_payload(o: dict) -> dict:
    return {"business": o["api_unclaimed_business"], "evidence": "I am the general manager."}


def _token_row(name, method, expected, target=None, data=None) -> Row:
    return Row(
        f"api:{name}",
        expected,
        method,
        args=(target,) if target else (),
        data=data if data is not None else {},
        auth="token",
    )


ROWS += [
    _token_row("api-root", "get", TOKEN_LIST),
    # Businesses: any business user may register one (and then acts for it).
    _token_row("business-list", "get", TOKEN_LIST),
    _token_row(
        "business-list",
        "post",
        api_statuses(
            201, inspector=403, supplier=403, programme_officer=403, api_client=403, anonymous=401
        ),
        data=business_payload,
    ),
    _token_row("business-detail", "get", TOKEN_RETRIEVE, "api_bare_business"),
    _token_row(
        "business-detail", "patch", TOKEN_UPDATE, "api_bare_business", lambda o: {"name_zh": "改名"}
    ),
    _token_row(
        "business-detail",
        "put",
        TOKEN_UPDATE,
        "api_bare_business",
        lambda o: {**business_payload(o), "name_zh": "改名"},
    ),
    _token_row("business-detail", "delete", TOKEN_DELETE, "api_bare_business"),
    _token_row("premises-list", "get", TOKEN_LIST),
    _token_row("premises-list", "post", TOKEN_CREATE_UNDER_OWNER, data=premises_payload),
    _token_row("premises-detail", "get", TOKEN_RETRIEVE, "premises"),
    _token_row("premises-detail", "patch", TOKEN_UPDATE, "premises", lambda o: {"name": "改名"}),
    _token_row("premises-detail", "put", TOKEN_UPDATE, "premises", premises_payload),
    _token_row("premises-detail", "delete", TOKEN_DELETE, "api_bare_premises"),
    # Compliance status: read-only, visible as the premises and business themselves.
    _token_row("compliance-premises-list", "get", TOKEN_LIST),
    _token_row("compliance-premises-detail", "get", TOKEN_RETRIEVE, "premises"),
    _token_row("compliance-business-detail", "get", TOKEN_RETRIEVE, "business"),
    _token_row("equipment-list", "get", TOKEN_LIST),
    _token_row("equipment-list", "post", TOKEN_CREATE_UNDER_OWNER, data=equipment_payload),
    _token_row("equipment-detail", "get", TOKEN_RETRIEVE, "equipment"),
    _token_row(
        "equipment-detail", "patch", TOKEN_UPDATE, "equipment", lambda o: {"description": "B1"}
    ),
    _token_row("equipment-detail", "delete", TOKEN_DELETE, "api_bare_equipment"),
    _token_row("ac-log-list", "get", TOKEN_LIST),
    _token_row("ac-log-list", "post", TOKEN_CREATE_UNDER_OWNER, data=ac_log_payload),
    _token_row("ac-log-detail", "get", TOKEN_RETRIEVE, "ac_log"),
    _token_row(
        "ac-log-detail", "patch", TOKEN_UPDATE, "ac_log", lambda o: {"notes": "清洗冷卻水塔"}
    ),
    _token_row("ac-log-detail", "delete", TOKEN_DELETE, "ac_log"),
    _token_row("boiler-log-list", "get", TOKEN_LIST),
    _token_row("boiler-log-list", "post", TOKEN_CREATE_UNDER_OWNER, data=boiler_log_payload),
    _token_row("boiler-log-detail", "get", TOKEN_RETRIEVE, "boiler_log"),
    _token_row(
        "boiler-log-detail", "patch", TOKEN_UPDATE, "boiler_log", lambda o: {"notes": "調整風門"}
    ),
    _token_row("boiler-log-detail", "delete", TOKEN_DELETE, "boiler_log"),
    # Memberships are read-only: they come from registration and approved claims.
    _token_row("membership-list", "get", TOKEN_LIST),
    _token_row(
        "membership-list",
        "post",
        api_statuses(
            405, inspector=403, supplier=403, programme_officer=403, api_client=403, anonymous=401
        ),
        data=lambda o: {"user": o["owner_id"], "business": o["api_third_business"]},
    ),
    _token_row("membership-detail", "get", TOKEN_RETRIEVE, "membership"),
    _token_row("membership-detail", "patch", TOKEN_NOT_ALLOWED, "membership", {"business": 1}),
    _token_row("membership-detail", "delete", TOKEN_NOT_ALLOWED, "membership"),
    # Claims: the claimant and administrators see a claim; only business users claim;
    # only administrators decide.
    _token_row("claim-list", "get", TOKEN_LIST),
    _token_row(
        "claim-list",
        "post",
        api_statuses(403, owner=201, other_owner=201, anonymous=401),
        data=claim_payload,
    ),
    _token_row(
        "claim-detail",
        "get",
        api_statuses(404, administrator=200, owner=200, anonymous=401),
        "api_claim",
    ),
    _token_row("claim-detail", "patch", TOKEN_NOT_ALLOWED, "api_claim", {"status": "approved"}),
    _token_row("claim-detail", "delete", TOKEN_NOT_ALLOWED, "api_claim"),
    _token_row(
        "claim-decide",
        "post",
        api_statuses(404, administrator=200, owner=403, anonymous=401),
        "api_claim",
        {"approve": True, "reason": "Checked the company register."},
    ),
    # Exemptions: businesses (for their own premises) and administrators request them;
    # only administrators decide and revoke.
    _token_row("exemption-list", "get", TOKEN_LIST),
    _token_row("exemption-list", "post", TOKEN_CREATE_UNDER_OWNER, data=exemption_payload),
    _token_row("exemption-detail", "get", TOKEN_RETRIEVE, "api_exemption"),
    _token_row(
        "exemption-detail", "patch", TOKEN_NOT_ALLOWED, "api_exemption", {"status": "approved"}
    ),
    _token_row("exemption-detail", "delete", TOKEN_NOT_ALLOWED, "api_exemption"),
    _token_row(
        "exemption-decide",
        "post",
        {**TOKEN_UPDATE, "owner": 403},
        "api_exemption",
        {"approve": True, "reason": "The gas company's letter was checked."},
    ),
    _token_row(
        "exemption-revoke",
        "post",
        {**TOKEN_UPDATE, "owner": 403},
        "api_approved_exemption",
        {"reason": "A gas main has been laid."},
    ),
    # The rule book: everyone reads published versions; administrators draft and publish;
    # any write to a published version is refused (403), administrators included.
    _token_row("rulebook-version-list", "get", TOKEN_LIST),
    _token_row(
        "rulebook-version-list",
        "post",
        api_statuses(403, administrator=201, anonymous=401),
        data={"title": "API draft"},
    ),
    _token_row("rulebook-version-in-force", "get", TOKEN_LIST),
    _token_row("rulebook-version-detail", "get", TOKEN_LIST, "rulebook"),
    _token_row("rulebook-version-detail", "get", TOKEN_DRAFT, "draft"),
    _token_row("rulebook-version-detail", "patch", TOKEN_DRAFT, "draft", {"title": "x"}),
    _token_row("rulebook-version-detail", "patch", TOKEN_FROZEN, "rulebook", {"title": "x"}),
    _token_row("rulebook-version-detail", "put", TOKEN_NOT_ALLOWED, "draft", {"title": "x"}),
    _token_row("rulebook-version-detail", "delete", {**TOKEN_DRAFT, "administrator": 204}, "draft"),
    _token_row("rulebook-version-detail", "delete", TOKEN_FROZEN, "rulebook"),
    _token_row("rulebook-version-publish", "post", TOKEN_DRAFT, "draft"),
    _token_row("rulebook-version-publish", "post", TOKEN_FROZEN, "rulebook"),
    # Tokens: everyone signed in manages their own, and sees no one else's.
    _token_row("token-list", "get", TOKEN_LIST),
    _token_row("token-list", "post", api_statuses(201, anonymous=401), data={"name": "ci"}),
    _token_row("token-detail", "get", TOKEN_OWN, "token"),
    _token_row("token-detail", "delete", {**TOKEN_OWN, "owner": 204}, "token"),
    _token_row("token-detail", "patch", TOKEN_NOT_ALLOWED, "token", {"name": "x"}),
    # Trading credentials for a token needs no prior authentication at all.
    _token_row(
        "auth-token",
        "post",
        api_statuses(201),
        data={"username": "owner1", "password": PASSWORD, "name": "cli"},
    ),
    _token_row("auth-token", "get", api_statuses(405)),
]

# The Django admin is guarded as a whole (tests/portal/test_users.py covers its roles).
COVERED_ELSEWHERE_PREFIXES = ("admin:",)


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_has_a_row():
    names = set(_url_names(get_resolver().url_patterns))
    missing = {name for name in names if not name.startswith(COVERED_ELSEWHERE_PREFIXES)} - {
        row.name for row in ROWS
    }
    assert not missing, f"URL patterns with no row in the permission matrix: {sorted(missing)}"


def test_every_row_names_every_role_and_a_known_authentication():
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row
        assert row.auth in {"session", "token"}, row
        assert row.auth == "session" or row.name.startswith("api:"), row


EXEMPTION = {
    "article": "5-3",
    "reason": "technical_impossibility",
    "explanation": "The meter room is being rebuilt.",
    "evidence": "Permit 115-0001.",
    "valid_from": date(2024, 1, 1),
}


def _inspection(premises, inspector) -> Inspection:
    inspection = Inspection.objects.create(premises=premises, scheduled_for=date(2099, 1, 1))
    InspectionAssignment.objects.create(inspection=inspection, user=inspector, role="lead")
    return inspection


def _personas() -> dict:
    """Every role's user (the usernames the builders look up), ``anonymous`` as None."""
    users = get_user_model().objects

    def user(username: str, role: str, **extra):
        return users.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            email=f"{username}@example.test",
            **extra,
        )

    return {
        "administrator": user("admin1", Role.ADMINISTRATOR, is_staff=True),
        "inspector": user("inspector1", Role.INSPECTOR),
        "owner": user("owner1", Role.BUSINESS),
        "other_owner": user("owner2", Role.BUSINESS),
        "supplier": user("supplier1", Role.ENERGY_SUPPLIER),
        "programme_officer": user("officer1", Role.PROGRAMME_OFFICER),
        "api_client": user("apiclient1", Role.API_CLIENT),
        "anonymous": None,
    }


def _objects(personas: dict) -> dict:
    owner, other_owner = personas["owner"], personas["other_owner"]
    inspector = personas["inspector"]
    business = make_business(members=[owner])
    premises = make_premises(business)
    make_premises(make_business(members=[other_owner]))  # other_owner's own business
    chiller = make_equipment(premises, EquipmentKind.CHILLER)
    boiler = make_equipment(premises, EquipmentKind.BOILER)
    token, _raw = ApiToken.generate(owner, "owner's token")
    assessment.assess_premises([premises.pk])  # so that it has a compliance decision
    # The token rows' own records: a business of the owner's with nothing under it (deleted
    # and replaced whole), a premises of the business with one item and no history (deleted),
    # a business the owner claimed, one nobody claimed, and an
    # exemption of another article to decide and to revoke.
    bare_business = make_business(members=[owner])
    bare_premises = make_premises(business)
    third_business = make_business()
    return {
        "owner_id": owner.pk,
        "business": business.pk,
        "premises": premises.pk,
        "equipment": chiller.pk,
        "boiler": boiler.pk,
        "ac_log": AcMonthlyLog.objects.create(
            equipment=chiller, month=date(2026, 1, 1), recorded_by="陳", ac_electricity_kwh=10
        ).pk,
        "boiler_log": BoilerMonthlyLog.objects.create(
            equipment=boiler,
            month=date(2026, 1, 1),
            recorded_by="林",
            air_volume_m3h=1,
            exhaust_temp_c=150,
            furnace_wall_temp_c=50,
            exhaust_co2_pct=10,
        ).pk,
        "membership": business.memberships.get(user=owner).pk,
        "claim": BusinessClaim.objects.create(
            user=other_owner, business=business, evidence="I manage it."
        ).pk,
        "token": token.pk,
        "batch": ImportBatch.objects.create(user=owner, content="premises_id,tag,kind\n").pk,
        "exemption": Exemption.objects.create(premises=premises, **EXEMPTION).pk,
        "approved_exemption": Exemption.objects.create(
            premises=premises, equipment=chiller, status="approved", **EXEMPTION
        ).pk,
        "rulebook": RuleBookVersion.objects.create(
            title="matrix: published",
            status="published",
            published_at=timezone.now(),
            effective_from=date(2000, 1, 1),
            parameters=params_to_dict(initial_parameters()),
        ).pk,
        "draft": RuleBookVersion.objects.create(
            title="matrix: draft",
            effective_from=date(2099, 1, 1),
            parameters=params_to_dict(initial_parameters()),
        ).pk,
        "inspection": _inspection(premises, inspector).pk,
        "inspection_batch": InspectionBatch.objects.create(title="matrix").pk,
        "calendar_day": CalendarDay.objects.create(
            day=date(2026, 12, 16),
            kind=CalendarDayKind.REST_DAY,
            name_zh="颱風停止上班",
            reason="matrix",
            declared_by=personas["administrator"],
        ).pk,
        "api_bare_business": bare_business.pk,
        "api_bare_premises": bare_premises.pk,
        "api_bare_equipment": make_equipment(bare_premises, EquipmentKind.SIGNBOARD).pk,
        "api_third_business": third_business.pk,
        "api_unclaimed_business": make_business().pk,
        "api_claim": BusinessClaim.objects.create(
            user=owner, business=third_business, evidence="經理"
        ).pk,
        "api_exemption": Exemption.objects.create(premises=premises, **API_EXEMPTION).pk,
        "api_approved_exemption": Exemption.objects.create(
            premises=premises, status="approved", **API_EXEMPTION
        ).pk,
        **visit_objects(premises, inspector),
        **report_objects(premises, inspector),
        **enforcement_objects(premises, owner),
        **service_team_objects(premises, owner),
        **scheme_objects(premises, owner),
        **energy_use_objects(premises),
        **data_order_objects(),
        **referral_objects(premises),
        **programme_page_objects(),
        **programme_api_objects(),
        "uid": "MQ",
        "token_value": "set-password",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the personas and every row's objects once for the module (tests/db.py).

    Each case runs in a savepoint, so whatever a request changes is undone before the next
    case. The files of the report and photo rows go to a temporary MEDIA_ROOT of the module.
    """
    media = tmp_path_factory.mktemp("matrix-media")
    # No Celery worker runs here: the readiness row's 503 comes after the health check's
    # wait for one, shortened from its 1.5 s (eight roles: 16 s of the suite's time).
    with built_once(
        django_db_blocker,
        MEDIA_ROOT=media,
        PASSWORD_HASHERS=FAST_HASHERS,
        HEALTH_TIMEOUT_SECONDS=0.1,
    ):
        personas = _personas()
        yield _objects(personas), _credentials(personas)


@dataclass(frozen=True)
class Credentials:
    """A persona's session (its cookie's value) and API token, made once for the module."""

    session: str
    token: str


def _credentials(personas: dict) -> dict[str, Credentials]:
    """Sign each persona in and give it a token once, not once per case (a case's own
    changes, a sign-out or a revoked token, are rolled back with its savepoint)."""
    credentials = {}
    for role, user in personas.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        _token, raw = ApiToken.generate(user, "matrix")
        credentials[role] = Credentials(client.cookies[settings.SESSION_COOKIE_NAME].value, raw)
    return credentials


def _cases():
    for row in ROWS:
        for role in ROLES:
            yield pytest.param(row, role, id=f"{row.auth}-{row.method}-{row.name}-{role}")


def _request(client, row: Row, credentials: Credentials | None, objects: dict, url: str):
    data = row.data(objects) if callable(row.data) else row.data
    if row.auth == "token":
        headers = {}
        if credentials is not None:
            headers["authorization"] = f"Token {credentials.token}"
        if row.method == "get":
            return client.get(url, headers=headers)
        body = json.dumps(data) if data else ""
        return client.generic(
            row.method.upper(), url, body, content_type="application/json", headers=headers
        )
    if credentials is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = credentials.session
    if row.method == "get":
        return client.get(url)
    if row.name.startswith("api:"):
        return getattr(client, row.method)(url, data, content_type="application/json")
    return getattr(client, row.method)(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_permission_matrix(client, world, row, role):
    objects, credentials = world
    args = [
        objects["token_value"]
        if name == "token" and row.name.startswith("password")
        else objects[name]
        for name in row.args
    ]
    url = reverse(row.name, args=args) + row.query

    response = _request(client, row, credentials.get(role), objects, url)

    assert response.status_code == row.expected[role], (
        f"{row.method.upper()} {url} as {role} ({row.auth}): {response.status_code}, "
        f"expected {row.expected[role]}: {response.content[:300]!r}"
    )
