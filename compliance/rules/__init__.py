"""The rule engine: the ordinance's obligations as pure functions (Arts. 5-10, 15-20).

Standard library only, no clock, no floats. ``compliance/rulebook.py`` converts
database rows to these types; services call :func:`assess` and the penalty helpers.
Read next to ``spec/ordinance.md``: every check's docstring names its article and
states the reading of the text it implements.
"""

from compliance.rules.assess import CHECKS, assess
from compliance.rules.exemptions import (
    GRACE_ARTICLES,
    existed_on_effective_date,
    grant_applies,
    grant_last_day,
    in_force,
    in_grace,
)
from compliance.rules.facts import (
    AcLogFacts,
    AirConditionerFacts,
    ArcadeMeasurement,
    BoilerFacts,
    BoilerLogFacts,
    ChillerFacts,
    EntranceFacts,
    ExemptionGrant,
    Facts,
    IlluminanceMeasurement,
    InspectionFacts,
    LightingFacts,
    PremisesFacts,
    SignboardFacts,
)
from compliance.rules.messages import (
    EXEMPTION_MESSAGES,
    FINDING_MESSAGES,
    PARAMETER_MESSAGES,
    render_finding,
    render_parameter_message,
)
from compliance.rules.obligations.boilers import check_8_1, check_8_2
from compliance.rules.obligations.conduct import check_9, check_10_1
from compliance.rules.obligations.cooling import (
    check_5_1,
    check_5_2,
    check_5_3,
    check_5_4,
    check_5_5,
)
from compliance.rules.obligations.lighting import check_6_1, check_6_2, check_6_3, check_7
from compliance.rules.params import (
    EfficiencyStandard,
    EnergyUseThreshold,
    IlluminanceStandard,
    InspectionTargetCriteria,
    ParametersOn,
    PenaltySchedule,
    RectificationPeriod,
    RuleParameters,
    initial_parameters,
)
from compliance.rules.penalties import (
    PENALTY_ARTICLE_FOR,
    RECTIFIABLE_ARTICLES,
    STATUTORY_FINE_RANGE_NTD,
    PenaltyScheduleError,
    fine_for,
    penalty_article_for,
    rectification_deadline,
)
from compliance.rules.periods import grace_last_day
from compliance.rules.serialization import finding_to_dict, params_from_dict, params_to_dict
from compliance.rules.targeting import is_inspection_target
from compliance.rules.types import (
    ADVISORY_ARTICLES,
    ARTICLES,
    ArticleResult,
    Assessment,
    Exemption,
    Finding,
    Outcome,
    ParameterError,
)
from compliance.rules.validation import validate_parameters

__all__ = [
    "ADVISORY_ARTICLES",
    "ARTICLES",
    "CHECKS",
    "EXEMPTION_MESSAGES",
    "FINDING_MESSAGES",
    "GRACE_ARTICLES",
    "PARAMETER_MESSAGES",
    "PENALTY_ARTICLE_FOR",
    "RECTIFIABLE_ARTICLES",
    "STATUTORY_FINE_RANGE_NTD",
    "AcLogFacts",
    "AirConditionerFacts",
    "ArcadeMeasurement",
    "ArticleResult",
    "Assessment",
    "BoilerFacts",
    "BoilerLogFacts",
    "ChillerFacts",
    "EfficiencyStandard",
    "EnergyUseThreshold",
    "EntranceFacts",
    "Exemption",
    "ExemptionGrant",
    "Facts",
    "Finding",
    "IlluminanceMeasurement",
    "IlluminanceStandard",
    "InspectionFacts",
    "InspectionTargetCriteria",
    "LightingFacts",
    "Outcome",
    "ParameterError",
    "ParametersOn",
    "PenaltySchedule",
    "PenaltyScheduleError",
    "PremisesFacts",
    "RectificationPeriod",
    "RuleParameters",
    "SignboardFacts",
    "assess",
    "check_5_1",
    "check_5_2",
    "check_5_3",
    "check_5_4",
    "check_5_5",
    "check_6_1",
    "check_6_2",
    "check_6_3",
    "check_7",
    "check_8_1",
    "check_8_2",
    "check_9",
    "check_10_1",
    "existed_on_effective_date",
    "finding_to_dict",
    "fine_for",
    "grace_last_day",
    "grant_applies",
    "grant_last_day",
    "in_force",
    "in_grace",
    "initial_parameters",
    "is_inspection_target",
    "params_from_dict",
    "params_to_dict",
    "penalty_article_for",
    "rectification_deadline",
    "render_finding",
    "render_parameter_message",
    "validate_parameters",
]
