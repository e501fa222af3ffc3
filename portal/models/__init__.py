"""Models of the portal app."""

from portal.models.audit import AuditChainVerification, AuditEntry
from portal.models.city import CitySettings
from portal.models.jobs import TaskRun
from portal.models.outbox import OutboxMessage
from portal.models.security import ApiToken, LoginFailure
from portal.models.users import User

__all__ = [
    "ApiToken",
    "AuditChainVerification",
    "AuditEntry",
    "CitySettings",
    "LoginFailure",
    "OutboxMessage",
    "TaskRun",
    "User",
]
