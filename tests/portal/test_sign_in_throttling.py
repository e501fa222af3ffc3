"""Sign-in throttling: guessing is slow for the attacker, and nobody can lock the real user out.

The scenarios of issue 17 (finding 2) on the real PostgreSQL (failures) and Redis (request
rates): distributed guessing over twelve addresses, the victim on a known browser, a city
office behind one NAT address, a password reset, and an administrator clearing a lock.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.choices import AuditAction
from portal.models import AuditEntry, LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
BOTNET = [f"203.0.113.{n}" for n in range(1, 13)]  # twelve addresses
NAT = "198.51.100.7"  # a city office: many staff behind one address
HOME = "192.0.2.44"


def browser() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def refused_as_locked(response) -> bool:
    form = response.context and response.context.get("form")
    return bool(form) and form.has_error("__all__", code="locked_out")


def known_browser(username: str, address: str = HOME) -> Client:
    """Return a browser where ``username`` signed in before (and signed out since)."""
    client = browser()
    assert sign_in(client, username, PASSWORD, address).status_code == 302
    assert settings.LOCKOUT_DEVICE_COOKIE_NAME in client.cookies
    client.post(reverse("logout"))
    return client


# --- distributed guessing --------------------------------------------------------------


def test_guessing_from_twelve_addresses_is_held_to_the_account_limit(owner):
    with time_machine.travel(timezone.now(), tick=False):
        refused = 0
        for _ in range(3):
            for address in BOTNET:
                response = sign_in(browser(), owner.username, WRONG, address)
                refused += refused_as_locked(response)

        # The right password, found by the attacker now, is refused as well.
        lucky = browser()
        response = sign_in(lucky, owner.username, PASSWORD, "203.0.113.99")

    limit = settings.LOCKOUT_FAILURE_LIMIT
    assert LoginFailure.objects.filter(username=owner.username).count() == limit
    assert refused == 3 * len(BOTNET) - limit
    assert refused_as_locked(response)
    assert not signed_in(lucky)


def test_each_further_guess_waits_twice_as_long_up_to_the_cool_off(owner):
    base = settings.LOCKOUT_BASE_DELAY
    expected = [min(base * 2**n, settings.LOCKOUT_COOL_OFF) for n in range(7)]
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for address in BOTNET[: settings.LOCKOUT_FAILURE_LIMIT]:
            sign_in(browser(), owner.username, WRONG, address)
        for n, wait in enumerate(expected):
            address = BOTNET[n % len(BOTNET)]
            clock.shift(wait - timedelta(seconds=1))
            assert refused_as_locked(sign_in(browser(), owner.username, WRONG, address))
            clock.shift(timedelta(seconds=1))
            assert not refused_as_locked(sign_in(browser(), owner.username, WRONG, address))
            waits.append(wait)

    assert waits[-1] == settings.LOCKOUT_COOL_OFF
    assert [wait.total_seconds() for wait in waits[:3]] == [30, 60, 120]


# --- the victim is not locked out --------------------------------------------------------


def test_victim_on_a_known_browser_signs_in_while_the_account_is_attacked(owner):
    victim = known_browser(owner.username, address=NAT)
    with time_machine.travel(timezone.now(), tick=False):
        # A colleague behind the same NAT address, then a botnet, guess the password.
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(browser(), owner.username, WRONG, NAT)
        for address in BOTNET:
            sign_in(browser(), owner.username, WRONG, address)
        assert refused_as_locked(sign_in(browser(), owner.username, PASSWORD, NAT))

        response = sign_in(victim, owner.username, PASSWORD, NAT)

    assert response.status_code == 302
    assert signed_in(victim)


def test_shared_address_with_many_failures_does_not_lock_out_its_users(owner, other_owner):
    colleague = known_browser(other_owner.username, address=NAT)
    victim = known_browser(owner.username, address=NAT)
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(settings.LOCKOUT_ADDRESS_FAILURE_LIMIT + 5):
            sign_in(browser(), f"someone{n}", WRONG, NAT)
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(browser(), owner.username, WRONG, NAT)

        assert sign_in(victim, owner.username, PASSWORD, NAT).status_code == 302
        assert sign_in(colleague, other_owner.username, PASSWORD, NAT).status_code == 302


def test_five_failures_from_a_shared_address_leave_another_user_alone(owner, other_owner):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(browser(), owner.username, WRONG, NAT)

        colleague = browser()
        response = sign_in(colleague, other_owner.username, PASSWORD, NAT)

    assert response.status_code == 302
    assert signed_in(colleague)


def test_failures_on_a_known_browser_throttle_that_browser(owner):
    victim = known_browser(owner.username)
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(victim, owner.username, WRONG, HOME)

        assert refused_as_locked(sign_in(victim, owner.username, PASSWORD, HOME))
        # The account elsewhere is not held back by that browser's typing errors.
        assert sign_in(browser(), owner.username, PASSWORD, NAT).status_code == 302


def test_a_known_browser_counts_only_for_its_own_user_and_cannot_be_forged(owner, other_owner):
    device = known_browser(owner.username).cookies[settings.LOCKOUT_DEVICE_COOKIE_NAME].value
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(browser(), other_owner.username, WRONG, NAT)
        borrowed = browser()
        borrowed.cookies[settings.LOCKOUT_DEVICE_COOKIE_NAME] = device
        forged = browser()
        forged.cookies[settings.LOCKOUT_DEVICE_COOKIE_NAME] = device[:-2] + "xx"
        for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
            sign_in(forged, owner.username, WRONG, NAT)

        assert refused_as_locked(sign_in(borrowed, other_owner.username, PASSWORD, NAT))
        assert refused_as_locked(sign_in(forged, owner.username, PASSWORD, NAT))


def admin_sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_signing_in_to_the_admin_marks_the_browser_as_known(administrator):
    """Guessing from elsewhere holds the account back, not the administrator's own browser."""
    desk = browser()
    assert admin_sign_in(desk, administrator.username, PASSWORD, NAT).status_code == 302
    assert settings.LOCKOUT_DEVICE_COOKIE_NAME in desk.cookies
    desk.post(reverse("admin:logout"))

    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            for address in BOTNET:
                admin_sign_in(browser(), administrator.username, WRONG, address)
        refused = admin_sign_in(browser(), administrator.username, PASSWORD, NAT)
        assert refused.status_code == 200 and refused_as_locked(refused)

        assert admin_sign_in(desk, administrator.username, PASSWORD, NAT).status_code == 302
    assert signed_in(desk)


