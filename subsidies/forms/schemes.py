"""Forms of the Art. 14 pages: applying to a scheme and an officer's or applicant's step."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import Business, Premises, Violation
from portal import bounds
from subsidies.choices import item_label


class ApplicationForm(forms.Form):
    """A business member's project under a scheme, with its documents."""

    business = forms.ModelChoiceField(queryset=Business.objects.none(), label=_("Business"))
    premises = forms.ModelChoiceField(
        queryset=Premises.objects.none(), required=False, label=_("Premises")
    )
    items = forms.MultipleChoiceField(
        label=_("Items"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    eligible_cost_ntd = forms.IntegerField(
        label=_("Eligible cost (NT$)"), min_value=1, max_value=bounds.INTEGER_MAX
    )
    expected_saving_percent = forms.DecimalField(
        label=_("Expected energy saving (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    description = forms.CharField(label=_("Project description"), widget=forms.Textarea)
    violation = forms.ModelChoiceField(
        queryset=Violation.objects.none(), required=False, widget=forms.HiddenInput
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, scheme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        businesses = Business.objects.editable_by(user).order_by("id")
        self.fields["business"].queryset = businesses
        self.fields["premises"].queryset = Premises.objects.filter(business__in=businesses)
        self.fields["violation"].queryset = Violation.objects.filter(
            premises__business__in=businesses
        )
        self.fields["items"].choices = [
            (code, item_label(code)) for code in sorted(scheme.eligible_items)
        ]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        for kind in scheme.required_documents:
            self.fields[f"document_{kind}"] = forms.FileField(
                label=_("Document: %(kind)s") % {"kind": kind}, required=False
            )

    def clean(self):
        data = super().clean()
        premises, business = data.get("premises"), data.get("business")
        if premises is not None and business is not None and premises.business_id != business.pk:
            self.add_error("premises", _("This premises belongs to another business."))
        return data

    def documents(self) -> list[tuple[str, object]]:
        """Return (kind, file) for every uploaded document."""
        return [
            (kind, self.cleaned_data[f"document_{kind}"])
            for kind in self.scheme.required_documents
            if self.cleaned_data.get(f"document_{kind}")
        ]


class StepForm(forms.Form):
    """One step of an application's workflow, with what the step needs."""

    step = forms.ChoiceField(
        choices=[
            ("start_review", _("Start the review")),
            ("request_information", _("Request more information")),
            ("resubmit", _("Resubmit")),
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("verify_installation", _("Verify the installation")),
            ("disburse", _("Record the disbursement")),
            ("withdraw", _("Withdraw")),
        ]
    )
    amount_ntd = forms.IntegerField(
        label=_("Amount (NT$)"), required=False, min_value=1, max_value=bounds.INTEGER_MAX
    )
    measured_saving_percent = forms.DecimalField(
        label=_("Measured saving (%)"), required=False, min_value=0, max_value=100
    )
    reason = forms.CharField(label=_("Reason or note"), required=False, widget=forms.Textarea)


class ResubmitForm(forms.Form):
    """The applicant's answer to a request for information, with the documents asked for."""

    note = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you changed or add, for the officer reviewing the application."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        provided = {document.kind for document in application.documents.all()}
        for kind in application.scheme.required_documents:
            self.fields[f"document_{kind}"] = forms.FileField(
                label=_("Document: %(kind)s") % {"kind": kind},
                required=False,
                help_text=_("Already provided; upload a new version if asked.")
                if kind in provided
                else _("Required by the scheme."),
            )

    def documents(self) -> list[tuple[str, object]]:
        """Return (kind, file) for every document uploaded now."""
        return [
            (kind, self.cleaned_data[f"document_{kind}"])
            for kind in self.application.scheme.required_documents
            if self.cleaned_data.get(f"document_{kind}")
        ]
