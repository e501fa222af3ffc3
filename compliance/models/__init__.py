"""Models of the regulated registry, the rule book, exemptions and assessments."""

from compliance.models.assessments import ArticleStatus, ComplianceAssessment, PremisesStatus
from compliance.models.business import Business, BusinessClaim, BusinessMembership
from compliance.models.enforcement import Violation, ViolationEvent
from compliance.models.equipment import Equipment
from compliance.models.exemptions import Exemption
from compliance.models.imports import ImportBatch
from compliance.models.logs import AcMonthlyLog, BoilerMonthlyLog
from compliance.models.premises import Premises
from compliance.models.rulebook import RuleBookVersion

__all__ = [
    "AcMonthlyLog",
    "ArticleStatus",
    "BoilerMonthlyLog",
    "Business",
    "BusinessClaim",
    "BusinessMembership",
    "ComplianceAssessment",
    "Equipment",
    "Exemption",
    "ImportBatch",
    "Premises",
    "PremisesStatus",
    "RuleBookVersion",
    "Violation",
    "ViolationEvent",
]
