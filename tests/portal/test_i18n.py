"""Traditional Chinese is the portal's default language; English is one click away."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_default_language(settings):
    settings.LANGUAGE_CODE = "zh-hant"
    with translation.override(None):
        yield


def test_a_visitor_without_a_language_preference_gets_traditional_chinese(
    client, portal_default_language
):
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "zh-hant"
    content = response.content.decode()
    assert '<html lang="zh-Hant">' in content
    assert "登入" in content
    assert "Sign in" not in content


def test_a_browser_asking_for_english_gets_english(client, portal_default_language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()


def test_a_taiwanese_browser_gets_traditional_chinese(client, portal_default_language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9,en;q=0.5")
    assert response.headers["Content-Language"] == "zh-hant"


def test_form_errors_are_in_the_users_language(client, owner, business, portal_default_language):
    client.force_login(owner)
    response = client.post(
        reverse("business-create"),
        {
            "ubn": "22099132",
            "name_zh": "錯號公司",
            "sector": "commerce",
            "industry_code": "4711",
            "responsible_person": "王",
        },
    )
    message = response.context["form"].errors["ubn"][0]
    assert "22099132" in message
    assert "統一編號" in message


def test_api_errors_follow_the_accept_language_header(owner, portal_default_language):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(owner)
    body = {
        "ubn": "22099132",
        "name_zh": "x",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "王",
    }
    chinese = client.post("/api/v1/businesses/", body, format="json")
    english = client.post("/api/v1/businesses/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 400
    assert "統一編號" in chinese.json()["errors"]["ubn"][0]
    assert "unified business number" in english.json()["errors"]["ubn"][0]
