"""The life of a subsidy application (Art. 14) as one explicit transition table.

An applicant prepares a **draft** and **submits** it; an officer takes it **under
review**, may ask for **more information** (the applicant **resubmits**, and the officer
takes it up again or asks once more), and then **approves** it with an amount or
**rejects** it with reasons. After the installation is checked (evidence, and the
measured saving where the register has it) it is **installation verified**, with the
approved amount kept or reduced, never raised; then it is **disbursed**. The applicant
may **withdraw** at any point before approval.

Pure code: no Django, no clock. Services call :func:`next_status` before they change a
row, with the amounts and reasons the guards need.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    MORE_INFORMATION_REQUESTED = "more_information_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    INSTALLATION_VERIFIED = "installation_verified"
    DISBURSED = "disbursed"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    # The applicant sends the draft.
    SUBMIT = "submit"
    # An officer takes up a submitted or resubmitted application.
    START_REVIEW = "start_review"
    # An officer asks the applicant for more information.
    REQUEST_INFORMATION = "request_information"
    # The applicant answers the request.
    RESUBMIT = "resubmit"
    # An officer approves with an amount (at most the eligible amount).
    APPROVE = "approve"
    # An officer rejects with reasons.
    REJECT = "reject"
    # An officer confirms the installation, keeping or reducing the approved amount.
    VERIFY_INSTALLATION = "verify_installation"
    # The verified amount is paid out.
    DISBURSE = "disburse"
    # The applicant withdraws before approval.
    WITHDRAW = "withdraw"


BEFORE_APPROVAL = (
    State.DRAFT,
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.MORE_INFORMATION_REQUESTED,
    State.RESUBMITTED,
)
# The applicant's documents change only while the application is in the applicant's
# hands: a draft, or one returned for more information. Once submitted, officers review
# what was sent, so nothing is added behind their back or taken away from under them.
DOCUMENTS_OPEN = (State.DRAFT, State.MORE_INFORMATION_REQUESTED)

TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.START_REVIEW): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, Action.REQUEST_INFORMATION): State.MORE_INFORMATION_REQUESTED,
    (State.MORE_INFORMATION_REQUESTED, Action.RESUBMIT): State.RESUBMITTED,
    (State.RESUBMITTED, Action.START_REVIEW): State.UNDER_REVIEW,
    (State.RESUBMITTED, Action.REQUEST_INFORMATION): State.MORE_INFORMATION_REQUESTED,
    (State.UNDER_REVIEW, Action.APPROVE): State.APPROVED,
    (State.UNDER_REVIEW, Action.REJECT): State.REJECTED,
    (State.APPROVED, Action.VERIFY_INSTALLATION): State.INSTALLATION_VERIFIED,
    (State.INSTALLATION_VERIFIED, Action.DISBURSE): State.DISBURSED,
    **{(state, Action.WITHDRAW): State.WITHDRAWN for state in BEFORE_APPROVAL},
}

FINAL_STATES = frozenset({State.REJECTED, State.DISBURSED, State.WITHDRAWN})
# States whose amount holds part of the scheme's budget (committed).
COMMITTED_STATES = frozenset({State.APPROVED, State.INSTALLATION_VERIFIED, State.DISBURSED})


class IllegalTransition(ValueError):
    """An action the table does not allow from a state, or whose guard does not hold.

    ``why`` is a TRANSITION_MESSAGES key.
    """

    def __init__(self, state: str, action: str, why: str = "not_allowed") -> None:
        self.state = State(state)
        self.action = Action(action)
        self.why = why
        super().__init__(f"{action} is not allowed from {state} ({why})")


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_amount(state: State, action: Action, amount: object, ceiling: object, over: str):
    if amount is None or not _is_whole(amount):
        raise IllegalTransition(state, action, "amount_missing")
    if amount <= 0:
        raise IllegalTransition(state, action, "amount_not_positive")
    if ceiling is None or not _is_whole(ceiling):
        raise IllegalTransition(state, action, "amount_missing")
    if amount > ceiling:
        raise IllegalTransition(state, action, over)


def next_status(
    state: str,
    action: str,
    *,
    amount_ntd: int | None = None,
    eligible_amount_ntd: int | None = None,
    approved_amount_ntd: int | None = None,
    reasons: Sequence[str] = (),
) -> State:
    """Return the state ``action`` leads to from ``state``; IllegalTransition otherwise.

    Guards: APPROVE needs ``0 < amount_ntd <= eligible_amount_ntd`` (the eligibility
    decision's supported amount, read again when approving); REJECT needs at least one
    non-blank entry in ``reasons``; VERIFY_INSTALLATION needs ``0 < amount_ntd <=
    approved_amount_ntd`` (kept or reduced, never raised). Amounts are whole NT$.
    """
    state, action = State(state), Action(action)
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise IllegalTransition(state, action)
    if action is Action.APPROVE:
        _check_amount(state, action, amount_ntd, eligible_amount_ntd, "amount_above_eligible")
    elif action is Action.VERIFY_INSTALLATION:
        _check_amount(state, action, amount_ntd, approved_amount_ntd, "amount_raised")
    elif action is Action.REJECT and not any(reason.strip() for reason in reasons):
        raise IllegalTransition(state, action, "reasons_missing")
    return target


def allowed_actions(state: str) -> tuple[Action, ...]:
    """Return the actions the table allows from ``state`` (guards aside)."""
    return tuple(action for (source, action) in TRANSITIONS if source == State(state))


def all_pairs() -> Iterator[tuple[State, Action]]:
    """Yield every (state, action) pair, allowed or not, for exhaustive tests."""
    for state in State:
        for action in Action:
            yield state, action
