"""API of enforcement: violations, fines, documents, payments, appeals, evidence, sweeps.

Visibility is the pages' own (``Model.objects.visible_to(user)`` in the base viewset): a
business sees its own businesses' rows, city staff and API clients all of them, other
roles nothing; what a user may not see is a 404. Everything changes through
:mod:`compliance.enforcement.services` (``violations``, ``appeals``, ``statements``):

* businesses (and administrators) report payments and file appeals for fines they see;
* administrators cancel violations and decide payments; they review appeals (revoking
  or amending the Department's decision), forward them with the reply, record the
  appeal body's decision and suspensions of payment;
* a violation's own side (its business's members, the supplier of its Art. 18 case)
  states its opinion before a fine while the period is open (APenA Art. 42);
* inspectors and administrators review rectification evidence;
* administrators list the deadline sweep's runs and queue one for today (202).

Who may act is asked of the rules of :mod:`compliance.enforcement.permissions` through
:func:`portal.permissions.can` (``action_rules`` name them).

Someone who sees an object but may not act on it gets 403; a service's refusal is a
400 naming the fields of the request body (never a 500).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.api.base import (  # noqa: F401 (the domain's API names them)
    REQUEST_FIELD_OF,
    EnforcementPermission,
    EnforcementViewSet,
    RuleRequired,
    as_request_errors,
)
from compliance.enforcement import filtersets as filters
from compliance.enforcement import permissions  # noqa: F401 (registers the rules named below)
from compliance.enforcement.api import serializers as s
from compliance.enforcement.services import appeals, statements
from compliance.enforcement.services import violations as services
from compliance.models import (
    Appeal,
    EnforcementDocument,
    Fine,
    FinePayment,
    Premises,
    RectificationEvidence,
    Statement,
    SweepRun,
    Verification,
    Violation,
)
from portal.api.viewsets import columns_but
from portal.permissions import can

DETAIL_ACTIONS = ("retrieve", "cancel", "statement")


class ViolationViewSet(EnforcementViewSet):
    """Violations (Arts. 10-4, 15-18) with their deadlines; administrators cancel them."""

    queryset = Violation.objects.select_related("premises")
    serializer_class = s.ViolationSerializer
    # A row shows the premises' business, not the finding or the rule book's parameters.
    list_deferred = ("finding", "parameters", *columns_but("premises", Premises, "business"))
    filterset_class = filters.ViolationFilterSet
    ordering_fields = ("id", "found_on", "deadline")
    action_rules = {"cancel": "enforcement.cancel", "statement": "enforcement.state_opinion"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in DETAIL_ACTIONS:
            statements_by_time = Statement.objects.select_related("submitted_by").order_by(
                "submitted_at", "id"
            )
            queryset = queryset.prefetch_related(
                "events",
                Prefetch(
                    "verifications",
                    queryset=Verification.objects.select_related("verified_by")
                    .prefetch_related(Prefetch("statements", queryset=statements_by_time))
                    .order_by("-verified_on", "-id"),
                ),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "statement" and self.request.method == "POST":
            return s.StatementSubmitSerializer
        if self.action in DETAIL_ACTIONS:
            return s.ViolationDetailSerializer
        return s.ViolationSerializer

    @extend_schema(request=s.ViolationCancelSerializer, responses=s.ViolationDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a violation (e.g. found in error), with the reason."""
        violation = self.get_object()
        body = self._body(s.ViolationCancelSerializer, request)
        try:
            violation = services.cancel(request.user, violation, reason=body["reason"])
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(violation, s.ViolationDetailSerializer)

    @extend_schema(request=s.StatementSubmitSerializer, responses={201: s.StatementSerializer})
    @action(detail=True, methods=["post"])
    def statement(self, request: Request, pk: str | None = None) -> Response:
        """State the business's opinion before the fine, while the period is open (Art. 42)."""
        violation = self.get_object()
        body = self._body(s.StatementSubmitSerializer, request)
        try:
            statement = statements.submit(request.user, violation, text=body["text"])
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        statement = Statement.objects.select_related("submitted_by").get(pk=statement.pk)
        body = s.StatementSerializer(statement, context=self.get_serializer_context())
        return Response(body.data, status=status.HTTP_201_CREATED)


class FineViewSet(EnforcementViewSet):
    """Fines for missed deadlines (and Art. 17 refusals) with their decisions."""

    queryset = Fine.objects.select_related("violation__premises").prefetch_related("documents")
    serializer_class = s.FineSerializer
    filterset_class = filters.FineFilterSet
    ordering_fields = ("id", "issued_on", "amount_ntd")


class DocumentViewSet(EnforcementViewSet):
    """Rectification notices and penalty decisions (PDFs rendered by a worker)."""

    queryset = EnforcementDocument.objects.all()
    serializer_class = s.DocumentSerializer
    filterset_class = filters.DocumentFilterSet
    ordering_fields = ("id", "requested_at")


