"""Models of the regulated registry, the rule book, exemptions and assessments."""

from compliance.energy.models.energy_use import EnergyUseBatch, MonthlyEnergyUse, SupplierAccount
from compliance.energy.models.suppliers import (
    DataOrder,
    DataOrderEvent,
    DataOrderStatus,
    ReferralStatus,
    SupplierReferral,
)
from compliance.enforcement.models.calendar import CalendarDay, CalendarDayKind
from compliance.enforcement.models.documents import EnforcementDocument
from compliance.enforcement.models.evidence import EvidenceFile, RectificationEvidence
from compliance.enforcement.models.figures import (
    DeadlineFigure,
    FineFigure,
    OffenderFigure,
    ViolationFigure,
)
from compliance.enforcement.models.fines import (
    Appeal,
    AppealAttachment,
    AppealAttachmentKind,
    Fine,
    FinePayment,
)
from compliance.enforcement.models.verification import Statement, Verification
from compliance.enforcement.models.violations import SweepRun, Violation, ViolationEvent
from compliance.registry.models.business import Business, BusinessClaim, BusinessMembership
from compliance.registry.models.equipment import Equipment
from compliance.registry.models.figures import RegistryFigure
from compliance.registry.models.imports import ImportBatch
from compliance.registry.models.logs import AcMonthlyLog, BoilerMonthlyLog
from compliance.registry.models.premises import Premises
from compliance.rulebook.models.assessments import (
    ArticleStatus,
    ComplianceAssessment,
    PremisesStatus,
)
from compliance.rulebook.models.exemptions import Exemption
from compliance.rulebook.models.versions import RuleBookVersion

__all__ = [
    "AcMonthlyLog",
    "Appeal",
    "AppealAttachment",
    "AppealAttachmentKind",
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
    "DeadlineFigure",
    "EnergyUseBatch",
    "EnforcementDocument",
    "Equipment",
    "EvidenceFile",
    "Exemption",
    "Fine",
    "FineFigure",
    "FinePayment",
    "ImportBatch",
    "MonthlyEnergyUse",
    "OffenderFigure",
    "Premises",
    "PremisesStatus",
    "RectificationEvidence",
    "ReferralStatus",
    "RegistryFigure",
    "RuleBookVersion",
    "Statement",
    "SupplierAccount",
    "SupplierReferral",
    "SweepRun",
    "Verification",
    "Violation",
    "ViolationEvent",
    "ViolationFigure",
]
