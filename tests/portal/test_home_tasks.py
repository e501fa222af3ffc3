"""The home page starts with "what needs you now": each role's tasks, counted and linked.

Per role, the right items with their counts and links; another role's items never; and
the same number of queries for one row of each kind as for fifty.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.choices import FineStatus
from compliance.energy.models.suppliers import DataOrder, DataOrderStatus
from compliance.models import (
    Appeal,
    Business,
    Fine,
    FinePayment,
    RectificationEvidence,
    RuleBookVersion,
)
from tests.deciding import at_noon, official
from tests.enforcement.builders import served_fine
from tests.factories import ensure_rulebook, make_violation
from tests.inspections.visit_builders import make_inspection

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
TASK = re.compile(r'<div class="card home-task" data-task="([a-z0-9_]+)" data-count="(\d+)"')
STAFF_KEYS = {
    "payments_to_confirm",
    "evidence_to_review",
    "proposals_to_decide",
    "proposals_awaiting",
    "appeals_to_forward",
    "decisions_to_serve",
    "visits_today",
    "visits_coming",
}
PARTY_KEYS = {
    "deadlines_this_week",
    "decisions_to_open",
    "payments_owed",
    "appeals_in_progress",
    "data_orders_due",
    "art18_cases",
}


def _home(client, user) -> tuple[dict[str, int], str]:
    client.force_login(user)
    with at_noon(TODAY):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    return {key: int(count) for key, count in TASK.findall(content)}, content


def _card(content: str, key: str) -> str:
    """The markup of one task's card (up to the next card, or the end of the page)."""
    start = content.index(f'data-task="{key}"')
    end = content.find('<div class="card home-task"', start)
    return content[start : end if end != -1 else None]


def _fine(premises, **changes) -> Fine:
    _, fine = served_fine(premises)
    Fine.objects.filter(pk=fine.pk).update(**changes)
    fine.refresh_from_db()
    return fine


def _enforcement_rows(premises, owner, n: int) -> dict[str, list]:
    """``n`` rows of each kind waiting for someone, all of ``premises``'s business."""
    Business.objects.filter(pk=premises.business_id).update(electronic_service_since=timezone.now())
    rows: dict[str, list] = {
        key: [] for key in ("payment", "evidence", "proposal", "appeal", "unserved", "deadline")
    }
    for i in range(n):
        paid = _fine(premises)
        FinePayment.objects.create(
            fine=paid, amount_ntd=100, paid_on=TODAY, reference=f"R-{i}", reported_by=owner
        )
        rows["payment"].append(paid)
        # Its deadline passed: evidence submitted late is not a deadline of this week.
        violation = make_violation(premises, found_on=TODAY - datetime.timedelta(days=30))
        RectificationEvidence.objects.create(violation=violation, description="replaced")
        rows["evidence"].append(violation)
        rows["proposal"].append(
            _fine(
                premises,
                status=FineStatus.PROPOSED,
                document_number=None,
                issued_on=None,
                served_on=None,
                new_deadline=None,
                appeal_until=None,
            )
        )
        appealed = _fine(premises)
        Appeal.objects.create(
            fine=appealed,
            grounds="too much",
            received_on=TODAY - datetime.timedelta(days=25),
            forward_by=TODAY - datetime.timedelta(days=5),
        )
        rows["appeal"].append(appealed)
        rows["unserved"].append(
            _fine(premises, served_on=None, new_deadline=None, appeal_until=None)
        )
        rows["deadline"].append(
            make_violation(
                premises,
                found_on=TODAY - datetime.timedelta(days=10),
                deadline=TODAY + datetime.timedelta(days=3),
            )
        )
    return rows


def test_an_official_sees_every_queue_with_its_count_and_link(client, premises, owner):
    decider = official()
    _enforcement_rows(premises, owner, 2)

    tasks, content = _home(client, decider)

    assert tasks == {
        "payments_to_confirm": 2,
        "evidence_to_review": 2,
        "proposals_to_decide": 2,
        "appeals_to_forward": 2,
        "decisions_to_serve": 2,
        "applications_to_review": 0,  # subsidies (a scheme officer's)
    }
    assert not set(tasks) & PARTY_KEYS
    assert content.index("home-tasks-title") < content.index("premises registered")
    queue = reverse("enforcement-review-queue")
    assert f'href="{queue}" class="task-action"' in _card(content, "payments_to_confirm")
    assert f'href="{queue}" class="task-action"' in _card(content, "evidence_to_review")
    assert f'href="{reverse("enforcement-proposal-list")}" class="task-action"' in _card(
        content, "proposals_to_decide"
    )
    appeals = _card(content, "appeals_to_forward")
    assert f'href="{queue}#appeals"' in appeals and "2 overdue" in appeals
    to_serve = Fine.objects.awaiting_service().order_by("issued_on", "id")
    serve_card = _card(content, "decisions_to_serve")
    for fine in to_serve:
        assert reverse("enforcement-violation-detail", args=[fine.violation_id]) in serve_card
        assert fine.document_number in serve_card


def test_an_administrator_without_the_permission_sees_proposals_without_the_call(
    client, premises, owner, administrator
):
    _enforcement_rows(premises, owner, 1)

    tasks, content = _home(client, administrator)

    assert "proposals_to_decide" not in tasks
    assert not set(tasks) & PARTY_KEYS
    assert tasks["proposals_awaiting"] == 1
    card = _card(content, "proposals_awaiting")
    assert "task-action" not in card
    assert "proposed fines to decide" not in content


