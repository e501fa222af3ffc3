"""The main navigation: ``{% load navigation %}{% main_nav %}`` (see :mod:`portal.nav`)."""

from __future__ import annotations

from django import template

from portal.nav import menu_for

register = template.Library()


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def main_nav(context) -> dict:
    """The signed-in user's menu, grouped by task, the current page marked."""
    request = context.get("request")
    user = context.get("user")
    path = request.path if request is not None else ""
    return {"groups": menu_for(user, path), "overview_current": path == "/"}
