"""Who may do what with service teams and Art. 14 schemes: rules of
:func:`portal.permissions.can`.

* administrators keep the service teams (create, change, remove experts), assign a team
  to a request and close a consulted one; business users ask for help;
* administrators configure schemes (terms, reviewers, a reward call's criteria) and
  publish a reward call's awards; business users apply;
* scheme officers (active administrators and programme officers) review applications
  and read rankings before they are published; a reward call's reviewers (and
  administrators) score its applications.

Without an object a rule answers for the user's role (pages and the API refuse with 403
on it; the services refuse with PermissionDenied, a state with ValidationError); with one,
for that object as it stands. Which rows a user sees, edits or consults stays with the
querysets (``visible_to``, ``editable_by``, ``consultable_by``).
Registered on import; ``SubsidiesConfig.ready`` imports this module.
"""

from __future__ import annotations

from portal.permissions import rule
from subsidies.models.schemes import is_scheme_officer
from subsidies.rules import service_lifecycle as lifecycle


def _administrator(user) -> bool:
    return bool(user.is_administrator)


@rule("subsidies.manage_teams")
def manage_teams(user, team=None) -> bool:
    """Administrators create and change service teams and remove their experts."""
    return _administrator(user)


@rule("subsidies.request_help")
def request_help(user, business=None) -> bool:
    """Business users ask a service team for help (for a business they act for)."""
    return bool(user.is_business_user)


@rule("subsidies.assign_team")
def assign_team(user, request=None) -> bool:
    """Administrators assign (or reassign) a team to a request the lifecycle lets them."""
    if not _administrator(user):
        return False
    return request is None or lifecycle.allows(request.status, lifecycle.Action.ASSIGN)


@rule("subsidies.close_request")
def close_request(user, request=None) -> bool:
    """Administrators close a request the lifecycle lets be closed (a consulted one)."""
    if not _administrator(user):
        return False
    return request is None or lifecycle.allows(request.status, lifecycle.Action.CLOSE)


@rule("subsidies.edit_scheme")
def edit_scheme(user, scheme=None) -> bool:
    """Administrators configure schemes: terms, reviewers, a reward call's criteria."""
    return _administrator(user)


@rule("subsidies.apply")
def apply(user, scheme=None) -> bool:
    """Business users apply to a scheme (for a business they act for)."""
    return bool(user.is_business_user)


@rule("subsidies.review")
def review(user, obj=None) -> bool:
    """Scheme officers (active administrators and programme officers) review applications,
    read a reward call's ranking before it is published and may be its reviewers."""
    return is_scheme_officer(user)


@rule("subsidies.score")
def score(user, scheme=None) -> bool:
    """A reward call's reviewers (scheme officers) and administrators score its applications."""
    if not is_scheme_officer(user):
        return False
    if scheme is None or user.is_administrator:
        return True
    return scheme.reviewers.filter(pk=user.pk).exists()


@rule("subsidies.publish_awards")
def publish_awards(user, scheme=None) -> bool:
    """Administrators publish a reward call's ranking and awards (once: the service refuses
    a second publication)."""
    return _administrator(user)
