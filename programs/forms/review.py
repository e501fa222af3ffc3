"""Forms of the review of proposals: criterion assessments, decisions, steps and scores.

Decisions, steps and scores are taken by :mod:`programs.services` (who, when, why);
these forms only collect what the reviewer typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.choices import AssessmentDecision
from programs.forms.records import PROVENANCE, RecordForm
from programs.models import (
    Criterion,
    CriterionAssessment,
    Project,
    ScoringCriterion,
    ScoringScheme,
)
from programs.rules import review

STEP_LABELS = {
    review.SUBMIT: _("Submit for review"),
    review.APPROVE: _("Approve"),
    review.REJECT: _("Reject"),
    review.RETURN: _("Return to draft"),
    review.REGISTER: _("Register"),
}


def step_label(step: str) -> str:
    """Return the translated label of a review step (the step itself if unknown)."""
    return str(STEP_LABELS.get(step, step))


class AssessmentForm(RecordForm):
    """A proposal's or participation's criterion, with the evidence for it."""

    class Meta:
        model = CriterionAssessment
        fields = ["criterion", "evidence", *PROVENANCE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        subject = self.instance.project or self.instance.participation
        self.fields["criterion"].queryset = Criterion.objects.filter(
            programme_id=subject.programme_id
        )


class AssessmentDecisionForm(forms.Form):
    """A reviewer's decision on one criterion, with the reason."""

    decision = forms.ChoiceField(
        label=pgettext_lazy("outcome of a review", "Decision"), choices=AssessmentDecision.choices
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == AssessmentDecision.NOT_MET
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why the criterion is not met."))
        return cleaned


class ReviewStepForm(forms.Form):
    """The next step of a proposal's review (the steps its state allows)."""

    step = forms.ChoiceField(label=_("Step"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reject a proposal or return it to draft."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [
            (step, step_label(step)) for step in review.available_steps(project.status)
        ]


class SchemeChoiceForm(forms.Form):
    """Choose the scoring scheme to rank a programme's competing proposals under."""

    scheme = forms.ModelChoiceField(
        label=_("Scoring scheme"), queryset=ScoringScheme.objects.none(), empty_label=None
    )

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


class ScoreForm(forms.Form):
    """A reviewer's scores (0-100) of one proposal on every criterion of a scheme."""

    project = forms.ModelChoiceField(label=_("Proposal"), queryset=None)

    def __init__(self, *args, scheme, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = proposals
        self.criteria = list(scheme.criteria.all())
        for criterion in self.criteria:
            self.fields[f"score_{criterion.code}"] = forms.DecimalField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.label, "weight": f"{criterion.weight.normalize():f}"},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
            )

    def scores(self) -> dict[str, object]:
        """Return the scores typed, by criterion code."""
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}


class ScoringSchemeForm(RecordForm):
    """A scoring scheme of a programme: its name and the competing proposals it ranks."""

    class Meta:
        model = ScoringScheme
        fields = ["name", "description", "proposals", *PROVENANCE]
        widgets = {"proposals": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Project.objects.filter(
            programme_id=self.instance.programme_id
        ).order_by("title_en", "id")


ScoringCriterionFormSet = forms.inlineformset_factory(
    ScoringScheme,
    ScoringCriterion,
    fields=["code", "label", "weight"],
    widgets={
        "code": forms.TextInput(attrs={"aria-label": _("Code")}),
        "label": forms.TextInput(attrs={"aria-label": _("Criterion")}),
        "weight": forms.NumberInput(attrs={"aria-label": _("Weight"), "min": "0.01"}),
    },
    extra=2,
    can_delete=True,
)
