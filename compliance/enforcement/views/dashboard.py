"""The administrators' enforcement dashboard: violations by status, fines issued and paid.

For city staff (administrators and inspectors): how many violations are open, overdue
(and of those, awaiting verification of non-rectification), fined, rectified, closed or
cancelled; the fines issued and how many of them are paid, as counts and NT$, by month
of issue (the last 12 months), by district and by penalty article; and the businesses
fined most often. The figures are maintained by the database as violations and fines
change (:mod:`compliance.enforcement.models.figures`) and read by
:func:`enforcement_figures`, so the page costs the same few queries, each over a few
rows, for a handful of fines or a city's worth; :func:`enforcement_charts` only lays
them out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from compliance.articles import article_label
from compliance.choices import District, FineStatus, ViolationStatus
from compliance.enforcement.models.fines import is_city_staff
from compliance.enforcement.views.violations import awaiting_verification_q
from compliance.models import (
    Business,
    DeadlineFigure,
    Fine,
    FineFigure,
    OffenderFigure,
    Violation,
    ViolationFigure,
)
from compliance.rules import STATUTORY_FINE_RANGE_NTD
from compliance.rules.lifecycle import ACTIVE_STATES
from portal.charts import Row, Series, bar_chart
from portal.views.mixins import RuleRequiredMixin

MONTHS_SHOWN = 12
REPEAT_OFFENDERS_SHOWN = 10
OVERDUE = "overdue"
# Overdue and not yet verified (no fine before a re-inspection or a check of the records).
AWAITING_VERIFICATION = "awaiting_verification"
# The cards at the top, in this order (overdue and awaiting verification are conditions
# of open and fined ones, not states).
VIOLATION_FIGURES = (
    ViolationStatus.OPEN,
    OVERDUE,
    AWAITING_VERIFICATION,
    ViolationStatus.FINED,
    ViolationStatus.RECTIFIED,
    ViolationStatus.CLOSED,
    ViolationStatus.CANCELLED,
)


@dataclass(frozen=True)
class FineTotals:
    """Fines of a group: issued, paid in full, still owed and revoked, as counts and NT$.

    ``issued_ntd`` is the amount decided; ``paid_ntd`` and ``outstanding_ntd`` the amount
    due (after an appeal) of the paid and the unpaid fines.
    """

    issued: int = 0
    issued_ntd: int = 0
    paid: int = 0
    paid_ntd: int = 0
    outstanding: int = 0
    outstanding_ntd: int = 0
    revoked: int = 0


FINE_TOTALS = {
    "issued": Count("pk"),
    "issued_ntd": Sum("amount_ntd", default=0),
    "paid": Count("pk", filter=Q(status=FineStatus.PAID)),
    "paid_ntd": Sum("amount_due_ntd", filter=Q(status=FineStatus.PAID), default=0),
    "outstanding": Count("pk", filter=Q(status=FineStatus.ISSUED)),
    "outstanding_ntd": Sum("amount_due_ntd", filter=Q(status=FineStatus.ISSUED), default=0),
    "revoked": Count("pk", filter=Q(status=FineStatus.REVOKED)),
}


def _grouped(fines, key: str) -> dict:
    """Return ``{key value: FineTotals}`` from one GROUP BY query."""
    rows = fines.values(key).annotate(**FINE_TOTALS).order_by()
    return {row.pop(key): FineTotals(**row) for row in rows}


def months_before(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    """Return the first days of the ``count`` months up to ``today``'s, oldest first."""
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def violation_counts(violations, today: datetime.date) -> dict[str, int]:
    """Count the violations by status, and the overdue ones, in one query."""
    counts = {status.value: Count("pk", filter=Q(status=status)) for status in ViolationStatus}
    counts[OVERDUE] = Count("pk", filter=Q(status__in=list(ACTIVE_STATES), deadline__lt=today))
    counts[AWAITING_VERIFICATION] = Count("pk", filter=awaiting_verification_q(today))
    return violations.order_by().aggregate(total=Count("pk"), **counts)


def enforcement_figures(user, today: datetime.date) -> dict:
    """Gather the dashboard's figures in a fixed number of queries.

    On PostgreSQL the whole city's figures are read from the rows the triggers maintain
    (:mod:`compliance.enforcement.models.figures`): a few rows, whatever the number of
    violations and fines. The dashboard is for city staff, who see every row; anyone
    else (and the SQLite development database) gets the same figures computed live.
    """
    if connection.vendor == "postgresql" and is_city_staff(user):
        return maintained_figures(today)
    return live_figures(user, today)


