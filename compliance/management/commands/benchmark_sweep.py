"""Time the deadline sweep on a scratch city of open violations (figures, not a test).

The scratch violations are of three kinds: verified as not rectified with their fine due
(``fine_due_on`` on or before the day judged: the sweep fines exactly these), past their
deadline but awaiting verification, and still running. In the same minutes and on the
same data it times the hand-written statement the sweep replaced (``_sweep_baseline``:
the rules restated in SQL, writing the same rows) and the sweep in turns, resetting the
data between runs, and prints the ratio of the two, then times a same-night re-run.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from compliance import rules
from compliance.enforcement.models.violations import SUBJECT_PREMISES_ARTICLES
from compliance.enforcement.services import proposals, sweep
from compliance.management.commands import _sweep_baseline
from compliance.models import RuleBookVersion, SweepRun, Violation
from compliance.validators import is_valid_ubn

PREMISES_PER_BUSINESS = 10
# Deadlines still running lie 0-179 days ahead (the rule book's periods are 14-180 days).
RUNNING_SPREAD_DAYS = 180
# Verified cases missed their deadline 1-7 days ago (last night's and a few caught-up
# nights); their fine is due from halfway between the deadline and the day judged.
VERIFIED_SPREAD_DAYS = 7
# Cases awaiting verification missed their deadline up to a month ago (re-inspections
# not made yet).
AWAITING_SPREAD_DAYS = 30
MARKER = "benchmark-sweep"
# Each proposed fine writes four rows: the proposal, the violation's count of fines, its
# event and its audit entry (the follow-ups are queued when an official approves it).
ROWS_PER_FINE = 4
TARGET_SECONDS = 10.0

# When a verified case's fine is due: after its deadline, on or before the day judged
# (the same from the deadline alone, so a reset can put it back).
_FINE_DUE_ON = "%(day)s::date - ((%(day)s::date - {deadline} - 1) / 2)"

# One statement. Row i is verified when floor(i * verified / n) steps up, which spreads
# exactly ``verified`` rows evenly over the ids; the j-th of the other rows (j = i less
# the verified rows up to i) awaits verification when floor(j * awaiting / (n -
# verified)) steps up, and runs otherwise. Articles cycle through those with a period
# that only a re-inspection verifies (not the record-keeping duties, which every sweep
# would check from records, premises by premises).
_VIOLATIONS = (
    """
INSERT INTO compliance_violation
    (article, penalty_article, subject, message_key, finding, parameters, found_on,
     deadline, fine_due_on, status, source_reference, opened_at, opened_by_id, premises_id,
     rulebook_version_id, fines_issued)
SELECT a.article, a.penalty, '', %(marker)s, jsonb_build_object('article', a.article),
       %(parameters)s::jsonb, s.deadline - a.days, s.deadline,
       CASE WHEN o.verified THEN """
    + _FINE_DUE_ON.format(deadline="s.deadline")
    + """ END,
       'open', %(marker)s || '-' || g.i, %(now)s, NULL,
       (%(premises)s::bigint[])[1 + g.i %% %(premises_count)s], %(version)s, 0
FROM generate_series(1, %(n)s::bigint) AS g(i)
CROSS JOIN LATERAL (
    SELECT (g.i * %(verified)s / %(n)s) > ((g.i - 1) * %(verified)s / %(n)s) AS verified,
           g.i - g.i * %(verified)s / %(n)s AS j
) o
CROSS JOIN LATERAL (
    SELECT NOT o.verified
           AND (o.j * %(awaiting)s / greatest(%(n)s - %(verified)s, 1))
               > ((o.j - 1) * %(awaiting)s / greatest(%(n)s - %(verified)s, 1)) AS awaiting
) w
CROSS JOIN LATERAL (
    SELECT (%(articles)s::text[])[1 + g.i %% %(articles_count)s] AS article,
           (%(penalties)s::text[])[1 + g.i %% %(articles_count)s] AS penalty,
           (%(days)s::int[])[1 + g.i %% %(articles_count)s] AS days
) a
CROSS JOIN LATERAL (
    SELECT CASE WHEN o.verified THEN %(day)s::date - 1 - (g.i %% %(verified_spread)s)::int
                WHEN w.awaiting THEN %(day)s::date - 1 - (g.i %% %(awaiting_spread)s)::int
                ELSE %(day)s::date + (g.i %% %(running_spread)s)::int END AS deadline
) s
"""
)

# Back to before the first fine of each: open, its missed deadline, its fine due again.
_RESTORE = (
    """
UPDATE compliance_violation v
   SET status = 'open', fines_issued = 0, deadline = f.missed_deadline,
       fine_due_on = """
    + _FINE_DUE_ON.format(deadline="f.missed_deadline")
    + """
  FROM compliance_fine f
 WHERE f.violation_id = v.id AND f.step = 1 AND v.premises_id = ANY(%(premises)s)
