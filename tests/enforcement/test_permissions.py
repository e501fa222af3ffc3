"""The enforcement rules of ``portal.permissions``: role × state → allowed.

Without an object a rule answers for the role (the POST pages and the API refuse on it);
with one, for the object in its state (the violation's page offers its forms on it). The
objects here are stand-ins carrying only what the rules read; ``act_for_business`` with a
row also asks the database whether the user sees it.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.utils import timezone

from compliance.choices import (
    AppealStatus,
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
    ViolationStatus,
)
from portal import permissions
from portal.choices import Role
from portal.permissions import UnknownAction, can
from tests.factories import make_business, make_premises, make_violation
from tests.permission_users import (
    ADMIN,
    API,
    BUSINESS,
    INACTIVE_ADMIN,
    INSPECTOR,
    OFFICER,
    SUPERUSER,
    SUPPLIER,
    allowed_among,
    stand_in,
)

ROLES = (ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API, SUPERUSER, INACTIVE_ADMIN)
SUPPLIER_PK = 41


def user(kind: str):
    return stand_in(kind, {SUPERUSER: 1, INACTIVE_ADMIN: 2, SUPPLIER: SUPPLIER_PK}.get(kind, 3))


def allowed(*kinds):
    return allowed_among(ROLES, *kinds)


# The role alone (no object): who passes each rule.
BY_ROLE = {
    "enforcement.act_for_business": allowed(ADMIN, BUSINESS, SUPPLIER, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.submit_evidence": allowed(ADMIN, BUSINESS, SUPPLIER, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.report_payment": allowed(ADMIN, BUSINESS, SUPPLIER, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.file_appeal": allowed(ADMIN, BUSINESS, SUPPLIER, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.respond": allowed(BUSINESS),
    # APenA Art. 42: only the violation's own side states its opinion, never the City for it.
    "enforcement.state_opinion": allowed(BUSINESS, SUPPLIER),
    "enforcement.review_evidence": allowed(ADMIN, INSPECTOR, SUPERUSER),
    "enforcement.decide_payment": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.decide_appeal": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.record_appeal_decision": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.suspend_payment": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.cancel": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.retry_document": allowed(ADMIN, SUPERUSER),
    "enforcement.see_dashboard": allowed(ADMIN, INSPECTOR, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.run_sweep": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.declare_working_day": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "enforcement.see_proposals": allowed(ADMIN, SUPERUSER),
    # Deciding a fine is a person's authority: the permission, not the administrator role.
    "enforcement.decide_fine": allowed(SUPERUSER),
    "enforcement.record_service": allowed(ADMIN, SUPERUSER),
    "enforcement.electronic_service": allowed(BUSINESS),
}


@pytest.mark.parametrize(
    ("kind", "granted", "expected"),
    [
        (ADMIN, {"compliance.decide_fine"}, True),
        (ADMIN, {"compliance.change_fine"}, False),
        (INACTIVE_ADMIN, {"compliance.decide_fine"}, False),
        (INSPECTOR, {"compliance.decide_fine"}, False),
        (BUSINESS, {"compliance.decide_fine"}, False),
    ],
)
def test_only_an_official_granted_the_permission_decides_fines(kind, granted, expected):
    official = stand_in(kind, 7, permissions=frozenset(granted))
    assert can(official, "enforcement.decide_fine") is expected


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in BY_ROLE.items() for kind, ok in row.items()],
)
def test_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


def test_every_enforcement_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("enforcement.")}
    assert names == set(BY_ROLE)


@pytest.mark.parametrize("action", sorted(BY_ROLE))
def test_anonymous_may_do_nothing(action):
    assert can(AnonymousUser(), action) is False
    assert can(None, action) is False


def test_an_unknown_action_raises():
    with pytest.raises(UnknownAction):
        can(user(ADMIN), "enforcement.no_such_rule")
    with pytest.raises(UnknownAction):
        can(AnonymousUser(), "enforcement.pay")  # never a silent False


def test_a_name_is_registered_once():
    with pytest.raises(ValueError):
        permissions.rule("enforcement.cancel")(lambda user, obj=None: True)


# --- With an object: role × state -----------------------------------------------------

TODAY = timezone.localdate()


def violation(status=ViolationStatus.OPEN, *, supplier_id=None, fined_directly=False):
    return SimpleNamespace(
        status=status,
        supplier_id=supplier_id,
        is_active=status in (ViolationStatus.OPEN, ViolationStatus.FINED),
        fined_directly=fined_directly,
        concerns_supplier=supplier_id is not None,
    )


class _Payments(list):
    def all(self):
        return self


def fine(
    status=FineStatus.ISSUED, *, outstanding=True, appeal=None, appeal_until=TODAY, payments=()
):
    return SimpleNamespace(
        status=status,
        is_outstanding=outstanding,
        appeal=appeal,
        appeal_until=appeal_until,
        payments=_Payments(SimpleNamespace(status=status) for status in payments),
    )


STATE_CASES = [
    # (action, object, {kind: allowed})
    # Cancelling follows the transition table.
    *[
        ("enforcement.cancel", violation(status), allowed(ADMIN) if ok else allowed())
        for status, ok in (
            (ViolationStatus.OPEN, True),
            (ViolationStatus.FINED, True),
            (ViolationStatus.RECTIFIED, True),
            (ViolationStatus.CLOSED, False),
            (ViolationStatus.CANCELLED, False),
        )
    ],
    # Evidence is reviewed while it waits.
    *[
        (
            "enforcement.review_evidence",
            SimpleNamespace(status=status),
            allowed(ADMIN, INSPECTOR) if status == EvidenceStatus.SUBMITTED else allowed(),
        )
        for status in EvidenceStatus
    ],
    # Payments are decided while reported; appeals reviewed (or forwarded) while filed,
    # the appeal body's decision recorded once forwarded.
    *[
        (
            "enforcement.decide_payment",
            SimpleNamespace(status=status),
            allowed(ADMIN) if status == PaymentStatus.REPORTED else allowed(),
        )
        for status in PaymentStatus
    ],
    *[
        (
            "enforcement.decide_appeal",
            SimpleNamespace(status=status),
            allowed(ADMIN) if status == AppealStatus.FILED else allowed(),
        )
        for status in AppealStatus
    ],
    *[
        (
            "enforcement.record_appeal_decision",
            SimpleNamespace(status=status),
            allowed(ADMIN) if status == AppealStatus.FORWARDED else allowed(),
        )
        for status in AppealStatus
    ],
    # A suspension of payment is recorded while the appeal is pending, lifted once recorded.
    *[
        (
            "enforcement.suspend_payment",
            SimpleNamespace(status=status, payment_suspended_on=suspended),
            allowed(ADMIN)
            if suspended or status in (AppealStatus.FILED, AppealStatus.FORWARDED)
            else allowed(),
        )
        for status in AppealStatus
        for suspended in (None, TODAY)
    ],
    # A payment is reported for a fine still owed.
    ("enforcement.report_payment", fine(), allowed(ADMIN, BUSINESS, SUPPLIER)),
    ("enforcement.report_payment", fine(FineStatus.PAID, outstanding=False), allowed()),
    # Not again while a reported payment awaits confirmation; after a rejection, yes.
    ("enforcement.report_payment", fine(payments=[PaymentStatus.REPORTED]), allowed()),
    (
        "enforcement.report_payment",
        fine(payments=[PaymentStatus.REJECTED]),
        allowed(ADMIN, BUSINESS, SUPPLIER),
    ),
    # An appeal: not appealed yet, not revoked, within its period (the last day included).
    ("enforcement.file_appeal", fine(), allowed(ADMIN, BUSINESS, SUPPLIER)),
    (
        "enforcement.file_appeal",
        fine(FineStatus.PAID, outstanding=False),
        allowed(ADMIN, BUSINESS, SUPPLIER),
    ),
    ("enforcement.file_appeal", fine(FineStatus.REVOKED), allowed()),
    ("enforcement.file_appeal", fine(appeal=SimpleNamespace()), allowed()),
    (
        "enforcement.file_appeal",
        fine(appeal_until=TODAY - datetime.timedelta(days=1)),
        allowed(),
    ),
    # Evidence rectifies an active violation, not an Art. 17 refusal nor an Art. 18 case.
    ("enforcement.submit_evidence", violation(), allowed(ADMIN, BUSINESS, SUPPLIER)),
    (
        "enforcement.submit_evidence",
        violation(ViolationStatus.FINED),
        allowed(ADMIN, BUSINESS, SUPPLIER),
    ),
    ("enforcement.submit_evidence", violation(ViolationStatus.RECTIFIED), allowed()),
    ("enforcement.submit_evidence", violation(ViolationStatus.CLOSED), allowed()),
    ("enforcement.submit_evidence", violation(fined_directly=True), allowed()),
    ("enforcement.submit_evidence", violation(supplier_id=SUPPLIER_PK), allowed()),
    # The violation's own side: its business's members, or the supplier of its own case.
    ("enforcement.respond", violation(), allowed(BUSINESS)),
    ("enforcement.respond", violation(supplier_id=SUPPLIER_PK), allowed(BUSINESS, SUPPLIER)),
    ("enforcement.respond", violation(supplier_id=SUPPLIER_PK + 1), allowed(BUSINESS)),
]


@pytest.mark.parametrize(
    ("action", "obj", "kind", "expected"),
    [
        (action, obj, kind, row[kind])
        for action, obj, row in STATE_CASES
        for kind in (ADMIN, INSPECTOR, BUSINESS, SUPPLIER, OFFICER, API)
    ],
)
def test_rule_by_role_and_state(action, obj, kind, expected):
    assert can(user(kind), action, obj) is expected


# --- act_for_business with a row: the user must also see it -----------------------------


@pytest.mark.django_db
def test_act_for_business_asks_whether_the_row_is_visible(make_user, administrator):
    owner = make_user("owner", Role.BUSINESS)
    stranger = make_user("stranger", Role.BUSINESS)
    inspector = make_user("inspector1", Role.INSPECTOR)
    row = make_violation(make_premises(make_business(members=[owner])))
    make_business(members=[stranger])
    assert can(owner, "enforcement.act_for_business", row)
    assert can(administrator, "enforcement.act_for_business", row)
    assert not can(stranger, "enforcement.act_for_business", row)
    assert not can(inspector, "enforcement.act_for_business", row)


# --- Templates ask the same rules -------------------------------------------------------


@pytest.mark.parametrize("kind", [ADMIN, INSPECTOR, BUSINESS])
def test_templates_ask_the_rules(kind):
    template = Template(
        '{% load permissions %}{% if user|can:"enforcement.decide_payment" %}decide{% endif %}|'
        '{% can "enforcement.cancel" user violation as may_cancel %}{{ may_cancel }}'
    )
    rendered = template.render(Context({"user": user(kind), "violation": violation()}))
    assert rendered == ("decide|True" if kind == ADMIN else "|False")


def test_a_template_asking_an_unknown_rule_fails():
    with pytest.raises(UnknownAction):
        Template('{% load permissions %}{{ user|can:"enforcement.nope" }}').render(
            Context({"user": user(ADMIN)})
        )


# --- The Art. 12-2 data orders and referrals (compliance.energy.permissions) -------------

ENERGY_BY_ROLE = {
    "energy.order_data": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "energy.cancel_data_order": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "energy.fulfil_data_order": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "energy.decide_referral": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "energy.match_accounts": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
}


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in ENERGY_BY_ROLE.items() for kind, ok in row.items()],
)
def test_energy_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


def test_every_energy_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("energy.")}
    assert names == set(ENERGY_BY_ROLE)


def _energy_state_cases():
    from compliance.energy.models.suppliers import DataOrderStatus, ReferralStatus

    for status in DataOrderStatus:
        order = SimpleNamespace(status=status)
        yield "energy.cancel_data_order", order, status == DataOrderStatus.OPEN
        yield (
            "energy.fulfil_data_order",
            order,
            status in (DataOrderStatus.OPEN, DataOrderStatus.MISSED),
        )
    for status in ReferralStatus:
        referral = SimpleNamespace(status=status)
        yield "energy.decide_referral", referral, status == ReferralStatus.SUBMITTED


@pytest.mark.parametrize(("action", "obj", "open_to_administrators"), list(_energy_state_cases()))
@pytest.mark.parametrize("kind", [ADMIN, INSPECTOR, BUSINESS, SUPPLIER, API])
def test_energy_rule_by_role_and_state(action, obj, open_to_administrators, kind):
    assert can(user(kind), action, obj) is (open_to_administrators and kind == ADMIN)


# --- Inspection reports (inspections.permissions) ---------------------------------------

INSPECTIONS_BY_ROLE = {
    "inspections.render_report": allowed(ADMIN, INSPECTOR, SUPERUSER),
    "inspections.force_render": allowed(ADMIN, SUPERUSER),
    # Planning (with an inspection or an inspector: tests/inspections/test_planning_permissions.py).
    "inspections.read_all": allowed(ADMIN, INSPECTOR, API, SUPERUSER, INACTIVE_ADMIN),
    "inspections.plan": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "inspections.read_agenda": allowed(ADMIN, INSPECTOR, SUPERUSER, INACTIVE_ADMIN),
    "inspections.read_any_agenda": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
}


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [(action, kind, ok) for action, row in INSPECTIONS_BY_ROLE.items() for kind, ok in row.items()],
)
def test_inspections_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


def test_every_inspections_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("inspections.")}
    assert names == set(INSPECTIONS_BY_ROLE)


# --- The registry and the rule book (compliance.registry / compliance.rulebook) -------

REGISTRY_BY_ROLE = {
    "registry.write": allowed(ADMIN, BUSINESS, SUPERUSER, INACTIVE_ADMIN),
    "registry.claim_business": allowed(BUSINESS),
    "registry.decide_claim": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
}

RULEBOOK_BY_ROLE = {
    "rulebook.draft": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "rulebook.request_exemption": allowed(ADMIN, BUSINESS, SUPERUSER, INACTIVE_ADMIN),
    "rulebook.decide_exemption": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "rulebook.revoke_exemption": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
    "rulebook.reassess": allowed(ADMIN, SUPERUSER, INACTIVE_ADMIN),
}


@pytest.mark.parametrize(
    ("action", "kind", "expected"),
    [
        (action, kind, ok)
        for action, row in (REGISTRY_BY_ROLE | RULEBOOK_BY_ROLE).items()
        for kind, ok in row.items()
    ],
)
def test_registry_and_rulebook_rule_by_role(action, kind, expected):
    assert can(user(kind), action) is expected


@pytest.mark.parametrize("action", sorted(REGISTRY_BY_ROLE | RULEBOOK_BY_ROLE))
def test_anonymous_may_not_touch_the_registry_or_the_rulebook(action):
    assert can(AnonymousUser(), action) is False
    assert can(None, action) is False


def test_every_registry_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("registry.")}
    assert names == set(REGISTRY_BY_ROLE)


def test_every_rulebook_rule_is_in_the_table():
    names = {name for name in permissions.registered() if name.startswith("rulebook.")}
    assert names == set(RULEBOOK_BY_ROLE)
