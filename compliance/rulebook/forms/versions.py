"""The rule-book draft editor: every announced parameter as a form field or table row.

Arts. 5-3 to 8-2, 10-4, 10-5, 12, 15-18, 19 and 20 leave their numbers to
announcements. The editor checks only what a form can (a number is a number, a row is
complete); whether the numbers may be published (ranges, bands, the statutory fines)
is the rule engine's call (``compliance.rules.validate_parameters``), shown as warnings
beside the form and enforced when publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from typing import Any, get_type_hints

from django import forms
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance import rules
from compliance.articles import article_label
from compliance.choices import AcType, EfficiencyMetric, PremisesCategory, SpaceType
from compliance.models import RuleBookVersion
from compliance.rules.declarations import Declared, Kind, declarations
from compliance.rules.validation import STATEMENT_DAYS_RANGE
from compliance.rules.vocabulary import EnergyType
from portal import bounds

BLANK = [("", "---------")]

# Art. 4: the energy types whose monthly use Art. 12 may register.
ENERGY_TYPE_LABELS = {
    EnergyType.ELECTRICITY: _("Electricity"),
    EnergyType.NATURAL_GAS: _("Natural gas"),
    EnergyType.LPG: _("Liquefied petroleum gas"),
    EnergyType.FUEL_OIL: _("Fuel oil"),
}
ENERGY_UNIT_LABELS = {"kwh": _("kWh"), "m3": _("m³"), "kg": _("kg"), "l": _("litres")}

_AMOUNT_SEPARATORS = re.compile(r"[\s,;/、，；]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _categories(label, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=PremisesCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@dataclass(frozen=True)
class EditedParameter:
    """A declared rule-book parameter as a field of the editor.

    ``path`` leads from the parameters to the value: ``("grace_months",)``, or
    ``("inspection_targets", "min_floor_area_m2")`` for a value of nested criteria.
    """

    form_name: str
    path: tuple[str, ...]
    declared: Declared

    def form_field(self) -> forms.Field:
        """Return the editor's field, labelled as the declaration says."""
        declared = self.declared
        label = _(declared.label)
        help_text = _(declared.help) if declared.help else ""
        if declared.kind is Kind.DATE:
            return bounds.DateField(label=label, help_text=help_text, widget=_date_input())
        if declared.kind is Kind.WHOLE:
            return forms.IntegerField(
                label=label, help_text=help_text, max_value=bounds.INTEGER_MAX
            )
        if declared.kind is Kind.CATEGORIES:
            return _categories(label, help_text)
        return forms.DecimalField(
            label=label,
            help_text=help_text,
            required=not declared.optional,
            max_value=bounds.DECIMAL_MAX,
        )

    def initial(self, params: rules.RuleParameters) -> Any:
        """Return the field's value from stored parameters."""
        value = reduce(getattr, self.path, params)
        return sorted(value) if self.declared.kind is Kind.CATEGORIES else value

    def cleaned(self, data: dict[str, Any]) -> Any:
        """Return the engine's value from the cleaned form."""
        value = data[self.form_name]
        return frozenset(value) if self.declared.kind is Kind.CATEGORIES else value


def _edited_parameters() -> tuple[EditedParameter, ...]:
    """Return every declared value of the parameters (not the tables), in their order."""
    types = get_type_hints(rules.RuleParameters)
    edited = []
    for name, declared in declarations(rules.RuleParameters):
        if declared.kind is Kind.CRITERIA:
            edited.extend(
                EditedParameter(declared.prefix + inner, (name, inner), inner_declared)
                for inner, inner_declared in declarations(types[name])
            )
        elif declared.kind is not Kind.TABLE:
            edited.append(EditedParameter(name, (name,), declared))
    return tuple(edited)


PARAMETERS = _edited_parameters()

# The editor's groups of parameters, by the article that delegates them.
PARAMETER_GROUPS: tuple[tuple[frozenset[str], Promise], ...] = (
    (frozenset({"19", "20"}), _("Effect and transition (Arts. 19, 20)")),
    (frozenset({"5-5"}), _("Indoor temperature (Art. 5-5)")),
    (frozenset({"6-1"}), _("Arcade lighting (Art. 6-1)")),
    (frozenset({"6-2"}), _("Measuring heights for indoor illuminance (Art. 6-2)")),
    (
        frozenset({"5-3", "8-1", "8-2"}),
        _("Central air conditioning and boilers (Arts. 5-3, 8-1, 8-2)"),
    ),
    (frozenset({"10-5"}), _("Inspection targets (Art. 10-5)")),
)


