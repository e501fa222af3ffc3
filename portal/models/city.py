"""The City's procedural settings that administrators change (not the ordinance's rules).

The ordinance's figures are the rule book's (``compliance``): effective-dated and frozen
once published. These are how the Department works — how far a visit's recorded times may
lie from its planned day, and the like — changed on a page, each change audited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SETTINGS_ROW = 1


class CitySettings(models.Model):
    """The one row of the City's procedural settings."""

    visit_tolerance_days = models.PositiveSmallIntegerField(
        _("days a visit may lie from its planned day"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "A visit's arrival and departure must lie within this many days before or after "
            "the inspection's planned day (and never before the inspection was created nor "
            "in the future)."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("City settings")
        verbose_name_plural = _("City settings")

    def __str__(self) -> str:
        return str(_("City settings"))

    @classmethod
    def current(cls) -> CitySettings:
        """Return the settings (the defaults until an administrator changes them)."""
        row, _created = cls.objects.get_or_create(pk=SETTINGS_ROW)
        return row
