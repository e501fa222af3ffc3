"""Time the compliance status APIs under concurrent clients beside bare baselines.

Makes (once; reused afterwards) a scratch set of assessed premises under businesses of
its own, issues an API token to an administrator, starts gunicorn as docker-compose does
(DEBUG off; ``--workers``, ``--threads``) with bare baseline views added
(``_status_bench_urls``), and for the premises status API and the business status API
runs ``--concurrency`` clients, each on its own connection, over the scratch ids:
product and baseline in turns, ``--rounds`` times. It prints requests a second (min /
median of the rounds), the median p95 latency, and the ratio of the medians' req/s.
Figures, not a test.
"""

from __future__ import annotations

import datetime
import statistics
import subprocess
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from compliance.choices import EquipmentKind, Sector
from compliance.management.commands import _gunicorn as gunicorn
from compliance.management.commands.benchmark_sweep import free_ubns, scratch_premises
from compliance.models import Business, Equipment, Premises, RuleBookVersion
from compliance.rulebook.services import assessment
from portal.choices import Role
from portal.models import ApiToken

SETTINGS = "compliance.management.commands._status_bench_settings"
MARKER = "狀態效能商行"
PREMISES_PER_BUSINESS = 5
USERNAME = "benchmark-status-admin"


class Command(BaseCommand):
    help = (
        "Time the premises and business status APIs under concurrent clients beside bare "
        "baseline views (req/s, p95, ratio)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--premises", type=int, default=500, help="Scratch premises (default 500)."
        )
        parser.add_argument("--concurrency", type=int, default=8, help="Clients (default 8).")
        parser.add_argument(
            "--requests", type=int, default=200, help="Requests per client and run (default 200)."
        )
        parser.add_argument("--rounds", type=int, default=3, help="Rounds (default 3).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument("--threads", type=int, default=1, help="gunicorn threads (default 1).")
        parser.add_argument(
            "--source",
            default="",
            help="Serve the code of another checkout (a directory), e.g. an older commit "
            "exported with git archive, to compare before and after on the same data.",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_status_api needs PostgreSQL.")
        keys = ("premises", "concurrency", "requests", "rounds", "workers", "threads")
        if min(options[key] for key in keys) < 1:
            raise CommandError(f"Need --{', --'.join(keys)} of at least 1.")
        premises_ids, business_ids = self.scratch(options["premises"])
        raw = self.token()
        process, port = self.serve(options)
        try:
            self.stdout.write(
                f"gunicorn: {options['workers']} workers x {options['threads']} threads; "
                f"{options['concurrency']} concurrent clients x {options['requests']} requests, "
                f"{options['rounds']} rounds, product and baseline in turns; "
                f"{len(premises_ids):,} premises of {len(business_ids):,} businesses"
            )
            self.stdout.write(
                f"{'what':<28} {'req/s min/median':>17} {'p95 ms':>7} "
                f"{'baseline req/s min/median':>26} {'p95 ms':>7} {'ratio':>6}"
            )
            for name, product, baseline, ids in (
                (
                    "premises status API",
                    "/api/v1/compliance/premises/{}/",
                    "/bench/compliance/premises/{}/",
                    premises_ids,
                ),
                (
                    "business status API",
                    "/api/v1/compliance/businesses/{}/",
                    "/bench/compliance/businesses/{}/",
                    business_ids,
                ),
            ):
                # Every body rendered once and every row read once beforehand: a decision is
                # rendered once per language, so the steady state is what is measured.
                for pattern, token in ((product, raw), (baseline, None)):
                    self.run(
                        port,
                        pattern,
                        ids,
                        token,
                        {**options, "requests": -(-len(ids) // options["concurrency"])},
                    )
                runs: dict[str, list[tuple[float, float]]] = {"product": [], "baseline": []}
                for _round in range(options["rounds"]):
                    runs["product"].append(self.run(port, product, ids, raw, options))
                    runs["baseline"].append(self.run(port, baseline, ids, None, options))
                self.stdout.write(self.line(name, runs))
        finally:
            process.terminate()
            process.wait(timeout=30)

    # --- Data ----------------------------------------------------------------------------

    def scratch(self, count: int) -> tuple[list[int], list[int]]:
        """Return the scratch premises and businesses, made and assessed if missing."""
        premises = list(
            Premises.objects.filter(business__name_zh__startswith=MARKER)
            .order_by("pk")
            .values_list("pk", flat=True)[:count]
        )
        if len(premises) < count:
            day = timezone.localdate()
            if RuleBookVersion.objects.in_force_on(day) is None:
                raise CommandError("No published rule book in force today (make demo publishes).")
            premises += self.create(count - len(premises), day)
        businesses = sorted(
            set(Premises.objects.filter(pk__in=premises).values_list("business_id", flat=True))
        )
        return premises, businesses

    def create(self, count: int, day: datetime.date) -> list[int]:
        with transaction.atomic():
            businesses = Business.objects.bulk_create(
                Business(
                    ubn=ubn,
                    name_zh=f"{MARKER}{ubn}",
                    name_en=f"Status Benchmark {ubn}",
                    sector=Sector.COMMERCE,
                    industry_code="4711",
                    responsible_person="王大明",
                )
                for ubn in free_ubns(-(-count // PREMISES_PER_BUSINESS))
            )
            premises = scratch_premises(
                "狀態效能門市", count, lambda index: businesses[index // PREMISES_PER_BUSINESS]
            )
            # Findings to explain: a chiller without its own meter (Art. 5-3), lighting.
            Equipment.objects.bulk_create(
                item
                for place in premises
                for item in (
                    Equipment(premises=place, kind=EquipmentKind.ENTRANCE, tag="E1"),
                    Equipment(premises=place, kind=EquipmentKind.LIGHTING, tag="L1", lamp_count=4),
                    Equipment(
                        premises=place,
                        kind=EquipmentKind.CHILLER,
                        tag="CH1",
                        installed_on=day - datetime.timedelta(days=400),
                        capacity_hp=Decimal("150"),
                        has_separate_meter=False,
                    ),
                )
            )
        ids = [place.pk for place in premises]
        assessment.assess_premises(ids, day=day, trigger="command: benchmark_status_api")
        return ids

    def token(self) -> str:
        user, _created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"role": Role.ADMINISTRATOR}
        )
        ApiToken.objects.filter(user=user, name="benchmark").delete()
        _token, raw = ApiToken.generate(user, "benchmark")
        return raw

    # --- Serving and measuring -------------------------------------------------------------

    def serve(self, options) -> tuple[subprocess.Popen, int]:
        return gunicorn.start(
            SETTINGS,
            workers=options["workers"],
            threads=options["threads"],
            cwd=options["source"] or settings.BASE_DIR,
        )

    def run(self, port: int, pattern: str, ids: list[int], raw: str | None, options) -> tuple:
        """Run the clients at once over ``ids``; return (requests a second, p95 ms)."""
        headers = {"Accept-Language": "zh-hant", "Accept": "application/json"}
        if raw:
            headers["Authorization"] = f"Token {raw}"
        concurrency, requests = options["concurrency"], options["requests"]

        def path_of(client: int, index: int) -> str:  # the clients spread over the ids
            return pattern.format(ids[(client + index * concurrency) % len(ids)])

        _median, p95, rate = gunicorn.load(port, path_of, headers, requests, concurrency)
        return rate, p95

    @staticmethod
    def line(name: str, runs: dict) -> str:
        def figures(kind):
            rates = [rate for rate, _p95 in runs[kind]]
            return (
                min(rates),
                statistics.median(rates),
                statistics.median(p for _r, p in runs[kind]),
            )

        p_min, p_med, p_p95 = figures("product")
        b_min, b_med, b_p95 = figures("baseline")
        return (
            f"{name:<28} {p_min:>7.0f} / {p_med:>7.0f} {p_p95:>7.1f} "
            f"{b_min:>15.0f} / {b_med:>8.0f} {b_p95:>7.1f} {p_med / b_med:>6.2f}"
        )
