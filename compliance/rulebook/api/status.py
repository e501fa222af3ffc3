"""API of compliance status: per premises (current or as of a date) and per business.

Visibility is the pages' own: ``Premises.objects.visible_to(user)`` and
``Business.objects.visible_to(user)`` (business users their own, city staff and API
clients all, other roles nothing; what may not be seen is a 404). A decision is shown
with a link to the rule-book version it was made under (frozen once published, so its
parameter values are the decision's), so an old decision (``?as_of=YYYY-MM-DD``) reads
exactly as it was made. Its body is rendered once per language and served as rendered.
"""

from __future__ import annotations

import collections
import datetime
import json
import threading

import django_filters
from django import forms
from django.core.cache import cache
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.choices import Article, ComplianceOutcome
from compliance.models import Business, ComplianceAssessment, Premises, RuleBookVersion
from compliance.rulebook.explain import explain_exemption, explain_finding
from compliance.rulebook.services import assessment
from portal import bounds, statements
from portal.api.viewsets import ReadOnlyViewSet, VisibleQuerysetMixin

# What a list row needs of a decision; its findings and parameters stay in the database.
HEAVY_DECISION_FIELDS = ("status__assessment__findings", "status__assessment__parameters_copy")


class ComplianceFilterForm(forms.Form):
    """Check that an article outcome comes with its article."""

    def clean(self):
        data = super().clean()
        if data.get("article_outcome") and not data.get("article"):
            self.add_error("article_outcome", gettext("Give the article too, e.g. article=5-3."))
        return data


class ComplianceStatusFilterSet(django_filters.FilterSet):
    """Filter current statuses by status, district, category, business and article.

    ``article`` alone keeps the premises that do not comply with that article;
    ``article`` with ``article_outcome`` those whose outcome for it is the one given.
    """

    status = django_filters.ChoiceFilter(
        field_name="status__outcome",
        choices=ComplianceOutcome.choices,
        label=_("compliance status"),
    )
    business = django_filters.NumberFilter(field_name="business_id", label=_("business (id)"))
    article = django_filters.ChoiceFilter(
        choices=Article.choices,
        method="filter_article",
        label=_("article (with no article_outcome: the premises not complying with it)"),
    )
    article_outcome = django_filters.ChoiceFilter(
        choices=ComplianceOutcome.choices,
        method="filter_article_outcome",
        label=_("outcome of the article given"),
    )

    class Meta:
        model = Premises
        fields = ["status", "district", "category", "business", "article", "article_outcome"]
        form = ComplianceFilterForm

    def filter_article(self, queryset, name: str, value: str):
        outcome = self.form.cleaned_data.get("article_outcome") or ComplianceOutcome.NON_COMPLIANT
        # One status row per premises and article, so the join never repeats a premises.
        return queryset.filter(article_statuses__article=value, article_statuses__outcome=outcome)

    def filter_article_outcome(self, queryset, name: str, value: str):
        return queryset  # applied together with ``article``


