"""Forms for equipment, monthly logs and CSV uploads; the models validate, the forms present."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.choices import District, EquipmentKind
from compliance.form_fields import EquipmentImportForm, PremisesChoiceField  # noqa: F401
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Equipment, Premises
from compliance.registry.models.equipment import ATTRIBUTE_FIELDS, KIND_FIELDS
from portal import bounds


def _kinds_using(name: str) -> tuple[str, ...]:
    """Return the kinds (in their declared order) that carry attribute ``name``."""
    return tuple(
        kind
        for kind in EquipmentKind.values
        if name in KIND_FIELDS[kind][0] or name in KIND_FIELDS[kind][1]
    )


def _attribute_groups() -> list[tuple[tuple[str, ...], list[str]]]:
    """Group the attributes by the exact set of kinds using them, keeping their order."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in ATTRIBUTE_FIELDS:
        groups.setdefault(_kinds_using(name), []).append(name)
    return list(groups.items())


ATTRIBUTE_GROUPS = _attribute_groups()


@dataclass
class AttributeGroup:
    """A fieldset of the equipment form: the attributes some kinds of equipment carry."""

    legend: str
    kinds: tuple[str, ...]
    fields: list[BoundField]

    @property
    def kinds_attr(self) -> str:
        return " ".join(self.kinds)


class EquipmentForm(forms.ModelForm):
    """Declare or edit an item of equipment; only the user's editable premises are offered."""

    class Meta:
        model = Equipment
        fields = ["premises", "kind", "tag", "description", *ATTRIBUTE_FIELDS]
        field_classes = {"premises": PremisesChoiceField}
        widgets = {
            "installed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].queryset = (
            Premises.objects.editable_by(user)
            .select_related("business")
            .order_by("business__name_zh", "name", "id")
        )
        for name in ATTRIBUTE_FIELDS:
            self.fields[name].help_text = self._requirement_note(name)
        if self.instance.pk and self._has_logs():
            # Monthly logs are kept for one kind; changing it would orphan them.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "This item has monthly logs, so its kind cannot change."
            )

    @staticmethod
    def _requirement_note(name: str) -> str:
        required = [
            str(EquipmentKind(k).label) for k in EquipmentKind.values if name in KIND_FIELDS[k][0]
        ]
        optional = [
            str(EquipmentKind(k).label) for k in EquipmentKind.values if name in KIND_FIELDS[k][1]
        ]
        parts = []
        if required:
            parts.append(_("Required for: %(kinds)s.") % {"kinds": ", ".join(required)})
        if optional:
            parts.append(_("Optional for: %(kinds)s.") % {"kinds": ", ".join(optional)})
        parts.append(_("Leave empty for other kinds."))
        return " ".join(parts)

    def _has_logs(self) -> bool:
        item = self.instance
        return (
            AcMonthlyLog.objects.filter(equipment=item).exists()
            or BoilerMonthlyLog.objects.filter(equipment=item).exists()
        )

    def main_fields(self) -> list[BoundField]:
        """Return the fields every kind has."""
        return [self[name] for name in ("premises", "kind", "tag", "description")]

    def attribute_groups(self) -> list[AttributeGroup]:
        """Return the attribute fields grouped by the kinds that use them."""
        return [
            AttributeGroup(
                legend=_("For: %(kinds)s")
                % {"kinds": ", ".join(str(EquipmentKind(kind).label) for kind in kinds)},
                kinds=kinds,
                fields=[self[name] for name in names],
            )
            for kinds, names in ATTRIBUTE_GROUPS
        ]


