"""The audit log: who changed what, when, why, with the values before and after."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import AuditAction


class AuditEntry(models.Model):
    """One attributable change of state (ordinance: every legal act is explainable).

    Written by services in the same transaction as the change. ``actor`` is empty for
    scheduled jobs, which name themselves in ``actor_label``.
    """

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    # Looked up together (a record's history): the composite index below serves both; an
    # index on each alone only slowed every write of the log, the largest table.
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The business the record belongs to, so a business can see its own history.
    business_id = models.BigIntegerField(_("business id"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-timestamp"])]

    def __str__(self) -> str:
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def readable_changes(self) -> list[tuple[str, object, object]]:
        """Return (field label, before, after) with choice values shown by their labels."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        rows = []
        for name, (before, after) in self.changes.items():
            field = fields.get(name)
            if field is None:
                rows.append((name, before, after))
                continue
            choices = dict(field.flatchoices) if field.choices else {}
            rows.append(
                (
                    str(field.verbose_name),
                    choices.get(before, before),
                    choices.get(after, after),
                )
            )
        return rows
