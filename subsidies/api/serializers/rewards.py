"""Serializers of the Art. 14 reward calls: reviewers' scores, the ranking, the awards."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from subsidies.api.serializers.schemes import SchemeCategoryField
from subsidies.models import Application, AwardPublication, ReviewScore, RewardCriterion, Scheme


@extend_schema_field({"type": "integer"})
class VisibleApplicationField(serializers.PrimaryKeyRelatedField):
    """An application the requesting user may see (others: "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return Application.objects.visible_to(user).select_related("scheme")


class ReviewScoreSerializer(serializers.ModelSerializer):
    """A reviewer's score of an application on one criterion of its call."""

    reviewer = serializers.StringRelatedField()
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["id", "application", "reviewer", "criterion", "weight", "score", "scored_at"]
        read_only_fields = fields


class ScoreSubmissionSerializer(serializers.Serializer):
    """A reviewer's scores of one application: every criterion code of the call, 0-100."""

    application = VisibleApplicationField(help_text=_("The application under review (id)."))
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        allow_empty=False,
        help_text=_('Each criterion code of the call with its score, e.g. {"saving": 80}.'),
    )


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardCriterion
        fields = ["code", "label", "weight"]


class RewardCallSerializer(serializers.ModelSerializer):
    """A reward call: its criteria, the prize per award (null: honorary) and publication."""

    title = serializers.CharField(
        read_only=True,
        help_text=_(
            "The title in the language of the request (Accept-Language), else the other one."
        ),
    )
    category = SchemeCategoryField(read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    published_at = serializers.SerializerMethodField()
    awarded = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = [
            "id",
            "code",
            "title",
            "title_zh_hant",
            "title_en",
            "category",
            "opens_on",
            "closes_on",
            "budget_ntd",
            "committed_ntd",
            "award_amount_ntd",
            "criteria",
            "published_at",
            "awarded",
        ]
        read_only_fields = fields

    @staticmethod
    def _publication(scheme) -> AwardPublication | None:
        return getattr(scheme, "award_publication", None)

    def get_published_at(self, scheme) -> str | None:
        publication = self._publication(scheme)
        return publication.published_at.isoformat() if publication else None

    def get_awarded(self, scheme) -> list[int] | None:
        """The awarded applications (ids, best first) once published; null before."""
        publication = self._publication(scheme)
        return list(publication.awarded) if publication else None


RankingRow = inline_serializer(
    "RewardRankingRow",
    {
        "rank": serializers.IntegerField(),
        "application": serializers.IntegerField(),
        "business": serializers.CharField(),
        "score": serializers.CharField(),
        "reviewers": serializers.IntegerField(),
        "awarded": serializers.BooleanField(),
    },
)


Ranking = inline_serializer(
    "RewardRanking",
    {
        "call": serializers.IntegerField(),
        "published": serializers.BooleanField(),
        "published_at": serializers.DateTimeField(allow_null=True),
        "award_amount_ntd": serializers.IntegerField(allow_null=True),
        "committed_ntd": serializers.IntegerField(),
        "rows": RankingRow,
    },
)


class AwardPublishSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, help_text=_("How many of the best are awarded."))
