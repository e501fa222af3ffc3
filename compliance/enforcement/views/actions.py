"""The POST pages acting on violations and fines; each calls one service.

An object the user may not see is a 404; one they see but may not act on is a 403.
A refusal by the form or the service shows the violation's page again with the form in
its place, its errors and what was typed; success goes back to that page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from compliance.enforcement.services import statements
from compliance.enforcement.services import violations as services
from compliance.enforcement.views.violations import (
    DETAIL_TEMPLATE,
    make_form,
    violation_context,
    violation_queryset,
)
from compliance.models import Appeal, Fine, FinePayment, RectificationEvidence, Violation
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import visible_or_404

# The services name the models' fields; the forms call some of them by shorter names.
FORM_FIELD_OF = {"review_reason": "reason", "decision_reason": "reason"}


class EnforcementActionView(LoginRequiredMixin, View):
    """Base of the POST pages: find the object, check the role, validate, call the service."""

    http_method_names = ["post"]
    model: type = Violation
    #: The kind of form (``compliance.enforcement.views.violations.FORMS``).
    form_kind = ""
    success_message = ""

    #: The rule (``compliance.enforcement.permissions``) the user's role must pass.
    action = ""

    def may_act(self, user) -> bool:
        return can(user, self.action)

    def violation_of(self, obj) -> Violation:
        raise NotImplementedError

    def act(self, obj, data: dict) -> None:
        """Call the service with the form's cleaned data."""
        raise NotImplementedError

    def post(self, request, pk: int):
        obj = visible_or_404(self.model.objects.all(), request.user, pk=pk)
        if not self.may_act(request.user):
            raise PermissionDenied
        form = make_form(self.form_kind, obj.pk, request.POST, request.FILES)
        if form.is_valid():
            try:
                self.act(obj, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc, FORM_FIELD_OF)
            else:
                messages.success(request, self.success_message)
                return redirect("enforcement-violation-detail", pk=self.violation_of(obj).pk)
        violation = violation_queryset(request.user).get(pk=self.violation_of(obj).pk)
        context = violation_context(request, violation, bound=(self.form_kind, obj.pk, form))
        return render(request, DETAIL_TEMPLATE, context)


class EvidenceSubmitView(EnforcementActionView):
    """A business uploads rectification evidence for its violation."""

    form_kind = "evidence"
    action = "enforcement.submit_evidence"
    success_message = _("The evidence has been submitted. An inspector will review it.")

    def violation_of(self, obj):
        return obj

    def act(self, obj, data):
        services.submit_evidence(
            self.request.user, obj, description=data["description"], files=data["files"]
        )


class EvidenceReviewView(EnforcementActionView):
    """An inspector or administrator accepts or rejects evidence, with a reason."""

    model = RectificationEvidence
    form_kind = "review"
    action = "enforcement.review_evidence"
    success_message = _("The review has been recorded.")

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data):
        services.review_evidence(
            self.request.user, obj, accept=data["accept"], reason=data["reason"]
        )


class PaymentReportView(EnforcementActionView):
    """A business records that it paid a fine."""

    model = Fine
    form_kind = "payment"
    action = "enforcement.report_payment"
    success_message = _("The payment has been recorded. An administrator will confirm it.")

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data):
        services.report_payment(
            self.request.user,
            obj,
            amount_ntd=data["amount_ntd"],
            paid_on=data["paid_on"],
            reference=data["reference"],
        )


class PaymentDecideView(EnforcementActionView):
    """An administrator confirms a reported payment or rejects it with a reason."""

    model = FinePayment
    form_kind = "payment_decision"
    action = "enforcement.decide_payment"
    success_message = _("The decision on the payment has been recorded.")

    def violation_of(self, obj):
        return obj.fine.violation

    def act(self, obj, data):
        services.decide_payment(
            self.request.user, obj, confirm=data["confirm"], reason=data["reason"]
        )


class AppealFileView(EnforcementActionView):
    """A business appeals against a penalty decision within the period stated on it."""

    model = Fine
    form_kind = "appeal"
    action = "enforcement.file_appeal"
    success_message = _("The appeal has been filed. An administrator will decide on it.")

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data):
        services.file_appeal(self.request.user, obj, grounds=data["grounds"])


class AppealDecideView(EnforcementActionView):
    """An administrator decides an appeal: upheld, amended or revoked."""

    model = Appeal
    form_kind = "appeal_decision"
    action = "enforcement.decide_appeal"
    success_message = _("The decision on the appeal has been recorded.")

    def violation_of(self, obj):
        return obj.fine.violation

    def act(self, obj, data):
        services.decide_appeal(
            self.request.user,
            obj,
            outcome=data["outcome"],
            reason=data["reason"],
            amended_amount_ntd=data["amended_amount_ntd"],
        )


class ViolationCancelView(EnforcementActionView):
    """An administrator withdraws a violation, with the reason."""

    form_kind = "cancel"
    action = "enforcement.cancel"
    success_message = _("The violation has been cancelled.")

    def violation_of(self, obj):
        return obj

    def act(self, obj, data):
        services.cancel(self.request.user, obj, reason=data["reason"])


class StatementSubmitView(EnforcementActionView):
    """The business (or the supplier of an Art. 18 case) states its opinion before a fine."""

    form_kind = "statement"
    action = "enforcement.state_opinion"
    success_message = _(
        "Your statement of opinion has been submitted. The City reads it before deciding the fine."
    )

    def violation_of(self, obj):
        return obj

    def act(self, obj, data):
        statements.submit(self.request.user, obj, text=data["text"])
