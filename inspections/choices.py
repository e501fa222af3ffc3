"""Choices of the inspections app (Art. 10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionStatus(models.TextChoices):
    """Where a planned inspection stands."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused, evaded or obstructed")
    CANCELLED = "cancelled", _("Cancelled")


# Inspections still to be made: they count towards an inspector's load and may be changed.
OPEN_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)


class InspectionPurpose(models.TextChoices):
    """Why an inspection is made."""

    ROUTINE = "routine", _("Routine (Art. 10-5 targets)")
    REINSPECTION = "reinspection", _("Re-inspection at a rectification deadline")
    COMPLAINT = "complaint", _("Complaint or referral")


class AssignmentRole(models.TextChoices):
    """Who goes on a visit (Arts. 10-2, 10-3)."""

    LEAD = "lead", _("Lead inspector")
    INSPECTOR = "inspector", _("Inspector")


class ReportStatus(models.TextChoices):
    """A report's statuses as its page words them: :class:`portal.choices.RenderStatus`'s values."""

    PENDING = "pending", pgettext_lazy("report status", "Pending")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class CheckResult(models.TextChoices):
    """What the inspector saw of one checklist item."""

    CONFIRMED = "confirmed", _("As declared")
    DIFFERENT = "different", _("Differs from the declaration")
    NOT_SEEN = "not_seen", _("Not seen")
