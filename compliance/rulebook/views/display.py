"""Rule-book parameters and their differences as people read them: labels, units, ranges.

The engine stores codes ("split", "cspf", "5-3") and paths
("efficiency_standards[split/cspf/0].minimum"); the pages show the registry's
translated labels, article citations and NT$ amounts instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from compliance import rules
from compliance.articles import article_label
from compliance.choices import AcType, EfficiencyMetric, PremisesCategory, SpaceType
from compliance.rulebook.explain import explain_parameter_error
from compliance.rulebook.explain_texts import PARAMETER_FIELDS
from compliance.rulebook.forms.versions import ENERGY_TYPE_LABELS, ENERGY_UNIT_LABELS
from compliance.rulebook.services.versions import Change
from compliance.rules.declarations import Declared, Kind, Shown, declarations
from portal.pdf import formats

_SEGMENT = re.compile(r"^(?P<name>[a-z_0-9]+)(?:\[(?P<key>[^\]]*)\])?$")
_CATEGORY_FIELDS = frozenset({"temperature_exempt_categories", "premises_categories"})


def _label(choices, code: Any) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def ntd(amount: int) -> str:
    """Return whole New Taiwan dollars as the active language writes them.

    The City's one way (:func:`portal.pdf.formats.amount`): 新臺幣 10,000 元 or NT$10,000.
    """
    if isinstance(amount, int):
        return formats.amount(amount)
    return str(amount)


def whole(value: Any) -> str:
    """Return a whole number with thousands separators (1,530,000)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def category_labels(codes) -> list[str]:
    """Return the labels of premises categories, in the registry's order."""
    order = {code: index for index, code in enumerate(PremisesCategory.values)}
    return [
        _label(PremisesCategory, code) for code in sorted(codes, key=lambda c: order.get(c, 99))
    ]


def _band(row: rules.EfficiencyStandard) -> str:
    if row.max_kw is None:
        return _("from {low} kW").format(low=row.min_kw)
    return _("{low} to under {high} kW").format(low=row.min_kw, high=row.max_kw)


def covered_articles(penalty_article: str) -> str:
    """Return the obligations a penalty article punishes, e.g. "Art. 5-1, Art. 5-2"."""
    return ", ".join(
        article_label(article)
        for article, penalty in rules.PENALTY_ARTICLE_FOR.items()
        if penalty == penalty_article and article != "12"
    ) or _("not providing Art. 12 data when ordered")


def statutory_range(penalty_article: str) -> str:
    """Return the statutory fine range of a penalty article, e.g. NT$10,000-NT$30,000."""
    low_high = rules.STATUTORY_FINE_RANGE_NTD.get(penalty_article)
    if low_high is None:
        return "—"
    return _("{low} to {high}").format(low=ntd(low_high[0]), high=ntd(low_high[1]))


def statutory_ranges() -> list[tuple[str, str, str]]:
    """Return (penalty article, what it punishes, its range) for Arts. 15-18."""
    return [
        (article_label(number), covered_articles(number), statutory_range(number))
        for number in rules.STATUTORY_FINE_RANGE_NTD
    ]


@dataclass(frozen=True)
class ParameterRow:
    """A declared parameter as a row of the rule book page: its name, label and value."""

    name: str
    label: str
    value: str


# The rule book page's sections of parameters, by the article that delegates them (the
# measuring heights of Art. 6-2 are written above the CNS 12112 table instead).
PAGE_SECTIONS: tuple[tuple[frozenset[str], Promise], ...] = (
    (frozenset({"19", "20"}), gettext_lazy("Effect and transition (Arts. 19, 20)")),
    (frozenset({"5-5"}), gettext_lazy("Indoor temperature (Art. 5-5)")),
    (frozenset({"6-1"}), gettext_lazy("Arcade lighting (Art. 6-1)")),
    (frozenset({"5-3"}), gettext_lazy("Central air conditioning (Art. 5-3)")),
    (frozenset({"8-1", "8-2"}), gettext_lazy("Boilers (Arts. 8-1, 8-2)")),
    (frozenset({"10-5"}), gettext_lazy("Inspection targets (Art. 10-5)")),
)


def shown_value(declared: Declared, value: Any, up_to: Any = None) -> str:
    """Return a declared parameter's value as the rule book page writes it."""
    if value is None:
        return "—"
    if declared.kind is Kind.DATE:
        return value.isoformat()
    if declared.kind is Kind.CATEGORIES:
        return ", ".join(category_labels(value)) or "—"
    if declared.shown is Shown.MONTHS:
        return ngettext("%(counter)s month", "%(counter)s months", value) % {"counter": value}
    if declared.shown is Shown.LAST_MONTHS:
        return ngettext("last %(counter)s month", "last %(counter)s months", value) % {
            "counter": value
        }
    if declared.shown is Shown.ABOVE_ARCADE_FLOOR:
        return _("%(height)s cm above the arcade floor") % {"height": localize(value)}
    if declared.up_to:
        return f"{localize(value)}–{localize(up_to)} {declared.unit}"
    if declared.kind is Kind.WHOLE:
        return f"{whole(value)} {declared.unit}"
    return f"{localize(value)} {declared.unit}"


