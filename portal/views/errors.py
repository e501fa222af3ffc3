"""Edge pages the framework does not render with the request: the CSRF failure, the favicon.

The 400, 403, 404 and 500 pages are Django's default handlers with the portal's templates
(``templates/400.html`` …); the 500 page renders without a request or a database query.
"""

from django.shortcuts import render
from django.templatetags.static import static
from django.views.generic import RedirectView


def csrf_failure(request, reason=""):
    """A refused form (an expired or missing CSRF token): the branded page, signed in as before.

    ``reason`` is for developers and stays out of the page.
    """
    return render(request, "403_csrf.html", status=403)


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
