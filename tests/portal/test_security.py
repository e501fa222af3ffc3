"""Security headers, cookies, the deployment check and templates free of inline code."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)


# --- (a) Content-Security-Policy on every HTML page ------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    """Return the policy as ``{directive: [sources]}``."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


ANONYMOUS_PAGES = {
    "login": lambda: reverse("login"),
    "password reset": lambda: reverse("password_reset"),
    "admin login": lambda: reverse("admin:login"),
    "not found": lambda: "/no-such-page/",
}
SIGNED_IN_PAGES = {
    "home": lambda: reverse("home"),
    "API tokens": lambda: reverse("token-list"),
    "password change": lambda: reverse("password_change"),
}


def assert_strict_csp(response) -> None:
    assert response["Content-Type"].startswith("text/html")
    header = response.get("Content-Security-Policy")
    assert header, "the HTML response has no Content-Security-Policy"
    directives = csp_directives(header)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("page", ANONYMOUS_PAGES, ids=str)
def test_anonymous_html_pages_carry_a_strict_csp(client, page):
    response = client.get(ANONYMOUS_PAGES[page]())

    assert response.status_code == (404 if page == "not found" else 200)
    assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", SIGNED_IN_PAGES, ids=str)
def test_signed_in_html_pages_carry_a_strict_csp(client, owner, page):
    client.force_login(owner)

    response = client.get(SIGNED_IN_PAGES[page]())

    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
def test_a_page_with_a_form_error_carries_a_strict_csp(client, owner):
    response = client.post(reverse("login"), {"username": owner.username, "password": "wrong"})

    assert response.status_code == 200
    assert_strict_csp(response)


# --- (b) HTTPS only: HSTS and secure cookies -------------------------------------------


@pytest.fixture
def production_client(settings) -> Client:
    """Return a browser against production-like HTTPS settings."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    # A new client loads the middleware, which reads these settings, on its first request.
    return Client()


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production_client):
    response = production_client.get(reverse("login"))

    assert response.status_code == 301
    assert response.url.startswith("https://")


@pytest.mark.django_db
def test_https_responses_carry_hsts_with_subdomains(production_client):
    response = production_client.get(reverse("login"), secure=True)

    assert response.status_code == 200
    hsts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert_strict_csp(response)


@pytest.mark.django_db
def test_cookies_set_at_login_are_secure_and_the_session_is_http_only(production_client, owner):
    page = production_client.get(reverse("login"), secure=True)
    assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"]

    response = production_client.post(
        reverse("login"), {"username": owner.username, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session.value
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    for morsel in response.cookies.values():
        assert morsel["secure"], f"cookie {morsel.key} is not Secure"


# --- (c) manage.py check --deploy ------------------------------------------------------


def run_deploy_check(**extra_env: str) -> subprocess.CompletedProcess:
    """Run ``manage.py check --deploy`` with production environment variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),  # 64 random characters
        DJANGO_ALLOWED_HOSTS="portal.example.gov.tw",
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_deploy_check()

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert "security.W" not in output


def test_deploy_check_fails_when_hsts_is_switched_off():
    """Show that the check above can fail: without HSTS Django warns (security.W004)."""
    result = run_deploy_check(DJANGO_HSTS_SECONDS="0")

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


# --- (d) no inline code in templates ---------------------------------------------------

SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script\s*>", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
HTML_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
FORBIDDEN_ATTRIBUTE = re.compile(r"(?<![\w-])(?P<name>on[a-z]+|style)\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.I)
# Django's {# #} comment ends at the line's end; {% comment %} and <!-- --> may span lines.
COMMENT = re.compile(r"\{#[^\n]*?#\}|(?s:\{%\s*comment\b.*?\{%\s*endcomment\s*%\}|<!--.*?-->)")


def inline_code_violations(text: str) -> list[str]:
    """Return what in this template the CSP would block: inline scripts, styles, handlers."""
    found = []
    text = COMMENT.sub("", text)  # comments never reach the browser, or run there
    for match in SCRIPT_ELEMENT.finditer(text):
        if match.group("body").strip():
            found.append(f"inline <script> at offset {match.start()}")
    for match in STYLE_ELEMENT.finditer(text):
        found.append(f"<style> element at offset {match.start()}")
    for tag in HTML_TAG.finditer(text):
        for attribute in FORBIDDEN_ATTRIBUTE.finditer(tag.group()):
            found.append(f"{attribute.group('name')}= attribute in {tag.group()[:60]!r}")
        if JAVASCRIPT_URL.search(tag.group()):
            found.append(f"javascript: URL in {tag.group()[:60]!r}")
    return found


def project_templates() -> list[Path]:
    """Return every template of the project: templates/, each app's and each domain's."""
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates"), *BASE_DIR.glob("*/*/templates")]
    return sorted(
        path
        for root in roots
        if root.is_dir() and ".venv" not in root.parts
        for path in root.rglob("*")
        if path.suffix in {".html", ".htm"}
    )


def test_templates_are_found():
    names = {path.relative_to(BASE_DIR).as_posix() for path in project_templates()}

    assert "templates/base.html" in names
    assert "templates/registration/login.html" in names
    assert "compliance/enforcement/templates/compliance/enforcement/violation_detail.html" in names


def test_no_template_contains_inline_scripts_styles_or_event_handlers():
    violations = {
        path.relative_to(BASE_DIR).as_posix(): found
        for path in project_templates()
        if (found := inline_code_violations(path.read_text(encoding="utf-8")))
    }

    assert violations == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">\n  import "x";\n</script>',
        '<button onclick="go()">Go</button>',
        "<body onload='init()'>",
        '<div class="x" style="color: red">',
        "<input ONFOCUS = 'x()'>",
        "<style>p { color: red }</style>",
        "{# Django prints a hash comment that spans lines\n<script>run()</script> #}",
        '<a href="javascript:void(0)">x</a>',
        '<p {% if x %}style="display:none"{% endif %}>',
    ],
)
def test_scanner_flags_inline_code(snippet):
    assert inline_code_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/portal.js' %}\"></script>",
        '<script src="/static/js/x.js" defer>\n</script>',
        '<div data-onload="x" class="styled">',
        "<p>The style = plain; click on = here</p>",
        "<a href=\"{% url 'home' %}\">Home</a>",
        "{# the inline <style> moved to a file #}",
        "{% comment %}<script>old()</script>{% endcomment %}",
    ],
)
def test_scanner_accepts_external_scripts_and_plain_markup(snippet):
    assert inline_code_violations(snippet) == []
