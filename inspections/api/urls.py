"""API routes of the inspections app (Art. 10)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from inspections.api.views import planning, referrals, reports, visits

router = SimpleRouter()
router.register("inspections", planning.InspectionViewSet, basename="inspection")
router.register("inspection-batches", planning.InspectionBatchViewSet, basename="inspection-batch")
router.register("reports", reports.InspectionReportViewSet, basename="inspection-report")
router.register("visits", visits.VisitViewSet, basename="visit")

# Paths outside the router come first, so a route it generates never shadows them.
urlpatterns = [
    path(
        "visits/<int:visit_id>/report/",
        reports.VisitReportView.as_view(),
        name="visit-inspection-report",
    ),
    path(
        "referrals/<int:pk>/target/",
        referrals.ReferralTargetView.as_view(),
        name="referral-target",
    ),
    *router.urls,
]
