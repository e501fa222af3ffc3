"""Time committing an equipment CSV import of N rows beside a bare bulk insert of them.

Builds a scratch business (a chain with ``--premises`` premises) and a business user
acting for it, writes a CSV file of ``--rows`` new items in the import format, and
commits it through the product's service (``import_equipment_csv``: every cell checked,
every row audited, all or nothing), rolled back afterwards. The baseline is what the
same rows cost with no checking and no audit: one ``bulk_create`` of the same items,
rolled back too. Each is repeated ``--repeats`` times (product and baseline in turns)
and min/median seconds and the ratio of the medians are printed. The scratch rows are
deleted at the end. Figures, not a test: the file size limit is lifted for the run.
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from compliance.choices import (
    AcType,
    EfficiencyMetric,
    EquipmentKind,
    LampType,
    Sector,
    SpaceType,
)
from compliance.management.commands.benchmark_sweep import free_ubns, scratch_premises
from compliance.models import Business, BusinessMembership, Equipment, Premises
from compliance.registry.imports.cells import format_cell
from compliance.registry.imports.equipment import COLUMNS, import_equipment_csv
from compliance.registry.imports.writing import write_rows
from portal.choices import Role

USERNAME = "benchmark-import-owner"


class _Rollback(Exception):
    """Raised to leave a timed transaction without keeping what it wrote."""


class Command(BaseCommand):
    help = (
        "Commit an equipment CSV import of N rows (rolled back) and print seconds beside "
        "a bare bulk insert of the same rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=40_000, help="Rows (default 40,000).")
        parser.add_argument(
            "--premises", type=int, default=400, help="Premises of the chain (default 400)."
        )
        parser.add_argument("--repeats", type=int, default=3, help="Repeats (default 3).")

    def handle(self, *args, **options) -> None:
        rows, count, repeats = options["rows"], options["premises"], options["repeats"]
        if rows < 1 or count < 1 or repeats < 1:
            raise CommandError("--rows, --premises and --repeats must be at least 1.")
        user, business, premises_ids = self.create_scratch(count)
        try:
            items = [self.item(index, premises_ids) for index in range(rows)]
            text = "".join(write_rows(self.csv_rows(items)))
            self.stdout.write(
                f"equipment import: {rows:,} rows over {count:,} premises, "
                f"{len(text.encode()) / 1024 / 1024:.1f} MB of CSV"
            )
            runs: dict[str, list[float]] = {"product": [], "baseline": []}
            for _ in range(repeats):
                runs["product"].append(self.product(text, user, rows))
                runs["baseline"].append(self.baseline(premises_ids, rows))
        finally:
            self.delete_scratch(user, business)
        product, baseline = (statistics.median(runs[kind]) for kind in ("product", "baseline"))
        for kind, label in (("product", "import (commit)"), ("baseline", "bare bulk insert")):
            seconds = runs[kind]
            self.stdout.write(
                f"{label}: {rows:,} rows, min {min(seconds):.3f} s, "
                f"median {statistics.median(seconds):.3f} s"
            )
        self.stdout.write(f"ratio (median import / median bulk insert): {product / baseline:.2f}")

    @staticmethod
    def item(index: int, premises_ids: list[int]) -> Equipment:
        """Return the index-th item: lighting groups and air conditioners, alternately."""
        premises_id = premises_ids[index % len(premises_ids)]
        if index % 2:
            return Equipment(
                premises_id=premises_id,
                kind=EquipmentKind.AIR_CONDITIONER,
                tag=f"AC-{index}",
                description="分離式冷氣",
                ac_type=AcType.SPLIT,
                cooling_capacity_kw=Decimal("7.10"),
                efficiency_metric=EfficiencyMetric.CSPF,
                efficiency_value=Decimal("5.20"),
                installed_on=datetime.date(2024, 5, 1),
            )
        return Equipment(
            premises_id=premises_id,
            kind=EquipmentKind.LIGHTING,
            tag=f"LT-{index}",
            description="賣場照明",
            space_type=SpaceType.RETAIL_GENERAL,
            lamp_type=LampType.LED,
            lamp_count=40,
            lamp_wattage_w=Decimal("18.0"),
        )

    @staticmethod
    def csv_rows(items: list[Equipment]):
        yield list(COLUMNS)
        for item in items:
            yield [str(item.premises_id), *(format_cell(getattr(item, c)) for c in COLUMNS[1:])]

    def product(self, text: str, user, rows: int) -> float:
        started = time.perf_counter()
        try:
            # DEBUG off as in production: no query log kept for 40,000 rows.
            limit = len(text.encode()) + 1
            with override_settings(CSV_IMPORT_MAX_BYTES=limit, DEBUG=False), transaction.atomic():
                report = import_equipment_csv(text, user, dry_run=False, filename="benchmark.csv")
                seconds = time.perf_counter() - started
                if not report.committed or report.created != rows:
                    first = report.errors[:3]
                    raise CommandError(f"The import did not commit every row: {first}")
                raise _Rollback
        except _Rollback:
            pass
        return seconds

    def baseline(self, premises_ids: list[int], rows: int) -> float:
        started = time.perf_counter()
        try:
            with override_settings(DEBUG=False), transaction.atomic():
                Equipment.objects.bulk_create(
                    (self.item(index, premises_ids) for index in range(rows)), batch_size=500
                )
                seconds = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        return seconds

    def create_scratch(self, count: int) -> tuple:
        with transaction.atomic():
            user, _created = get_user_model().objects.get_or_create(
                username=USERNAME, defaults={"role": Role.BUSINESS}
            )
            (ubn,) = free_ubns(1)
            business = Business.objects.create(
                ubn=ubn,
                name_zh="匯入效能連鎖",
                name_en="Import Benchmark Chain",
                sector=Sector.COMMERCE,
                industry_code="4711",
                responsible_person="王大明",
            )
            BusinessMembership.objects.create(user=user, business=business)
            premises = scratch_premises("匯入效能門市", count, lambda _index: business)
        return user, business, [p.pk for p in premises]

    @staticmethod
    def delete_scratch(user, business: Business) -> None:
        with transaction.atomic():
            Premises.objects.filter(business=business).delete()
            BusinessMembership.objects.filter(business=business).delete()
            business.delete()
            user.delete()
