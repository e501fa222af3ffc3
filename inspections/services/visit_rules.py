"""What a visit's recorded values mean under the rule book in force on the visit day.

Read-only helpers for the tablet form: the limits it flags values against (the
temperature floor of Art. 5-5, the arcade band of Art. 6-1, the CNS 12112 upper bounds
of Art. 6-2), and the values that break them as the engine's own checks judge them,
so the form says before completion what completion will find. Nothing is stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from compliance import rules
from compliance.articles import article_label
from compliance.rulebook.bridge import facts_for, parameters_of, version_in_force
from compliance.rulebook.explain import explain_finding
from compliance.rules.measurements import shown_average
from inspections.facts import facts_of, visit_day
from inspections.models import TemperatureReading, Visit

# The articles whose findings depend on what the visit measured or observed.
MEASURED_ARTICLES: tuple[str, ...] = ("5-2", "5-5", "6-1", "6-2", "10-1")


@dataclasses.dataclass(frozen=True)
class Breach:
    """A recorded value that breaks the rule book in force (what completion will find)."""

    article: str
    article_label: str
    subject: str
    measured: str
    limit: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class RuleLimits:
    """The limits of the rule book in force on the visit day, for the form to flag values."""

    version_title: str
    temperature_floor_c: Decimal | None  # None: the premises' category is exempt (5-5)
    arcade_switch_on_lux: Decimal
    arcade_band_low_lux: Decimal
    arcade_band_high_lux: Decimal
    cns_upper_lux: dict[str, Decimal]


def average_temperature(readings: Iterable[TemperatureReading]) -> Decimal | None:
    """Return the average of the readings as the engine shows it (Art. 5-5), or None.

    The engine's figure, rounded half-up to 0.01 °C; the page, the report and the
    form's save response show this value, never one computed elsewhere.
    """
    return shown_average(reading.temperature_c for reading in readings)


def rule_limits(visit: Visit) -> RuleLimits | None:
    """Return the limits in force on the visit day (None before any rule book)."""
    version = version_in_force(visit_day(visit))
    if version is None:
        return None
    params = parameters_of(version)
    category = visit.inspection.premises.category
    exempt = category in params.temperature_exempt_categories
    return RuleLimits(
        version_title=str(version),
        temperature_floor_c=None if exempt else params.indoor_temperature_floor_c,
        arcade_switch_on_lux=params.arcade_switch_on_lux,
        arcade_band_low_lux=params.arcade_band_low_lux,
        arcade_band_high_lux=params.arcade_band_high_lux,
        cns_upper_lux={row.space_type: row.upper_lux for row in params.illuminance_standards},
    )


def rule_breaches(visit: Visit) -> list[Breach]:
    """Return the recorded values that break the rule book in force on the visit day.

    The engine's own checks of the measured articles (5-2, 5-5, 6-1, 6-2, 10-1) judge
    the visit as completing it would, exemptions included, without storing anything.
    """
    day = visit_day(visit)
    version = version_in_force(day)
    if version is None:
        return []
    params = parameters_of(version)
    premises = visit.inspection.premises
    facts = dataclasses.replace(facts_for([premises], day)[premises.pk], inspection=facts_of(visit))
    breaches = []
    for article in MEASURED_ARTICLES:
        for finding in rules.CHECKS[article](facts, params, day):
            if finding.outcome != rules.Outcome.NON_COMPLIANT or finding.advisory:
                continue
            breaches.append(
                Breach(
                    article=finding.article,
                    article_label=article_label(finding.article),
                    subject=finding.subject or "",
                    measured="" if finding.measured is None else str(finding.measured),
                    limit="" if finding.limit is None else str(finding.limit),
                    message=explain_finding(finding),
                )
            )
    return breaches
