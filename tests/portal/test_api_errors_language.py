"""The API's refusals read in the client's language (DRF's own catalogue leaves them English)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-TW", "未提供驗證資訊"), ("en", "Authentication credentials were not provided")],
)
def test_a_401_says_what_to_send_in_the_client_s_language(client, language, expected):
    response = client.get(reverse("api:premises-list"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    body = response.json()
    assert expected in body["detail"] and body["errors"] == {}
    assert "Token" in body["detail"]


def test_a_refused_token_is_told_in_chinese(client):
    response = client.get(
        reverse("api:premises-list"),
        HTTP_AUTHORIZATION="Token not-a-token",
        HTTP_ACCEPT_LANGUAGE="zh-TW",
    )
    assert response.status_code == 401
    assert "權杖" in response.json()["detail"]


def test_an_unknown_filter_is_a_400_naming_it_not_a_silently_unfiltered_list(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("api:compliance-premises-list"), {"outcome": "non_compliant"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["outcome"]
    assert "status" in errors["outcome"][0]  # what the list does filter by
    known = client.get(reverse("api:compliance-premises-list"), {"page_size": 5})
    assert known.status_code == 200