def test_device_cookie_is_signed_httponly_and_names_no_user(owner):
    client = browser()
    response = sign_in(client, owner.username, PASSWORD, HOME)

    cookie = response.cookies[settings.LOCKOUT_DEVICE_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == int(settings.LOCKOUT_DEVICE_COOKIE_AGE.total_seconds())
    assert owner.username not in cookie.value


# --- password reset ----------------------------------------------------------------------


def reset_password(owner, new: str) -> None:
    client = browser()
    client.post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=HOME)
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302


def test_password_reset_clears_the_accounts_failures_and_is_audited(owner):
    new = "Res3t-long-pass-for-tests!"
    with time_machine.travel(timezone.now(), tick=False):
        for address in BOTNET:
            sign_in(browser(), owner.username, WRONG, address)
        assert refused_as_locked(sign_in(browser(), owner.username, PASSWORD, HOME))

        reset_password(owner, new)
        client = browser()
        response = sign_in(client, owner.username, new, BOTNET[0])

    assert response.status_code == 302
    assert signed_in(client)
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="portal.loginfailure")
    assert entry.actor == owner
    assert entry.reason == "password reset"
    assert entry.changes["username"] == owner.username
    assert entry.changes["failures_cleared"] == settings.LOCKOUT_FAILURE_LIMIT


# --- administrators ----------------------------------------------------------------------


def test_administrator_lists_and_clears_a_throttled_account_audited(owner, administrator):
    admin = browser()
    admin.force_login(administrator)
    with time_machine.travel(timezone.now(), tick=False):
        for address in BOTNET[:6]:
            sign_in(browser(), owner.username, WRONG, address)

        listing = admin.get(reverse("sign-in-locks"))
        cleared = admin.post(
            reverse("sign-in-locks"), {"kind": "account", "key": owner.username}, follow=True
        )
        client = browser()
        response = sign_in(client, owner.username, PASSWORD, BOTNET[0])

    html = listing.content.decode()
    assert f'data-kind="account" data-key="{owner.username}"' in html
    assert f"<td>{settings.LOCKOUT_FAILURE_LIMIT}</td>" in html  # the sixth was refused
    assert f"The failed sign-ins of “{owner.username}” are cleared." in cleared.content.decode()
    assert f'data-key="{owner.username}"' not in cleared.content.decode()
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="portal.loginfailure")
    assert entry.actor == administrator
    assert entry.reason == "cleared by administrator"
    assert entry.changes == {
        "scope": "account",
        "username": owner.username,
        "failures_cleared": settings.LOCKOUT_FAILURE_LIMIT,
    }


