"""The review of a programme proposal as one transition table (pure, no Django).

draft → under review (submit) → approved or rejected (approve, reject); a proposal under
review may be returned to draft; an approved JCM project may be registered. Rejecting
and returning need a reason. States are the stored values of ``ProjectStatus``.
"""

from __future__ import annotations

DRAFT = "draft"
UNDER_REVIEW = "under_review"
APPROVED = "approved"
REJECTED = "rejected"
REGISTERED = "registered"

SUBMIT = "submit"
APPROVE = "approve"
REJECT = "reject"
RETURN = "return"
REGISTER = "register"

TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMIT): UNDER_REVIEW,
    (UNDER_REVIEW, APPROVE): APPROVED,
    (UNDER_REVIEW, REJECT): REJECTED,
    (UNDER_REVIEW, RETURN): DRAFT,
    (APPROVED, REGISTER): REGISTERED,
}
STEPS = (SUBMIT, APPROVE, REJECT, RETURN, REGISTER)
REASON_REQUIRED = frozenset({REJECT, RETURN})


class StepNotAllowed(ValueError):
    """The step cannot be taken from the proposal's current state."""


def next_status(current: str, step: str) -> str:
    """Return the state ``step`` leads to from ``current``; raise if it is not allowed."""
    try:
        return TRANSITIONS[(current, step)]
    except KeyError:
        raise StepNotAllowed(f"{step} is not allowed from {current}") from None


def available_steps(current: str) -> list[str]:
    """Return the steps that can be taken from ``current``, in table order."""
    return [step for (state, step) in TRANSITIONS if state == current]
