"""The one place that answers "may this user do this (to this object)".

A rule is a named function ``fn(user, obj=None) -> bool`` registered with :func:`rule`;
pages, the API, services and templates ask :func:`can`. Without an object a rule answers
for the user's role ("may an inspector ever review evidence?"); with one, for that object
in its present state ("may they review this evidence now?"). The domains register their
rules (e.g. ``compliance/enforcement/permissions.py``) when their app is ready.

Modelled on django-rules (``rules.add_perm``/``has_perm`` and its template tags), kept to
what the portal needs: no predicate algebra, and an unknown name is an error, never a
silent "no". Anonymous users may do nothing.

In templates: ``{% load permissions %}`` then ``{% if user|can:"enforcement.cancel" %}``
(the role) or ``{% can "enforcement.cancel" user violation as allowed %}`` (an object).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

Rule = Callable[..., bool]

_rules: dict[str, Rule] = {}


class UnknownAction(LookupError):
    """No rule is registered under the name asked for (a typo or an unloaded domain)."""


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register the decorated ``fn(user, obj=None) -> bool`` as the rule ``name``."""

    def register(fn: Rule) -> Rule:
        existing = _rules.get(name)
        if existing is not None and _identity(existing) != _identity(fn):
            raise ValueError(
                f"A rule named {name!r} is already registered ({_identity(existing)})."
            )
        _rules[name] = fn
        return fn

    return register


def _identity(fn: Rule) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def can(user, action: str, obj=None) -> bool:
    """Return whether ``user`` may do ``action`` (to ``obj``, if given).

    Raises :class:`UnknownAction` for a name no rule is registered under.
    """
    try:
        fn = _rules[action]
    except KeyError:
        raise UnknownAction(f"No permission rule is named {action!r}.") from None
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(fn(user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied


def registered() -> list[str]:
    """Return the names of the registered rules, sorted."""
    return sorted(_rules)
