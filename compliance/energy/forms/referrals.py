"""Forms of Art. 11 referrals: filing one, filtering the list, an administrator's decisions.

The rules (own accounts only, urged after seen, a reason to close, a premises before
targeting) live in :mod:`compliance.energy.services.referrals`; these forms collect the input
and show the services' refusals on the fields they concern.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import EquipmentKind
from compliance.models import Premises, ReferralStatus, SupplierAccount, SupplierReferral
from portal import bounds
from portal.choices import Role

DATE_WIDGET = {"type": "date"}

# The services name the model's fields; the forms call some of them by shorter names.
FORM_FIELD_OF = {"decision_reason": "reason"}


def _model_field(name: str, **kwargs) -> forms.Field:
    return SupplierReferral._meta.get_field(name).formfield(**kwargs)


class AccountChoiceField(forms.ModelChoiceField):
    """One of the supplier's own customer accounts, shown with its energy type."""

    def label_from_instance(self, obj: SupplierAccount) -> str:
        return str(obj)


class ReferralForm(forms.Form):
    """What a supplier saw at a customer and when it urged the customer (Art. 11)."""

    account = AccountChoiceField(
        label=_("Customer account"),
        queryset=SupplierAccount.objects.none(),
        required=False,
        empty_label=_("Not one of my accounts / not known"),
        help_text=_("If the customer is one of your accounts, the referral names its premises."),
        error_messages={"invalid_choice": _("Choose one of your own customer accounts.")},
    )
    customer_name = _model_field("customer_name")
    address = _model_field("address")
    equipment_kind = _model_field("equipment_kind")
    description = _model_field("description", widget=forms.Textarea(attrs={"rows": 4}))
    seen_on = _model_field("seen_on", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    urged_on = _model_field(
        "urged_on", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, *args, supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = SupplierAccount.objects.filter(
            supplier=supplier
        ).order_by("account_number", "energy_type")


class ReferralFilterForm(forms.Form):
    """Narrow the list by status, supplier (city staff only) and equipment kind."""

    status = forms.ChoiceField(
        label=pgettext_lazy("state of a record", "Status"),
        required=False,
        choices=[("", _("All statuses")), *ReferralStatus.choices],
    )
    supplier = forms.ModelChoiceField(
        label=_("Energy supplier"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("All suppliers"),
    )
    equipment_kind = forms.ChoiceField(
        label=_("Equipment"),
        required=False,
        choices=[("", _("All equipment")), *EquipmentKind.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.ENERGY_SUPPLIER:
            del self.fields["supplier"]  # a supplier sees only its own referrals
        else:
            self.fields["supplier"].queryset = (
                get_user_model().objects.filter(role=Role.ENERGY_SUPPLIER).order_by("username")
            )

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` narrowed by the valid filters (invalid ones are ignored)."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("supplier"):
            queryset = queryset.filter(supplier=data["supplier"])
        if data.get("equipment_kind"):
            queryset = queryset.filter(equipment_kind=data["equipment_kind"])
        return queryset


class ReferralCloseForm(forms.Form):
    """An administrator closes a referral without an inspection, with the reason."""

    reason = forms.CharField(
        label=_("Reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown to the supplier and kept in the history."),
    )


class ReferralPremisesForm(forms.Form):
    """An administrator names the registered premises a referral concerns."""

    premises = forms.IntegerField(label=_("Premises id"), min_value=1, max_value=bounds.INTEGER_MAX)

    def clean_premises(self) -> Premises:
        pk = self.cleaned_data["premises"]
        premises = Premises.objects.select_related("business").filter(pk=pk).first()
        if premises is None:
            raise forms.ValidationError(_("There is no premises %(id)s.") % {"id": pk})
        return premises


class ReferralTargetForm(forms.Form):
    """An administrator plans a complaint inspection of the referral's premises."""

    scheduled_for = bounds.DateField(
        label=_("Inspection day"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Notes for the inspectors"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
