"""Templates ask :func:`portal.permissions.can`.

``{% load permissions %}``, then ``{% if user|can:"enforcement.decide_payment" %}`` for
what the user's role may do, or ``{% can "enforcement.cancel" user violation as allowed %}``
for an object.
"""

from __future__ import annotations

from django import template

from portal import permissions

register = template.Library()


@register.filter(name="can")
def can_filter(user, action: str) -> bool:
    """``user|can:"action"``: may the user's role do ``action``."""
    return permissions.can(user, action)


@register.simple_tag(name="can")
def can_tag(action: str, user, obj=None) -> bool:
    """``{% can "action" user obj as allowed %}``: may the user do ``action`` to ``obj``."""
    return permissions.can(user, action, obj)
