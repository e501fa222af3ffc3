"""The compliance panels and tasks of the home page (registered with portal.home on start-up)."""

import datetime

from django.db import connection
from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import (
    AppealStatus,
    ClaimStatus,
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
)
from compliance.energy.models.suppliers import DataOrderStatus
from compliance.enforcement.texts import countdown
from compliance.models import (
    Appeal,
    BusinessClaim,
    DataOrder,
    Equipment,
    Fine,
    FinePayment,
    Premises,
    RectificationEvidence,
    RegistryFigure,
    Violation,
)
from compliance.registry.models.figures import EQUIPMENT_TOTAL, PREMISES_BY_DISTRICT
from compliance.registry.overview import business_user_summary
from portal.choices import Role
from portal.home import Task
from portal.permissions import can

# A business's active violations on its home page, nearest deadline first.
HOME_VIOLATIONS = 10


def home_panels(user) -> dict:
    """Return a business user's businesses, claims and violations, or the city's figures."""
    context: dict = {}
    if user.is_business_user:
        context["businesses"] = business_user_summary(user)
        context["claims"] = (
            BusinessClaim.objects.visible_to(user)
            .filter(status=ClaimStatus.PENDING)
            .select_related("business")
        )
        today = timezone.localdate()
        context["violations"] = [
            (violation, countdown(violation, today))
            for violation in Violation.objects.visible_to(user)
            .active()
            .select_related("premises")
            .order_by("deadline", "id")[:HOME_VIOLATIONS]
        ]
    elif user.is_administrator or user.is_inspector or user.is_read_only:
        # The city's registry figures, for those who work on or read the whole registry
        # (not programme officers or energy suppliers: nothing of it is theirs).
        context["city_figures"] = True
        context.update(city_figures())
    if can(user, "registry.decide_claim"):
        context["pending_claims"] = BusinessClaim.objects.filter(status=ClaimStatus.PENDING).count()
    return context


def city_figures() -> dict:
    """The whole registry's premises (by district) and equipment, in one query.

    On PostgreSQL the triggers keep them (:mod:`compliance.registry.models.figures`), so
    the home page no longer counts 100,000 premises and 600,000 items at each visit; the
    SQLite development database counts them live.
    """
    if connection.vendor == "postgresql":
        rows = [
            {"figure": figure, "district": key, "total": value}
            for figure, key, value in RegistryFigure.objects.filter(
                figure__in=[PREMISES_BY_DISTRICT, EQUIPMENT_TOTAL]
            )
            .order_by("figure", "key")
            .values_list("figure", "key", "value")
        ]
        equipment_total = sum(r["total"] for r in rows if r["figure"] == EQUIPMENT_TOTAL)
        by_district = [r for r in rows if r["figure"] == PREMISES_BY_DISTRICT and r["total"]]
    else:
        equipment_total = Equipment.objects.count()
        by_district = list(
            Premises.objects.values("district").annotate(total=Count("id")).order_by("district")
        )
    district_labels = dict(Premises._meta.get_field("district").choices)
    for row in by_district:
        row["label"] = district_labels.get(row["district"], row["district"])
    return {
        "premises_total": sum(row["total"] for row in by_district),
        "equipment_total": equipment_total,
        "by_district": by_district,
    }


# How many of a user's own rows a task links one by one (a decision to open, a payment).
TASK_LINKS = 5
# "Deadlines this week": the running deadlines of the next seven days, today included.
WEEK_DAYS = 7


def home_tasks(user) -> list[Task]:
    """Return the enforcement and data-order work waiting for ``user``, by role.

    The City's staff get the queues (small sets: rows in a waiting state); a business or
    an energy supplier its own cases only. A constant number of queries, whatever the
    number of rows.
    """
    if user.is_business_user or user.role == Role.ENERGY_SUPPLIER:
        return _party_tasks(user)
    return _staff_tasks(user)


