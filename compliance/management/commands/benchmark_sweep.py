"""Time the deadline sweep on a scratch city of open violations (figures, not a test).

In the same minute and on the same data it first times the hand-written statement
the sweep replaced (``_sweep_baseline``: the rules restated in SQL, writing the same
rows), resets the data, then times the sweep, and prints the ratio of the two.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from compliance import rules
from compliance.enforcement.models.violations import SUBJECT_PREMISES_ARTICLES
from compliance.enforcement.services import sweep
from compliance.management.commands import _sweep_baseline
from compliance.models import RuleBookVersion, SweepRun, Violation
from compliance.validators import is_valid_ubn

PREMISES_PER_BUSINESS = 10
# Deadlines still running lie 0-179 days ahead (the rule book's periods are 14-180 days).
RUNNING_SPREAD_DAYS = 180
# Overdue deadlines were missed 1-7 days ago (last night's and a few caught-up nights).
OVERDUE_SPREAD_DAYS = 7
MARKER = "benchmark-sweep"

# One statement: row i is overdue when floor(i * overdue / n) steps up, which spreads
# exactly ``overdue`` rows evenly over the ids; articles cycle through those with a period.
_VIOLATIONS = """
INSERT INTO compliance_violation
    (article, penalty_article, subject, message_key, finding, parameters, found_on,
     deadline, status, source_reference, opened_at, opened_by_id, premises_id,
     rulebook_version_id, fines_issued)
SELECT a.article, a.penalty, '', %(marker)s, jsonb_build_object('article', a.article),
       %(parameters)s::jsonb, s.deadline - a.days, s.deadline, 'open',
       %(marker)s || '-' || g.i, %(now)s, NULL,
       (%(premises)s::bigint[])[1 + g.i %% %(premises_count)s], %(version)s, 0
