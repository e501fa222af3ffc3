"""Assess premises now (or as of a date) and store their compliance status."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from compliance.models import Premises
from compliance.rulebook.services import assessment


def iso_date(value: str) -> datetime.date:
    """Parse YYYY-MM-DD for argparse, which reports a ValueError as a clear error."""
    return datetime.date.fromisoformat(value)


iso_date.__name__ = "date (YYYY-MM-DD)"  # how argparse names the type in its error


class Command(BaseCommand):
    help = (
        "Assess premises under the rule book in force on a day (today in Asia/Taipei by "
        "default) and store their compliance status; print how many were assessed and "
        "changed, and how long it took."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--premises",
            type=int,
            nargs="+",
            metavar="ID",
            help="Assess only these premises (ids); all premises by default.",
        )
        parser.add_argument(
            "--as-of",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="The day to assess as of (default: today in Asia/Taipei).",
        )

    def handle(self, *args, **options) -> None:
        ids = options["premises"]
        day = options["as_of"] or timezone.localdate()
        if ids is not None:
            found = set(Premises.objects.filter(pk__in=ids).values_list("pk", flat=True))
            missing = sorted(set(ids) - found)
            if missing:
                raise CommandError(
                    f"No premises with id {', '.join(str(pk) for pk in missing)}; "
                    "nothing was assessed."
                )
            count = len(found)
        else:
            count = Premises.objects.count()
        started = time.perf_counter()
        changed = assessment.assess_premises(ids, day=day, trigger="command: assess")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Assessed {count} premises as of {day:%Y-%m-%d} in {seconds:.2f} s: "
                f"{changed} changed status, {count - changed} unchanged."
            )
        )
