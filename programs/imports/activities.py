"""Load events (with the ESC High-Level Seminar editions), milestones and contributions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from programs.choices import EventStatus, FrameworkItemType, MilestoneKind
from programs.imports.context import LoadContext
from programs.imports.reference import APEC_LCMT, ASEAN_ESC, JCM, LOCARNET
from programs.imports.tables import plain_count, plain_number
from programs.models import Event, FrameworkItem, FundingContribution, KeyFigure, Milestone

EVENT_COLUMNS = (
    "event_id",
    "source_doc",
    "name_original",
    "name_en",
    "series",
    "edition",
    "start_date",
    "end_date",
    "status",
    "city_original",
    "city_en",
    "country",
    "organiser",
    "participants",
    "countries",
    "local_governments",
    "organisations",
    "outcomes_en",
    "note",
)
HLS_COLUMNS = (
    "edition",
    "date",
    "status",
    "venue_ja",
    "venue_en",
    "host_country",
    "participants",
    "countries",
    "local_governments",
    "organisations_intl_ngo_private",
    "outcomes_ja",
    "outcomes_en",
    "source_doc",
    "note",
)
MILESTONE_COLUMNS = (
    "date",
    "date_precision",
    "milestone_zh",
    "milestone_en",
    "milestone_type",
    "source_doc",
    "note",
)
CONTRIBUTION_COLUMNS = (
    "economy_original",
    "economy_en",
    "total_contributed",
    "total_currency",
    "year",
    "year_amount",
    "year_currency",
    "source_doc",
    "note",
)
FIGURE_COLUMNS = (
    "figure_id",
    "source_doc",
    "topic",
    "subject",
    "metric",
    "value",
    "unit",
    "value_as_written",
    "period_or_date",
    "note",
)
# The programme an event series or a figure's topic belongs to.
SERIES_PROGRAMMES = {
    "APEC LCMT-TF": APEC_LCMT,
    "ESC HLS": ASEAN_ESC,
    "ASEAN ESC Model Cities": ASEAN_ESC,
    "LoCARNet": LOCARNET,
    "LoCARNet Annual Meeting": LOCARNET,
    "JCM Joint Committee (Indonesia)": JCM,
}
TOPIC_PROGRAMMES = {
    "APEC LCMT": APEC_LCMT,
    "ASEAN ESC": ASEAN_ESC,
    "JCM": JCM,
    "LoCARNet": LOCARNET,
}
HLS_SERIES = "ESC HLS"
SUBFUND_D = "APEC-SUBFUND-D"


def _status(row, column: str) -> str:
    """Read "held" or "planned ..." (what follows "planned" is kept as written)."""
    value = row.text(column, required=True)
    if value == EventStatus.HELD or value.startswith(EventStatus.PLANNED):
        return EventStatus.HELD if value == EventStatus.HELD else EventStatus.PLANNED
    if value:
        row.problem(column, _("“%(value)s” is neither held nor planned.") % {"value": value})
    return ""


# Attendance figures: (model field for the count, model field as written, CSV column).
EVENT_COUNTS = (
    ("participants", "participants_as_written", "participants"),
    ("countries_count", "countries_as_written", "countries"),
    ("local_governments_count", "local_governments_as_written", "local_governments"),
    ("organisations_count", "organisations_as_written", "organisations"),
)
HLS_COUNTS = (
    ("participants", "participants_as_written", "participants"),
    ("countries_count", "countries_as_written", "countries"),
    ("local_governments_count", "local_governments_as_written", "local_governments"),
    ("organisations_count", "organisations_as_written", "organisations_intl_ngo_private"),
)
EVENT_FIELD_COLUMNS = {
    "code": "event_id",
    "start_date": "start_date",
    "venue_original": "city_original",
    "venue_en": "city_en",
    **{count: column for count, _written, column in EVENT_COUNTS},
}
HLS_FIELD_COLUMNS = {
    "start_date": "date",
    "venue_original": "venue_ja",
    "outcomes_original": "outcomes_ja",
    **{count: column for count, _written, column in HLS_COUNTS},
}


def _read_seminars(ctx: LoadContext) -> dict[int, tuple]:
    """Read asean_esc_hls_editions.csv: {edition: (row, values)}; figures are plain counts."""
    seminars: dict[int, tuple] = {}
    for row in ctx.table("asean_esc_hls_editions.csv", HLS_COLUMNS).rows():
        edition = row.integer("edition", required=True)
        period = row.period("date", required=True)
        values = {
            "programme": ctx.programmes[ASEAN_ESC],
            "series": HLS_SERIES,
            "edition": str(edition),
            "edition_number": edition,
            "start_as_written": row.text("date"),
            "end_as_written": row.text("date"),
            "start_date": period.start if period else None,
            "end_date": period.end if period else None,
            "date_precision": period.precision if period else "",
            "status": _status(row, "status"),
            "status_as_written": row.text("status"),
            "venue_original": row.text("venue_ja"),
            "venue_en": row.text("venue_en"),
            "country": ctx.countries.get(row, "host_country"),
            "country_as_written": row.text("host_country"),
            "outcomes_original": row.text("outcomes_ja"),
            "outcomes_en": row.text("outcomes_en"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        for count, written, column in HLS_COUNTS:
            values[count] = row.integer(column)
            values[written] = row.text(column)
        if edition is None:
            continue
        if edition in seminars:
            row.problem(
                "edition",
                _("The same record is already on line %(line)d of %(file)s.")
                % {"line": seminars[edition][0].line, "file": row.table.name},
            )
            continue
        seminars[edition] = (row, values)
    return seminars


def _merge_seminar(values: dict, seminar: dict) -> dict:
    """Complete an event's values with its seminar edition's (figures, outcomes, notes)."""
    merged = {**values}
    for name, value in seminar.items():
        if name == "note":
            continue
        if value not in ("", None) or name not in merged:
            merged[name] = value
    notes = [note for note in (values.get("note"), seminar.get("note")) if note]
    merged["note"] = "\n".join(dict.fromkeys(notes))
    return merged


def load_events(ctx: LoadContext) -> None:
    """events.csv with asean_esc_hls_editions.csv: meetings and seminars by their id.

    An ESC High-Level Seminar of events.csv is completed by its edition's row (its
    counts are plain numbers there; both notes are kept); an edition events.csv lacks
    becomes the event ESC-HLS-<edition>.
    """
    seminars = _read_seminars(ctx)
    for row in ctx.table("events.csv", EVENT_COLUMNS).rows():
        code = row.text("event_id", required=True)
        start = row.period("start_date")
        end = row.period("end_date")
        series = row.text("series")
        edition = row.text("edition")
        values = {
            "programme": ctx.programmes.get(SERIES_PROGRAMMES.get(series, "")),
            "name_original": row.text("name_original", required=True),
            "name_en": row.text("name_en", required=True),
            "series": series,
            "edition": edition,
            "edition_number": plain_count(edition) if edition else None,
            "start_as_written": row.text("start_date"),
            "end_as_written": row.text("end_date"),
            "start_date": start.start if start else None,
            "end_date": end.end if end else None,
            "date_precision": start.precision if start else "",
            "status": _status(row, "status"),
            "status_as_written": row.text("status"),
            "venue_original": row.text("city_original"),
            "venue_en": row.text("city_en"),
            "country": ctx.countries.get(row, "country", required=False),
            "country_as_written": row.text("country"),
            "organiser": row.text("organiser"),
            "outcomes_en": row.text("outcomes_en"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        for count, written, column in EVENT_COUNTS:
            text = row.text(column)
            values[count] = plain_count(text) if text else None
            values[written] = text
        if start and end and end.end < start.start:
            row.problem("end_date", _("The end is before the start."))
        columns = EVENT_FIELD_COLUMNS
        if series == HLS_SERIES and values["edition_number"] in seminars:
            seminar_row, seminar = seminars.pop(values["edition_number"])
            values = _merge_seminar(values, seminar)
            if not seminar_row.ok:
                continue
        ctx.store.save(row, Event, {"code": code}, values, columns=columns)
    for edition, (row, values) in sorted(seminars.items()):
        values = {
            "name_original": f"ESCハイレベルセミナー {edition}",
            "name_en": f"ESC High-Level Seminar {edition}",
            **values,
        }
        ctx.store.save(
            row, Event, {"code": f"ESC-HLS-{edition}"}, values, columns=HLS_FIELD_COLUMNS
        )


def load_milestones(ctx: LoadContext) -> None:
    """apec_lcmt_milestones.csv: the LCMT programme's dated milestones."""
    lcmt = ctx.programmes[APEC_LCMT]
    for row in ctx.table("apec_lcmt_milestones.csv", MILESTONE_COLUMNS).rows():
        period = row.period("date", required=True)
        precision = row.choice("date_precision", ("day", "month", "year"))
        kind = row.choice("milestone_type", MilestoneKind.values)
        if period is not None and precision and period.precision != precision:
            row.problem(
                "date_precision",
                _("The date “%(date)s” is given to the %(found)s, not the %(precision)s.")
                % {"date": row.text("date"), "found": period.precision, "precision": precision},
            )
        title_original = row.text("milestone_zh", required=True)
        values = {
            "date": period.start if period else None,
            "end_date": period.end if period and "/" in row.text("date") else None,
            "date_precision": precision,
            "title_en": row.text("milestone_en", required=True),
            "kind": kind,
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        ctx.store.save(
            row,
            Milestone,
            {
                "programme": lcmt,
                "date_as_written": row.text("date"),
                "title_original": title_original,
            },
            values,
            columns={
                "title_original": "milestone_zh",
                "title_en": "milestone_en",
                "kind": "milestone_type",
            },
        )


def load_contributions(ctx: LoadContext) -> None:
    """apec_subfund_d_contributions.csv: each economy's yearly contribution to sub-fund D."""
    fund = ctx.funds.get(SUBFUND_D)
    for row in ctx.table("apec_subfund_d_contributions.csv", CONTRIBUTION_COLUMNS).rows():
        economy = ctx.countries.get(row, "economy_en", name_zh=row.text("economy_original"))
        year = row.integer("year", required=True)
        amount = row.decimal("year_amount", required=True)
        currency = row.text("year_currency", required=True)
        if fund is None:
            row.problem(
                "", _("The fund %(code)s is not in funding_schemes.csv.") % {"code": SUBFUND_D}
            )
        values = {
            "economy_as_written": row.text("economy_original"),
            "amount": amount,
            "currency": currency,
            "total_contributed": row.decimal("total_contributed"),
            "total_currency": row.text("total_currency"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        if economy is None or not row.ok:
            continue
        ctx.store.save(
            row,
            FundingContribution,
            {"fund": fund, "economy": economy, "year": year},
            values,
            columns={"economy": "economy_en", "amount": "year_amount", "currency": "year_currency"},
        )


def load_framework_items(ctx: LoadContext) -> None:
    """apec_lcmt_/asean_esc_framework_items.csv: criteria and the other framework items."""
    for name, programme_code, text_column in (
        ("apec_lcmt_framework_items.csv", APEC_LCMT, "text_zh"),
        ("asean_esc_framework_items.csv", ASEAN_ESC, "text_ja"),
    ):
        programme = ctx.programmes[programme_code]
        columns = ("item_type", "item_no", text_column, "text_en", "source_doc", "note")
        for row in ctx.table(name, columns).rows():
            item_type = row.choice("item_type", FrameworkItemType.values)
            number = row.integer("item_no", required=True)
            values = {
                "text_original": row.text(text_column, required=True),
                "text_en": row.text("text_en", required=True),
                "source_doc": row.text("source_doc"),
                "note": row.text("note"),
            }
            ctx.store.save(
                row,
                FrameworkItem,
                {"programme": programme, "item_type": item_type, "item_no": number},
                values,
                columns={"text_original": text_column},
            )


def load_key_figures(ctx: LoadContext) -> None:
    """key_figures.csv: figures the documents state, by their id."""
    for row in ctx.table("key_figures.csv", FIGURE_COLUMNS).rows():
        code = row.text("figure_id", required=True)
        value = row.text("value")
        values = {
            "programme": ctx.programmes.get(TOPIC_PROGRAMMES.get(row.text("topic"), "")),
            "topic": row.text("topic"),
            "subject": row.text("subject"),
            "metric": row.text("metric", required=True),
            "value": value,
            "value_number": plain_number(value) if value else None,
            "unit": row.text("unit"),
            "value_as_written": row.text("value_as_written"),
            "period_or_date": row.text("period_or_date"),
            "source_doc": row.text("source_doc"),
            "note": row.text("note"),
        }
        ctx.store.save(row, KeyFigure, {"code": code}, values, columns={"code": "figure_id"})
