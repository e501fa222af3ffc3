"""Time and weigh the inspection report PDF beside a bare WeasyPrint CJK page (issue 18).

Figures, not a test. Each measurement runs in a fresh process, as a worker's child does
its renders: the parent starts the product's child and the bare child in turn, ``--rounds``
times each (so both are measured in the same minute, on the same load), and reads each
child's peak resident memory from the kernel when it ends (``os.wait4``: ``ru_maxrss`` of
that child alone). A child renders ``--renders`` times; the first render of a process
(fonts found and loaded) is reported apart from the percentiles of the others.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

TARGET_P50 = 0.5  # seconds (issue 18)
TARGET_P95 = 0.8
TARGET_RSS_MIB = 300

# The baseline: WeasyPrint alone (no Django), one page of Chinese in the system's Noto
# Sans CJK TC, a heading in bold, laid out and written the way the product does it.
BARE_CHILD = r"""
import json, sys, time
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

renders = int(sys.argv[1])
text = "依臺北市工商業節能減碳輔導管理自治條例第五條規定，室內冷氣溫度不得低於攝氏二十六度。" * 6
html = (
    "<html lang='zh-Hant'><style>html{font-family:'Noto Sans CJK TC';font-size:9.5pt}"
    "h1{font-weight:bold}</style><h1>檢查報告書</h1>"
    + "".join(f"<p>{text}</p>" for _ in range(3))
    + "</html>"
)
config = FontConfiguration()
timings, pages = [], 0
for _ in range(renders):
    started = time.perf_counter()
    document = HTML(string=html).render(font_config=config)
    document.write_pdf()
    timings.append(time.perf_counter() - started)
    pages = len(document.pages)
print(json.dumps({"timings": timings, "pages": pages}))
"""


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


def pages_label(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def run_child(command: list[str]) -> tuple[dict, float]:
    """Run ``command``, return its JSON output and its own peak RSS in MiB."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise CommandError(f"{' '.join(command[:3])}… failed:\n{err.decode(errors='replace')}")
    lines = out.decode().strip().splitlines()
    return json.loads(lines[-1]), usage.ru_maxrss / 1024  # Linux: kilobytes


class Command(BaseCommand):
    help = (
        "Render the Traditional Chinese inspection report (--pages, default 2) --renders "
        "times in fresh processes and a bare WeasyPrint CJK page the same way, alternately "
        "(--rounds), and print p50/p95, the first render, peak RSS and the ratios. "
        "Needs no database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--renders", type=int, default=10, help="Per process (default 10).")
        parser.add_argument("--rounds", type=int, default=3, help="Processes each (default 3).")
        parser.add_argument("--pages", type=int, default=2, help="Report pages (default 2).")
        parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        renders, rounds, pages = options["renders"], options["rounds"], options["pages"]
        if renders < 2 or rounds < 1 or pages < 1:
            raise CommandError("--renders must be at least 2, --rounds and --pages at least 1.")
        if options["child"]:
            self.stdout.write(json.dumps(self.render_product(renders, pages)))
            return
        product_command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "benchmark_pdf",
            "--child",
            f"--renders={renders}",
            f"--pages={pages}",
        ]
        bare_command = [sys.executable, "-c", BARE_CHILD, str(renders)]
        results = {"product": [], "bare": []}
        started = time.monotonic()
        for _ in range(rounds):
            for name, command in (("product", product_command), ("bare", bare_command)):
                results[name].append(run_child(command))
        elapsed = time.monotonic() - started
        figures = {name: self.summarise(runs) for name, runs in results.items()}
        self.report(figures, renders, rounds, elapsed)

    def render_product(self, renders: int, pages: int) -> dict:
        """In the child: the report of ``pages`` pages, rendered as the worker does."""
        from inspections.management.commands.benchmark_report import MAX_ROWS, ROWS_STEP
        from inspections.reports.render import render_document
        from inspections.reports.sample import sample_report_data

        rows = 0
        data = sample_report_data(extra_rows=rows)
        timings = []
        started = time.perf_counter()
        document = render_document(data)
        while len(document.pages) < pages and rows <= MAX_ROWS:
            rows += ROWS_STEP
            data = sample_report_data(extra_rows=rows)
            document = render_document(data)
        document.write_pdf()
        timings.append(time.perf_counter() - started)  # the first: fonts loaded
        for _ in range(renders - 1):
            started = time.perf_counter()
            document = render_document(data)
            document.write_pdf()
            timings.append(time.perf_counter() - started)
        return {"timings": timings, "pages": len(document.pages)}

    @staticmethod
    def summarise(runs: list[tuple[dict, float]]) -> dict:
        warm = [value for output, _ in runs for value in output["timings"][1:]]
        return {
            "p50": statistics.median(warm),
            "p95": percentile(warm, 0.95),
            "first": statistics.median(output["timings"][0] for output, _ in runs),
            "rss": max(rss for _, rss in runs),
            "pages": runs[-1][0]["pages"],
        }

    def report(self, figures: dict, renders: int, rounds: int, elapsed: float) -> None:
        from portal.pdf import fonts

        product, bare = figures["product"], figures["bare"]
        built = fonts.available_faces()
        font = (
            f"{fonts.FAMILY} ({', '.join(face.filename for face in built)})"
            if built
            else "system Noto Sans CJK TC (build_pdf_fonts has not run)"
        )
        self.stdout.write(
            f"{rounds} processes × {renders} renders each, alternately, in {elapsed:.0f} s; "
            f"font: {font}"
        )
        for label, row in (
            (f"inspection report ({pages_label(product['pages'])})", product),
            (f"bare WeasyPrint CJK page ({pages_label(bare['pages'])})", bare),
        ):
            self.stdout.write(
                f"{label}: p50 {row['p50']:.3f} s, p95 {row['p95']:.3f} s, "
                f"first {row['first']:.3f} s, peak RSS {row['rss']:.0f} MiB"
            )
        self.stdout.write(
            f"ratio report/bare: p50 {product['p50'] / bare['p50']:.2f}, "
            f"p95 {product['p95'] / bare['p95']:.2f}, RSS {product['rss'] / bare['rss']:.2f}"
        )
        met = (
            product["p50"] <= TARGET_P50
            and product["p95"] <= TARGET_P95
            and product["rss"] <= TARGET_RSS_MIB
        )
        self.stdout.write(
            f"target p50 ≤ {TARGET_P50} s, p95 ≤ {TARGET_P95} s, RSS ≤ {TARGET_RSS_MIB} MiB: "
            + ("met" if met else "NOT met")
        )
