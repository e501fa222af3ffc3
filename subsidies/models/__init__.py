"""Models of the subsidies app (Chapter 3)."""

from subsidies.models.service_teams import (
    Consultation,
    ServiceRequest,
    ServiceRequestStatus,
    ServiceTeam,
    TeamExpert,
)

__all__ = ["Consultation", "ServiceRequest", "ServiceRequestStatus", "ServiceTeam", "TeamExpert"]
