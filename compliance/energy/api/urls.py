"""API routes of the Art. 11-12 duties: the register, uploads, data orders, referrals."""

from compliance.energy.api import data_orders, referrals
from compliance.energy.api import views as energy_use

ROUTES = [
    ("referrals", referrals.ReferralViewSet, "referral"),
    *energy_use.ROUTES,
    *data_orders.ROUTES,
]
