"""Who acted on a record, as each reader may read it (pages, API and every history share it).

The case file records who acted by user name (``actor_label``); a business never reads an
official's user name. The City's staff read the label as recorded; everyone else reads the
Department, with the official's display name where one is set, and a scheduled job or
the portal's records as the Department itself; a person of the business side by name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Who acts for the City, as a business reads it.
AUTHORITY = _("Department of Economic Development, Taipei City Government")


def shown_actor(viewer, actor, label: str) -> str:
    """Return who acted (``actor``, None for a job; recorded as ``label``) for ``viewer``."""
    if viewer is not None and (viewer.is_administrator or viewer.is_inspector):
        return label
    if actor is None:
        return str(AUTHORITY)
    if actor.is_administrator or actor.is_inspector:
        name = actor.display_name or actor.get_full_name()
        return f"{AUTHORITY} · {name}" if name else str(AUTHORITY)
    return actor.person_name or str(_("A member of the business"))
