"""Measure assessing a city of premises: a first assessment and an unchanged re-assessment.

Builds scratch premises (each with an entrance, two lighting groups, an air conditioner;
every tenth with a 150 HP chiller and its monthly logs) under businesses of its own,
assesses them twice through the product's service (``assess_premises``), and prints
premises per second beside a bare baseline: one bulk INSERT of as many decision rows,
the least any assessment that stores a decision per premises must write. The scratch
rows are deleted afterwards (``--keep`` leaves them). Needs a published rule book.
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from compliance.choices import EquipmentKind, Sector
from compliance.management.commands.benchmark_sweep import free_ubns, scratch_premises
from compliance.models import (
    AcMonthlyLog,
    Business,
    ComplianceAssessment,
    Equipment,
    RuleBookVersion,
)
from compliance.rulebook.services import assessment

PREMISES_PER_BUSINESS = 5
CHILLER_EVERY = 10
LOG_MONTHS = 12


class Command(BaseCommand):
    help = (
        "Assess a scratch city twice (first, then with nothing changed) and print premises "
        "per second beside a bare bulk insert of as many decision rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--premises", type=int, default=100_000, help="Scratch premises (default 100,000)."
        )
        parser.add_argument("--rounds", type=int, default=1, help="Rounds (default 1).")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch premises afterwards."
        )

    def handle(self, *args, **options) -> None:
        count = options["premises"]
        if count < 1 or options["rounds"] < 1:
            raise CommandError("--premises and --rounds must be at least 1.")
        day = timezone.localdate()
        if RuleBookVersion.objects.in_force_on(day) is None:
            raise CommandError(
                "No published rule book in force today: publish the initial draft first "
                "(the rule-book pages; make demo does it)."
            )
        runs: dict[str, list[float]] = {"first": [], "unchanged": [], "baseline": []}
        for _ in range(options["rounds"]):
            started = time.perf_counter()
            ids = self.create_scratch(count, day)
            self.stdout.write(
                f"scratch city: {count:,} premises in {time.perf_counter() - started:.1f} s"
            )
            try:
                runs["baseline"].append(self.baseline(ids, day))
                runs["first"].append(self.timed(ids, day))
                runs["unchanged"].append(self.timed(ids, day + datetime.timedelta(days=1)))
            finally:
                if not options["keep"]:
                    self.delete_scratch(ids)
        base = statistics.median(runs["baseline"])
        for name, label in (
            ("first", "first assessment"),
            ("unchanged", "unchanged re-assessment"),
            ("baseline", "bare bulk insert (baseline)"),
        ):
            seconds = runs[name]
            median = statistics.median(seconds)
            self.stdout.write(
                f"{label}: {count:,} premises, min {min(seconds):.2f} s, "
                f"median {median:.2f} s, {count / median:,.0f} premises/s, "
                f"{median / base:.1f} x baseline"
            )

    def timed(self, ids: list[int], day: datetime.date) -> float:
        started = time.perf_counter()
        assessment.assess_premises(ids, day=day, trigger="command: benchmark_assessment")
        return time.perf_counter() - started

    def baseline(self, ids: list[int], day: datetime.date) -> float:
        """A bulk INSERT of one small decision per premises, rolled back."""
        started = time.perf_counter()
        with transaction.atomic():
            ComplianceAssessment.objects.bulk_create(
                (
                    ComplianceAssessment(
                        premises_id=pk, as_of=day, confirmed_on=day, outcome="compliant"
                    )
                    for pk in ids
                ),
                batch_size=5000,
            )
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    def create_scratch(self, count: int, day: datetime.date) -> list[int]:
        with transaction.atomic():
            businesses = Business.objects.bulk_create(
                (
                    Business(
                        ubn=ubn,
                        name_zh=f"評估效能商行{index}",
                        name_en=f"Assessment Benchmark {index}",
                        sector=Sector.COMMERCE,
                        industry_code="4711",
                        responsible_person="王大明",
                    )
                    for index, ubn in enumerate(free_ubns(-(-count // PREMISES_PER_BUSINESS)))
                ),
                batch_size=5000,
            )
            premises = scratch_premises(
                "評估效能門市",
                count,
                lambda index: businesses[index // PREMISES_PER_BUSINESS],
                batch_size=5000,
            )
            installed = day - datetime.timedelta(days=400)
            equipment = []
            for index, item in enumerate(premises):
                equipment += [
                    Equipment(premises=item, kind=EquipmentKind.ENTRANCE, tag="E1"),
                    Equipment(premises=item, kind=EquipmentKind.LIGHTING, tag="L1", lamp_count=4),
                    Equipment(premises=item, kind=EquipmentKind.LIGHTING, tag="L2"),
                    Equipment(
                        premises=item,
                        kind=EquipmentKind.AIR_CONDITIONER,
                        tag="AC1",
                        installed_on=installed,
                        cooling_capacity_kw=Decimal("7.1"),
                    ),
                ]
                if index % CHILLER_EVERY == 0:
                    equipment.append(
                        Equipment(
                            premises=item,
                            kind=EquipmentKind.CHILLER,
                            tag="CH1",
                            installed_on=installed,
                            capacity_hp=Decimal("150"),
                            has_separate_meter=True,
                        )
                    )
            equipment = Equipment.objects.bulk_create(equipment, batch_size=5000)
            first = day.replace(day=1)
            months = []
            for back in range(1, LOG_MONTHS + 1):
                index = first.year * 12 + first.month - 1 - back
                months.append(datetime.date(index // 12, index % 12 + 1, 1))
            AcMonthlyLog.objects.bulk_create(
                (
                    AcMonthlyLog(
                        equipment=item,
                        month=month,
                        ac_electricity_kwh=Decimal("1200.0"),
                        maintenance_done=True,
                        recorded_by="王大明",
                    )
                    for item in equipment
                    if item.kind == EquipmentKind.CHILLER
                    for month in months
                ),
                batch_size=5000,
            )
        # Declared long ago, as a city's registry is: the nightly run meets no new dates.
        Equipment.objects.filter(premises__in=premises).update(
            created_at=timezone.now() - datetime.timedelta(days=400)
        )
        with connection.cursor() as cursor:
            for table in ("premises", "equipment", "acmonthlylog"):
                cursor.execute(f"ANALYZE compliance_{table}")
        return [p.pk for p in premises]

    def delete_scratch(self, ids: list[int]) -> None:
        statements = [
            "DELETE FROM compliance_articlestatus WHERE premises_id = ANY(%(ids)s)",
            "DELETE FROM compliance_premisesstatus WHERE premises_id = ANY(%(ids)s)",
            "DELETE FROM compliance_complianceassessment WHERE premises_id = ANY(%(ids)s)",
            """DELETE FROM compliance_acmonthlylog l USING compliance_equipment e
               WHERE e.id = l.equipment_id AND e.premises_id = ANY(%(ids)s)""",
            "DELETE FROM compliance_equipment WHERE premises_id = ANY(%(ids)s)",
            """DELETE FROM compliance_business b USING compliance_premises p
               WHERE p.business_id = b.id AND p.id = ANY(%(ids)s)""",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT business_id FROM compliance_premises WHERE id = ANY(%(ids)s)",
                {"ids": ids},
            )
            businesses = [row[0] for row in cursor.fetchall()]
            for statement in statements[:-1]:
                cursor.execute(statement, {"ids": ids})
            cursor.execute("DELETE FROM compliance_premises WHERE id = ANY(%(ids)s)", {"ids": ids})
            cursor.execute(
                "DELETE FROM compliance_business WHERE id = ANY(%(ids)s)", {"ids": businesses}
            )
