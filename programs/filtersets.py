"""Filters and search of the programme pages (participations, projects, events).

Choices offered in a filter come from what the user may see (``visible_to``): a filter
never names an unpublished country or programme to a visitor, and a value the user may
not see is simply not a valid choice.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.choices import EventStatus, ProjectKind, ProjectStatus
from programs.models import Country, Event, Participation, Programme, Project


class ParticipationFilterSet(django_filters.FilterSet):
    """A programme's cities: by country, programme year, and a search of the names."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.none(), label=_("Country"), empty_label=_("All countries")
    )
    programme_year = django_filters.ChoiceFilter(
        choices=(), label=_("Programme year"), empty_label=_("All years")
    )

    class Meta:
        model = Participation
        fields = ["q", "country", "programme_year"]

    def __init__(self, data=None, queryset=None, *, user=None, programme=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        participations = Participation.objects.visible_to(user).filter(programme=programme)
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=participations.values("country_id")
        ).order_by("name_en")
        years = (
            participations.exclude(programme_year=None)
            .order_by("programme_year")
            .values_list("programme_year", flat=True)
            .distinct()
        )
        self.filters["programme_year"].extra["choices"] = [
            (str(year), _("Year %(year)s") % {"year": year}) for year in years
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(city__name_en__icontains=value)
            | Q(city__name_original__icontains=value)
            | Q(country__name_en__icontains=value)
            | Q(country__name_ja__icontains=value)
            | Q(country__name_zh__icontains=value)
            | Q(focus_areas__icontains=value)
        )


class ProjectFilterSet(django_filters.FilterSet):
    """Projects: by programme, country, status and kind, and a search of titles and leads."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(),
        label=_("Programme"),
        empty_label=_("All programmes"),
    )
    country = django_filters.ModelChoiceFilter(
        field_name="countries",
        queryset=Country.objects.none(),
        label=_("Country"),
        empty_label=_("All countries"),
    )
    status = django_filters.ChoiceFilter(
        choices=ProjectStatus.choices,
        label=pgettext_lazy("state of a record", "Status"),
        empty_label=_("Any status"),
    )
    kind = django_filters.ChoiceFilter(
        choices=ProjectKind.choices, label=_("Kind"), empty_label=_("Any kind")
    )

    class Meta:
        model = Project
        fields = ["q", "programme", "country", "status", "kind"]

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["programme"].queryset = Programme.objects.visible_to(user)
        projects = Project.objects.visible_to(user)
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=projects.values("countries")
        ).order_by("name_en")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title_en__icontains=value)
            | Q(title_original__icontains=value)
            | Q(reference__icontains=value)
            | Q(region_en__icontains=value)
            | Q(region_original__icontains=value)
            | Q(lead_organisation_name_en__icontains=value)
            | Q(lead_organisation_name_original__icontains=value)
            | Q(technology__icontains=value)
        )


class EventFilterSet(django_filters.FilterSet):
    """Events and seminars: by programme and status, and a search of names and venues."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(),
        label=_("Programme"),
        empty_label=_("All programmes"),
    )
    status = django_filters.ChoiceFilter(
        choices=EventStatus.choices,
        label=pgettext_lazy("state of a record", "Status"),
        empty_label=_("Any status"),
    )

    class Meta:
        model = Event
        fields = ["q", "programme", "status"]

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["programme"].queryset = Programme.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_en__icontains=value)
            | Q(name_original__icontains=value)
            | Q(series__icontains=value)
            | Q(venue_en__icontains=value)
            | Q(venue_original__icontains=value)
            | Q(code__icontains=value)
        )
