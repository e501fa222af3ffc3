"""The working calendar as data, and the periods the portal sets (APA Art. 48).

National holidays, their observed days and the make-up workdays come from the pinned
``holidays`` package (Taiwan, as the Directorate-General of Personnel Administration
publishes them); administrators declare the City's own changes (``CalendarDay``). The
engine (``compliance.rules.working_calendar``) does the arithmetic on the result.

A day declared off moves every running deadline that ended on it to the next working day,
with an event and an audit entry on each case and an e-mail to whom it concerns. Opening a
day never shortens a deadline already set.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from compliance.energy.models.suppliers import DataOrderEvent, DataOrderStatus
from compliance.enforcement import permissions  # noqa: F401 (registers the rules asked below)
from compliance.enforcement.services.violations import actor_and_label
from compliance.models import CalendarDay, CalendarDayKind, DataOrder, Violation, ViolationEvent
from compliance.rules.working_calendar import WorkingCalendar, moved_by_change, period_end
from portal import audit, outbox
from portal.choices import AuditAction
from portal.models import AuditEntry
from portal.permissions import require

MOVED_TOPIC = "enforcement.deadline_moved"
# The holidays package names a bridge day "Day off (substituted from 01/07/2023)": the day
# named is the Saturday worked in exchange (補行上班).
SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")
# How far the years loaded reach past the day a period starts (periods are at most 60
# days; an appeal's 30; the rest of the next year is plenty).
YEARS_AHEAD = 1


@dataclass(frozen=True)
class NamedDay:
    """A day of the calendar with its kind, names and where it comes from."""

    day: datetime.date
    kind: str
    name_zh: str
    name_en: str
    declared: CalendarDay | None = None

    @property
    def is_declared(self) -> bool:
        return self.declared is not None


@lru_cache(maxsize=32)
def national_days(year: int) -> tuple[NamedDay, ...]:
    """Return Taiwan's national rest days and make-up workdays of ``year``, by day."""
    chinese = holidays.country_holidays("TW", years=year, language="zh_TW")
    english = holidays.country_holidays("TW", years=year, language="en_US")
    days = {
        day: NamedDay(day, CalendarDayKind.REST_DAY, chinese.get(day, name), name)
        for day, name in english.items()
    }
    for name in english.values():
        match = SUBSTITUTED_FROM.search(name)
        if match:
            month, day_of_month, worked_year = (int(part) for part in match.groups())
            worked = datetime.date(worked_year, month, day_of_month)
            if worked.year == year:
                days[worked] = NamedDay(
                    worked, CalendarDayKind.WORKDAY, "補行上班", "Make-up workday"
                )
    return tuple(sorted(days.values(), key=lambda named: named.day))


def days_of_year(year: int) -> list[NamedDay]:
    """Return the year's rest days and weekend workdays: national, then as declared."""
    days = {named.day: named for named in national_days(year)}
    for row in CalendarDay.objects.filter(day__year=year).select_related("declared_by"):
        days[row.day] = NamedDay(row.day, row.kind, row.name_zh, row.name_en, declared=row)
    return sorted(days.values(), key=lambda named: named.day)


def calendar_for(first: datetime.date, last: datetime.date | None = None) -> WorkingCalendar:
    """Return the working calendar from ``first``'s year to a year past ``last`` (or first)."""
    last = last or first
    rest: set[datetime.date] = set()
    work: set[datetime.date] = set()
    for year in range(first.year, last.year + YEARS_AHEAD + 1):
        for named in national_days(year):
            (rest if named.kind == CalendarDayKind.REST_DAY else work).add(named.day)
    declared = CalendarDay.objects.filter(
        day__year__gte=first.year, day__year__lte=last.year + YEARS_AHEAD
    ).values_list("day", "kind")
    for day, kind in declared:
        if kind == CalendarDayKind.REST_DAY:
            work.discard(day)
            rest.add(day)
        else:
            rest.discard(day)
            work.add(day)
    return WorkingCalendar.of(rest_days=rest, workdays=work)


