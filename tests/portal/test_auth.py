"""Sign-in, lock-out, password change and reset, and the API token pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.choices import AuditAction
from portal.models import ApiToken, AuditEntry, LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.10"
OTHER_ADDRESS = "198.51.100.20"
WRONG_PASSWORD = "not-the-password"


@pytest.fixture
def client() -> Client:
    """Return a browser that reads the portal in English (messages are asserted as text)."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def signed_in(client, owner) -> Client:
    """Return the English browser signed in as the business user ``owner``."""
    client.force_login(owner)
    return client


def sign_in(client: Client, username: str, password: str, address: str = ADDRESS):
    """Post the sign-in form from an address and return the response."""
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def fail_sign_ins(client: Client, username: str, times: int, address: str = ADDRESS) -> None:
    for _ in range(times):
        response = sign_in(client, username, WRONG_PASSWORD, address)
        assert response.status_code == 200


def without_csrf_tokens(response) -> str:
    """Return the page's HTML without its per-response CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def api_root_status(key: str) -> int:
    """Return the status of ``GET /api/v1/`` for a fresh client sending only the token."""
    return Client().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code


# --- sign in and out -------------------------------------------------------------------


def test_login_with_right_password_signs_in_and_goes_home(client, owner):
    response = sign_in(client, owner.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_signed_in(client)


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, owner):
    data = {"username": owner.username, "password": PASSWORD}
    tokens = reverse("token-list")

    inside = client.post(f"{reverse('login')}?next={tokens}", data)
    client.post(reverse("logout"))
    outside = client.post(f"{reverse('login')}?next=https://evil.example/", data)

    assert inside.url == tokens
    assert outside.url == reverse("home")


def test_login_page_offers_password_reset(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert reverse("password_reset") in response.content.decode()


def test_wrong_password_shows_error_and_keeps_username_typed(client, owner):
    response = sign_in(client, owner.username, WRONG_PASSWORD)

    assert response.status_code == 200
    assert not is_signed_in(client)
    html = response.content.decode()
    assert "Please enter a correct username and password" in html
    assert f'value="{owner.username}"' in html
    assert WRONG_PASSWORD not in html


def test_login_is_locked_after_the_failure_limit_even_for_the_right_password(client, owner):
    with time_machine.travel(timezone.now(), tick=False):
        fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT)

        response = sign_in(client, owner.username, PASSWORD)

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert response.context["form"].has_error("__all__", code="locked_out")
    html = response.content.decode()
    seconds = int(settings.LOCKOUT_BASE_DELAY.total_seconds())
    assert f"Too many attempts: try again in {seconds} seconds" in html
    assert "Failed sign-ins for this account make every further attempt wait longer" in html


def test_one_failure_below_the_limit_does_not_lock(client, owner):
    fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT - 1)

    sign_in(client, owner.username, PASSWORD)

    assert is_signed_in(client)


def test_username_case_and_spaces_do_not_escape_the_lock(client, owner):
    fail_sign_ins(client, f" {owner.username.upper()} ", settings.LOCKOUT_FAILURE_LIMIT)

    sign_in(client, owner.username, PASSWORD)

    assert not is_signed_in(client)


def test_lock_start_is_audited_once(client, owner):
    fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT - 1)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED).exists()

    fail_sign_ins(client, owner.username, 1)
    sign_in(client, owner.username, PASSWORD)  # refused while locked: no second entry

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_LOCKED)
    assert entry.object_type == "portal.loginfailure"
    assert entry.changes["username"] == owner.username
    assert entry.changes["ip_address"] == ADDRESS


def test_lock_applies_to_the_account_from_any_other_address(client, owner):
    fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT, address=ADDRESS)

    sign_in(client, owner.username, PASSWORD, address=OTHER_ADDRESS)

    assert not is_signed_in(client)


def test_lock_is_released_after_the_delay(client, owner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT)
    with time_machine.travel(start + settings.LOCKOUT_BASE_DELAY - timedelta(seconds=2)):
        sign_in(client, owner.username, PASSWORD)
        assert not is_signed_in(client)
    with time_machine.travel(start + settings.LOCKOUT_BASE_DELAY + timedelta(seconds=2)):
        sign_in(client, owner.username, PASSWORD)
        assert is_signed_in(client)


def test_successful_login_clears_earlier_failures(client, owner):
    fail_sign_ins(client, owner.username, settings.LOCKOUT_FAILURE_LIMIT - 1)
    sign_in(client, owner.username, PASSWORD)
    assert is_signed_in(client)
    client.post(reverse("logout"))

    fail_sign_ins(client, owner.username, 1)
    sign_in(client, owner.username, PASSWORD)

    assert is_signed_in(client)
    assert not LoginFailure.objects.filter(username=owner.username).exists()


def test_admin_sign_in_is_locked_out_like_the_portal(client, administrator):
    admin_login = reverse("admin:login")

    def admin_sign_in(password: str):
        data = {"username": administrator.username, "password": password}
        return client.post(admin_login, data, REMOTE_ADDR=ADDRESS)

    assert admin_sign_in(PASSWORD).status_code == 302  # the form accepts staff
    client.post(reverse("logout"))
    for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
        admin_sign_in(WRONG_PASSWORD)

    response = admin_sign_in(PASSWORD)

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert response.context["form"].has_error("__all__", code="locked_out")


def test_admin_sign_in_still_refuses_non_staff(client, owner):
    response = client.post(
        reverse("admin:login"), {"username": owner.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert not is_signed_in(client)


def test_logout_refuses_get_and_signs_out_on_post(signed_in):
    assert signed_in.get(reverse("logout")).status_code == 405
    assert is_signed_in(signed_in)

    response = signed_in.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not is_signed_in(signed_in)


# --- passwords -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["password_change", "password_change_done", "token-list"], ids=str
)
def test_account_pages_send_anonymous_visitors_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_refuses_a_wrong_old_password(signed_in, owner):
    response = signed_in.post(
        reverse("password_change"),
        {
            "old_password": WRONG_PASSWORD,
            "new_password1": "N3w-long-pass!",
            "new_password2": "N3w-long-pass!",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_password_change_with_old_password_sets_the_new_one(signed_in, owner):
    new = "N3w-long-pass-for-tests!"
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(new)
    assert is_signed_in(signed_in)  # the session survives its own password change


def test_password_reset_mails_a_link_that_sets_a_new_password(client, owner):
    response = client.post(reverse("password_reset"), {"email": owner.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new = "Res3t-long-pass-for-tests!"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(new)
    assert client.get(link, follow=True).context["validlink"] is False  # used once only


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, owner):
    known = client.post(reverse("password_reset"), {"email": owner.email}, follow=True)
    mail.outbox.clear()

    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.test"}, follow=True)

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)


# --- API tokens ------------------------------------------------------------------------


def create_token(client: Client, name: str = "Metering system", **extra) -> str:
    """Create a token through the page and return the raw key it shows."""
    response = client.post(reverse("token-create"), {"name": name, **extra})
    assert response.status_code == 200
    return response.context["raw_key"]


def test_created_token_key_is_shown_once_and_never_stored(signed_in, owner):
    response = signed_in.post(reverse("token-create"), {"name": "Metering system"})

    key = response.context["raw_key"]
    html = response.content.decode()
    assert key in html
    assert "it will not be shown again" in html
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=owner)
    assert token.prefix == key[:8]
    assert token.digest != key
    assert key not in str(dict(signed_in.session))
    listing = signed_in.get(reverse("token-list")).content.decode()
    assert token.prefix in listing
    assert key not in listing


def test_token_creation_is_audited(signed_in, owner):
    create_token(signed_in)

    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATED)
    assert entry.actor == owner
    assert entry.object_id == str(ApiToken.objects.get(user=owner).pk)


def test_token_with_expiry_expires_after_that_many_days(signed_in, owner):
    create_token(signed_in, expires_in_days=30)

    token = ApiToken.objects.get(user=owner)
    assert token.expires_at - timezone.now() == pytest.approx(
        timedelta(days=30), abs=timedelta(minutes=1)
    )


@pytest.mark.parametrize("days", ["0", "366", "soon"])
def test_token_expiry_outside_one_to_365_days_is_refused_and_keeps_the_name(signed_in, days):
    response = signed_in.post(
        reverse("token-create"), {"name": "Nightly export", "expires_in_days": days}
    )

    assert response.status_code == 200
    assert "expires_in_days" in response.context["form"].errors
    assert 'value="Nightly export"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_created_key_authenticates_against_the_api(signed_in):
    key = create_token(signed_in)

    assert api_root_status(key) == 200
    assert api_root_status(key + "x") in (401, 403)


def test_expired_token_stops_working(signed_in):
    key = create_token(signed_in, expires_in_days=1)

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert api_root_status(key) in (401, 403)
        listing = signed_in.get(reverse("token-list")).content.decode()
    assert "Expired" in listing


def test_token_list_shows_name_prefix_and_status(signed_in, owner):
    create_token(signed_in, name="Meter reader")
    token = ApiToken.objects.get(user=owner)

    html = signed_in.get(reverse("token-list")).content.decode()

    assert "Meter reader" in html
    assert token.prefix in html
    assert "Active" in html
    assert "Never" in html  # not used yet


def test_revoking_a_token_stops_it_working_and_is_audited(signed_in, owner):
    key = create_token(signed_in)
    token = ApiToken.objects.get(user=owner)

    response = signed_in.post(reverse("token-revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response.url == reverse("token-list")
    assert api_root_status(key) in (401, 403)
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert entry.actor == owner
    assert entry.changes["revoked_at"][0] is None
    assert "Revoked" in signed_in.get(reverse("token-list")).content.decode()


def test_revoke_refuses_get(signed_in, owner):
    token, key = ApiToken.generate(owner, "Meter reader")

    assert signed_in.get(reverse("token-revoke", args=[token.pk])).status_code == 405
    assert api_root_status(key) == 200


def test_user_cannot_revoke_or_see_another_users_token(signed_in, other_owner):
    token, key = ApiToken.generate(other_owner, "Other firm's export")

    response = signed_in.post(reverse("token-revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_root_status(key) == 200
    listing = signed_in.get(reverse("token-list")).content.decode()
    assert "Other firm&#x27;s export" not in listing
    assert token.prefix not in listing


def test_anonymous_cannot_create_or_revoke_tokens(client, owner):
    token, key = ApiToken.generate(owner, "Meter reader")

    created = client.post(reverse("token-create"), {"name": "Sneaky"})
    revoked = client.post(reverse("token-revoke", args=[token.pk]))

    assert created.status_code == revoked.status_code == 302
    assert ApiToken.objects.count() == 1
    assert api_root_status(key) == 200


def test_token_list_queries_stay_constant_as_tokens_grow(signed_in, owner):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse("token-list")).status_code == 200
        return len(queries)

    ApiToken.generate(owner, "first")
    few = count_queries()
    for n in range(10):
        ApiToken.generate(owner, f"token {n}")

    assert count_queries() == few
