"""An anonymous visitor, in headless Chromium, opens the ASEAN ESC programme page, filters
its cities by country and opens a city's page (the shared tables loaded by the import)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from programs.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESULTS = Path("test-results")


def test_a_visitor_filters_the_esc_cities_by_country_and_opens_a_city(page):
    call_command("load_programme_data", verbosity=0)
    RESULTS.mkdir(exist_ok=True)
    indonesia = City.objects.get(name_en="Surabaya").country

    # No login: the public "Programmes" link of the navigation leads to the programmes.
    page.goto("/account/login/")
    page.click("nav.site-nav a[href='/programmes/']")
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.click("a[href='/programmes/asean-esc/']")
    page.wait_for_url(re.compile(r"/programmes/asean-esc/$"))
    # The programme's name in the reader's language (zh-Hant, the default).
    assert page.inner_text("h1") == "東協環境永續城市（ESC）模範城市計畫"

    # The chart of cities by country and year, with its table: 14 cities in year 1, 21 in
    # year 2, in 8 countries.
    page.locator("svg[aria-labelledby^='chart-cities']").wait_for()
    footer = page.inner_text("#chart-cities-table tfoot").split()
    assert footer[-3:] == ["14", "21", "35"]
    assert page.locator("#chart-cities-table tbody tr").count() == 8

    # Filter the cities by country.
    page.select_option("#id_country", str(indonesia.pk))
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(rf"country={indonesia.pk}"))
    rows = page.locator("table.participations tbody tr")
    countries = {text.split()[0] for text in rows.locator("td:nth-child(2)").all_inner_texts()}
    assert countries == {"Indonesia"}
    cities = rows.locator("td:first-child a").all_inner_texts()
    assert {"Palembang", "Surabaya", "Balikpapan", "Malang"} <= set(cities)
    page.screenshot(path=str(RESULTS / "programme-esc-indonesia.png"), full_page=True)

    # Open a city's page: every programme the city took part in.
    page.locator("table.participations a", has_text="Surabaya").first.click()
    page.wait_for_url(re.compile(r"/programmes/cities/\d+/$"))
    assert "Surabaya" in page.inner_text("h1")
    participations = page.inner_text("table.participations")
    assert "東協環境永續城市（ESC）模範城市計畫" in participations
    assert "Kitakyushu" in page.inner_text("main")
    page.screenshot(path=str(RESULTS / "programme-city-surabaya.png"), full_page=True)
