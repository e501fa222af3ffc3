"""Who may do what with inspections: rules of :func:`portal.permissions.can`.

* the City's staff (administrators, inspectors) and API clients read every inspection,
  batch and inspection history (a business user reads its own premises' inspections:
  the querysets decide which rows);
* administrators plan: targets, batches, rescheduling, reassignment, cancellation, an
  Art. 11 referral made a target; with an inspection, only one still to be made;
* inspectors read their own agenda, administrators any inspector's;
* inspectors and administrators have visit reports rendered; administrators force it.

Without an object a rule answers for the user's role (pages and the API refuse with 403
on it; the services refuse with PermissionDenied); with one, for that object as it stands.
Registered on import; ``InspectionsConfig.ready`` imports this module.
"""

from __future__ import annotations

from inspections.choices import OPEN_STATUSES
from inspections.querysets import CITY_READERS
from portal.permissions import rule


@rule("inspections.read_all")
def read_all(user, obj=None) -> bool:
    """The City's staff and API clients read every inspection, batch and their history."""
    return bool(user.is_superuser or user.role in CITY_READERS)


@rule("inspections.plan")
def plan(user, inspection=None) -> bool:
    """Administrators plan, reschedule, reassign and cancel inspections.

    With an inspection: only while it is still to be made (planned or in progress).
    """
    if not user.is_administrator:
        return False
    return inspection is None or inspection.status in OPEN_STATUSES


@rule("inspections.read_agenda")
def read_agenda(user, inspector=None) -> bool:
    """Inspectors read their own agenda; administrators any inspector's."""
    if user.is_administrator:
        return True
    return bool(user.is_inspector and (inspector is None or inspector.pk == user.pk))


@rule("inspections.read_any_agenda")
def read_any_agenda(user, obj=None) -> bool:
    """Administrators choose whose agenda they read."""
    return bool(user.is_administrator)


@rule("inspections.render_report")
def render_report(user, report=None) -> bool:
    """Active inspectors and administrators ask for a visit's report or a retry."""
    return bool(user.is_active and (user.is_administrator or user.is_inspector))


@rule("inspections.force_render")
def force_render(user, report=None) -> bool:
    """Administrators have a report rendered again even if it is ready (or stuck)."""
    return bool(render_report(user) and user.is_administrator)
