"""Regulated businesses and the users who act for them (Arts. 1, 2)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import ClaimStatus, Sector
from compliance.registry.querysets import BusinessQuerySet, ClaimQuerySet, OwnedByBusinessQuerySet
from compliance.validators import validate_ubn
from portal.models.decisions import Decision

phone_validator = RegexValidator(
    r"^[0-9+()#\- ]{6,30}$", _("Enter a telephone number (digits, spaces, + - ( ) #).")
)
industry_code_validator = RegexValidator(
    r"^[0-9]{2,4}$",
    _("Enter the 2- to 4-digit code of the Standard Industrial Classification."),
)


class Business(models.Model):
    """A regulated industry or commerce business (Art. 2), named by its 統一編號.

    The responsible person (負責人) is the party the ordinance holds to account (Art. 1).
    """

    ubn = models.CharField(
        _("unified business number"),
        max_length=8,
        unique=True,
        validators=[validate_ubn],
        help_text=_("統一編號: 8 digits."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sector = models.CharField(_("industry or commerce"), max_length=16, choices=Sector.choices)
    industry_code = models.CharField(
        _("industry classification code"),
        max_length=4,
        validators=[industry_code_validator],
        help_text=_("Standard Industrial Classification of the R.O.C., e.g. 4711."),
    )
    industry_label = models.CharField(_("industry classification"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    # Consent to electronic service (APA Art. 86): decisions count as served on the day a
    # member of the business opens them in the portal. Empty: served by mail or in person.
    electronic_service_since = models.DateTimeField(
        _("agreed to electronic service"), null=True, blank=True
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name_zh", "id"]
        # Lists of premises and equipment page on the business name first.
        indexes = [models.Index(fields=["name_zh", "id"], name="business_name")]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.ubn})"

    def get_absolute_url(self) -> str:
        return reverse("business-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.pk

    @property
    def display_name(self) -> str:
        """Return the name in the active language, falling back to Chinese."""
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name_zh


class BusinessMembership(models.Model):
    """A business user acting for a business; a user may act for several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedByBusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("business membership")
        verbose_name_plural = _("business memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "business"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.business}"

    @property
    def owner_business_id(self) -> int:
        return self.business_id


class BusinessClaim(Decision):
    """A request by a business user to act for an already registered business.

    An administrator approves it (creating the membership) or rejects it with a reason.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_claims"
    )
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="claims")
    evidence = models.TextField(
        _("evidence"),
        help_text=_("How you are entitled to act for this business (e.g. your position)."),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.PENDING,
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("business claim")
        verbose_name_plural = _("business claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_user_and_business",
                violation_error_message=_(
                    "Your claim to this business is already waiting for a decision."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ⇢ {self.business} ({self.get_status_display()})"

    @property
    def owner_business_id(self) -> int:
        return self.business_id
