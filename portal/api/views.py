"""API endpoints of the portal app: obtaining, listing, creating and revoking API tokens.

``POST auth/token/`` trades a username and password for a token; it goes through the
same lock-out as the sign-in page (channel ``api``). ``tokens/`` lets a signed-in user
manage their own tokens; the raw key appears once, in the response that creates it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.tokens import issue_token, revoke_token
from portal.models import ApiToken
from portal.security.lockout import LockedOut, authenticate_with_lockout

TOKEN_MAX_DAYS = 365
DEFAULT_TOKEN_NAME = "API"


class SignInLocked(exceptions.APIException):
    """Too many failed sign-ins for this username from this address: 429, Retry-After."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self) -> None:
        seconds = int(settings.LOCKOUT_COOL_OFF.total_seconds())
        minutes = max(1, -(-seconds // 60))
        # Read by DRF's exception handler to set the Retry-After header (an upper bound).
        self.wait = seconds
        message = ngettext(
            "Too many failed sign-in attempts: sign-in is locked for this username from "
            "this address. Try again after %(minutes)d minute.",
            "Too many failed sign-in attempts: sign-in is locked for this username from "
            "this address. Try again after %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message)


class TokenLifetimeSerializer(serializers.Serializer):
    """The optional lifetime of a new token, in days."""

    expires_in_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        write_only=True,
        help_text=_("From 1 to 365 days. Leave empty for a token that does not expire."),
    )

    def expires_at(self):
        """Return when the new token expires, or None when it does not."""
        days = self.validated_data.get("expires_in_days")
        return None if days is None else timezone.now() + timedelta(days=days)


class ObtainTokenSerializer(TokenLifetimeSerializer):
    """Credentials traded for a new token."""

    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        write_only=True,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )


class TokenSerializer(serializers.ModelSerializer):
    """One of the user's tokens; the key itself is never shown again."""

    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = fields


class TokenCreateSerializer(TokenLifetimeSerializer):
    """Name a new token and, optionally, let it expire after a number of days."""

    name = serializers.CharField(
        max_length=100, help_text=_("What the token is for, e.g. the system that uses it.")
    )


class NewTokenSerializer(TokenSerializer):
    """A token just created, with its raw key: copy it now, it is not shown again."""

    token = serializers.CharField(read_only=True, help_text=_("The key; shown only once."))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


def new_token_response(token: ApiToken, raw: str) -> Response:
    """Answer 201 with the new token and its raw key, never cached."""
    token.token = raw
    response = Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)
    add_never_cache_headers(response)
    return response


class ObtainTokenView(GenericAPIView):
    """Trade a username and password for a new API token (lock-out applies)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = ObtainTokenSerializer

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={
            201: NewTokenSerializer,
            400: OpenApiResponse(description=_("Missing fields or wrong credentials.")),
            429: OpenApiResponse(description=_("Sign-in is locked for a while; see Retry-After.")),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Return a new token for the user whose credentials are posted."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = authenticate_with_lockout(
                request._request, data["username"], data["password"], channel="api"
            )
        except LockedOut as exc:
            raise SignInLocked from exc
        if user is None:
            raise serializers.ValidationError(
                _("The username or the password is not correct."), code="authorization"
            )
        token, raw = issue_token(
            user, data.get("name") or DEFAULT_TOKEN_NAME, serializer.expires_at()
        )
        return new_token_response(token, raw)


@extend_schema_view(
    create=extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer}),
    destroy=extend_schema(description=_("Revoke the token: it stops working at once.")),
)
class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's own API tokens: list, create (key shown once), revoke."""

    permission_classes = [IsAuthenticated]
    serializer_class = TokenSerializer
    queryset = ApiToken.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = issue_token(
            request.user, serializer.validated_data["name"], serializer.expires_at()
        )
        return new_token_response(token, raw)

    def perform_destroy(self, instance: ApiToken) -> None:
        revoke_token(self.request.user, instance)
