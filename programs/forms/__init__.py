"""Forms of the programme pages: the records officers keep, and the review of proposals."""

from programs.forms.records import (
    CityForm,
    EventForm,
    FundingContributionForm,
    MilestoneForm,
    ParticipationForm,
    ProgrammeForm,
    ProjectForm,
    add_model_errors,
)
from programs.forms.review import (
    AssessmentDecisionForm,
    AssessmentForm,
    ReviewStepForm,
    SchemeChoiceForm,
    ScoreForm,
    ScoringCriterionFormSet,
    ScoringSchemeForm,
)

__all__ = [
    "AssessmentDecisionForm",
    "AssessmentForm",
    "CityForm",
    "EventForm",
    "FundingContributionForm",
    "MilestoneForm",
    "ParticipationForm",
    "ProgrammeForm",
    "ProjectForm",
    "ReviewStepForm",
    "SchemeChoiceForm",
    "ScoreForm",
    "ScoringCriterionFormSet",
    "ScoringSchemeForm",
    "add_model_errors",
]
