"""Enforcement pages: violations with their countdown, fines, evidence, the review queue.

Visibility comes from the querysets (a business sees its own violations, city staff all
of them; anything else is a 404). Every change is made by the POST pages of
:mod:`compliance.enforcement.views.actions`, which call the services; the page of one
violation is built here by :func:`violation_context`, so that a refused form is shown
again in its place with what was typed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from compliance import articles
from compliance.choices import (
    AppealStatus,
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
)
from compliance.enforcement.documents.gather import explain_violation
from compliance.enforcement.forms.actions import (
    AppealDecisionForm,
    AppealForm,
    CancelViolationForm,
    EvidenceForm,
    EvidenceReviewForm,
    PaymentDecisionForm,
    PaymentReportForm,
    StatementForm,
    ViolationFilterForm,
)
from compliance.enforcement.permissions import takes_evidence
from compliance.enforcement.services.statements import open_verification
from compliance.enforcement.texts import countdown, remedy
from compliance.models import (
    Appeal,
    EvidenceFile,
    FinePayment,
    RectificationEvidence,
    Statement,
    SweepRun,
    Violation,
)
from compliance.rulebook.explain import explain_finding
from compliance.rules.lifecycle import ACTIVE_STATES
from portal.actors import shown_actor
from portal.permissions import can
from portal.views.mixins import AdministratorRequiredMixin, VisibleMixin

DETAIL_TEMPLATE = "compliance/enforcement/violation_detail.html"
QUEUE_LIMIT = 100
SWEEP_RUNS_SHOWN = 30

# The forms of the violation page, by kind: each posts to its own page and has ids of
# its own (``auto_id``), since one page holds several of the same kind.
FORMS = {
    "evidence": EvidenceForm,
    "review": EvidenceReviewForm,
    "payment": PaymentReportForm,
    "payment_decision": PaymentDecisionForm,
    "appeal": AppealForm,
    "appeal_decision": AppealDecisionForm,
    "cancel": CancelViolationForm,
    "statement": StatementForm,
}


def form_auto_id(kind: str, pk: int) -> str:
    """Return the ``auto_id`` of a form of ``kind`` acting on object ``pk``."""
    return f"id_{kind}{pk}_%s"


def make_form(kind: str, pk: int, data=None, files=None, **kwargs):
    """Return a form of ``kind`` for object ``pk``, bound to ``data`` if given."""
    return FORMS[kind](data, files, auto_id=form_auto_id(kind, pk), **kwargs)


def violation_queryset(user):
    """Return the violations ``user`` may see, with what every page of one shows."""
    return Violation.objects.visible_to(user).select_related(
        "premises__business", "supplier", "rulebook_version"
    )


def _article(number: str):
    try:
        return articles.article(number)
    except KeyError:
        return None


def fines_of(violation: Violation) -> list:
    """Return the violation's fines by step, with their appeals and payments."""
    payments = FinePayment.objects.select_related("reported_by", "decided_by")
    return list(
        violation.fines.select_related(
            "rulebook_version", "issued_by", "appeal__filed_by", "appeal__decided_by"
        )
        .prefetch_related(Prefetch("payments", queryset=payments.order_by("reported_at", "id")))
        .order_by("step")
    )


def evidence_of(violation: Violation) -> list:
    """Return the violation's evidence, the latest first, with its files."""
    return list(
        violation.evidence.select_related("submitted_by", "reviewed_by")
        .prefetch_related("files")
        .order_by("-submitted_at", "-id")
    )


def awaiting_verification_q(today) -> Q:
    """Running violations whose deadline passed and nobody has yet verified (a condition)."""
    return Q(status__in=list(ACTIVE_STATES), deadline__lt=today, fine_due_on__isnull=True)


def with_stage(queryset, today):
    """Annotate ``awaiting_verification`` (computed in the query, not a status)."""
    return queryset.annotate(
        awaiting_verification=ExpressionWrapper(
            awaiting_verification_q(today), output_field=BooleanField()
        )
    )


