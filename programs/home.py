"""The programmes tasks of the home page (registered with portal.home on start-up).

A programme officer's own work: the project proposals under review.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.home import Task
from portal.permissions import can
from programs.choices import ProjectStatus
from programs.models import Project


def home_tasks(user) -> list[Task]:
    """Return a programme officer's proposals under review (administrators have queues)."""
    if user.role != Role.PROGRAMME_OFFICER or not can(user, "programs.keep_records"):
        return []
    return [
        Task(
            key="projects_under_review",
            label=_("project proposals under review"),
            count=Project.objects.filter(status=ProjectStatus.UNDER_REVIEW).count(),
            url=reverse("programme-project-list") + f"?status={ProjectStatus.UNDER_REVIEW}",
        )
    ]
