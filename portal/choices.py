"""Choices owned by the portal app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a user account is for; decides what it may see and change."""

    ADMINISTRATOR = "administrator", _("Administrator")
    INSPECTOR = "inspector", _("Inspector")
    BUSINESS = "business", _("Business user")
    ENERGY_SUPPLIER = "energy_supplier", _("Energy supplier")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    API_CLIENT = "api_client", _("Read-only API client")


class AuditAction(models.TextChoices):
    """What happened to a record."""

    CREATE = "create", pgettext_lazy("when", "Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    IMPORT = "import", pgettext_lazy("audit action", "Imported")
    LOGIN_LOCKED = "login_locked", _("Login locked out")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")


class RenderStatus(models.TextChoices):
    """A rendered document is a long job: waiting, being rendered, ready, or failed."""

    PENDING = "pending", _("Waiting to be rendered")
    RENDERING = "rendering", _("Being rendered")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