def deadline_after(event_day: datetime.date, days: int) -> datetime.date:
    """Return the last day of a period of ``days`` days from ``event_day`` (APA Art. 48)."""
    return period_end(calendar_for(event_day), event_day, days)


@transaction.atomic
def declare_day(
    actor, *, day: datetime.date, kind: str, name_zh: str, name_en: str, reason: str
) -> tuple[CalendarDay, int]:
    """Declare ``day`` off or open; return the row and how many deadlines it moved."""
    require(actor, "enforcement.declare_working_day")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, and which announcement this follows.")})
    before = calendar_for(day)
    row = CalendarDay.objects.select_for_update().filter(day=day).first()
    old = audit.snapshot(row, ["kind", "name_zh", "name_en", "reason"]) if row else {}
    if row is None:
        row = CalendarDay(day=day)
    row.kind, row.name_zh, row.name_en, row.reason = kind, name_zh, name_en, reason
    row.declared_by, row.declared_at = actor, timezone.now()
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if old else AuditAction.CREATE,
        instance=row,
        changes=audit.diff(old, audit.snapshot(row, ["kind", "name_zh", "name_en", "reason"])),
        reason=reason,
    )
    moved = _move_deadlines(actor, before, calendar_for(day), day, row)
    return row, moved


@transaction.atomic
def withdraw_day(actor, row: CalendarDay, *, reason: str) -> None:
    """Withdraw a declaration: the national calendar applies to that day again.

    Deadlines are never shortened: one that was moved stays where it was moved to.
    """
    require(actor, "enforcement.declare_working_day")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the declaration is withdrawn.")})
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=row,
        changes=audit.diff(audit.snapshot(row, ["kind", "name_zh", "name_en", "reason"]), {}),
        reason=reason,
    )
    row.delete()


def _move_deadlines(
    actor, before: WorkingCalendar, after: WorkingCalendar, day: datetime.date, row: CalendarDay
) -> int:
    """Move the running deadlines that ended on ``day`` if it is now a day off."""
    moves = moved_by_change(before, after, [day])
    if not moves:
        return 0
    new = moves[day]
    user, label = actor_and_label(actor)
    why = pgettext(
        "working calendar",
        "%(day)s was declared a day off (%(name)s): the deadline moves to %(new)s.",
    ) % {"day": day.isoformat(), "name": row.name_zh, "new": new.isoformat()}
    changes = {"deadline": [day.isoformat(), new.isoformat()]}
    violations = list(
        Violation.objects.active()
        .filter(deadline=day)
        .select_related("premises")
        .select_for_update(of=("self",))
    )
    orders = list(
        DataOrder.objects.filter(status=DataOrderStatus.OPEN, deadline=day).select_for_update()
    )
    for moved in (*violations, *orders):
        moved.deadline = new
    Violation.objects.bulk_update(violations, ["deadline"])
    DataOrder.objects.bulk_update(orders, ["deadline"])
    event = {"actor": user, "actor_label": label, "reason": why}
    ViolationEvent.objects.bulk_create(
        ViolationEvent(violation=v, from_status=v.status, to_status=v.status, **event)
        for v in violations
    )
    DataOrderEvent.objects.bulk_create(
        DataOrderEvent(order=o, from_status=o.status, to_status=o.status, **event) for o in orders
    )
    AuditEntry.objects.bulk_create(
        audit.entry(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=moved,
            changes=changes,
            reason=why,
            business_id=moved.premises.business_id if getattr(moved, "premises_id", None) else None,
        )
        for moved in (*violations, *orders)
    )
    for violation in violations:
        outbox.add(
            MOVED_TOPIC,
            {
                "violation": violation.pk,
                "deadline": new.isoformat(),
                "old_deadline": day.isoformat(),
            },
        )
    return len(violations) + len(orders)
