"""Forms for businesses, premises and claims; the models validate, the forms present."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import NOT_ASSESSED, ComplianceOutcome
from compliance.models import Business, BusinessClaim, Premises
from compliance.validators import validate_ubn


class BusinessForm(forms.ModelForm):
    """Register or edit a business (Art. 2)."""

    class Meta:
        model = Business
        fields = [
            "ubn",
            "name_zh",
            "name_en",
            "sector",
            "industry_code",
            "industry_label",
            "responsible_person",
            "contact_name",
            "contact_phone",
            "contact_email",
            "registered_address",
        ]
        widgets = {"ubn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The unified business number identifies the business; it is not edited here.
            self.fields["ubn"].disabled = True

    def clean_ubn(self):
        ubn = self.cleaned_data["ubn"]
        if Business.objects.filter(ubn=ubn).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "A business with this number is already registered. If you act for it, "
                    "claim it instead."
                ),
                code="unique",
            )
        return ubn


class ClaimForm(forms.Form):
    """Ask to act for an already registered business."""

    ubn = forms.CharField(
        label=_("unified business number"),
        max_length=8,
        validators=[validate_ubn],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    evidence = forms.CharField(
        label=_("evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=BusinessClaim._meta.get_field("evidence").help_text,
    )

    def clean_ubn(self):
        ubn = self.cleaned_data["ubn"]
        business = Business.objects.filter(ubn=ubn).first()
        if business is None:
            raise forms.ValidationError(
                _("No business with this number is registered yet; register it instead.")
            )
        self.business = business
        return ubn


class ClaimDecisionForm(forms.Form):
    """An administrator's decision on a claim."""

    approve = forms.TypedChoiceField(
        label=pgettext_lazy("outcome of a review", "decision"),
        choices=[("yes", _("Approve")), ("no", _("Reject"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PremisesForm(forms.ModelForm):
    """Add or edit a premises; the business must be one the user may edit."""

    class Meta:
        model = Premises
        fields = [
            "business",
            "name",
            "kind",
            "address",
            "district",
            "category",
            "floor_area_m2",
            "has_arcade",
            "opens_at",
            "closes_at",
            "opening_days",
            "is_active",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "floor_area_m2": forms.NumberInput(attrs={"step": "0.01", "min": "1"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = Business.objects.editable_by(user).order_by("name_zh")


class PremisesFilterForm(forms.Form):
    """Filters of the premises list."""

    q = forms.CharField(label=_("search"), required=False)
    district = forms.ChoiceField(label=_("district"), required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False)
    category = forms.ChoiceField(label=_("premises category"), required=False)
    status = forms.ChoiceField(label=_("compliance status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["status"].choices = [
            *blank,
            *ComplianceOutcome.choices,
            (NOT_ASSESSED, _("Not assessed")),
        ]
        self.fields["district"].choices = blank + list(Premises._meta.get_field("district").choices)
        self.fields["kind"].choices = blank + list(Premises._meta.get_field("kind").choices)
        self.fields["category"].choices = blank + list(Premises._meta.get_field("category").choices)
