"""API routes of the rule book, exemptions and compliance status."""

from compliance.rulebook.api import exemptions, status
from compliance.rulebook.api.versions import RuleBookVersionViewSet

ROUTES = [
    ("exemptions", exemptions.ExemptionViewSet, "exemption"),
    ("rulebook-versions", RuleBookVersionViewSet, "rulebook-version"),
    ("compliance/premises", status.CompliancePremisesViewSet, "compliance-premises"),
    ("compliance/businesses", status.BusinessComplianceViewSet, "compliance-business"),
]