class ComplianceStatusSerializer(serializers.ModelSerializer):
    """A premises with its current compliance status (null fields: never assessed)."""

    business_name = serializers.CharField(source="business.name_zh", read_only=True)
    outcome = serializers.ChoiceField(
        source="status.outcome",
        choices=ComplianceOutcome.choices,
        allow_null=True,
        read_only=True,
    )
    as_of = serializers.DateField(source="status.as_of", allow_null=True, read_only=True)
    rulebook_version = serializers.IntegerField(
        source="status.assessment.rulebook_version_id",
        allow_null=True,
        read_only=True,
        help_text=_("The rule book version (id) the decision was made under."),
    )
    articles = serializers.DictField(
        source="status.assessment.article_outcomes",
        child=serializers.ChoiceField(choices=ComplianceOutcome.choices, allow_null=True),
        allow_null=True,
        read_only=True,
        help_text=_("Outcome by article; null where the article does not arise."),
    )

    class Meta:
        model = Premises
        fields = [
            "id",
            "name",
            "business",
            "business_name",
            "district",
            "category",
            "outcome",
            "as_of",
            "rulebook_version",
            "articles",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.Serializer):
    """One finding of a decision, with its explanation in the request's language."""

    article = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ComplianceOutcome.choices)
    message_key = serializers.CharField()
    subject = serializers.CharField(allow_null=True)
    measured = serializers.JSONField(allow_null=True, help_text=_("In ``unit``."))
    limit = serializers.JSONField(allow_null=True, help_text=_("In ``unit``."))
    unit = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    exemption = serializers.CharField(allow_null=True)
    exemption_detail = serializers.CharField(allow_blank=True)
    exemption_until = bounds.ApiDateField(allow_null=True)
    advisory = serializers.BooleanField()
    explanation = serializers.SerializerMethodField()
    exemption_explanation = serializers.SerializerMethodField()

    def get_explanation(self, finding: dict) -> str:
        return explain_finding(finding, with_exemption=False)

    def get_exemption_explanation(self, finding: dict) -> str | None:
        return explain_exemption(finding)


class RuleBookVersionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    title = serializers.CharField()
    announcement = serializers.CharField()
    effective_from = bounds.ApiDateField()
    url = serializers.SerializerMethodField(
        help_text=_(
            "The version's own endpoint (a path under /api/v1/), with the parameter values "
            "the decision was made under: a published version never changes."
        )
    )

    def get_url(self, version) -> str:
        return reverse("api:rulebook-version-detail", args=[version.pk])


class DecisionSerializer(serializers.ModelSerializer):
    """A compliance decision with the rule-book version it was made under (a link).

    Since API 1.1 (issue 18) the parameter values are not copied into the decision: the
    version they belong to is frozen once published, so ``rulebook_version.url`` reads
    them exactly as the decision did.
    """

    rulebook_version = RuleBookVersionSummarySerializer(allow_null=True)
    findings = FindingSerializer(many=True)
    article_outcomes = serializers.DictField(
        child=serializers.ChoiceField(choices=ComplianceOutcome.choices, allow_null=True),
        help_text=_("Outcome by article; null where the article does not arise."),
    )

    class Meta:
        model = ComplianceAssessment
        fields = [
            "id",
            "premises",
            "as_of",
            "confirmed_on",
            "outcome",
            "article_outcomes",
            "findings",
            "rulebook_version",
            "in_force",
            "review_on",
            "trigger",
            "assessed_at",
        ]
        read_only_fields = fields


def object_id(pk: str) -> int:
    """Return the id given in the URL; one that is no id names nothing (404)."""
    if not pk.isdigit():
        raise Http404
    return int(pk)


def visible_row(statement: statements.CompiledQuery, visible: models.QuerySet, pk: str) -> tuple:
    """Return the first row of ``statement`` for the object ``pk`` among ``visible`` (or 404).

    ``statement`` is compiled once per visibility (the visible queryset's conditions),
    not built on each request.
    """
    if visible.query.is_empty():
        raise Http404
    shape = statements.where_shape(visible)
    rows = statement.rows(object_id(pk), given=(visible,), shape=shape)
    if not rows:
        raise Http404
    return rows[0]


class AsOfSerializer(serializers.Serializer):
    """The day whose decision to answer with (absent: the current status)."""

    as_of = bounds.ApiDateField(required=False, input_formats=["iso-8601"])


def requested_day(request: Request) -> datetime.date | None:
    """Return the ``as_of`` query parameter, or answer 400 with a field error."""
    query = AsOfSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("as_of")


AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=_("YYYY-MM-DD: the decision valid on that day (default: the current status)."),
)


