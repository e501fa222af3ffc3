"""API routes of the programme records (under /api/v1/, namespace ``api``)."""

from rest_framework.routers import DefaultRouter

from programs.api.views import ROUTES

router = DefaultRouter()
router.include_root_view = False
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
