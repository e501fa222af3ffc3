"""Art. 13 service teams: teams of experts by industry, and the help businesses ask of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import Sector
from compliance.registry.querysets import READ_ALL_ROLES
from portal import bounds
from portal.choices import Role
from subsidies.choices import ServiceRequestStatus


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ServiceTeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone signed in reads the teams."""
        return self if _signed_in(user) else self.none()

    def editable_by(self, user):
        """Only administrators change the teams."""
        return self if _signed_in(user) and user.is_administrator else self.none()


class ServiceTeam(models.Model):
    """A team of experts the city sends to help businesses of one industry (Art. 13)."""

    name = models.CharField(pgettext_lazy("name of a thing", "name"), max_length=200)
    industry = models.CharField(_("industry or commerce"), max_length=16, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(pgettext_lazy("state of a record", "active"), default=True)
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)

    objects = ServiceTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("service-team-detail", args=[self.pk])


class TeamExpertQuerySet(models.QuerySet):
    def current(self):
        """Return the experts still on their team (not removed)."""
        return self.filter(removed_at__isnull=True)


class TeamExpert(models.Model):
    """An expert of a service team (Art. 13); one with a user account records consultations.

    Removing an expert keeps the row (with who removed it, when and why), so the
    consultations the expert attended still name them; a removed expert's account no
    longer sees or records the team's requests.
    """

    team = models.ForeignKey(
        ServiceTeam, on_delete=models.CASCADE, related_name="experts", verbose_name=_("team")
    )
    name = models.CharField(pgettext_lazy("name of a thing", "name"), max_length=100)
    expertise = models.CharField(_("expertise"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_roles",
        verbose_name=_("user account"),
        help_text=_("An expert with an account may record the team's consultations."),
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for the removal"), blank=True)

    objects = TeamExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.expertise})"


def _teams_of_expert(user):
    """Return the teams ``user`` is a current (not removed) expert of."""
    return ServiceTeam.objects.filter(experts__user=user, experts__removed_at__isnull=True)


class ServiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the requests ``user`` may see.

        City staff and API clients see all; a business user those of their businesses;
        an expert with an account those assigned to their team.
        """
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(business__memberships__user=user)
        return self.filter(team__in=_teams_of_expert(user))

    def editable_by(self, user):
        """Return the requests ``user`` may act on as their business (or an administrator)."""
        if not _signed_in(user):
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(business__memberships__user=user)
        return self.none()

    def consultable_by(self, user):
        """Return the requests whose consultation ``user`` may record."""
        if not _signed_in(user):
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(team__in=_teams_of_expert(user))


class ServiceRequest(models.Model):
    """A business asks a service team for help, e.g. to fix a violation (Art. 13)."""

    business = models.ForeignKey(
        "compliance.Business",
        on_delete=models.CASCADE,
        related_name="service_requests",
        verbose_name=_("business"),
    )
    premises = models.ForeignKey(
        "compliance.Premises",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("premises"),
    )
    violation = models.ForeignKey(
        "compliance.Violation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("violation"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what you need help with"))
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ServiceRequestStatus.choices,
        default=ServiceRequestStatus.REQUESTED,
    )
    team = models.ForeignKey(
        ServiceTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("assigned team"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    assignment_reason = models.TextField(_("reason for the assignment"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(pgettext_lazy("when", "closed"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("service-request-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.business_id


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the consultations of the requests ``user`` may see."""
        return self.filter(request__in=ServiceRequest.objects.visible_to(user))


class Consultation(models.Model):
    """A team's consultation of a request: what it found and what it recommends."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("service request"),
    )
    held_on = models.DateField(_("held on"), validators=bounds.date_validators())
    experts = models.ManyToManyField(
        TeamExpert, blank=True, related_name="consultations", verbose_name=_("experts present")
    )
    findings = models.TextField(pgettext_lazy("service team visit", "findings"))
    recommendations = models.TextField(_("recommendations"))
    follow_up_due = models.DateField(
        _("follow-up due"), null=True, blank=True, validators=bounds.date_validators()
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.request.topic} · {self.held_on:%Y-%m-%d}"

    @property
    def owner_business_id(self) -> int:
        return self.request.business_id
