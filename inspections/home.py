"""The inspections tasks of the home page (registered with portal.home on start-up).

An inspector's visits: overdue, today and the next 14 days (the agenda's window), in one
query over the inspector's own open assignments.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import OPEN_STATUSES
from inspections.models import Inspection
from portal.home import Task

# The agenda's window (inspections.views.planning.AGENDA_DAYS): today and 14 days ahead.
AHEAD_DAYS = 14


def home_tasks(user) -> list[Task]:
    """Return an inspector's visits today and in the next 14 days, and the overdue ones."""
    if not (user.is_inspector and user.is_active):
        return []
    today = timezone.localdate()
    until = today + datetime.timedelta(days=AHEAD_DAYS)
    figures = Inspection.objects.filter(
        assignments__user=user, status__in=OPEN_STATUSES, scheduled_for__lte=until
    ).aggregate(
        overdue=Count("id", distinct=True, filter=Q(scheduled_for__lt=today)),
        today=Count("id", distinct=True, filter=Q(scheduled_for=today)),
        coming=Count("id", distinct=True, filter=Q(scheduled_for__gt=today)),
    )
    agenda = reverse("inspection-agenda")
    return [
        Task(
            key="visits_today",
            label=_("visits today"),
            count=figures["today"],
            url=f"{agenda}#agenda-today",
            overdue=figures["overdue"],
        ),
        Task(
            key="visits_coming",
            label=_("visits in the next 14 days"),
            count=figures["coming"],
            url=f"{agenda}#agenda-coming",
        ),
    ]
