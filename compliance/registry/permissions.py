"""Who may do what in the registry: the rules :func:`portal.permissions.can` answers.

* administrators and business users change the registry (which rows, ``editable_by``);
* business users claim to act for an already registered business; administrators
  decide the claims.

Which rows a user sees or edits stays with the querysets (``visible_to``/``editable_by``).
Registered on import; ``ComplianceConfig.ready`` imports this module.
"""

from __future__ import annotations

from portal.permissions import rule


@rule("registry.write")
def write(user, obj=None) -> bool:
    """Administrators and business users may change the registry at all."""
    return bool(user.is_administrator or user.is_business_user)


@rule("registry.claim_business")
def claim_business(user, business=None) -> bool:
    """Business users ask to act for an already registered business."""
    return bool(user.is_business_user)


@rule("registry.decide_claim")
def decide_claim(user, claim=None) -> bool:
    """Administrators approve or reject a claim to act for a business."""
    return bool(user.is_administrator)
