"""Time the city-scale pages and endpoints beside bare baselines (figures, not a test).

Builds (or reuses) a scratch city with set-based SQL: businesses, premises, equipment,
violations over five years and the fines of the fined ones (issue 18's default: 20,000 /
100,000 / 600,000 / 1,000,000). Then starts gunicorn as the production image does
(``portal.wsgi``, ``--workers``/``--threads``, DEBUG off) with the portal's URLs plus bare
baseline views (``_city_bench_urls``: the same read, nothing around it), signs in an
administrator, and for each measurement requests the product and its baseline in turns,
in the same minute: ``--rounds`` rounds of ``--requests`` requests each. It prints each
one's median and p95 per round, the min and median of the round medians, and the ratio of
the medians. ``--explain`` prints the ``EXPLAIN ANALYZE`` of the slowest queries of each
product page (captured in-process). The figures the triggers keep are counted as the
build's statements insert the rows.
"""

from __future__ import annotations

import statistics
import subprocess
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.choices import District, EquipmentKind, PremisesCategory, PremisesKind, Sector
from compliance.enforcement.models.violations import SUBJECT_PREMISES_ARTICLES
from compliance.management.commands import _gunicorn as gunicorn
from compliance.management.commands.benchmark_sweep import free_ubns
from compliance.models import Business, Premises, RuleBookVersion, Violation
from compliance.rules import penalty_article_for

MARKER = "benchmark-city"
SETTINGS = "compliance.management.commands._city_bench_settings"

# name, product path, baseline path. The status APIs need assessed premises and concurrent
# clients: benchmark_status_api measures them (the table's last line says so).
MEASUREMENTS = [
    ("violations list page", "/enforcement/violations/", "/bench/violations/"),
    ("premises list page", "/premises/", "/bench/premises/"),
    ("enforcement dashboard", "/enforcement/dashboard/", "/bench/dashboard/"),
    ("premises API, page 50", "/api/v1/premises/?page_size=50", "/bench/api/premises/"),
    ("equipment API, page 50", "/api/v1/equipment/?page_size=50", "/bench/api/equipment/"),
    ("violations API, page 50", "/api/v1/violations/?page_size=50", "/bench/api/violations/"),
]
STATUS_API_NOTE = (
    "status APIs (premises, business): measured by benchmark_status_api "
    "(assessed premises, 8 concurrent clients)"
)

_PREMISES = """
INSERT INTO compliance_premises
    (name, kind, address, district, category, floor_area_m2, has_arcade, opening_days,
     is_active, created_at, updated_at, business_id)
SELECT '門市' || lpad(g.i::text, 7, '0'), %(kind)s, '臺北市松仁路' || g.i || '號',
       (%(districts)s::text[])[1 + g.i %% %(district_count)s], %(category)s,
       50 + g.i %% 900, false, '', true, %(now)s, %(now)s,
       (%(businesses)s::bigint[])[1 + g.i %% %(business_count)s]
FROM generate_series(1, %(n)s::bigint) AS g(i)
"""
_EQUIPMENT = """
INSERT INTO compliance_equipment
    (kind, tag, description, ac_type, efficiency_metric, energy_manager, air_barrier,
     space_type, lamp_type, fuel, created_at, updated_at, premises_id)
SELECT (%(kinds)s::text[])[1 + g.i %% %(kind_count)s], 'EQ-' || g.i, '', '', '', '', '', '',
       '', '', %(now)s, %(now)s, p.ids[1 + g.i %% p.n]
FROM generate_series(1, %(n)s::bigint) AS g(i)
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n
            FROM compliance_premises) p
"""
# Five years of violations, newest on the day of the build; one in ten fined (its fine
# issued, a third of those paid), the rest open, rectified, closed or cancelled.
_VIOLATIONS = """
INSERT INTO compliance_violation
    (article, penalty_article, subject, message_key, finding, parameters, found_on,
     deadline, fine_due_on, status, source_reference, opened_at, opened_by_id, premises_id,
     rulebook_version_id, fines_issued)
SELECT a.article, a.penalty, '', %(marker)s, jsonb_build_object('article', a.article), '{}',
       %(day)s::date - (g.i %% 1826)::int, %(day)s::date - (g.i %% 1826)::int + 30, NULL,
       CASE g.i %% 10 WHEN 0 THEN 'fined' WHEN 1 THEN 'open' WHEN 2 THEN 'open'
            WHEN 3 THEN 'rectified' WHEN 4 THEN 'cancelled' ELSE 'closed' END,
       %(marker)s || '-' || g.i, %(now)s, NULL, p.ids[1 + g.i %% p.n], %(version)s,
       CASE WHEN g.i %% 10 = 0 THEN 1 ELSE 0 END
FROM generate_series(1, %(n)s::bigint) AS g(i)
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n
            FROM compliance_premises) p
CROSS JOIN LATERAL (
    SELECT (%(articles)s::text[])[1 + g.i %% %(article_count)s] AS article,
           (%(penalties)s::text[])[1 + g.i %% %(article_count)s] AS penalty
) a
"""
_FINES = """
INSERT INTO compliance_fine
    (step, penalty_article, amount_ntd, amount_due_ntd, missed_deadline, offence_on,
     proposed_on, issued_on, schedule, status, document_number, actor_label,
     rulebook_version_id, violation_id, decision_reason, service_method, issued_at)
SELECT 1, v.penalty_article, 10000 + (v.id %% 5) * 10000, 10000 + (v.id %% 5) * 10000,
       v.deadline, v.deadline + 1, v.deadline + 3, v.deadline + 5, '{}',
       CASE WHEN v.id %% 3 = 0 THEN 'paid' ELSE 'issued' END, 'BENCH-' || v.id, 'benchmark',
       v.rulebook_version_id, v.id, '', '', %(now)s
FROM compliance_violation v
WHERE v.message_key = %(marker)s AND v.status = 'fined'
"""


