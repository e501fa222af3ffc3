"""Load the programmes, organisations, funds and partner countries."""

from __future__ import annotations

from programs.choices import ProgrammeKind
from programs.imports.context import LoadContext
from programs.models import Fund, Organisation, PartnerCountry, Programme

APEC_LCMT = "apec-lcmt"
ASEAN_ESC = "asean-esc"
JCM = "jcm"
LOCARNET = "locarnet"

# The programmes' names as the Chinese pages show them (Taiwan usage; the APEC one as the
# Taiwanese delegation's report, source 000, writes it). Migration 0003 fills them in for
# rows loaded before it.
ZH_HANT_NAMES = {
    APEC_LCMT: "APEC低碳城市計畫",
    ASEAN_ESC: "東協環境永續城市（ESC）模範城市計畫",
    JCM: "雙邊抵換機制（JCM）",
    LOCARNET: "低碳亞洲研究網絡（LoCARNet）",
}

# The programmes the source documents describe (names as the documents write them).
PROGRAMMES = (
    {
        "code": APEC_LCMT,
        "name_en": "APEC Low Carbon Model Town (LCMT) project",
        "name_zh_hant": ZH_HANT_NAMES[APEC_LCMT],
        "name_original": "APEC低碳城市計畫",
        "kind": ProgrammeKind.MODEL_TOWNS,
        "description": (
            "Run by the APEC Energy Working Group's Low Carbon Model Town Task Force "
            "(LCMT-TF) from 2010, funded from APEC sub-fund D (energy efficiency); "
            "first case: Tianjin Yujiapu."
        ),
        "source_doc": "000",
        "organisers": ("ORG001", "ORG002"),
    },
    {
        "code": ASEAN_ESC,
        "name_en": "ASEAN ESC Model Cities Programme",
        "name_zh_hant": ZH_HANT_NAMES[ASEAN_ESC],
        "name_ja": "ASEAN ESCモデル都市プログラム",
        "name_original": "ASEAN ESCモデル都市プログラム",
        "kind": ProgrammeKind.MODEL_CITIES,
        "description": (
            "Environmentally sustainable cities (ESC) in ASEAN, funded through the "
            "Japan-ASEAN Integration Fund: year 1 (2011-04 to 2012-03) and year 2 "
            "(2014 to 2015) model cities, and the ESC High-Level Seminars."
        ),
        "source_doc": "003",
        "organisers": ("ORG041",),
    },
    {
        "code": JCM,
        "name_en": "Joint Crediting Mechanism (JCM)",
        "name_zh_hant": ZH_HANT_NAMES[JCM],
        "name_ja": "二国間クレジット制度（JCM）",
        "name_original": "二国間クレジット制度（JCM）",
        "kind": ProgrammeKind.CREDITING_MECHANISM,
        "description": (
            "Japan's bilateral crediting mechanism with partner countries, begun in 2013: "
            "equipment subsidies, feasibility studies and registered projects."
        ),
        "source_doc": "003",
        "organisers": ("ORG040",),
    },
    {
        "code": LOCARNET,
        "name_en": "Low Carbon Asia Research Network (LoCARNet)",
        "name_zh_hant": ZH_HANT_NAMES[LOCARNET],
        "name_ja": "低炭素アジア研究ネットワーク（LoCARNet）",
        "name_original": "低炭素アジア研究ネットワーク（LoCARNet）",
        "kind": ProgrammeKind.RESEARCH_NETWORK,
        "description": (
            "A network of Asian researchers for low-carbon policy, proposed in 2011 by the "
            "Government of Japan and IGES."
        ),
        "source_doc": "003",
        "organisers": ("ORG046",),
    },
)
FUND_PROGRAMMES = {
    "APEC-SUBFUND-D": APEC_LCMT,
    "JAIF": ASEAN_ESC,
    "JCM-ADB": JCM,
    "JCM-JICA": JCM,
    "JCM-EQUIP": JCM,
}

