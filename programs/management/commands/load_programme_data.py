"""``manage.py load_programme_data [--dir PATH]``: load the programme tables, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.imports import DATA_DIR_VARIABLE, ImportFailed, default_data_dir, load_programme_data


class Command(BaseCommand):
    help = (
        "Load the programme records (APEC LCMT, ASEAN ESC, JCM, LoCARNet) from the CSV "
        f"tables of ../shared/data (or ${DATA_DIR_VARIABLE}, or --dir). Re-running updates "
        "the rows by their natural key; a table with problems is reported and nothing saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", help="The directory of the CSV tables.")
        parser.add_argument(
            "--skip-if-missing",
            action="store_true",
            help="Say so and succeed when the directory does not exist (the demo set-up).",
        )

    def handle(self, *args, directory=None, skip_if_missing=False, **options):
        path = Path(directory) if directory else default_data_dir()
        if not path.is_dir():
            if skip_if_missing:
                self.stdout.write(f"No programme tables at {path}; nothing loaded.")
                return
            raise CommandError(
                f"There is no directory {path}: give --dir or set ${DATA_DIR_VARIABLE}."
            )
        try:
            report = load_programme_data(path)
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the programme tables of {path}; "
                "nothing was saved."
            ) from exc
        self.stdout.write(f"Programme tables loaded from {report.directory}:")
        for label, counts in sorted(report.counts.items()):
            summary = ", ".join(
                f"{counts.get(outcome, 0)} {outcome}"
                for outcome in ("created", "updated", "unchanged")
            )
            self.stdout.write(f"  {label}: {summary}")
