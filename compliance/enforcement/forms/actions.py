"""Forms of the enforcement pages: list filters and the actions on violations and fines.

The forms only read what was typed (numbers, dates, choices); the rules (who may act,
periods, amounts, states) are the services' (``compliance.enforcement.services.violations``), whose
refusals the views put back on these forms.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from compliance.choices import (
    APPEAL_BODY_OUTCOMES,
    DEPARTMENT_OUTCOMES,
    AppealStatus,
    District,
    ViolationArticle,
    ViolationStatus,
)
from compliance.enforcement.services.appeals import MAX_APPEAL_FILES
from compliance.enforcement.services.statements import MAX_STATEMENT_CHARS
from compliance.enforcement.services.violations import MAX_EVIDENCE_FILES
from portal import bounds

DATE_WIDGET = {"type": "date"}
YES_NO = [("yes", _("Accept")), ("no", _("Reject"))]


def _yes(value: str) -> bool:
    return value == "yes"


class ViolationFilterForm(forms.Form):
    """Filters of the violation list: status, article, district, when found, overdue only."""

    status = forms.ChoiceField(label=pgettext_lazy("state of a record", "status"), required=False)
    article = forms.ChoiceField(label=_("article"), required=False)
    district = forms.ChoiceField(label=_("district"), required=False)
    found_from = bounds.DateField(
        label=_("found from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    found_to = bounds.DateField(
        label=_("found until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    awaiting_verification = forms.BooleanField(
        label=_("awaiting verification only"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["status"].choices = blank + list(ViolationStatus.choices)
        self.fields["article"].choices = blank + list(ViolationArticle.choices)
        self.fields["district"].choices = blank + list(District.choices)

    def filter(self, queryset: QuerySet, today) -> QuerySet:
        """Return ``queryset`` narrowed by the filters that are valid."""
        if not self.is_bound:
            return queryset
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("article"):
            queryset = queryset.filter(article=data["article"])
        if data.get("district"):
            queryset = queryset.filter(premises__district=data["district"])
        if data.get("found_from"):
            queryset = queryset.filter(found_on__gte=data["found_from"])
        if data.get("found_to"):
            queryset = queryset.filter(found_on__lte=data["found_to"])
        if data.get("overdue"):
            queryset = queryset.overdue(today)
        if data.get("awaiting_verification"):
            queryset = queryset.overdue(today).filter(fine_due_on__isnull=True)
        return queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (``<input type=file multiple>``)."""

    def __init__(self, *args, **kwargs):
        accept = {"accept": "image/jpeg,image/png,application/pdf"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=accept))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        if not data:
            return []
        return [super().clean(data, initial)]


class EvidenceForm(forms.Form):
    """A business shows what it did to rectify a violation, with photos or documents."""

    description = forms.CharField(
        label=_("what was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. which equipment was replaced or repaired, and when"),
        required=False,
    )
    files = MultipleFileField(
        label=_("photos or documents"),
        required=False,
        help_text=_("JPEG, PNG or PDF; at most %(count)d files.") % {"count": MAX_EVIDENCE_FILES},
    )


class StatementForm(forms.Form):
    """The business states its opinion before a fine (APenA Art. 42).

    The service checks the text (required, at most ``MAX_STATEMENT_CHARS`` characters)
    and the period, so that the page and the API refuse it with the same message.
    """

    text = forms.CharField(
        label=_("your statement of opinion"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_STATEMENT_CHARS}),
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the reader's language (a lazy text formatted at import would not be).
        self.fields["text"].help_text = gettext(
            "What the City should consider before deciding the fine, e.g. what you did and "
            "when, or why you disagree with the finding; at most %(count)d characters."
        ) % {"count": MAX_STATEMENT_CHARS}


class EvidenceReviewForm(forms.Form):
    """An inspector accepts or rejects rectification evidence, with a reason."""

    accept = forms.TypedChoiceField(
        label=pgettext_lazy("outcome of a review", "decision"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Shown to the business with the decision."),
    )


class PaymentReportForm(forms.Form):
    """A business records that it paid a fine."""

    amount_ntd = forms.IntegerField(
        label=_("amount paid (NT$)"), required=False, min_value=1, max_value=bounds.INTEGER_MAX
    )
    paid_on = bounds.DateField(
        label=_("paid on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=60,
        required=False,
        help_text=_("e.g. the receipt or transfer number"),
    )


class PaymentDecisionForm(forms.Form):
    """An administrator confirms a reported payment, or rejects it with a reason."""

    confirm = forms.TypedChoiceField(
        label=pgettext_lazy("outcome of a review", "decision"),
        choices=[("yes", _("Confirm")), ("no", _("Reject"))],
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the payment is rejected."),
    )


def _outcomes(values) -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in AppealStatus if status.value in values]


def _appeal_files_help() -> str:
    # Formatted when shown, in the reader's language (not once at import).
    return gettext("JPEG, PNG or PDF; at most %(count)d files.") % {"count": MAX_APPEAL_FILES}


def _appeal_files(label, help_text=None) -> MultipleFileField:
    return MultipleFileField(
        label=label, required=False, help_text=help_text or lazy(_appeal_files_help, str)()
    )


class AppealForm(forms.Form):
    """A business appeals against a served penalty decision, with its files."""

    grounds = forms.CharField(
        label=_("grounds"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    files = _appeal_files(_("documents supporting the appeal"))


class AppealReviewForm(forms.Form):
    """The Department revokes or amends its own decision on review (AAA Art. 58(2))."""

    outcome = forms.ChoiceField(
        label=_("the Department's decision"),
        choices=_outcomes(DEPARTMENT_OUTCOMES),
        widget=forms.RadioSelect,
    )
    amended_amount_ntd = forms.IntegerField(
        label=_("amended amount (NT$)"),
        required=False,
        min_value=0,
        help_text=_("Only for an amended decision."),
        max_value=bounds.INTEGER_MAX,
    )
    reason = forms.CharField(
        label=_("reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AppealForwardForm(forms.Form):
    """The Department forwards the appeal with its reply (答辯書), copied to the appellant."""

    reply = forms.CharField(
        label=_("the Department's reply (答辯書)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Sent to the appeal body with the case file and copied to the appellant."),
    )
    files = _appeal_files(_("the reply's documents"))


class AppealBodyDecisionForm(forms.Form):
    """Staff record the appeal body's decision on a forwarded appeal, with its document."""

    outcome = forms.ChoiceField(
        label=_("the appeal body's decision"),
        choices=_outcomes(APPEAL_BODY_OUTCOMES),
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decided_on = bounds.DateField(
        label=_("decided on"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    amended_amount_ntd = forms.IntegerField(
        label=_("amount remaining (NT$)"),
        required=False,
        min_value=0,
        help_text=_("Only for a decision revoked in part: what is still owed."),
        max_value=bounds.INTEGER_MAX,
    )
    reason = forms.CharField(
        label=_("the appeal body's reasons (summary)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    files = _appeal_files(
        _("the decision document"), _("The appeal body's decision: a PDF or a scan (JPEG, PNG).")
    )


class AppealSuspensionForm(forms.Form):
    """Staff record a suspension of payment (AAA Art. 93) or lift it (Art. 94)."""

    suspend = forms.TypedChoiceField(
        choices=[("yes", _("Suspend payment")), ("no", _("Lift the suspension"))],
        coerce=_yes,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CancelViolationForm(forms.Form):
    """An administrator withdraws a violation (e.g. found in error), with the reason."""

    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