def case_stage(violation: Violation, today) -> dict | None:
    """Return where a running case stands after its deadline (None before it, or done).

    ``awaiting``: the deadline passed and non-rectification is not yet established (a
    re-inspection or a check of the records follows; no fine before that); ``verified``:
    established, the fine due from ``fine_due_on``. A list's rows carry the condition as
    the annotation of :func:`with_stage`.
    """
    if not violation.is_overdue(today):
        return None
    awaiting = getattr(violation, "awaiting_verification", None)
    if awaiting is None:
        awaiting = violation.awaits_verification(today)
    if awaiting:
        return {
            "key": "awaiting",
            "tone": "warn",
            "text": _("Deadline passed — awaiting verification (re-inspection or records check)"),
        }
    return {
        "key": "verified",
        "tone": "bad",
        "text": _("Not rectified (verified) — fine due from %(day)s")
        % {"day": violation.fine_due_on.isoformat()},
    }


def verifications_of(violation: Violation, viewer) -> list:
    """Return the violation's verifications, the latest first, each with its statements.

    Each carries ``shown_by`` (who verified it, as ``viewer`` may read it) and
    ``finding_text`` (what was found, in the reader's language; the recorded explanation
    in the City's language is shown as it is).
    """
    statements = Statement.objects.select_related("submitted_by").order_by("submitted_at", "id")
    verifications = list(
        violation.verifications.select_related("verified_by")
        .prefetch_related(Prefetch("statements", queryset=statements))
        .order_by("-verified_on", "-id")
    )
    city_language = translation.get_language() == settings.LANGUAGE_CODE
    for verification in verifications:
        verification.shown_by = shown_actor(
            viewer, verification.verified_by, verification.actor_label
        )
        verification.finding_text = (
            explain_finding(verification.finding)
            if verification.finding and not city_language
            else ""
        )
        for statement in verification.statements.all():
            statement.shown_by = shown_actor(
                viewer, statement.submitted_by, str(statement.submitted_by or "—")
            )
    return verifications


