"""The portal's URLs and two that fail on purpose, for the browser tests of the 400 and
500 pages (a live server renders them with the portal's templates, as in production)."""

from django.core.exceptions import BadRequest
from django.urls import include, path


def bad_request(request):
    raise BadRequest("A request the portal cannot read (the 400 page's test).")


def server_error(request):
    raise RuntimeError("A fault of the portal (the 500 page's test).")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/500/", server_error),
    path("", include("portal.urls")),
]
