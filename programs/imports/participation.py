"""Load the ESC model cities with their year-1 case studies, and city-to-city collaborations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from programs.choices import ParticipationStatus
from programs.imports.context import LoadContext
from programs.imports.reference import ASEAN_ESC
from programs.imports.tables import Row
from programs.models import City, CityCollaboration, Country, Participation

STUDIES = "jcm_feasibility_studies_fy2014.csv"
MODEL_CITY_COLUMNS = (
    "country_en",
    "country_ja",
    "program_year",
    "program_period_as_written",
    "city_ja",
    "city_en",
    "status",
    "source_doc",
    "note",
)
CASE_STUDY_COLUMNS = (
    "city_ja",
    "city_en",
    "country_ja",
    "country_en",
    "focus_areas",
    "problem_stated",
    "year1_activities",
    "quantified_results",
    "partners_named",
    "source_doc",
    "note",
)
COLLABORATION_COLUMNS = (
    "japan_partner_ja",
    "japan_partner_en",
    "partner_city_ja",
    "partner_city_en",
    "partner_country",
    "cooperation_ja",
    "cooperation_en",
    "related_fs_fy2014_no",
    "source_doc",
    "note",
)


def city_for(
    ctx: LoadContext,
    row: Row,
    country: Country,
    name_original: str,
    name_en: str,
    column: str,
    *,
    source_doc: str = "",
) -> City | None:
    """Return the city of ``country`` with either name, creating it if there is none."""
    found = ctx.cities.find(country, name_original, name_en)
    if len(found) > 1:
        row.problem(
            column,
            _("“%(name)s” matches several cities of %(country)s.")
            % {"name": name_original, "country": country},
        )
        return None
    if found:
        return found[0]
    city = ctx.store.save(
        row,
        City,
        {"country": country, "name_original": name_original},
        {"name_en": name_en, "source_doc": source_doc},
    )
    if city is not None:
        ctx.cities.add(city)
    return city


def load_model_cities(ctx: LoadContext) -> None:
    """asean_esc_model_cities.csv: one participation per city and programme year.

    A row whose status is "undecided" names no city (Malaysia, year 2): the
    participation is the country's, without a city.
    """
    esc = ctx.programmes[ASEAN_ESC]
    for row in ctx.table("asean_esc_model_cities.csv", MODEL_CITY_COLUMNS).rows():
        country = ctx.countries.get(row, "country_en", name_ja=row.text("country_ja"))
        year = row.integer("program_year", required=True)
        status = row.choice("status", ParticipationStatus.values)
        city_ja, city_en = row.text("city_ja", required=True), row.text("city_en", required=True)
        if not row.ok or country is None:
            continue
        city = None
        if status != ParticipationStatus.UNDECIDED:
            city = city_for(ctx, row, country, city_ja, city_en, "city_ja", source_doc="003")
        values = {
            "country": country,
            "period_as_written": row.text("program_period_as_written"),
            "status": status,
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        key = {"programme": esc, "programme_year": year, "city": city}
        if city is None:
            key["country"] = country
            values.pop("country")
        ctx.store.save(row, Participation, key, values, columns={"programme_year": "program_year"})


def load_case_studies(ctx: LoadContext) -> None:
    """asean_esc_year1_case_studies.csv: focus areas and results of year-1 model cities."""
    esc = ctx.programmes[ASEAN_ESC]
    for row in ctx.table("asean_esc_year1_case_studies.csv", CASE_STUDY_COLUMNS).rows():
        country = ctx.countries.get(row, "country_en", name_ja=row.text("country_ja"))
        city_ja, city_en = row.text("city_ja", required=True), row.text("city_en", required=True)
        if country is None or not row.ok or ctx.is_broken("asean_esc_model_cities.csv"):
            continue
        cities = ctx.cities.find(country, city_ja, city_en)
        participation = (
            Participation.objects.filter(programme=esc, programme_year=1, city=cities[0]).first()
            if len(cities) == 1
            else None
        )
        if participation is None:
            row.problem(
                "city_ja",
                _("“%(name)s” is not a year-1 model city of %(country)s.")
                % {"name": city_ja, "country": country},
            )
            continue
        values = {
            "focus_areas": row.text("focus_areas"),
            "problem_stated": row.text("problem_stated"),
            "activities": row.text("year1_activities"),
            "results": row.text("quantified_results"),
            "partners_named": row.text("partners_named"),
            "case_study_source_doc": row.text("source_doc"),
            "case_study_note": row.text("note"),
        }
        ctx.store.save(
            row,
            Participation,
            {"pk": participation.pk},
            values,
            columns={"activities": "year1_activities", "results": "quantified_results"},
        )


def load_collaborations(ctx: LoadContext) -> None:
    """japan_city_to_city_collaborations.csv: a Japanese city's support of a partner city."""
    for row in ctx.table("japan_city_to_city_collaborations.csv", COLLABORATION_COLUMNS).rows():
        country = ctx.countries.get(row, "partner_country")
        partner_ja = row.text("partner_city_ja", required=True)
        partner_en = row.text("partner_city_en", required=True)
        japan_en = row.text("japan_partner_en", required=True)
        fs_number = row.integer("related_fs_fy2014_no")
        project = None
        if fs_number is not None and not ctx.is_broken(STUDIES):
            project = ctx.projects.get(f"jcm-fs-fy2014-{fs_number:02d}")
            if project is None:
                row.problem(
                    "related_fs_fy2014_no",
                    _("There is no FY2014 feasibility study number %(number)d.")
                    % {"number": fs_number},
                )
        if country is None or not row.ok:
            continue
        city = city_for(ctx, row, country, partner_ja, partner_en, "partner_city_ja")
        if city is None:
            continue
        values = {
            "japan_partner_original": row.text("japan_partner_ja", required=True),
            "partner_city_name_en": partner_en,
            "cooperation_original": row.text("cooperation_ja"),
            "cooperation_en": row.text("cooperation_en"),
            "related_project": project,
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        ctx.store.save(
            row,
            CityCollaboration,
            {"japan_partner_en": japan_en, "partner_city": city},
            values,
            columns={
                "japan_partner_en": "japan_partner_en",
                "related_project": "related_fs_fy2014_no",
            },
        )
