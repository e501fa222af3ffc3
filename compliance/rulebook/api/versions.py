"""The rule book over the API: versions to read, drafts for administrators to write.

Every signed-in client reads the published versions (and which one is in force on a
day); administrators also see drafts, create, change and delete them, and publish them.
A published version is frozen: **any write to it answers 403** (for everyone, with the
reason in ``detail``) and changes nothing. A draft's parameters are parsed as the rule
engine reads them (``compliance.rules.params_from_dict``): a malformed set is a 400 with
the offending fields; one that parses but breaks a rule (a penalty outside Arts. 15-18,
overlapping EER bands) may be saved and is listed in ``problems``, and publishing it is
a 400 with those problems.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from compliance import rules
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import version_in_force
from compliance.rulebook.explain import explain_parameter_error
from compliance.rulebook.services import versions as services
from portal import bounds
from portal.api.viewsets import VisibleQuerysetMixin
from portal.permissions import can

FROZEN = gettext_lazy("A published rule book version cannot be changed; draft a new version.")
# Problems that mean a value is of the wrong kind (not out of range): refused on write.
_MALFORMED = frozenset({"not_decimal", "not_whole_number", "not_a_date"})

FORBIDDEN = OpenApiResponse(
    description=gettext_lazy(
        "Not an administrator, or the version is published: published versions are "
        "frozen and every write to them answers 403."
    )
)
INVALID = OpenApiResponse(
    description=gettext_lazy("Invalid fields: {detail, errors: {field: [messages]}}.")
)


class VisibleVersionField(serializers.PrimaryKeyRelatedField):
    """A version the requesting user may see (others are answered as unknown ids)."""

    def get_queryset(self):
        request = self.context.get("request")
        return RuleBookVersion.objects.visible_to(getattr(request, "user", None))


class ParameterProblemSerializer(serializers.Serializer):
    """One reason a version cannot be published."""

    field = serializers.CharField()
    message_key = serializers.CharField()
    message = serializers.CharField()


def _floats_in(value: Any, path: str = "") -> list[str]:
    """Return the paths of JSON numbers with a fraction (decimals must travel as strings)."""
    if isinstance(value, float):
        return [path or "parameters"]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _floats_in(item, _join(path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _floats_in(item, f"{path}[{index}]")]
    return []


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else str(key)


def parse_parameters(value: Any) -> rules.RuleParameters:
    """Read parameters as the engine does, or raise a ValidationError naming the fields."""
    if not isinstance(value, dict):
        raise serializers.ValidationError(_("Send the parameters as a JSON object."))
    floats = _floats_in(value)
    if floats:
        raise serializers.ValidationError(
            {
                path: [_('Send decimal numbers as strings, e.g. "25.5", to keep them exact.')]
                for path in floats
            }
        )
    try:
        params = rules.params_from_dict(value)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise serializers.ValidationError(
            _("These parameters cannot be read: %(error)s") % {"error": exc}
        ) from exc
    malformed: dict[str, list[str]] = {}
    for error in rules.validate_parameters(params):
        if error.message_key in _MALFORMED:
            malformed.setdefault(error.field, []).append(explain_parameter_error(error))
    if malformed:
        raise serializers.ValidationError(malformed)
    return params


class RuleBookVersionSerializer(serializers.ModelSerializer):
    """A rule-book version: its description, every parameter, and what stops publishing."""

    based_on = VisibleVersionField(required=False, allow_null=True)
    parameters = serializers.JSONField(
        required=False,
        help_text=gettext_lazy(
            "Every parameter, as compliance.rules.params_to_dict writes them: decimals as "
            "strings, dates as YYYY-MM-DD. A draft's are replaced as a whole."
        ),
    )
    created_by = serializers.StringRelatedField(read_only=True)
    published_by = serializers.StringRelatedField(read_only=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = RuleBookVersion
        fields = [
            "id",
            "number",
            "title",
            "announcement",
            "status",
            "effective_from",
            "note",
            "based_on",
            "parameters",
            "problems",
            "created_by",
            "created_at",
            "published_by",
            "published_at",
        ]
        read_only_fields = ["number", "status", "created_at", "published_at"]
        extra_kwargs = {"title": {"required": False}, "effective_from": {"required": False}}
        # One published version per day is checked when publishing, not for drafts.
        validators: list = []

    @extend_schema_field(ParameterProblemSerializer(many=True))
    def get_problems(self, version: RuleBookVersion) -> list[dict[str, str]]:
        """Return why the version cannot be published (always empty once published)."""
        if version.is_published:
            return []
        return [
            {
                "field": error.field,
                "message_key": error.message_key,
                "message": explain_parameter_error(error),
            }
            for error in services.validation_errors(version)
        ]

    def validate_parameters(self, value: Any) -> rules.RuleParameters:
        return parse_parameters(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "based_on" in attrs:
            raise serializers.ValidationError(
                {"based_on": [_("A draft's origin is set when it is created.")]}
            )
        return attrs


class PublishSerializer(serializers.Serializer):
    """Why the version is published (kept in the audit log)."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RuleBookPermission(permissions.BasePermission):
    """Everyone signed in reads; administrators write drafts; published versions are frozen."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True
        return can(user, "rulebook.draft")

    def has_object_permission(self, request, view, obj: RuleBookVersion) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if obj.is_published:
            self.message = FROZEN
            return False
        return RuleBookVersion.objects.editable_by(request.user).filter(pk=obj.pk).exists()


def _version_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in ("title", "announcement", "effective_from", "note")
        if name in data
    }


def _publish_errors(draft: RuleBookVersion, exc: DjangoValidationError) -> dict[str, list]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    if "parameters" in errors:
        errors["parameters"] = [
            explain_parameter_error(error) for error in services.validation_errors(draft)
        ]
    return errors


@extend_schema_view(
    list=extend_schema(
        description=gettext_lazy(
            "Published versions for every signed-in client; drafts too for administrators."
        )
    ),
    create=extend_schema(
        description=gettext_lazy(
            "Start a draft (administrators): a copy of `based_on`, or of the version in "
            "force today, with any fields given."
        ),
        responses={201: RuleBookVersionSerializer, 400: INVALID, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        description=gettext_lazy(
            "Change a draft (administrators). Any write to a published version answers 403."
        ),
        responses={200: RuleBookVersionSerializer, 400: INVALID, 403: FORBIDDEN},
    ),
    destroy=extend_schema(
        description=gettext_lazy(
            "Discard a draft (administrators). A published version is never deleted: 403."
        ),
        responses={204: None, 403: FORBIDDEN},
    ),
)
class RuleBookVersionViewSet(
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Rule-book versions (Arts. 5-3 to 8-2, 10-4, 10-5, 12, 15-20): the announced numbers."""

    queryset = RuleBookVersion.objects.select_related("created_by", "published_by")
    serializer_class = RuleBookVersionSerializer
    permission_classes = [RuleBookPermission]
    filterset_fields = ["status"]
    ordering_fields = ("id", "effective_from", "created_at")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @transaction.atomic
    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        draft = services.create_draft(self.request.user, based_on=data.get("based_on"))
        fields = _version_fields(data)
        if fields or "parameters" in data:
            draft = services.update_draft(
                self.request.user, draft, params=data.get("parameters"), **fields
            )
        serializer.instance = draft

    def perform_update(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.update_draft(
            self.request.user,
            serializer.instance,
            params=data.get("parameters"),
            **_version_fields(data),
        )

    def perform_destroy(self, instance: RuleBookVersion) -> None:
        services.delete_draft(self.request.user, instance)

    @extend_schema(
        request=PublishSerializer,
        responses={
            200: RuleBookVersionSerializer,
            400: OpenApiResponse(
                description=gettext_lazy(
                    "Not publishable: the problems (e.g. a fine outside Arts. 15-18) or a "
                    "date in the past, under `errors`."
                )
            ),
            403: FORBIDDEN,
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft: from then on it never changes."""
        draft = self.get_object()
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            version = services.publish(
                request.user, draft, reason=body.validated_data.get("reason", "")
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_publish_errors(draft, exc)) from exc
        return Response(self.get_serializer(version).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description=gettext_lazy("The day (YYYY-MM-DD); today in Asia/Taipei if omitted."),
            )
        ],
        responses={
            200: RuleBookVersionSerializer,
            400: INVALID,
            404: OpenApiResponse(description=gettext_lazy("No version in force on that day.")),
        },
    )
    @action(detail=False, methods=["get"], url_path="in-force", url_name="in-force")
    def in_force(self, request: Request) -> Response:
        """Return the published version in force on a day."""
        raw = request.query_params.get("on", "")
        day = None
        if raw:
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise serializers.ValidationError(
                    {"on": [_("Enter a date as YYYY-MM-DD.")]}
                ) from exc
            if not bounds.within_dates(day):
                raise serializers.ValidationError({"on": [bounds.DATE_RANGE_MESSAGE]})
        version = version_in_force(day)
        if version is None:
            raise NotFound(_("No rule book version is in force on that day."))
        version = self.get_queryset().get(pk=version.pk)
        return Response(self.get_serializer(version).data, status=status.HTTP_200_OK)
