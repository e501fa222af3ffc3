"""Builders of the programme page tests: rows that mirror the shared CSV tables.

Names, figures and notes are those of ``../shared/data`` (asean_esc_model_cities.csv,
jcm_equipment_subsidy_projects_fy2014.csv, asean_esc_hls_editions.csv,
japan_city_to_city_collaborations.csv), so the pages are tested on what they will show.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from programs.models import (
    City,
    Country,
    CriterionAssessment,
    Event,
    FrameworkItem,
    Fund,
    FundingContribution,
    Milestone,
    Participation,
    Programme,
    Project,
    ScoringCriterion,
    ScoringScheme,
)

INFERENCE_NOTE = (
    "Country for block 1 is an INFERENCE (layout + palm-oil/cement context)."  # from the CSV
)


def country(name_en: str, name_ja: str = "", published: bool = True) -> Country:
    found, _created = Country.objects.get_or_create(
        name_en=name_en, defaults={"name_ja": name_ja, "published": published}
    )
    return found


def city(name_en: str, name_original: str, country_en: str, *, published=True, **extra) -> City:
    return City.objects.create(
        country=country(country_en),
        name_en=name_en,
        name_original=name_original,
        published=published,
        source_doc="003",
        **extra,
    )


def programme(code: str, name_en: str, kind: str = "model_cities", **fields) -> Programme:
    values = {"name_en": name_en, "kind": kind, "published": True, "source_doc": "003"}
    values.update(fields)
    return Programme.objects.create(code=code, **values)


def participate(programme_: Programme, city_: City | None, year: int, **fields) -> Participation:
    values = {
        "programme": programme_,
        "city": city_,
        "country": city_.country if city_ else fields.pop("country"),
        "programme_year": year,
        "period_as_written": "2011-04 to 2012-03" if year == 1 else "2014 to 2015",
        "status": "selected",
        "published": True,
        "source_doc": "003",
    }
    values.update(fields)
    return Participation.objects.create(**values)


def project(programme_: Programme, reference: str, *, countries=(), **fields) -> Project:
    values = {
        "kind": "jcm_equipment_subsidy",
        "status": "approved",
        "title_en": reference,
        "title_original": reference,
        "published": True,
        "source_doc": "003",
    }
    values.update(fields)
    made = Project.objects.create(programme=programme_, reference=reference, **values)
    made.countries.set([country(name) for name in countries])
    return made


def esc_programme() -> Programme:
    """ASEAN ESC with year 1 and year 2 cities of four countries (as in the CSV)."""
    esc = programme(
        "asean-esc",
        "ASEAN ESC Model Cities Programme",
        name_ja="ASEAN環境的に持続可能な都市モデル都市プログラム",
    )
    rows = [
        ("Cambodia", "カンボジア", "Phnom Penh", "プノンペン", (1, 2)),
        ("Cambodia", "カンボジア", "Siem Reap", "シェムリアップ", (1,)),
        ("Cambodia", "カンボジア", "Pursat", "ポーサット", (2,)),
        ("Indonesia", "インドネシア", "Palembang", "パレンバン", (1,)),
        ("Indonesia", "インドネシア", "Surabaya", "スラバヤ", (1,)),
        ("Indonesia", "インドネシア", "Balikpapan", "バリクパパン", (2,)),
        ("Viet Nam", "ベトナム", "Da Nang", "ダナン", (1, 2)),
        ("Viet Nam", "ベトナム", "Da Lat", "ダラット", (2,)),
    ]
    for country_en, country_ja, name_en, name_ja, years in rows:
        country(country_en, country_ja)
        made = city(name_en, name_ja, country_en)
        for year in years:
            participate(esc, made, year)
    # Malaysia, year 2: "未定 (to be decided)" — recorded without a city, never counted.
    participate(esc, None, 2, country=country("Malaysia", "マレーシア"), status="undecided")
    hls = [
        (1, "2010-03", "Jakarta", "Indonesia", 140),
        (2, "2011-03", "Kitakyushu", "Japan", 140),
        (3, "2012-03", "Siem Reap", "Cambodia", 230),
    ]
    for number, when, venue, host, participants in hls:
        Event.objects.create(
            code=f"ESC-HLS-{number}",
            programme=esc,
            name_original=f"第{number}回 ASEAN ESC ハイレベルセミナー",
            name_en=f"High Level Seminar on ESC ({number})",
            series="ESC HLS",
            edition=str(number),
            edition_number=number,
            start_as_written=when,
            start_date=date(int(when[:4]), int(when[5:]), 1),
            date_precision="month",
            status="held",
            venue_en=venue,
            country=country(host),
            participants=participants,
            published=True,
            source_doc="003",
        )
    return esc


def jcm_programme() -> Programme:
    """The JCM with three FY2014 equipment-subsidy projects (figures of the CSV)."""
    jcm = programme("jcm", "Joint Crediting Mechanism", kind="crediting_mechanism")
    project(
        jcm,
        "jcm-equip-fy2014-1",
        countries=["Indonesia"],
        title_en="Waste-heat recovery power generation at a cement plant",
        title_original="セメント工場における廃熱利用発電",
        lead_organisation_name_en="JFE Engineering Corporation",
        expected_tco2_per_year=Decimal("122000"),
        fiscal_year="FY2014",
        note=INFERENCE_NOTE,
    )
    project(
        jcm,
        "jcm-equip-fy2014-2",
        countries=["Indonesia"],
        title_en="Palm-residue biomass power generation project",
        title_original="パーム残渣バイオマス発電プロジェクト",
        expected_tco2_per_year=Decimal("28128"),
        fiscal_year="FY2014",
    )
    project(
        jcm,
        "jcm-equip-fy2014-5",
        countries=["Viet Nam"],
        title_en="Energy saving in a lens factory",
        title_original="レンズ工場の省エネ",
        expected_tco2_per_year=Decimal("1000.50"),
        fiscal_year="FY2014",
    )
    return jcm


def lcmt_criterion(programme_: Programme, number: int = 1) -> FrameworkItem:
    return FrameworkItem.objects.create(
        programme=programme_,
        item_type="project_criterion",
        item_no=number,
        text_original="政府正式認可",
        text_en="Official endorsement by the government",
        published=True,
        source_doc="000",
    )


def scoring_scheme(programme_: Programme, proposals=(), **fields) -> ScoringScheme:
    """A scheme weighing the economic benefit 40 and the carbon benefit 60."""
    values = {"name": "Economic and carbon benefits", "published": True}
    values.update(fields)
    scheme = ScoringScheme.objects.create(programme=programme_, **values)
    ScoringCriterion.objects.create(
        scheme=scheme, code="economic", label="Economic benefit", weight=40
    )
    ScoringCriterion.objects.create(scheme=scheme, code="carbon", label="Carbon benefit", weight=60)
    scheme.proposals.set(proposals)
    return scheme


def matrix_objects() -> dict[str, object]:
    """The rows of the permission matrix's programme pages: published and unpublished."""
    shown = programme("page-programme", "Page Programme", kind="model_towns")
    hidden = programme("page-hidden", "Hidden Programme", published=False)
    town = city("Page City", "ページ市", "Page Country")
    hidden_town = city("Hidden City", "ヒドゥン市", "Page Country", published=False)
    participation = participate(shown, town, 1)
    proposal = project(shown, "page-project", countries=["Page Country"], status="under_review")
    hidden_proposal = project(shown, "page-hidden-project", published=False)
    criterion = lcmt_criterion(shown)
    assessment = CriterionAssessment.objects.create(
        criterion=criterion, project=proposal, evidence="Endorsed.", published=True
    )
    event = Event.objects.create(
        code="PAGE-EV",
        programme=shown,
        name_original="E",
        name_en="Page Event",
        status="held",
        published=True,
    )
    fund = Fund.objects.create(
        code="PAGE-FUND", programme=shown, name_original="F", name_en="Page Fund", published=True
    )
    contribution = FundingContribution.objects.create(
        fund=fund, economy=town.country, year=2010, amount=1000, currency="USD", published=True
    )
    milestone = Milestone.objects.create(
        programme=shown,
        date_as_written="2010-06",
        date=date(2010, 6, 1),
        date_precision="month",
        title_original="M",
        title_en="Page milestone",
        published=True,
    )
    scheme = scoring_scheme(shown, [proposal])
    return {
        "page_programme": shown.code,
        "page_hidden_programme": hidden.code,
        "page_city": town.pk,
        "page_hidden_city": hidden_town.pk,
        "page_participation": participation.pk,
        "page_project": proposal.pk,
        "page_hidden_project": hidden_proposal.pk,
        "page_assessment": assessment.pk,
        "page_event": event.pk,
        "page_contribution": contribution.pk,
        "page_milestone": milestone.pk,
        "page_scheme": scheme.pk,
        "kind_project": "project",
        "kind_city": "city",
    }
