"""Pages of the inspections app (Art. 10)."""

from django.urls import path

from inspections.views import planning

urlpatterns = [
    path("inspections/", planning.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/plan/", planning.InspectionPlanView.as_view(), name="inspection-plan"),
    path("inspections/load/", planning.InspectorLoadView.as_view(), name="inspection-load"),
    path("inspections/agenda/", planning.AgendaView.as_view(), name="inspection-agenda"),
    path(
        "inspections/<int:pk>/", planning.InspectionDetailView.as_view(), name="inspection-detail"
    ),
    path(
        "inspections/<int:pk>/reschedule/",
        planning.InspectionRescheduleView.as_view(),
        name="inspection-reschedule",
    ),
    path(
        "inspections/<int:pk>/assign/",
        planning.InspectionAssignView.as_view(),
        name="inspection-assign",
    ),
    path(
        "inspections/<int:pk>/cancel/",
        planning.InspectionCancelView.as_view(),
        name="inspection-cancel",
    ),
]
