"""API of the Art. 14 reward calls: reviewers' scores, the ranking and the awarded list.

Same permissions as the pages: everyone signed in reads the calls and, once published,
their ranking and awarded list; before publication the ranking is for administrators
and programme officers only (404 for the rest). Scores are read by administrators and
programme officers; the call's assigned reviewers and administrators submit them.
Administrators publish the awards. Changes go through :mod:`subsidies.services.rewards`;
a refusal is a 400 with field errors (portal.api.exceptions).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.api.filters import BACKENDS_ORDERED_BY_LANGUAGE
from portal.api.permissions import RolePermission
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can
from subsidies.api.serializers.rewards import (
    AwardPublishSerializer,
    Ranking,
    ReviewScoreSerializer,
    RewardCallSerializer,
    ScoreSubmissionSerializer,
)
from subsidies.models import AwardPublication, ReviewScore, RewardCriterion, Scheme
from subsidies.rules.types import REWARD_CATEGORIES
from subsidies.services import rewards


class ReviewScoreViewSet(ReadOnlyViewSet):
    """Reviewers' scores: read by administrators and programme officers; the call's
    reviewers and administrators submit them (POST, all criteria of one application)."""

    permission_classes = [RolePermission]
    queryset = ReviewScore.objects.select_related("reviewer", "criterion").order_by("id")
    serializer_class = ReviewScoreSerializer
    ordering_fields = ("id", "scored_at")

    @extend_schema(request=ScoreSubmissionSerializer, responses=ReviewScoreSerializer(many=True))
    def create(self, request, *args, **kwargs):
        """Score an application under review on every criterion of its call."""
        if not can(request.user, "subsidies.score"):
            raise PermissionDenied
        body = ScoreSubmissionSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        application = body.validated_data["application"]
        if not rewards.may_score(request.user, application.scheme):
            raise PermissionDenied(_("Only the call's reviewers and administrators score."))
        rewards.score_application(request.user, application, body.validated_data["scores"])
        rows = self.get_queryset().filter(application=application, reviewer=request.user)
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)


def ranking_body(scheme: Scheme, publication: AwardPublication | None) -> dict:
    """Return the call's ranking as published, or as it stands (for reviewers)."""
    if publication is not None:
        awarded = set(publication.awarded)
        rows = [{**row, "awarded": row["application"] in awarded} for row in publication.ranking]
    else:
        rows = [
            {
                "application": entry.application.pk,
                "business": entry.application.business.display_name,
                "score": str(entry.score),
                "reviewers": entry.reviewers,
                "awarded": False,
            }
            for entry in rewards.ranking(scheme)
        ]
    prize = publication.award_amount_ntd if publication else scheme.award_amount_ntd
    return {
        "call": scheme.pk,
        "published": publication is not None,
        "published_at": publication.published_at if publication else None,
        "award_amount_ntd": prize,
        "committed_ntd": publication.committed_ntd if publication else 0,
        "rows": [{"rank": place, **row} for place, row in enumerate(rows, start=1)],
    }


class RewardCallViewSet(ReadOnlyViewSet):
    """Art. 14 reward calls (categories 1, 2, 5), their ranking and awarded list."""

    permission_classes = [RolePermission]
    queryset = (
        Scheme.objects.filter(category__in=sorted(REWARD_CATEGORIES))
        .select_related("award_publication")
        .prefetch_related(Prefetch("criteria", queryset=RewardCriterion.objects.order_by("id")))
    )
    serializer_class = RewardCallSerializer
    filter_backends = BACKENDS_ORDERED_BY_LANGUAGE
    ordering_fields = ("id", "title", "title_zh_hant", "title_en")
    ordering_by_language = {"title": ("title_zh_hant", "title_en")}

    @extend_schema(responses=Ranking)
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """The ranking: published, for everyone signed in; before, for reviewers only."""
        scheme = self.get_object()
        publication = getattr(scheme, "award_publication", None)
        if publication is None and not can(request.user, "subsidies.review"):
            raise Http404
        return Response(ranking_body(scheme, publication))

    @extend_schema(request=AwardPublishSerializer, responses={201: Ranking})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the ranking and the first ``count`` as awarded (administrators, once)."""
        scheme = self.get_object()
        if not can(request.user, "subsidies.publish_awards"):
            raise PermissionDenied
        body = AwardPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = rewards.publish_awards(request.user, scheme, body.validated_data["count"])
        scheme.refresh_from_db()
        return Response(ranking_body(scheme, publication), status=status.HTTP_201_CREATED)
