"""Programme staff set up a scoring scheme: its proposals and weighted criteria.

Created from the programme's page (its code in the URL), edited from the scoring page;
saved by :func:`programs.services.pages_scoring.save_scoring_scheme`. A form with
errors comes back with what was typed, the criteria's rows included.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from programs.forms import ScoringCriterionFormSet, ScoringSchemeForm, add_model_errors
from programs.models import Programme, ScoringScheme
from programs.services.pages_scoring import CriterionChange, save_scoring_scheme
from programs.views.access import ProgrammeStaffRequiredMixin, visible_record_or_404
from programs.views.editing import programme_page


class ScoringSchemeFormView(ProgrammeStaffRequiredMixin, TemplateView):
    """Create (``code`` in the URL) or edit (``pk``) a scoring scheme with its criteria."""

    template_name = "programs/scoring_scheme_form.html"
    title_create = gettext_lazy("New scoring scheme")
    title_edit = gettext_lazy("Edit the scoring scheme")

    def refuse(self):
        if "pk" in self.kwargs:
            visible_record_or_404(ScoringScheme, self.request.user, pk=self.kwargs["pk"])
        else:
            visible_record_or_404(Programme, self.request.user, code=self.kwargs["code"])
        raise PermissionDenied

    def get_scheme(self) -> ScoringScheme:
        if "pk" in self.kwargs:
            queryset = ScoringScheme.objects.editable_by(self.request.user)
            return get_object_or_404(queryset.select_related("programme"), pk=self.kwargs["pk"])
        return ScoringScheme(programme=get_object_or_404(Programme, code=self.kwargs["code"]))

    def forms(self, scheme, data=None):
        return (
            ScoringSchemeForm(data, instance=scheme),
            ScoringCriterionFormSet(data, instance=scheme, prefix="criteria"),
        )

    def get(self, request, *args, **kwargs):
        scheme = self.get_scheme()
        form, formset = self.forms(scheme)
        return self.render_to_response(self.get_context_data(scheme, form, formset))

    def post(self, request, *args, **kwargs):
        scheme = self.get_scheme()
        form, formset = self.forms(scheme, request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                saved = save_scoring_scheme(
                    request.user,
                    form.save(commit=False),
                    form.cleaned_data["proposals"],
                    self.changes(formset),
                )
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The scoring scheme “%(scheme)s” was saved.") % {"scheme": saved},
                )
                return redirect("programme-scoring", pk=saved.pk)
        return self.render_to_response(self.get_context_data(scheme, form, formset))

    @staticmethod
    def changes(formset) -> list[CriterionChange]:
        """Return the criteria as the formset leaves them (empty extra rows skipped)."""
        changes = []
        for row in formset.forms:
            if row.instance.pk is None and not row.has_changed():
                continue
            data = row.cleaned_data
            changes.append(
                CriterionChange(
                    instance=row.instance if row.instance.pk else None,
                    code=data.get("code", ""),
                    label=data.get("label", ""),
                    weight=data.get("weight"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return changes

    def get_context_data(self, scheme, form, formset, **kwargs):
        creating = scheme.pk is None
        return super().get_context_data(
            scheme=scheme,
            form=form,
            formset=formset,
            title=self.title_create if creating else self.title_edit,
            cancel_url=programme_page(scheme.programme.code)
            if creating
            else reverse("programme-scoring", args=[scheme.pk]),
            **kwargs,
        )
