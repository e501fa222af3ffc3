"""The queries behind a programme page's figures and charts (one grouped query each).

Every query reads through ``visible_to(user)``: a visitor's chart counts published
records only. Which figures are charted is :mod:`programs.charts`; the geometry and the
drawing are :mod:`portal.charts`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from programs import charts
from programs.models import Event, Participation, Programme, Project


def cities_chart(programme: Programme, user) -> charts.BarChart | None:
    """Chart the programme's cities by country and programme year (cityless rows not counted)."""
    counts = (
        Participation.objects.visible_to(user)
        .filter(programme=programme, city__isnull=False, programme_year__isnull=False)
        .values("country_id", "country__name_en", "programme_year")
        .annotate(cities=Count("city", distinct=True))
        .order_by()
    )
    ids = {}
    rows = []
    for row in counts:
        ids[row["country__name_en"]] = row["country_id"]
        rows.append((row["country__name_en"], row["programme_year"], row["cities"]))
    page = reverse("programme-detail", args=[programme.code])
    return charts.cities_by_country(
        rows, url_for=lambda country: f"{page}?country={ids[country]}#cities"
    )


def reductions_chart(programme: Programme, user) -> charts.BarChart | None:
    """Chart the expected reductions of the programme's projects, summed by country."""
    totals = (
        Project.objects.visible_to(user)
        .filter(programme=programme, expected_tco2_per_year__isnull=False)
        .values("countries__name_en")
        .annotate(total=Sum("expected_tco2_per_year"))
        .order_by("countries__name_en")
    )
    rows = [
        (row["countries__name_en"] or _("No country given"), row["total"] or Decimal(0))
        for row in totals
    ]
    return charts.reductions_by_country(rows)


def edition_label(event: Event) -> str:
    """Return a short label for one edition of a seminar: series, edition, place and date."""
    parts = [" ".join(part for part in (event.series, event.edition) if part) or event.code]
    place = event.venue_en or event.country_as_written
    if place:
        parts.append(place)
    if event.start_as_written:
        parts.append(event.start_as_written)
    return " · ".join(parts)


def attendance_chart(programme: Programme, user) -> charts.BarChart | None:
    """Chart the participants of each numbered edition of the programme's seminars.

    Events without an edition number (a study tour, a training) are not editions of a
    series and stay in the events table only.
    """
    events = (
        Event.objects.visible_to(user)
        .filter(programme=programme, participants__isnull=False, edition_number__isnull=False)
        .order_by("series", "edition_number", "start_date", "code")
    )
    return charts.attendance_by_edition(
        [(edition_label(event), event.participants) for event in events]
    )


def programme_charts(programme: Programme, user) -> list[charts.BarChart]:
    """Return the programme's charts that have something to show, in page order."""
    drawn = (
        cities_chart(programme, user),
        reductions_chart(programme, user),
        attendance_chart(programme, user),
    )
    return [chart for chart in drawn if chart is not None]
