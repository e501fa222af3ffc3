"""The scheduled jobs in the admin: each with its last run, outcome and duration.

django-celery-beat's "Periodic tasks" page lists what beat runs and lets administrators
change it (a time, an argument, enabled or not; every change audited like any admin
write, ``portal.admin_audit``). This adds to that list what the workers recorded about
each task's last run (:class:`~portal.models.TaskRun`), and lists the task runs
themselves, read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from portal.models import TaskRun


class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    list_display = (
        "name",
        "enabled",
        "task",
        "scheduler",
        "last_run_at",
        "last_outcome",
        "last_duration",
        "last_finished",
    )

    def get_queryset(self, request):
        runs = TaskRun.objects.filter(task=OuterRef("task"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                run_outcome=Subquery(runs.values("outcome")[:1]),
                run_duration_ms=Subquery(runs.values("duration_ms")[:1]),
                run_finished_at=Subquery(runs.values("finished_at")[:1]),
            )
        )

    @admin.display(description=_("outcome of the last run"))
    def last_outcome(self, obj) -> str:
        if not getattr(obj, "run_outcome", None):
            return "—"
        return TaskRun.Outcome(obj.run_outcome).label

    @admin.display(description=_("duration of the last run"))
    def last_duration(self, obj) -> str:
        if getattr(obj, "run_duration_ms", None) is None:
            return "—"
        return f"{obj.run_duration_ms / 1000:.1f} s"

    @admin.display(description=_("last finished"))
    def last_finished(self, obj):
        return getattr(obj, "run_finished_at", None) or "—"


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    """What each task did last (written by the workers; nobody edits it)."""

    list_display = (
        "task",
        "outcome",
        "started_at",
        "finished_at",
        "duration_ms",
        "runs",
        "failures",
    )
    list_filter = ("outcome",)
    search_fields = ("task",)
    readonly_fields = [field.name for field in TaskRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
