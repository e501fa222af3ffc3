"""Load the projects: LCMT reference sites, JCM equipment subsidies, studies, registrations.

Each project gets a stable reference (its natural key) from what identifies it in its
table: the FY2014 feasibility studies by their number, the equipment-subsidy projects by
fiscal year and lead company, registered projects by registration date and title, the
LCMT sites by their English name.
"""

from __future__ import annotations

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from programs.choices import ProjectKind, ProjectStatus
from programs.imports.context import LoadContext
from programs.imports.participation import STUDIES, city_for
from programs.imports.reference import APEC_LCMT, JCM
from programs.models import Project

SITE_COLUMNS = (
    "site_name_original",
    "site_name_en",
    "location_original",
    "location_en",
    "role",
    "area_as_written",
    "dimensions",
    "key_facts",
    "developers_or_proponents",
    "dates",
    "source_doc",
    "note",
)
EQUIPMENT_COLUMNS = (
    "fiscal_year",
    "country_en",
    "country_ja",
    "lead_company_ja",
    "lead_company_en",
    "project_ja",
    "project_en",
    "expected_reduction_tco2_per_year",
    "source_doc",
    "note",
)
STUDY_COLUMNS = (
    "no",
    "fiscal_year",
    "title_ja",
    "title_en",
    "country_ja",
    "country_en",
    "region_ja",
    "region_en",
    "source_doc",
    "note",
)
REGISTERED_COLUMNS = (
    "registration_date",
    "registering_body",
    "country_en",
    "project_ja",
    "project_en",
    "location_ja",
    "location_en",
    "participants_ja",
    "participants_en",
    "technology_en",
    "expected_reduction",
    "reference_performance",
    "source_doc",
    "note",
)
# A study's region is one city when it is a single name ending in 市 or 都 (Surabaya,
# Bangkok, Vientiane Capital); lists and provinces stay as text.
_ONE_CITY = re.compile(r"^[^、／/,]+(市|都)$")
_SITE_COUNTRY = re.compile(r",\s*([^,]+)$")


def _save_project(ctx: LoadContext, row, reference: str, values: dict, countries, columns):
    project = ctx.store.save(
        row,
        Project,
        {"reference": reference},
        values,
        m2m={"countries": countries},
        columns=columns,
    )
    if project is not None:
        ctx.projects[reference] = project
    return project


