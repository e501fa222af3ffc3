"""Verify a missed deadline in tests, through the service a re-inspection uses."""

from __future__ import annotations

from datetime import timedelta


def verify_missed(violation, on=None, *, result: str = "persisting", actor=None):
    """Record a re-inspection on ``on`` (default: the day after the deadline) of ``violation``.

    ``result`` "persisting" verifies non-rectification (the next sweep from ``on`` fines
    it); "rectified" finds it fixed. Returns the Verification (None if nothing to verify).
    """
    from compliance.enforcement.services.verification import verify

    violation.refresh_from_db()
    on = on or violation.deadline + timedelta(days=1)
    row = verify(
        violation,
        result=result,
        method="reinspection",
        verified_on=on,
        source_reference=f"visit-verify-{violation.pk}-{on}",
        explanation=(
            "Re-inspected: the violation persists."
            if result == "persisting"
            else "Re-inspected: rectified."
        ),
        actor=actor,
    )
    violation.refresh_from_db()
    return row
