"""Models of the programmes app: records of international low-carbon programmes (issue 7).

Split by aggregate: ``records`` (the shared base and visibility), ``programmes``
(programmes, organisations, funds), ``places`` (countries, cities, partner countries),
``participation`` (cities in programme years, city-to-city collaborations), ``projects``
(projects and proposals, their review steps), ``criteria`` (framework items, criteria,
assessments), ``scoring`` (weighted scoring of proposals), ``activities`` (events,
milestones, funding contributions, key figures).
"""

from programs.models.activities import Event, FundingContribution, KeyFigure, Milestone
from programs.models.criteria import Criterion, CriterionAssessment, FrameworkItem
from programs.models.participation import CityCollaboration, Participation
from programs.models.places import City, Country, PartnerCountry
from programs.models.programmes import Fund, Organisation, Programme
from programs.models.projects import Project, ReviewStep
from programs.models.records import (
    ProgrammeRecord,
    ProgrammeRecordQuerySet,
    is_programme_staff,
    note_is_uncertain,
)
from programs.models.scoring import ProposalScore, ScoringCriterion, ScoringScheme

__all__ = [
    "City",
    "CityCollaboration",
    "Country",
    "Criterion",
    "CriterionAssessment",
    "Event",
    "FrameworkItem",
    "Fund",
    "FundingContribution",
    "KeyFigure",
    "Milestone",
    "Organisation",
    "Participation",
    "PartnerCountry",
    "Programme",
    "ProgrammeRecord",
    "ProgrammeRecordQuerySet",
    "Project",
    "ProposalScore",
    "ReviewStep",
    "ScoringCriterion",
    "ScoringScheme",
    "is_programme_staff",
    "note_is_uncertain",
]
