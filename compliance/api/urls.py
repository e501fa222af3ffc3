"""API routes of the registry."""

from rest_framework.routers import DefaultRouter

from compliance.api import compliance as compliance_api
from compliance.api import data_orders as data_orders_api
from compliance.api import energy_use as energy_use_api
from compliance.api import enforcement, exemptions, referrals, views
from compliance.api.rulebook import RuleBookVersionViewSet

router = DefaultRouter()
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("premises", views.PremisesViewSet, basename="premises")
router.register("equipment", views.EquipmentViewSet, basename="equipment")
router.register("ac-logs", views.AcMonthlyLogViewSet, basename="ac-log")
router.register("boiler-logs", views.BoilerMonthlyLogViewSet, basename="boiler-log")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("exemptions", exemptions.ExemptionViewSet, basename="exemption")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("rulebook-versions", RuleBookVersionViewSet, basename="rulebook-version")
router.register(
    "compliance/premises", compliance_api.CompliancePremisesViewSet, basename="compliance-premises"
)
router.register(
    "compliance/businesses",
    compliance_api.BusinessComplianceViewSet,
    basename="compliance-business",
)
# Enforcement: violations, fines, documents, payments, appeals, evidence, sweep runs.
for prefix, viewset, basename in enforcement.ROUTES:
    router.register(prefix, viewset, basename=basename)
# Art. 12 energy-use register: the register, monthly use, supplier accounts, uploads.
for prefix, viewset, basename in energy_use_api.ROUTES:
    router.register(prefix, viewset, basename=basename)

# Art. 12-2 data orders to energy suppliers (missed: Art. 18 cases).
for prefix, viewset, basename in data_orders_api.ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
