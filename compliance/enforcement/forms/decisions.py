"""Forms of an official's decision on proposed fines and of the service of decisions."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import District, ServiceMethod, ViolationArticle
from compliance.enforcement.services.serving import STAFF_METHODS
from portal import bounds

DATE_WIDGET = {"type": "date"}
APPROVE, RETURN, CANCEL = "approve", "return", "cancel"


class ProposalDecisionForm(forms.Form):
    """An official approves a proposed fine, returns it for verification, or cancels it."""

    decision = forms.ChoiceField(
        label=pgettext_lazy("official's decision", "decision"),
        choices=[
            (APPROVE, _("Approve: issue the penalty decision")),
            (RETURN, _("Return for a new verification")),
            (CANCEL, _("Cancel the proposal and the case")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Required to return or cancel; shown on the case file."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in (RETURN, CANCEL) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the proposal is not approved."))
        return data


class ServiceForm(forms.Form):
    """Staff record how and when a decision was served (registered mail, in person)."""

    method = forms.ChoiceField(
        label=_("served by"),
        choices=[(method.value, method.label) for method in STAFF_METHODS],
        widget=forms.RadioSelect,
    )
    served_on = bounds.DateField(
        label=_("day of service"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_("As the return receipt or the acknowledgement of delivery shows it."),
    )


class ElectronicServiceForm(forms.Form):
    """A business agrees to electronic service of decisions, or withdraws it."""

    agree = forms.BooleanField(
        label=_(
            "Decisions of the Department count as served on the day a member of this "
            "business opens them on the portal (electronic service)."
        ),
        required=False,
    )


class ProposalFilterForm(forms.Form):
    """Filters of the officials' list of proposals (the list a batch approval takes)."""

    article = forms.ChoiceField(label=_("article"), required=False)
    district = forms.ChoiceField(label=_("district"), required=False)
    proposed_from = bounds.DateField(
        label=_("proposed from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    proposed_to = bounds.DateField(
        label=_("proposed until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    step = forms.IntegerField(label=_("nth fine"), required=False, min_value=1, max_value=99)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["article"].choices = blank + list(ViolationArticle.choices)
        self.fields["district"].choices = blank + list(District.choices)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` (fines) narrowed by the filters that are valid."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("article"):
            queryset = queryset.filter(violation__article=data["article"])
        if data.get("district"):
            queryset = queryset.filter(violation__premises__district=data["district"])
        if data.get("proposed_from"):
            queryset = queryset.filter(proposed_on__gte=data["proposed_from"])
        if data.get("proposed_to"):
            queryset = queryset.filter(proposed_on__lte=data["proposed_to"])
        if data.get("step"):
            queryset = queryset.filter(step=data["step"])
        return queryset


class BatchApprovalForm(ProposalFilterForm):
    """Approve every proposal the filter shows that the official may decide."""

    expected = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=bounds.INTEGER_MAX
    )
    confirm = forms.BooleanField(
        label=_(
            "I have reviewed the facts, the verifications and the statements of the "
            "proposals this filter shows, and approve them."
        ),
    )


__all__ = [
    "APPROVE",
    "CANCEL",
    "RETURN",
    "BatchApprovalForm",
    "ElectronicServiceForm",
    "ProposalDecisionForm",
    "ProposalFilterForm",
    "ServiceForm",
    "ServiceMethod",
]
