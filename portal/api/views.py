"""API endpoints of the portal app: obtaining, listing, creating and revoking API tokens.

``POST auth/token/`` trades a username and password for a token; it goes through the
same lock-out as the sign-in page (channel ``api``) and each address may call it at most
at the ``token`` rate (429 with Retry-After past either). ``tokens/`` lets a signed-in user
manage their own tokens; the raw key appears once, in the response that creates it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.tokens import issue_token, revoke_token
from portal.models import ApiToken
from portal.security.lockout import LockedOut, authenticate_with_lockout
from portal.security.throttles import (
    TokenThrottle,
    TooManyRequests,
    locked_out_message,
    retry_seconds,
)

TOKEN_MAX_DAYS = 365
DEFAULT_TOKEN_NAME = "API"


class SignInLocked(TooManyRequests):
    """Recent failed sign-ins make this attempt wait: 429, Retry-After (the wait left)."""

    default_code = "locked_out"

    def __init__(self, wait: int) -> None:
        super().__init__(wait, locked_out_message(retry_seconds(wait)))


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
    throttle_classes = [TokenThrottle]
    serializer_class = ObtainTokenSerializer

    def throttled(self, request, wait):
        """Refuse past the ``token`` rate in the portal's words (DRF's are not translated)."""
        raise TooManyRequests(wait)

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={
            201: NewTokenSerializer,
            400: OpenApiResponse(description=_("Missing fields or wrong credentials.")),
            429: OpenApiResponse(
                description=_("Too many attempts: wait the seconds Retry-After gives.")
            ),
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
            raise SignInLocked(exc.seconds) from exc
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
