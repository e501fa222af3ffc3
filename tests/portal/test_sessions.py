"""What a signed-in user saw is never cached, sessions end when left alone, and production
is the default (issue 17, finding 8)."""

from __future__ import annotations

import datetime
import os
import runpy
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import ApiToken
from tests.conftest import PASSWORD
from tests.enforcement.builders import ready_document
from tests.factories import make_violation

BASE_DIR = Path(settings.BASE_DIR)


def browser() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- Cache-Control: no-store --------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_pages_and_csv_exports_are_not_stored(owner, business):
    client = browser()
    client.force_login(owner)

    page = client.get(reverse("home"))
    export = client.get(reverse("equipment-export"))

    assert page.status_code == export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    for response in (page, export):
        assert no_store(response)
        assert "private" in response["Cache-Control"]
        assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_downloaded_pdf_is_not_stored(owner, premises, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    violation = make_violation(premises, "5-5", found_on=datetime.date(2025, 3, 3))
    document = ready_document(violation)
    client = browser()
    client.force_login(owner)

    response = client.get(reverse("enforcement-document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert no_store(response)


@pytest.mark.django_db
def test_api_answers_to_a_token_are_not_stored(owner):
    _, raw = ApiToken.generate(owner, "reader")

    response = Client().get(reverse("api:premises-list"), HTTP_AUTHORIZATION=f"Token {raw}")

    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.django_db
def test_the_response_that_sets_the_session_cookie_is_not_stored(owner):
    response = browser().post(reverse("login"), {"username": owner.username, "password": PASSWORD})

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert no_store(response)


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_stay_cacheable():
    response = browser().get(reverse("document-verify-start"))

    assert response.status_code == 200
    assert not no_store(response)


# --- session time limits ------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    """The production limits (the suite's fixture relaxes them for time-travelling tests)."""
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    settings.SESSION_COOKIE_AGE = 12 * 3600


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
def test_session_ends_after_thirty_idle_minutes(limits, owner):
    client = browser()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(reverse("login"), {"username": owner.username, "password": PASSWORD})
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity keeps it alive

        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert not signed_in(client)
    assert "signed out after 30 minutes without activity" in response.content.decode()


@pytest.mark.django_db
def test_session_ends_twelve_hours_after_sign_in_even_when_active(limits, owner):
    client = browser()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(reverse("login"), {"username": owner.username, "password": PASSWORD})
        for _ in range(12 * 60 // 20 - 1):
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=21))
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert not signed_in(client)


def settings_module(monkeypatch, **env: str) -> dict:
    """Return the values of portal/settings.py read afresh with this environment."""
    for name in ("SESSION_IDLE_TIMEOUT_MINUTES", "SESSION_ABSOLUTE_TIMEOUT_HOURS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "portal" / "settings.py"))


def test_session_limits_default_to_thirty_minutes_and_twelve_hours(monkeypatch):
    values = settings_module(monkeypatch)

    assert values["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=30)
    assert values["SESSION_COOKIE_AGE"] == 12 * 3600


def test_the_city_sets_the_session_limits_by_environment(monkeypatch):
    values = settings_module(
        monkeypatch, SESSION_IDLE_TIMEOUT_MINUTES="15", SESSION_ABSOLUTE_TIMEOUT_HOURS="8"
    )

    assert values["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=15)
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600


# --- production by default ----------------------------------------------------------------


def start_django(**env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process (no pytest there) with only these DJANGO_ variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print('DEBUG', settings.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_when_nobody_says_otherwise():
    started = start_django(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48), DJANGO_ALLOWED_HOSTS="portal.example"
    )

    assert started.returncode == 0, started.stderr
    assert "DEBUG False" in started.stdout


def test_production_refuses_to_start_without_a_secret_key():
    started = start_django(DJANGO_ALLOWED_HOSTS="portal.example")

    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY must be set (DEBUG is off" in started.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    started = start_django(DJANGO_SECRET_KEY=secrets.token_urlsafe(48))

    assert started.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set (DEBUG is off" in started.stderr


def test_debug_only_when_asked_for():
    assert "DEBUG True" in start_django(DJANGO_DEBUG="true").stdout


def test_demo_and_test_scripts_ask_for_debug_explicitly():
    for script in ("scripts/demo", "scripts/test"):
        lines = (BASE_DIR / script).read_text().splitlines()
        assert "export DJANGO_DEBUG=true" in lines, script
