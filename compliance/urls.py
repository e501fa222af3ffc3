"""The pages of compliance: each domain package has its own (URL names are global)."""

from django.urls import include, path

urlpatterns = [
    path("", include("compliance.registry.urls")),
    path("", include("compliance.rulebook.urls")),
    path("", include("compliance.energy.urls")),
    path("", include("compliance.enforcement.urls")),
]
