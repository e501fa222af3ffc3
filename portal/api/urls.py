"""The API v1 root: the portal's token endpoints and each app's namespaced router."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

import portal.api.schema  # noqa: F401  (registers the OpenAPI extensions)
from portal.api import views

app_name = "api"

token_router = SimpleRouter()
token_router.register("tokens", views.TokenViewSet, basename="token")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="auth-token"),
    *token_router.urls,
    path("", include("compliance.api.urls")),
    path("", include("inspections.api.urls")),
    path("", include("subsidies.api")),
    path("", include("programs.api.urls")),
]
