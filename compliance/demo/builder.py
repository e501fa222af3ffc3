"""Draw demo businesses, premises, equipment and logs from one seeded random stream."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal

from compliance.choices import (
    AcType,
    AirBarrier,
    EfficiencyMetric,
    Fuel,
    LampType,
    PremisesKind,
    SpaceType,
)
from compliance.choices import EquipmentKind as K
from compliance.demo.catalog import (
    DEMO_EMAIL_DOMAIN,
    DISTRICTS,
    ENTRANCES,
    GIVEN,
    MONTHLY_LOAD,
    PROFILES,
    SIGNBOARDS,
    SURNAMES,
    SYLLABLES,
    Profile,
    SiteType,
)
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Business, Equipment, Premises
from compliance.validators import is_valid_ubn

# Most premises keep the ordinance; problems gather at a fifth of them ("troubled"), where
# almost half the items break a rule, so about one item in ten does overall.
TROUBLED_SHARE = 0.2
NON_COMPLIANT_SHARE = 0.45  # of a troubled premises' items
LOG_MONTHS = 12  # the rule book's starting look-back (``log_lookback_months``)
MISSING_LOG_SHARE = 0.12  # of a troubled premises' months
TAG_PREFIX = {
    K.AIR_CONDITIONER: "AC",
    K.CHILLER: "CH",
    K.ENTRANCE: "EN",
    K.LIGHTING: "LT",
    K.SIGNBOARD: "SB",
    K.BOILER: "BL",
}
AC_SIZES_KW = {
    AcType.WINDOW: (2.2, 2.8, 3.6),
    AcType.SPLIT: (2.8, 3.6, 4.1, 5.0, 5.6, 6.3, 7.1, 8.0, 9.0, 11.2, 14.0),
    AcType.PACKAGED: (14.0, 22.4, 28.0, 35.5, 45.0, 56.0),
    AcType.MULTI_SPLIT: (22.4, 28.0, 33.5, 40.0, 45.0, 50.4, 56.0, 67.0),
}
# AC type -> (metric, usual range, range below the MOEA minimum)
AC_EFFICIENCY = {
    AcType.WINDOW: (EfficiencyMetric.CSPF, (3.4, 3.9), (2.3, 2.8)),
    AcType.SPLIT: (EfficiencyMetric.CSPF, (4.6, 6.8), (2.6, 3.2)),
    AcType.PACKAGED: (EfficiencyMetric.EER, (2.9, 3.5), (2.0, 2.5)),
    AcType.MULTI_SPLIT: (EfficiencyMetric.EER, (3.2, 4.2), (2.0, 2.5)),
}
LAMP_WATTS = {
    LampType.LED: (9, 12, 15, 18, 20, 24, 36, 40),
    LampType.FLUORESCENT: (14, 18, 28, 36),
    LampType.COMPACT_FLUORESCENT: (13, 18, 23, 26),
    LampType.HID: (150, 250, 400),
    LampType.INCANDESCENT: (40, 60, 75, 100),
    LampType.HALOGEN: (35, 50),
}
EXHAUST_CO2_PCT = {Fuel.FUEL_OIL: (11.0, 13.5), Fuel.DIESEL: (11.0, 13.5), Fuel.LPG: (10.0, 12.0)}


def allocate(rng: random.Random, total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Share ``total`` among the slots: ``minimum`` each while it lasts, the rest by weight."""
    each = minimum if total >= minimum * len(weights) else 1
    counts = [each if i < total else 0 for i in range(len(weights))]
    rest = total - sum(counts)
    if rest > 0:
        for slot, extra in Counter(rng.choices(range(len(weights)), weights, k=rest)).items():
            counts[slot] += extra
    return counts


