"""The rule book: effective-dated versions of every parameter the ordinance delegates.

Arts. 5-5, 5-3, 5-4, 6-1, 6-2, 8-1, 8-2 leave their numbers to announcements; Arts. 10-4,
10-5, 12, 15-18, 19 and 20 leave the City its deadlines, targets, thresholds, penalty
schedules and dates. A version holds all of them as the rule engine's parameters
(``compliance.rules.params_to_dict``); ``compliance/rulebook/bridge.py`` is the only bridge.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from compliance.choices import RuleBookStatus
from portal import bounds


class RuleBookQuerySet(models.QuerySet):
    """Everyone signed in may read published versions; administrators also drafts."""

    def published(self):
        return self.filter(status=RuleBookStatus.PUBLISHED)

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        return self.published()

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self.filter(status=RuleBookStatus.DRAFT)

    def in_force_on(self, day):
        """Return the published version in force on ``day`` (latest effective_from ≤ day)."""
        return self.published().filter(effective_from__lte=day).order_by("-effective_from").first()


class PublishedVersionIsFrozen(ValidationError):
    """Raised on any attempt to change or delete a published version."""


class RuleBookVersion(models.Model):
    """One set of the announced parameters, in force from ``effective_from``.

    A draft is edited freely by administrators; publishing freezes it for good (the
    database refuses later updates too). The version in force on a date is the
    published one with the latest ``effective_from`` on or before it; two published
    versions never share an ``effective_from``.
    """

    title = models.CharField(_("title"), max_length=200)
    announcement = models.CharField(
        _("announcement reference"),
        max_length=200,
        blank=True,
        help_text=_("The City's announcement or document number, e.g. 府產業字第…號."),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=RuleBookStatus.choices,
        default=RuleBookStatus.DRAFT,
    )
    effective_from = models.DateField(_("in force from"), validators=bounds.date_validators())
    parameters = models.JSONField(_("parameters"))
    note = models.TextField(_("note"), blank=True)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(pgettext_lazy("when", "published"), null=True, blank=True)
    number = models.PositiveIntegerField(
        pgettext_lazy("ordinal number", "number"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The published number (1 for the first version published, then 2, …), given at "
            "publication and never changed; a draft has none."
        ),
        validators=bounds.up_to(bounds.INTEGER_MAX),
    )

    objects = RuleBookQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule book version")
        verbose_name_plural = _("rule book versions")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(status="published"),
                name="one_published_version_per_day",
                violation_error_message=_(
                    "Another published version already takes effect on this day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(published_at__isnull=False) & Q(status="published")),
                name="published_version_has_publication_time",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="one_version_per_number",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(number__gte=1) & Q(status="published")),
                name="only_published_versions_are_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from:%Y-%m-%d}, {self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self._stored_status() == RuleBookStatus.PUBLISHED:
            raise PublishedVersionIsFrozen(
                _("A published rule book version cannot be changed; draft a new version.")
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("rulebook-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self._stored_status() == RuleBookStatus.PUBLISHED:
            raise PublishedVersionIsFrozen(_("A published rule book version cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def reference(self) -> str:
        """Name the version to a reader, in the active language: its number and title.

        「規則參數第1版（title）」 / "rule book no. 1 (title)"; a version without a number
        (a draft) by its title alone. Never by its database id.
        """
        if self.number is None:
            return self.title
        return gettext("rule book no. %(number)s (%(title)s)") % {
            "number": self.number,
            "title": self.title,
        }

    @property
    def is_published(self) -> bool:
        return self.status == RuleBookStatus.PUBLISHED

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
