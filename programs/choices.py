"""Choices of the programme records; labels are translated, stored values never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeKind(models.TextChoices):
    """What kind of international programme a record belongs to."""

    MODEL_TOWNS = "model_towns", _("Low-carbon model towns")
    MODEL_CITIES = "model_cities", _("Model cities")
    CREDITING_MECHANISM = "crediting_mechanism", _("Crediting mechanism")
    RESEARCH_NETWORK = "research_network", _("Research network")
    OTHER = "other", _("Other programme")


class ParticipationStatus(models.TextChoices):
    """A city's standing in a programme year, as the source states it."""

    SELECTED = "selected", _("Selected")
    CANDIDATE = "candidate", _("Candidate")
    UNDECIDED = "undecided", _("Undecided")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")


class ProjectKind(models.TextChoices):
    """What a project record is."""

    LCMT_MODEL_TOWN = "lcmt_model_town", _("LCMT model-town project")
    REFERENCE_SITE = "reference_site", _("Reference site")
    JCM_EQUIPMENT_SUBSIDY = "jcm_equipment_subsidy", _("JCM equipment-subsidy project")
    JCM_FEASIBILITY_STUDY = "jcm_feasibility_study", _("JCM feasibility study")
    JCM_REGISTERED = "jcm_registered", _("JCM registered project")
    OTHER = "other", _("Other project")


class ProjectStatus(models.TextChoices):
    """Where a proposal stands in review (transitions: :mod:`programs.rules.review`)."""

    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REGISTERED = "registered", _("Registered")
    REFERENCE = "reference", _("Reference only (not a proposal)")


class FrameworkItemType(models.TextChoices):
    """The item types of the programmes' framework tables (criteria and the rest)."""

    PROJECT_CRITERION = "project_criterion", _("Project criterion")
    MODEL_CITY_SUPPORT_CRITERION = "model_city_support_criterion", _("Model-city criterion")
    ESC_GENERAL_CRITERION = "esc_general_criterion", _("ESC general criterion")
    TF_RESPONSIBILITY = "tf_responsibility", _("Task-force responsibility")
    EXPECTED_BENEFIT = "expected_benefit", _("Expected benefit")
    EMM9_OUTCOME = "emm9_outcome", _("EMM9 outcome")
    IMPLEMENTATION_STEP = "implementation_step", _("Implementation step")
    YEAR1_FOCUS_AREA = "year1_focus_area", _("Year-1 focus area")
    YEAR2_FOCUS = "year2_focus", _("Year-2 focus")


# The framework item types that a proposal or participation is assessed against.
CRITERION_TYPES = (
    FrameworkItemType.PROJECT_CRITERION,
    FrameworkItemType.MODEL_CITY_SUPPORT_CRITERION,
    FrameworkItemType.ESC_GENERAL_CRITERION,
)


class AssessmentDecision(models.TextChoices):
    """A reviewer's decision on one criterion."""

    PENDING = "pending", _("Not decided")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class DatePrecision(models.TextChoices):
    """How much of a date the source gives; the stored date is the period's first day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class EventStatus(models.TextChoices):
    """Whether an event took place (or was planned when the source was written)."""

    HELD = "held", _("Held")
    PLANNED = "planned", _("Planned")


class MilestoneKind(models.TextChoices):
    """What a dated milestone of a programme or proposal marks."""

    FUND = "fund", _("Fund")
    DECISION = "decision", pgettext_lazy("programme milestone", "Decision")
    MEETING = "meeting", _("Meeting")
    DEADLINE = "deadline", pgettext_lazy("programme milestone", "Deadline")
    PLAN = "plan", _("Plan")
    OTHER = "other", _("Other")
