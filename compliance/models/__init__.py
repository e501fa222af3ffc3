"""Models of the regulated registry, the rule book, exemptions and assessments."""

from compliance.models.assessments import ArticleStatus, ComplianceAssessment, PremisesStatus
from compliance.models.business import Business, BusinessClaim, BusinessMembership
from compliance.models.calendar import CalendarDay, CalendarDayKind
from compliance.models.documents import EnforcementDocument
from compliance.models.energy_use import EnergyUseBatch, MonthlyEnergyUse, SupplierAccount
from compliance.models.enforcement import SweepRun, Violation, ViolationEvent
from compliance.models.equipment import Equipment
from compliance.models.evidence import EvidenceFile, RectificationEvidence
from compliance.models.exemptions import Exemption
from compliance.models.fines import Appeal, Fine, FinePayment
from compliance.models.imports import ImportBatch
from compliance.models.logs import AcMonthlyLog, BoilerMonthlyLog
from compliance.models.premises import Premises
from compliance.models.rulebook import RuleBookVersion
from compliance.models.suppliers import (
    DataOrder,
    DataOrderEvent,
    DataOrderStatus,
    ReferralStatus,
    SupplierReferral,
)

__all__ = [
    "AcMonthlyLog",
    "Appeal",
    "ArticleStatus",
    "BoilerMonthlyLog",
    "Business",
    "BusinessClaim",
    "BusinessMembership",
    "CalendarDay",
    "CalendarDayKind",
    "ComplianceAssessment",
    "DataOrder",
    "DataOrderEvent",
    "DataOrderStatus",
    "EnergyUseBatch",
    "EnforcementDocument",
    "Equipment",
    "EvidenceFile",
    "Exemption",
    "Fine",
    "FinePayment",
    "ImportBatch",
    "MonthlyEnergyUse",
    "Premises",
    "PremisesStatus",
    "RectificationEvidence",
    "ReferralStatus",
    "RuleBookVersion",
    "SupplierAccount",
    "SupplierReferral",
    "SweepRun",
    "Violation",
    "ViolationEvent",
]
