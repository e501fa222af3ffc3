"""The life of an Art. 13 service request as one explicit transition table.

A business **requests** help (optionally about a violation); an administrator **assigns**
a service team (and may reassign it before the consultation); the team records a
**consultation** with its recommendations (follow-up consultations are recorded the same
way); an administrator **closes** the request once it is consulted. The business may
**withdraw** its request before any consultation.

Pure code: no Django, no clock. Services call :func:`next_status` before they change a row.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator


class State(enum.StrEnum):
    REQUESTED = "requested"
    ASSIGNED = "assigned"
    CONSULTED = "consulted"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    # An administrator assigns (or reassigns) a service team.
    ASSIGN = "assign"
    # The assigned team records a consultation and its recommendations.
    CONSULT = "consult"
    # An administrator closes a consulted request, with a reason.
    CLOSE = "close"
    # The business withdraws its request before the consultation.
    WITHDRAW = "withdraw"


TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.REQUESTED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.CONSULT): State.CONSULTED,
    (State.CONSULTED, Action.CONSULT): State.CONSULTED,
    (State.CONSULTED, Action.CLOSE): State.CLOSED,
    (State.REQUESTED, Action.WITHDRAW): State.WITHDRAWN,
    (State.ASSIGNED, Action.WITHDRAW): State.WITHDRAWN,
}

FINAL_STATES = frozenset({State.CLOSED, State.WITHDRAWN})


class IllegalTransition(ValueError):
    """An action the table does not allow from a state."""

    def __init__(self, state: str, action: str) -> None:
        self.state = State(state)
        self.action = Action(action)
        super().__init__(f"{action} is not allowed from {state}")


def next_status(state: str, action: str) -> State:
    """Return the state ``action`` leads to from ``state``; IllegalTransition otherwise."""
    target = TRANSITIONS.get((State(state), Action(action)))
    if target is None:
        raise IllegalTransition(state, action)
    return target


def allows(state: str, action: str) -> bool:
    """Return whether the table allows ``action`` from ``state``."""
    return (State(state), Action(action)) in TRANSITIONS


def all_pairs() -> Iterator[tuple[State, Action]]:
    """Yield every (state, action) pair, allowed or not, for exhaustive tests."""
    for state in State:
        for action in Action:
            yield state, action