def _figure_totals(figures, key: str) -> dict:
    """Return ``{key value: FineTotals}`` from one GROUP BY over the maintained figures."""
    rows = figures.values(key).annotate(**FIGURE_TOTALS).order_by()
    return {row.pop(key): FineTotals(**row) for row in rows}


def _by_status(status: str) -> Q:
    return Q(status=status)


FIGURE_TOTALS = {
    "issued": Sum("fines", default=0),
    "issued_ntd": Sum("amount_ntd", default=0),
    "paid": Sum("fines", filter=_by_status(FineStatus.PAID), default=0),
    "paid_ntd": Sum("amount_due_ntd", filter=_by_status(FineStatus.PAID), default=0),
    "outstanding": Sum("fines", filter=_by_status(FineStatus.ISSUED), default=0),
    "outstanding_ntd": Sum("amount_due_ntd", filter=_by_status(FineStatus.ISSUED), default=0),
    "revoked": Sum("fines", filter=_by_status(FineStatus.REVOKED), default=0),
}


def maintained_figures(today: datetime.date) -> dict:
    """The city's figures from the maintained rows (seven queries, none over a big table).

    What depends on today (the overdue cases and those awaiting verification) is summed
    over the running violations' deadlines before it: a row a day.
    """
    months = months_before(today)
    fines = FineFigure.objects.filter(fines__gt=0)
    by_month = _figure_totals(fines.filter(month__gte=months[0]), "month")
    counts = {status.value: 0 for status in ViolationStatus}
    counts.update(ViolationFigure.objects.values_list("status", "violations"))
    counts["total"] = sum(counts.values())
    counts.update(
        DeadlineFigure.objects.filter(deadline__lt=today).aggregate(
            **{
                OVERDUE: Sum("violations", default=0),
                AWAITING_VERIFICATION: Sum("violations", filter=Q(unverified=True), default=0),
            }
        )
    )
    ranked = list(
        OffenderFigure.objects.filter(fines__gt=0)
        .select_related("business")
        .order_by("-fines", "-fines_ntd", "business__name_zh", "business_id")[
            :REPEAT_OFFENDERS_SHOWN
        ]
    )
    fined = dict(
        Fine.objects.filter(violation__premises__business__in=[row.business_id for row in ranked])
        .values_list("violation__premises__business")
        .annotate(violations=Count("violation", distinct=True))
        .order_by()
    )
    offenders = []
    for row in ranked:
        business = row.business
        business.fines_count = row.fines
        business.fines_ntd = row.fines_ntd
        business.outstanding_ntd = row.outstanding_ntd
        business.violations_fined = fined.get(row.business_id, 0)
        offenders.append(business)
    return {
        "today": today,
        "violations": counts,
        "months": months,
        "by_month": {month: by_month.get(month, FineTotals()) for month in months},
        "by_district": _figure_totals(fines, "district"),
        "by_article": _figure_totals(fines, "penalty_article"),
        "offenders": offenders,
    }


def live_figures(user, today: datetime.date) -> dict:
    """Gather the figures of the rows ``user`` sees from the rows themselves (five queries)."""
    fines = Fine.objects.visible_to(user)
    months = months_before(today)
    by_month = _grouped(
        fines.filter(issued_on__gte=months[0]).annotate(month=TruncMonth("issued_on")), "month"
    )
    offenders = list(
        Business.objects.visible_to(user)
        .annotate(
            fines_count=Count("premises__violations__fines"),
            violations_fined=Count("premises__violations__fines__violation", distinct=True),
            fines_ntd=Sum("premises__violations__fines__amount_ntd", default=0),
            outstanding_ntd=Sum(
                "premises__violations__fines__amount_due_ntd",
                filter=Q(premises__violations__fines__status=FineStatus.ISSUED),
                default=0,
            ),
        )
        .filter(fines_count__gt=0)
        .order_by("-fines_count", "-fines_ntd", "name_zh", "pk")[:REPEAT_OFFENDERS_SHOWN]
    )
    return {
        "today": today,
        "violations": violation_counts(Violation.objects.visible_to(user), today),
        "months": months,
        "by_month": {month: by_month.get(month, FineTotals()) for month in months},
        "by_district": _grouped(fines, "violation__premises__district"),
        "by_article": _grouped(fines, "penalty_article"),
        "offenders": offenders,
    }


def _violation_list_url(**query: str) -> str:
    return f"{reverse('enforcement-violation-list')}?{urlencode(query)}"


