"""Pages of the rule book, exemptions, and the compliance status they decide."""

from django.urls import path

from compliance.rulebook.views import dashboard as dashboard_views
from compliance.rulebook.views import exemptions as exemption_views
from compliance.rulebook.views import status as compliance_views
from compliance.rulebook.views import versions as rulebook_views

urlpatterns = [
    path(
        "premises/<int:pk>/compliance/",
        compliance_views.PremisesComplianceView.as_view(),
        name="premises-compliance",
    ),
    path(
        "premises/<int:pk>/compliance/reassess/",
        compliance_views.PremisesReassessView.as_view(),
        name="premises-reassess",
    ),
    path(
        "compliance/dashboard/",
        dashboard_views.CityDashboardView.as_view(),
        name="compliance-dashboard",
    ),
]

urlpatterns += [
    path("exemptions/", exemption_views.ExemptionListView.as_view(), name="exemption-list"),
    path("exemptions/new/", exemption_views.ExemptionCreateView.as_view(), name="exemption-create"),
    path(
        "exemptions/<int:pk>/",
        exemption_views.ExemptionDetailView.as_view(),
        name="exemption-detail",
    ),
    path(
        "exemptions/<int:pk>/decide/",
        exemption_views.ExemptionDecideView.as_view(),
        name="exemption-decide",
    ),
    path(
        "exemptions/<int:pk>/revoke/",
        exemption_views.ExemptionRevokeView.as_view(),
        name="exemption-revoke",
    ),
]

urlpatterns += [
    path("rulebook/", rulebook_views.RuleBookListView.as_view(), name="rulebook-list"),
    path(
        "rulebook/new/",
        rulebook_views.RuleBookDraftCreateView.as_view(),
        name="rulebook-draft-create",
    ),
    path("rulebook/<int:pk>/", rulebook_views.RuleBookDetailView.as_view(), name="rulebook-detail"),
    path(
        "rulebook/<int:pk>/edit/", rulebook_views.RuleBookEditView.as_view(), name="rulebook-edit"
    ),
    path(
        "rulebook/<int:pk>/impact/",
        rulebook_views.RuleBookImpactView.as_view(),
        name="rulebook-impact",
    ),
    path(
        "rulebook/<int:pk>/publish/",
        rulebook_views.RuleBookPublishView.as_view(),
        name="rulebook-publish",
    ),
    path(
        "rulebook/<int:pk>/delete/",
        rulebook_views.RuleBookDeleteView.as_view(),
        name="rulebook-delete",
    ),
]
