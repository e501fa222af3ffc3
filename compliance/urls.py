"""Pages of the registry."""

from django.urls import path

from compliance.views import business, premises

urlpatterns = [
    path("businesses/", business.BusinessListView.as_view(), name="business-list"),
    path("businesses/new/", business.BusinessCreateView.as_view(), name="business-create"),
    path("businesses/<int:pk>/", business.BusinessDetailView.as_view(), name="business-detail"),
    path("businesses/<int:pk>/edit/", business.BusinessUpdateView.as_view(), name="business-edit"),
    path("claims/", business.ClaimListView.as_view(), name="claim-list"),
    path("claims/new/", business.ClaimCreateView.as_view(), name="claim-create"),
    path("claims/<int:pk>/decide/", business.ClaimDecideView.as_view(), name="claim-decide"),
    path("premises/", premises.PremisesListView.as_view(), name="premises-list"),
    path("premises/new/", premises.PremisesCreateView.as_view(), name="premises-create"),
    path("premises/<int:pk>/", premises.PremisesDetailView.as_view(), name="premises-detail"),
    path("premises/<int:pk>/edit/", premises.PremisesUpdateView.as_view(), name="premises-edit"),
    path(
        "premises/<int:pk>/delete/", premises.PremisesDeleteView.as_view(), name="premises-delete"
    ),
]
