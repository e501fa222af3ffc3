"""The application workflow (Art. 14): every allowed and every forbidden transition."""

from decimal import Decimal

import pytest

from subsidies.rules import TRANSITION_MESSAGES
from subsidies.rules.workflow import (
    BEFORE_APPROVAL,
    COMMITTED_STATES,
    FINAL_STATES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    State,
    all_pairs,
    allowed_actions,
    next_status,
)

S, A = State, Action

ALLOWED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.REQUEST_INFORMATION): S.MORE_INFORMATION_REQUESTED,
    (S.MORE_INFORMATION_REQUESTED, A.RESUBMIT): S.RESUBMITTED,
    (S.RESUBMITTED, A.START_REVIEW): S.UNDER_REVIEW,
    (S.RESUBMITTED, A.REQUEST_INFORMATION): S.MORE_INFORMATION_REQUESTED,
    (S.UNDER_REVIEW, A.APPROVE): S.APPROVED,
    (S.UNDER_REVIEW, A.REJECT): S.REJECTED,
    (S.APPROVED, A.VERIFY_INSTALLATION): S.INSTALLATION_VERIFIED,
    (S.INSTALLATION_VERIFIED, A.DISBURSE): S.DISBURSED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.UNDER_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.MORE_INFORMATION_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RESUBMITTED, A.WITHDRAW): S.WITHDRAWN,
}

# Guard arguments that satisfy every action's guard.
SATISFIED = {
    "amount_ntd": 100_000,
    "eligible_amount_ntd": 100_000,
    "approved_amount_ntd": 100_000,
    "reasons": ("Saving not demonstrated.",),
}


def test_the_table_is_exactly_the_documented_one():
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("state", "action"), sorted(ALLOWED))
def test_every_allowed_transition_leads_to_its_state(state, action):
    assert next_status(state, action, **SATISFIED) is ALLOWED[(state, action)]
    assert next_status(state.value, action.value, **SATISFIED) is ALLOWED[(state, action)]


FORBIDDEN = sorted(pair for pair in all_pairs() if pair not in ALLOWED)


def test_every_pair_is_either_allowed_or_forbidden():
    assert len(ALLOWED) + len(FORBIDDEN) == len(State) * len(Action) == 90


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_every_forbidden_transition_is_refused_even_with_guards_satisfied(state, action):
    with pytest.raises(IllegalTransition) as caught:
        next_status(state, action, **SATISFIED)
    assert (caught.value.state, caught.value.action, caught.value.why) == (
        state,
        action,
        "not_allowed",
    )


@pytest.mark.parametrize("state", list(BEFORE_APPROVAL))
def test_the_applicant_may_withdraw_at_any_point_before_approval(state):
    assert next_status(state, A.WITHDRAW) is S.WITHDRAWN


@pytest.mark.parametrize("state", [s for s in State if s not in BEFORE_APPROVAL])
def test_no_withdrawal_from_approval_on(state):
    with pytest.raises(IllegalTransition):
        next_status(state, A.WITHDRAW)


@pytest.mark.parametrize(
    ("amount", "eligible", "why"),
    [
        (None, 100_000, "amount_missing"),
        (True, 100_000, "amount_missing"),
        (Decimal("100"), 100_000, "amount_missing"),
        (100, None, "amount_missing"),
        (0, 100_000, "amount_not_positive"),
        (-1, 100_000, "amount_not_positive"),
        (100_001, 100_000, "amount_above_eligible"),
        (1, 0, "amount_above_eligible"),
    ],
)
def test_approval_needs_an_amount_above_zero_and_within_the_eligible_amount(amount, eligible, why):
    with pytest.raises(IllegalTransition) as caught:
        next_status(S.UNDER_REVIEW, A.APPROVE, amount_ntd=amount, eligible_amount_ntd=eligible)
    assert caught.value.why == why


@pytest.mark.parametrize("amount", [1, 99_999, 100_000])
def test_approval_up_to_the_eligible_amount_is_allowed(amount):
    assert (
        next_status(S.UNDER_REVIEW, A.APPROVE, amount_ntd=amount, eligible_amount_ntd=100_000)
        is S.APPROVED
    )


@pytest.mark.parametrize("reasons", [(), ("",), ("   ", "\n")])
def test_rejection_needs_reasons(reasons):
    with pytest.raises(IllegalTransition) as caught:
        next_status(S.UNDER_REVIEW, A.REJECT, reasons=reasons)
    assert caught.value.why == "reasons_missing"


def test_rejection_with_a_reason_is_allowed():
    assert next_status(S.UNDER_REVIEW, A.REJECT, reasons=["", "Budget exhausted."]) is S.REJECTED


@pytest.mark.parametrize(
    ("verified", "approved", "why"),
    [
        (100_001, 100_000, "amount_raised"),
        (0, 100_000, "amount_not_positive"),
        (None, 100_000, "amount_missing"),
        (50_000, None, "amount_missing"),
    ],
)
def test_verification_may_reduce_the_approved_amount_but_never_raise_it(verified, approved, why):
    with pytest.raises(IllegalTransition) as caught:
        next_status(
            S.APPROVED,
            A.VERIFY_INSTALLATION,
            amount_ntd=verified,
            approved_amount_ntd=approved,
        )
    assert caught.value.why == why


@pytest.mark.parametrize("verified", [1, 60_000, 100_000])
def test_verification_keeping_or_reducing_the_amount_is_allowed(verified):
    assert (
        next_status(
            S.APPROVED, A.VERIFY_INSTALLATION, amount_ntd=verified, approved_amount_ntd=100_000
        )
        is S.INSTALLATION_VERIFIED
    )


def test_guards_apply_only_to_their_own_actions():
    assert next_status(S.DRAFT, A.SUBMIT) is S.SUBMITTED
    assert next_status(S.INSTALLATION_VERIFIED, A.DISBURSE) is S.DISBURSED


@pytest.mark.parametrize(("state", "action"), [("approved", "fly"), ("paid", "submit")])
def test_unknown_states_and_actions_are_errors(state, action):
    with pytest.raises(ValueError):
        next_status(state, action)


def test_final_states_allow_nothing_and_every_other_state_something():
    assert {s for s in State if not allowed_actions(s)} == FINAL_STATES


def test_every_state_is_reachable_from_a_draft():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = TRANSITIONS[(state, action)]
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(State)


def test_only_approved_and_later_states_hold_budget():
    assert {S.APPROVED, S.INSTALLATION_VERIFIED, S.DISBURSED} == COMMITTED_STATES
    assert not COMMITTED_STATES & set(BEFORE_APPROVAL)


def test_every_refusal_has_a_message():
    whys = {"not_allowed"}
    attempts = [
        (S.UNDER_REVIEW, A.APPROVE, {}),
        (S.UNDER_REVIEW, A.APPROVE, {"amount_ntd": 0, "eligible_amount_ntd": 5}),
        (S.UNDER_REVIEW, A.APPROVE, {"amount_ntd": 6, "eligible_amount_ntd": 5}),
        (S.APPROVED, A.VERIFY_INSTALLATION, {"amount_ntd": 6, "approved_amount_ntd": 5}),
        (S.UNDER_REVIEW, A.REJECT, {}),
    ]
    for state, action, kwargs in attempts:
        with pytest.raises(IllegalTransition) as caught:
            next_status(state, action, **kwargs)
        whys.add(caught.value.why)
    assert whys == set(TRANSITION_MESSAGES)