class CompliancePremisesViewSet(ReadOnlyViewSet):
    """Compliance status of premises: the current list, and one decision by date."""

    queryset = Premises.objects.select_related("business", "status__assessment").defer(
        *HEAVY_DECISION_FIELDS
    )
    serializer_class = ComplianceStatusSerializer
    filterset_class = ComplianceStatusFilterSet
    ordering_fields = ("id", "name")
    lookup_url_kwarg = "premises_id"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        description=_(
            "The decision valid on ``as_of`` (the current one by default), its findings "
            "explained in the request's language. Changed in API 1.1: the copy of the "
            "rule-book parameters (``parameters``) is gone; ``rulebook_version.url`` links "
            "to the frozen version that holds them."
        ),
        responses={
            200: DecisionSerializer,
            400: OpenApiResponse(description=_("The date is not valid (YYYY-MM-DD).")),
            404: OpenApiResponse(description=_("No such premises, or no decision by that day.")),
        },
    )
    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponseBase:
        """Return the decision valid on ``as_of`` (the current one by default).

        A decision never changes once made (only ``confirmed_on`` moves forward), so its
        body is rendered once per language and served from the cache: no filterset, no
        serializer and no translation on a request. The current decision is found with
        the rows it is rendered from in one query, so a request costs two queries (the
        token and this one) whether the body is cached or not.
        """
        day = requested_day(request) if request.query_params else None
        if day is None:
            row = visible_row(CURRENT_DECISION, self.get_queryset(), kwargs[self.lookup_url_kwarg])
            values = dict(zip(CURRENT_DECISION_COLUMNS, row, strict=True))
            body = None
            if values["id"] is not None:
                key = decision_body_key(values["id"], values["assessed_at"], values["confirmed_on"])
                body = cached_body(key)
                if body is None:
                    body = render_decision(current_decision(values), key)
        else:
            latest = ComplianceAssessment.objects.filter(
                premises=OuterRef("pk"), as_of__lte=day
            ).order_by("-as_of", "-id")
            premises = self.get_queryset().filter(pk=object_id(kwargs[self.lookup_url_kwarg]))
            row = (
                premises.annotate(
                    decision_id=Subquery(latest.values("pk")[:1]),
                    decision_assessed_at=Subquery(latest.values("assessed_at")[:1]),
                    decision_confirmed_on=Subquery(latest.values("confirmed_on")[:1]),
                )
                .values_list("decision_id", "decision_assessed_at", "decision_confirmed_on")
                .first()
            )
            if row is None:
                raise Http404
            body = None
            if row[0] is not None:
                key = decision_body_key(*row)
                body = cached_body(key)
            if body is None and row[0] is not None:
                decision = ComplianceAssessment.objects.select_related("rulebook_version").only(
                    *(name.removesuffix("_id") for name in DECISION_FIELDS),
                    *(f"rulebook_version__{name}" for name in VERSION_FIELDS),
                )
                body = render_decision(decision.get(pk=row[0]), key)
        if body is None:
            raise exceptions.NotFound(
                gettext("No compliance decision was made for this premises by that day.")
                if day
                else gettext("This premises has not been assessed yet.")
            )
        if isinstance(request.accepted_renderer, JSONRenderer):
            return HttpResponse(body, content_type="application/json")
        return Response(json.loads(body))  # the browsable API