def parameter_sections(params: rules.RuleParameters) -> list[tuple[str, list[ParameterRow]]]:
    """Return the page's sections: every declared parameter it shows, labelled, with units."""
    shown = []
    for name, declared in declarations(rules.RuleParameters):
        value = getattr(params, name)
        if declared.kind is Kind.CRITERIA:
            shown.extend(
                (f"{name}.{inner}", inner_declared, getattr(value, inner))
                for inner, inner_declared in declarations(type(value))
            )
        else:
            shown.append((name, declared, value))
    sections = []
    for articles, legend in PAGE_SECTIONS:
        rows = [
            ParameterRow(
                name,
                _(declared.shown_as),
                shown_value(declared, value, getattr(params, declared.up_to, None)),
            )
            for name, declared, value in shown
            if declared.shown_as and declared.article in articles
        ]
        if rows:
            sections.append((str(legend), rows))
    return sections


@dataclass(frozen=True)
class Tables:
    """Every parameter of a version, ready for the detail page."""

    params: rules.RuleParameters
    sections: list[tuple[str, list[ParameterRow]]]
    illuminance: list[tuple[str, Any, Any]]
    efficiency: list[tuple[str, str, str, Any]]
    rectification: list[tuple[str, int]]
    statements: list[tuple[str, int]]
    penalties: list[tuple[str, str, list[str], str]]
    energy: list[tuple[str, Any, str]]


def tables_of(params: rules.RuleParameters) -> Tables:
    """Return the parameters with labels and units for reading."""
    return Tables(
        params=params,
        sections=parameter_sections(params),
        illuminance=[
            (_label(SpaceType, row.space_type), row.lower_lux, row.upper_lux)
            for row in params.illuminance_standards
        ],
        efficiency=[
            (
                _label(AcType, row.ac_type),
                _label(EfficiencyMetric, row.metric),
                _band(row),
                row.minimum,
            )
            for row in params.efficiency_standards
        ],
        rectification=[
            (article_label(row.article), row.days) for row in params.rectification_periods
        ],
        statements=[(article_label(row.article), row.days) for row in params.statement_periods],
        penalties=[
            (
                article_label(row.penalty_article),
                covered_articles(row.penalty_article),
                [ntd(amount) for amount in row.amounts_ntd],
                statutory_range(row.penalty_article),
            )
            for row in params.penalty_schedules
        ],
        energy=[
            (
                str(ENERGY_TYPE_LABELS.get(row.energy_type, row.energy_type)),
                row.monthly_amount,
                str(ENERGY_UNIT_LABELS.get(row.unit, row.unit)),
            )
            for row in params.energy_use_thresholds
        ],
    )


def _row_label(table: str, key: str) -> str:
    """Name a table row by what identifies it ("Office", "Split type, CSPF, from 0 kW")."""
    if table == "illuminance_standards":
        return _label(SpaceType, key)
    if table == "efficiency_standards":
        ac_type, _sep, rest = key.partition("/")
        metric, _sep, low = rest.partition("/")
        return _("{ac_type}, {metric}, from {low} kW").format(
            ac_type=_label(AcType, ac_type), metric=_label(EfficiencyMetric, metric), low=low
        )
    if table in ("rectification_periods", "statement_periods", "penalty_schedules"):
        return article_label(key)
    if table == "energy_use_thresholds":
        return str(ENERGY_TYPE_LABELS.get(key, key))
    return key


def change_label(path: str) -> str:
    """Return a readable name for a diff path such as ``penalty_schedules[15].amounts_ntd``."""
    parts = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if match is None:
            parts.append(segment)
            continue
        name = str(PARAMETER_FIELDS.get(match["name"], match["name"]))
        if match["key"] is not None:
            name = f"{name} ({_row_label(match['name'], match['key'])})"
        parts.append(name)
    return capfirst(pgettext("parts of a parameter name", ": ").join(parts))


def change_value(path: str, value: Any) -> str:
    """Return a parameter value as people read it; "—" for none."""
    if value is None:
        return "—"
    last = path.rsplit(".", 1)[-1]
    if isinstance(value, list):
        if last in _CATEGORY_FIELDS:
            return ", ".join(category_labels(value)) or "—"
        if last == "amounts_ntd":
            return ", ".join(ntd(amount) for amount in value)
        return ", ".join(str(item) for item in value) or "—"
    if last == "space_type":
        return _label(SpaceType, value)
    if last == "ac_type":
        return _label(AcType, value)
    if last == "metric":
        return _label(EfficiencyMetric, value)
    if last == "energy_type":
        return str(ENERGY_TYPE_LABELS.get(value, value))
    if last in ("article", "penalty_article"):
        return article_label(str(value))
    return whole(value)


@dataclass(frozen=True)
class ReadableChange:
    """One changed parameter with its label and both values as text."""

    path: str
    label: str
    before: str
    after: str


def readable_changes(changes: list[Change]) -> list[ReadableChange]:
    """Return the diff's rows with labels and values to read."""
    return [
        ReadableChange(
            change.path,
            change_label(change.path),
            change_value(change.path, change.before),
            change_value(change.path, change.after),
        )
        for change in changes
    ]


def problem_texts(errors: list[rules.ParameterError]) -> list[str]:
    """Return why parameters cannot be published, in the active language."""
    return [explain_parameter_error(error) for error in errors]