class VersionForm(forms.Form):
    """A draft's description and its scalar parameters (a field for each declared one)."""

    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    announcement = forms.CharField(
        label=capfirst(_("announcement reference")),
        max_length=200,
        required=False,
        help_text=_("The City's announcement or document number, e.g. 府產業字第…號."),
    )
    effective_from = bounds.DateField(
        label=_("This version in force from"),
        widget=_date_input(),
        help_text=_("Not before the day it is published."),
    )
    note = forms.CharField(
        label=capfirst(_("note")), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    VERSION_FIELDS = ("title", "announcement", "effective_from", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for parameter in PARAMETERS:
            self.fields[parameter.form_name] = parameter.form_field()

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the fields in groups, each under its legend."""
        groups = [(_("Version"), list(self.VERSION_FIELDS))]
        for articles, legend in PARAMETER_GROUPS:
            names = [p.form_name for p in PARAMETERS if p.declared.article in articles]
            if names:
                groups.append((legend, names))
        return [(legend, [self[name] for name in names]) for legend, names in groups]


class RowForm(forms.Form):
    """A table row: its inputs are labelled for screen readers by their column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class IlluminanceRowForm(RowForm):
    """Art. 6-2: the CNS 12112 range of one space type."""

    space_type = forms.ChoiceField(label=_("Space type"), choices=BLANK + SpaceType.choices)
    lower_lux = forms.DecimalField(label=_("From (lx)"), max_value=bounds.DECIMAL_MAX)
    upper_lux = forms.DecimalField(label=_("Up to (lx)"), max_value=bounds.DECIMAL_MAX)


class EfficiencyRowForm(RowForm):
    """Art. 5-4: the MOEA minimum of one AC type, metric and capacity band."""

    ac_type = forms.ChoiceField(label=_("AC type"), choices=BLANK + AcType.choices)
    metric = forms.ChoiceField(
        label=pgettext_lazy("energy-efficiency metric", "Metric"),
        choices=BLANK + EfficiencyMetric.choices,
    )
    min_kw = forms.DecimalField(label=_("Capacity from (kW)"), max_value=bounds.DECIMAL_MAX)
    max_kw = forms.DecimalField(
        label=_("Capacity below (kW)"),
        required=False,
        help_text=_("Empty: no upper end."),
        max_value=bounds.DECIMAL_MAX,
    )
    minimum = forms.DecimalField(label=_("Minimum"), max_value=bounds.DECIMAL_MAX)


class RectificationRowForm(RowForm):
    """Art. 10-4: the days to rectify a violation of one article."""

    article = forms.ChoiceField(label=_("Article"))
    days = forms.IntegerField(label=_("Days"), max_value=bounds.INTEGER_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = BLANK + [
            (number, article_label(number)) for number in rules.RECTIFIABLE_ARTICLES
        ]


class StatementRowForm(RowForm):
    """APenA Art. 42: the days a business is given to state its opinion before a fine."""

    article = forms.ChoiceField(label=_("Article"))
    days = forms.IntegerField(
        label=_("Days to state an opinion"),
        min_value=STATEMENT_DAYS_RANGE[0],
        max_value=STATEMENT_DAYS_RANGE[1],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = BLANK + [
            (number, article_label(number)) for number in rules.RECTIFIABLE_ARTICLES
        ]


class PenaltyRowForm(RowForm):
    """Arts. 15-18: the fine for the 1st, 2nd, 3rd… missed deadline."""

    penalty_article = forms.ChoiceField(label=_("Penalty article"))
    amounts = forms.CharField(
        label=_("NT$ for the 1st, 2nd, 3rd… missed deadline"),
        help_text=_("Whole NT$ separated by spaces or commas, e.g. 10000 20000 30000."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penalty_article"].choices = BLANK + [
            (number, article_label(number)) for number in rules.STATUTORY_FINE_RANGE_NTD
        ]

    def clean_amounts(self) -> tuple[int, ...]:
        text = _THOUSANDS.sub("", self.cleaned_data["amounts"].strip())
        parts = [part for part in _AMOUNT_SEPARATORS.split(text) if part]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Enter whole NT$ amounts separated by spaces or commas, e.g. 10000 20000 30000."),
                code="invalid",
            )
        return tuple(int(part) for part in parts)


class EnergyUseRowForm(RowForm):
    """Art. 12: the monthly use of an energy type from which a user is registered."""

    energy_type = forms.ChoiceField(
        label=_("Energy type"), choices=BLANK + list(ENERGY_TYPE_LABELS.items())
    )
    monthly_amount = forms.DecimalField(label=_("Monthly amount"), max_value=bounds.DECIMAL_MAX)
    unit = forms.ChoiceField(label=_("Unit"), choices=BLANK + list(ENERGY_UNIT_LABELS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.data.get(self.add_prefix("unit")) if self.is_bound else self.initial.get("unit")
        if unit and unit not in ENERGY_UNIT_LABELS and re.fullmatch(r"[\w.³/-]{1,16}", unit):
            # A unit set through the API is kept, not silently replaced.
            self.fields["unit"].choices = [*self.fields["unit"].choices, (unit, unit)]


def _formset(form_class: type[forms.Form]):
    return forms.formset_factory(form_class, extra=1, can_delete=True)


# (prefix, legend, form class) of every table, in the order of the page.
TABLES = (
    (
        "illuminance",
        _("Indoor illuminance by space type (Art. 6-2, CNS 12112)"),
        IlluminanceRowForm,
    ),
    ("efficiency", _("Minimum AC efficiency (Art. 5-4, MOEA)"), EfficiencyRowForm),
    ("rectification", _("Rectification periods (Art. 10-4)"), RectificationRowForm),
    (
        "statements",
        _("Periods to state an opinion before a fine (APenA Art. 42)"),
        StatementRowForm,
    ),
    ("penalties", _("Penalty schedules (Arts. 15-18)"), PenaltyRowForm),
    ("energy", _("Energy-use register thresholds (Art. 12)"), EnergyUseRowForm),
)


def _initial(params: rules.RuleParameters) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """Return the form's and each table's initial values from stored parameters."""
    scalars = {parameter.form_name: parameter.initial(params) for parameter in PARAMETERS}
    tables = {
        "illuminance": [
            {"space_type": r.space_type, "lower_lux": r.lower_lux, "upper_lux": r.upper_lux}
            for r in params.illuminance_standards
        ],
        "efficiency": [
            {
                "ac_type": r.ac_type,
                "metric": r.metric,
                "min_kw": r.min_kw,
                "max_kw": r.max_kw,
                "minimum": r.minimum,
            }
            for r in params.efficiency_standards
        ],
        "rectification": [
            {"article": r.article, "days": r.days} for r in params.rectification_periods
        ],
        "statements": [{"article": r.article, "days": r.days} for r in params.statement_periods],
        "penalties": [
            {"penalty_article": r.penalty_article, "amounts": ", ".join(map(str, r.amounts_ntd))}
            for r in params.penalty_schedules
        ],
        "energy": [
            {"energy_type": r.energy_type, "monthly_amount": r.monthly_amount, "unit": r.unit}
            for r in params.energy_use_thresholds
        ],
    }
    return scalars, tables


class RuleBookEditor:
    """The draft editor: the version form and one formset per table, validated together."""

    def __init__(
        self,
        version: RuleBookVersion,
        params: rules.RuleParameters | None,
        data=None,
    ):
        initial: dict[str, Any] = {
            "title": version.title,
            "announcement": version.announcement,
            "effective_from": version.effective_from,
            "note": version.note,
        }
        tables: dict[str, list[dict]] = {}
        if params is not None:
            scalars, tables = _initial(params)
            initial.update(scalars)
        self.form = VersionForm(data=data, initial=initial)
        self.tables = [
            (
                prefix,
                legend,
                _formset(form_class)(
                    data=data,
                    prefix=prefix,
                    initial=None if data is not None else tables.get(prefix, []),
                ),
            )
            for prefix, legend, form_class in TABLES
        ]
        self.formsets = {prefix: formset for prefix, _legend, formset in self.tables}

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(
            formset.total_error_count() for formset in self.formsets.values()
        )

    def _rows(self, prefix: str) -> list[dict[str, Any]]:
        rows = []
        for form in self.formsets[prefix].forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            rows.append(data)
        return rows

    def version_fields(self) -> dict[str, Any]:
        """Return the version's own fields (title, announcement, in force from, note)."""
        data = self.form.cleaned_data
        return {name: data[name] for name in VersionForm.VERSION_FIELDS}

    def parameters(self) -> rules.RuleParameters:
        """Return the engine's parameters from the cleaned form (call after is_valid)."""
        data = self.form.cleaned_data
        values: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for parameter in PARAMETERS:
            *owner, name = parameter.path
            target = nested.setdefault(owner[0], {}) if owner else values
            target[name] = parameter.cleaned(data)
        types = get_type_hints(rules.RuleParameters)
        values.update({owner: types[owner](**given) for owner, given in nested.items()})
        return rules.RuleParameters(
            **values,
            illuminance_standards=tuple(
                rules.IlluminanceStandard(r["space_type"], r["lower_lux"], r["upper_lux"])
                for r in self._rows("illuminance")
            ),
            efficiency_standards=tuple(
                rules.EfficiencyStandard(
                    r["ac_type"], r["metric"], r["min_kw"], r["max_kw"], r["minimum"]
                )
                for r in self._rows("efficiency")
            ),
            rectification_periods=tuple(
                rules.RectificationPeriod(r["article"], r["days"])
                for r in self._rows("rectification")
            ),
            statement_periods=tuple(
                rules.StatementPeriod(r["article"], r["days"]) for r in self._rows("statements")
            ),
            penalty_schedules=tuple(
                rules.PenaltySchedule(r["penalty_article"], r["amounts"])
                for r in self._rows("penalties")
            ),
            energy_use_thresholds=tuple(
                rules.EnergyUseThreshold(r["energy_type"], r["monthly_amount"], r["unit"])
                for r in self._rows("energy")
            ),
        )

    def add_service_error(self, exc) -> None:
        """Show a refusal of the service on the form, under the field it names if shown."""
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                self.form.add_error(name if name in self.form.fields else None, messages)
        else:
            self.form.add_error(None, exc)
