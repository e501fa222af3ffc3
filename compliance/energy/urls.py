"""Pages of the Art. 11-12 duties: the energy-use register, data orders, supplier referrals."""

from django.urls import path

from compliance.energy.views import data_orders, energy_use, referrals

# Art. 12 energy-use register (compliance/views/energy_use.py).
urlpatterns = [
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
# the inspection of a referral made a target (compliance.energy.services.referrals).
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

# Art. 12-2 data orders to energy suppliers (missed: Art. 18 cases).
urlpatterns += [
    path("data-orders/", data_orders.DataOrderListView.as_view(), name="data-order-list"),
    path("data-orders/new/", data_orders.DataOrderCreateView.as_view(), name="data-order-create"),
    path(
        "data-orders/<int:pk>/", data_orders.DataOrderDetailView.as_view(), name="data-order-detail"
    ),
    path(
        "data-orders/<int:pk>/cancel/",
        data_orders.DataOrderCancelView.as_view(),
        name="data-order-cancel",
    ),
    path(
        "data-orders/<int:pk>/fulfil/",
        data_orders.DataOrderFulfilView.as_view(),
        name="data-order-fulfil",
    ),
]
