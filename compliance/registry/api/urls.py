"""API routes of the registry (registered on the one router of compliance/api/urls.py)."""

from compliance.registry.api import views

ROUTES = [
    ("businesses", views.BusinessViewSet, "business"),
    ("premises", views.PremisesViewSet, "premises"),
    ("equipment", views.EquipmentViewSet, "equipment"),
    ("ac-logs", views.AcMonthlyLogViewSet, "ac-log"),
    ("boiler-logs", views.BoilerMonthlyLogViewSet, "boiler-log"),
    ("memberships", views.MembershipViewSet, "membership"),
    ("claims", views.ClaimViewSet, "claim"),
]
