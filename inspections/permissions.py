"""Who may do what with inspection reports: rules of :func:`portal.permissions.can`.

Registered on import; ``InspectionsConfig.ready`` imports this module.
"""

from __future__ import annotations

from portal.permissions import rule


@rule("inspections.render_report")
def render_report(user, report=None) -> bool:
    """Active inspectors and administrators ask for a visit's report or a retry."""
    return bool(user.is_active and (user.is_administrator or user.is_inspector))


@rule("inspections.force_render")
def force_render(user, report=None) -> bool:
    """Administrators have a report rendered again even if it is ready (or stuck)."""
    return bool(render_report(user) and user.is_administrator)
