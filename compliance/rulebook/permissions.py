"""Who may do what with the rule book: the rules :func:`portal.permissions.can` answers.

* administrators draft, edit, publish and delete rule-book versions;
* business users (and administrators for them) request exemptions; administrators
  decide and revoke them;
* administrators have a premises re-assessed now.

Which rows a user sees or edits stays with the querysets (``visible_to``/``editable_by``).
Registered on import; ``ComplianceConfig.ready`` imports this module.
"""

from __future__ import annotations

from portal.permissions import rule


def _administrator(user) -> bool:
    return bool(user.is_administrator)


@rule("rulebook.draft")
def draft(user, version=None) -> bool:
    """Administrators draft, edit, publish and delete rule-book versions."""
    return _administrator(user)


@rule("rulebook.request_exemption")
def request_exemption(user, premises=None) -> bool:
    """Business users request exemptions; administrators on their behalf."""
    return bool(user.is_administrator or user.is_business_user)


@rule("rulebook.decide_exemption")
def decide_exemption(user, exemption=None) -> bool:
    """Administrators approve or refuse a requested exemption."""
    return _administrator(user)


@rule("rulebook.revoke_exemption")
def revoke_exemption(user, exemption=None) -> bool:
    """Administrators revoke an approved exemption."""
    return _administrator(user)


@rule("rulebook.reassess")
def reassess(user, premises=None) -> bool:
    """Administrators have a premises re-assessed now."""
    return _administrator(user)