def violation_cards(figures: dict) -> list[dict]:
    """Return the figure cards: label, count and the violation list they link to."""
    labels = {
        **{status.value: status.label for status in ViolationStatus},
        ViolationStatus.OPEN.value: _("Open"),
        OVERDUE: _("Overdue"),
        AWAITING_VERIFICATION: _("Awaiting verification"),
    }
    queries = {OVERDUE: {"overdue": "on"}, AWAITING_VERIFICATION: {"awaiting_verification": "on"}}
    cards = []
    for key in VIOLATION_FIGURES:
        query = queries.get(key, {"status": key})
        cards.append(
            {
                "key": key,
                "label": str(labels[key]),
                "count": figures["violations"][key],
                "url": _violation_list_url(**query),
            }
        )
    return cards


FINE_SERIES_KEYS = ("paid", "outstanding", "revoked")


def _fine_series() -> tuple[Series, ...]:
    return (
        Series("paid", _("Paid"), "fill-ok"),
        Series("outstanding", _("Unpaid"), "fill-bad"),
        Series("revoked", _("Revoked on appeal"), "fill-none"),
    )


def _fine_row(label: str, totals: FineTotals, **kwargs) -> Row:
    return Row(label, tuple(getattr(totals, key) for key in FINE_SERIES_KEYS), **kwargs)


def table_rows(figures: dict) -> dict[str, list[tuple[str, FineTotals]]]:
    """Return the labelled rows of the three fine tables (month, district, article)."""
    return {
        "month": [
            (month.strftime("%Y-%m"), totals) for month, totals in figures["by_month"].items()
        ],
        "district": [
            (str(label), figures["by_district"].get(value, FineTotals()))
            for value, label in District.choices
        ],
        "article": [
            (article_label(article), figures["by_article"].get(article, FineTotals()))
            for article in STATUTORY_FINE_RANGE_NTD
        ],
    }


def enforcement_charts(figures: dict) -> list:
    """Return the dashboard's charts (each drawn with its table) from the figures."""
    rows = table_rows(figures)
    status_rows = [
        Row(
            str(status.label),
            (figures["violations"][status.value],),
            url=_violation_list_url(status=status.value),
        )
        for status in ViolationStatus
    ]
    series = _fine_series()
    desc = _(
        "One bar per %(group)s, as long as the number of fines issued, divided into paid, "
        "unpaid and revoked; the tables give the figures and the amounts in NT$."
    )
    return [
        bar_chart(
            "chart-violations",
            title=_("Violations by status"),
            desc=_(
                "One bar per status, as long as the number of violations with that status; "
                "the table beside gives the figures."
            ),
            label_header=_("Status"),
            series=(Series("violations", _("Violations"), "fill-none"),),
            rows=status_rows,
        ),
        bar_chart(
            "chart-fines-month",
            title=_("Fines issued by month, paid and unpaid"),
            desc=desc % {"group": _("month of issue")},
            label_header=_("Month"),
            series=series,
            rows=[_fine_row(label, totals) for label, totals in rows["month"]],
        ),
        bar_chart(
            "chart-fines-district",
            title=_("Fines by district, paid and unpaid"),
            desc=desc % {"group": _("district of Taipei")},
            label_header=_("District"),
            series=series,
            rows=[_fine_row(label, totals) for label, totals in rows["district"]],
        ),
        bar_chart(
            "chart-fines-article",
            title=_("Fines by penalty article, paid and unpaid"),
            desc=desc % {"group": _("penalty article")},
            label_header=_("Penalty article"),
            series=series,
            rows=[_fine_row(label, totals) for label, totals in rows["article"]],
        ),
    ]


class EnforcementDashboardView(RuleRequiredMixin, TemplateView):
    """Enforcement at a glance for city staff; business users see their own violations."""

    template_name = "compliance/enforcement/dashboard.html"
    permission_rule = "enforcement.see_dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = enforcement_figures(self.request.user, timezone.localdate())
        rows = table_rows(figures)
        context.update(
            figures=figures,
            cards=violation_cards(figures),
            charts=enforcement_charts(figures),
            tables=[
                ("month", _("Fines by month of issue (last 12 months)"), _("Month"), rows["month"]),
                ("district", _("Fines by district"), _("District"), rows["district"]),
                ("article", _("Fines by penalty article"), _("Penalty article"), rows["article"]),
            ],
            offenders_shown=REPEAT_OFFENDERS_SHOWN,
        )
        return context
