"""Health endpoints for the load balancer and docker-compose, and the metrics endpoint.

``/health/live``: the process answers (nothing else is checked, so a database outage
does not get the web containers restarted). ``/health/ready``: every check of
:mod:`portal.health`, 200 when all pass, 503 otherwise, each check's outcome in JSON;
anonymous (the load balancer has no account) and so free of host names and secrets.
``/metrics``: Prometheus's text format, only when ``METRICS_ENABLED`` is set, and only
to a caller with ``METRICS_TOKEN`` (``Authorization: Bearer …``) or from an address in
``METRICS_ALLOWED_IPS``.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import health
from portal.observability import metrics


@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    healthy, checks = health.run_all()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


@never_cache
@require_safe
def metrics_view(request):
    if not settings.METRICS_ENABLED:
        raise Http404
    if not _allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST

    return HttpResponse(metrics.render(health.outbox_backlog()), content_type=CONTENT_TYPE_LATEST)
