"""Art. 14 pages: schemes, the eligibility preview and the application, its timeline and steps.

Every change goes through :mod:`subsidies.services.applications`; visibility comes from
``Scheme``/``Application.objects.visible_to`` (what a user may not see is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from compliance.models import Violation
from portal.permissions import can
from portal.uploads import attachment_response
from portal.views.mixins import RuleRequiredMixin, VisibleMixin
from subsidies.choices import condition_label, document_label, item_label
from subsidies.forms.schemes import ApplicationForm, StepForm
from subsidies.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApprovalLetter,
    AwardCertificate,
    AwardPublication,
    Scheme,
)
from subsidies.reasons import reason_text
from subsidies.rules import workflow
from subsidies.rules.types import REWARD_CATEGORIES
from subsidies.services import applications as services
from subsidies.services import facts, rewards

# Steps taken by the applicant; every other step is an officer's.
APPLICANT_STEPS = {workflow.Action.RESUBMIT, workflow.Action.WITHDRAW}
# Steps with a page of their own (the documents asked for), not in the step form.
OWN_PAGE_STEPS = {workflow.Action.RESUBMIT}


class SchemeListView(VisibleMixin, ListView):
    """The published schemes (officers also see unpublished ones).

    With ``?violation=<id>`` (a violation the user may see): only the schemes that would
    pay for fixing it, with the items concerned.
    """

    model = Scheme
    paginate_by = 50
    template_name = "subsidies/scheme_list.html"

    def get(self, request, *args, **kwargs):
        self.violation = None
        violation_id = request.GET.get("violation", "")
        if violation_id:
            if not violation_id.isdigit():
                raise Http404
            visible = Violation.objects.visible_to(request.user).select_related("premises")
            self.violation = get_object_or_404(visible, pk=violation_id)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        schemes = super().get_queryset()
        if self.violation is None:
            return schemes
        self.suggested = facts.schemes_for_violation(self.violation, schemes)
        return schemes.filter(pk__in=[scheme.pk for scheme, _items in self.suggested])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(violation=self.violation, **kwargs)
        if self.violation is not None:
            context["suggested_items"] = {
                scheme.pk: [item_label(code) for code in items] for scheme, items in self.suggested
            }
        return context


class SchemeDetailView(VisibleMixin, DetailView):
    """One scheme's terms, with the way to apply for business users."""

    model = Scheme
    template_name = "subsidies/scheme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = self.object
        context["items"] = [item_label(code) for code in sorted(scheme.eligible_items)]
        context["conditions"] = [condition_label(code) for code in sorted(scheme.conditions)]
        context["rate_percent"] = scheme.support_rate_cap * 100
        context["is_reward_call"] = scheme.is_reward_call
        context["reviewers"] = (
            list(scheme.reviewers.order_by("username"))
            if scheme.is_reward_call and can(self.request.user, "subsidies.review")
            else []
        )
        return context


