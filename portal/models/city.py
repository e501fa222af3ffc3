"""The City's procedural settings that administrators change (not the ordinance's rules).

The ordinance's figures are the rule book's (``compliance``): effective-dated and frozen
once published. These are how the Department works — how far a visit's recorded times may
lie from its planned day, and the like — changed on a page, each change audited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SETTINGS_ROW = 1
DEFAULT_DOCUMENT_PREFIX = "TPE-EC"
DOCUMENT_PREFIX_MIN_LENGTH = 2
DOCUMENT_PREFIX_MAX_LENGTH = 20

# Letters (A-Z, a-z), digits and dashes, neither starting nor ending with a dash: the
# prefix begins every document number (TPE-EC-N-2026-0000123) and its file name.
document_prefix_validators = [
    MinLengthValidator(DOCUMENT_PREFIX_MIN_LENGTH),
    RegexValidator(
        r"\A[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z",
        _(
            "Use letters (A-Z), digits and dashes only, beginning and ending with a "
            "letter or a digit."
        ),
        code="invalid_document_prefix",
    ),
]


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
    document_prefix = models.CharField(
        _("document-number prefix"),
        max_length=DOCUMENT_PREFIX_MAX_LENGTH,
        default=DEFAULT_DOCUMENT_PREFIX,
        validators=document_prefix_validators,
        help_text=_(
            "The beginning of every number the City gives a document (notices, penalty "
            "decisions, inspection reports, approval letters, award certificates), e.g. "
            "TPE-EC in TPE-EC-N-2026-0000123. A change applies to the numbers given "
            "afterwards; numbers already issued never change."
        ),
    )
    appeal_forward_days = models.PositiveSmallIntegerField(
        _("days to forward an appeal"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "An appeal the Department does not grant itself is forwarded with its reply to "
            "the City Government within this many days of receipt (AAA Art. 58)."
        ),
    )
    authority_name = models.CharField(
        _("issuing authority"),
        max_length=100,
        default="臺北市政府產業發展局",
        help_text=_("The authority that issues notices and decisions, as printed on them."),
    )
    appeal_body_name = models.CharField(
        _("appeal body"),
        max_length=100,
        default="臺北市政府",
        help_text=_("Where appeals against the authority's decisions lie (AAA Art. 4)."),
    )
    head_title = models.CharField(
        _("title of the head of the authority"), max_length=60, default="局長"
    )
    head_name = models.CharField(
        _("name of the head of the authority"),
        max_length=60,
        blank=True,
        help_text=_("Printed on notices, which the head of the authority issues."),
    )
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)
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

    @classmethod
    def document_prefix_in_force(cls) -> str:
        """Return the prefix of the document numbers allocated now (one query, no write)."""
        prefix = (
            cls.objects.filter(pk=SETTINGS_ROW).values_list("document_prefix", flat=True).first()
        )
        return prefix or DEFAULT_DOCUMENT_PREFIX
