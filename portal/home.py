"""The home page's panels, contributed by the apps that own their figures.

The portal imports no domain app (design.md), yet its home page shows each role what it
works on. Each app registers, in its ``AppConfig.ready``, a function that returns the
context of its panels for a user and the template that draws them (``compliance.home``
and ``compliance/home_panels.html``); the home page includes each app's template with
the context merged, in the order the apps are installed. The markup of a panel lives
with the app that owns its figures.
"""

from __future__ import annotations

from collections.abc import Callable

HomePanels = Callable[[object], dict]

_PANELS: list[tuple[HomePanels, str]] = []


def register(panels: HomePanels, template: str) -> HomePanels:
    """Add ``panels(user) -> context``, drawn by ``template``, to the home page (once)."""
    if all(registered != panels for registered, _ in _PANELS):
        _PANELS.append((panels, template))
    return panels


def context_for(user) -> dict:
    """Return the context of every registered panel for ``user``, with ``home_templates``."""
    context: dict = {"home_templates": []}
    for panels, template in _PANELS:
        context.update(panels(user))
        context["home_templates"].append(template)
    return context
