"""The rows of the rule book's tables: one row type per table, one row per database row.

Art. 6-2 (CNS 12112 illuminance), Art. 5-4 (MOEA efficiency), Art. 10-4 (rectification
periods), Arts. 15-18 (penalty schedules) and Art. 12 (energy-use thresholds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IlluminanceStandard:
    """Art. 6-2: the CNS 12112 illuminance range of one space type, in lux."""

    space_type: str
    lower_lux: Decimal
    upper_lux: Decimal


@dataclass(frozen=True)
class EfficiencyStandard:
    """Art. 5-4: the MOEA minimum efficiency of one AC type and capacity band.

    The band is ``min_kw <= cooling capacity < max_kw``; ``max_kw`` None means no upper
    end. ``minimum`` is in the unit of ``metric`` (EER in W/W, CSPF in kWh/kWh).
    """

    ac_type: str
    metric: str
    min_kw: Decimal
    max_kw: Decimal | None
    minimum: Decimal

    def covers(self, capacity_kw: Decimal) -> bool:
        """Return whether a cooling capacity falls in this band."""
        return self.min_kw <= capacity_kw and (self.max_kw is None or capacity_kw < self.max_kw)

    def band_label(self) -> str:
        """Return the band as people write it, e.g. "4.0-7.1 kW" or "from 71 kW"."""
        if self.max_kw is None:
            return f"{self.ac_type}/{self.metric} from {self.min_kw} kW"
        return f"{self.ac_type}/{self.metric} {self.min_kw}-{self.max_kw} kW"


@dataclass(frozen=True)
class RectificationPeriod:
    """Art. 10-4 (and Arts. 15, 16, 18): days given to rectify a violation of an article."""

    article: str
    days: int


@dataclass(frozen=True)
class StatementPeriod:
    """APenA Art. 42: days a business is given to state its opinion before a fine.

    Art. 42 lists exceptions (among them: the facts are objectively clear, as a
    re-inspection that confirms the violation makes them), and the exceptions are the
    default: an article without a row is fined once its non-rectification is verified.
    """

    article: str
    days: int


@dataclass(frozen=True)
class PenaltySchedule:
    """Arts. 15-18: the fine in whole NT$ for the 1st, 2nd, 3rd... missed deadline.

    The last amount repeats for every further missed deadline.
    """

    penalty_article: str
    amounts_ntd: tuple[int, ...]


@dataclass(frozen=True)
class EnergyUseThreshold:
    """Art. 12: monthly use of an energy type above which a user is registered."""

    energy_type: str
    monthly_amount: Decimal
    unit: str
