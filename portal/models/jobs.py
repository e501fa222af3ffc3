"""The last run of each Celery task: when, how it ended, how long it took."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskRun(models.Model):
    """The latest run of one task (by its name), kept up to date by Celery's task signals.

    One row a task, updated in place (the every-minute delivery would otherwise write a
    row a minute): enough for the scheduled jobs' admin page to say when each job last
    ran, whether it succeeded and how long it took, and for ``/health/ready``.
    """

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        RETRYING = "retrying", _("retrying")

    task = models.CharField(_("task"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("last started"))
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")
        ordering = ["task"]

    def __str__(self) -> str:
        return self.task
