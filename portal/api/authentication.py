"""API authentication by the user's named, revocable tokens."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from portal.models import ApiToken
from portal.models.security import hash_token
from portal.statements import CompiledQuery

# The active token of a digest with its user: compiled once, not built on each request.
ACTIVE_TOKEN = CompiledQuery(
    lambda digest, now: (
        ApiToken.objects.active(now=now).select_related("user").filter(digest=digest)[:1]
    ),
    placeholders=("\0 placeholder digest", datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)),
)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate ``Authorization: Token <key>`` against active, unrevoked tokens."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        now = timezone.now()
        token = next(iter(ACTIVE_TOKEN.rows(hash_token(raw), now)), None)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
