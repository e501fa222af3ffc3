"""``{{ scheme.title|named }}``: a name typed in two languages, marked when it falls back.

A name shown in the other language than the page's (no Chinese name was given) is wrapped
in ``<span lang="…">`` so a screen reader reads it in its language and CSS may mark it.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def named(value):
    """Return ``value`` (a :class:`portal.languages.Named`), marked when it is a fallback."""
    if getattr(value, "fallback", False):
        return format_html('<span lang="{}" class="other-language">{}</span>', value.lang, value)
    return value