def _dec(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


class DemoBuilder:
    """Build unsaved records; every value comes from one seeded stream, in a fixed order."""

    def __init__(self, seed: int, today: date, taken_ubns: Collection[str] = ()):
        self.rng = random.Random(seed)
        self.today = today
        self.used_ubns = set(taken_ubns)

    # People, numbers, places and days.
    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))

    def ubn(self) -> str:
        while True:
            candidate = f"{self.rng.randrange(10**8):08d}"
            if candidate not in self.used_ubns and is_valid_ubn(candidate):
                self.used_ubns.add(candidate)
                return candidate

    def phone(self) -> str:
        return f"02-2{self.rng.randrange(100, 1000)}-{self.rng.randrange(10000):04d}"

    def address(self, district: str, office: bool = False) -> tuple[str, str]:
        """Return an address in the district and its street."""
        district_zh, streets = DISTRICTS[district]
        street = self.rng.choice(streets)
        number = self.rng.randrange(1, 320)
        floor = f"{self.rng.randrange(2, 25)}樓" if office else ""
        return f"臺北市{district_zh}{street}{number}號{floor}", street

    def day_between(self, first: date, last: date) -> date:
        return date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def recent_day(self) -> date:
        """Return a day of the last twenty months (after the ordinance's rules took effect)."""
        return self.day_between(self.today - timedelta(days=600), self.today - timedelta(days=7))

    # Businesses and premises.
    def plan(self, businesses: int, premises: int) -> list[tuple[Profile, list[SiteType]]]:
        """Choose each business's industry and the sites of its premises.

        The first businesses take each industry in turn, so that a small data set still
        has every kind of premises and equipment.
        """
        weights = [p.frequency for p in PROFILES]
        profiles = [
            PROFILES[i] if i < len(PROFILES) else self.rng.choices(PROFILES, weights)[0]
            for i in range(businesses)
        ]
        counts = allocate(self.rng, premises, [p.chain for p in profiles])
        plan = []
        for profile, count in zip(profiles, counts, strict=True):
            sites, site_weights = zip(*profile.sites, strict=True)
            others = self.rng.choices(sites, site_weights, k=max(count - 1, 0))
            plan.append((profile, [sites[0], *others][:count]))
        return plan

    def business(self, profile: Profile) -> tuple[Business, str]:
        """Return an unsaved business and its brand in Chinese."""
        (zh1, en1), (zh2, en2) = self.rng.sample(SYLLABLES, 2)
        suffix_zh, suffix_en = self.rng.choice(profile.names)
        brand_en = en1 + en2.lower()
        home = self.rng.choice(profile.sites[0][0].districts)
        business = Business(
            ubn=self.ubn(),
            name_zh=zh1 + zh2 + suffix_zh,
            name_en=f"{brand_en} {suffix_en}",
            sector=profile.sector,
            industry_code=profile.code,
            industry_label=profile.label,
            responsible_person=self.person(),
            contact_name=self.person(),
            contact_phone=self.phone(),
            contact_email=f"{brand_en.lower()}@{DEMO_EMAIL_DOMAIN}",
            registered_address=self.address(home, office=True)[0],
        )
        return business, zh1 + zh2

    def premises(self, business: Business, brand_zh: str, site: SiteType) -> Premises:
        district = self.rng.choice(site.districts)
        address, street = self.address(district, office=site.kind == PremisesKind.OFFICE)
        branch = street[:2] if site.street_front else DISTRICTS[district][0][:2]
        opens, closes, days = site.hours or (None, None, "每日 24 小時")
        return Premises(
            business=business,
            name=f"{brand_zh}{branch}{site.suffix}",
            kind=site.kind,
            address=address,
            district=district,
            category=site.category,
            floor_area_m2=_dec(self.rng.uniform(*site.area), 2),
            has_arcade=self.rng.random() < site.arcade,
            opens_at=opens,
            closes_at=closes,
            opening_days=days,
        )

    # Equipment, kind by kind.
    def kinds(self, site: SiteType, area: Decimal, count: int) -> list[str]:
        """Return the kinds of a site's items: its core kinds first, then weighted extras."""
        small = area < 1500 and site.chiller_hp[0] < 100  # small sites rarely have chillers
        core = [kind for kind in site.core if not (kind == K.CHILLER and small)]
        # Every premises has an entrance and is lit: those come first when items are few.
        core.sort(key=lambda kind: kind not in (K.ENTRANCE, K.LIGHTING))
        kinds, weights = zip(*site.extra, strict=True)
        return [*core, *self.rng.choices(kinds, weights, k=max(count - len(core), 0))][:count]

    def air_conditioner(self, site: SiteType, bad: bool) -> dict:
        if site.area[0] >= 3000 and self.rng.random() < 0.5:
            ac_type = self.rng.choice((AcType.PACKAGED, AcType.MULTI_SPLIT))
        else:
            ac_type = self.rng.choices((AcType.SPLIT, AcType.WINDOW, AcType.PACKAGED), (8, 1, 2))[0]
        metric, usual, poor = AC_EFFICIENCY[ac_type]
        installed = self.recent_day() if bad else self.day_between(date(2008, 1, 1), self.today)
        return {
            "ac_type": ac_type,
            "cooling_capacity_kw": _dec(self.rng.choice(AC_SIZES_KW[ac_type]), 2),
            "efficiency_metric": metric,
            "efficiency_value": _dec(self.rng.uniform(*(poor if bad else usual)), 2),
            "installed_on": installed,
        }

    def chiller(self, site: SiteType, bad: bool) -> dict:
        low, high = site.chiller_hp
        hp = self.rng.randrange(max(low, 100) if bad else low, high + 1, 10)
        large = hp >= 100
        metered = not bad and (large or self.rng.random() < 0.3)
        old = self.rng.random() < 0.7
        return {
            "capacity_hp": _dec(hp, 1),
            "is_production_use": not bad and self.rng.random() < site.production,
            "has_separate_meter": metered,
            "energy_manager": self.person() if large and self.rng.random() < 0.9 else "",
            "installed_on": self.day_between(date(2000, 1, 1), self.today) if old else None,
        }

    def entrance(self, bad: bool) -> dict:
        if bad:
            return {"air_barrier": AirBarrier.NONE}
        barriers = (AirBarrier.AUTOMATIC_DOOR, AirBarrier.AIR_CURTAIN)
        return {"air_barrier": self.rng.choices(barriers, (65, 35))[0]}

    def lighting(self, site: SiteType, bad: bool, area: Decimal) -> dict:
        space = self.rng.choice(site.spaces)
        if bad:
            lamp = self.rng.choices((LampType.INCANDESCENT, LampType.HALOGEN), (7, 3))[0]
            count = self.rng.randrange(4, 61)
        else:
            industrial = space in (SpaceType.WAREHOUSE, SpaceType.PRODUCTION)
            lamps = (LampType.LED, LampType.FLUORESCENT, LampType.COMPACT_FLUORESCENT, LampType.HID)
            lamp = self.rng.choices(lamps, (75, 15, 5, 5 if industrial else 0))[0]
            count = max(4, min(3000, int(float(area) * self.rng.uniform(0.01, 0.06))))
        return {
            "space_type": space,
            "lamp_type": lamp,
            "lamp_count": count,
            "lamp_wattage_w": _dec(self.rng.choice(LAMP_WATTS[lamp]), 1),
        }

    def signboard(self, bad: bool) -> dict:
        if bad:
            return {
                "lamp_type": LampType.INCANDESCENT,
                "lamp_count": self.rng.randrange(20, 201),
                "lamp_wattage_w": _dec(self.rng.choice((10, 15, 25)), 1),
            }
        lamps = (LampType.LED, LampType.NEON, LampType.FLUORESCENT)
        values = {"lamp_type": self.rng.choices(lamps, (70, 15, 15))[0]}
        if self.rng.random() < 0.6:
            values["lamp_count"] = self.rng.randrange(1, 120)
            values["lamp_wattage_w"] = _dec(self.rng.choice((1, 3, 5, 18, 36)), 1)
        return values

    def boiler(self, bad: bool) -> dict:
        standby = False
        if bad:  # large, oil-fired, installed after Art. 8-1 took effect
            fuel, steam = self.rng.choice((Fuel.FUEL_OIL, Fuel.DIESEL)), self.rng.uniform(2, 6)
            installed = self.recent_day()
        elif self.rng.random() < 0.1:  # an emergency standby boiler (exempt)
            fuel, steam, standby = Fuel.DIESEL, self.rng.uniform(0.5, 3), True
            installed = self.day_between(date(1998, 1, 1), self.today)
        elif self.rng.random() < 0.1:  # an old oil-fired boiler, from before the ordinance
            fuel, steam = Fuel.FUEL_OIL, self.rng.uniform(1, 6)
            installed = self.day_between(date(1995, 1, 1), date(2015, 12, 31))
        else:
            fuels = (Fuel.NATURAL_GAS, Fuel.LPG, Fuel.ELECTRICITY)
            fuel = self.rng.choices(fuels, (85, 10, 5))[0]
            # Gas and electric boilers stay below the Art. 8-1 size threshold.
            low, high = {Fuel.NATURAL_GAS: (0.5, 6), Fuel.LPG: (0.5, 1.9)}.get(fuel, (0.3, 1))
            steam = self.rng.uniform(low, high)
            installed = self.day_between(date(2000, 1, 1), self.today)
        values = {
            "fuel": fuel,
            "is_standby": standby,
            "installed_on": installed,
            "steam_evaporation_tph": _dec(steam, 2),
        }
        if self.rng.random() < 0.6:  # about 640,000 kcal/h per t/h of steam, at 88 %
            values["heat_input_kcal_h"] = int(round(steam * 727_000, -4))
        return values

    def troubled(self) -> bool:
        """Draw whether a premises is one of the few where problems gather."""
        return self.rng.random() < TROUBLED_SHARE

    def equipment(
        self, premises: Premises, site: SiteType, count: int, troubled: bool = True
    ) -> list[Equipment]:
        items, numbers = [], Counter()
        for kind in self.kinds(site, premises.floor_area_m2, count):
            bad = troubled and self.rng.random() < NON_COMPLIANT_SHARE
            numbers[kind] += 1
            number = numbers[kind]
            if kind == K.AIR_CONDITIONER:
                values = self.air_conditioner(site, bad)
                text = f"{self.rng.randrange(1, 6)}F {self.rng.choice(site.rooms)}"
            elif kind == K.CHILLER:
                values, text = self.chiller(site, bad), f"{number}號冰水主機"
            elif kind == K.ENTRANCE:
                values, text = self.entrance(bad), ENTRANCES[min(number, len(ENTRANCES)) - 1]
            elif kind == K.LIGHTING:
                values = self.lighting(site, bad, premises.floor_area_m2)
                text = f"{self.rng.choice(site.rooms)}照明"
            elif kind == K.SIGNBOARD:
                values, text = self.signboard(bad), SIGNBOARDS[min(number, len(SIGNBOARDS)) - 1]
            else:
                values, text = self.boiler(bad), f"{number}號蒸汽鍋爐"
            tag = f"{TAG_PREFIX[kind]}-{number:02d}"
            items.append(
                Equipment(premises=premises, kind=kind, tag=tag, description=text, **values)
            )
        return items

    # Monthly logs (Arts. 5-3 and 8-2).
    def log_months(self, gaps: bool = True) -> list[date]:
        """Return the last complete months, oldest first, leaving some out if ``gaps``."""
        this_month = self.today.year * 12 + self.today.month - 1
        months = [
            date((this_month - back) // 12, (this_month - back) % 12 + 1, 1)
            for back in range(LOG_MONTHS, 0, -1)
        ]
        if not gaps:
            return months
        return [month for month in months if self.rng.random() >= MISSING_LOG_SHARE]

    def ac_logs(
        self, chiller: Equipment, round_the_clock: bool, gaps: bool = True
    ) -> list[AcMonthlyLog]:
        hp = float(chiller.capacity_hp)
        full_load_kwh = hp * 0.746 * (600 if round_the_clock else 300)
        return [
            AcMonthlyLog(
                equipment=chiller,
                month=month,
                recorded_by=chiller.energy_manager or self.person(),
                ac_electricity_kwh=_dec(
                    full_load_kwh * MONTHLY_LOAD[month.month - 1] * self.rng.uniform(0.5, 0.8), 1
                ),
                chiller_inlet_temp_c=_dec(self.rng.uniform(11.5, 13.0), 1),
                chiller_outlet_temp_c=_dec(self.rng.uniform(6.5, 7.5), 1),
                chiller_flow_m3h=_dec(hp * self.rng.uniform(0.45, 0.6), 1),
                tower_inlet_temp_c=_dec(self.rng.uniform(35.0, 37.5), 1),
                tower_outlet_temp_c=_dec(self.rng.uniform(30.0, 32.5), 1),
                tower_flow_m3h=_dec(hp * self.rng.uniform(0.6, 0.8), 1),
                # A month without maintenance is an incomplete record (Art. 5-3).
                maintenance_done=not gaps or self.rng.random() < 0.9,
            )
            for month in self.log_months(gaps)
        ]

    def boiler_logs(self, boiler: Equipment, gaps: bool = True) -> list[BoilerMonthlyLog]:
        if boiler.is_standby:
            return []  # a standby boiler does not run, so nothing is logged
        steam = float(boiler.steam_evaporation_tph)
        co2 = EXHAUST_CO2_PCT.get(boiler.fuel, (8.5, 10.5))
        return [
            BoilerMonthlyLog(
                equipment=boiler,
                month=month,
                recorded_by=self.person(),
                air_volume_m3h=_dec(steam * self.rng.uniform(700, 900), 1),
                exhaust_temp_c=_dec(self.rng.uniform(150, 230), 1),
                furnace_wall_temp_c=_dec(self.rng.uniform(40, 65), 1),
                exhaust_co2_pct=_dec(self.rng.uniform(*co2), 1),
                combustion_complete=not gaps or self.rng.random() < 0.95,
            )
            for month in self.log_months(gaps)
        ]
