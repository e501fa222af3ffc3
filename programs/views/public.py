"""Public, read-only pages of the programme records (no login; published records only).

Programme staff (officers and administrators) read every record on the same pages and
find the links to edit and (administrators) publish them. Everything read goes through
``visible_to``: an unpublished record is a 404 for everyone else.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from portal.permissions import can
from programs.filtersets import EventFilterSet, ParticipationFilterSet, ProjectFilterSet
from programs.forms import ReviewStepForm
from programs.models import (
    City,
    CityCollaboration,
    CriterionAssessment,
    Event,
    FrameworkItem,
    Fund,
    FundingContribution,
    KeyFigure,
    Milestone,
    Organisation,
    Participation,
    PartnerCountry,
    Programme,
    Project,
    ScoringScheme,
)
from programs.views.access import PublicRecordMixin
from programs.views.figures import programme_charts

PAGE_SIZE = 50


def _count_of(model, user):
    """Return a subquery counting ``model`` rows of a programme that ``user`` may read."""
    counted = (
        model.objects.visible_to(user)
        .filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def open_data_links(basename: str, **filters) -> list[tuple[str, str]]:
    """Return the CSV and JSON exports of a list (the API's ``export``), with its filters.

    The export knows the filters of the API (programme by code, country, year, status,
    kind), not the page's free-text search. No links when the API has no such export.
    """
    try:
        url = reverse(f"api:{basename}-export")
    except NoReverseMatch:
        return []
    query = {name: value for name, value in filters.items() if value not in (None, "")}
    return [
        (label, f"{url}?{urlencode({**query, 'format': fmt})}")
        for label, fmt in (("CSV", "csv"), ("JSON", "json"))
    ]


def _cleaned(filterset, name: str):
    """Return a filter's valid value (None when absent or not valid)."""
    form = filterset.form
    return form.cleaned_data.get(name) if form.is_valid() else None


def _query_string(request) -> str:
    """Return the page's query string without its page number (for the pagination links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class FilteredListMixin(PublicRecordMixin):
    """A list page narrowed by a filter set built for the user, paginated."""

    filterset_class = None
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, super().get_queryset(), user=self.request.user
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filterset.form,
            query_string=_query_string(self.request),
            open_data_links=self.open_data_links(),
            **kwargs,
        )

    def open_data_links(self) -> list[tuple[str, str]]:
        return []


class ProgrammeListView(PublicRecordMixin, ListView):
    """The programmes, with how many cities, projects and events each has on record."""

    model = Programme
    template_name = "programs/programme_list.html"

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .annotate(
                participation_count=_count_of(Participation, user),
                project_count=_count_of(Project, user),
                event_count=_count_of(Event, user),
            )
            .order_by("name_en", "code")
        )


class ProgrammeDetailView(PublicRecordMixin, DetailView):
    """A programme: its organisers, funds, figures and charts, and its cities (filtered)."""

    model = Programme
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "programs/programme_detail.html"

    def get_queryset(self):
        user = self.request.user
        contributions = FundingContribution.objects.visible_to(user).select_related("economy")
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("organisers", Organisation.objects.visible_to(user)),
                Prefetch(
                    "funds",
                    Fund.objects.visible_to(user).prefetch_related(
                        Prefetch("contributions", contributions)
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = self.object
        participations = (
            Participation.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("city", "country")
        )
        filterset = ParticipationFilterSet(
            self.request.GET or None, participations, user=user, programme=programme
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            charts=programme_charts(programme, user),
            open_data_links=open_data_links(
                "programme-participation",
                programme=programme.code,
                country=getattr(_cleaned(filterset, "country"), "pk", None),
                year=_cleaned(filterset, "programme_year"),
            ),
            key_figures=KeyFigure.objects.visible_to(user).filter(programme=programme),
            filter_form=filterset.form,
            participations=page,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=_query_string(self.request),
            criteria=FrameworkItem.objects.visible_to(user).filter(programme=programme),
            partner_countries=PartnerCountry.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("country"),
            milestones=Milestone.objects.visible_to(user)
            .filter(programme=programme, project__isnull=True)
            .order_by("date", "id"),
            events=Event.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("country"),
            project_count=Project.objects.visible_to(user).filter(programme=programme).count(),
            # Scoring is the programme staff's tool (programs.views.review.ScoringView).
            scoring_schemes=ScoringScheme.objects.filter(programme=programme)
            if can(user, "programs.keep_records")
            else ScoringScheme.objects.none(),
            **kwargs,
        )


class CityDetailView(PublicRecordMixin, DetailView):
    """A city across programmes: its participations, projects and city-to-city partners."""

    model = City
    template_name = "programs/city_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("country")

    def get_context_data(self, **kwargs):
        user = self.request.user
        city = self.object
        projects = Project.objects.visible_to(user).select_related("programme")
        collaborations = list(
            CityCollaboration.objects.visible_to(user)
            .filter(partner_city=city)
            .select_related("programme", "related_project")
        )
        related = {c.related_project_id for c in collaborations if c.related_project_id}
        return super().get_context_data(
            participations=Participation.objects.visible_to(user)
            .filter(city=city)
            .select_related("programme", "country")
            .prefetch_related(
                Prefetch(
                    "assessments",
                    CriterionAssessment.objects.visible_to(user).select_related("criterion"),
                )
            )
            .order_by("programme__name_en", "programme_year", "id"),
            city_projects=projects.filter(city=city),
            country_projects=projects.filter(countries=city.country_id)
            .exclude(city=city)
            .distinct(),
            collaborations=collaborations,
            # The related projects whose own page the user may open.
            readable_projects=set(
                Project.objects.visible_to(user).filter(pk__in=related).values_list("pk", flat=True)
            )
            if related
            else set(),
            **kwargs,
        )


class ProjectListView(FilteredListMixin, ListView):
    """Projects across programmes, searched and filtered by programme, country, status, kind."""

    model = Project
    filterset_class = ProjectFilterSet
    template_name = "programs/project_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "lead_organisation")
            .prefetch_related("countries")
            .order_by("programme__name_en", "kind", "number", "reference")
        )

    def open_data_links(self):
        programme, country = (_cleaned(self.filterset, n) for n in ("programme", "country"))
        return open_data_links(
            "programme-project",
            programme=programme.code if programme else None,
            country=country.pk if country else None,
            status=_cleaned(self.filterset, "status"),
            kind=_cleaned(self.filterset, "kind"),
        )


class ProjectDetailView(PublicRecordMixin, DetailView):
    """A project: where, who leads it, its expected reductions, assessments and review."""

    model = Project
    template_name = "programs/project_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "fund", "city", "lead_organisation")
            .prefetch_related("countries")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        project = self.object
        if can(user, "programs.keep_records") and "review_form" not in kwargs:
            kwargs["review_form"] = ReviewStepForm(project=project)
        return super().get_context_data(
            city_is_readable=project.city_id is not None
            and City.objects.visible_to(user).filter(pk=project.city_id).exists(),
            assessments=CriterionAssessment.objects.visible_to(user)
            .filter(project=project)
            .select_related("criterion", "decided_by"),
            review_steps=project.review_steps.select_related("actor"),
            milestones=Milestone.objects.visible_to(user)
            .filter(project=project)
            .order_by("date", "id"),
            collaborations=CityCollaboration.objects.visible_to(user)
            .filter(related_project=project)
            .select_related("partner_city"),
            **kwargs,
        )


class EventListView(FilteredListMixin, ListView):
    """Events and seminars with their attendance, searched and filtered."""

    model = Event
    filterset_class = EventFilterSet
    template_name = "programs/event_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("programme", "country")

    def open_data_links(self):
        programme = _cleaned(self.filterset, "programme")
        return open_data_links(
            "programme-event",
            programme=programme.code if programme else None,
            status=_cleaned(self.filterset, "status"),
        )
