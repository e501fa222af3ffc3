"""Pages of the registry."""

from django.urls import path

from compliance.views import business, energy_use, equipment, imports, logs, premises, referrals
from compliance.views import compliance as compliance_views
from compliance.views import dashboard as dashboard_views
from compliance.views import exemptions as exemption_views
from compliance.views import rulebook as rulebook_views
from compliance.views import working_calendar as calendar_views

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

# Art. 12 energy-use register (compliance/views/energy_use.py).
urlpatterns += [
    path("energy-use/", energy_use.MonthlyEnergyUseListView.as_view(), name="energy-use-list"),
    path("energy-use/upload/", energy_use.EnergyUseUploadView.as_view(), name="energy-use-upload"),
    path(
        "energy-use/export.csv",
        energy_use.MonthlyEnergyUseExportView.as_view(),
        name="energy-use-export",
    ),
    path(
        "energy-use/upload/<uuid:batch_id>/",
        energy_use.EnergyUseReviewView.as_view(),
        name="energy-use-upload-review",
    ),
    path("energy-use/register/", energy_use.EnergyRegisterView.as_view(), name="energy-register"),
    path(
        "energy-use/accounts/unmatched/",
        energy_use.UnmatchedAccountListView.as_view(),
        name="energy-account-unmatched",
    ),
    path(
        "energy-use/accounts/<int:pk>/match/",
        energy_use.AccountMatchView.as_view(),
        name="energy-account-match",
    ),
    path(
        "premises/<int:pk>/energy-use/",
        energy_use.PremisesEnergyUseView.as_view(),
        name="premises-energy-use",
    ),
]

# Art. 11 supplier referrals (compliance/views/referrals.py); the inspections app plans
# the inspection of a referral made a target (compliance.services.referrals).
urlpatterns += [
    path("referrals/", referrals.ReferralListView.as_view(), name="referral-list"),
    path("referrals/new/", referrals.ReferralCreateView.as_view(), name="referral-create"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral-detail"),
    path("referrals/<int:pk>/close/", referrals.ReferralCloseView.as_view(), name="referral-close"),
    path(
        "referrals/<int:pk>/premises/",
        referrals.ReferralPremisesView.as_view(),
        name="referral-premises",
    ),
    path(
        "referrals/<int:pk>/target/",
        referrals.ReferralTargetView.as_view(),
        name="referral-target",
    ),
]

urlpatterns += [
    path("calendar/", calendar_views.CalendarView.as_view(), name="working-calendar"),
    path(
        "calendar/declare/",
        calendar_views.DeclareDayView.as_view(),
        name="working-calendar-declare",
    ),
    path(
        "calendar/<int:pk>/withdraw/",
        calendar_views.WithdrawDayView.as_view(),
        name="working-calendar-withdraw",
    ),
]
