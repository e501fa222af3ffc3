"""The violation lifecycle table: every allowed and every forbidden transition."""

import pytest

from compliance.choices import ViolationStatus
from compliance.rules.lifecycle import (
    ACTIVE_STATES,
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

# The whole table, written out by hand from the ordinance (Arts. 10-4, 15-18): what
# each state allows, and where it leads. Everything not listed here is forbidden.
EXPECTED = {
    (S.OPEN, A.FINE): S.FINED,  # first deadline missed (or Art. 17 refusal)
    (S.FINED, A.FINE): S.FINED,  # each further missed deadline (按次連續處罰)
    (S.OPEN, A.RECTIFY): S.RECTIFIED,
    (S.FINED, A.RECTIFY): S.RECTIFIED,
    (S.OPEN, A.EXEMPT): S.CLOSED,
    (S.FINED, A.EXEMPT): S.CLOSED,
    (S.RECTIFIED, A.CLOSE): S.CLOSED,
    (S.FINED, A.CLOSE): S.CLOSED,  # Art. 17 only, once its fine is settled
    (S.OPEN, A.CANCEL): S.CANCELLED,
    (S.FINED, A.CANCEL): S.CANCELLED,
    (S.RECTIFIED, A.CANCEL): S.CANCELLED,
}


def test_the_table_is_exactly_the_one_the_ordinance_gives():
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(
    ("state", "action"), [pair for pair in all_pairs() if pair in EXPECTED], ids=str
)
def test_every_allowed_transition_leads_where_the_table_says(state, action):
    fined_directly = action is A.CLOSE and state is S.FINED
    assert next_status(state, action, fined_directly=fined_directly) == EXPECTED[(state, action)]


@pytest.mark.parametrize(
    ("state", "action"), [pair for pair in all_pairs() if pair not in EXPECTED], ids=str
)
def test_every_other_transition_is_forbidden(state, action):
    with pytest.raises(IllegalTransition) as raised:
        next_status(state, action)
    assert raised.value.why == "not_allowed"


def test_nothing_leaves_a_final_state():
    for state in FINAL_STATES:
        assert allowed_actions(state) == ()


def test_a_refusal_is_never_rectified_only_closed_once_paid():
    with pytest.raises(IllegalTransition) as raised:
        next_status(S.FINED, A.RECTIFY, fined_directly=True)
    assert raised.value.why == "fined_directly"
    with pytest.raises(IllegalTransition) as raised:
        next_status(S.FINED, A.CLOSE, fined_directly=True, outstanding_fines=1)
    assert raised.value.why == "fines_outstanding"
    assert next_status(S.FINED, A.CLOSE, fined_directly=True) == S.CLOSED


def test_a_fined_violation_with_a_deadline_closes_only_after_rectification():
    with pytest.raises(IllegalTransition) as raised:
        next_status(S.FINED, A.CLOSE)
    assert raised.value.why == "not_rectified"


def test_a_rectified_violation_closes_only_when_no_fine_is_outstanding():
    with pytest.raises(IllegalTransition) as raised:
        next_status(S.RECTIFIED, A.CLOSE, outstanding_fines=2)
    assert raised.value.why == "fines_outstanding"
    assert next_status(S.RECTIFIED, A.CLOSE) == S.CLOSED


def test_the_stored_statuses_are_the_tables_states():
    assert {choice.value for choice in ViolationStatus} == {state.value for state in State}
    assert {S.OPEN, S.FINED} == ACTIVE_STATES


def test_the_sweep_only_touches_states_the_table_lets_it_fine():
    from compliance.enforcement.services.sweep_rows import FINEABLE_STATES

    in_sql = set(FINEABLE_STATES)  # the claim's ``status IN (...)``
    assert in_sql == {state.value for state in State if (state, A.FINE) in TRANSITIONS}