FROM generate_series(1, %(n)s::bigint) AS g(i)
CROSS JOIN LATERAL (
    SELECT (g.i * %(overdue)s / %(n)s) > ((g.i - 1) * %(overdue)s / %(n)s) AS overdue
) o
CROSS JOIN LATERAL (
    SELECT (%(articles)s::text[])[1 + g.i %% %(articles_count)s] AS article,
           (%(penalties)s::text[])[1 + g.i %% %(articles_count)s] AS penalty,
           (%(days)s::int[])[1 + g.i %% %(articles_count)s] AS days
) a
CROSS JOIN LATERAL (
    SELECT CASE WHEN o.overdue
                THEN %(day)s::date - 1 - (g.i %% %(overdue_spread)s)::int
                ELSE %(day)s::date + (g.i %% %(running_spread)s)::int END AS deadline
) s
"""


class Command(BaseCommand):
    help = (
        "Create a scratch set of open violations (one INSERT ... SELECT generate_series), "
        "time the deadline sweep and the hand-written baseline statement on it in turns "
        "(resetting the data between runs), print the median times, their ratio, the "
        "sweep's rate and the same-night re-run's, then delete the scratch data. "
        "PostgreSQL only; refuses a database that already holds violations (the sweep "
        "would fine them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--violations", type=int, default=1_000_000, help="Open violations (default 1M)."
        )
        parser.add_argument(
            "--overdue",
            type=int,
            default=100_000,
            help="How many of them missed their deadline (default 100,000).",
        )
        parser.add_argument(
            "--all-overdue", action="store_true", help="Every violation missed its deadline."
        )
        parser.add_argument(
            "--premises", type=int, default=1000, help="Premises they belong to (default 1,000)."
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
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch data (default: delete it)."
        )
        parser.add_argument(
            "--no-baseline",
            action="store_true",
            help="Skip the hand-written baseline (and the ratio): time the sweep only.",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Timed runs of each (default 3; the medians are printed).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "benchmark_sweep measures the set-based SQL sweep and needs PostgreSQL: set "
                "DATABASE_URL=postgres://... to a scratch database (SQLite writes through the ORM)."
            )
        total = options["violations"]
        overdue = total if options["all_overdue"] else options["overdue"]
        premises_count = options["premises"]
        chunk = options["chunk"] or sweep.chunk_size()
        workers = options["workers"] or sweep.worker_count()
        rounds = options["rounds"]
        if min(total, premises_count, chunk, workers, rounds) < 1:
            raise CommandError(
                "Need --violations, --premises, --chunk, --workers and --rounds of at least 1."
            )
        if not 0 <= overdue <= total:
            raise CommandError("Need 0 <= --overdue <= --violations.")
        if Violation.objects.exists():
            raise CommandError(
                "This database already holds violations, which the sweep would fine: run "
                "the benchmark against a scratch database (createdb, then manage.py migrate)."
            )
        day = timezone.localdate()
        started = time.perf_counter()
        scratch = self.create_scratch(day, total, overdue, premises_count)
        self.stdout.write(
            f"scratch data: {total:,} violations ({overdue:,} overdue) at {premises_count:,} "
            f"premises, loaded and analysed in {time.perf_counter() - started:.1f} s"
        )
        try:
            self.measure(
                day,
                total,
                overdue,
                chunk,
                workers,
                scratch,
                rounds=rounds,
                baseline=not options["no_baseline"],
            )
        finally:
            if options["keep"]:
                self.stdout.write("scratch data kept (--keep).")
            else:
                started = time.perf_counter()
                self.delete_scratch(scratch)
                self.stdout.write(f"scratch data deleted in {time.perf_counter() - started:.1f} s")

    def measure(
        self,
        day,
        total: int,
        overdue: int,
        chunk: int,
        workers: int,
        scratch: dict,
        *,
        rounds: int,
        baseline: bool,
    ) -> None:
        """Time the sweep and the baseline in turns on the same data; print the medians.

        With the baseline, an untimed first pass takes what only a first run pays (the
        freshly loaded table's first updates), then each round runs both, alternating
        which goes first and ending with the sweep, with the data reset between runs:
        both meet the same table, in the same minutes.
        """
        self.stdout.write(f"day judged: {day} (chunks of {chunk:,}, {workers} connections)")
        self.stdout.write(f"violations: {total}")
        self.stdout.write(f"overdue: {overdue}")
        order = ["sweep"] * rounds
        if baseline:
            started = time.perf_counter()
            self.run_once("baseline", day, overdue, chunk, workers, scratch)
            self.reset_scratch(scratch)
            self.stdout.write(f"untimed first pass: {time.perf_counter() - started:.1f} s")
            order = []
            for index in range(rounds):
                last_round = (rounds - 1 - index) % 2 == 0
                order += ["baseline", "sweep"] if last_round else ["sweep", "baseline"]
        times: dict[str, list[float]] = {"baseline": [], "sweep": []}
        for index, kind in enumerate(order):
            if index:
                self.reset_scratch(scratch)
            started = time.perf_counter()
            run = self.run_once(kind, day, overdue, chunk, workers, scratch)
            times[kind].append(time.perf_counter() - started)
        first = run  # the last run is the sweep's: its rows stay (--keep), re-run below
        seconds = statistics.median(times["sweep"])
        rate = first.fines_issued / seconds if seconds else 0.0
        self.stdout.write(f"fines issued: {first.fines_issued}")
        self.stdout.write(f"reminders queued: {first.reminders_queued}")
        self.stdout.write(f"seconds: {seconds:.2f}")
        self.stdout.write(f"fines/s: {rate:.0f}")
        if baseline:
            base = statistics.median(times["baseline"])
            self.stdout.write(f"baseline seconds: {base:.2f}")
            if base:
                self.stdout.write(f"ratio to baseline: {seconds / base:.2f}")
        for kind, runs in times.items():
            if runs:
                listed = ", ".join(f"{t:.2f}" for t in runs)
                self.stdout.write(f"{kind} runs (s, in order): {listed}")
        started = time.perf_counter()
        again = sweep.sweep(day, chunk=chunk, workers=workers, deliver=False)
        seconds = time.perf_counter() - started
        scratch["runs"].append(again.pk)
        self.stdout.write(f"re-run fines issued: {again.fines_issued}")
        self.stdout.write(f"re-run seconds: {seconds:.2f}")
        if first.fines_issued != overdue or again.fines_issued != 0:
            raise CommandError(
                f"Expected {overdue} fines then none, got {first.fines_issued} then "
                f"{again.fines_issued}."
            )

    def run_once(
        self, kind: str, day, overdue: int, chunk: int, workers: int, scratch: dict
    ) -> SweepRun:
        """Run the sweep or the baseline once; check that it fined every overdue violation."""
        if kind == "baseline":
            run = _sweep_baseline.run(day, chunk=chunk, workers=workers)
        else:
            run = sweep.sweep(day, chunk=chunk, workers=workers, deliver=False)
        scratch["runs"].append(run.pk)
        if run.fines_issued != overdue:
            raise CommandError(f"The {kind} issued {run.fines_issued} fines, not {overdue}.")
        return run

    def create_scratch(self, day, total: int, overdue: int, premises_count: int) -> dict:
        from compliance.choices import District, PremisesCategory, PremisesKind, Sector
        from compliance.models import Business, Premises

        version = RuleBookVersion.objects.published().order_by("effective_from").first()
        if version is None:
            raise CommandError("No published rule book: run manage.py migrate first.")
        params = rules.initial_parameters()
        # Premises' obligations only: an Art. 12-2 case concerns a supplier, not a premises.
        articles = [
            (period.article, rules.penalty_article_for(period.article), period.days)
            for period in params.rectification_periods
            if period.article in SUBJECT_PREMISES_ARTICLES
        ]
        now = timezone.now()
        with transaction.atomic():
            businesses = Business.objects.bulk_create(
                Business(
                    ubn=ubn,
                    name_zh=f"效能測試商行{index}",
                    name_en=f"Benchmark Trading {index}",
                    sector=Sector.COMMERCE,
                    industry_code="4711",
                    responsible_person="王大明",
                )
                for index, ubn in enumerate(
                    free_ubns(-(-premises_count // PREMISES_PER_BUSINESS)), start=1
                )
            )
            premises = Premises.objects.bulk_create(
                Premises(
                    business=businesses[index // PREMISES_PER_BUSINESS],
                    name=f"效能測試門市{index}",
                    kind=PremisesKind.BUSINESS,
                    address=f"臺北市信義區松仁路{index}號",
                    district=District.values[index % len(District.values)],
                    category=PremisesCategory.RETAIL_SHOP,
                    floor_area_m2=120,
                )
                for index in range(premises_count)
            )
            premises_ids = [p.pk for p in premises]
            with connection.cursor() as cursor:
                cursor.execute(
                    _VIOLATIONS,
                    {
                        "marker": MARKER,
                        "parameters": _json(version.parameters),
                        "now": now,
                        "premises": premises_ids,
                        "premises_count": len(premises_ids),
                        "version": version.pk,
                        "n": total,
                        "overdue": overdue,
                        "articles": [a for a, _, _ in articles],
                        "penalties": [p for _, p, _ in articles],
                        "days": [d for _, _, d in articles],
                        "articles_count": len(articles),
                        "day": day,
                        "overdue_spread": OVERDUE_SPREAD_DAYS,
                        "running_spread": RUNNING_SPREAD_DAYS,
                    },
                )
        # As autovacuum would after a bulk load: row counts for the planner, hint bits and
        # the visibility map, so the sweep meets a settled table as it does at night.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE compliance_violation")
        return {
            "businesses": [b.pk for b in businesses],
            "premises": premises_ids,
            "runs": [],
        }

    # What a sweep wrote about the scratch violations, deleted in this order: the
    # follow-ups and audit entries of the fines, those of the violations (reminders,
    # closings), then the fines and the events.
    _SWEPT = [
        """DELETE FROM portal_outboxmessage o USING compliance_fine f
           JOIN compliance_violation v ON v.id = f.violation_id
           WHERE v.premises_id = ANY(%(premises)s) AND o.topic = %(fine_topic)s
             AND (o.payload->>'fine')::bigint = f.id""",
        """DELETE FROM portal_auditentry a USING compliance_fine f
           JOIN compliance_violation v ON v.id = f.violation_id
           WHERE v.premises_id = ANY(%(premises)s) AND a.object_type = 'compliance.fine'
             AND a.object_id = f.id::text""",
        """DELETE FROM portal_outboxmessage o USING compliance_violation v
           WHERE v.premises_id = ANY(%(premises)s) AND o.topic = ANY(%(topics)s)
             AND (o.payload->>'violation')::bigint = v.id""",
        """DELETE FROM portal_auditentry a USING compliance_violation v
           WHERE v.premises_id = ANY(%(premises)s) AND a.object_type = 'compliance.violation'
             AND a.object_id = v.id::text""",
        """DELETE FROM compliance_fine f USING compliance_violation v
           WHERE v.id = f.violation_id AND v.premises_id = ANY(%(premises)s)""",
        """DELETE FROM compliance_violationevent e USING compliance_violation v
           WHERE v.id = e.violation_id AND v.premises_id = ANY(%(premises)s)""",
    ]

    def _params(self, scratch: dict) -> dict:
        return {
            "premises": scratch["premises"],
            "businesses": scratch["businesses"],
            "fine_topic": sweep.FINE_TOPIC,
            "topics": [sweep.REMINDER_TOPIC, sweep.EXEMPT_TOPIC],
        }

    def reset_scratch(self, scratch: dict) -> None:
        """Put the scratch violations back as they were before the first fine of each."""
        restore = """UPDATE compliance_violation v
                        SET status = 'open', fines_issued = 0, deadline = f.missed_deadline
                       FROM compliance_fine f
                      WHERE f.violation_id = v.id AND f.step = 1
                        AND v.premises_id = ANY(%(premises)s)"""
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in [restore, *self._SWEPT]:
                cursor.execute(statement, self._params(scratch))
        # As after the load: the sweep meets a settled table, not the reset's dead rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE compliance_violation")
            cursor.execute("VACUUM ANALYZE compliance_fine")

    def delete_scratch(self, scratch: dict) -> None:
        """Delete what the benchmark created: its violations and all that followed them."""
        statements = [
            *self._SWEPT,
            "DELETE FROM compliance_violation WHERE premises_id = ANY(%(premises)s)",
            "DELETE FROM compliance_premises WHERE id = ANY(%(premises)s)",
            "DELETE FROM compliance_business WHERE id = ANY(%(businesses)s)",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, self._params(scratch))
        SweepRun.objects.filter(pk__in=scratch["runs"]).delete()


def free_ubns(count: int) -> list[str]:
    """Return ``count`` valid unified business numbers no business holds yet."""
    from compliance.models import Business

    taken = set(Business.objects.values_list("ubn", flat=True))
    found: list[str] = []
    number = 90_000_000
    while len(found) < count:
        candidate = f"{number:08d}"
        if is_valid_ubn(candidate) and candidate not in taken:
            found.append(candidate)
        number += 1
    return found


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