def _staff_tasks(user) -> list[Task]:
    """Payments to confirm, evidence to review, proposals, appeals, decisions to serve."""
    tasks: list[Task] = []
    queue = reverse("enforcement-review-queue")
    today = timezone.localdate()
    if can(user, "enforcement.decide_payment"):
        tasks.append(
            Task(
                key="payments_to_confirm",
                label=_("payments to confirm"),
                count=FinePayment.objects.filter(status=PaymentStatus.REPORTED).count(),
                url=queue,
            )
        )
    if can(user, "enforcement.review_evidence"):
        tasks.append(
            Task(
                key="evidence_to_review",
                label=_("evidence to review"),
                count=RectificationEvidence.objects.visible_to(user)
                .filter(status=EvidenceStatus.SUBMITTED)
                .count(),
                url=queue,
            )
        )
    sees_proposals = can(user, "enforcement.see_proposals")
    serves = can(user, "enforcement.record_service")
    if sees_proposals or serves:
        # One query over the two small sets (the partial index fine_proposed, the status
        # index for issued decisions not served).
        proposed = Q(status=FineStatus.PROPOSED)
        unserved = Q(status=FineStatus.ISSUED, served_on__isnull=True)
        figures = Fine.objects.filter(proposed | unserved).aggregate(
            proposed=Count("id", filter=proposed), unserved=Count("id", filter=unserved)
        )
        if sees_proposals:
            decides = can(user, "enforcement.decide_fine")
            tasks.append(
                Task(
                    key="proposals_to_decide" if decides else "proposals_awaiting",
                    label=(
                        _("proposed fines to decide")
                        if decides
                        else _("proposed fines awaiting an official's decision")
                    ),
                    count=figures["proposed"],
                    url=reverse("enforcement-proposal-list"),
                    action=decides,
                )
            )
    if can(user, "enforcement.decide_appeal"):
        appeals = Appeal.objects.filter(status=AppealStatus.FILED).aggregate(
            total=Count("id"), overdue=Count("id", filter=Q(forward_by__lt=today))
        )
        tasks.append(
            Task(
                key="appeals_to_forward",
                label=_("appeals to review and forward"),
                count=appeals["total"],
                url=f"{queue}#appeals",
                overdue=appeals["overdue"],
            )
        )
    if serves:
        # The oldest decisions still to serve, each to its case page (the service form).
        oldest = Fine.objects.awaiting_service().order_by("issued_on", "id")[:TASK_LINKS]
        tasks.append(
            Task(
                key="decisions_to_serve",
                label=_("decisions awaiting service"),
                count=figures["unserved"],
                links=tuple(
                    (number, reverse("enforcement-violation-detail", args=[violation_id]))
                    for number, violation_id in oldest.values_list(
                        "document_number", "violation_id"
                    )
                ),
            )
        )
    return tasks


def _party_tasks(user) -> list[Task]:
    """A business's or an energy supplier's own cases: deadlines, decisions, payments."""
    today = timezone.localdate()
    tasks: list[Task] = []
    violations = Violation.objects.visible_to(user).active()
    if user.is_business_user:
        week = violations.filter(
            deadline__gte=today, deadline__lt=today + datetime.timedelta(days=WEEK_DAYS)
        )
        tasks.append(
            _listed(
                "deadlines_this_week",
                _("deadlines in the next 7 days"),
                week.select_related("premises").order_by("deadline", "id"),
                lambda row: (
                    f"{row.get_article_display()} · {row.premises.name} · "
                    f"{row.deadline.isoformat()}",
                    reverse("enforcement-violation-detail", args=[row.pk]),
                ),
                url=reverse("enforcement-violation-list"),
            )
        )
        # Decisions issued and not served to a business that agreed to electronic
        # service: opening one serves it.
        to_open = Fine.objects.visible_to(user).filter(
            status=FineStatus.ISSUED,
            served_on__isnull=True,
            violation__premises__business__electronic_service_since__isnull=False,
        )
        tasks.append(
            _listed(
                "decisions_to_open",
                _("decisions to open"),
                to_open.order_by("issued_on", "id"),
                lambda fine: (
                    fine.document_number,
                    reverse("enforcement-fine-decision", args=[fine.pk]),
                ),
            )
        )
    owed = (
        Fine.objects.visible_to(user)
        .outstanding()
        .filter(served_on__isnull=False)
        .exclude(payments__status=PaymentStatus.REPORTED)
        .order_by("issued_on", "id")
    )
    tasks.append(
        _listed(
            "payments_owed",
            _("fines to pay"),
            owed,
            lambda fine: (
                fine.document_number,
                reverse("enforcement-violation-detail", args=[fine.violation_id]),
            ),
        )
    )
    appeals = (
        Appeal.objects.visible_to(user)
        .filter(status__in=[AppealStatus.FILED, AppealStatus.FORWARDED])
        .select_related("fine")
        .order_by("received_on", "id")
    )
    tasks.append(
        _listed(
            "appeals_in_progress",
            _("appeals in progress"),
            appeals,
            lambda appeal: (
                f"{appeal.fine.document_number} · {appeal.get_status_display()}",
                reverse("enforcement-violation-detail", args=[appeal.fine.violation_id]),
            ),
            action=False,
        )
    )
    if user.role == Role.ENERGY_SUPPLIER:
        orders = (
            DataOrder.objects.visible_to(user)
            .filter(status=DataOrderStatus.OPEN)
            .aggregate(total=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
        )
        tasks.append(
            Task(
                key="data_orders_due",
                label=_("data orders due"),
                count=orders["total"],
                url=reverse("data-order-list") + "?status=open",
                overdue=orders["overdue"],
            )
        )
        tasks.append(
            Task(
                key="art18_cases",
                label=_("your Art. 18 cases"),
                count=violations.count(),
                url=reverse("enforcement-violation-list"),
            )
        )
    return tasks


def _listed(key, label, rows, link, *, url: str = "", action: bool = True) -> Task:
    """A task over a handful of the user's own rows: the first few linked, all counted.

    One query: the total is a window over the rows, read on the first of them.
    """
    first = list(rows.annotate(total=Window(Count("id")))[:TASK_LINKS])
    return Task(
        key=key,
        label=label,
        count=first[0].total if first else 0,
        url=url,
        action=action,
        links=tuple(link(row) for row in first),
    )
