"""Form pieces several compliance domains use: the premises a user may choose, a CSV upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from compliance.models import Premises


class PremisesChoiceField(forms.ModelChoiceField):
    """A premises, named with its business so two shops called the same are told apart."""

    def label_from_instance(self, obj: Premises) -> str:
        return f"{obj.business.display_name} · {obj.name}"


class EquipmentImportForm(forms.Form):
    """Upload an equipment CSV file for a dry run."""

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 encoded CSV with a header row (Excel: “CSV UTF-8”). Nothing is saved "
            "before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
