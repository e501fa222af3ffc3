"""Who may do what with programme records: rules of :func:`portal.permissions.can`.

* programme staff (active programme officers and administrators) keep the records:
  create and change them, review and score proposals, keep scoring schemes;
* administrators publish and unpublish records.

Everyone (visitors too) reads published records; which rows a user reads or changes
stays with the querysets (``visible_to``, ``editable_by``). Without an object a rule
answers for the user's role; pages and the API refuse with 403 on it, the services with
PermissionDenied. Registered on import; ``ProgramsConfig.ready`` imports this module.
"""

from __future__ import annotations

from portal.permissions import rule
from programs.models import is_programme_staff


@rule("programs.keep_records")
def keep_records(user, record=None) -> bool:
    """Programme officers and administrators (active) create, change and review records."""
    return is_programme_staff(user)


@rule("programs.publish")
def publish(user, record=None) -> bool:
    """Administrators publish a record (everyone may read it) or withdraw it."""
    return bool(user.is_administrator)
