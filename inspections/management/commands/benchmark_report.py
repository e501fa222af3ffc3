"""Time the rendering of a Chinese inspection report of N pages (figures, not a test)."""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections.reports.sample import sample_report_data

ROWS_STEP = 25  # measuring points added per try until the report has the pages asked for
MAX_ROWS = 5000


class Command(BaseCommand):
    help = (
        "Render a made-up Traditional Chinese inspection report of about N pages a few "
        "times and print how long it takes, whether fonts are subset with HarfBuzz, and "
        "the PDF's size. Needs no database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=2, help="Pages (default 2).")
        parser.add_argument(
            "--repeat", type=int, default=3, help="Timed renders after the first (default 3)."
        )
        parser.add_argument(
            "--language", choices=["zh-hant", "en"], default="zh-hant", help="Default zh-hant."
        )

    def handle(self, *args, **options) -> None:
        from inspections.reports.render import harfbuzz_subsetting, render_document

        pages, repeat, language = options["pages"], options["repeat"], options["language"]
        if pages < 1 or repeat < 1:
            raise CommandError("--pages and --repeat must be at least 1.")
        started = time.perf_counter()
        rows = 0
        data = sample_report_data(extra_rows=rows, language=language)
        document = render_document(data)
        first_layout = time.perf_counter() - started
        while len(document.pages) < pages:
            rows += ROWS_STEP
            if rows > MAX_ROWS:
                raise CommandError(f"Could not reach {pages} pages with {MAX_ROWS} rows.")
            data = sample_report_data(extra_rows=rows, language=language)
            document = render_document(data)
        timings, size = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            pdf = render_document(data).write_pdf()
            timings.append(time.perf_counter() - started)
            size = len(pdf)
        self.stdout.write(f"pages: {len(document.pages)} ({language}, {rows} extra rows)")
        self.stdout.write(f"HarfBuzz subsetting: {'yes' if harfbuzz_subsetting() else 'NO'}")
        self.stdout.write(f"first layout (fonts loading): {first_layout:.2f} s")
        self.stdout.write(
            f"render to PDF: median {statistics.median(timings):.2f} s, "
            f"min {min(timings):.2f} s, max {max(timings):.2f} s over {repeat}"
        )
        self.stdout.write(f"PDF size: {size / 1024:.0f} KiB")
        if not harfbuzz_subsetting():
            self.stdout.write(
                self.style.WARNING(
                    "WeasyPrint is subsetting fonts with fontTools: install Debian's "
                    "libharfbuzz-subset0 (about twenty times faster for Chinese)."
                )
            )
