"""``{% load actors %}{% shown_by event.actor user %}``: who acted, for a record that keeps
the person but no recorded label (an application's events), named as
:func:`portal.actors.shown_actor` names them: never a user name or a job's code."""

from __future__ import annotations

from django import template

from portal.actors import actor_label, shown_actor

register = template.Library()


@register.simple_tag(name="shown_by")
def shown_by(actor, viewer, label: str = "") -> str:
    """Who acted (``actor``; None for a job recorded as ``label``), for ``viewer``."""
    if actor is None and not label:
        return "—"
    return shown_actor(viewer, actor, label or (actor.get_username() if actor else ""))


@register.filter(name="actor_label")
def actor_label_filter(label) -> str:
    """A recorded job or command label (``deadline-sweep``) as a person reads it."""
    return actor_label(str(label or ""))
