"""Top-level URLs: pages under a language-neutral path, the API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from portal.api.schema import SchemaView
from portal.views import health

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", health.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("portal.api.urls")),
    path("", include("portal.urls_pages")),
    path("", include("compliance.urls")),
    path("", include("inspections.urls")),
    path("", include("subsidies.urls")),
    path("", include("programs.urls")),
]
