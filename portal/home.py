"""The home page's panels, contributed by the apps that own their figures.

The portal imports no domain app (design.md), yet its home page shows each role what it
works on. Each app registers a function in its ``AppConfig.ready`` that returns the
context of its panels for a user (``compliance.home``); the home view merges what
they return, in the order the apps are installed.
"""

from __future__ import annotations

from collections.abc import Callable

HomePanels = Callable[[object], dict]

_PANELS: list[HomePanels] = []


def register(panels: HomePanels) -> HomePanels:
    """Add ``panels(user) -> context`` to the home page (once, however often called)."""
    if panels not in _PANELS:
        _PANELS.append(panels)
    return panels


def context_for(user) -> dict:
    """Return the context of every registered panel for ``user``."""
    context: dict = {}
    for panels in _PANELS:
        context.update(panels(user))
    return context
