"""Pages of the inspections app (Art. 10)."""

from django.urls import path

from inspections.views import planning
from inspections.views import reports as report_views

urlpatterns = [
    path("inspections/", planning.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/plan/", planning.InspectionPlanView.as_view(), name="inspection-plan"),
    path("inspections/load/", planning.InspectorLoadView.as_view(), name="inspection-load"),
    path("inspections/agenda/", planning.AgendaView.as_view(), name="inspection-agenda"),
    path(
        "inspections/<int:pk>/", planning.InspectionDetailView.as_view(), name="inspection-detail"
    ),
    path(
        "inspections/<int:pk>/reschedule/",
        planning.InspectionRescheduleView.as_view(),
        name="inspection-reschedule",
    ),
    path(
        "inspections/<int:pk>/assign/",
        planning.InspectionAssignView.as_view(),
        name="inspection-assign",
    ),
    path(
        "inspections/<int:pk>/cancel/",
        planning.InspectionCancelView.as_view(),
        name="inspection-cancel",
    ),
]

# The Art. 10-4 report (inspections/views/reports.py).
urlpatterns += [
    path(
        "visits/<int:visit_pk>/reports/",
        report_views.ReportRequestView.as_view(),
        name="report-request",
    ),
    path("reports/<int:pk>/retry/", report_views.ReportRetryView.as_view(), name="report-retry"),
    path(
        "reports/<int:pk>/download/",
        report_views.ReportDownloadView.as_view(),
        name="report-download",
    ),
]
