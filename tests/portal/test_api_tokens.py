"""API tokens: obtaining one with a password (lock-out applies), listing, creating, revoking."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from portal.choices import AuditAction
from portal.models import ApiToken, AuditEntry, LoginFailure
from portal.models.security import hash_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash passwords cheaply: these tests sign in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def obtain(username: str, password: str, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )


def with_token(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# Obtaining a token with a username and password.


def test_correct_credentials_give_a_working_token(owner, premises):
    response = obtain("owner1", PASSWORD, name="ERP sync")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "ERP sync"
    assert body["expires_at"] is None
    assert body["token"].startswith(body["prefix"])
    assert "no-store" in response["Cache-Control"]
    listed = with_token(body["token"]).get(reverse("api:premises-list"))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [premises.pk]


def test_raw_key_is_never_stored(owner):
    raw = obtain("owner1", PASSWORD).json()["token"]

    token = ApiToken.objects.get(user=owner)
    assert token.digest == hash_token(raw)
    assert raw not in {token.digest, token.prefix, token.name}


def test_token_may_be_given_a_lifetime(owner):
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=TAIPEI), tick=False):
        body = obtain("owner1", PASSWORD, expires_in_days=30).json()

    assert body["expires_at"].startswith("2025-03-31")


def test_obtaining_a_token_is_audited(owner):
    obtain("owner1", PASSWORD, name="ERP sync")

    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATED)
    assert entry.actor == owner
    assert entry.changes["name"] == [None, "ERP sync"]


def test_wrong_password_is_a_400_in_the_one_error_shape(owner):
    response = obtain("owner1", "not-the-password")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"]["non_field_errors"] == ["The username or the password is not correct."]
    assert not ApiToken.objects.exists()
    assert LoginFailure.objects.get().channel == "api"


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(owner):
    unknown = obtain("nobody", PASSWORD)
    wrong = obtain("owner1", "wrong")

    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_missing_fields_are_field_errors():
    response = APIClient().post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


@pytest.mark.parametrize("days", [0, 366, "soon"])
def test_lifetime_out_of_range_is_a_field_error(owner, days):
    response = obtain("owner1", PASSWORD, expires_in_days=days)

    assert response.status_code == 400
    assert "expires_in_days" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(owner):
    owner.is_active = False
    owner.save()

    assert obtain("owner1", PASSWORD).status_code == 400


def test_token_endpoint_locks_out_after_repeated_failures_and_releases_after_the_delay(owner):
    limit = settings.LOCKOUT_FAILURE_LIMIT
    delay = settings.LOCKOUT_BASE_DELAY
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=TAIPEI), tick=False) as clock:
        for _ in range(limit):
            assert obtain("owner1", "wrong").status_code == 400

        locked = obtain("owner1", PASSWORD)

        assert locked.status_code == 429
        seconds = int(delay.total_seconds())
        assert f"Too many attempts: try again in {seconds} seconds" in locked.json()["detail"]
        assert int(locked["Retry-After"]) == seconds
        assert not ApiToken.objects.exists()

        clock.shift(delay - timedelta(seconds=1))
        assert obtain("owner1", PASSWORD).status_code == 429
        assert int(obtain("owner1", PASSWORD)["Retry-After"]) == 1

        clock.shift(timedelta(seconds=2))
        released = obtain("owner1", PASSWORD)

        assert released.status_code == 201, released.content


def test_lock_out_of_one_username_leaves_others_alone(owner, other_owner):
    for _ in range(settings.LOCKOUT_FAILURE_LIMIT):
        obtain("owner1", "wrong")

    assert obtain("owner1", PASSWORD).status_code == 429
    assert obtain("owner2", PASSWORD).status_code == 201


# Using, listing, creating and revoking tokens.


def test_revoked_token_is_refused_with_401(owner):
    token, raw = ApiToken.generate(owner, "to revoke")
    client = with_token(raw)
    assert client.get(reverse("api:premises-list")).status_code == 200

    response = client.delete(reverse("api:token-detail", kwargs={"pk": token.pk}))

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("api:premises-list")).status_code == 401


def test_revoking_is_audited_once(owner):
    token, _ = ApiToken.generate(owner, "to revoke")
    client = signed_in(owner)
    url = reverse("api:token-detail", kwargs={"pk": token.pk})

    client.delete(url)
    client.delete(url)

    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert entry.actor == owner
    assert entry.object_id == str(token.pk)
    assert entry.changes["revoked_at"][0] is None


def test_expired_token_is_refused_with_401(owner):
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=TAIPEI), tick=False) as clock:
        _, raw = ApiToken.generate(owner, "short", expires_at=datetime(2025, 3, 2, tzinfo=TAIPEI))
        assert with_token(raw).get(reverse("api:premises-list")).status_code == 200

        clock.shift(timedelta(days=2))

        assert with_token(raw).get(reverse("api:premises-list")).status_code == 401


def test_unknown_token_is_refused_with_401():
    response = with_token("not-a-real-token").get(reverse("api:premises-list"))

    assert response.status_code == 401


def test_users_list_only_their_own_tokens_without_keys(owner, other_owner):
    mine, raw = ApiToken.generate(owner, "mine")
    ApiToken.generate(other_owner, "theirs")

    response = signed_in(owner).get(reverse("api:token-list"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert set(rows[0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "is_active",
    }
    assert raw not in response.content.decode()


def test_another_users_token_cannot_be_read_or_revoked(owner, other_owner):
    theirs, raw = ApiToken.generate(other_owner, "theirs")
    client = signed_in(owner)
    url = reverse("api:token-detail", kwargs={"pk": theirs.pk})

    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert with_token(raw).get(reverse("api:premises-list")).status_code == 200


def test_creating_a_token_shows_the_key_once(owner):
    client = signed_in(owner)

    created = client.post(
        reverse("api:token-list"), {"name": "nightly export", "expires_in_days": 90}, format="json"
    )

    assert created.status_code == 201, created.content
    raw = created.json()["token"]
    assert with_token(raw).get(reverse("api:premises-list")).status_code == 200
    detail = client.get(reverse("api:token-detail", kwargs={"pk": created.json()["id"]}))
    assert "token" not in detail.json()
    assert AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATED).count() == 1


def test_posted_key_fields_are_ignored_when_creating(owner):
    created = signed_in(owner).post(
        reverse("api:token-list"),
        {
            "name": "x",
            "prefix": "AAAAAAAA",
            "revoked_at": "2020-01-01T00:00:00Z",
            "token": "chosen-key",
        },
        format="json",
    )

    assert created.status_code == 201
    body = created.json()
    assert body["prefix"] != "AAAAAAAA" and body["token"] != "chosen-key"
    assert ApiToken.objects.get().revoked_at is None


def test_token_needs_a_name(owner):
    response = signed_in(owner).post(reverse("api:token-list"), {}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_read_only_api_client_manages_its_own_tokens(api_client_user):
    client = signed_in(api_client_user)

    created = client.post(reverse("api:token-list"), {"name": "BI dashboard"}, format="json")
    revoked = client.delete(reverse("api:token-detail", kwargs={"pk": created.json()["id"]}))

    assert created.status_code == 201
    assert revoked.status_code == 204


def test_anonymous_cannot_list_tokens():
    assert APIClient().get(reverse("api:token-list")).status_code == 401
