"""The review of proposals: a reviewer's decision on a criterion, review steps, scoring.

Every change is taken by :mod:`programs.services` (who, when, why, audited). Scoring
is a tool of the programme staff: the ranking counts every proposal of a scheme,
published or not, so only officers and administrators see it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from programs import services
from programs.forms import (
    AssessmentDecisionForm,
    ReviewStepForm,
    SchemeChoiceForm,
    ScoreForm,
    add_model_errors,
)
from programs.models import CriterionAssessment, Project, ScoringScheme
from programs.views.access import ProgrammeStaffRequiredMixin, visible_record_or_404
from programs.views.editing import AssessmentFormView
from programs.views.public import ProjectDetailView


class AssessmentDecideView(ProgrammeStaffRequiredMixin, FormView):
    """A reviewer decides whether a proposal (or participation) meets one criterion."""

    form_class = AssessmentDecisionForm
    template_name = "programs/assessment_decide.html"

    def refuse(self):
        visible_record_or_404(CriterionAssessment, self.request.user, pk=self.kwargs["pk"])
        raise PermissionDenied

    def get_assessment(self) -> CriterionAssessment:
        if not hasattr(self, "_assessment"):
            queryset = CriterionAssessment.objects.editable_by(self.request.user).select_related(
                "criterion", "project", "participation__city", "participation__programme"
            )
            self._assessment = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._assessment

    def get_initial(self):
        assessment = self.get_assessment()
        return {"decision": assessment.decision, "reason": assessment.reason}

    def get_context_data(self, **kwargs):
        assessment = self.get_assessment()
        return super().get_context_data(
            assessment=assessment,
            cancel_url=AssessmentFormView().success_url_for(assessment),
            **kwargs,
        )

    def form_valid(self, form):
        assessment = self.get_assessment()
        try:
            services.decide_criterion(
                self.request.user,
                assessment,
                form.cleaned_data["decision"],
                form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The decision was recorded."))
        return redirect(AssessmentFormView().success_url_for(assessment))


class ProjectReviewView(ProgrammeStaffRequiredMixin, ProjectDetailView):
    """Take the next review step of a proposal (submit, approve, reject, return, register).

    A step refused (a reason missing, a state that does not allow it) shows the project
    page again with the form's errors and what was typed.
    """

    http_method_names = ["post"]

    def refuse(self):
        visible_record_or_404(Project, self.request.user, pk=self.kwargs["pk"])
        raise PermissionDenied

    def post(self, request, *args, **kwargs):
        self.object = project = self.get_object()
        form = ReviewStepForm(request.POST, project=project)
        if form.is_valid():
            try:
                services.take_review_step(
                    request.user, project, form.cleaned_data["step"], form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                messages.success(request, _("The review step was recorded."))
                return redirect("programme-project-detail", pk=project.pk)
        return self.render_to_response(self.get_context_data(review_form=form))


class ScoringView(ProgrammeStaffRequiredMixin, TemplateView):
    """Rank a scheme's competing proposals by weighted total; reviewers enter their scores."""

    template_name = "programs/scoring.html"

    def refuse(self):
        visible_record_or_404(ScoringScheme, self.request.user, pk=self.kwargs["pk"])
        raise PermissionDenied

    def get_scheme(self) -> ScoringScheme:
        if not hasattr(self, "_scheme"):
            queryset = ScoringScheme.objects.editable_by(self.request.user).select_related(
                "programme"
            )
            self._scheme = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._scheme

    def get(self, request, *args, **kwargs):
        chosen = request.GET.get("scheme", "")
        if chosen.isdigit() and int(chosen) != self.kwargs["pk"]:
            return redirect("programme-scoring", pk=int(chosen))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        scheme = self.get_scheme()
        form = self.score_form(request.POST)
        if form.is_valid():
            try:
                services.score_proposal(
                    request.user, scheme, form.cleaned_data["project"], form.scores()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your scores of “%(proposal)s” were saved.")
                    % {"proposal": form.cleaned_data["project"]},
                )
                return redirect("programme-scoring", pk=scheme.pk)
        return self.render_to_response(self.get_context_data(score_form=form))

    def score_form(self, data=None) -> ScoreForm:
        scheme = self.get_scheme()
        proposals = Project.objects.filter(programme_id=scheme.programme_id).order_by(
            "title_en", "id"
        )
        return ScoreForm(data, scheme=scheme, proposals=proposals)

    def get_context_data(self, **kwargs):
        scheme = self.get_scheme()
        schemes = ScoringScheme.objects.editable_by(self.request.user).select_related("programme")
        ranking = services.ranking(scheme)
        keys = [entry.key for entry in ranking.ranked] + list(ranking.incomplete)
        projects = Project.objects.in_bulk(keys)
        kwargs.setdefault("score_form", self.score_form())
        return super().get_context_data(
            scheme=scheme,
            criteria=scheme.criteria.all(),
            chooser=SchemeChoiceForm(initial={"scheme": scheme.pk}, schemes=schemes),
            ranked=[(entry, projects[entry.key]) for entry in ranking.ranked],
            incomplete=[projects[key] for key in ranking.incomplete],
            programme_url=reverse("programme-detail", args=[scheme.programme.code]),
            **kwargs,
        )
