"""The public programme pages: published records only, figures and charts, filters, cities."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import (
    City,
    CityCollaboration,
    CriterionAssessment,
    Event,
    Programme,
    Project,
    ReviewStep,
)
from tests.programs import page_builders as build

pytestmark = pytest.mark.django_db


def programme_url(code: str) -> str:
    return reverse("programme-detail", args=[code])


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """Return the rows of a chart's table: header cell text → the other cells' text."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", table, re.S)[1]):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def chart_bars(html: str, chart_id: str) -> list[str]:
    """Return the tooltips of a chart's bars (one per country and series)."""
    svg = re.search(
        rf'<div class="chart-pair" data-chart="{chart_id}">.*?<svg(.*?)</svg>', html, re.S
    ).group(1)
    return re.findall(r'<rect [^>]*class="bar [^"]*"[^>]*><title>(.*?)</title>', svg)


# --- The programme list and page --------------------------------------------------------


def test_a_visitor_sees_the_published_programmes_with_their_counts(client):
    esc = build.esc_programme()
    build.programme("hidden", "Hidden programme", published=False)
    build.participate(esc, build.city("Unlisted", "アンリステッド", "Cambodia"), 3, published=False)

    response = client.get(reverse("programme-list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "ASEAN ESC Model Cities Programme" in html
    assert "Hidden programme" not in html
    listed = response.context["object_list"].get()
    # 14 published participations; the unpublished one is not counted for a visitor.
    assert (listed.participation_count, listed.event_count) == (11, 3)


def test_an_unpublished_programme_is_a_404_for_visitors_and_shown_to_officers(
    client, programme_officer, owner
):
    build.programme("draft-programme", "Draft programme", published=False)
    url = programme_url("draft-programme")

    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 404
    client.force_login(programme_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert "only programme staff see it" in response.content.decode()


def test_the_programme_page_charts_cities_by_country_and_programme_year(client):
    build.esc_programme()

    html = client.get(programme_url("asean-esc")).content.decode()

    # One bar segment per country and year; Malaysia's undecided year-2 city is not a city.
    assert sorted(chart_bars(html, "chart-cities")) == [
        "Cambodia · Year 1: 2",
        "Cambodia · Year 2: 2",
        "Indonesia · Year 1: 2",
        "Indonesia · Year 2: 1",
        "Viet Nam · Year 1: 1",
        "Viet Nam · Year 2: 2",
    ]
    assert table_rows(html, "chart-cities-table") == {
        "Cambodia": ["2", "2", "4"],
        "Indonesia": ["2", "1", "3"],
        "Viet Nam": ["1", "2", "3"],
    }
    # The table's footer gives the programme years' totals.
    footer = re.search(r'<table id="chart-cities-table">.*?<tfoot>(.*?)</tfoot>', html, re.S)[1]
    assert re.sub(r"<[^>]+>", " ", footer).split() == ["Total", "5", "5", "10"]


def test_the_programme_page_charts_expected_reductions_by_country(client):
    build.jcm_programme()

    html = client.get(programme_url("jcm")).content.decode()

    assert chart_bars(html, "chart-reductions") == ["Indonesia: 150,128", "Viet Nam: 1,000.5"]
    assert table_rows(html, "chart-reductions-table") == {
        "Indonesia": ["150,128"],
        "Viet Nam": ["1,000.5"],
    }
    assert "Expected reductions by country (tCO2/yr)" in html


def test_the_programme_page_charts_seminar_attendance_by_edition(client):
    esc = build.esc_programme()
    Event.objects.create(
        code="ESC-HLS-6",
        programme=esc,
        name_original="第6回",
        name_en="High Level Seminar on ESC (6)",
        series="ESC HLS",
        edition="6",
        edition_number=6,
        status="planned",
        published=True,
    )  # planned: the source gives no figures, so no bar

    html = client.get(programme_url("asean-esc")).content.decode()

    assert chart_bars(html, "chart-attendance") == [
        "ESC HLS 1 · Jakarta · 2010-03: 140",
        "ESC HLS 2 · Kitakyushu · 2011-03: 140",
        "ESC HLS 3 · Siem Reap · 2012-03: 230",
    ]
    assert [cells[0] for cells in table_rows(html, "chart-attendance-table").values()] == [
        "140",
        "140",
        "230",
    ]


def test_a_visitors_charts_count_only_published_records(client):
    esc = build.esc_programme()
    build.participate(esc, build.city("Yangon", "ヤンゴン", "Myanmar"), 1, published=False)

    html = client.get(programme_url("asean-esc")).content.decode()

    assert "Myanmar" not in table_rows(html, "chart-cities-table")


def test_the_cities_of_a_programme_are_filtered_by_country_and_year_and_searched(client):
    esc = build.esc_programme()
    cambodia = esc.participations.get(city__name_en="Siem Reap").country
    url = programme_url("asean-esc")

    def cities(**query) -> list[str]:
        page = client.get(url, query).context["participations"]
        return [p.city.name_en if p.city else "-" for p in page]

    assert cities(country=cambodia.pk) == ["Phnom Penh", "Siem Reap", "Phnom Penh", "Pursat"]
    assert cities(country=cambodia.pk, programme_year=2) == ["Phnom Penh", "Pursat"]
    assert cities(q="スラバヤ") == ["Surabaya"]
    assert cities(q="malaysia") == ["-"]
    assert len(cities()) == 11  # ten cities and Malaysia's undecided one


def test_the_programme_page_shows_the_country_filter_with_the_programmes_countries(client):
    build.esc_programme()
    build.city("Bangkok", "バンコク", "Thailand")  # a country of no participation

    form = client.get(programme_url("asean-esc")).context["filter_form"]

    assert [c.name_en for c in form.fields["country"].queryset] == [
        "Cambodia",
        "Indonesia",
        "Malaysia",
        "Viet Nam",
    ]


# --- The city page across programmes ----------------------------------------------------


def test_a_city_page_shows_every_programme_the_city_took_part_in(client):
    build.esc_programme()
    jcm = build.jcm_programme()
    surabaya = City.objects.get(name_en="Surabaya")
    in_city = build.project(
        jcm,
        "jcm-fs-surabaya",
        kind="jcm_feasibility_study",
        countries=["Indonesia"],
        city=surabaya,
        title_en="Feasibility study of a low-carbon Surabaya",
    )
    CityCollaboration.objects.create(
        programme=jcm,
        japan_partner_original="北九州市",
        japan_partner_en="Kitakyushu City",
        partner_city=surabaya,
        cooperation_en="Green Sister City cooperation",
        related_project=in_city,
        published=True,
    )

    response = client.get(reverse("programme-city-detail", args=[surabaya.pk]))

    html = response.content.decode()
    assert [p.programme.code for p in response.context["participations"]] == ["asean-esc"]
    assert list(response.context["city_projects"]) == [in_city]
    assert "ASEAN ESC Model Cities Programme" in html
    assert "Feasibility study of a low-carbon Surabaya" in html
    assert "Kitakyushu City" in html
    assert "スラバヤ" in html  # the name as the source writes it, beside English
    # The JCM's other projects in Indonesia are listed as the country's.
    assert {p.reference for p in response.context["country_projects"]} == {
        "jcm-equip-fy2014-1",
        "jcm-equip-fy2014-2",
    }


def test_a_city_page_hides_unpublished_participations_from_visitors(client, programme_officer):
    esc = build.esc_programme()
    hidden = build.programme("hidden", "Hidden programme", published=False)
    siem_reap = esc.participations.get(city__name_en="Siem Reap").city
    build.participate(hidden, siem_reap, 1, published=False)
    url = reverse("programme-city-detail", args=[siem_reap.pk])

    assert [p.programme.code for p in client.get(url).context["participations"]] == ["asean-esc"]
    client.force_login(programme_officer)
    assert [p.programme.code for p in client.get(url).context["participations"]] == [
        "asean-esc",
        "hidden",
    ]


def test_an_unpublished_city_is_a_404_for_a_visitor(client):
    hidden = build.city("Hidden", "ヒドゥン", "Cambodia", published=False)

    assert client.get(reverse("programme-city-detail", args=[hidden.pk])).status_code == 404


# --- Uncertain rows -------------------------------------------------------------------


def test_an_uncertain_project_says_so_and_shows_its_note_to_programme_staff(
    client, programme_officer
):
    jcm = build.jcm_programme()
    uncertain = jcm.projects.get(reference="jcm-equip-fy2014-1")
    assert uncertain.uncertain
    url = reverse("programme-project-detail", args=[uncertain.pk])

    public = client.get(url).content.decode()
    assert "they may be uncertain" in public
    assert "Source document" in public and "003" in public
    assert "INFERENCE" not in public  # the digest's note is for programme staff

    client.force_login(programme_officer)
    staff = client.get(url).content.decode()
    assert "they may be uncertain" in staff
    assert build.INFERENCE_NOTE in staff


def test_a_certain_project_has_no_uncertainty_note(client):
    jcm = build.jcm_programme()
    certain = jcm.projects.get(reference="jcm-equip-fy2014-2")

    html = client.get(reverse("programme-project-detail", args=[certain.pk])).content.decode()

    assert "may be uncertain" not in html


def test_an_uncertain_participation_is_marked_in_the_programme_page_list(client):
    esc = build.esc_programme()
    row = esc.participations.get(city__name_en="Surabaya")
    row.note = "Romanisation is an INFERENCE from katakana."
    row.save()

    html = client.get(programme_url("asean-esc")).content.decode()
    surabaya_row = re.search(r"<tr>\s*<td><a [^>]*>Surabaya</a>.*?</tr>", html, re.S).group(0)
    assert "uncertain" in surabaya_row
    assert "Romanisation" not in html


# --- The project page and list ----------------------------------------------------------


def test_the_project_page_shows_its_facts_assessments_and_review(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    tianjin = build.city("Tianjin", "天津", "China")
    yujiapu = build.project(
        lcmt,
        "lcmt-tianjin-yujiapu",
        kind="lcmt_model_town",
        status="approved",
        countries=["China"],
        city=tianjin,
        title_en="Tianjin Yujiapu low-carbon model town",
        title_original="天津于家堡低碳示範城鎮",
        region_en="Binhai New Area",
        region_original="濱海新區",
        lead_organisation_name_en="Tianjin Municipal Government",
        expected_tco2_per_year=Decimal("12345.60"),
        registration_date="2010-06-19",
    )
    CriterionAssessment.objects.create(
        criterion=build.lcmt_criterion(lcmt),
        project=yujiapu,
        evidence="Endorsed by the State Council.",
        decision="met",
        published=True,
    )
    ReviewStep.objects.create(
        project=yujiapu,
        from_status="under_review",
        to_status="approved",
        actor=programme_officer,
        actor_label="officer1",
        reason="All four criteria met.",
    )

    html = client.get(reverse("programme-project-detail", args=[yujiapu.pk])).content.decode()

    for shown in (
        "Tianjin Yujiapu low-carbon model town",
        "天津于家堡低碳示範城鎮",
        "China",
        "Binhai New Area",
        "濱海新區",
        "Tianjin Municipal Government",
        "12,345.6",
        "Approved",
        "2010-06-19",
        "Official endorsement by the government",
        "Endorsed by the State Council.",
        "Met",
        "Under review → Approved",
    ):
        assert shown in html, shown
    assert "officer1" not in html  # who took the step: programme staff only


def test_the_project_list_is_searched_and_filtered(client):
    build.esc_programme()
    jcm = build.jcm_programme()
    build.project(
        jcm,
        "jcm-fs-1",
        kind="jcm_feasibility_study",
        status="reference",
        countries=["Viet Nam"],
        title_en="Feasibility study in Da Nang",
    )
    build.project(jcm, "jcm-hidden", published=False, countries=["Viet Nam"])
    viet_nam = jcm.projects.get(reference="jcm-fs-1").countries.get()
    url = reverse("programme-project-list")

    def listed(**query) -> list[str]:
        return [p.reference for p in client.get(url, query).context["object_list"]]

    assert len(listed()) == 4  # not the unpublished one
    assert listed(country=viet_nam.pk) == ["jcm-equip-fy2014-5", "jcm-fs-1"]
    assert listed(kind="jcm_feasibility_study") == ["jcm-fs-1"]
    assert listed(status="reference") == ["jcm-fs-1"]
    assert listed(programme=jcm.pk, q="cement") == ["jcm-equip-fy2014-1"]
    assert listed(q="パーム") == ["jcm-equip-fy2014-2"]
    assert listed(q="JFE") == ["jcm-equip-fy2014-1"]


def test_the_event_list_shows_attendance_and_is_filtered(client):
    esc = build.esc_programme()
    Event.objects.create(
        code="APEC-EMM9",
        name_original="第9屆能源部長會議",
        name_en="9th APEC Energy Ministers' Meeting",
        status="held",
        published=True,
    )
    url = reverse("programme-event-list")

    response = client.get(url)
    assert len(response.context["object_list"]) == 4
    assert "230" in response.content.decode()
    assert [e.code for e in client.get(url, {"programme": esc.pk}).context["object_list"]] == [
        "ESC-HLS-1",
        "ESC-HLS-2",
        "ESC-HLS-3",
    ]
    assert [e.code for e in client.get(url, {"q": "部長"}).context["object_list"]] == ["APEC-EMM9"]


def test_the_public_pages_speak_chinese_too(client):
    build.esc_programme()
    client.cookies["django_language"] = "zh-hant"

    response = client.get(programme_url("asean-esc"), HTTP_ACCEPT_LANGUAGE="zh-hant")

    assert response.status_code == 200
    assert '<html lang="zh-Hant">' in response.content.decode()


def test_the_programmes_link_is_in_the_navigation_for_anonymous_visitors(client):
    html = client.get(reverse("programme-list")).content.decode()

    assert f'<a href="{reverse("programme-list")}">Programmes</a>' in html


# --- Query counts -----------------------------------------------------------------------


def _same_queries_for_more_rows(client, url, add_rows):
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    add_rows()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def _more_esc_rows(esc):
    def add():
        for n in range(6):
            made = build.city(f"City {n}", f"シティ{n}", f"Country {n}")
            build.participate(esc, made, 1 + n % 2)
            build.project(
                esc,
                f"esc-project-{n}",
                countries=[f"Country {n}"],
                expected_tco2_per_year=Decimal(n + 1),
            )
            Event.objects.create(
                code=f"ESC-X-{n}",
                programme=esc,
                name_original="X",
                name_en=f"Extra {n}",
                series="ESC HLS",
                edition=str(10 + n),
                edition_number=10 + n,
                status="held",
                participants=100 + n,
                published=True,
            )

    return add


@pytest.mark.parametrize("role", ["anonymous", "programme_officer"])
def test_the_programme_page_takes_the_same_queries_for_more_rows(client, personas, role):
    esc = build.esc_programme()
    if personas[role]:
        client.force_login(personas[role])
    _same_queries_for_more_rows(client, programme_url("asean-esc"), _more_esc_rows(esc))


@pytest.mark.parametrize(
    "url_name", ["programme-list", "programme-project-list", "programme-event-list"]
)
@pytest.mark.parametrize("role", ["anonymous", "administrator"])
def test_the_list_pages_take_the_same_queries_for_more_rows(client, personas, role, url_name):
    esc = build.esc_programme()
    build.jcm_programme()
    if personas[role]:
        client.force_login(personas[role])

    def add():
        _more_esc_rows(esc)()
        for n in range(3):
            build.programme(f"extra-{n}", f"Extra programme {n}")

    _same_queries_for_more_rows(client, reverse(url_name), add)


def test_the_city_page_takes_the_same_queries_for_more_rows(client):
    esc = build.esc_programme()
    jcm = build.jcm_programme()
    da_nang = esc.participations.filter(city__name_en="Da Nang").first().city

    def add():
        for n in range(4):
            other = build.programme(f"other-{n}", f"Other {n}")
            build.participate(other, da_nang, 1)
            build.project(jcm, f"da-nang-{n}", city=da_nang, countries=["Viet Nam"])

    _same_queries_for_more_rows(client, reverse("programme-city-detail", args=[da_nang.pk]), add)


# --- Open data and the shared tables ----------------------------------------------------


def test_the_lists_link_to_their_open_data_export_with_the_filters(client):
    build.esc_programme()
    jcm = build.jcm_programme()
    response = client.get(
        reverse("programme-project-list"), {"programme": jcm.pk, "kind": "jcm_equipment_subsidy"}
    )

    links = dict(response.context["open_data_links"])
    assert set(links) == {"CSV", "JSON"}
    assert "programme=jcm" in links["CSV"] and "format=csv" in links["CSV"]
    export = client.get(links["CSV"])
    assert export.status_code == 200
    body = export.content.decode()
    assert "Waste-heat recovery power generation at a cement plant" in body
    assert "122000" in body


def test_the_programme_page_links_the_export_of_its_cities(client):
    build.esc_programme()

    response = client.get(programme_url("asean-esc"))

    links = dict(response.context["open_data_links"])
    assert "programme=asean-esc" in links["JSON"]
    assert client.get(links["JSON"]).status_code == 200


def test_the_loaded_esc_page_gives_the_documents_totals(client):
    call_command("load_programme_data", verbosity=0)

    html = client.get(programme_url("asean-esc")).content.decode()

    footer = re.search(r'<table id="chart-cities-table">.*?<tfoot>(.*?)</tfoot>', html, re.S)[1]
    assert re.sub(r"<[^>]+>", " ", footer).split() == ["Total", "14", "21", "35"]
    assert len(table_rows(html, "chart-cities-table")) == 8


def test_a_loaded_city_in_esc_and_in_a_jcm_project_shows_both(client):
    call_command("load_programme_data", verbosity=0)
    surabaya = City.objects.get(name_en="Surabaya")

    response = client.get(reverse("programme-city-detail", args=[surabaya.pk]))

    programmes = {p.programme.code for p in response.context["participations"]}
    related = {c.related_project.programme.code for c in response.context["collaborations"]}
    assert "asean-esc" in programmes
    assert "jcm" in related
    assert "Kitakyushu City" in response.content.decode()


def test_events_without_an_edition_are_not_charted_as_editions(client):
    esc = build.esc_programme()
    Event.objects.create(
        code="ESC-TRAINING",
        programme=esc,
        name_original="ペナン研修",
        name_en="Water-management training for Yangon officials by Penang Water Authority",
        status="held",
        participants=10,
        published=True,
    )

    html = client.get(programme_url("asean-esc")).content.decode()

    assert len(chart_bars(html, "chart-attendance")) == 3
    assert "Water-management training" in html  # still in the events table


def test_every_loaded_record_has_a_page_for_visitors_and_staff(client, administrator):
    call_command("load_programme_data", verbosity=0)
    urls = [reverse("programme-detail", args=[p.code]) for p in Programme.objects.all()]
    urls += [
        reverse("programme-city-detail", args=[pk])
        for pk in City.objects.values_list("pk", flat=True)
    ]
    urls += [
        reverse("programme-project-detail", args=[pk])
        for pk in Project.objects.values_list("pk", flat=True)
    ]

    for user in (None, administrator):
        if user:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert len(urls) > 60
