"""Pages of the inspections app (Art. 10)."""

from django.urls import path

from inspections.views import offline, planning
from inspections.views import reports as report_views
from inspections.views import visits as visit_views

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

# The visit, on a tablet (inspections/views/visits.py).
urlpatterns += [
    path(
        "inspections/<int:pk>/visit/",
        visit_views.VisitStartView.as_view(),
        name="visit-start",
    ),
    # The form of a visit not yet started, kept by the tablet for the day (filled offline).
    path("inspections/<int:pk>/visit/new/", visit_views.VisitNewView.as_view(), name="visit-new"),
    path("visits/<int:pk>/", visit_views.VisitDetailView.as_view(), name="visit-detail"),
    path("visits/<int:pk>/edit/", visit_views.VisitEditView.as_view(), name="visit-edit"),
    path(
        "visits/<int:pk>/complete/",
        visit_views.VisitCompleteView.as_view(),
        name="visit-complete",
    ),
    path("visits/<int:pk>/photos/", visit_views.PhotoUploadView.as_view(), name="photo-upload"),
    path("photos/<int:pk>/", visit_views.PhotoFileView.as_view(), name="photo-file"),
    # The tablet offline: the service worker, at the root so that its scope is the site.
    path("sw.js", offline.ServiceWorkerView.as_view(), name="service-worker"),
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
