"""The applicant's answer to "more information requested": a note and the documents asked for.

:func:`subsidies.services.applications.resubmit` checks the documents' kinds against the
scheme's required documents; a refusal shows on this page with the note kept.
Visibility from ``Application.objects.visible_to`` (404); only the applicant's business
may answer (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from portal.forms import add_service_errors
from subsidies.forms.schemes import ResubmitForm
from subsidies.models import Application
from subsidies.rules import workflow
from subsidies.services import applications as services


class ApplicationResubmitView(LoginRequiredMixin, FormView):
    """Resubmit an application after a request for information, with documents."""

    form_class = ResubmitForm
    template_name = "subsidies/application_resubmit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = Application.objects.visible_to(request.user).select_related("scheme", "business")
        self.application = get_object_or_404(visible, pk=kwargs["pk"])
        if not Application.objects.editable_by(request.user).filter(pk=self.application.pk):
            raise PermissionDenied
        if workflow.Action.RESUBMIT not in workflow.allowed_actions(self.application.status):
            messages.error(request, _("This application is not waiting for more information."))
            return redirect(self.application)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_context_data(self, **kwargs):
        request_event = (
            self.application.events.filter(action=workflow.Action.REQUEST_INFORMATION)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        return super().get_context_data(
            application=self.application,
            request_event=request_event,
            documents=list(self.application.documents.all()),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.resubmit(
                self.request.user,
                self.application,
                form.cleaned_data["note"],
                documents=form.documents(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The application was resubmitted."))
        return redirect(self.application)