class EquipmentFilterForm(forms.Form):
    """Filters of the equipment list (and of its CSV export)."""

    kind = forms.ChoiceField(label=gettext_lazy("kind"), required=False)
    district = forms.ChoiceField(label=gettext_lazy("district"), required=False)
    premises = forms.ModelChoiceField(
        label=gettext_lazy("premises"), queryset=Premises.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["kind"].choices = blank + list(EquipmentKind.choices)
        self.fields["district"].choices = blank + list(District.choices)
        premises = self.fields["premises"]
        premises.queryset = Premises.objects.visible_to(user).order_by("name", "id")
        premises.empty_label = _("All")
        if not user.is_business_user:
            # City staff see every premises: a list of thousands would not help; take an id.
            premises.widget = forms.NumberInput(attrs={"min": 1})
            premises.label = _("premises id")


class MonthField(bounds.DateField):
    """A month typed as YYYY-MM (a day is accepted and ignored); the value is its first day."""

    widget = forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}, format="%Y-%m")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d", "%Y/%m"])
        kwargs.setdefault("help_text", gettext_lazy("Year and month, e.g. 2025-03."))
        super().__init__(**kwargs)

    def to_python(self, value):
        date = super().to_python(value)
        return date.replace(day=1) if date else date


class EquipmentChoiceField(forms.ModelChoiceField):
    """An item of equipment, named with its premises."""

    def label_from_instance(self, obj: Equipment) -> str:
        return f"{obj.tag} · {obj.premises.name}"


class MonthlyLogForm(forms.ModelForm):
    """Shared behaviour of the monthly log forms (Arts. 5-3, 8-2).

    Only the user's editable equipment of the log's kind is offered, the equipment of a
    saved log is fixed, and a second log for the same equipment and month is a form error.
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        field = self.fields["equipment"]
        if self.instance.pk:
            field.queryset = Equipment.objects.filter(pk=self.instance.equipment_id)
            field.disabled = True
        else:
            field.queryset = (
                Equipment.objects.editable_by(user)
                .filter(kind=model.EQUIPMENT_KIND)
                .select_related("premises")
                .order_by("premises__name", "tag", "id")
            )
            self.fields["recorded_by"].initial = user.get_full_name() or str(user)
        self.fields["month"].help_text = _("Year and month, e.g. 2025-03.")
        field.queryset = field.queryset.select_related("premises")

    def validate_unique(self):
        """Refuse a second log of the same month with words a business understands."""
        log = self.instance
        if log.equipment_id is not None and log.month is not None:
            duplicate = (
                type(log)
                .objects.filter(equipment_id=log.equipment_id, month=log.month)
                .exclude(pk=log.pk)
                .exists()
            )
            if duplicate:
                self.add_error("month", duplicate_month_message())
                return
        super().validate_unique()


def duplicate_month_message() -> str:
    return _("This equipment is already logged for this month; edit that log instead.")


class AcLogForm(MonthlyLogForm):
    """The Art. 5-3 monthly log of a central air-conditioning system."""

    class Meta:
        model = AcMonthlyLog
        fields = [
            "equipment",
            "month",
            "ac_electricity_kwh",
            "chiller_inlet_temp_c",
            "chiller_outlet_temp_c",
            "chiller_flow_m3h",
            "tower_inlet_temp_c",
            "tower_outlet_temp_c",
            "tower_flow_m3h",
            "maintenance_done",
            "recorded_by",
            "notes",
        ]
        field_classes = {"equipment": EquipmentChoiceField, "month": MonthField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class BoilerLogForm(MonthlyLogForm):
    """The Art. 8-2 periodic check of a boiler."""

    class Meta:
        model = BoilerMonthlyLog
        fields = [
            "equipment",
            "month",
            "air_volume_m3h",
            "exhaust_temp_c",
            "furnace_wall_temp_c",
            "exhaust_co2_pct",
            "combustion_complete",
            "recorded_by",
            "notes",
        ]
        field_classes = {"equipment": EquipmentChoiceField, "month": MonthField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class LogFilterForm(forms.Form):
    """Filters of a monthly log list."""

    equipment = forms.IntegerField(
        label=gettext_lazy("equipment id"),
        required=False,
        min_value=1,
        max_value=bounds.INTEGER_MAX,
    )
    premises = forms.IntegerField(
        label=gettext_lazy("premises id"), required=False, min_value=1, max_value=bounds.INTEGER_MAX
    )
    month = MonthField(label=gettext_lazy("month"), required=False, help_text="")
