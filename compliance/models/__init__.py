"""Models of the regulated registry."""

from compliance.models.business import Business, BusinessClaim, BusinessMembership
from compliance.models.equipment import Equipment
from compliance.models.imports import ImportBatch
from compliance.models.logs import AcMonthlyLog, BoilerMonthlyLog
from compliance.models.premises import Premises

__all__ = [
    "AcMonthlyLog",
    "BoilerMonthlyLog",
    "Business",
    "BusinessClaim",
    "BusinessMembership",
    "Equipment",
    "ImportBatch",
    "Premises",
]
