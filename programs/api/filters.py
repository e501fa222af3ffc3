"""Filters of the programme API lists: programme (code), country (id or English name),
year and status. A value that is not valid answers 400 with the field's error."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import bounds
from programs.choices import EventStatus, ParticipationStatus, ProjectKind, ProjectStatus
from programs.models import (
    City,
    Event,
    Fund,
    FundingContribution,
    Participation,
    Programme,
    Project,
)

PROGRAMME_HELP = _("The programme's code, e.g. asean-esc.")
COUNTRY_HELP = _("A country's id or its English name, e.g. Indonesia.")


def _country_q(path: str, value: str) -> Q:
    value = value.strip()
    if value.isdigit():
        return Q(**{f"{path}__pk": int(value)})
    return Q(**{f"{path}__name_en__iexact": value})


class CountryFilter(django_filters.CharFilter):
    """A country by id or English name, through the model path ``field_name``."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(_country_q(self.field_name, value)).distinct()


class ProgrammeFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind")

    class Meta:
        model = Programme
        fields = ["kind"]


class FundFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", help_text=PROGRAMME_HELP)

    class Meta:
        model = Fund
        fields = ["programme"]


# A programme year counts the years of a programme (1, 2, ...), not the calendar: bounded
# by its column (a small positive integer), not by the calendar years of portal/bounds.py.
PROGRAMME_YEAR_BOUNDS = {"min_value": 1, "max_value": 32767}


class CityFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(method="in_programme", help_text=PROGRAMME_HELP)
    country = CountryFilter(field_name="country", help_text=COUNTRY_HELP)
    year = django_filters.NumberFilter(
        method="in_year", help_text=_("A programme year."), **PROGRAMME_YEAR_BOUNDS
    )

    class Meta:
        model = City
        fields = ["programme", "country", "year"]

    def in_programme(self, queryset, name, value):
        return queryset.filter(participations__programme__code=value).distinct()

    def in_year(self, queryset, name, value):
        return queryset.filter(participations__programme_year=value).distinct()


class ParticipationFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", help_text=PROGRAMME_HELP)
    country = CountryFilter(field_name="country", help_text=COUNTRY_HELP)
    year = django_filters.NumberFilter(field_name="programme_year", **PROGRAMME_YEAR_BOUNDS)
    status = django_filters.ChoiceFilter(choices=ParticipationStatus.choices)

    class Meta:
        model = Participation
        fields = ["programme", "country", "year", "status"]


class ProjectFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", help_text=PROGRAMME_HELP)
    country = CountryFilter(field_name="countries", help_text=COUNTRY_HELP)
    year = django_filters.NumberFilter(
        method="in_year",
        help_text=_("The fiscal year or the year of registration."),
        **bounds.year_filter_bounds(),
    )
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    uncertain = django_filters.BooleanFilter()

    class Meta:
        model = Project
        fields = ["programme", "country", "year", "status", "kind", "uncertain"]

    def in_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(Q(fiscal_year__contains=str(year)) | Q(registration_date__year=year))


class EventFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", help_text=PROGRAMME_HELP)
    country = CountryFilter(field_name="country", help_text=COUNTRY_HELP)
    year = django_filters.NumberFilter(field_name="start_date__year", **bounds.year_filter_bounds())
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    series = django_filters.CharFilter(field_name="series")

    class Meta:
        model = Event
        fields = ["programme", "country", "year", "status", "series"]


class ContributionFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(
        field_name="fund__programme__code", help_text=PROGRAMME_HELP
    )
    fund = django_filters.CharFilter(field_name="fund__code")
    country = CountryFilter(field_name="economy", help_text=COUNTRY_HELP)
    year = django_filters.NumberFilter(field_name="year", **bounds.year_filter_bounds())

    class Meta:
        model = FundingContribution
        fields = ["programme", "fund", "country", "year"]
