"""Service-request pages: a business asks for help, administrators assign a team, the team
records its consultation, which the business reads.

Every change goes through :mod:`subsidies.services.service_teams`; visibility comes from
``ServiceRequest.objects.visible_to`` (what a user may not see is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from compliance.models import Violation
from portal.audit import history_of
from portal.permissions import can
from portal.views.mixins import RuleRequiredMixin, VisibleMixin
from subsidies.forms.service_teams import (
    AssignForm,
    CloseForm,
    ConsultationForm,
    ServiceRequestForm,
    WithdrawForm,
)
from subsidies.models import Consultation, ServiceRequest, TeamExpert
from subsidies.rules import service_lifecycle as lifecycle
from subsidies.services import service_teams as services

RELATED = ("business", "premises", "violation__premises", "team", "requested_by")
# The services name the model's fields; the forms call some of them by shorter names.
FORM_FIELD_OF = {"close_reason": "reason"}


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form, on the field it concerns when there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = FORM_FIELD_OF.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


class ServiceRequestListView(VisibleMixin, ListView):
    """The requests the user may see (a business: its own)."""

    model = ServiceRequest
    paginate_by = 50
    template_name = "subsidies/service_request_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED).order_by("-requested_at", "-id")


class ServiceRequestDetailView(VisibleMixin, DetailView):
    """One request: what was asked, the team, the consultations and their recommendations."""

    model = ServiceRequest
    template_name = "subsidies/service_request_detail.html"

    def get_queryset(self):
        consultations = Consultation.objects.select_related("recorded_by").prefetch_related(
            Prefetch("experts", queryset=TeamExpert.objects.all())
        )
        return (
            super()
            .get_queryset()
            .select_related(*RELATED, "assigned_by", "closed_by", "withdrawn_by")
            .prefetch_related(Prefetch("consultations", queryset=consultations))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.object, self.request.user
        objects = ServiceRequest.objects.filter(pk=request.pk)
        status = request.status
        context.update(
            can_assign=can(user, "subsidies.assign_team", request),
            can_close=can(user, "subsidies.close_request", request),
            can_consult=lifecycle.allows(status, lifecycle.Action.CONSULT)
            and objects.consultable_by(user).exists(),
            can_withdraw=lifecycle.allows(status, lifecycle.Action.WITHDRAW)
            and objects.editable_by(user).exists(),
            history=history_of(request)[:20],
        )
        return context


class ServiceRequestCreateView(RuleRequiredMixin, FormView):
    """A business member asks for help; ``?violation=<id>`` starts from a violation."""

    form_class = ServiceRequestForm
    template_name = "subsidies/service_request_form.html"
    permission_rule = "subsidies.request_help"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        violation_id = self.request.GET.get("violation", "")
        if violation_id.isdigit():
            violation = get_object_or_404(
                Violation.objects.visible_to(self.request.user).select_related("premises"),
                pk=int(violation_id),
            )
            self.violation = violation
            initial.update(
                violation=violation.pk,
                business=violation.premises.business_id,
                premises=violation.premises_id,
                topic=gettext_lazy("Help to fix: %(violation)s") % {"violation": violation},
            )
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(violation=getattr(self, "violation", None), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            request = services.request_help(
                self.request.user,
                data["business"],
                topic=data["topic"],
                description=data["description"],
                premises=data["premises"],
                violation=data["violation"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, gettext_lazy("Your request has been sent. The city will assign a team.")
        )
        return redirect(request)


class ServiceRequestActionView(LoginRequiredMixin, FormView):
    """Base of the pages acting on one request: 404 if not visible, 403 if not allowed."""

    template_name = "subsidies/service_request_action.html"
    title = ""
    button = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.service_request = get_object_or_404(
            ServiceRequest.objects.visible_to(request.user).select_related(*RELATED),
            pk=kwargs["pk"],
        )
        if not self.permitted(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # The rule of portal.permissions the page asks for the user's role (a state the
    # action does not allow is the service's refusal, shown on the form).
    permission_rule = ""

    def permitted(self, user) -> bool:
        """Return whether ``user`` may take this action on the request."""
        return can(user, self.permission_rule)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            service_request=self.service_request,
            title=self.title,
            button=self.button,
            **kwargs,
        )

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("service-request-detail", pk=self.service_request.pk)


class ServiceRequestAssignView(ServiceRequestActionView):
    form_class = AssignForm
    permission_rule = "subsidies.assign_team"
    title = gettext_lazy("Assign a service team")
    button = gettext_lazy("Assign")
    success_message = gettext_lazy("The team has been assigned.")

    def act(self, form):
        services.assign_team(
            self.request.user,
            self.service_request,
            form.cleaned_data["team"],
            form.cleaned_data["reason"],
        )


class ServiceRequestConsultationView(ServiceRequestActionView):
    form_class = ConsultationForm
    title = gettext_lazy("Record the consultation")
    button = gettext_lazy("Record")
    success_message = gettext_lazy("The consultation has been recorded.")

    def permitted(self, user) -> bool:
        objects = ServiceRequest.objects.filter(pk=self.service_request.pk)
        return objects.consultable_by(user).exists()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "service_request": self.service_request}

    def act(self, form):
        data = form.cleaned_data
        services.record_consultation(
            self.request.user,
            self.service_request,
            held_on=data["held_on"],
            findings=data["findings"],
            recommendations=data["recommendations"],
            experts=data["experts"],
            follow_up_due=data["follow_up_due"],
        )


class ServiceRequestWithdrawView(ServiceRequestActionView):
    form_class = WithdrawForm
    title = gettext_lazy("Withdraw the request")
    button = gettext_lazy("Withdraw")
    success_message = gettext_lazy("The request has been withdrawn.")

    def permitted(self, user) -> bool:
        objects = ServiceRequest.objects.filter(pk=self.service_request.pk)
        return objects.editable_by(user).exists()

    def act(self, form):
        services.withdraw(self.request.user, self.service_request)


class ServiceRequestCloseView(ServiceRequestActionView):
    form_class = CloseForm
    permission_rule = "subsidies.close_request"
    title = gettext_lazy("Close the request")
    button = gettext_lazy("Close")
    success_message = gettext_lazy("The request has been closed.")

    def act(self, form):
        services.close(self.request.user, self.service_request, form.cleaned_data["reason"])
