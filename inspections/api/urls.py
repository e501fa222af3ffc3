"""API routes of the inspections app (Art. 10)."""

from rest_framework.routers import SimpleRouter

from inspections.api import views_planning

router = SimpleRouter()
router.register("inspections", views_planning.InspectionViewSet, basename="inspection")
router.register(
    "inspection-batches", views_planning.InspectionBatchViewSet, basename="inspection-batch"
)

urlpatterns = router.urls