class SchemeApplyView(RuleRequiredMixin, FormView):
    """A business member applies: preview shows every eligibility reason, then submit."""

    form_class = ApplicationForm
    template_name = "subsidies/scheme_apply.html"
    permission_rule = "subsidies.apply"

    def get_scheme(self) -> Scheme:
        if not hasattr(self, "_scheme"):
            queryset = Scheme.objects.visible_to(self.request.user)
            self._scheme = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._scheme

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scheme": self.get_scheme(), "user": self.request.user}

    def get_initial(self):
        """Start from the violation the applicant came from (its premises and items)."""
        initial = super().get_initial()
        violation_id = self.request.GET.get("violation", "")
        if not violation_id.isdigit():
            return initial
        violation = (
            Violation.objects.visible_to(self.request.user)
            .filter(pk=violation_id)
            .select_related("premises")
            .first()
        )
        if violation is None:
            return initial
        items = facts.schemes_for_violation(violation, [self.get_scheme()])
        return {
            **initial,
            "violation": violation.pk,
            "premises": violation.premises_id,
            "business": violation.premises.business_id,
            "items": items[0][1] if items else [],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(scheme=self.get_scheme(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        project = {
            "items": data["items"],
            "eligible_cost_ntd": data["eligible_cost_ntd"],
            "expected_saving_percent": data.get("expected_saving_percent"),
            "premises": data.get("premises") or getattr(data.get("violation"), "premises", None),
        }
        if "preview" in self.request.POST:
            decision = services.eligibility(
                self.get_scheme(),
                data["business"],
                documents=[kind for kind, _upload in form.documents()],
                **project,
            )
            reasons = [(reason.passed, reason_text(reason)) for reason in decision.reasons]
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    decision=decision,
                    reasons=reasons,
                    # The sentence says "NT$%(amount)s": the number, grouped by three.
                    supported_amount=f"{decision.supported_amount_ntd:,}",
                )
            )
        try:
            application = services.apply(
                self.request.user,
                self.get_scheme(),
                data["business"],
                idempotency_key=data["idempotency_key"],
                description=data["description"],
                violation=data.get("violation"),
                documents=form.documents(),
                **project,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The application was submitted."))
        return redirect(application)


class ApplicationListView(VisibleMixin, ListView):
    """The applications the user may see (a business: its own)."""

    model = Application
    paginate_by = 50
    template_name = "subsidies/application_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("scheme", "business", "premises")
            .order_by("-created_at", "-id")
        )


class ApplicationDetailView(VisibleMixin, DetailView):
    """One application: the project, its documents, the timeline and the steps allowed."""

    model = Application
    template_name = "subsidies/application_detail.html"

    def get_queryset(self):
        events = ApplicationEvent.objects.select_related("actor")
        return (
            super()
            .get_queryset()
            .select_related("scheme", "business", "premises", "violation")
            .prefetch_related(Prefetch("events", queryset=events), "documents")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.object, self.request.user
        applicant = Application.objects.editable_by(user).filter(pk=application.pk).exists()
        officer = can(user, "subsidies.review")
        allowed = [
            action
            for action in workflow.allowed_actions(application.status)
            if (applicant if action in APPLICANT_STEPS else officer)
        ]
        steps = [action for action in allowed if action not in OWN_PAGE_STEPS]
        context.update(
            letter_ready=application.letters.filter(status="ready").exists(),
            certificate_ready=application.certificates.filter(status="ready").exists(),
            may_resubmit=workflow.Action.RESUBMIT in allowed,
            score_criteria=(
                list(application.scheme.criteria.all())
                if application.scheme.category in REWARD_CATEGORIES
                and application.status == "under_review"
                and rewards.may_score(user, application.scheme)
                else []
            ),
            items=[item_label(code) for code in application.items],
            documents=[
                (document, document_label(document.kind))
                for document in application.documents.all()
            ],
            may_download_documents=Application.objects.documents_visible_to(user)
            .filter(pk=application.pk)
            .exists(),
            steps=steps,
            step_form=StepForm() if steps else None,
        )
        return context


class ApplicationStepView(LoginRequiredMixin, View):
    """Take one workflow step on an application (POST); the service decides who may."""

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        form = StepForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a step and fill in what it needs."))
            return redirect(application)
        data, user = form.cleaned_data, request.user
        amount, reason = data.get("amount_ntd"), (data.get("reason") or "").strip()
        steps = {
            "start_review": lambda: services.start_review(user, application),
            "request_information": lambda: services.request_information(user, application, reason),
            "resubmit": lambda: services.resubmit(user, application, reason),
            "approve": lambda: services.approve(user, application, amount),
            "reject": lambda: services.reject(user, application, reason.splitlines()),
            "verify_installation": lambda: services.verify_installation(
                user,
                application,
                amount,
                measured_saving_percent=data.get("measured_saving_percent"),
                note=reason,
            ),
            "disburse": lambda: services.disburse(user, application),
            "withdraw": lambda: services.withdraw(user, application, reason),
        }
        try:
            steps[data["step"]]()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The application was updated."))
        return redirect(application)


class ApplicationDocumentView(LoginRequiredMixin, View):
    """Download a document of an application: its applying business and the officers who
    review it (404 for everyone else), as an attachment under the type checked on upload."""

    def get(self, request, pk):
        document = ApplicationDocument.objects.visible_to(request.user).filter(pk=pk).first()
        return attachment_response(document, "document")


class ApplicationLetterView(LoginRequiredMixin, View):
    """Download the application's approval letter once rendered (404 until then)."""

    def get(self, request, pk):
        letters = ApprovalLetter.objects.visible_to(request.user).filter(
            application_id=pk, status="ready"
        )
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE == "en" else "zh-hant"
        letter = letters.filter(language=language).first() or letters.first()
        if letter is None or not letter.file:
            raise Http404
        return FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"{letter.letter_number}.pdf",
            content_type="application/pdf",
        )


class ApplicationCertificateView(LoginRequiredMixin, View):
    """Download the application's award certificate once rendered (404 until then)."""

    def get(self, request, pk):
        certificates = AwardCertificate.objects.visible_to(request.user).filter(
            application_id=pk, status="ready"
        )
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE == "en" else "zh-hant"
        certificate = certificates.filter(language=language).first() or certificates.first()
        if certificate is None or not certificate.file:
            raise Http404
        return FileResponse(
            certificate.file.open("rb"),
            as_attachment=True,
            filename=f"{certificate.certificate_number}.pdf",
            content_type="application/pdf",
        )


class SchemeAwardsView(VisibleMixin, DetailView):
    """A reward call's ranking: published, for everyone; before that, for officers only."""

    model = Scheme
    template_name = "subsidies/scheme_awards.html"

    def get_object(self, queryset=None):
        scheme = super().get_object(queryset)
        published = AwardPublication.objects.filter(scheme=scheme).first()
        officer = can(self.request.user, "subsidies.review")
        if scheme.category not in REWARD_CATEGORIES or (published is None and not officer):
            raise Http404
        self.publication = published
        return scheme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.publication is not None:
            awarded = set(self.publication.awarded)
            rows = [
                {**row, "awarded": row["application"] in awarded}
                for row in self.publication.ranking
            ]
        else:
            rows = [
                {
                    "application": entry.application.pk,
                    "business": entry.application.business.display_name,
                    "score": entry.score,
                    "reviewers": entry.reviewers,
                    "awarded": False,
                }
                for entry in rewards.ranking(self.object)
            ]
        context.update(
            publication=self.publication,
            rows=rows,
            criteria=self.object.criteria.all(),
            may_publish=self.publication is None
            and can(self.request.user, "subsidies.publish_awards"),
        )
        return context


class SchemeAwardsPublishView(LoginRequiredMixin, View):
    """Publish a reward call's ranking and awarded list (administrators, once)."""

    def post(self, request, pk):
        scheme = get_object_or_404(Scheme.objects.visible_to(request.user), pk=pk)
        try:
            count = int(request.POST.get("count", ""))
        except ValueError:
            count = 0
        try:
            rewards.publish_awards(request.user, scheme, count)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The awards were published."))
        return redirect("scheme-awards", pk=scheme.pk)


class ApplicationScoreView(LoginRequiredMixin, View):
    """An officer scores an application of a reward call on every criterion."""

    def post(self, request, pk):
        application = get_object_or_404(
            Application.objects.visible_to(request.user).select_related("scheme"), pk=pk
        )
        if not rewards.may_score(request.user, application.scheme):
            raise PermissionDenied
        scores = {}
        for criterion in application.scheme.criteria.all():
            value = request.POST.get(f"score_{criterion.code}", "")
            scores[criterion.code] = int(value) if value.isdigit() else -1
        try:
            rewards.score_application(request.user, application, scores)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The scores were saved."))
        return redirect(application)
