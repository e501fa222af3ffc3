"""Forms of the tablet visit page: the visit itself, and row formsets by article.

Rows carry no database ids: every save sends the complete list of each kind and the
service replaces the rows, so a form kept on the device and sent again (after the
network came back) leaves exactly the same state. A row whose measurement is blank is
an unused row and is ignored, so pre-filled and spare rows never block a save.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.articles import article_label
from compliance.choices import Article, EquipmentKind, SpaceType
from compliance.models import Equipment
from inspections.choices import CheckResult
from inspections.models import (
    ArcadeReading,
    IlluminanceReading,
    TemperatureReading,
    Visit,
)
from inspections.photos import ACCEPT
from inspections.services.visit_rules import RuleLimits
from inspections.services.visits import READING_KINDS, VISIT_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _limits(model, field_name: str) -> dict[str, str]:
    """Return HTML min/max/step of a model's decimal field, from its own validators."""
    field = model._meta.get_field(field_name)
    attrs = {"step": str(Decimal(1).scaleb(-field.decimal_places)), "inputmode": "decimal"}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            attrs["min"] = str(validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            attrs["max"] = str(validator.limit_value)
    return attrs


def _number(model, field_name: str, **extra) -> forms.NumberInput:
    return forms.NumberInput(attrs={**_limits(model, field_name), **extra})


class DateTimeLocalInput(forms.DateTimeInput):
    """A tablet's own date and time picker; a "now" button fills it (visit_form.js)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class ObservationSelect(forms.NullBooleanSelect):
    """Not checked / yes / no, for what the inspector observed (Arts. 5-2, 9)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Not checked")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class VisitForm(forms.ModelForm):
    """What the inspector records about the visit (Arts. 10-1, 10-3, 5-2, 9)."""

    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Visit
        fields = VISIT_FIELDS
        widgets = {
            "badge_numbers": forms.TextInput(attrs={"autocomplete": "off"}),
            "present_persons": forms.Textarea(attrs={"rows": 2}),
            "arrived_at": DateTimeLocalInput(),
            "departed_at": DateTimeLocalInput(),
            "refusal_circumstances": forms.Textarea(attrs={"rows": 3}),
            "obstruction_found": ObservationSelect(),
            "after_hours_equipment_on": ObservationSelect(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "badge_numbers": _("Art. 10-3: the numbers of the identification shown."),
            "refusal_circumstances": _(
                "Art. 10-1: who refused, evaded or obstructed the inspection, how and when."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("arrived_at", "departed_at"):
            self.fields[name].input_formats = [
                DATETIME_LOCAL,
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S",
            ]


class RowMixin:
    """A row of a formset: ignored while its measurement fields are all blank."""

    measurement_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return any(
            self._widget_data_value(self.fields[name].widget, self.add_prefix(name))
            not in (None, "", [], False)
            for name in self.measurement_fields
        )

    def row(self) -> dict[str, Any]:
        """Return the row for the service (only the fields of its kind)."""
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "DELETE"}


class TemperatureRowForm(RowMixin, forms.ModelForm):
    """Art. 5-5: one measuring point with the air conditioning on."""

    measurement_fields = ("temperature_c",)

    class Meta:
        model = TemperatureReading
        fields = READING_KINDS["temperatures"].fields
        widgets = {
            "point": forms.TextInput(attrs={"placeholder": _("e.g. counter")}),
            "temperature_c": _number(
                TemperatureReading, "temperature_c", **{"data-temperature": ""}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].required = False


class ArcadeRowForm(RowMixin, forms.ModelForm):
    """Art. 6-1: a point 18 cm above the arcade floor, daylight and lit."""

    measurement_fields = ("lights_on", "daylight_lux", "lit_lux")

    class Meta:
        model = ArcadeReading
        fields = READING_KINDS["arcade_readings"].fields
        widgets = {
            "lights_on": forms.CheckboxInput(attrs={"data-arcade-lights": ""}),
            "daylight_lux": _number(ArcadeReading, "daylight_lux", **{"data-arcade-daylight": ""}),
            "lit_lux": _number(ArcadeReading, "lit_lux", **{"data-arcade-lit": ""}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].required = False


class IlluminanceRowForm(RowMixin, forms.ModelForm):
    """Art. 6-2: the illuminance of one space type (CNS 12112 upper bound)."""

    measurement_fields = ("illuminance_lux",)

    class Meta:
        model = IlluminanceReading
        fields = READING_KINDS["illuminance_readings"].fields
        widgets = {
            "space_type": forms.Select(attrs={"data-space-type": ""}),
            "illuminance_lux": _number(
                IlluminanceReading, "illuminance_lux", **{"data-illuminance": ""}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].required = False


class CheckRowForm(RowMixin, forms.Form):
    """A checklist item pre-filled from the declared equipment; unanswered ones are skipped."""

    measurement_fields = ("result",)

    point = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    equipment = forms.IntegerField(widget=forms.HiddenInput)
    article = forms.ChoiceField(choices=Article.choices, widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("Not yet checked")), *CheckResult.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class RowFormSet(BaseFormSet):
    """Rows without ids; any row may be left blank (it is then ignored)."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Return (form index, row) of every filled-in row that is not removed."""
        return [
            (index, form.row())
            for index, form in enumerate(self.forms)
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


# prefix -> (kind of readings, formset class, spare rows when rendering)
FORMSETS: dict[str, tuple[str, type[BaseFormSet]]] = {
    "temperatures": (
        "temperatures",
        formset_factory(TemperatureRowForm, formset=RowFormSet, extra=0, can_delete=True),
    ),
    "arcade": (
        "arcade_readings",
        formset_factory(ArcadeRowForm, formset=RowFormSet, extra=0, can_delete=True),
    ),
    "illuminance": (
        "illuminance_readings",
        formset_factory(IlluminanceRowForm, formset=RowFormSet, extra=0, can_delete=True),
    ),
    "checks": (
        "equipment_checks",
        formset_factory(CheckRowForm, formset=RowFormSet, extra=0, can_delete=False),
    ),
}
SPARE_ROWS = {"temperatures": 3, "arcade": 1, "illuminance": 2, "checks": 0}
KIND_PREFIX = {kind: prefix for prefix, (kind, _cls) in FORMSETS.items()}


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist: a declared item and what to look at, for one article."""

    equipment: Equipment
    article: str
    what: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.equipment.pk, self.article)


def _yes_no(value) -> str:
    if value is None:
        return "—"
    return str(_("yes")) if value else str(_("no"))


def _describe(item: Equipment, article: str) -> str:
    """Return what the inspector checks of a declared item, with what was declared."""
    if article == "5-1":
        return str(_("Air barrier declared: %(barrier)s. Is it there and working?")) % {
            "barrier": item.get_air_barrier_display() or "—"
        }
    if article == "5-3":
        return str(
            _(
                "%(hp)s HP; separate AC meter declared: %(meter)s; energy manager: %(manager)s. "
                "Meter present, monthly maintenance and records kept?"
            )
        ) % {
            "hp": item.capacity_hp,
            "meter": _yes_no(item.has_separate_meter),
            "manager": item.energy_manager or "—",
        }
    if article == "5-4":
        return str(
            _(
                "%(type)s, %(kw)s kW, %(metric)s %(value)s, installed %(date)s: "
                "nameplate as declared?"
            )
        ) % {
            "type": item.get_ac_type_display(),
            "kw": item.cooling_capacity_kw,
            "metric": item.get_efficiency_metric_display(),
            "value": item.efficiency_value,
            "date": item.installed_on or "—",
        }
    if article == "6-3":
        return str(_("%(space)s: %(count)s × %(lamp)s. Any incandescent or halogen lamps?")) % {
            "space": item.get_space_type_display(),
            "count": item.lamp_count,
            "lamp": item.get_lamp_type_display(),
        }
    if article == "7":
        return str(_("Signboard lamps declared: %(lamp)s. Any incandescent or halogen lamps?")) % {
            "lamp": item.get_lamp_type_display()
        }
    if article == "8-1":
        return str(
            _("Fuel declared: %(fuel)s; %(tph)s t/h, %(kcal)s kcal/h; standby: %(standby)s.")
        ) % {
            "fuel": item.get_fuel_display(),
            "tph": item.steam_evaporation_tph if item.steam_evaporation_tph is not None else "—",
            "kcal": item.heat_input_kcal_h if item.heat_input_kcal_h is not None else "—",
            "standby": _yes_no(item.is_standby),
        }
    if article == "8-2":
        return str(
            _(
                "Combustion checks recorded (air volume, exhaust and furnace wall temperature, "
                "CO₂, completeness of combustion)?"
            )
        )
    return ""


# Which articles each kind of declared equipment is checked against, in ordinance order.
ARTICLES_OF_KIND: dict[str, tuple[str, ...]] = {
    EquipmentKind.ENTRANCE: ("5-1",),
    EquipmentKind.CHILLER: ("5-3",),
    EquipmentKind.AIR_CONDITIONER: ("5-4",),
    EquipmentKind.LIGHTING: ("6-3",),
    EquipmentKind.SIGNBOARD: ("7",),
    EquipmentKind.BOILER: ("8-1", "8-2"),
}
CHECK_ORDER = ("5-1", "5-3", "5-4", "6-3", "7", "8-1", "8-2")


def checklist_items(equipment: list[Equipment]) -> list[CheckItem]:
    """Return the checklist of the declared equipment, ordered by article then tag."""
    items = [
        CheckItem(item, article, _describe(item, article))
        for item in equipment
        for article in ARTICLES_OF_KIND.get(item.kind, ())
    ]
    return sorted(items, key=lambda c: (CHECK_ORDER.index(c.article), c.equipment.tag))


def initial_rows(visit: Visit, items: list[CheckItem], equipment: list[Equipment]) -> dict:
    """Return the initial rows of each formset: saved readings, else the declared items.

    A visit not yet started (its form kept by the tablet for the day) has no readings.
    """
    if visit.pk is None:
        visit_rows = {"checks": [], "temperatures": [], "arcade": [], "illuminance": []}
    else:
        visit_rows = {
            "checks": visit.equipment_checks.all(),
            "temperatures": visit.temperatures.all(),
            "arcade": visit.arcade_readings.all(),
            "illuminance": visit.illuminance_readings.all(),
        }
    checks = {(c.equipment_id, c.article): c for c in visit_rows["checks"]}
    initial = {
        "temperatures": [
            {"point": r.point, "temperature_c": r.temperature_c} for r in visit_rows["temperatures"]
        ],
        "arcade": [
            {
                "point": r.point,
                "lights_on": r.lights_on,
                "daylight_lux": r.daylight_lux,
                "lit_lux": r.lit_lux,
            }
            for r in visit_rows["arcade"]
        ],
        "illuminance": [
            {"point": r.point, "space_type": r.space_type, "illuminance_lux": r.illuminance_lux}
            for r in visit_rows["illuminance"]
        ],
        "checks": [],
    }
    if not initial["illuminance"]:
        # One row per declared space type, to be measured.
        spaces = []
        for item in equipment:
            if item.kind == EquipmentKind.LIGHTING and item.space_type not in spaces:
                spaces.append(item.space_type)
        initial["illuminance"] = [
            {"point": str(SpaceType(space).label), "space_type": space} for space in spaces
        ]
    for item in items:
        saved = checks.get(item.key)
        initial["checks"].append(
            {
                "point": item.equipment.tag,
                "equipment": item.equipment.pk,
                "article": item.article,
                "result": saved.result if saved else "",
                "note": saved.note if saved else "",
            }
        )
    return initial


def build_formsets(
    prefixes: tuple[str, ...], data=None, initial: dict | None = None
) -> dict[str, BaseFormSet]:
    """Return the row formsets, bound to ``data`` or showing ``initial`` plus spare rows."""
    formsets = {}
    for prefix in prefixes:
        formset_class = FORMSETS[prefix][1]
        if data is not None:
            formsets[prefix] = formset_class(data, prefix=prefix)
        else:
            rows = (initial or {}).get(prefix, [])
            spare = [{}] * SPARE_ROWS[prefix]
            formsets[prefix] = formset_class(initial=[*rows, *spare] or None, prefix=prefix)
    return formsets


class PhotoForm(forms.Form):
    """A photo taken as evidence; checked by content in the service, not by its name."""

    file = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "capture": "environment"}),
        help_text=_("JPEG, PNG or WebP. Location and camera data are removed when stored."),
    )
    caption = forms.CharField(
        label=_("Caption"), max_length=200, required=False, help_text=_("What the photo shows.")
    )
    article = forms.ChoiceField(
        label=_("Article"),
        choices=[("", "—"), *Article.choices],
        required=False,
    )


def limits_attributes(limits: RuleLimits | None) -> dict[str, str]:
    """Return the data-* attributes with the rule book's limits for visit_form.js."""
    if limits is None:
        return {}
    attributes = {
        "data-rulebook": limits.version_title,
        "data-arcade-switch-on": str(limits.arcade_switch_on_lux),
        "data-arcade-low": str(limits.arcade_band_low_lux),
        "data-arcade-high": str(limits.arcade_band_high_lux),
        "data-cns-upper": json.dumps({k: str(v) for k, v in limits.cns_upper_lux.items()}),
    }
    if limits.temperature_floor_c is not None:
        attributes["data-temperature-floor"] = str(limits.temperature_floor_c)
    return attributes


def messages_attributes() -> dict[str, str]:
    """Return the texts visit_form.js shows, translated here (placeholders in braces)."""

    def cite(text: str, article: str) -> str:
        return text.replace("{article}", article_label(article))

    return {
        "data-msg-below-floor": cite(gettext("Below the floor of {floor} °C ({article})"), "5-5"),
        "data-msg-average": gettext("Average of {count} point(s): {average} °C"),
        "data-msg-average-preview": gettext(
            "(a preview while typing; the server's figure, shown once saved, is the one that "
            "counts)"
        ),
        # The template's text, so the server's figure reads the same after a save.
        "data-msg-average-saved": gettext("Average of the saved points: %(average)s °C")
        % {"average": "{average}"},
        "data-msg-average-below": cite(
            gettext("Average {average} °C is below the floor of {floor} °C: {article} not met"),
            "5-5",
        ),
        "data-msg-daylight": cite(
            gettext(
                "Lights on with {value} lx of daylight (switch on below {limit} lx): {article}"
            ),
            "6-1",
        ),
        "data-msg-band": cite(
            gettext("{value} lx with the lights on is outside {low}–{high} lx: {article}"), "6-1"
        ),
        "data-msg-cns": cite(
            gettext("{value} lx is above the CNS 12112 upper bound of {limit} lx: {article}"), "6-2"
        ),
        "data-msg-restored": gettext(
            "Restored unsaved entries from this device. They are sent when you save."
        ),
        "data-msg-pending": gettext(
            "Saved on this device, not yet sent. Sending again when online."
        ),
        "data-msg-sending": gettext("Sending…"),
        "data-msg-saved": gettext("Saved at {time}."),
        "data-msg-invalid": gettext("Not saved: please correct the marked fields."),
        "data-msg-refused": gettext("Not saved: {message}"),
        "data-msg-remove": gettext("Remove"),
    }
