"""Models of the subsidies app (Chapter 3)."""

from subsidies.models.certificates import AwardCertificate
from subsidies.models.letters import ApprovalLetter
from subsidies.models.rewards import AwardPublication, ReviewScore, RewardCriterion
from subsidies.models.schemes import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Scheme,
    SchemeCategoryChoice,
)
from subsidies.models.service_teams import (
    Consultation,
    ServiceRequest,
    ServiceRequestStatus,
    ServiceTeam,
    TeamExpert,
)

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationStatus",
    "ApprovalLetter",
    "AwardCertificate",
    "AwardPublication",
    "Consultation",
    "ReviewScore",
    "RewardCriterion",
    "Scheme",
    "SchemeCategoryChoice",
    "ServiceRequest",
    "ServiceRequestStatus",
    "ServiceTeam",
    "TeamExpert",
]
