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

from compliance.enforcement.services import appeals, statements
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
    """A business appeals a served penalty decision within its period, with its files."""

    model = Fine
    form_kind = "appeal"
    action = "enforcement.file_appeal"
    success_message = _(
        "The appeal has been received. The Department reviews it first, then forwards it "
        "with its reply to the appeal body."
    )

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data):
        appeals.file_appeal(self.request.user, obj, grounds=data["grounds"], files=data["files"])


class AppealActionView(EnforcementActionView):
    """Base of the staff's actions on an appeal: the form's fields are the service's."""

    model = Appeal
    #: The service of :mod:`compliance.enforcement.services.appeals` the page calls.
    service = None

    def violation_of(self, obj):
        return obj.fine.violation

    def act(self, obj, data):
        self.service(self.request.user, obj, **data)


class AppealReviewView(AppealActionView):
    """The Department revokes or amends its own decision on review (AAA Art. 58(2))."""

    form_kind = "appeal_review"
    action = "enforcement.decide_appeal"
    service = staticmethod(appeals.review_appeal)
    success_message = _("The Department's decision on the appeal has been recorded.")


class AppealForwardView(AppealActionView):
    """The Department forwards the appeal with its reply, copied to the appellant."""

    form_kind = "appeal_forward"
    action = "enforcement.decide_appeal"
    service = staticmethod(appeals.forward_appeal)
    success_message = _(
        "The appeal has been forwarded with the reply; the appellant receives a copy."
    )


class AppealBodyDecisionView(AppealActionView):
    """Staff record the appeal body's decision on a forwarded appeal, with its document."""

    form_kind = "appeal_body_decision"
    action = "enforcement.record_appeal_decision"
    service = staticmethod(appeals.record_appeal_decision)
    success_message = _("The appeal body's decision has been recorded.")


class AppealSuspensionView(AppealActionView):
    """Staff record a suspension of payment (AAA Art. 93) or lift it (Art. 94)."""

    form_kind = "appeal_suspension"
    action = "enforcement.suspend_payment"
    success_message = _("The suspension of payment has been recorded.")

    def act(self, obj, data):
        if data["suspend"]:
            appeals.record_suspension(self.request.user, obj, reason=data["reason"])
        else:
            appeals.lift_suspension(self.request.user, obj, reason=data["reason"])
            self.success_message = _("The suspension of payment has been lifted.")


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
