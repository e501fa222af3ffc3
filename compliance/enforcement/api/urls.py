"""API routes of enforcement: violations, fines, documents, payments, appeals, sweep runs."""

from compliance.enforcement.api import views

ROUTES = views.ROUTES
