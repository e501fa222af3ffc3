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
    AppealBodyDecisionForm,
    AppealForm,
    AppealForwardForm,
    AppealReviewForm,
    AppealSuspensionForm,
    CancelViolationForm,
    EvidenceForm,
    EvidenceReviewForm,
    PaymentDecisionForm,
    PaymentReportForm,
    StatementForm,
    ViolationFilterForm,
)
from compliance.enforcement.forms.decisions import ProposalDecisionForm, ServiceForm
from compliance.enforcement.models.fines import INTERNAL_FINE_STATES, is_city_staff
from compliance.enforcement.permissions import takes_evidence
from compliance.enforcement.services.proposals import official_name
from compliance.enforcement.services.statements import open_verification
from compliance.enforcement.texts import countdown, remedy
from compliance.models import (
    Appeal,
    AppealAttachment,
    AppealAttachmentKind,
    EvidenceFile,
    Fine,
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
from portal.uploads import attachment_response
from portal.views.keyset import KeysetListMixin
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
    "appeal_review": AppealReviewForm,
    "appeal_forward": AppealForwardForm,
    "appeal_body_decision": AppealBodyDecisionForm,
    "appeal_suspension": AppealSuspensionForm,
    "cancel": CancelViolationForm,
    "statement": StatementForm,
    "decide": ProposalDecisionForm,
    "service": ServiceForm,
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


def fines_of(violation: Violation, viewer=None) -> list:
    """Return the violation's fines by step, with their appeals and payments.

    A proposal (or one set aside) is the City's internal step: only its staff see it.
    """
    payments = FinePayment.objects.select_related("reported_by", "decided_by")
    fines = violation.fines.all()
    if viewer is not None and not is_city_staff(viewer):
        fines = fines.exclude(status__in=INTERNAL_FINE_STATES)
    return list(
        fines.select_related(
            "rulebook_version",
            "issued_by",
            "decided_by",
            "appeal__filed_by",
            "appeal__decided_by",
            "appeal__forwarded_by",
            "appeal__body_recorded_by",
        )
        .prefetch_related(
            Prefetch("payments", queryset=payments.order_by("reported_at", "id")),
            Prefetch("appeal__attachments", queryset=AppealAttachment.objects.order_by("id")),
        )
        .order_by("step")
    )


def _shown(viewer, user) -> str:
    """Who acted on an appeal (``user``, a person; "—" if none), as ``viewer`` may read it."""
    if user is None:
        return "—"
    return shown_actor(viewer, user, user.get_username())


def appeal_context(appeal: Appeal, fine, viewer, today, form) -> None:
    """Set on ``appeal`` what its part of the fine's card shows, and the staff's forms.

    Who acted (as ``viewer`` may read it), its files by kind, whether forwarding is
    overdue and whether the fine stays due (AAA Art. 93); ``form`` is
    :func:`violation_context`'s, offering each form by its rule for the appeal as it is.
    """
    appeal.shown_filed_by = _shown(viewer, appeal.filed_by)
    appeal.shown_decided_by = _shown(viewer, appeal.decided_by)
    appeal.shown_forwarded_by = _shown(viewer, appeal.forwarded_by)
    appeal.shown_recorded_by = _shown(viewer, appeal.body_recorded_by)
    files = list(appeal.attachments.all())
    appeal.appellant_files = [f for f in files if f.kind == AppealAttachmentKind.APPELLANT]
    appeal.reply_files = [f for f in files if f.kind == AppealAttachmentKind.REPLY]
    appeal.decision_files = [f for f in files if f.kind == AppealAttachmentKind.BODY_DECISION]
    appeal.pending = appeal.status in (AppealStatus.FILED, AppealStatus.FORWARDED)
    appeal.forward_overdue = appeal.under_review and today > appeal.forward_by
    appeal.still_due = (
        appeal.pending and fine.status == FineStatus.ISSUED and not appeal.payment_suspended
    )
    reviewing = can(viewer, "enforcement.decide_appeal", appeal)
    appeal.review_form = form("appeal_review", appeal.pk, reviewing)
    appeal.forward_form = form("appeal_forward", appeal.pk, reviewing)
    appeal.body_decision_form = form(
        "appeal_body_decision",
        appeal.pk,
        can(viewer, "enforcement.record_appeal_decision", appeal),
        decided_on=today,
    )
    suspend = not appeal.payment_suspended
    appeal.suspension_form = form(
        "appeal_suspension",
        appeal.pk,
        can(viewer, "enforcement.suspend_payment", appeal)
        and (appeal.payment_suspended or fine.status == FineStatus.ISSUED),
        suspend="yes" if suspend else "no",
    )
    appeal.suspends = suspend


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


def decision_stage(violation: Violation, fines: list) -> dict | None:
    """Where a case stands between its verified missed deadline and a running new one.

    A fine proposed (an official decides it) or a decision not served yet: no deadline
    runs meanwhile. ``fines`` are the fines the viewer sees; a business does not see a
    proposal, only that the Department is deciding.
    """
    if not violation.is_active or violation.deadline is not None:
        return None
    if any(fine.awaits_service for fine in fines):
        return {
            "key": "service",
            "tone": "warn",
            "text": _(
                "Penalty decision issued — awaiting service: the appeal period and the new "
                "deadline run from the day after it is served"
            ),
        }
    decided = any(fine.is_decision for fine in fines if fine.step == violation.fines_issued)
    if violation.fines_issued and not decided:
        return {
            "key": "deciding",
            "tone": "bad",
            "text": _("Not rectified (verified) — the Department is deciding on a fine"),
        }
    return None


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
    fines = fines_of(violation, user)
    for fine in fines:
        fine.shown_by = shown_actor(user, fine.issued_by, fine.actor_label)
        # Who decided: the official's title and name, never a user name.
        fine.official = official_name(fine.decided_by) if fine.decided_by_id else ""
        fine.decide_form = form("decide", fine.pk, can(user, "enforcement.decide_fine", fine))
        fine.service_form = form(
            "service",
            fine.pk,
            can(user, "enforcement.record_service", fine),
            served_on=today,
            method="registered_mail",
        )
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
        if appeal is not None:
            appeal_context(appeal, fine, user, today, form)
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
        "stage": case_stage(violation, today) or decision_stage(violation, fines),
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


class ViolationListView(VisibleMixin, KeysetListMixin, ListView):
    """The violations the user may see, filtered, each with its countdown and fines.

    Paged on the index of (found_on, id) (keyset: newer and older links carry the last
    row's values); the fines are counted for the rows shown only, in one query.
    """

    model = Violation
    template_name = "compliance/enforcement/violation_list.html"
    keyset_ordering = ["-found_on", "-id"]

    def get_queryset(self):
        self.today = timezone.localdate()
        self.filter_form = ViolationFilterForm(self.request.GET or None)
        queryset = with_stage(
            super().get_queryset().select_related("premises__business", "supplier"), self.today
        )
        return self.filter_form.filter(queryset, self.today)

    def decorate(self, rows: list) -> None:
        fines = {
            row.pop("violation"): row
            for row in Fine.objects.visible_to(self.request.user)
            .filter(violation__in=[violation.pk for violation in rows])
            .values("violation")
            .annotate(
                fine_count=Count("pk"),
                outstanding_ntd=Sum("amount_due_ntd", filter=Q(status=FineStatus.ISSUED)),
            )
            .order_by()
        }
        for violation in rows:
            figures = fines.get(violation.pk, {})
            violation.fine_count = figures.get("fine_count", 0)
            violation.outstanding_ntd = figures.get("outstanding_ntd") or 0
            violation.countdown = countdown(violation, self.today)
            violation.stage = case_stage(violation, self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
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
        return attachment_response(
            EvidenceFile.objects.filter(evidence__in=visible, pk=pk).first(), "evidence"
        )


class AppealAttachmentView(LoginRequiredMixin, View):
    """Serve a file of an appeal to those who may see its fine, as an attachment."""

    def get(self, request, pk: int):
        visible = Appeal.objects.visible_to(request.user)
        return attachment_response(
            AppealAttachment.objects.filter(appeal__in=visible, pk=pk).first(), "appeal"
        )


class ReviewerRequiredMixin(LoginRequiredMixin):
    """Only inspectors and administrators review evidence (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "enforcement.review_evidence"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ReviewerRequiredMixin, TemplateView):
    """What waits for the City: evidence to review; payments and appeals for administrators.

    Appeals under the Department's review are listed by the day they are to be forwarded
    (overdue ones first), then those with the appeal body by the day forwarded.
    """

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
            context.update(
                payments_total=payments.count(),
                payments=payments.select_related(
                    "fine__violation__premises__business",
                    "fine__violation__supplier",
                    "reported_by",
                ).order_by("reported_at", "id")[:QUEUE_LIMIT],
            )
        if can(user, "enforcement.decide_appeal"):
            related = ("fine__violation__premises__business", "fine__violation__supplier")
            appeals = Appeal.objects.filter(status=AppealStatus.FILED)
            forwarded = Appeal.objects.filter(status=AppealStatus.FORWARDED)
            today = timezone.localdate()
            context.update(
                today=today,
                appeals_total=appeals.count(),
                appeals_overdue=appeals.filter(forward_by__lt=today).count(),
                appeals=appeals.select_related(*related, "filed_by").order_by(
                    "forward_by", "received_on", "id"
                )[:QUEUE_LIMIT],
                forwarded_total=forwarded.count(),
                forwarded=forwarded.select_related(*related).order_by("forwarded_on", "id")[
                    :QUEUE_LIMIT
                ],
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
