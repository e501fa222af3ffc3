"""The home page's panels, contributed by the apps that own their figures.

The portal imports no domain app (design.md), yet its home page shows each role what it
works on. Each app registers, in its ``AppConfig.ready``, a function that returns the
context of its panels for a user and the template that draws them (``compliance.home``
and ``compliance/home_panels.html``); the home page includes each app's template with
the context merged, in the order the apps are installed. The markup of a panel lives
with the app that owns its figures.

Before the panels comes "what needs you now": each app may also register, with
:func:`register_tasks`, a function returning the user's :class:`Task` items (a count
and the page where the work is done); the home page draws them all first, in the order
the apps are installed. A task function returns only what the user's role may act on
or see (the rules of :mod:`portal.permissions`), and counts in a fixed number of
queries over small sets (never a COUNT over a table that grows with the city).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

HomePanels = Callable[[object], dict]


@dataclass(frozen=True)
class Task:
    """One item of "what needs you now": how many, what, and where to do it.

    ``action``: the user can do the work (a call to action); otherwise the item only
    informs (e.g. proposals awaiting another official). ``overdue``: how many of them
    are late (shown as a warning). ``links``: (label, url) of each row when the set is a
    handful of the user's own rows (a decision to open), shown under the item.
    """

    key: str
    label: str
    count: int
    url: str = ""
    action: bool = True
    overdue: int = 0
    links: tuple[tuple[str, str], ...] = field(default=())


HomeTasks = Callable[[object], list[Task]]

_PANELS: list[tuple[HomePanels, str]] = []
_TASKS: list[HomeTasks] = []


def register(panels: HomePanels, template: str) -> HomePanels:
    """Add ``panels(user) -> context``, drawn by ``template``, to the home page (once)."""
    if all(registered != panels for registered, _ in _PANELS):
        _PANELS.append((panels, template))
    return panels


def register_tasks(tasks: HomeTasks) -> HomeTasks:
    """Add ``tasks(user) -> [Task]`` to the home page's "what needs you now" (once)."""
    if tasks not in _TASKS:
        _TASKS.append(tasks)
    return tasks


def tasks_for(user) -> list[Task]:
    """Return the user's tasks from every app, in the order the apps registered them."""
    return [task for tasks in _TASKS for task in tasks(user)]


def context_for(user) -> dict:
    """Return the context of every registered panel for ``user``, with ``home_templates``.

    ``home_tasks``: the user's :class:`Task` items, drawn before the panels.
    """
    context: dict = {"home_templates": [], "home_tasks": tasks_for(user)}
    for panels, template in _PANELS:
        context.update(panels(user))
        context["home_templates"].append(template)
    return context
