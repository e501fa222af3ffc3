"""Error pages are the portal's own, in the reader's language, with DEBUG off.

Each says what happened and what to do next, with a way home; none is Django's bare
"403 Forbidden" or "Server Error (500)". The 500 page renders without a request or a
database query. Browsers find the icon at /favicon.ico too.
"""

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _bad_request(request):
    raise SuspiciousOperation("test")


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("test")


# This module is the URLconf of the tests below: the portal's URLs plus views that fail.
urlpatterns = [
    path("test-errors/400/", _bad_request),
    path("test-errors/403/", _forbidden),
    path("test-errors/500/", _broken),
    path("", include("portal.urls")),
]

PAGES = {
    # status: (path, heading msgid)
    400: ("/test-errors/400/", "The request could not be read"),
    403: ("/test-errors/403/", "You cannot use this page"),
    404: ("/no-such-page/", "Page not found"),
    500: ("/test-errors/500/", "Sorry, there is a problem with the portal"),
}
LANGUAGES = {"en": ("en", "en"), "zh-hant": ("zh-TW,zh;q=0.9", "zh-Hant")}


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False
    settings.LANGUAGE_CODE = "zh-hant"
    with translation.override(None):
        yield


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def _assert_branded(response, status: int, heading: str, language: str) -> str:
    html_lang = LANGUAGES[language][1]
    content = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{html_lang}">' in content
    assert f"<h1>{_in(language, heading)}</h1>" in content
    assert _in(language, "Energy-Conservation Compliance Portal") in content
    assert f'href="{reverse("home")}"' in content
    assert "<h1>Forbidden" not in content and "Server Error" not in content
    assert 'rel="icon"' in content
    return content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", PAGES)
def test_each_error_page_is_branded_in_the_readers_language(debug_off, status, language):
    client = Client(raise_request_exception=False)
    url, heading = PAGES[status]

    response = client.get(url, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language][0])

    _assert_branded(response, status, heading, language)


@pytest.mark.urls(__name__)
def test_the_500_page_needs_no_database(debug_off, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get(PAGES[500][0], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_explains_what_to_do(debug_off, owner, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(reverse("logout"), HTTP_ACCEPT_LANGUAGE=LANGUAGES[language][0])

    content = _assert_branded(response, 403, "Your form could not be sent", language)
    # Still signed in: the header names the user, the reason for developers stays out.
    assert owner.username in content
    assert "CSRF" not in content


def test_a_signed_in_user_refused_a_page_sees_the_branded_page(debug_off, client, inspector):
    client.force_login(inspector)

    response = client.get(reverse("city-settings"), HTTP_ACCEPT_LANGUAGE="en")

    _assert_branded(response, 403, "You cannot use this page", "en")


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(".svg")
    assert finders.find("favicon.svg")
