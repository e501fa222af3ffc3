"""Demo Art. 12 data: the demo supplier's accounts and monthly use, so the register is real.

Large premises (department stores, hotels, factories, office towers) use more than the
register's monthly threshold; so do the first premises of the demo logins' businesses,
so that a business can follow the subsidy journey (a scheme may require its premises on
the register). Smaller premises get an account below the threshold. Written in bulk, as
a supplier's confirmed uploads would have been.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from compliance.energy.models.energy_use import EnergyTypeChoice, EnergyUnit
from compliance.energy.services.register import first_of_month
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount

MONTHS = 6
LARGE_M2 = Decimal(3000)
THRESHOLD_KWH = 50_000  # the rule book's starting electricity threshold (Art. 12)


def load(supplier, premises: list[Premises], registered_ids: set[int], seed: int, today) -> int:
    """Give each premises an electricity account and six months of use; return the accounts.

    ``registered_ids`` use more than the threshold whatever their size. Does nothing when
    the premises have accounts already (a second run adds nothing).
    """
    if SupplierAccount.objects.filter(premises__in=premises).exists():
        return 0
    rng = random.Random(seed)
    months = [first_of_month(today, back) for back in range(MONTHS, 0, -1)]
    now = datetime.datetime.now(datetime.UTC)
    accounts, uses = [], []
    for place in premises:
        large = place.pk in registered_ids or place.floor_area_m2 >= LARGE_M2
        account = SupplierAccount(
            supplier=supplier,
            account_number=f"{rng.randrange(10**10):010d}",
            energy_type=EnergyTypeChoice.ELECTRICITY,
            premises=place,
            matched_at=now,
        )
        accounts.append(account)
        for month in months:
            if large:
                kwh = THRESHOLD_KWH * rng.uniform(1.1, 2.5)
            else:
                kwh = float(place.floor_area_m2) * rng.uniform(8, 14)
                kwh = min(kwh, THRESHOLD_KWH * 0.9)
            uses.append(
                MonthlyEnergyUse(
                    account=account,
                    month=month,
                    quantity=Decimal(f"{kwh:.0f}"),
                    unit=EnergyUnit.KWH,
                    uploaded_by=supplier,
                )
            )
    SupplierAccount.objects.bulk_create(accounts)
    for use in uses:
        use.account_id = use.account.pk
    MonthlyEnergyUse.objects.bulk_create(uses)
    return len(accounts)
