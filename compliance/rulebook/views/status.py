"""The compliance page of a premises: its status, each article's findings, and why.

A decision is shown with the rule-book version and the copy of the parameters it was
made under, so an old decision reads exactly as it was made (``?as_of=YYYY-MM-DD``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from compliance.articles import ARTICLES
from compliance.choices import (
    AcType,
    AirBarrier,
    Article,
    Fuel,
    LampType,
    SpaceType,
)
from compliance.models import ComplianceAssessment, Premises
from compliance.rulebook.explain import explain_exemption, explain_finding, outcome_label
from compliance.rulebook.explain import parameter_field_label as parameter_label
from compliance.rulebook.services import assessment
from portal import audit, bounds
from portal.permissions import can, require
from portal.views.mixins import VisibleMixin, visible_or_404

HISTORY_LIMIT = 100

# How a finding's unit code reads next to its number.
UNIT_LABELS = {
    "c": "°C",
    "lux": "lx",
    "hp": "HP",
    "kw": "kW",
    "tph": "t/h",
    "kcal_h": "kcal/h",
    "eer": "EER",
    "cspf": "CSPF",
    "lamps": gettext_lazy("lamps"),
    "periods": gettext_lazy("periods logged"),
}


def unit_label(code: str) -> str:
    """Return a finding's unit to read ("c" -> "°C"); an unknown code is shown as it is."""
    return str(UNIT_LABELS.get(code, code))


@dataclass(frozen=True)
class FindingRow:
    """One finding of a decision, ready to show."""

    subject: str
    outcome: str
    outcome_label: str
    measured: str
    limit: str
    unit: str
    explanation: str
    exemption: str | None
    advisory: bool


@dataclass(frozen=True)
class ArticleRow:
    """One article of a decision: its outcome, findings, exemptions and wording."""

    number: str
    label: str
    outcome: str | None
    outcome_label: str
    findings: tuple[FindingRow, ...]
    exemptions: tuple[str, ...]
    title: str
    text: str


# Vocabularies whose codes a finding may hold as its measured value or limit.
_VOCABULARIES = (AirBarrier, Fuel, LampType, SpaceType, AcType)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def measure_label(value: Any) -> str:
    """Return a measured value or limit to read: numbers as stored, codes by their label."""
    if isinstance(value, str):
        for vocabulary in _VOCABULARIES:
            if value in vocabulary.values:
                return str(vocabulary(value).label)
    return _shown(value)


def finding_row(finding: dict) -> FindingRow:
    """Return a stored finding (``finding_to_dict``) in the active language."""
    outcome = finding.get("outcome") or ""
    return FindingRow(
        subject=_shown(finding.get("subject")),
        outcome=outcome,
        outcome_label=outcome_label(outcome),
        measured=measure_label(finding.get("measured")),
        limit=measure_label(finding.get("limit")),
        unit=unit_label(finding.get("unit") or ""),
        explanation=explain_finding(finding, with_exemption=False),
        exemption=explain_exemption(finding),
        advisory=bool(finding.get("advisory")),
    )


def article_rows(decision: ComplianceAssessment) -> list[ArticleRow]:
    """Return every article the engine checks, in the ordinance's order."""
    by_article: dict[str, list[dict]] = {}
    for finding in decision.findings:
        by_article.setdefault(str(finding.get("article")), []).append(finding)
    rows = []
    for number, label in Article.choices:
        outcome = decision.article_outcomes.get(number)
        findings = tuple(finding_row(f) for f in by_article.get(number, ()))
        entry = ARTICLES.get(number)
        rows.append(
            ArticleRow(
                number=number,
                label=str(label),
                outcome=outcome,
                outcome_label=outcome_label(outcome),
                findings=findings,
                exemptions=tuple(dict.fromkeys(f.exemption for f in findings if f.exemption)),
                title=str(entry.title) if entry else "",
                text=entry.text() if entry else "",
            )
        )
    return rows


@dataclass(frozen=True)
class ParameterRow:
    """One parameter of a decision: a value, or a table of rows."""

    label: str
    value: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{parameter_label(k)}: {_value(v)}" for k, v in value.items())
    return _shown(value)


def parameter_rows(parameters: dict) -> list[ParameterRow]:
    """Return the parameters a decision was made under, tables as tables."""
    rows = []
    for name, value in parameters.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            keys = list(value[0])
            rows.append(
                ParameterRow(
                    label=parameter_label(name),
                    headers=tuple(parameter_label(key) for key in keys),
                    rows=tuple(tuple(_value(item.get(key)) for key in keys) for item in value),
                )
            )
        else:
            rows.append(ParameterRow(label=parameter_label(name), value=_value(value)))
    return rows


class AsOfForm(forms.Form):
    """The day whose decision to show (empty: the current status)."""

    as_of = bounds.DateField(
        label=gettext_lazy("Decision valid on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("YYYY-MM-DD; leave empty for the current status."),
    )


class PremisesComplianceView(VisibleMixin, DetailView):
    """A premises' compliance: per article the outcome, measured and limit, and why."""

    model = Premises
    template_name = "compliance/compliance_premises.html"
    context_object_name = "premises"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("business", "status__assessment__rulebook_version")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        premises = self.object
        # The reverse one-to-one raises an AttributeError subclass when there is none.
        status = getattr(premises, "status", None)
        form = AsOfForm(self.request.GET or None)
        day = form.cleaned_data.get("as_of") if form.is_valid() else None
        if day is not None:
            decision = assessment.decision_on(premises.pk, day)
        else:
            decision = status.assessment if status else None
        context.update(
            status=status,
            as_of_form=form,
            as_of=day,
            decision=decision,
            is_current=decision is not None
            and status is not None
            and decision.pk == status.assessment_id,
            articles=article_rows(decision) if decision else [],
            parameters=parameter_rows(decision.parameters) if decision else [],
            decisions=list(
                premises.assessments.select_related("rulebook_version")
                .defer("findings", "parameters_copy", "rulebook_version__parameters")
                .order_by("-as_of", "-id")[:HISTORY_LIMIT]
            ),
            can_reassess=can(self.request.user, "rulebook.reassess"),
            reassess_form=ReassessForm(),
            history=audit.history_of(status)[:20] if status else [],
        )
        return context


class ReassessForm(forms.Form):
    """Why an administrator asks for a fresh assessment (kept in the audit log)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "Kept in the audit log, e.g. the inspection report that has just been corrected."
        ),
    )


class PremisesReassessView(LoginRequiredMixin, View):
    """An administrator re-assesses a premises now (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        premises = visible_or_404(Premises.objects.all(), request.user, pk=pk)
        require(request.user, "rulebook.reassess", premises)
        form = ReassessForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("premises-compliance", pk=premises.pk)
        status = assessment.reassess(request.user, premises, form.cleaned_data["reason"])
        messages.success(
            request,
            _("The premises has been re-assessed: %(outcome)s.")
            % {"outcome": outcome_label(status.outcome)},
        )
        return redirect("premises-compliance", pk=premises.pk)
