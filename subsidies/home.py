"""The subsidies tasks of the home page (registered with portal.home on start-up).

Scheme officers: applications waiting for a review; a business: its own applications
on which more information is asked for.
"""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.home import Task
from portal.permissions import can
from subsidies.choices import ApplicationStatus
from subsidies.models import Application

# How many of a business's applications the task links one by one.
TASK_LINKS = 5
# Applications an officer is to act on next.
TO_REVIEW = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RESUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
)


def home_tasks(user) -> list[Task]:
    """Return the applications waiting for ``user``: to review, or to complete."""
    if user.is_business_user:
        rows = (
            Application.objects.visible_to(user)
            .filter(status=ApplicationStatus.MORE_INFORMATION_REQUESTED)
            .select_related("scheme")
            .order_by("id")
        )
        # One query: the total is a window over the rows, read on the first of them.
        first = list(rows.annotate(total=Window(Count("id")))[:TASK_LINKS])
        if not first:
            return []
        return [
            Task(
                key="applications_to_complete",
                label=_("subsidy applications to complete"),
                count=first[0].total,
                url=reverse("application-list"),
                links=tuple(
                    (str(row.scheme), reverse("application-detail", args=[row.pk])) for row in first
                ),
            )
        ]
    if can(user, "subsidies.review"):
        return [
            Task(
                key="applications_to_review",
                label=_("subsidy applications to review"),
                count=Application.objects.filter(status__in=TO_REVIEW).count(),
                url=reverse("application-list"),
            )
        ]
    return []
