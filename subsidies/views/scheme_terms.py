"""Administrators' pages configuring Art. 14 schemes: terms, reviewers and a call's criteria.

Changes go through :mod:`subsidies.services.schemes` and
:func:`subsidies.services.rewards.save_criteria` (validated, audited); a refusal shows
on the form with everything typed kept. Only administrators reach these pages (403);
a scheme they cannot see, or criteria of a scheme that is not a reward call, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.forms import add_service_errors
from portal.views.mixins import RuleRequiredMixin
from subsidies.forms.scheme_terms import CriteriaFormSet, SchemeForm
from subsidies.models import ReviewScore, Scheme
from subsidies.services import rewards
from subsidies.services import schemes as services


class AdministratorsOnlyMixin(RuleRequiredMixin):
    permission_rule = "subsidies.edit_scheme"

    def get_scheme(self) -> Scheme:
        return get_object_or_404(Scheme.objects.visible_to(self.request.user), pk=self.kwargs["pk"])


class SchemeEditView(AdministratorsOnlyMixin, View):
    """Create a scheme (no ``pk``) or change its terms and reviewers."""

    template_name = "subsidies/scheme_form.html"

    def get_instance(self) -> Scheme:
        return self.get_scheme() if "pk" in self.kwargs else Scheme()

    def render_form(self, form):
        return render(self.request, self.template_name, {"form": form, "scheme": form.instance})

    def get(self, request, *args, **kwargs):
        return self.render_form(SchemeForm(instance=self.get_instance()))

    def post(self, request, *args, **kwargs):
        form = SchemeForm(request.POST, instance=self.get_instance())
        if not form.is_valid():
            return self.render_form(form)
        try:
            scheme = services.save_scheme(
                request.user, form.instance, form.cleaned_data.get("reviewers") or []
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form)
        messages.success(request, _("The scheme has been saved."))
        return redirect(scheme)


class SchemeCriteriaView(AdministratorsOnlyMixin, View):
    """Set a reward call's criteria and weights (the weights add up to 100)."""

    template_name = "subsidies/scheme_criteria.html"

    def get_call(self) -> Scheme:
        scheme = self.get_scheme()
        if not scheme.is_reward_call:
            raise Http404
        return scheme

    def render_formset(self, scheme, formset, errors=()):
        scored = ReviewScore.objects.filter(criterion__scheme=scheme).exists()
        return render(
            self.request,
            self.template_name,
            {"scheme": scheme, "formset": formset, "errors": list(errors), "scored": scored},
        )

    def get(self, request, *args, **kwargs):
        scheme = self.get_call()
        initial = list(scheme.criteria.values("code", "label", "weight"))
        return self.render_formset(scheme, CriteriaFormSet(initial=initial))

    def post(self, request, *args, **kwargs):
        scheme = self.get_call()
        initial = list(scheme.criteria.values("code", "label", "weight"))
        formset = CriteriaFormSet(request.POST, initial=initial)
        if not formset.is_valid():
            return self.render_formset(scheme, formset)
        criteria = [
            (data["code"], data["label"], data["weight"])
            for data in formset.cleaned_data
            if data and not data.get("DELETE")
        ]
        try:
            rewards.save_criteria(request.user, scheme, criteria)
        except ValidationError as error:
            return self.render_formset(scheme, formset, error.messages)
        messages.success(request, _("The criteria have been saved."))
        return redirect(scheme)