def test_an_inspector_sees_visits_and_evidence_not_the_administrators_queues(
    client, premises, owner, inspector, make_user
):
    _enforcement_rows(premises, owner, 1)
    colleague = make_user("inspector2", "inspector")
    for day, lead in (
        (TODAY - datetime.timedelta(days=2), inspector),  # overdue
        (TODAY, inspector),
        (TODAY, inspector),
        (TODAY + datetime.timedelta(days=5), inspector),
        (TODAY + datetime.timedelta(days=14), inspector),
        (TODAY + datetime.timedelta(days=15), inspector),  # beyond the window
        (TODAY, colleague),  # someone else's
    ):
        make_inspection(premises, lead=lead, day=day)
    # With a colleague on the team: still one visit of the inspector's.
    make_inspection(premises, lead=inspector, others=[colleague], day=TODAY)

    tasks, content = _home(client, inspector)

    assert tasks == {"evidence_to_review": 1, "visits_today": 3, "visits_coming": 2}
    assert not set(tasks) & PARTY_KEYS
    today_card = _card(content, "visits_today")
    assert f'href="{reverse("inspection-agenda")}#agenda-today"' in today_card
    assert "1 overdue" in today_card
    assert f'href="{reverse("inspection-agenda")}#agenda-coming"' in _card(content, "visits_coming")


def test_a_business_sees_its_deadlines_decisions_payments_and_appeals(
    client, premises, owner, other_premises, other_owner
):
    rows = _enforcement_rows(premises, owner, 2)
    _enforcement_rows(other_premises, other_owner, 1)  # another business's: never counted

    tasks, content = _home(client, owner)

    assert tasks == {
        "deadlines_this_week": 2,
        "decisions_to_open": 2,
        "payments_owed": 2,  # the appealed decisions (the paid ones await confirmation)
        "appeals_in_progress": 2,
    }
    assert not set(tasks) & STAFF_KEYS
    opening = _card(content, "decisions_to_open")
    for fine in rows["unserved"]:
        assert reverse("enforcement-fine-decision", args=[fine.pk]) in opening
    deadlines = _card(content, "deadlines_this_week")
    for violation in rows["deadline"]:
        assert reverse("enforcement-violation-detail", args=[violation.pk]) in deadlines
    owed = _card(content, "payments_owed")
    for fine in rows["appeal"]:
        assert reverse("enforcement-violation-detail", args=[fine.violation_id]) in owed


def test_decisions_to_open_need_the_agreement_to_electronic_service(client, premises, owner):
    _enforcement_rows(premises, owner, 1)
    Business.objects.filter(pk=premises.business_id).update(electronic_service_since=None)

    tasks, _ = _home(client, owner)

    assert tasks["decisions_to_open"] == 0


def test_an_energy_supplier_sees_its_data_orders_and_art18_cases(
    client, supplier, premises, owner, make_user
):
    ensure_rulebook()
    version = RuleBookVersion.objects.published().order_by("effective_from").first()
    other = make_user("supplier2", "energy_supplier")
    for who, deadline, status in (
        (supplier, TODAY - datetime.timedelta(days=1), DataOrderStatus.OPEN),
        (supplier, TODAY + datetime.timedelta(days=9), DataOrderStatus.OPEN),
        (supplier, TODAY - datetime.timedelta(days=30), DataOrderStatus.FULFILLED),
        (other, TODAY + datetime.timedelta(days=9), DataOrderStatus.OPEN),
    ):
        DataOrder.objects.create(
            supplier=who,
            energy_type="electricity",
            period_from=datetime.date(2026, 1, 1),
            period_to=datetime.date(2026, 6, 1),
            deadline=deadline,
            status=status,
            rulebook_version=version,
        )
    _enforcement_rows(premises, owner, 1)  # a business's cases: not the supplier's

    tasks, content = _home(client, supplier)

    assert tasks == {
        "payments_owed": 0,
        "appeals_in_progress": 0,
        "data_orders_due": 2,
        "art18_cases": 0,
    }
    orders = _card(content, "data_orders_due")
    assert f'href="{reverse("data-order-list")}?status=open"' in orders
    assert "1 overdue" in orders


def test_a_programme_officer_sees_proposals_and_applications_to_review_only(
    client, programme_officer, premises, owner
):
    _enforcement_rows(premises, owner, 1)

    tasks, content = _home(client, programme_officer)

    assert tasks == {"applications_to_review": 0, "projects_under_review": 0}
    assert reverse("programme-project-list") in _card(content, "projects_under_review")


@pytest.mark.parametrize("who", ["official", "inspector", "owner"])
def test_the_home_page_takes_as_many_queries_for_fifty_rows_as_for_one(
    client, request, premises, owner, inspector, who
):
    user = official() if who == "official" else request.getfixturevalue(who)

    def queries() -> int:
        client.force_login(user)
        with at_noon(TODAY), CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    _enforcement_rows(premises, owner, 1)
    make_inspection(premises, lead=inspector, day=TODAY)
    one = queries()
    _enforcement_rows(premises, owner, 49)
    for _ in range(49):
        make_inspection(premises, lead=inspector, day=TODAY + datetime.timedelta(days=1))
    tasks, _ = _home(client, user)

    assert queries() == one
    assert max(tasks.values()) == 50
