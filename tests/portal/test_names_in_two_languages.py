"""Schemes and programmes are named in the reader's language (issue 16).

A scheme keeps its title, a programme its name, in Traditional Chinese and in English; a
page and the API show the one of the active language, the other when only it was given
(marked with its language on pages), and the seeded rows have both.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from programs.models import Programme
from subsidies.models import Scheme
from tests.programs.builders import make_programme
from tests.subsidies.scheme_builders import make_scheme

pytestmark = pytest.mark.django_db


def _get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_seeded_schemes_have_a_chinese_and_an_english_title():
    titles = dict(Scheme.objects.values_list("code", "title_zh_hant"))
    assert titles["city-improvement"] == "臺北市節能改善補助"
    assert titles["equipment-replacement"] == "節能設備汰換補助"
    assert (
        Scheme.objects.get(code="equipment-replacement").title_en
        == "Energy-saving equipment replacement subsidy"
    )


def test_a_scheme_page_shows_the_title_of_the_readers_language(client, owner):
    scheme = make_scheme("lamps", title_zh_hant="燈具汰換補助", title_en="Lamp replacement subsidy")
    client.force_login(owner)
    url = reverse("scheme-detail", args=[scheme.pk])

    chinese, english = _get(client, url, "zh-hant"), _get(client, url, "en")

    assert "<h1>燈具汰換補助</h1>" in chinese and "Lamp replacement subsidy" not in chinese
    assert "<h1>Lamp replacement subsidy</h1>" in english and "燈具汰換補助" not in english


def test_a_title_given_in_one_language_only_is_shown_marked_with_it(client, owner):
    make_scheme("boilers", title_zh_hant="", title_en="Boiler subsidy")
    client.force_login(owner)

    page = _get(client, reverse("scheme-list"), "zh-hant")

    assert '<span lang="en" class="other-language">Boiler subsidy</span>' in page


def test_a_scheme_needs_a_title_in_one_language_at_least():
    scheme = make_scheme("lamps")
    scheme.title_zh_hant = scheme.title_en = " "
    with pytest.raises(ValidationError) as refused:
        scheme.full_clean()
    assert "title_zh_hant" in refused.value.message_dict


def test_the_api_gives_both_titles_and_the_one_asked_for(owner):
    make_scheme("lamps", title_zh_hant="燈具汰換補助", title_en="Lamp replacement subsidy")
    make_scheme("boilers", title_zh_hant="鍋爐汰換補助", title_en="A boiler subsidy")
    client = APIClient()
    client.force_authenticate(owner)
    url = reverse("api:scheme-list")

    english = client.get(url, {"ordering": "title"}, HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get(url, {"ordering": "title"}, HTTP_ACCEPT_LANGUAGE="zh-hant").json()

    rows = {row["code"]: row for row in english["results"]}
    assert (rows["lamps"]["title"], rows["lamps"]["title_zh_hant"], rows["lamps"]["title_en"]) == (
        "Lamp replacement subsidy",
        "燈具汰換補助",
        "Lamp replacement subsidy",
    )
    assert {row["code"]: row["title"] for row in chinese["results"]}["lamps"] == "燈具汰換補助"
    # Ordered by the title of the language asked for: "A boiler…" first in English only.
    english_order = [row["code"] for row in english["results"] if row["code"] in rows]
    assert english_order.index("boilers") < english_order.index("lamps")


def test_a_programme_is_named_in_the_readers_language(client):
    programme = make_programme(
        "asean-esc",
        name_en="ASEAN ESC Model Cities Programme",
        name_zh_hant="東協環境永續城市（ESC）模範城市計畫",
        name_ja="ASEAN ESCモデル都市プログラム",
    )
    url = reverse("programme-list")

    chinese, english = _get(client, url, "zh-hant"), _get(client, url, "en")

    assert "東協環境永續城市（ESC）模範城市計畫" in chinese
    assert "ASEAN ESCモデル都市プログラム" not in chinese  # a quotation, not its name
    assert "ASEAN ESC Model Cities Programme" in english
    assert str(programme) in english


def test_the_api_still_reads_and_writes_a_programmes_chinese_name_as_name_zh(
    programme_officer,
):
    client = APIClient()
    client.force_authenticate(programme_officer)

    response = client.post(
        reverse("api:programme-list"),
        {"code": "jcm", "name_en": "Joint Crediting Mechanism", "kind": "crediting_mechanism"}
        | {"name_zh": "雙邊抵換機制"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Programme.objects.get(code="jcm").name_zh_hant == "雙邊抵換機制"
    assert (response.json()["name_zh"], response.json()["name_zh_hant"]) == ("雙邊抵換機制",) * 2
