"""The city's compliance dashboard: counts by status, district, article and category.

Every figure comes from an aggregate query over the current statuses (``PremisesStatus``,
``ArticleStatus``), so the page costs the same few queries for a town or a city.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import TemplateView

from compliance.articles import article_label
from compliance.choices import NOT_ASSESSED, Article, ComplianceOutcome, District, PremisesCategory
from compliance.models import ArticleStatus, Premises
from compliance.registry.querysets import READ_ALL_ROLES
from compliance.rulebook.bridge import version_in_force
from portal.charts import Row, Series, bar_chart

NON_COMPLIANT_SHOWN = 50


def may_see_city_dashboard(user) -> bool:
    """Return whether ``user`` sees the whole city (administrators, inspectors, API clients)."""
    return user.is_authenticated and (user.is_superuser or user.role in READ_ALL_ROLES)


def _series(with_not_assessed: bool = True) -> tuple[Series, ...]:
    series = (
        Series(ComplianceOutcome.COMPLIANT, str(ComplianceOutcome.COMPLIANT.label), "fill-ok"),
        Series(
            ComplianceOutcome.NON_COMPLIANT, str(ComplianceOutcome.NON_COMPLIANT.label), "fill-bad"
        ),
        Series(ComplianceOutcome.UNKNOWN, str(ComplianceOutcome.UNKNOWN.label), "fill-warn"),
    )
    if with_not_assessed:
        series += (Series(NOT_ASSESSED, _("Not assessed"), "fill-none"),)
    return series


def _crosstab(rows, key: str, outcome: str) -> dict[str, Counter]:
    """Return ``{key value: Counter(outcome: n)}`` from ``values(...).annotate(n=...)`` rows."""
    table: dict[str, Counter] = {}
    for row in rows:
        table.setdefault(row[key], Counter())[row[outcome] or NOT_ASSESSED] += row["n"]
    return table


def _premises_list_url(**query: str) -> str:
    return f"{reverse('premises-list')}?{urlencode(query)}"


def city_figures(user) -> dict:
    """Gather the dashboard's figures in a fixed number of queries."""
    premises = Premises.objects.visible_to(user)
    by_district = _crosstab(
        premises.values("district", "status__outcome").annotate(n=Count("pk")).order_by(),
        "district",
        "status__outcome",
    )
    by_category = _crosstab(
        premises.values("category", "status__outcome").annotate(n=Count("pk")).order_by(),
        "category",
        "status__outcome",
    )
    by_article = _crosstab(
        ArticleStatus.objects.visible_to(user)
        .values("article", "outcome")
        .annotate(n=Count("pk"))
        .order_by(),
        "article",
        "outcome",
    )
    by_status: Counter = Counter()
    for counts in by_district.values():
        by_status.update(counts)
    non_compliant = list(
        premises.filter(status__outcome=ComplianceOutcome.NON_COMPLIANT)
        .select_related("business", "status")
        .prefetch_related(
            Prefetch(
                "article_statuses",
                queryset=ArticleStatus.objects.filter(
                    outcome=ComplianceOutcome.NON_COMPLIANT
                ).order_by("article"),
                to_attr="breaches",
            )
        )
        .order_by("-status__as_of", "district", "name", "pk")[:NON_COMPLIANT_SHOWN]
    )
    return {
        "by_status": by_status,
        "by_district": by_district,
        "by_category": by_category,
        "by_article": by_article,
        "total": sum(by_status.values()),
        "non_compliant": non_compliant,
        "version": version_in_force(),
    }


def city_charts(figures: dict) -> list:
    """Return the dashboard's charts (each drawn with its table) from the figures."""
    premises_series = _series()
    article_series = _series(with_not_assessed=False)
    keys = [item.key for item in premises_series]
    status_rows = [
        Row(
            item.label,
            (figures["by_status"][item.key],),
            url=_premises_list_url(status=item.key),
            css=item.css,
        )
        for item in premises_series
    ]
    district_rows = [
        Row(
            str(label),
            tuple(figures["by_district"].get(value, Counter())[key] for key in keys),
            url=_premises_list_url(district=value),
        )
        for value, label in District.choices
    ]
    category_rows = [
        Row(
            str(label),
            tuple(figures["by_category"].get(value, Counter())[key] for key in keys),
            url=_premises_list_url(category=value),
        )
        for value, label in PremisesCategory.choices
        if value in figures["by_category"]
    ]
    article_rows = [
        Row(
            str(label),
            tuple(figures["by_article"].get(value, Counter())[s.key] for s in article_series),
            short_label=article_label(value),
        )
        for value, label in Article.choices
    ]
    return [
        bar_chart(
            "chart-status",
            title=_("Premises by compliance status"),
            desc=_(
                "One bar per status, as long as the number of premises with that status; "
                "the table beside gives the figures."
            ),
            label_header=pgettext("state of a record", "Status"),
            series=(Series("premises", _("Premises"), "fill-none"),),
            rows=status_rows,
        ),
        bar_chart(
            "chart-district",
            title=_("Premises by district and status"),
            desc=_(
                "One bar per district of Taipei, divided by compliance status; "
                "the table beside gives the figures."
            ),
            label_header=_("District"),
            series=premises_series,
            rows=district_rows,
        ),
        bar_chart(
            "chart-article",
            title=_("Premises by article and outcome"),
            desc=_(
                "One bar per article of the ordinance, divided by the outcome at the premises "
                "where it arises; the table beside gives the figures."
            ),
            label_header=_("Article"),
            series=article_series,
            rows=article_rows,
        ),
        bar_chart(
            "chart-category",
            title=_("Premises by category and status"),
            desc=_(
                "One bar per premises category present in the registry, divided by compliance "
                "status; the table beside gives the figures."
            ),
            label_header=_("Premises category"),
            series=premises_series,
            rows=category_rows,
        ),
    ]


class CityDashboardView(LoginRequiredMixin, TemplateView):
    """The city's compliance at a glance, for administrators, inspectors and API clients.

    Business users have their own home page; other roles see nothing of the registry.
    """

    template_name = "compliance/compliance_dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_see_city_dashboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = city_figures(self.request.user)
        context.update(
            figures=figures,
            charts=city_charts(figures),
            not_compliant_count=figures["by_status"][ComplianceOutcome.NON_COMPLIANT],
            shown_limit=NON_COMPLIANT_SHOWN,
        )
        return context
