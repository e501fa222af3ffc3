"""Make password guessing slow without letting anyone lock a real user out.

Every failed sign-in (pages, the admin and the API token endpoint alike) is a
:class:`~portal.models.LoginFailure` row in PostgreSQL. Failures count for
``LOCKOUT_WINDOW`` in three buckets:

- the **account**: failures for a username from clients that are not a known device of
  that user, from whatever address (twelve addresses guessing one password share one count);
- the **address**: failures from one address for any username, again not from known devices
  (one address spraying many usernames);
- a **known device**: failures for a username from a browser where that user signed in
  before (a signed, long-lived cookie set on success).

Once a bucket holds its limit (``LOCKOUT_FAILURE_LIMIT``; ``LOCKOUT_ADDRESS_FAILURE_LIMIT``
for an address), each further attempt waits ``LOCKOUT_BASE_DELAY``, doubled with every
further failure up to ``LOCKOUT_COOL_OFF``, counted from the bucket's latest failure. An
attempt made too early is refused before the password is checked and records nothing: the
attacker gets one guess per delay, whatever the number of addresses.

A known device is judged by its own failures only. Guessing from elsewhere (a botnet, or a
colleague behind the same NAT typing the victim's name) therefore cannot keep the user out
of the browser they normally use; a password reset and an administrator clear an account.
Every lock (a bucket reaching its limit) and every clearing is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal import audit
from portal.choices import AuditAction
from portal.models import LoginFailure

DEVICE_SALT = "portal.security.lockout.device"
# Users remembered per browser (a shared office computer): the oldest is forgotten first.
DEVICE_MAX_USERS = 10

ACCOUNT = "account"
ADDRESS = "address"
DEVICE = "device"


class LockedOut(Exception):
    """Raised when recent failures make this attempt wait; ``retry_at`` says until when."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at

    @property
    def seconds(self) -> int:
        """Whole seconds left to wait (at least one)."""
        left = (self.retry_at - timezone.now()).total_seconds()
        return max(1, int(-(-left // 1)))


def client_address(request) -> str | None:
    """Return the client's address (the proxy's forwarded one only behind a trusted proxy)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def normalize(username: str) -> str:
    return (username or "").strip().lower()


# --- known devices ---------------------------------------------------------------------


def _user_mark(username: str) -> str:
    """Return a keyed digest of a username: the cookie names its users without showing them."""
    return salted_hmac(DEVICE_SALT, normalize(username)).hexdigest()[:20]


def _read_device_cookie(request) -> dict | None:
    raw = request.COOKIES.get(settings.LOCKOUT_DEVICE_COOKIE_NAME)
    if not raw:
        return None
    try:
        data = signing.loads(
            raw, salt=DEVICE_SALT, max_age=settings.LOCKOUT_DEVICE_COOKIE_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("users"), list):
        return None
    return data


def known_device(request, username: str) -> str:
    """Return this browser's device id if ``username`` signed in on it before, else ""."""
    data = _read_device_cookie(request)
    if data is None or _user_mark(username) not in data["users"]:
        return ""
    return str(data.get("id", ""))[:32]


def remember_device(request, response, username: str) -> None:
    """Mark this browser as a known device of ``username`` (after a successful sign-in)."""
    data = _read_device_cookie(request) or {"id": secrets.token_hex(16), "users": []}
    mark = _user_mark(username)
    users = [user for user in data["users"] if user != mark][-(DEVICE_MAX_USERS - 1) :]
    value = signing.dumps({"id": data["id"], "users": [*users, mark]}, salt=DEVICE_SALT)
    response.set_cookie(
        settings.LOCKOUT_DEVICE_COOKIE_NAME,
        value,
        max_age=int(settings.LOCKOUT_DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- buckets and delays ----------------------------------------------------------------


def _recent() -> QuerySet[LoginFailure]:
    return LoginFailure.objects.filter(attempted_at__gte=timezone.now() - settings.LOCKOUT_WINDOW)


def delay_after(failures: int, limit: int) -> timedelta:
    """Return the wait before the next attempt once a bucket holds ``failures``."""
    if failures < limit:
        return timedelta(0)
    doublings = min(failures - limit, 30)
    return min(settings.LOCKOUT_BASE_DELAY * (2**doublings), settings.LOCKOUT_COOL_OFF)


@dataclass(frozen=True)
class Bucket:
    kind: str
    failures: QuerySet[LoginFailure]
    limit: int

    def state(self) -> tuple[int, datetime | None]:
        """Return the number of failures and when the next attempt may come (None: now)."""
        found = self.failures.aggregate(count=Count("id"), last=Max("attempted_at"))
        wait = delay_after(found["count"], self.limit)
        if not wait:
            return found["count"], None
        return found["count"], found["last"] + wait


def buckets(username: str, address: str | None, device: str) -> list[Bucket]:
    """Return the buckets that judge an attempt for ``username`` from this client."""
    limit = settings.LOCKOUT_FAILURE_LIMIT
    if device:
        return [Bucket(DEVICE, _recent().filter(username=username, device=device), limit)]
    found = [Bucket(ACCOUNT, _recent().filter(username=username, device=""), limit)]
    if address is not None:
        by_address = _recent().filter(ip_address=address, device="")
        found.append(Bucket(ADDRESS, by_address, settings.LOCKOUT_ADDRESS_FAILURE_LIMIT))
    return found


def retry_at(username: str, address: str | None, device: str = "") -> datetime | None:
    """Return until when an attempt for ``username`` from this client must wait, or None."""
    now = timezone.now()
    waits = [at for _, at in (b.state() for b in buckets(username, address, device)) if at]
    later = [at for at in waits if at > now]
    return max(later) if later else None


def _serialize_attempts(username: str) -> None:
    """Make concurrent attempts for one username take turns (PostgreSQL advisory lock).

    Without it, guesses posted in parallel would all pass the check before any failure is
    recorded, and the delay would not hold.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"signin:{username}"])


def authenticate_with_lockout(request, username: str, password: str, channel: str = "web"):
    """Return the user for these credentials, or None; raise LockedOut while it must wait.

    A failure is recorded (and audited when it starts a lock); a success clears the
    failures of this username from this client.
    """
    address = client_address(request)
    normalized = normalize(username)
    device = known_device(request, normalized)
    with transaction.atomic():
        _serialize_attempts(normalized)
        until = retry_at(normalized, address, device)
        if until is not None:
            raise LockedOut(until)
        user = authenticate(request, username=username, password=password)
        if user is not None:
            own = LoginFailure.objects.filter(username=normalized, device=device)
            (own if device else own.filter(ip_address=address)).delete()
            return user
        failure = LoginFailure.objects.create(
            username=normalized, ip_address=address, channel=channel, device=device
        )
        for bucket in buckets(normalized, address, device):
            count, until = bucket.state()
            if count == bucket.limit:
                # This failure fills the bucket: a lock starts now.
                audit.record(
                    actor=None,
                    action=AuditAction.LOGIN_LOCKED,
                    instance=failure,
                    changes={
                        "username": normalized,
                        "ip_address": address,
                        "channel": channel,
                        "scope": bucket.kind,
                        "known_device": bool(device),
                        "retry_at": until.isoformat() if until else None,
                    },
                )
    return None


# --- what administrators see and clear ---------------------------------------------------


@dataclass(frozen=True)
class Throttled:
    """An account or address whose failures hold sign-in back."""

    kind: str  # ACCOUNT or ADDRESS
    key: str  # the username or the address
    failures: int
    last_failure: datetime
    retry_at: datetime | None  # None: may try now, but the next failure waits again


def throttled() -> list[Throttled]:
    """Return the accounts and addresses at or past their limit, the latest first."""
    found = []
    unknown_clients = _recent().filter(device="")
    groups = (
        (ACCOUNT, "username", unknown_clients, settings.LOCKOUT_FAILURE_LIMIT),
        (
            ADDRESS,
            "ip_address",
            unknown_clients.filter(ip_address__isnull=False),
            settings.LOCKOUT_ADDRESS_FAILURE_LIMIT,
        ),
    )
    now = timezone.now()
    for kind, field, rows, limit in groups:
        counted = rows.values(field).annotate(count=Count("id"), last=Max("attempted_at"))
        for row in counted.filter(count__gte=limit):
            until = row["last"] + delay_after(row["count"], limit)
            waiting = until if until > now else None
            found.append(Throttled(kind, str(row[field]), row["count"], row["last"], waiting))
    return sorted(found, key=lambda item: item.last_failure, reverse=True)


@transaction.atomic
def clear(kind: str, key: str, actor=None, reason: str = "") -> int:
    """Forget the recent failures of an account (all its clients) or an address; audited.

    Return how many failures were forgotten (0: nothing to clear, nothing audited).
    """
    field = "username" if kind == ACCOUNT else "ip_address"
    if kind == ACCOUNT:
        key = normalize(key)
    else:
        try:
            validate_ipv46_address(key)
        except ValidationError:
            return 0  # not an address: no failures can have it
    rows = LoginFailure.objects.filter(**{field: key})
    latest = rows.order_by("-attempted_at").first()
    if latest is None:
        return 0
    count, _ = rows.delete()
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=latest,
        changes={"scope": kind, field: key, "failures_cleared": count},
        reason=reason,
    )
    return count
