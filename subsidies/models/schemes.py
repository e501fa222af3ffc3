"""Art. 14 reward and subsidy schemes, configured as data, and the applications to them.

A :class:`Scheme` row holds what :class:`subsidies.rules.SchemeTerms` needs (the bridge
is :mod:`subsidies.bridge`); an :class:`Application` follows
:mod:`subsidies.rules.workflow`, and every step is an :class:`ApplicationEvent`.
``committed_ntd`` never exceeds ``budget_ntd`` (a check constraint; approvals add to it
with a conditional UPDATE, see :mod:`subsidies.services.applications`).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.registry.querysets import READ_ALL_ROLES
from portal import bounds
from portal.choices import Role
from portal.languages import Named, in_language
from portal.models.decisions import Decided
from portal.uploads import stored_type
from subsidies.choices import ApplicationStatus, SchemeCategoryChoice, document_list
from subsidies.rules.types import REWARD_CATEGORIES


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_scheme_officer(user) -> bool:
    """Return whether ``user`` reviews applications (administrators, programme officers)."""
    return _signed_in(user) and (user.is_administrator or user.role == Role.PROGRAMME_OFFICER)


class SchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published schemes for everyone signed in; all of them for officers."""
        if not _signed_in(user):
            return self.none()
        if is_scheme_officer(user):
            return self
        return self.filter(published=True)


class Scheme(models.Model):
    """One reward or subsidy scheme (Art. 14), its rules set by administrators as data."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_zh_hant = models.CharField(
        _("title in Traditional Chinese"),
        max_length=200,
        blank=True,
        help_text=_("As businesses read it in Chinese, e.g. 節能設備汰換補助."),
    )
    title_en = models.CharField(
        _("title in English"),
        max_length=200,
        blank=True,
        help_text=_("As businesses read it in English; empty: the Chinese title is shown."),
    )
    category = models.CharField(_("category"), max_length=32, choices=SchemeCategoryChoice.choices)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("applications open on"), validators=bounds.date_validators())
    closes_on = models.DateField(
        _("applications close on"), null=True, blank=True, validators=bounds.date_validators()
    )
    budget_ntd = models.PositiveBigIntegerField(
        _("budget (NT$)"), validators=bounds.up_to(bounds.NTD_MAX)
    )
    committed_ntd = models.PositiveBigIntegerField(
        _("committed (NT$)"), default=0, validators=bounds.up_to(bounds.NTD_MAX)
    )
    support_rate_cap = models.DecimalField(
        _("support rate cap"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Share of the eligible cost paid at most, e.g. 0.30 for 30 %."),
        validators=bounds.up_to(bounds.decimal_max(5, 4)),
    )
    project_cap_ntd = models.PositiveBigIntegerField(
        _("cap per project (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )
    business_cap_ntd = models.PositiveBigIntegerField(
        _("cap per business (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )
    minimum_project_cost_ntd = models.PositiveBigIntegerField(
        _("minimum project cost (NT$)"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.NTD_MAX),
    )
    minimum_saving_percent = models.DecimalField(
        _("minimum expected saving (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.decimal_max(5, 2)),
    )
    eligible_items = models.JSONField(_("eligible items"), default=list)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    conditions = models.JSONField(_("eligibility conditions"), default=list, blank=True)
    award_amount_ntd = models.PositiveBigIntegerField(
        _("prize per award (NT$)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), *bounds.up_to(bounds.NTD_MAX)],
        help_text=_(
            "Reward calls only: what each awarded application receives, committed from the "
            "budget when the awards are published. Empty: the award is honorary (a certificate)."
        ),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviewed_schemes",
        verbose_name=_("reviewers"),
        help_text=_(
            "Reward calls only: the programme officers who score the applications "
            "(administrators always may)."
        ),
    )
    published = models.BooleanField(pgettext_lazy("when", "published"), default=False)
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["title_zh_hant", "title_en", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_zh_hant="", title_en=""), name="scheme_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(committed_ntd__lte=F("budget_ntd")),
                name="scheme_committed_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scheme-detail", args=[self.pk])

    @property
    def title(self) -> Named:
        """The title in the reader's language, else the one given (marked with its ``lang``)."""
        return in_language(self.title_zh_hant, self.title_en)

    def title_in(self, language: str) -> Named:
        """The title for a document written in ``language`` (a letter, a certificate)."""
        return in_language(self.title_zh_hant, self.title_en, language)

    @property
    def required_document_names(self) -> str:
        """The required documents by name in the reader's language, listed (、 in Chinese)."""
        return document_list(self.required_documents or ())

    @property
    def remaining_ntd(self) -> int:
        """Return the budget not yet committed to approved applications."""
        return self.budget_ntd - self.committed_ntd

    @property
    def is_reward_call(self) -> bool:
        """Return whether the scheme awards by criteria and ranking (categories 1, 2, 5)."""
        return self.category in REWARD_CATEGORIES

    def clean(self):
        """Refuse terms the eligibility engine would not accept, each on its field.

        A budget below what approved applications (or published prizes) already hold is
        refused on the budget; a prize per award belongs to reward calls only.
        """
        from django.core.exceptions import ValidationError

        from subsidies.models.terms_validation import terms_errors

        errors = terms_errors(self)
        if not (self.title_zh_hant.strip() or self.title_en.strip()):
            errors.setdefault("title_zh_hant", []).append(
                _("Give the scheme a title in Chinese, in English or both.")
            )
        if self.award_amount_ntd is not None and self.category and not self.is_reward_call:
            errors.setdefault("award_amount_ntd", []).append(
                _("Only reward calls pay a prize per award.")
            )
        if errors:
            raise ValidationError(errors)

    def terms(self):
        """Return this scheme as :class:`subsidies.rules.SchemeTerms`."""
        from subsidies.bridge import scheme_terms

        return scheme_terms(self)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers, inspectors and API clients see all; a business user their businesses'."""
        if not _signed_in(user):
            return self.none()
        if is_scheme_officer(user) or user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(business__memberships__user=user)
        return self.none()

    def editable_by(self, user):
        """Return the applications ``user`` may act on as their applicant."""
        if not _signed_in(user):
            return self.none()
        if user.role == Role.BUSINESS and not user.is_superuser:
            return self.filter(business__memberships__user=user)
        return self.none()

    def documents_visible_to(self, user):
        """The applications whose documents ``user`` may read: the applying business's
        members and the officers who review applications (see ApplicationDocument)."""
        if not _signed_in(user):
            return self.none()
        if is_scheme_officer(user) or user.is_superuser:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(business__memberships__user=user)
        return self.none()

    def committed(self):
        """Applications whose amount holds part of their scheme's budget."""
        return self.filter(
            status__in=[
                ApplicationStatus.APPROVED,
                ApplicationStatus.INSTALLATION_VERIFIED,
                ApplicationStatus.DISBURSED,
            ]
        )


