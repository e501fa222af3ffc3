"""Pages of the subsidies app: Art. 13 service teams and requests."""

from django.urls import path

from subsidies.views import requests, resubmission, scheme_terms, schemes, teams

urlpatterns = [
    path("service-teams/", teams.ServiceTeamListView.as_view(), name="service-team-list"),
    path("service-teams/new/", teams.ServiceTeamEditView.as_view(), name="service-team-create"),
    path(
        "service-teams/<int:pk>/",
        teams.ServiceTeamDetailView.as_view(),
        name="service-team-detail",
    ),
    path(
        "service-teams/<int:pk>/edit/",
        teams.ServiceTeamEditView.as_view(),
        name="service-team-edit",
    ),
    path(
        "service-teams/<int:pk>/experts/<int:expert>/remove/",
        teams.TeamExpertRemoveView.as_view(),
        name="service-team-expert-remove",
    ),
    path(
        "service-requests/",
        requests.ServiceRequestListView.as_view(),
        name="service-request-list",
    ),
    path(
        "service-requests/new/",
        requests.ServiceRequestCreateView.as_view(),
        name="service-request-create",
    ),
    path(
        "service-requests/<int:pk>/",
        requests.ServiceRequestDetailView.as_view(),
        name="service-request-detail",
    ),
    path(
        "service-requests/<int:pk>/assign/",
        requests.ServiceRequestAssignView.as_view(),
        name="service-request-assign",
    ),
    path(
        "service-requests/<int:pk>/consultation/",
        requests.ServiceRequestConsultationView.as_view(),
        name="service-request-consultation",
    ),
    path(
        "service-requests/<int:pk>/withdraw/",
        requests.ServiceRequestWithdrawView.as_view(),
        name="service-request-withdraw",
    ),
    path(
        "service-requests/<int:pk>/close/",
        requests.ServiceRequestCloseView.as_view(),
        name="service-request-close",
    ),
    # Art. 14 schemes and applications (subsidies/views/schemes.py).
    path("schemes/", schemes.SchemeListView.as_view(), name="scheme-list"),
    path("schemes/new/", scheme_terms.SchemeEditView.as_view(), name="scheme-create"),
    path("schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme-detail"),
    path("schemes/<int:pk>/edit/", scheme_terms.SchemeEditView.as_view(), name="scheme-edit"),
    path(
        "schemes/<int:pk>/criteria/",
        scheme_terms.SchemeCriteriaView.as_view(),
        name="scheme-criteria",
    ),
    path("schemes/<int:pk>/apply/", schemes.SchemeApplyView.as_view(), name="scheme-apply"),
    path("applications/", schemes.ApplicationListView.as_view(), name="application-list"),
    path(
        "applications/<int:pk>/",
        schemes.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/step/",
        schemes.ApplicationStepView.as_view(),
        name="application-step",
    ),
    path(
        "applications/documents/<int:pk>/",
        schemes.ApplicationDocumentView.as_view(),
        name="application-document-file",
    ),
    path(
        "applications/<int:pk>/letter/",
        schemes.ApplicationLetterView.as_view(),
        name="application-letter",
    ),
    path(
        "applications/<int:pk>/resubmit/",
        resubmission.ApplicationResubmitView.as_view(),
        name="application-resubmit",
    ),
    path(
        "applications/<int:pk>/certificate/",
        schemes.ApplicationCertificateView.as_view(),
        name="application-certificate",
    ),
    path(
        "applications/<int:pk>/score/",
        schemes.ApplicationScoreView.as_view(),
        name="application-score",
    ),
    path("schemes/<int:pk>/awards/", schemes.SchemeAwardsView.as_view(), name="scheme-awards"),
    path(
        "schemes/<int:pk>/awards/publish/",
        schemes.SchemeAwardsPublishView.as_view(),
        name="scheme-awards-publish",
    ),
]
