"""Lock sign-in out after repeated failures, per username and address, for a cool-off.

A lock is never permanent: failures older than the cool-off stop counting. The page
login and the API token endpoint both go through :func:`authenticate_with_lockout`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from portal import audit
from portal.choices import AuditAction
from portal.models import LoginFailure


class LockedOut(Exception):
    """Raised when too many recent failures block a sign-in attempt."""


def client_address(request) -> str | None:
    """Return the client's address (the proxy's forwarded one only behind a trusted proxy)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _recent(**filters):
    since = timezone.now() - settings.LOCKOUT_COOL_OFF
    return LoginFailure.objects.filter(attempted_at__gte=since, **filters)


def is_locked_out(username: str, address: str | None) -> bool:
    """Return whether sign-in for this username from this address is locked now."""
    normalized = username.strip().lower()
    pair = _recent(username=normalized, ip_address=address).count()
    if pair >= settings.LOCKOUT_FAILURE_LIMIT:
        return True
    if address is None:
        return False
    return _recent(ip_address=address).count() >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT


def authenticate_with_lockout(request, username: str, password: str, channel: str = "web"):
    """Return the user for these credentials, or None; raise LockedOut when locked.

    A failure is recorded; a success clears the failures of that username and address.
    """
    address = client_address(request)
    normalized = (username or "").strip().lower()
    if is_locked_out(normalized, address):
        raise LockedOut
    user = authenticate(request, username=username, password=password)
    if user is None:
        failure = LoginFailure.objects.create(
            username=normalized, ip_address=address, channel=channel
        )
        if is_locked_out(normalized, address):
            # Not locked before this attempt, locked after it: the lock starts now.
            audit.record(
                actor=None,
                action=AuditAction.LOGIN_LOCKED,
                instance=failure,
                changes={"username": normalized, "ip_address": address, "channel": channel},
            )
        return None
    LoginFailure.objects.filter(username=normalized, ip_address=address).delete()
    return user