def violation_context(request, violation: Violation, bound=None) -> dict:
    """Return what the page of one violation shows and the forms offered to the user.

    ``bound`` is ``(kind, pk, form)``: a form refused by its page, shown in its place
    with its errors and what was typed.
    """
    user = request.user
    today = timezone.localdate()

    def form(kind: str, pk: int, offered: bool, **initial):
        """Return the form of ``kind`` for ``pk`` if offered, or the refused one, or None."""
        if bound is not None and bound[0] == kind and bound[1] == pk:
            # A refused form is shown with its reason even if it is no longer offered.
            return bound[2]
        return make_form(kind, pk, initial=initial or None) if offered else None

    # Forms are offered by the rules (compliance.enforcement.permissions) for each object
    # as it is now; those of the business side only to the violation's own side.
    party = can(user, "enforcement.respond", violation)
    documents = list(violation.documents.order_by("kind", "requested_at", "id"))
    fines = fines_of(violation)
    for fine in fines:
        fine.shown_by = shown_actor(user, fine.issued_by, fine.actor_label)
        fine.appeal_or_none = appeal = getattr(fine, "appeal", None)
        fine.decisions = [document for document in documents if document.fine_id == fine.pk]
        fine.payment_form = form(
            "payment",
            fine.pk,
            party and can(user, "enforcement.report_payment", fine),
            amount_ntd=fine.amount_due_ntd,
            paid_on=today,
        )
        fine.appeal_form = form(
            "appeal", fine.pk, party and can(user, "enforcement.file_appeal", fine)
        )
        fine.appeal_decision_form = (
            form("appeal_decision", appeal.pk, can(user, "enforcement.decide_appeal", appeal))
            if appeal is not None
            else None
        )
        for payment in fine.payments.all():
            payment.decision_form = form(
                "payment_decision", payment.pk, can(user, "enforcement.decide_payment", payment)
            )
    evidence = evidence_of(violation)
    awaiting_review = any(item.status == EvidenceStatus.SUBMITTED for item in evidence)
    for item in evidence:
        item.review_form = form("review", item.pk, can(user, "enforcement.review_evidence", item))
    verifications = verifications_of(violation, user)
    statement_open = open_verification(violation, verifications, today)
    events = list(violation.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.shown_actor = shown_actor(user, event.actor, event.actor_label)
    article = _article(violation.article)
    return {
        "violation": violation,
        "object": violation,
        "today": today,
        "countdown": countdown(violation, today),
        "finding_text": explain_violation(violation),
        "article": article,
        "article_text": article.text() if article else "",
        "penalty_label": articles.article_label(violation.penalty_article),
        "remedy": remedy(violation.article),
        "events": events,
        "stage": case_stage(violation, today),
        "verifications": verifications,
        "statement_open": statement_open,
        "statement_form": form(
            "statement",
            violation.pk,
            statement_open is not None and can(user, "enforcement.state_opinion", violation),
        ),
        "fines": fines,
        "documents": documents,
        "evidence": evidence,
        "awaiting_review": awaiting_review,
        "takes_evidence": takes_evidence(violation),
        "evidence_form": form(
            "evidence",
            violation.pk,
            party and not awaiting_review and can(user, "enforcement.submit_evidence", violation),
        ),
        "cancel_form": form("cancel", violation.pk, can(user, "enforcement.cancel", violation)),
    }


class ViolationListView(VisibleMixin, ListView):
    """The violations the user may see, filtered, each with its countdown and fines."""

    model = Violation
    paginate_by = 50
    template_name = "compliance/enforcement/violation_list.html"

    def get_queryset(self):
        self.today = timezone.localdate()
        self.filter_form = ViolationFilterForm(self.request.GET or None)
        queryset = with_stage(
            super()
            .get_queryset()
            .select_related("premises__business", "supplier")
            .annotate(
                fine_count=Count("fines"),
                outstanding_ntd=Coalesce(
                    Sum("fines__amount_due_ntd", filter=Q(fines__status=FineStatus.ISSUED)), 0
                ),
            ),
            self.today,
        )
        return self.filter_form.filter(queryset, self.today).order_by("-found_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for violation in context["object_list"]:
            violation.countdown = countdown(violation, self.today)
            violation.stage = case_stage(violation, self.today)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, query_string=query.urlencode())
        return context


class ViolationDetailView(VisibleMixin, DetailView):
    """One violation: what was found, what to do by when, its fines, evidence and history."""

    model = Violation
    template_name = DETAIL_TEMPLATE

    def get_queryset(self):
        return violation_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(violation_context(self.request, self.object))
        return context


class EvidenceFileView(LoginRequiredMixin, View):
    """Serve an evidence file to those who may see its violation, as an attachment."""

    def get(self, request, pk: int):
        visible = RectificationEvidence.objects.visible_to(request.user)
        item = EvidenceFile.objects.filter(evidence__in=visible, pk=pk).first()
        if item is None:
            raise Http404
        try:
            handle = item.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ReviewerRequiredMixin(LoginRequiredMixin):
    """Only inspectors and administrators review evidence (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "enforcement.review_evidence"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ReviewerRequiredMixin, TemplateView):
    """What waits for the City: evidence to review; payments and appeals for administrators."""

    template_name = "compliance/enforcement/review_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        evidence = RectificationEvidence.objects.visible_to(user).filter(
            status=EvidenceStatus.SUBMITTED
        )
        context.update(
            limit=QUEUE_LIMIT,
            evidence_total=evidence.count(),
            evidence=evidence.select_related(
                "violation__premises__business", "violation__supplier", "submitted_by"
            )
            .annotate(file_count=Count("files"))
            .order_by("submitted_at", "id")[:QUEUE_LIMIT],
        )
        if can(user, "enforcement.decide_payment"):
            payments = FinePayment.objects.filter(status=PaymentStatus.REPORTED)
            appeals = Appeal.objects.filter(status=AppealStatus.FILED)
            context.update(
                payments_total=payments.count(),
                payments=payments.select_related(
                    "fine__violation__premises__business",
                    "fine__violation__supplier",
                    "reported_by",
                ).order_by("reported_at", "id")[:QUEUE_LIMIT],
                appeals_total=appeals.count(),
                appeals=appeals.select_related(
                    "fine__violation__premises__business", "fine__violation__supplier", "filed_by"
                ).order_by("filed_at", "id")[:QUEUE_LIMIT],
            )
        return context


class SweepView(AdministratorRequiredMixin, TemplateView):
    """The deadline sweep's recent runs, and a button to run it now for today."""

    template_name = "compliance/enforcement/sweep.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = SweepRun.objects.select_related("triggered_by")[:SWEEP_RUNS_SHOWN]
        context["today"] = timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        from compliance.enforcement.tasks import deadline_sweep

        today = timezone.localdate()
        deadline_sweep.delay_on_commit(day=today.isoformat(), actor_id=request.user.pk)
        messages.success(
            request,
            _("The deadline sweep for %(day)s has been queued; its run appears below.")
            % {"day": today.isoformat()},
        )
        return redirect("enforcement-sweep")