class PaymentViewSet(mixins.CreateModelMixin, EnforcementViewSet):
    """Payments of fines: businesses report them, administrators confirm or reject them."""

    queryset = FinePayment.objects.select_related("fine__violation__premises")
    serializer_class = s.PaymentSerializer
    filterset_class = filters.PaymentFilterSet
    ordering_fields = ("id", "paid_on", "reported_at")
    action_rules = {"decide": "enforcement.decide_payment"}
    create_serializer_class = s.PaymentReportSerializer

    def may_create(self, user) -> bool:
        return can(user, "enforcement.report_payment")

    @extend_schema(request=s.PaymentReportSerializer, responses={201: s.PaymentSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Report that a fine was paid (amount, day, receipt or transfer number)."""
        body = self._body(s.PaymentReportSerializer, request)
        try:
            payment = services.report_payment(
                request.user,
                body["fine"],
                amount_ntd=body["amount_ntd"],
                paid_on=body["paid_on"],
                reference=body["reference"],
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(payment, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.PaymentDecisionSerializer, responses=s.PaymentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Confirm a reported payment (the fine is paid once covered) or reject it."""
        payment = self.get_object()
        body = self._body(s.PaymentDecisionSerializer, request)
        try:
            payment = services.decide_payment(
                request.user, payment, confirm=body["confirm"], reason=body["reason"]
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(payment)


class AppealViewSet(mixins.CreateModelMixin, EnforcementViewSet):
    """Appeals (訴願): businesses file them; administrators review, forward and record.

    Filing and the actions taking files accept multipart bodies (``files``, repeated);
    JSON bodies without files are accepted too.
    """

    queryset = Appeal.objects.select_related("fine__violation__premises").prefetch_related(
        "attachments"
    )
    serializer_class = s.AppealSerializer
    filterset_class = filters.AppealFilterSet
    ordering_fields = ("id", "filed_at", "received_on", "forward_by")
    action_rules = {
        "review": "enforcement.decide_appeal",
        "forward": "enforcement.decide_appeal",
        "record_decision": "enforcement.record_appeal_decision",
        "suspension": "enforcement.suspend_payment",
    }
    create_serializer_class = s.AppealFilingSerializer

    def may_create(self, user) -> bool:
        return can(user, "enforcement.file_appeal")

    @extend_schema(request=s.AppealFilingSerializer, responses={201: s.AppealSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Appeal a served penalty decision within its period (files: multipart)."""
        body = self._body(s.AppealFilingSerializer, request)
        try:
            appeal = appeals.file_appeal(
                request.user, body["fine"], grounds=body["grounds"], files=body["files"]
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(appeal, code=status.HTTP_201_CREATED)

    def _act(self, request: Request, serializer_class, service, **fixed) -> Response:
        appeal = self.get_object()
        body = self._body(serializer_class, request)
        try:
            appeal = service(request.user, appeal, **body, **fixed)
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(appeal)

    @extend_schema(request=s.AppealReviewSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Revoke the Department's own decision, or amend its amount (AAA Art. 58(2))."""
        return self._act(request, s.AppealReviewSerializer, appeals.review_appeal)

    @extend_schema(request=s.AppealForwardSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, pk: str | None = None) -> Response:
        """Forward the appeal with the Department's reply (copied to the appellant)."""
        return self._act(request, s.AppealForwardSerializer, appeals.forward_appeal)

    @extend_schema(request=s.AppealBodyDecisionSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="record-decision")
    def record_decision(self, request: Request, pk: str | None = None) -> Response:
        """Record the appeal body's decision on a forwarded appeal, with its document."""
        return self._act(request, s.AppealBodyDecisionSerializer, appeals.record_appeal_decision)

    @extend_schema(request=s.AppealSuspensionSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def suspension(self, request: Request, pk: str | None = None) -> Response:
        """Suspend payment while the appeal is pending (AAA Art. 93), or lift it (Art. 94)."""
        appeal = self.get_object()
        body = self._body(s.AppealSuspensionSerializer, request)
        service = appeals.record_suspension if body["suspend"] else appeals.lift_suspension
        try:
            appeal = service(request.user, appeal, reason=body["reason"])
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(appeal)


class EvidenceViewSet(EnforcementViewSet):
    """Rectification evidence (files as metadata); inspectors accept or reject it."""

    queryset = RectificationEvidence.objects.select_related("violation__premises").prefetch_related(
        "files"
    )
    serializer_class = s.EvidenceSerializer
    filterset_class = filters.EvidenceFilterSet
    ordering_fields = ("id", "submitted_at")
    action_rules = {"review": "enforcement.review_evidence"}

    @extend_schema(request=s.EvidenceReviewSerializer, responses=s.EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Accept the evidence (the violation is rectified) or reject it, with a reason."""
        evidence = self.get_object()
        body = self._body(s.EvidenceReviewSerializer, request)
        try:
            evidence = services.review_evidence(
                request.user, evidence, accept=body["accept"], reason=body["reason"]
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(evidence)


class SweepRunViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Runs of the deadline sweep; administrators queue one for today."""

    permission_classes = [RuleRequired]
    permission_rule = "enforcement.run_sweep"
    queryset = SweepRun.objects.all()
    serializer_class = s.SweepRunSerializer
    filterset_fields = ["status", "day"]
    ordering_fields = ("id", "day", "started_at")

    @extend_schema(request=None, responses={202: s.SweepQueuedSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Queue the deadline sweep for today (Taipei); safe to ask twice."""
        from compliance.enforcement.tasks import deadline_sweep

        day = timezone.localdate()
        deadline_sweep.delay_on_commit(day.isoformat(), actor_id=request.user.pk)
        body = s.SweepQueuedSerializer({"day": day, "queued": True})
        return Response(body.data, status=status.HTTP_202_ACCEPTED)


# (prefix, viewset, basename) of every enforcement route; compliance/api/urls.py registers them.
ROUTES = (
    ("violations", ViolationViewSet, "violation"),
    ("fines", FineViewSet, "fine"),
    ("documents", DocumentViewSet, "enforcement-document"),
    ("payments", PaymentViewSet, "payment"),
    ("appeals", AppealViewSet, "appeal"),
    ("evidence", EvidenceViewSet, "evidence"),
    ("sweep-runs", SweepRunViewSet, "sweep-run"),
)
