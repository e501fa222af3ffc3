"""Forms of the Art. 12-2 data orders: an order, and the reason of an administrator's act."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.energy.models.energy_use import EnergyTypeChoice
from compliance.models import DataOrderStatus
from portal import bounds
from portal.choices import Role


class MonthField(bounds.DateField):
    """A calendar month typed as YYYY-MM (the browser's month input), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if isinstance(day, datetime.date) else day


class SupplierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name or obj.get_username()


class DataOrderForm(forms.Form):
    """What an administrator orders a supplier to provide, and by when (Art. 12-2)."""

    supplier = SupplierChoiceField(
        label=_("Energy supplier"),
        queryset=get_user_model().objects.filter(role=Role.ENERGY_SUPPLIER, is_active=True),
    )
    energy_type = forms.ChoiceField(label=_("Energy type"), choices=EnergyTypeChoice.choices)
    period_from = MonthField(label=_("From month"))
    period_to = MonthField(label=_("To month"))
    deadline = bounds.DateField(
        label=pgettext_lazy("deadline to comply", "Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    instructions = forms.CharField(
        label=_("What is ordered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. every customer account above the register threshold"),
    )


class DataOrderReasonForm(forms.Form):
    """The reason an administrator gives for cancelling an order or recording it fulfilled."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DataOrderFilterForm(forms.Form):
    """Filters of the data order list."""

    status = forms.ChoiceField(
        label=pgettext_lazy("state of a record", "Status"),
        required=False,
        choices=[("", _("All")), *DataOrderStatus.choices],
    )
    energy_type = forms.ChoiceField(
        label=_("Energy type"), required=False, choices=[("", _("All")), *EnergyTypeChoice.choices]
    )
