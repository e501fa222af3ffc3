"""Pages of the registry: businesses, claims, premises, equipment, the CSV import, logs."""

from django.urls import path

from compliance.registry.views import business, equipment, imports, logs, premises

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

urlpatterns += [
    path("equipment/", equipment.EquipmentListView.as_view(), name="equipment-list"),
    path("equipment/new/", equipment.EquipmentCreateView.as_view(), name="equipment-create"),
    path("equipment/<int:pk>/", equipment.EquipmentDetailView.as_view(), name="equipment-detail"),
    path(
        "equipment/<int:pk>/edit/", equipment.EquipmentUpdateView.as_view(), name="equipment-edit"
    ),
    path(
        "equipment/<int:pk>/delete/",
        equipment.EquipmentDeleteView.as_view(),
        name="equipment-delete",
    ),
    path("equipment/export.csv", equipment.EquipmentExportView.as_view(), name="equipment-export"),
    path(
        "equipment/template.csv", imports.EquipmentTemplateView.as_view(), name="equipment-template"
    ),
    path("equipment/import/", imports.EquipmentImportView.as_view(), name="equipment-import"),
    path(
        "equipment/import/<uuid:batch_id>/",
        imports.EquipmentImportReviewView.as_view(),
        name="equipment-import-review",
    ),
    path("logs/ac/", logs.AcLogListView.as_view(), name="aclog-list"),
    path("logs/ac/new/", logs.AcLogCreateView.as_view(), name="aclog-create"),
    path("logs/ac/<int:pk>/edit/", logs.AcLogUpdateView.as_view(), name="aclog-edit"),
    path("logs/boiler/", logs.BoilerLogListView.as_view(), name="boilerlog-list"),
    path("logs/boiler/new/", logs.BoilerLogCreateView.as_view(), name="boilerlog-create"),
    path("logs/boiler/<int:pk>/edit/", logs.BoilerLogUpdateView.as_view(), name="boilerlog-edit"),
]
