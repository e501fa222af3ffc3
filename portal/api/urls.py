"""The API v1 root: each app's namespaced router."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("compliance.api.urls")),
]
