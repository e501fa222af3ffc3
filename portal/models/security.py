"""API tokens and failed-login records."""

import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX_LENGTH = 8


def hash_token(raw: str) -> str:
    """Return the stored digest of a raw token (raw tokens are never stored)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        """Tokens neither revoked nor expired at ``now`` (default: this moment)."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now or timezone.now())
        )


class ApiToken(models.Model):
    """A named API token a user creates and can revoke; only its digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def generate(cls, user, name: str, expires_at=None) -> tuple["ApiToken", str]:
        """Create a token for the user; return it and the raw key, shown only once."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:TOKEN_PREFIX_LENGTH],
            digest=hash_token(raw),
            expires_at=expires_at,
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class LoginFailure(models.Model):
    """A failed sign-in; recent failures slow down further attempts (portal/security/lockout.py).

    ``device`` names the browser when it is one where this username signed in before (its
    failures count for that browser only); it is empty for any other client.
    """

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=16, default="web")
    device = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["username", "ip_address", "attempted_at"]),
            models.Index(fields=["ip_address", "attempted_at"], name="portal_loginfail_address"),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip_address} {self.attempted_at:%Y-%m-%d %H:%M:%S}"


# Session keys (epoch seconds): when the user signed in, and their latest request
# (portal/security/middleware.py ends sessions left idle or too old).
SIGNED_IN_AT = "_portal_signed_in_at"
LAST_SEEN_AT = "_portal_last_seen_at"


@receiver(user_logged_in, dispatch_uid="portal.security.signed_in_at")
def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """Note when the session signed in: its absolute lifetime counts from here.

    Connected here, with the models, so that it is in place before any sign-in (the test
    client's included), whatever page is asked first.
    """
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
