"""Services: every change of a programme record, in one transaction, audited.

Views, API views, the admin and the import call these; they check who may act.
"""

from programs.services.proposals import (
    decide_criterion,
    ranking,
    score_proposal,
    take_review_step,
)
from programs.services.records import publish, save_record, unpublish

__all__ = [
    "decide_criterion",
    "publish",
    "ranking",
    "save_record",
    "score_proposal",
    "take_review_step",
    "unpublish",
]
