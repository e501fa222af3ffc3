"""Who acted on a record, as each reader may read it (pages, API and every history share it).

The case file records who acted by user name or by the name of the job (``actor_label``:
``deadline-sweep``, ``system``, ``command: assess`` …); that stored value never changes, and
no page shows it as stored: a user name and a job's name are internal codes.

- The City's staff read the person's name (their display name; the user name only when the
  account has no name at all), and a job as what it is, in their language
  (系統（夜間期限作業）, 指令：評估).
- Everyone else reads the Department, with the official's display name where one is set,
  and a scheduled job or the portal's records as the Department itself; a person of the
  business side by name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

# Who acts for the City, as a business reads it.
AUTHORITY = _("Department of Economic Development, Taipei City Government")

# The labels jobs record (portal.audit.SYSTEM_ACTOR, the deadline sweep's, …), as read.
JOB_LABELS = {
    "system": pgettext_lazy("who acted", "System"),
    "deadline-sweep": pgettext_lazy("who acted", "System (nightly deadline run)"),
    "celery-worker": pgettext_lazy("who acted", "System (background worker check)"),
    "load_programme_data": pgettext_lazy("who acted", "System (programme data import)"),
    "migration": pgettext_lazy("who acted", "System (software update)"),
}
# The management commands that record themselves as "command: <name>".
COMMAND_LABELS = {
    "assess": pgettext_lazy("a management command", "assess"),
    "sweep": pgettext_lazy("a management command", "deadline run"),
    "demo_data": pgettext_lazy("a management command", "demo data"),
}
COMMAND_PREFIX = "command:"


def actor_label(label: str) -> str:
    """Return a recorded job or command label as a person reads it; any other label as is."""
    label = (label or "").strip()
    if label in JOB_LABELS:
        return str(JOB_LABELS[label])
    if label.startswith(COMMAND_PREFIX):
        name = label[len(COMMAND_PREFIX) :].strip()
        return pgettext("who acted", "Command: %(name)s") % {"name": COMMAND_LABELS.get(name, name)}
    return label


def person_label(actor, label: str) -> str:
    """Return how the City's staff name the person ``actor`` (recorded as ``label``)."""
    name = getattr(actor, "person_name", "") or ""
    return name or actor_label(label) or actor.get_username()


def shown_actor(viewer, actor, label: str) -> str:
    """Return who acted (``actor``, None for a job; recorded as ``label``) for ``viewer``."""
    if viewer is not None and (viewer.is_administrator or viewer.is_inspector):
        return person_label(actor, label) if actor is not None else actor_label(label)
    if actor is None:
        return str(AUTHORITY)
    if actor.is_administrator or actor.is_inspector:
        name = actor.display_name or actor.get_full_name()
        return f"{AUTHORITY} · {name}" if name else str(AUTHORITY)
    return actor.person_name or str(_("A member of the business"))
