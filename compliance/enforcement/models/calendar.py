"""The authority's working calendar: the days an administrator declared (APA Art. 48).

Taiwan's national holidays, their observed days and make-up workdays come from the pinned
``holidays`` package (the Directorate-General of Personnel Administration's calendar as
published); these rows are what the City adds or changes on top: a typhoon day off, a
national holiday the Department works through, a late change to the national calendar.
A period whose last day falls on a day the authority is closed ends on its next working
day (``compliance.rules.working_calendar``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds


class CalendarDayKind(models.TextChoices):
    """Whether the Department is closed or open on a declared day."""

    REST_DAY = "rest_day", pgettext_lazy("working calendar", "Day off")
    WORKDAY = "workday", pgettext_lazy("working calendar", "Working day")


class CalendarDay(models.Model):
    """A day an administrator declared off or open, overriding the national calendar."""

    day = models.DateField(_("day"), unique=True, validators=bounds.date_validators())
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    reason = models.TextField(
        _("reason"), help_text=_("Why, and the announcement it follows (its number and date).")
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("declared calendar day")
        verbose_name_plural = _("declared calendar days")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name_zh}"
