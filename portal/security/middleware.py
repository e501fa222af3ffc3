"""Security headers the framework does not set by itself."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header (no inline scripts, same origin only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response
