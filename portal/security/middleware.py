"""Security headers the framework does not set by itself, and the session's time limits."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from portal.models.security import LAST_SEEN_AT, SIGNED_IN_AT

# The last-seen time is written at most this often (seconds): not one session write per
# request, at the price of an idle timeout this much less exact.
LAST_SEEN_GRANULARITY = 60


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header (no inline scripts, same origin only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response


class NoStoreMiddleware:
    """Forbid every cache to keep what a signed-in user was shown or downloaded.

    Pages, PDFs and CSV exports of a signed-in user (and any response setting the session
    cookie) carry ``Cache-Control: no-store, private``: a shared computer's browser cache
    or a proxy must not hand them to the next person. Public responses are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or settings.SESSION_COOKIE_NAME in response.cookies:
            # max-age=0 overrides a view's own freshness (a photo's hour, say).
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class SessionTimeoutMiddleware:
    """Sign the user out after SESSION_IDLE_TIMEOUT without a request, or SESSION_COOKIE_AGE
    after signing in, whichever comes first.

    Django's own session age is absolute only while the session is not written again and
    knows no idle time: an unattended screen in a city office must not stay signed in for
    days.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        if signed_in_at is None:
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
            return
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            self._end(request, _("Your session has ended: please sign in again."))
            return
        if last_seen_at is not None and now - last_seen_at > idle:
            minutes = int(idle // 60)
            self._end(
                request,
                _(
                    "You were signed out after %(minutes)d minutes without activity: "
                    "please sign in again."
                )
                % {"minutes": minutes},
            )
            return
        if last_seen_at is None or now - last_seen_at >= LAST_SEEN_GRANULARITY:
            session[LAST_SEEN_AT] = now

    @staticmethod
    def _end(request, message: str) -> None:
        logout(request)
        messages.info(request, message)