def _user_fk(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


class Application(Decided):
    """A business applies to a scheme for a project (Art. 14)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("scheme")
    )
    business = models.ForeignKey(
        "compliance.Business",
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        verbose_name=_("business"),
    )
    premises = models.ForeignKey(
        "compliance.Premises",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidy_applications",
        verbose_name=_("premises"),
    )
    violation = models.ForeignKey(
        "compliance.Violation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidy_applications",
        verbose_name=_("violation it fixes"),
    )
    items = models.JSONField(_("items"), default=list)
    description = models.TextField(_("project description"), blank=True)
    eligible_cost_ntd = models.PositiveBigIntegerField(
        _("eligible cost (NT$)"), validators=bounds.up_to(bounds.NTD_MAX)
    )
    expected_saving_percent = models.DecimalField(
        _("expected saving (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.decimal_max(5, 2)),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=32,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    eligible_amount_ntd = models.PositiveBigIntegerField(
        _("eligible amount at submission (NT$)"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.NTD_MAX),
    )
    approved_amount_ntd = models.PositiveBigIntegerField(
        _("approved amount (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )
    verified_amount_ntd = models.PositiveBigIntegerField(
        _("verified amount (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )
    measured_saving_percent = models.DecimalField(
        _("measured saving (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.decimal_max(5, 2)),
    )
    rejection_reasons = models.JSONField(_("reasons for rejection"), default=list, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    created_by = _user_fk(_("created by"))
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    submitted_by = _user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(pgettext_lazy("when", "submitted"), null=True, blank=True)
    verified_by = _user_fk(pgettext_lazy("installation check", "verified by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    disbursed_by = _user_fk(_("disbursed by"))
    disbursed_at = models.DateTimeField(_("disbursed"), null=True, blank=True)
    withdrawn_by = _user_fk(_("withdrawn by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="application_idempotency_key_per_business",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.business} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("application-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.business_id


class ApplicationDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The applying business's members and the officers who review applications.

        Narrower than the application itself: inspectors and the City's read-only API
        clients see that an application exists, not the quotations and invoices behind it.
        """
        return self.filter(application__in=Application.objects.documents_visible_to(user))


class ApplicationDocument(models.Model):
    """A document supporting an application, of a kind the scheme may require."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    file = models.FileField(_("file"), upload_to="subsidies/applications/%Y/%m/", blank=True)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    uploaded_by = _user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ApplicationDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("application-document-file", args=[self.pk])

    @property
    def content_type(self) -> str:
        """The type checked on upload, which chose the stored name's extension."""
        return stored_type(self.file.name)


class ApplicationEvent(models.Model):
    """One step of an application: from which state to which, who, when and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=32, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=32, choices=ApplicationStatus.choices
    )
    actor = _user_fk(pgettext_lazy("status change", "by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    amount_ntd = models.PositiveBigIntegerField(
        _("amount (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
