"""Forms of the planning pages: target criteria, batches, filters, and changes with a reason."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from compliance.choices import ComplianceOutcome, District, PremisesCategory
from inspections.choices import InspectionPurpose, InspectionStatus
from inspections.models import InspectionBatch
from inspections.services.planning import (
    NEVER_INSPECTED,
    NOT_ASSESSED,
    NOT_INSPECTED_SINCE,
    OPEN_STATUSES,
    TargetCriteria,
    active_inspectors,
)
from portal import bounds

ANY = [("", _("Any"))]
DATE_WIDGET = {"type": "date"}


def _date_field(label, **kwargs) -> forms.DateField:
    return bounds.DateField(
        label=label,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        **kwargs,
    )


class InspectorChoiceField(forms.ModelChoiceField):
    """An active inspector, named as people know them."""

    def label_from_instance(self, obj) -> str:
        return str(obj)


class InspectorsField(forms.ModelMultipleChoiceField):
    """Active inspectors, ticked in a list that is easy to tap on a tablet."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        load = getattr(obj, "open_total", None)
        if load is None:
            return str(obj)
        return ngettext(
            "%(name)s (%(count)d open inspection)",
            "%(name)s (%(count)d open inspections)",
            load,
        ) % {"name": obj, "count": load}


class TargetCriteriaForm(forms.Form):
    """The Art. 10-5 criteria and the administrator's own filters (all optional)."""

    published_criteria = forms.BooleanField(
        label=_("Use the published criteria"),
        required=False,
        help_text=_(
            "The Art. 10-5 targets announced in the rule book in force today. A premises "
            "they cannot judge for lack of data (e.g. its monthly electricity use) is not "
            "selected by them."
        ),
    )
    industry_code = forms.RegexField(
        label=_("Industry classification"),
        regex=r"^[0-9]{1,4}$",
        required=False,
        help_text=_("A code or its first digits, e.g. 47 for retail trade."),
        error_messages={"invalid": _("Enter 1 to 4 digits.")},
    )
    min_floor_area_m2 = forms.DecimalField(
        label=_("Floor area at least (m²)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY)
    category = forms.ChoiceField(label=_("Premises category"), required=False, choices=ANY)
    last_inspection = forms.ChoiceField(
        label=_("Last inspection"),
        required=False,
        choices=[
            ("", _("Any")),
            (NEVER_INSPECTED, _("Never inspected")),
            (NOT_INSPECTED_SINCE, _("Not inspected since the day below")),
        ],
    )
    inspected_before = _date_field(_("Not inspected since"), required=False)
    compliance_status = forms.ChoiceField(
        label=_("Current compliance status"), required=False, choices=ANY
    )
    include_open = forms.BooleanField(
        label=_("Include premises that already have an open inspection"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = ANY + list(District.choices)
        self.fields["category"].choices = ANY + list(PremisesCategory.choices)
        self.fields["compliance_status"].choices = (
            ANY + list(ComplianceOutcome.choices) + [(NOT_ASSESSED, _("Not assessed"))]
        )

    def clean(self):
        data = super().clean()
        if data.get("last_inspection") == NOT_INSPECTED_SINCE and not data.get("inspected_before"):
            self.add_error("inspected_before", _("Give the day."))
        return data

    def criteria(self) -> TargetCriteria:
        """Return the criteria of a valid form."""
        data = dict(self.cleaned_data)
        data["exclude_open"] = not data.pop("include_open", False)
        return TargetCriteria.from_dict(data)


class BatchForm(forms.Form):
    """A batch of inspections of the premises selected: when and by whom."""

    title = forms.CharField(label=_("Title"), max_length=200)
    scheduled_for = _date_field(_("Day of the inspections"))
    inspectors = InspectorsField(
        label=_("Inspectors"),
        queryset=get_user_model().objects.none(),
        help_text=_("Each inspection goes to the inspector with the fewest open inspections."),
    )
    experts = forms.CharField(
        label=_("Experts and scholars (Art. 10-2)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names and affiliations, one per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_assignments = Q(
            inspection_assignments__inspection__status__in=OPEN_STATUSES,
        )
        self.fields["inspectors"].queryset = (
            active_inspectors()
            .annotate(open_total=Count("inspection_assignments", filter=open_assignments))
            .order_by("username")
        )

    def clean_scheduled_for(self) -> datetime.date:
        day = self.cleaned_data["scheduled_for"]
        if day < timezone.localdate():
            raise ValidationError(_("The day cannot be in the past."))
        return day


class InspectionFilterForm(forms.Form):
    """Filters of the inspections list."""

    status = forms.ChoiceField(
        label=pgettext_lazy("state of a record", "Status"), required=False, choices=ANY
    )
    purpose = forms.ChoiceField(
        label=pgettext_lazy("inspection", "Purpose"), required=False, choices=ANY
    )
    inspector = InspectorChoiceField(
        label=_("Inspector"), required=False, queryset=get_user_model().objects.none()
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY)
    scheduled_from = _date_field(_("From"), required=False)
    scheduled_to = _date_field(_("To"), required=False)
    batch = forms.ModelChoiceField(
        label=_("Batch"), required=False, queryset=InspectionBatch.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ANY + list(InspectionStatus.choices)
        self.fields["purpose"].choices = ANY + list(InspectionPurpose.choices)
        self.fields["district"].choices = ANY + list(District.choices)
        self.fields["inspector"].queryset = active_inspectors().order_by("username")
        self.fields["batch"].queryset = InspectionBatch.objects.order_by("-created_at")


class RescheduleForm(forms.Form):
    """A new day for an inspection, and why."""

    scheduled_for = _date_field(_("New day"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class AssignForm(forms.Form):
    """Who leads an inspection and who goes with them."""

    lead = InspectorChoiceField(label=_("Lead inspector"), queryset=get_user_model().objects.none())
    others = InspectorsField(
        label=_("Other inspectors"), required=False, queryset=get_user_model().objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inspectors = active_inspectors().order_by("username")
        self.fields["lead"].queryset = inspectors
        self.fields["others"].queryset = inspectors


class CancelForm(forms.Form):
    """Why an inspection is called off."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class AgendaInspectorForm(forms.Form):
    """Whose agenda an administrator looks at."""

    inspector = InspectorChoiceField(
        label=_("Inspector"), required=False, queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = active_inspectors().order_by("username")
