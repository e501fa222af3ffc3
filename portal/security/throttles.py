"""Request rates per client address (DRF throttles), for the API and for sign-in pages.

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (settings). The token endpoint
throttles through DRF itself; the sign-in and password-reset pages are Django views and
ask the same throttle classes through :class:`ThrottledPostMixin`. Past a rate the client
gets 429 with Retry-After, in its language. The counters live in the default cache
(Redis in production), shared by every server process.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.throttling import SimpleRateThrottle

from portal.security.lockout import client_address

TOO_MANY_REQUESTS_TEMPLATE = "429.html"


class AddressRateThrottle(SimpleRateThrottle):
    """Count requests per client address and scope (the address as the lock-out sees it)."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request) or "unknown",
        }


class TokenThrottle(AddressRateThrottle):
    scope = "token"


class SignInThrottle(AddressRateThrottle):
    scope = "sign_in"


class PasswordResetThrottle(AddressRateThrottle):
    scope = "password_reset"


def retry_seconds(wait: float | None) -> int:
    """Return a whole number of seconds to wait, at least one."""
    return max(1, math.ceil(wait or 0))


def wait_message(seconds: int) -> str:
    """Return "try again in …" in the reader's language, in seconds or minutes."""
    if seconds < 120:
        return ngettext(
            "Too many attempts: try again in %(seconds)d second.",
            "Too many attempts: try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts: try again in %(minutes)d minute.",
        "Too many attempts: try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_message(seconds: int) -> str:
    """Return the refusal of a sign-in that must wait after failures for the account."""
    return _(
        "%(wait)s Failed sign-ins for this account make every further attempt wait "
        "longer. If you forgot your password, reset it."
    ) % {"wait": wait_message(seconds)}


class TooManyRequests(exceptions.APIException):
    """429 with the portal's translated wording and Retry-After (read from ``wait``)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait: float | None, message: str | None = None) -> None:
        self.wait = retry_seconds(wait)
        super().__init__(message or wait_message(self.wait))


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """Render the 429 page of a Django view, with Retry-After."""
    seconds = retry_seconds(wait)
    response = render(
        request,
        TOO_MANY_REQUESTS_TEMPLATE,
        {"message": wait_message(seconds), "retry_after": seconds},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds)
    return response


class ThrottledPostMixin:
    """Apply ``throttle_classes`` to the POSTs of a Django view (a GET shows the form)."""

    throttle_classes: tuple[type[AddressRateThrottle], ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            for throttle_class in self.throttle_classes:
                throttle = throttle_class()
                if not throttle.allow_request(request, self):
                    return too_many_requests(request, throttle.wait())
        return super().dispatch(request, *args, **kwargs)