def load_lcmt_sites(ctx: LoadContext) -> None:
    """apec_lcmt_reference_sites.csv: Tianjin Yujiapu (the first LCMT case) and Harumi.

    A site whose role names it an LCMT case is a model-town project (approved: chosen on
    2010-06-19); the others are reference sites visited by the task force.
    """
    lcmt = ctx.programmes[APEC_LCMT]
    for row in ctx.table("apec_lcmt_reference_sites.csv", SITE_COLUMNS).rows():
        name_en = row.text("site_name_en", required=True)
        location_en = row.text("location_en")
        match = _SITE_COUNTRY.search(location_en)
        country = ctx.countries.resolve(row, "location_en", match.group(1)) if match else None
        model_town = "LCMT case" in row.text("role")
        values = {
            "programme": lcmt,
            "fund": ctx.funds.get("APEC-SUBFUND-D") if model_town else None,
            "kind": ProjectKind.LCMT_MODEL_TOWN if model_town else ProjectKind.REFERENCE_SITE,
            "status": ProjectStatus.APPROVED if model_town else ProjectStatus.REFERENCE,
            "title_original": row.text("site_name_original", required=True),
            "title_en": name_en,
            "region_original": row.text("location_original"),
            "region_en": location_en,
            "area_as_written": row.text("area_as_written"),
            "dimensions": row.text("dimensions"),
            "key_facts": "\n".join(filter(None, [row.text("role"), row.text("key_facts")])),
            "proponents": row.text("developers_or_proponents"),
            "dates_as_written": row.text("dates"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        reference = "lcmt-" + slugify(name_en)[:100]
        _save_project(
            ctx,
            row,
            reference,
            values,
            [country] if country else [],
            {"title_original": "site_name_original", "title_en": "site_name_en"},
        )


def load_equipment_projects(ctx: LoadContext) -> None:
    """jcm_equipment_subsidy_projects_fy2014.csv: projects adopted for the JCM subsidy."""
    jcm = ctx.programmes[JCM]
    for row in ctx.table("jcm_equipment_subsidy_projects_fy2014.csv", EQUIPMENT_COLUMNS).rows():
        fiscal_year = row.text("fiscal_year", required=True)
        lead_en = row.text("lead_company_en", required=True)
        country = ctx.countries.get(row, "country_en", name_ja=row.text("country_ja"))
        values = {
            "programme": jcm,
            "fund": ctx.funds.get("JCM-EQUIP"),
            "kind": ProjectKind.JCM_EQUIPMENT_SUBSIDY,
            "status": ProjectStatus.APPROVED,  # adopted (採択) for the subsidy
            "fiscal_year": fiscal_year,
            "title_original": row.text("project_ja", required=True),
            "title_en": row.text("project_en", required=True),
            "lead_organisation": ctx.organisation_named(lead_en),
            "lead_organisation_name_original": row.text("lead_company_ja"),
            "lead_organisation_name_en": lead_en,
            "expected_tco2_per_year": row.decimal("expected_reduction_tco2_per_year"),
            "expected_reduction_as_written": row.text("expected_reduction_tco2_per_year"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        reference = f"jcm-eq-{slugify(fiscal_year)}-{slugify(lead_en)}"[:120]
        _save_project(
            ctx,
            row,
            reference,
            values,
            [country] if country else [],
            {
                "title_original": "project_ja",
                "title_en": "project_en",
                "expected_tco2_per_year": "expected_reduction_tco2_per_year",
            },
        )


def load_feasibility_studies(ctx: LoadContext) -> None:
    """jcm_feasibility_studies_fy2014.csv: the FY2014 studies, by their number."""
    jcm = ctx.programmes[JCM]
    for row in ctx.table(STUDIES, STUDY_COLUMNS).rows():
        number = row.integer("no", required=True)
        countries = ctx.countries.get_all(row, "country_en")
        region_ja, region_en = row.text("region_ja"), row.text("region_en")
        city = None
        if row.ok and len(countries) == 1 and _ONE_CITY.match(region_ja):
            city = city_for(ctx, row, countries[0], region_ja, region_en, "region_ja")
        values = {
            "programme": jcm,
            "kind": ProjectKind.JCM_FEASIBILITY_STUDY,
            "status": ProjectStatus.APPROVED,
            "fiscal_year": row.text("fiscal_year"),
            "number": number,
            "title_original": row.text("title_ja", required=True),
            "title_en": row.text("title_en", required=True),
            "region_original": region_ja,
            "region_en": region_en,
            "city": city,
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        if number is None:
            continue
        _save_project(
            ctx,
            row,
            f"jcm-fs-fy2014-{number:02d}",
            values,
            countries,
            {"title_original": "title_ja", "title_en": "title_en", "number": "no"},
        )


def load_registered_projects(ctx: LoadContext) -> None:
    """jcm_registered_projects.csv: projects registered by a joint committee.

    The expected reduction is kept as written ("799 tCO2 by 2020"): it is not a yearly
    figure, so ``expected_tco2_per_year`` stays empty.
    """
    jcm = ctx.programmes[JCM]
    for row in ctx.table("jcm_registered_projects.csv", REGISTERED_COLUMNS).rows():
        registered = row.period("registration_date", required=True)
        if registered is not None and registered.precision != "day":
            row.problem("registration_date", _("Give the registration date as YYYY-MM-DD."))
        country = ctx.countries.get(row, "country_en")
        title_en = row.text("project_en", required=True)
        participants_en = row.text("participants_en")
        lead_name = participants_en.split(";")[0].strip()
        values = {
            "programme": jcm,
            "fund": ctx.funds.get("JCM-EQUIP"),
            "kind": ProjectKind.JCM_REGISTERED,
            "status": ProjectStatus.REGISTERED,
            "title_original": row.text("project_ja", required=True),
            "title_en": title_en,
            "region_original": row.text("location_ja"),
            "region_en": row.text("location_en"),
            "lead_organisation": ctx.organisation_named(lead_name) if lead_name else None,
            "participants_original": row.text("participants_ja"),
            "participants_en": participants_en,
            "technology": row.text("technology_en"),
            "expected_reduction_as_written": row.text("expected_reduction"),
            "reference_performance": row.text("reference_performance"),
            "registration_date": registered.start if registered else None,
            "registering_body": row.text("registering_body"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        if registered is None:
            continue
        reference = f"jcm-reg-{registered.start.isoformat()}-{slugify(title_en)}"[:120]
        _save_project(
            ctx,
            row,
            reference,
            values,
            [country] if country else [],
            {"title_original": "project_ja", "title_en": "project_en"},
        )