# What a decision's body is rendered from (``DecisionSerializer``'s fields).
DECISION_FIELDS = (
    "id",
    "premises_id",
    "as_of",
    "confirmed_on",
    "outcome",
    "article_outcomes",
    "findings",
    "rulebook_version_id",
    "in_force",
    "review_on",
    "trigger",
    "assessed_at",
)
VERSION_FIELDS = ("id", "title", "announcement", "effective_from")
# The current decision's cache key, then what its body is rendered from, in one row (the
# premises, its status, the decision and its version joined on their keys). The findings
# come as text: decoded only when the body has to be rendered.
CURRENT_DECISION_COLUMNS = {
    "id": "status__assessment_id",
    "confirmed_on": "status__assessment__confirmed_on",
    "premises_id": "pk",
    **{
        name: f"status__assessment__{name.removesuffix('_id')}"
        for name in DECISION_FIELDS
        if name not in {"id", "confirmed_on", "premises_id", "findings"}
    },
    "findings": "findings_text",
    **{
        f"version_{name}": f"status__assessment__rulebook_version__{name}"
        for name in VERSION_FIELDS[1:]
    },
}
# The visible premises' current decision row: compiled once per visibility, not per request.
CURRENT_DECISION = statements.CompiledQuery(
    lambda visible, premises_id: (
        visible.filter(pk=premises_id)
        .annotate(findings_text=Cast("status__assessment__findings", models.TextField()))
        .values_list(*CURRENT_DECISION_COLUMNS.values())
        .order_by()[:1]
    ),
    placeholders=statements.placeholders(1),
)
# Part of every key: a change of the body's shape renders every decision anew.
DECISION_BODY_SHAPE = "1.1"
DECISION_BODY_SECONDS = 7 * 24 * 3600


def decision_body_key(
    decision_id: int, assessed_at: datetime.datetime, confirmed_on: datetime.date
) -> str:
    """The cache key of a decision's body in the active language.

    ``confirmed_on`` is in it because it is the one field that moves (an unchanged
    re-assessment confirms the decision), so a confirmed decision is rendered anew;
    ``assessed_at`` so that a database recreated under the same cache (ids reused) never
    meets another decision's body.
    """
    return (
        f"compliance-decision:{DECISION_BODY_SHAPE}:{decision_id}:"
        f"{assessed_at.timestamp()}:{confirmed_on}:{translation.get_language()}"
    )


def current_decision(values: dict) -> ComplianceAssessment:
    """Build the current decision (unsaved, read only) from its ``CURRENT_DECISION_COLUMNS``."""
    values = dict(values)
    version = {name: values.pop(f"version_{name}") for name in VERSION_FIELDS[1:]}
    values["findings"] = json.loads(values["findings"]) if values["findings"] else []
    decision = ComplianceAssessment(**values)
    if decision.rulebook_version_id is not None:
        decision.rulebook_version = RuleBookVersion(id=decision.rulebook_version_id, **version)
    return decision


# The bodies this process served last: a key names one unchanging body, so a copy in
# memory is never stale, and a request it answers makes no round trip to the cache.
_BODIES: collections.OrderedDict[str, bytes] = collections.OrderedDict()
_BODIES_LOCK = threading.Lock()
BODIES_IN_MEMORY = 2000


def _remember(key: str, body: bytes) -> bytes:
    with _BODIES_LOCK:
        _BODIES[cache.make_key(key)] = body
        while len(_BODIES) > BODIES_IN_MEMORY:
            _BODIES.popitem(last=False)
    return body


def cached_body(key: str) -> bytes | None:
    """Return the body rendered under ``key``: from this process's memory, else the cache."""
    body = _BODIES.get(cache.make_key(key))
    if body is None:
        body = cache.get(key)
        if body is not None:
            _remember(key, body)
    return body


def render_decision(decision: ComplianceAssessment, key: str) -> bytes:
    """Render a decision's JSON body in the active language and keep it under ``key``."""
    body = JSONRenderer().render(DecisionSerializer(decision).data)
    cache.set(key, body, DECISION_BODY_SECONDS)
    return _remember(key, body)


class PremisesOutcomeSerializer(serializers.Serializer):
    """One premises of a business with the decision valid on the day asked."""

    id = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    name = serializers.CharField()
    district = serializers.CharField()
    category = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ComplianceOutcome.choices, allow_null=True)
    as_of = bounds.ApiDateField(allow_null=True, help_text=_("When the decision was made."))
    rulebook_version = serializers.IntegerField(allow_null=True, max_value=bounds.INTEGER_MAX)


