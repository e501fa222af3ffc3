"""API routes of the inspections app (Art. 10)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from inspections.api import views_planning, views_referrals, views_reports, views_visits

router = SimpleRouter()
router.register("inspections", views_planning.InspectionViewSet, basename="inspection")
router.register(
    "inspection-batches", views_planning.InspectionBatchViewSet, basename="inspection-batch"
)
router.register("reports", views_reports.InspectionReportViewSet, basename="inspection-report")
router.register("visits", views_visits.VisitViewSet, basename="visit")

# Paths outside the router come first, so a route it generates never shadows them.
urlpatterns = [
    path(
        "visits/<int:visit_id>/report/",
        views_reports.VisitReportView.as_view(),
        name="visit-inspection-report",
    ),
    path(
        "referrals/<int:pk>/target/",
        views_referrals.ReferralTargetView.as_view(),
        name="referral-target",
    ),
    *router.urls,
]