ORGANISATION_COLUMNS = (
    "org_id",
    "name_original",
    "name_en",
    "acronym",
    "org_type",
    "country_or_scope",
    "role_in_sources",
    "source_docs",
    "note",
)
FUND_COLUMNS = (
    "scheme_id",
    "source_doc",
    "name_original",
    "name_en",
    "administering_body",
    "funding_source",
    "eligible_recipients",
    "support_rate_cap",
    "max_per_project",
    "annual_budget",
    "period_as_written",
    "period_gregorian",
    "supported_activities",
    "recipient_obligations",
    "selection_or_review",
    "results_reported",
    "note",
)
PARTNER_COLUMNS = (
    "list_order",
    "country_ja",
    "country_en",
    "bilateral_document_signed_by_2014_12",
    "joint_committee_held_listed",
    "source_doc",
    "note",
)


def load_organisations(ctx: LoadContext) -> None:
    """organisations.csv: every organisation by its id."""
    for row in ctx.table("organisations.csv", ORGANISATION_COLUMNS).rows():
        code = row.text("org_id", required=True)
        values = {
            "name_original": row.text("name_original", required=True),
            "name_en": row.text("name_en", required=True),
            "acronym": row.text("acronym"),
            "org_type": row.text("org_type"),
            "country_or_scope": row.text("country_or_scope"),
            "role_in_sources": row.text("role_in_sources"),
            "source_doc": row.text("source_docs"),
            "note": row.text("note"),
        }
        organisation = ctx.store.save(
            row,
            Organisation,
            {"code": code},
            values,
            columns={"code": "org_id", "source_doc": "source_docs"},
        )
        if organisation is not None:
            ctx.organisations[code] = organisation


def load_programmes(ctx: LoadContext) -> None:
    """The programmes of the documents (a fixed table), with their organisers."""
    for spec in PROGRAMMES:
        values = {k: v for k, v in spec.items() if k not in ("code", "organisers")}
        organisers = [ctx.organisations[c] for c in spec["organisers"] if c in ctx.organisations]
        programme = ctx.store.save(
            None, Programme, {"code": spec["code"]}, values, m2m={"organisers": organisers}
        )
        if programme is not None:
            ctx.programmes[programme.code] = programme


def load_funds(ctx: LoadContext) -> None:
    """funding_schemes.csv: the funds and funding schemes, by scheme id."""
    for row in ctx.table("funding_schemes.csv", FUND_COLUMNS).rows():
        code = row.text("scheme_id", required=True)
        values = {
            "programme": ctx.programmes.get(FUND_PROGRAMMES.get(code, "")),
            "name_original": row.text("name_original", required=True),
            "name_en": row.text("name_en", required=True),
            "administering_body": row.text("administering_body"),
            "funding_source": row.text("funding_source"),
            "eligible_recipients": row.text("eligible_recipients"),
            "support_rate_cap": row.text("support_rate_cap"),
            "max_per_project": row.text("max_per_project"),
            "annual_budget": row.text("annual_budget"),
            "period_as_written": row.text("period_as_written"),
            "period": row.text("period_gregorian"),
            "supported_activities": row.text("supported_activities"),
            "recipient_obligations": row.text("recipient_obligations"),
            "selection_or_review": row.text("selection_or_review"),
            "results_reported": row.text("results_reported"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        fund = ctx.store.save(
            row,
            Fund,
            {"code": code},
            values,
            columns={"code": "scheme_id", "period": "period_gregorian"},
        )
        if fund is not None:
            ctx.funds[code] = fund


def load_partner_countries(ctx: LoadContext) -> None:
    """jcm_partner_countries.csv: the JCM's partner countries as of December 2014."""
    jcm = ctx.programmes[JCM]
    for row in ctx.table("jcm_partner_countries.csv", PARTNER_COLUMNS).rows():
        order = row.integer("list_order")
        signed = row.yes_no("bilateral_document_signed_by_2014_12")
        listed = row.yes_no("joint_committee_held_listed", none_words=("not listed",))
        country = ctx.countries.get(row, "country_en", name_ja=row.text("country_ja"))
        values = {
            "list_order": order,
            "bilateral_document_signed": signed,
            "joint_committee_listed": listed,
            "as_of": "2014-12",
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        if country is not None:
            ctx.store.save(row, PartnerCountry, {"programme": jcm, "country": country}, values)