class BusinessComplianceSerializer(serializers.Serializer):
    """A business's status rolled up from its premises' on the day asked.

    Non-compliant if any premises is; else unknown if any is unknown or not assessed;
    else compliant.
    """

    business = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    business_name = serializers.CharField()
    as_of = bounds.ApiDateField(allow_null=True, help_text=_("The day asked for, if any."))
    outcome = serializers.ChoiceField(choices=ComplianceOutcome.choices)
    premises = PremisesOutcomeSerializer(many=True)


# A business's premises with their current statuses: the answer's names, then the columns.
CURRENT_OUTCOME_COLUMNS = {
    "id": "pk",
    "name": "name",
    "district": "district",
    "category": "category",
    "outcome": "status__outcome",
    "as_of": "status__as_of",
    "rulebook_version": "status__assessment__rulebook_version_id",
}
CURRENT_OUTCOMES = statements.CompiledQuery(
    lambda business_id: (
        Premises.objects.filter(business_id=business_id)
        .order_by("name", "pk")
        .values_list(*CURRENT_OUTCOME_COLUMNS.values())
    ),
    placeholders=statements.placeholders(1),
)
# The visible business's id and name.
BUSINESS_NAME = statements.CompiledQuery(
    lambda visible, business_id: (
        visible.filter(pk=business_id).values_list("pk", "name_zh").order_by()[:1]
    ),
    placeholders=statements.placeholders(1),
)


def _premises_outcomes(business_id: int, day: datetime.date | None) -> list[dict]:
    """Return each premises of a business with its decision on ``day`` (None: current)."""
    if day is None:
        return [
            dict(zip(CURRENT_OUTCOME_COLUMNS, row, strict=True))
            for row in CURRENT_OUTCOMES.rows(business_id)
        ]
    premises = Premises.objects.filter(business_id=business_id).order_by("name", "pk")
    latest = ComplianceAssessment.objects.filter(premises=OuterRef("pk"), as_of__lte=day).order_by(
        "-as_of", "-id"
    )
    rows = list(
        premises.annotate(decision_id=Subquery(latest.values("pk")[:1])).values(
            "pk", "name", "district", "category", "decision_id"
        )
    )
    decisions = {
        pk: (outcome, as_of, version)
        for pk, outcome, as_of, version in ComplianceAssessment.objects.filter(
            pk__in=[row["decision_id"] for row in rows if row["decision_id"]]
        ).values_list("pk", "outcome", "as_of", "rulebook_version_id")
    }
    result = []
    for row in rows:
        outcome, as_of, version = decisions.get(row["decision_id"], (None, None, None))
        result.append(
            {
                "id": row["pk"],
                "name": row["name"],
                "district": row["district"],
                "category": row["category"],
                "outcome": outcome,
                "as_of": as_of,
                "rulebook_version": version,
            }
        )
    return result


class BusinessComplianceViewSet(
    VisibleQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Compliance status of a business, rolled up from its premises."""

    queryset = Business.objects.all()
    serializer_class = BusinessComplianceSerializer
    filter_backends: list = []
    lookup_url_kwarg = "business_id"

    @extend_schema(
        parameters=[AS_OF_PARAMETER],
        responses={
            200: BusinessComplianceSerializer,
            400: OpenApiResponse(description=_("The date is not valid (YYYY-MM-DD).")),
        },
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """Return the business's status on ``as_of`` (now by default) and each premises'."""
        day = requested_day(request) if request.query_params else None
        business_id, name = visible_row(
            BUSINESS_NAME, self.get_queryset(), kwargs[self.lookup_url_kwarg]
        )
        premises = _premises_outcomes(business_id, day)
        for row in premises:
            # The serializer's output for these plain values, without its per-field cost.
            row["as_of"] = row["as_of"].isoformat() if row["as_of"] else None
        data = {
            "business": business_id,
            "business_name": name,
            "as_of": day.isoformat() if day else None,
            "outcome": assessment.rollup(row["outcome"] for row in premises),
            "premises": premises,
        }
        return Response(data)
