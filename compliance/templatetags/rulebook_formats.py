"""Template filters for the rule book's pages: what prompted an assessment."""

from __future__ import annotations

from django import template

from compliance.rulebook.triggers import trigger_label

register = template.Library()


@register.filter(name="trigger_label")
def trigger_label_filter(trigger) -> str:
    """What prompted an assessment, in the reader's language (never an internal note)."""
    return trigger_label(str(trigger or ""))
