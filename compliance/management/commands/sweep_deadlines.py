"""Run the deadline sweep in this process and print what it did (for operators)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from compliance.enforcement.services import sweep


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--day {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Run the deadline sweep now, in this process rather than on a Celery worker: propose "
        "a fine for each verified missed deadline (exactly once, so a repeat proposes "
        "nothing; an official decides each proposal), close those an exemption covers, "
        "queue the reminders; print the run's figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            type=_day,
            default=None,
            help="The day to judge, YYYY-MM-DD (default: today in Asia/Taipei).",
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=None,
            help="Violations per transaction (default: the ENFORCEMENT_SWEEP_CHUNK setting).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Connections sweeping at once (default: the ENFORCEMENT_SWEEP_WORKERS setting).",
        )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        day = options["day"] or today
        if day > today:
            raise CommandError(
                f"--day {day.isoformat()} is after today ({today.isoformat()}): a deadline "
                "that has not passed yet cannot have been missed."
            )
        for name in ("chunk", "workers"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        started = time.perf_counter()
        run = sweep.sweep(day, chunk=options["chunk"], workers=options["workers"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"sweep run: {run.pk} ({run.status})")
        self.stdout.write(f"day judged: {run.day}")
        self.stdout.write(f"fines proposed: {run.fines_issued}")
        self.stdout.write(f"closed by an exemption: {run.violations_closed}")
        self.stdout.write(f"reminders queued: {run.reminders_queued}")
        self.stdout.write(f"seconds: {seconds:.2f}")
        if run.error:
            self.stdout.write(self.style.WARNING(run.error))
