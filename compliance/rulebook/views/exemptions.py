"""Pages for individual exemptions: request, list, detail, decision and revocation.

Every change goes through :mod:`compliance.rulebook.services.exemptions` (audited, and followed by
a re-assessment of the premises); visibility and rights come from the querysets.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.edit import CreateView

from compliance.choices import ExemptionStatus
from compliance.editing import AuditedSaveMixin, UserFormMixin
from compliance.models import ArticleStatus, Exemption
from compliance.rulebook.forms.exemptions import (
    ExemptionDecisionForm,
    ExemptionFilterForm,
    ExemptionRequestForm,
    ExemptionRevocationForm,
)
from compliance.rulebook.services import exemptions as services
from compliance.rules.exemptions import grant_last_day
from compliance.rules.facts import ExemptionGrant
from portal.audit import history_of
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import VisibleMixin, WriterRequiredMixin

RELATED = ("premises__business", "equipment", "requested_by", "decided_by", "revoked_by")


def last_day_applied(exemption: Exemption):
    """Return the last day a granted exemption applies (None: no end), as the engine reads it."""
    return grant_last_day(
        ExemptionGrant(
            article=exemption.article,
            valid_from=exemption.valid_from,
            valid_until=exemption.valid_until,
            revoked_on=exemption.revoked_on,
        )
    )


class ExemptionListView(VisibleMixin, ListView):
    """The exemptions the user may see, filterable by status, article, premises, district."""

    model = Exemption
    paginate_by = 50
    template_name = "compliance/exemption_list.html"

    def get_queryset(self):
        self.filter_form = ExemptionFilterForm(self.request.GET or None, user=self.request.user)
        queryset = super().get_queryset().select_related(*RELATED)
        return self.filter_form.filter(queryset).order_by("-requested_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        context.update(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            can_request=can(user, "rulebook.request_exemption"),
            premises_id=self.request.GET.get("premises", ""),
        )
        return context


class ExemptionDetailView(VisibleMixin, DetailView):
    """One exemption: what was asked, who decided or revoked it, when and why, its history."""

    model = Exemption
    template_name = "compliance/exemption_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exemption = self.object
        deciding = Exemption.objects.editable_by(self.request.user).filter(pk=exemption.pk)
        may_decide = deciding.exists()
        granted = exemption.status in (ExemptionStatus.APPROVED, ExemptionStatus.REVOKED)
        context.update(
            can_decide=may_decide and exemption.status == ExemptionStatus.REQUESTED,
            can_revoke=may_decide and exemption.status == ExemptionStatus.APPROVED,
            granted=granted,
            last_day=last_day_applied(exemption) if granted else None,
            article_status=ArticleStatus.objects.filter(
                premises_id=exemption.premises_id, article=exemption.article
            ).first(),
            history=history_of(exemption)[:20],
        )
        return context


class ExemptionCreateView(WriterRequiredMixin, UserFormMixin, AuditedSaveMixin, CreateView):
    """A business (or an administrator for it) asks for an exemption.

    ``?premises=<id>`` preselects one of the premises the user may edit.
    """

    model = Exemption
    form_class = ExemptionRequestForm
    template_name = "compliance/exemption_form.html"
    success_message = gettext_lazy("The request has been sent. An administrator will decide on it.")

    def get_initial(self):
        initial = super().get_initial()
        premises = self.request.GET.get("premises", "")
        if premises.isdigit():
            # Only an editable premises is among the choices, so nothing else is preselected.
            initial["premises"] = int(premises)
        initial["valid_from"] = timezone.localdate()
        return initial

    def save(self, form):
        return services.request_exemption(self.request.user, form.instance)


# The services name the model's fields; the forms call them by shorter names.
FORM_FIELD_OF = {"decision_reason": "reason", "revocation_reason": "reason", "revoked_on": "on"}


class ExemptionActionView(LoginRequiredMixin, FormView):
    """Base of the administrators' pages acting on one exemption.

    An exemption the user may not see is a 404; one they see but may not decide is a 403.
    """

    #: The status the exemption must have for the form to be offered.
    acts_on: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.exemption = get_object_or_404(
            Exemption.objects.visible_to(request.user).select_related(*RELATED),
            pk=kwargs["pk"],
        )
        if not Exemption.objects.editable_by(request.user).filter(pk=self.exemption.pk).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exemption"] = self.exemption
        context["actionable"] = self.exemption.status == self.acts_on
        return context

    def act(self, form):
        """Call the service with the form's data; return the changed exemption."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as exc:
            add_service_errors(form, exc, FORM_FIELD_OF)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("exemption-detail", pk=self.exemption.pk)


class ExemptionDecideView(ExemptionActionView):
    """An administrator approves or refuses a requested exemption, with a reason."""

    form_class = ExemptionDecisionForm
    template_name = "compliance/exemption_decide.html"
    acts_on = ExemptionStatus.REQUESTED
    success_message = gettext_lazy("The decision has been recorded.")

    def act(self, form):
        return services.decide_exemption(
            self.request.user,
            self.exemption,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
        )


class ExemptionRevokeView(ExemptionActionView):
    """An administrator revokes an approved exemption from a date (default today)."""

    form_class = ExemptionRevocationForm
    template_name = "compliance/exemption_revoke.html"
    acts_on = ExemptionStatus.APPROVED
    success_message = gettext_lazy("The exemption has been revoked.")

    def act(self, form):
        return services.revoke_exemption(
            self.request.user,
            self.exemption,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )
