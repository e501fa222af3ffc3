"""What the engine answers: outcomes, findings and assessments (Arts. 5-10, 19).

Three outcomes, as the design requires: COMPLIANT, NON_COMPLIANT, UNKNOWN. Art. 9 has
no penalty article, so its findings carry ``advisory=True`` instead of a fourth
outcome: an advisory finding still says whether the premises followed the article, but
it never makes the premises non-compliant or unknown and never leads to a violation.

An exemption or the Art. 19 grace turns a finding that would otherwise be
non-compliant (or unknown) into COMPLIANT and names itself in ``exemption``; the
``message_key``, ``measured`` and ``limit`` still describe what was found, so a page can
say "compliant: within the Art. 19 grace until 2025-06-30 — entrance E-1 has no air
barrier".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Outcome(StrEnum):
    """The answer of one finding, one article or one premises."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    UNKNOWN = "unknown"


class Exemption(StrEnum):
    """Why a finding that would not comply counts as compliant."""

    # Art. 19: equipment that existed on the effective date has a grace period.
    ART19_GRACE = "art19_grace"
    # Art. 5-5: a premises category the City announced exempt from the temperature floor.
    PREMISES_CATEGORY = "premises_category"
    # Art. 8-1: an emergency standby boiler need not burn natural gas.
    STANDBY_BOILER = "standby_boiler"
    # An individual grant approved by an administrator (e.g. Art. 8-1 gas supply insufficient).
    GRANT = "grant"


# Every obligation the engine checks, in the order of the ordinance.
ARTICLES: tuple[str, ...] = (
    "5-1",
    "5-2",
    "5-3",
    "5-4",
    "5-5",
    "6-1",
    "6-2",
    "6-3",
    "7",
    "8-1",
    "8-2",
    "9",
    "10-1",
)
# Art. 9 has no penalty article: its findings are advice only.
ADVISORY_ARTICLES = frozenset({"9"})

Measured = Decimal | int | str | None


@dataclass(frozen=True)
class Finding:
    """One answer of one obligation about one subject on one date.

    ``subject`` is an equipment tag or a measuring point (None: the whole premises).
    ``measured`` and ``limit`` are in ``unit`` (e.g. "c", "lux", "hp", "kw", "tph",
    "kcal_h", "eer", "cspf", "lamps", "periods"); categorical values (a fuel, a lamp
    type) are their vocabulary strings. ``detail`` carries extra data for the message
    (e.g. the months without a log). ``exemption_until`` is the last day the named
    exemption applies (None: open-ended), so a caller knows when to assess again.
    """

    article: str
    outcome: Outcome
    message_key: str
    measured: Measured = None
    limit: Measured = None
    unit: str = ""
    subject: str | None = None
    detail: str = ""
    exemption: Exemption | None = None
    exemption_detail: str = ""
    exemption_until: date | None = None
    advisory: bool = False

    def message_values(self) -> dict[str, str]:
        """Return the values a message template may use, as display strings."""
        return {
            "article": self.article,
            "subject": self.subject or "",
            "measured": _display(self.measured),
            "limit": _display(self.limit),
            "unit": self.unit,
            "detail": self.detail,
            "exemption": self.exemption.value if self.exemption else "",
            "exemption_detail": self.exemption_detail,
            "exemption_until": self.exemption_until.isoformat() if self.exemption_until else "",
        }


def _display(value: Measured) -> str:
    if value is None:
        return ""
    return str(value)


def worst(outcomes: list[Outcome] | tuple[Outcome, ...]) -> Outcome:
    """Return NON_COMPLIANT if any is, else UNKNOWN if any is, else COMPLIANT."""
    if Outcome.NON_COMPLIANT in outcomes:
        return Outcome.NON_COMPLIANT
    if Outcome.UNKNOWN in outcomes:
        return Outcome.UNKNOWN
    return Outcome.COMPLIANT


@dataclass(frozen=True)
class ArticleResult:
    """The findings of one article; ``outcome`` is None when the article does not arise.

    An article does not arise when nothing it regulates is there (no boiler for 8-1, no
    arcade for 6-1, a chiller capacity below the threshold for 5-3, no inspection
    attempt for 10-1) or before the ordinance took effect.
    """

    article: str
    findings: tuple[Finding, ...]
    advisory: bool = False

    @property
    def outcome(self) -> Outcome | None:
        """Return the worst outcome of the findings, or None without findings."""
        if not self.findings:
            return None
        return worst([finding.outcome for finding in self.findings])


@dataclass(frozen=True)
class Assessment:
    """A premises assessed as of ``on``: the overall outcome and every article's result."""

    on: date
    in_force: bool
    articles: tuple[ArticleResult, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return every finding, article by article."""
        return tuple(finding for result in self.articles for finding in result.findings)

    @property
    def outcome(self) -> Outcome:
        """Return the overall outcome; advisory findings (Art. 9) never count."""
        return worst([f.outcome for f in self.findings if not f.advisory])

    def result_for(self, article: str) -> ArticleResult:
        """Return the result of one article (KeyError if the engine has no such article)."""
        for result in self.articles:
            if result.article == article:
                return result
        raise KeyError(article)

    @property
    def review_on(self) -> date | None:
        """Return the first day after ``on`` when an exemption applied today ends.

        The outcome may change on that day without any data changing, so the caller
        should assess the premises again then.
        """
        ends = [
            f.exemption_until
            for f in self.findings
            if f.exemption is not None and f.exemption_until is not None
        ]
        if not ends:
            return None
        return date.fromordinal(min(ends).toordinal() + 1)


@dataclass(frozen=True)
class ParameterError:
    """One reason a set of rule-book parameters cannot be published.

    ``field`` names the parameter (with an index for table rows, e.g.
    ``efficiency_standards[3]``); ``detail`` is the English message, already filled in;
    ``values`` are the strings filled into ``PARAMETER_MESSAGES[message_key]``.
    """

    field: str
    message_key: str
    detail: str
    values: tuple[tuple[str, str], ...] = ()