def test_administrator_clears_a_throttled_address(administrator, owner):
    admin = browser()
    admin.force_login(administrator)
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(settings.LOCKOUT_ADDRESS_FAILURE_LIMIT):
            sign_in(browser(), f"someone{n}", WRONG, NAT)
        assert refused_as_locked(sign_in(browser(), owner.username, PASSWORD, NAT))
        assert f'data-key="{NAT}"' in admin.get(reverse("sign-in-locks")).content.decode()

        admin.post(reverse("sign-in-locks"), {"kind": "address", "key": NAT})

        assert sign_in(browser(), owner.username, PASSWORD, NAT).status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="portal.loginfailure")
    assert entry.changes["ip_address"] == NAT


@pytest.mark.parametrize(
    "data", [{"kind": "address", "key": "not-an-address"}, {"kind": "other", "key": "x"}, {}]
)
def test_clearing_nonsense_changes_nothing_and_says_so(administrator, owner, data):
    admin = browser()
    admin.force_login(administrator)
    sign_in(browser(), owner.username, WRONG, HOME)

    response = admin.post(reverse("sign-in-locks"), data, follow=True)

    assert response.status_code == 200
    assert LoginFailure.objects.count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_lock_start_is_audited_per_scope(owner):
    with time_machine.travel(timezone.now(), tick=False):
        for address in BOTNET[: settings.LOCKOUT_FAILURE_LIMIT + 2]:
            sign_in(browser(), owner.username, WRONG, address)

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_LOCKED)
    assert entry.changes["scope"] == "account"
    assert entry.changes["username"] == owner.username
    assert entry.changes["known_device"] is False


# --- request rates (DRF throttles, Redis) ------------------------------------------------


def test_token_endpoint_answers_429_with_retry_after_past_its_rate(owner):
    client = APIClient()
    url = reverse("api:auth-token")
    with time_machine.travel(timezone.now(), tick=False):
        statuses = [
            client.post(url, {"username": owner.username, "password": PASSWORD}).status_code
            for _ in range(30)
        ]
        refused = client.post(url, {"username": owner.username, "password": PASSWORD})

    assert statuses == [201] * 30
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    assert refused.json()["detail"] == "Too many attempts: try again in 60 seconds."


def test_sign_in_page_answers_429_with_retry_after_past_its_rate(owner):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(60):
            assert sign_in(browser(), f"user{n}", WRONG, NAT).status_code == 200
        refused = sign_in(browser(), owner.username, PASSWORD, NAT)
        elsewhere = sign_in(browser(), owner.username, PASSWORD, HOME)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    assert "Too many attempts: try again in 60 seconds." in refused.content.decode()
    assert elsewhere.status_code == 302


def test_password_reset_answers_429_past_its_rate_and_sends_no_more_mail(owner):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(20):
            browser().post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=NAT)
        refused = browser().post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=NAT)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600
    assert "Too many attempts: try again in 60 minutes." in refused.content.decode()
    assert len(mail.outbox) == 20


# --- guesses posted at once ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_guesses_posted_at_once_get_no_more_than_the_limit(owner):
    """Parallel guesses all pass a check made before any failure is written, unless the
    attempts for one username take turns (the advisory lock): then the limit holds."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    attempts = 12
    barrier = Barrier(attempts)

    def guess(address: str) -> int:
        try:
            barrier.wait(timeout=30)
            return sign_in(browser(), owner.username, WRONG, address).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(attempts) as pool:
        statuses = list(pool.map(guess, BOTNET[:attempts]))

    assert statuses == [200] * attempts
    assert LoginFailure.objects.filter(username=owner.username).count() == (
        settings.LOCKOUT_FAILURE_LIMIT
    )
