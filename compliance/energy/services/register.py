"""Art. 12: the energy-use register, computed from the suppliers' monthly figures.

A premises enters the register for an energy type when, in some month, the use of its
matched accounts of that type (summed: a premises may have several meters) reaches the
threshold of the rule book in force on the first day of that month, in the threshold's
unit. The register on a day looks back :data:`LOOK_BACK_MONTHS` months, that day's month
included. The whole computation is one grouped SQL query; the thresholds enter it as a
CASE over the published versions' date ranges.

Art. 10-5 targeting (``inspections/services/planning.py``) does not read the register yet:
``monthly_electricity_kwh`` below gives it the figure its ``is_inspection_target`` call
accepts, for a follow-up change in the inspections app.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from compliance.energy.models.energy_use import EnergyTypeChoice
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount
from compliance.rulebook.bridge import PublishedRuleBook, parameters_of
from portal import audit
from portal.choices import AuditAction

LOOK_BACK_MONTHS = 12


@dataclass(frozen=True)
class RegisterEntry:
    """One premises on the register for one energy type."""

    premises: Premises
    energy_type: str
    month: datetime.date  # the latest month that reached the threshold
    quantity: Decimal  # the highest monthly use in the look-back window
    threshold: Decimal
    unit: str

    def get_energy_type_display(self) -> str:
        return str(EnergyTypeChoice(self.energy_type).label)


def first_of_month(day: datetime.date, months_back: int = 0) -> datetime.date:
    """Return the first day of ``day``'s month, ``months_back`` months earlier."""
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _threshold_case(book: PublishedRuleBook) -> Case | None:
    """Return a CASE giving each row the threshold in force in its month (None: no rule book)."""
    whens = []
    upper = None  # versions run newest first: each ends where the next newer one begins
    for version in book.versions:
        in_range = Q(month__gte=version.effective_from)
        if upper is not None:
            in_range &= Q(month__lt=upper)
        for threshold in parameters_of(version).energy_use_thresholds:
            whens.append(
                When(
                    in_range & Q(account__energy_type=threshold.energy_type, unit=threshold.unit),
                    then=Value(threshold.monthly_amount),
                )
            )
        upper = version.effective_from
    if not whens:
        return None
    return Case(*whens, default=None, output_field=DecimalField(max_digits=14, decimal_places=2))


def qualifying_months(
    start: datetime.date, end: datetime.date, book: PublishedRuleBook | None = None
) -> QuerySet:
    """Return (premises, energy type, month, total, threshold) rows that reach the threshold.

    ``start`` and ``end`` are first days of months, both included.
    """
    case = _threshold_case(book or PublishedRuleBook.load())
    if case is None:
        return MonthlyEnergyUse.objects.none()
    return (
        MonthlyEnergyUse.objects.filter(
            account__premises__isnull=False, month__gte=start, month__lte=end
        )
        .annotate(threshold=case)
        .values("account__premises_id", "account__energy_type", "unit", "month", "threshold")
        .annotate(total=Sum("quantity"))
        .filter(threshold__isnull=False, total__gte=F("threshold"))
        .order_by()
    )


def register_on(day: datetime.date, premises: QuerySet | None = None) -> list[RegisterEntry]:
    """Return the register on ``day``: premises with their latest qualifying month and type.

    ``premises`` narrows it (e.g. to a district or industry); the entries come ordered by
    district, business and premises, in a fixed number of queries.
    """
    end = first_of_month(day)
    rows = qualifying_months(first_of_month(day, LOOK_BACK_MONTHS - 1), end)
    if premises is not None:
        rows = rows.filter(account__premises__in=premises.values("pk"))
    best: dict[tuple[int, str], dict] = {}
    for row in rows:
        key = (row["account__premises_id"], row["account__energy_type"])
        entry = best.setdefault(key, {**row, "latest": row["month"], "max": row["total"]})
        entry["latest"] = max(entry["latest"], row["month"])
        if row["total"] > entry["max"]:
            entry["max"] = row["total"]
            entry["threshold"] = row["threshold"]
    objects = Premises.objects.select_related("business").in_bulk({pk for pk, _t in best})
    entries = [
        RegisterEntry(
            premises=objects[pk],
            energy_type=energy_type,
            month=value["latest"],
            quantity=value["max"],
            threshold=value["threshold"],
            unit=value["unit"],
        )
        for (pk, energy_type), value in best.items()
    ]
    entries.sort(
        key=lambda e: (
            e.premises.district,
            e.premises.business.name_zh,
            e.premises.name,
            e.premises.pk,
            e.energy_type,
        )
    )
    return entries


def register_premises_ids(day: datetime.date) -> set[int]:
    """Return the ids of the premises on the register on ``day`` (one query)."""
    end = first_of_month(day)
    rows = qualifying_months(first_of_month(day, LOOK_BACK_MONTHS - 1), end)
    return {row["account__premises_id"] for row in rows}


def monthly_electricity_kwh(premises_ids: list[int], day: datetime.date) -> dict[int, Decimal]:
    """Return each premises' highest monthly electricity use (kWh) in the look-back window."""
    rows = (
        MonthlyEnergyUse.objects.filter(
            account__premises_id__in=premises_ids,
            account__energy_type=EnergyTypeChoice.ELECTRICITY,
            unit="kwh",
            month__gte=first_of_month(day, LOOK_BACK_MONTHS - 1),
            month__lte=first_of_month(day),
        )
        .values("account__premises_id", "month")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    result: dict[int, Decimal] = {}
    for row in rows:
        pk = row["account__premises_id"]
        result[pk] = max(result.get(pk, Decimal(0)), row["total"])
    return result


def monthly_use_of(premises: Premises, months: int = 24) -> list[dict]:
    """Return the premises' monthly use per energy type, newest month first (one query)."""
    return list(
        MonthlyEnergyUse.objects.filter(account__premises=premises)
        .values("month", "account__energy_type", "unit")
        .annotate(total=Sum("quantity"))
        .order_by("-month", "account__energy_type")[: months * len(EnergyTypeChoice.values)]
    )


@transaction.atomic
def match_account(actor, account: SupplierAccount, premises: Premises) -> SupplierAccount:
    """Set the premises ``account`` supplies (administrators only) and audit the change."""
    if not SupplierAccount.objects.editable_by(actor).filter(pk=account.pk).exists():
        raise PermissionDenied
    before = account.premises_id
    account.premises = premises
    account.matched_at = timezone.now()
    account.save(update_fields=["premises", "matched_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=account,
        changes={"premises": [before, premises.pk]},
        reason=gettext("Supplier account matched to a premises"),
        business_id=premises.business_id,
    )
    return account
