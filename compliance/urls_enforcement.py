"""Pages of enforcement: violations, evidence, fines, payments, appeals, documents."""

from django.urls import path  # noqa: F401 - used by the sections below

urlpatterns = []

# --- Pages: businesses, inspectors, administrators ---

# --- Dashboard and CSV exports ---