"""
)


class Command(BaseCommand):
    help = (
        "Create a scratch set of open violations (one INSERT ... SELECT generate_series): "
        "--verified of them verified as not rectified with their fine due, --awaiting past "
        "their deadline but not verified yet, the rest still running. Time the deadline "
        "sweep and the hand-written baseline statement on it in turns (resetting the data "
        "between runs), print the median times, their ratio, the sweep's rates and the "
        "same-night re-run's, then delete the scratch data. PostgreSQL only; refuses a "
        "database that already holds violations (the sweep would fine them). The issue's "
        "target: --violations 1000000 --verified 100000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--violations",
            type=int,
            default=10_000,
            help="Open violations (default 10,000; the issue's target is 1,000,000).",
        )
        parser.add_argument(
            "--verified",
            "--overdue",
            dest="verified",
            type=int,
            default=1_000,
            help=(
                "How many of them missed their deadline and were verified as not rectified, "
                "their fine due by the day judged: what the sweep fines (default 1,000; the "
                "issue's target 100,000)."
            ),
        )
        parser.add_argument(
            "--awaiting",
            type=int,
            default=None,
            help=(
                "How many missed their deadline up to a month ago and await verification "
                "(not fined; default: half of the unverified ones). The rest still run."
            ),
        )
        parser.add_argument(
            "--all-verified",
            "--all-overdue",
            dest="all_verified",
            action="store_true",
            help="Every violation missed its deadline and was verified.",
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
        verified = total if options["all_verified"] else options["verified"]
        awaiting = options["awaiting"]
        if awaiting is None:
            awaiting = (total - verified) // 2
        premises_count = options["premises"]
        chunk = options["chunk"] or sweep.chunk_size()
        workers = options["workers"] or sweep.worker_count()
        rounds = options["rounds"]
        if min(total, premises_count, chunk, workers, rounds) < 1:
            raise CommandError(
                "Need --violations, --premises, --chunk, --workers and --rounds of at least 1."
            )
        if not 0 <= verified <= total or not 0 <= awaiting <= total - verified:
            raise CommandError("Need 0 <= --verified and --verified + --awaiting <= --violations.")
        if Violation.objects.exists():
            raise CommandError(
                "This database already holds violations, which the sweep would fine: run "
                "the benchmark against a scratch database (createdb, then manage.py migrate)."
            )
        day = timezone.localdate()
        started = time.perf_counter()
        scratch = self.create_scratch(day, total, verified, awaiting, premises_count)
        build = time.perf_counter() - started
        self.stdout.write(
            f"scratch data: {total:,} violations ({verified:,} verified, {awaiting:,} awaiting "
            f"verification) at {premises_count:,} premises, loaded and analysed in {build:.1f} s"
        )
        self.stdout.write(f"build seconds: {build:.1f}")
        try:
            self.measure(
                day,
                (total, verified, awaiting),
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
        sizes: tuple[int, int, int],
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
        total, verified, awaiting = sizes
        self.stdout.write(f"day judged: {day} (chunks of {chunk:,}, {workers} connections)")
        self.stdout.write(f"violations: {total}")
        self.stdout.write(f"verified: {verified}")
        self.stdout.write(f"awaiting verification: {awaiting}")
        self.stdout.write(f"running: {total - verified - awaiting}")
        order = ["sweep"] * rounds
        if baseline:
            started = time.perf_counter()
            self.run_once("baseline", day, verified, chunk, workers, scratch)
            self.reset_scratch(day, scratch)
            self.stdout.write(f"untimed first pass: {time.perf_counter() - started:.1f} s")
            order = []
            for index in range(rounds):
                last_round = (rounds - 1 - index) % 2 == 0
                order += ["baseline", "sweep"] if last_round else ["sweep", "baseline"]
        times: dict[str, list[float]] = {"baseline": [], "sweep": []}
        for index, kind in enumerate(order):
            if index:
                self.reset_scratch(day, scratch)
            started = time.perf_counter()
            run = self.run_once(kind, day, verified, chunk, workers, scratch)
            times[kind].append(time.perf_counter() - started)
        first = run  # the last run is the sweep's: its rows stay (--keep), re-run below
        seconds = statistics.median(times["sweep"])
        rate = first.fines_issued / seconds if seconds else 0.0
        self.stdout.write(f"fines proposed: {first.fines_issued}")
        self.stdout.write(f"reminders queued: {first.reminders_queued}")
        self.stdout.write(f"seconds: {seconds:.2f}")
        self.stdout.write(f"fines/s: {rate:.0f}")
        self.stdout.write(f"rows written/s: {rate * ROWS_PER_FINE:.0f}")
        self.stdout.write(f"open violations/s: {total / seconds if seconds else 0.0:.0f}")
        verdicts = [f"sweep {seconds:.2f} s {'<=' if seconds <= TARGET_SECONDS else '>'} 10 s"]
        if baseline:
            base = statistics.median(times["baseline"])
            self.stdout.write(f"baseline seconds: {base:.2f}")
            if base:
                self.stdout.write(f"ratio to baseline: {seconds / base:.2f}")
                verdicts.append(f"ratio {seconds / base:.2f} {'<=' if seconds <= base else '>'} 1")
        for kind, runs in times.items():
            if runs:
                listed = ", ".join(f"{t:.2f}" for t in runs)
                self.stdout.write(f"{kind} runs (s, in order): {listed}")
        started = time.perf_counter()
        again = sweep.sweep(day, chunk=chunk, workers=workers, deliver=False)
        seconds = time.perf_counter() - started
        scratch["runs"].append(again.pk)
        self.stdout.write(f"re-run fines proposed: {again.fines_issued}")
        self.stdout.write(f"re-run seconds: {seconds:.2f}")
        verdicts.append(f"re-run {seconds:.2f} s {'<=' if seconds <= TARGET_SECONDS else '>'} 10 s")
        # Noisy on a shared machine: said, not enforced (the counts are).
        self.stdout.write(f"targets (idle machine): {'; '.join(verdicts)}")
        if first.fines_issued != verified or again.fines_issued != 0:
            raise CommandError(
                f"Expected {verified} fines then none, got {first.fines_issued} then "
                f"{again.fines_issued}."
            )

    def run_once(
        self, kind: str, day, verified: int, chunk: int, workers: int, scratch: dict
    ) -> SweepRun:
        """Run the sweep or the baseline once; check that it fined exactly the verified cases."""
        if kind == "baseline":
            run = _sweep_baseline.run(day, chunk=chunk, workers=workers)
        else:
            run = sweep.sweep(day, chunk=chunk, workers=workers, deliver=False)
        scratch["runs"].append(run.pk)
        if run.fines_issued != verified:
            raise CommandError(f"The {kind} proposed {run.fines_issued} fines, not {verified}.")
        return run

    def create_scratch(
        self, day, total: int, verified: int, awaiting: int, premises_count: int
    ) -> dict:
        from compliance.choices import District, PremisesCategory, PremisesKind, Sector
        from compliance.models import Business, Premises

        version = RuleBookVersion.objects.published().order_by("effective_from").first()
        if version is None:
            raise CommandError(
                "No published rule book: run manage.py migrate, then have an administrator "
                "publish the initial draft (the rule-book pages; make demo does it)."
            )
        params = rules.initial_parameters()
        # Premises' obligations only (an Art. 12-2 case concerns a supplier, not a
        # premises), and not those verified from records: the unverified cases wait for a
        # re-inspection, as most do, instead of each sweep assessing their premises.
        articles = [
            (period.article, rules.penalty_article_for(period.article), period.days)
            for period in params.rectification_periods
            if period.article in SUBJECT_PREMISES_ARTICLES
            and period.article not in rules.RECORD_VERIFIABLE_ARTICLES
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
                        "verified": verified,
                        "awaiting": awaiting,
                        "articles": [a for a, _, _ in articles],
                        "penalties": [p for _, p, _ in articles],
                        "days": [d for _, _, d in articles],
                        "articles_count": len(articles),
                        "day": day,
                        "verified_spread": VERIFIED_SPREAD_DAYS,
                        "awaiting_spread": AWAITING_SPREAD_DAYS,
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

    def _params(self, scratch: dict, day=None) -> dict:
        return {
            "day": day,
            "premises": scratch["premises"],
            "businesses": scratch["businesses"],
            "fine_topic": proposals.FINE_TOPIC,
            "topics": [sweep.REMINDER_TOPIC, sweep.EXEMPT_TOPIC],
        }

    def reset_scratch(self, day, scratch: dict) -> None:
        """Put the scratch violations back as they were before the first fine of each."""
        restore = _RESTORE
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in [restore, *self._SWEPT]:
                cursor.execute(statement, self._params(scratch, day))
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


def scratch_premises(name: str, count: int, business_of, *, batch_size: int | None = None):
    """Create ``count`` shops named ``name`` and their number, spread over the districts;
    ``business_of(index)`` gives each one's business. Returns them with their ids."""
    from compliance.choices import District, PremisesCategory, PremisesKind
    from compliance.models import Premises

    return Premises.objects.bulk_create(
        (
            Premises(
                business=business_of(index),
                name=f"{name}{index}",
                kind=PremisesKind.BUSINESS,
                address=f"臺北市信義區松仁路{index}號",
                district=District.values[index % len(District.values)],
                category=PremisesCategory.RETAIL_SHOP,
                floor_area_m2=120,
            )
            for index in range(count)
        ),
        batch_size=batch_size,
    )


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
