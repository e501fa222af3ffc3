"""The compliance API: one router for the routes of every domain package."""

from rest_framework.routers import DefaultRouter

from compliance.energy.api.urls import ROUTES as ENERGY
from compliance.enforcement.api.urls import ROUTES as ENFORCEMENT
from compliance.registry.api.urls import ROUTES as REGISTRY
from compliance.rulebook.api.urls import ROUTES as RULEBOOK

router = DefaultRouter()
for prefix, viewset, basename in [*REGISTRY, *RULEBOOK, *ENFORCEMENT, *ENERGY]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
