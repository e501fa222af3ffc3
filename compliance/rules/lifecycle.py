"""The life of a violation (Arts. 10-4, 15-18) as one explicit transition table.

A violation is **open** when rectification is ordered with a deadline (Art. 10-4). If the
deadline passes unrectified it is *overdue*: that is a condition, not a state, because
the deadline sweep turns it into the next fine in the same transaction. Each missed
deadline gives a **fined** violation with its nth fine and a new deadline (按次連續處罰,
Arts. 15, 16, 18); refusing an inspection (Art. 17) is fined directly, without a
deadline. Accepted evidence or a passed re-inspection makes it **rectified**; once no
fine is outstanding it is **closed**. An exemption valid on the day the deadline was
missed closes it without a fine. An administrator may **cancel** it (with a reason)
while it is not closed.

Pure code: no Django, no clock. Services call :func:`next_status` before they change a
row, and the sweep's SQL selects only rows for which :data:`TRANSITIONS` allows ``FINE``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator


class State(enum.StrEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    FINED = "fined"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Action(enum.StrEnum):
    # The deadline sweep: a missed deadline (or an Art. 17 refusal) is fined.
    FINE = "fine"
    # An inspector accepted rectification evidence, or a re-inspection found it fixed.
    RECTIFY = "rectify"
    # An exemption valid on the day the deadline was missed: no fine, nothing to rectify.
    EXEMPT = "exempt"
    # Nothing is outstanding any more: rectified (or fined directly) and every fine settled.
    CLOSE = "close"
    # An administrator withdraws the violation (e.g. found in error), with a reason.
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.OPEN, Action.FINE): State.FINED,
    (State.FINED, Action.FINE): State.FINED,
    (State.OPEN, Action.RECTIFY): State.RECTIFIED,
    (State.FINED, Action.RECTIFY): State.RECTIFIED,
    (State.OPEN, Action.EXEMPT): State.CLOSED,
    (State.FINED, Action.EXEMPT): State.CLOSED,
    (State.RECTIFIED, Action.CLOSE): State.CLOSED,
    (State.FINED, Action.CLOSE): State.CLOSED,
    (State.OPEN, Action.CANCEL): State.CANCELLED,
    (State.FINED, Action.CANCEL): State.CANCELLED,
    (State.RECTIFIED, Action.CANCEL): State.CANCELLED,
}

# States in which the deadline still runs: the sweep looks only at these.
ACTIVE_STATES = frozenset({State.OPEN, State.FINED})
FINAL_STATES = frozenset({State.CLOSED, State.CANCELLED})


class IllegalTransition(ValueError):
    """An action the table does not allow from a state, or whose condition does not hold."""

    def __init__(self, state: str, action: str, why: str = "not_allowed") -> None:
        self.state = State(state)
        self.action = Action(action)
        self.why = why
        super().__init__(f"{action} is not allowed from {state} ({why})")


def next_status(
    state: str,
    action: str,
    *,
    fined_directly: bool = False,
    outstanding_fines: int = 0,
) -> State:
    """Return the state ``action`` leads to from ``state``; IllegalTransition otherwise.

    ``fined_directly``: the violation is an Art. 17 case (refusal), which has nothing to
    rectify: it is closed once its fine is settled, never rectified. ``outstanding_fines``
    counts its fines neither paid nor revoked: only a violation without any is closed.
    """
    state, action = State(state), Action(action)
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise IllegalTransition(state, action)
    if action is Action.RECTIFY and fined_directly:
        raise IllegalTransition(state, action, "fined_directly")
    if action is Action.CLOSE:
        if outstanding_fines:
            raise IllegalTransition(state, action, "fines_outstanding")
        if state is State.FINED and not fined_directly:
            # A violation with a deadline closes only after it is rectified.
            raise IllegalTransition(state, action, "not_rectified")
    return target


def state_after_decision(state: str) -> State | None:
    """Return the state a violation takes when an official approves its proposed fine.

    The fine of a missed deadline punishes that deadline: approving it fines an open or
    fined case (:data:`TRANSITIONS`), and leaves one rectified after the deadline
    rectified. A closed or cancelled case is fined no more: None (the proposal is to be
    cancelled).
    """
    state = State(state)
    target = TRANSITIONS.get((state, Action.FINE))
    if target is not None:
        return target
    return State.RECTIFIED if state is State.RECTIFIED else None


def allowed_actions(state: str) -> tuple[Action, ...]:
    """Return the actions the table allows from ``state`` (conditions aside)."""
    return tuple(action for (source, action) in TRANSITIONS if source == State(state))


def states_allowing(action: str) -> tuple[State, ...]:
    """Return the states from which the table allows ``action``, in the table's order."""
    action = Action(action)
    return tuple(source for (source, allowed) in TRANSITIONS if allowed is action)


def all_pairs() -> Iterator[tuple[State, Action]]:
    """Yield every (state, action) pair, allowed or not, for exhaustive tests."""
    for state in State:
        for action in Action:
            yield state, action
