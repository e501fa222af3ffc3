"""Forms of the administrators' scheme pages: a scheme's terms and a reward call's criteria.

The scheme form is a ModelForm, so the model's validation (the eligibility engine's
terms, the budget never below what is committed) shows on the field concerned; the
criteria are checked again by :func:`subsidies.services.rewards.save_criteria`.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.choices import Role
from subsidies.choices import CONDITION_LABELS, ITEM_LABELS
from subsidies.models import Scheme

DOCUMENT_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchemeForm(forms.ModelForm):
    """A scheme's terms as administrators configure them (Art. 14)."""

    eligible_items = forms.MultipleChoiceField(
        label=_("Eligible items"),
        required=False,  # the model says why a scheme needs one
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(code), label) for code, label in ITEM_LABELS.items()],
    )
    conditions = forms.MultipleChoiceField(
        label=_("Eligibility conditions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(code), label) for code, label in CONDITION_LABELS.items()],
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One kind of document per line, e.g. quotation or energy_audit_report."),
    )

    class Meta:
        model = Scheme
        fields = [
            "code",
            "title_zh_hant",
            "title_en",
            "category",
            "description",
            "opens_on",
            "closes_on",
            "budget_ntd",
            "support_rate_cap",
            "project_cap_ntd",
            "business_cap_ntd",
            "minimum_project_cost_ntd",
            "minimum_saving_percent",
            "eligible_items",
            "required_documents",
            "conditions",
            "award_amount_ntd",
            "reviewers",
            "published",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "reviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = self.instance.reviewers.all() if self.instance.pk else []
        self.fields["reviewers"].queryset = (
            get_user_model()
            .objects.filter(
                Q(is_active=True, role=Role.PROGRAMME_OFFICER) | Q(pk__in=[u.pk for u in assigned])
            )
            .order_by("username")
        )
        if self.instance.pk:
            # The code names the scheme in links and examples: fixed once created.
            self.fields["code"].disabled = True
        if not self.is_bound:
            self.initial["required_documents"] = "\n".join(self.instance.required_documents or [])

    def clean_required_documents(self) -> list[str]:
        kinds, bad = [], []
        for line in re.split(r"[\n,]", self.cleaned_data.get("required_documents") or ""):
            kind = line.strip()
            if not kind:
                continue
            if not DOCUMENT_KIND.match(kind):
                bad.append(kind)
            elif kind not in kinds:
                kinds.append(kind)
        if bad:
            raise forms.ValidationError(
                _(
                    "Write each kind in lower-case letters, digits and underscores, "
                    "starting with a letter: %(kinds)s"
                )
                % {"kinds": ", ".join(bad)}
            )
        return kinds


class CriterionForm(forms.Form):
    """One criterion of a reward call and its weight."""

    code = forms.SlugField(label=_("Code"), max_length=64)
    label = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100)


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=3, can_delete=True)
