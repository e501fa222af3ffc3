"""Pages of enforcement: violations, evidence, fines, payments, appeals, documents, calendar."""

from django.urls import path

from compliance.enforcement.views import actions as enforcement_actions
from compliance.enforcement.views import calendar as calendar_views
from compliance.enforcement.views import dashboard as enforcement_dashboard
from compliance.enforcement.views import decisions as decision_pages
from compliance.enforcement.views import documents as document_pages
from compliance.enforcement.views import exports as enforcement_exports
from compliance.enforcement.views import violations as enforcement_pages

urlpatterns = []

# --- Pages: businesses, inspectors, administrators ---

urlpatterns += [
    path(
        "enforcement/violations/",
        enforcement_pages.ViolationListView.as_view(),
        name="enforcement-violation-list",
    ),
    path(
        "enforcement/violations/<int:pk>/",
        enforcement_pages.ViolationDetailView.as_view(),
        name="enforcement-violation-detail",
    ),
    path(
        "enforcement/violations/<int:pk>/evidence/",
        enforcement_actions.EvidenceSubmitView.as_view(),
        name="enforcement-evidence-submit",
    ),
    path(
        "enforcement/violations/<int:pk>/statement/",
        enforcement_actions.StatementSubmitView.as_view(),
        name="enforcement-statement-submit",
    ),
    path(
        "enforcement/violations/<int:pk>/cancel/",
        enforcement_actions.ViolationCancelView.as_view(),
        name="enforcement-violation-cancel",
    ),
    path(
        "enforcement/evidence/<int:pk>/review/",
        enforcement_actions.EvidenceReviewView.as_view(),
        name="enforcement-evidence-review",
    ),
    path(
        "enforcement/evidence-files/<int:pk>/",
        enforcement_pages.EvidenceFileView.as_view(),
        name="enforcement-evidence-file",
    ),
    path(
        "enforcement/fines/<int:pk>/payments/",
        enforcement_actions.PaymentReportView.as_view(),
        name="enforcement-payment-report",
    ),
    path(
        "enforcement/payments/<int:pk>/decide/",
        enforcement_actions.PaymentDecideView.as_view(),
        name="enforcement-payment-decide",
    ),
    path(
        "enforcement/fines/<int:pk>/appeal/",
        enforcement_actions.AppealFileView.as_view(),
        name="enforcement-appeal-file",
    ),
    path(
        "enforcement/appeals/<int:pk>/review/",
        enforcement_actions.AppealReviewView.as_view(),
        name="enforcement-appeal-review",
    ),
    path(
        "enforcement/appeals/<int:pk>/forward/",
        enforcement_actions.AppealForwardView.as_view(),
        name="enforcement-appeal-forward",
    ),
    path(
        "enforcement/appeals/<int:pk>/decision/",
        enforcement_actions.AppealBodyDecisionView.as_view(),
        name="enforcement-appeal-decision",
    ),
    path(
        "enforcement/appeals/<int:pk>/suspension/",
        enforcement_actions.AppealSuspensionView.as_view(),
        name="enforcement-appeal-suspension",
    ),
    path(
        "enforcement/appeal-files/<int:pk>/",
        enforcement_pages.AppealAttachmentView.as_view(),
        name="enforcement-appeal-attachment",
    ),
    path(
        "enforcement/proposals/",
        decision_pages.ProposalListView.as_view(),
        name="enforcement-proposal-list",
    ),
    path(
        "enforcement/fines/<int:pk>/decide/",
        decision_pages.ProposalDecideView.as_view(),
        name="enforcement-proposal-decide",
    ),
    path(
        "enforcement/fines/<int:pk>/",
        decision_pages.DecisionView.as_view(),
        name="enforcement-fine-decision",
    ),
    path(
        "enforcement/fines/<int:pk>/service/",
        decision_pages.ServiceRecordView.as_view(),
        name="enforcement-service-record",
    ),
    path(
        "businesses/<int:pk>/electronic-service/",
        decision_pages.ElectronicServiceView.as_view(),
        name="enforcement-electronic-service",
    ),
    path(
        "enforcement/review/",
        enforcement_pages.ReviewQueueView.as_view(),
        name="enforcement-review-queue",
    ),
    path("enforcement/sweep/", enforcement_pages.SweepView.as_view(), name="enforcement-sweep"),
]

# Notices and decisions (PDF): download, and retry a failed rendering.

urlpatterns += [
    path(
        "enforcement/documents/<int:pk>/download/",
        document_pages.DocumentDownloadView.as_view(),
        name="enforcement-document-download",
    ),
    path(
        "enforcement/documents/<int:pk>/retry/",
        document_pages.DocumentRetryView.as_view(),
        name="enforcement-document-retry",
    ),
]

# --- Dashboard and CSV exports ---

urlpatterns += [
    path(
        "enforcement/dashboard/",
        enforcement_dashboard.EnforcementDashboardView.as_view(),
        name="enforcement-dashboard",
    ),
    path(
        "enforcement/violations/export/",
        enforcement_exports.ViolationExportView.as_view(),
        name="enforcement-violations-export",
    ),
    path(
        "enforcement/fines/export/",
        enforcement_exports.FineExportView.as_view(),
        name="enforcement-fines-export",
    ),
    path(
        "enforcement/payments/export/",
        enforcement_exports.PaymentExportView.as_view(),
        name="enforcement-payments-export",
    ),
    path(
        "enforcement/appeals/export/",
        enforcement_exports.AppealExportView.as_view(),
        name="enforcement-appeals-export",
    ),
]

# The working calendar (APA Art. 48): periods end on working days.
urlpatterns += [
    path("calendar/", calendar_views.CalendarView.as_view(), name="working-calendar"),
    path(
        "calendar/declare/",
        calendar_views.DeclareDayView.as_view(),
        name="working-calendar-declare",
    ),
    path(
        "calendar/<int:pk>/withdraw/",
        calendar_views.WithdrawDayView.as_view(),
        name="working-calendar-withdraw",
    ),
]
