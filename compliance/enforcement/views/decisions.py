"""Pages of an official's decisions and of service (送達).

* the officials' list of proposed fines, filtered, with a batch approval of what the
  filter shows (each approved once, whatever other officials do at the same moment);
* an official's decision on one proposal, from the violation's page (its facts,
  verification and statements beside it);
* the page of one decision: a member of a business that agreed to electronic service
  serves it by opening it; staff record service by mail or in person;
* a business's agreement to electronic service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from compliance.enforcement.forms.decisions import (
    APPROVE,
    RETURN,
    BatchApprovalForm,
    ElectronicServiceForm,
    ProposalFilterForm,
)
from compliance.enforcement.services import proposals, serving
from compliance.enforcement.views.actions import EnforcementActionView
from compliance.models import Business, EnforcementDocument, Fine, Verification
from portal.permissions import can
from portal.views.mixins import RuleRequiredMixin, visible_or_404

PAGE_SIZE = 50


class ProposalDecideView(EnforcementActionView):
    """An official approves, returns or cancels one proposal (from the violation's page)."""

    model = Fine
    form_kind = "decide"
    action = "enforcement.decide_fine"

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data: dict) -> None:
        user = self.request.user
        if data["decision"] == APPROVE:
            fine = proposals.approve(user, obj)
            self.success_message = _(
                "Penalty decision %(number)s issued. It counts from the day it is served."
            ) % {"number": fine.document_number}
        elif data["decision"] == RETURN:
            proposals.return_for_verification(user, obj, reason=data["reason"])
            self.success_message = _("The proposal was returned; the case is verified again.")
        else:
            proposals.cancel_proposal(user, obj, reason=data["reason"])
            self.success_message = _("The proposal and the case were cancelled.")


class ServiceRecordView(EnforcementActionView):
    """Staff record the day a decision was served by registered mail or in person."""

    model = Fine
    form_kind = "service"
    action = "enforcement.record_service"
    success_message = gettext_lazy(
        "The service has been recorded: the appeal period and the new deadline run."
    )

    def violation_of(self, obj):
        return obj.violation

    def act(self, obj, data: dict) -> None:
        serving.record_service(
            self.request.user, obj, served_on=data["served_on"], method=data["method"]
        )


class DecisionView(LoginRequiredMixin, TemplateView):
    """One penalty decision; opening it serves it on a business that agreed to e-service."""

    template_name = "compliance/enforcement/fine_decision.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        fine = visible_or_404(
            Fine.objects.select_related(
                "violation__premises__business", "violation__supplier", "rulebook_version"
            ),
            user,
            pk=kwargs["pk"],
        )
        # A proposal is the City's internal step, not a decision anyone is served.
        if not fine.is_decision and not can(user, "enforcement.see_proposals"):
            raise PermissionDenied
        served_now = serving.open_decision(user, fine)
        if served_now is not None:
            fine = served_now
            messages.success(
                self.request,
                _("The decision counts as served today: the periods below run from tomorrow."),
            )
        context.update(
            fine=fine,
            violation=fine.violation,
            official=proposals.official_name(fine.decided_by) if fine.decided_by else "",
            electronic=serving.served_electronically(fine),
            documents=EnforcementDocument.objects.filter(fine=fine).order_by("language"),
            today=timezone.localdate(),
        )
        return context


class ElectronicServiceView(LoginRequiredMixin, View):
    """A member of a business agrees to electronic service of decisions, or withdraws it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        business = visible_or_404(Business.objects.all(), request.user, pk=pk)
        if not can(request.user, "enforcement.electronic_service", business):
            raise PermissionDenied
        form = ElectronicServiceForm(request.POST)
        form.is_valid()
        agree = bool(form.cleaned_data.get("agree"))
        serving.set_electronic_service(request.user, business, agree=agree)
        messages.success(
            request,
            _("Electronic service of decisions is agreed.")
            if agree
            else _("Electronic service withdrawn: decisions are served by mail."),
        )
        return redirect("business-detail", pk=business.pk)


class ProposalListView(RuleRequiredMixin, TemplateView):
    """Proposed fines awaiting an official's decision, filtered; approve what is shown."""

    permission_rule = "enforcement.see_proposals"
    template_name = "compliance/enforcement/proposal_list.html"

    def filtered(self, form) -> object:
        return form.filter(proposals.awaiting_decision(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ProposalFilterForm(self.request.GET or None)
        rows = self.filtered(form)
        after = _int(self.request.GET.get("after"))
        page = list(_with_case_file(rows.filter(pk__gt=after).order_by("pk"))[: PAGE_SIZE + 1])
        may_decide = can(user, "enforcement.decide_fine")
        decidable = set()
        if may_decide:
            shown = [row.pk for row in page]
            decidable = set(
                proposals.decidable_by(user).filter(pk__in=shown).values_list("pk", flat=True)
            )
        for row in page:
            row.decidable = row.pk in decidable
        query = self.request.GET.copy()
        query.pop("after", None)
        more = len(page) > PAGE_SIZE
        context.update(
            form=form,
            rows=page[:PAGE_SIZE],
            next_after=page[PAGE_SIZE - 1].pk if more else None,
            query=query.urlencode(),
            may_decide=may_decide,
            # The proposals are a small, indexed set (partial index fine_proposed).
            total=rows.count(),
        )
        if may_decide:
            # The batch approves what the filter shows, if the list is still what was read.
            context["decidable_total"] = form.filter(proposals.decidable_by(user)).count()
            filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
            context["batch"] = BatchApprovalForm(
                initial={**filters, "expected": context["decidable_total"]}
            )
        return context

    def post(self, request):
        """Approve every proposal the posted filter shows that the official may decide."""
        user = request.user
        if not can(user, "enforcement.decide_fine"):
            raise PermissionDenied
        form = BatchApprovalForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tick the confirmation to approve the proposals shown."))
            return redirect(f"{request.path}?{_filter_query(request.POST)}")
        ids = list(form.filter(proposals.decidable_by(user)).values_list("pk", flat=True))
        if len(ids) != form.cleaned_data["expected"]:
            messages.error(
                request,
                _(
                    "The list changed since you reviewed it (%(now)s proposals instead of "
                    "%(then)s): review it again."
                )
                % {"now": len(ids), "then": form.cleaned_data["expected"]},
            )
            return redirect(f"{request.path}?{_filter_query(request.POST)}")
        done = proposals.approve_many(user, ids)
        text = _("%(approved)s penalty decisions issued.") % {"approved": done.approved}
        if done.skipped:
            text += " " + _(
                "%(skipped)s were left: decided or being decided by another official meanwhile."
            ) % {"skipped": done.skipped}
        messages.success(request, text)
        return redirect(f"{request.path}?{_filter_query(request.POST)}")


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _filter_query(data) -> str:
    """The list's filters of a posted batch, as the list's query string (escaped)."""
    return urlencode(
        {name: data[name] for name in ProposalFilterForm.base_fields if data.get(name)}
    )


def _with_case_file(rows):
    """The proposals with what an official reads beside each: the case, its verification
    and how many statements of opinion it has."""
    verifications = Verification.objects.filter(
        violation_id=OuterRef("violation_id"),
        missed_deadline=OuterRef("missed_deadline"),
        returned_at__isnull=True,
    )
    return rows.select_related(
        "violation__premises__business", "violation__supplier", "rulebook_version"
    ).annotate(
        verified_on=Subquery(verifications.values("verified_on")[:1]),
        verification_method=Subquery(verifications.values("method")[:1]),
        statements=Count("violation__statements", distinct=True),
    )
