"""How a page names who acted: ``{% load people %}{% shown_actor entry user %}``.

An audit entry records the user name; a business reads the Department (with an official's
display name), never an account (:func:`portal.actors.shown_actor`).
"""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

from portal.actors import shown_actor

register = template.Library()


@register.simple_tag(name="shown_actor")
def shown_actor_tag(entry, viewer) -> str:
    """Who made the change ``entry`` records (an AuditEntry or an event), for ``viewer``."""
    try:
        actor = entry.actor
    except ObjectDoesNotExist:
        actor = None  # an account removed since: the entry keeps its id and name
    return shown_actor(viewer, actor, entry.actor_label)