def _penalised(article: str) -> bool:
    """Whether a missed deadline of ``article`` is fined (Art. 9 has no penalty article)."""
    try:
        return bool(penalty_article_for(article))
    except ValueError:
        return False


class Command(BaseCommand):
    help = (
        "Build or reuse a scratch city (set-based SQL), start gunicorn as the production "
        "image does, and time the violations and premises list pages, the enforcement "
        "dashboard and the premises, equipment and violations APIs beside bare baseline "
        "views in the same minute (--rounds rounds, min/median and ratio). PostgreSQL only; "
        "run it against a scratch database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for name, default in (
            ("businesses", 20_000),
            ("premises", 100_000),
            ("equipment", 600_000),
            ("violations", 1_000_000),
        ):
            parser.add_argument(f"--{name}", type=int, default=default, help=f"default {default:,}")
        parser.add_argument("--rounds", type=int, default=3, help="Rounds (default 3).")
        parser.add_argument(
            "--requests", type=int, default=20, help="Requests per run (default 20)."
        )
        parser.add_argument(
            "--workers", type=int, default=3, help="gunicorn workers (default 3, the Dockerfile's)."
        )
        parser.add_argument("--threads", type=int, default=1, help="gunicorn threads (default 1).")
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="Concurrent clients, each on its own connection (default 1); above 1 the "
            "table adds req/s of product and baseline.",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="TEXT",
            help="Measure only the rows whose name contains TEXT (repeatable).",
        )
        parser.add_argument(
            "--explain", action="store_true", help="Print the plans of the heaviest queries."
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_city needs PostgreSQL (DATABASE_URL=postgres://...).")
        counts = ("rounds", "requests", "workers", "threads", "concurrency")
        if min(options[key] for key in counts) < 1:
            raise CommandError(
                "Need --rounds, --requests, --workers, --threads and --concurrency of at least 1."
            )
        self.build(options)
        user = self.administrator()
        if options["explain"]:
            self.explain(user)
        self.measure(user, options)

    # --- The city ----------------------------------------------------------------------

    def build(self, options) -> None:
        sizes = {
            "businesses": Business.objects.count(),
            "premises": Premises.objects.count(),
            "violations": Violation.objects.count(),
        }
        wanted = {key: options[key] for key in sizes}
        if all(sizes[key] >= wanted[key] for key in sizes):
            self.stdout.write(
                "city reused: "
                + ", ".join(f"{sizes[key]:,} {key}" for key in sizes)
                + f", {self._count('compliance_equipment'):,} equipment"
            )
            return
        if any(sizes.values()):
            raise CommandError(
                f"This database holds a smaller city ({sizes}); build into an empty scratch "
                "database (createdb, manage.py migrate)."
            )
        # The violations only name a version (published or the initial draft: no rule runs).
        version = RuleBookVersion.objects.order_by("effective_from", "id").first()
        if version is None:
            raise CommandError("No rule book: run manage.py migrate on this database first.")
        started = time.perf_counter()
        now = timezone.now()
        articles = sorted(a for a in SUBJECT_PREMISES_ARTICLES if _penalised(a))
        with transaction.atomic():
            ubns = free_ubns(options["businesses"])
            business_ids = [
                b.pk
                for b in Business.objects.bulk_create(
                    (
                        Business(
                            ubn=ubn,
                            name_zh=f"城市效能商行{index:06d}",
                            name_en=f"City Benchmark {index}",
                            sector=Sector.COMMERCE,
                            industry_code="4711",
                            responsible_person="王大明",
                        )
                        for index, ubn in enumerate(ubns)
                    ),
                    batch_size=5000,
                )
            ]
            params = {
                "now": now,
                "day": timezone.localdate(),
                "marker": MARKER,
                "version": version.pk,
                "kind": PremisesKind.BUSINESS,
                "category": PremisesCategory.RETAIL_SHOP,
                "districts": list(District.values),
                "district_count": len(District.values),
                "businesses": business_ids,
                "business_count": len(business_ids),
                "kinds": list(EquipmentKind.values),
                "kind_count": len(EquipmentKind.values),
                "articles": articles,
                "penalties": [penalty_article_for(a) for a in articles],
                "article_count": len(articles),
            }
            with connection.cursor() as cursor:
                for label, statement, n in (
                    ("premises", _PREMISES, options["premises"]),
                    ("equipment", _EQUIPMENT, options["equipment"]),
                    ("violations", _VIOLATIONS, options["violations"]),
                    ("fines", _FINES, 0),
                ):
                    step = time.perf_counter()
                    cursor.execute(statement, {**params, "n": n})
                    self.stdout.write(
                        f"  {label}: {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s"
                    )
        with connection.cursor() as cursor:
            for table in ("business", "premises", "equipment", "violation", "fine"):
                cursor.execute(f"VACUUM ANALYZE compliance_{table}")
        self.stdout.write(f"city built in {time.perf_counter() - started:.1f} s")

    def _count(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a constant)
            return cursor.fetchone()[0]

    def administrator(self):
        from django.contrib.auth import get_user_model

        from portal.choices import Role

        user, _created = get_user_model().objects.get_or_create(
            username="benchmark-city-admin", defaults={"role": Role.ADMINISTRATOR}
        )
        return user

    # --- Plans -------------------------------------------------------------------------

    def explain(self, user) -> None:
        """Print EXPLAIN ANALYZE of the two slowest queries of each product page."""
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for name, product, _baseline in MEASUREMENTS:
            client.get(product, secure=True)  # warm
            with CaptureQueriesContext(connection) as captured:
                response = client.get(product, secure=True)
            self.stdout.write(f"\n== plans: {name} ({response.status_code})")
            slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
            for query in slowest:
                sql = query["sql"]
                self.stdout.write(f"-- {float(query['time']) * 1000:.1f} ms: {sql[:600]}")
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
                    for (line,) in cursor.fetchall():
                        self.stdout.write(f"   {line}")

    # --- Timing ------------------------------------------------------------------------

    def serve(self, options) -> tuple[subprocess.Popen, int]:
        return gunicorn.start(
            SETTINGS, workers=options["workers"], threads=options["threads"], collect_static=True
        )

    def measure(self, user, options) -> None:
        client = Client()
        client.force_login(user)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        concurrency = options["concurrency"]
        measurements = [
            row
            for row in MEASUREMENTS
            if not options["only"] or any(t in row[0] for t in options["only"])
        ]
        process, port = self.serve(options)
        try:
            self.stdout.write(
                f"gunicorn: {options['workers']} workers x {options['threads']} threads; "
                f"{options['rounds']} rounds of {options['requests']} requests each, "
                "product and baseline in turns"
                + (f"; {concurrency} concurrent clients" if concurrency > 1 else "")
            )
            header = (
                f"{'what':<26} {'product ms min/median':>22} {'p95':>7} "
                f"{'baseline ms min/median':>23} {'p95':>7} {'ratio':>6}"
            )
            if concurrency > 1:
                header += f" {'req/s':>7} {'base':>7}"
            self.stdout.write(header)
            for name, product, baseline in measurements:
                runs = {"product": [], "baseline": []}
                for _round in range(options["rounds"]):
                    for kind, path in (("product", product), ("baseline", baseline)):
                        runs[kind].append(
                            self.run(port, path, cookie, options["requests"], concurrency)
                        )
                self.stdout.write(self.line(name, runs, concurrency > 1))
            self.stdout.write(STATUS_API_NOTE)
        finally:
            process.terminate()
            process.wait(timeout=30)

    def run(
        self, port: int, path: str, cookie: str, requests: int, concurrency: int = 1
    ) -> tuple[float, float, float]:
        """Request ``path`` ``requests`` times on each of ``concurrency`` connections at once
        (after two untimed each); return median and p95 (ms) of all and the requests a second
        of the whole run, so a server that queues shows it in both."""
        headers = {"Cookie": cookie, "Accept-Language": "zh-hant"}
        return gunicorn.load(port, lambda _client, _index: path, headers, requests, concurrency)

    def line(self, name: str, runs: dict, throughput: bool = False) -> str:
        def figures(kind):
            medians = [median for median, _p95, _rate in runs[kind]]
            p95 = statistics.median(p for _median, p, _rate in runs[kind])
            return min(medians), statistics.median(medians), p95

        p_min, p_med, p_p95 = figures("product")
        b_min, b_med, b_p95 = figures("baseline")
        ratio = p_med / b_med if b_med else 0.0
        text = (
            f"{name:<26} {p_min:>10.1f} / {p_med:>9.1f} {p_p95:>7.1f} "
            f"{b_min:>11.1f} / {b_med:>9.1f} {b_p95:>7.1f} {ratio:>6.2f}"
        )
        if throughput:  # the median round's requests a second
            rates = {kind: statistics.median(r for _m, _p, r in runs[kind]) for kind in runs}
            text += f" {rates['product']:>7.0f} {rates['baseline']:>7.0f}"
        return text
