"""Planning inspections: choosing Art. 10-5 targets, batches, assignment, rescheduling.

Every change here runs in one transaction and writes an audit entry naming who made it,
when and, for a reschedule or a cancellation, why. Views, the API and the enforcement
sweep call these functions; they never change an inspection themselves.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import rules
from compliance.energy.services import register
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Premises, Violation
from compliance.rulebook.bridge import parameters_of, version_in_force
from inspections.choices import (
    OPEN_STATUSES,
    AssignmentRole,
    InspectionPurpose,
    InspectionStatus,
)
from inspections.models import Inspection, InspectionAssignment, InspectionBatch, Visit
from portal import audit
from portal.choices import AuditAction, Role
from portal.permissions import can

if TYPE_CHECKING:
    from portal.models import User

# Inspections that took place (a refusal is a visit too): they set "last inspected".
DONE_STATUSES = (InspectionStatus.COMPLETED, InspectionStatus.REFUSED)
AUDITED_FIELDS = ("premises", "batch", "purpose", "violation", "scheduled_for", "status", "experts")

# Working days after its deadline that a case checked from records waits for that check
# before it is re-inspected (the sweep checks records the night after the deadline).
RECORDS_GRACE_WORKING_DAYS = 2

# Values of ``TargetCriteria.last_inspection``.
NEVER_INSPECTED = "never"
NOT_INSPECTED_SINCE = "before"
# Value of ``TargetCriteria.compliance_status`` for premises never assessed.
NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class TargetCriteria:
    """What an administrator selects inspection targets by (Art. 10-5); empty: any.

    ``published_criteria`` applies the rule book's announced criteria in force on
    ``on`` (today by default). ``last_inspection`` is "" (any), ``NEVER_INSPECTED``, or
    ``NOT_INSPECTED_SINCE`` with ``inspected_before``: no inspection on or after that
    day (never-inspected premises included). ``compliance_status`` is an outcome of the
    current compliance status, or ``NOT_ASSESSED``.
    """

    industry_code: str = ""
    min_floor_area_m2: Decimal | None = None
    published_criteria: bool = False
    district: str = ""
    category: str = ""
    last_inspection: str = ""
    inspected_before: datetime.date | None = None
    compliance_status: str = ""
    exclude_open: bool = True
    on: datetime.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the criteria as JSON-safe values (kept on the batch)."""
        return {
            key: (str(value) if isinstance(value, Decimal | datetime.date) else value)
            for key, value in asdict(self).items()
            if value not in ("", None)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TargetCriteria:
        """Return criteria from ``to_dict``'s form (or a form's cleaned data)."""
        values: dict[str, Any] = {}
        for key in cls.__dataclass_fields__:
            value = data.get(key)
            if value in ("", None):
                continue
            if key == "min_floor_area_m2" and not isinstance(value, Decimal):
                try:
                    value = Decimal(str(value))
                except InvalidOperation as exc:
                    raise ValidationError({key: _("Enter a number.")}) from exc
            elif key in ("inspected_before", "on") and isinstance(value, str):
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError as exc:
                    raise ValidationError({key: _("Enter a date as YYYY-MM-DD.")}) from exc
            values[key] = value
        return cls(**values)


def _last_inspected_subquery() -> Subquery:
    return Subquery(
        Inspection.objects.filter(premises=OuterRef("pk"), status__in=DONE_STATUSES)
        .order_by("-scheduled_for")
        .values("scheduled_for")[:1]
    )


def _published_target_ids(premises: QuerySet, on: datetime.date) -> list[int]:
    """Return the ids of premises the rule book in force names as targets (Art. 10-5).

    The engine decides (``rules.is_inspection_target``), so the criteria mean the same
    here as everywhere. A premises it cannot judge (data missing, e.g. no monthly
    electricity use is recorded) is not selected: the administrator adds it by the
    other criteria if it should be inspected.
    """
    version = version_in_force(on)
    if version is None:
        return []
    criteria = parameters_of(version).inspection_targets
    rows = list(premises.values_list("pk", "kind", "category", "has_arcade", "floor_area_m2"))
    # Art. 12 register: each premises' highest monthly electricity use reported by suppliers.
    electricity = (
        register.monthly_electricity_kwh([row[0] for row in rows], on)
        if criteria.min_monthly_electricity_kwh is not None
        else {}
    )
    return [
        pk
        for pk, kind, category, has_arcade, floor_area in rows
        if rules.is_inspection_target(
            rules.PremisesFacts(
                kind=kind, category=category, has_arcade=has_arcade, floor_area_m2=floor_area
            ),
            criteria,
            electricity.get(pk),
        )
        is True
    ]


def select_targets(criteria: TargetCriteria) -> QuerySet[Premises]:
    """Return the premises in operation that meet every given criterion.

    Each premises carries ``last_inspected_on`` (the day of its latest inspection that
    took place, or None) and its business and compliance status, ready to list.
    """
    queryset = (
        Premises.objects.filter(is_active=True)
        .select_related("business", "status")
        .annotate(last_inspected_on=_last_inspected_subquery())
    )
    if criteria.industry_code:
        queryset = queryset.filter(business__industry_code__startswith=criteria.industry_code)
    if criteria.min_floor_area_m2 is not None:
        queryset = queryset.filter(floor_area_m2__gte=criteria.min_floor_area_m2)
    if criteria.district:
        queryset = queryset.filter(district=criteria.district)
    if criteria.category:
        queryset = queryset.filter(category=criteria.category)
    if criteria.last_inspection == NEVER_INSPECTED:
        queryset = queryset.filter(last_inspected_on__isnull=True)
    elif criteria.last_inspection == NOT_INSPECTED_SINCE and criteria.inspected_before:
        queryset = queryset.filter(
            Q(last_inspected_on__isnull=True) | Q(last_inspected_on__lt=criteria.inspected_before)
        )
    if criteria.compliance_status == NOT_ASSESSED:
        queryset = queryset.filter(status__isnull=True)
    elif criteria.compliance_status:
        queryset = queryset.filter(status__outcome=criteria.compliance_status)
    if criteria.exclude_open:
        queryset = queryset.exclude(
            Exists(Inspection.objects.filter(premises=OuterRef("pk"), status__in=OPEN_STATUSES))
        )
    if criteria.published_criteria:
        day = criteria.on or timezone.localdate()
        queryset = queryset.filter(pk__in=_published_target_ids(queryset, day))
    return queryset.order_by("district", "business__name_zh", "name", "id")


def active_inspectors() -> QuerySet[User]:
    """Return the accounts that may be assigned to inspections."""
    return get_user_model().objects.filter(role=Role.INSPECTOR, is_active=True)


def open_loads(user_ids: Iterable[int]) -> dict[int, int]:
    """Return how many open (planned or in-progress) inspections each user is assigned."""
    ids = list(user_ids)
    loads = dict.fromkeys(ids, 0)
    rows = (
        InspectionAssignment.objects.filter(user_id__in=ids, inspection__status__in=OPEN_STATUSES)
        .values("user_id")
        .annotate(total=Count("inspection_id", distinct=True))
    )
    for row in rows:
        loads[row["user_id"]] = row["total"]
    return loads


def balance(count: int, loads: Mapping[int, int]) -> list[int]:
    """Return who takes each of ``count`` new inspections, the least loaded first.

    Each inspection goes to the inspector with the fewest open inspections at that
    moment, counting those just given out; ties go to the lower user id.
    """
    heap = [(load, user_id) for user_id, load in loads.items()]
    heapq.heapify(heap)
    chosen = []
    for _index in range(count):
        load, user_id = heapq.heappop(heap)
        chosen.append(user_id)
        heapq.heappush(heap, (load + 1, user_id))
    return chosen


def _require_planner(actor) -> None:
    if not can(actor, "inspections.plan"):
        raise PermissionDenied(_("Only administrators plan inspections."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept in the record.")})
    return reason


def _inspectors(user_ids: Iterable[int], field: str) -> list[User]:
    """Return the active inspectors with these ids, or raise naming the field."""
    ids = list(dict.fromkeys(int(pk) for pk in user_ids))
    found = {user.pk: user for user in active_inspectors().filter(pk__in=ids)}
    if len(found) != len(ids):
        raise ValidationError({field: _("Choose active accounts with the inspector role.")})
    return [found[pk] for pk in ids]


def _not_in_past(day: datetime.date, field: str = "scheduled_for") -> None:
    if day < timezone.localdate():
        raise ValidationError({field: _("The day cannot be in the past.")})


def _audit_created(actor, inspection: Inspection) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=inspection,
        changes=audit.diff({}, audit.snapshot(inspection, AUDITED_FIELDS)),
        business_id=inspection.premises.business_id,
    )


@transaction.atomic
def create_batch(
    actor: User,
    title: str,
    premises_ids: Iterable[int],
    scheduled_for: datetime.date,
    inspector_ids: Iterable[int],
    experts: str = "",
    criteria: TargetCriteria | None = None,
) -> InspectionBatch:
    """Plan one inspection per premises on a day, balancing the inspectors' loads.

    Each inspection gets one lead inspector: the one with the fewest open inspections
    at that moment (see :func:`balance`). Audited: the batch and every inspection.
    """
    _require_planner(actor)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the batch a title.")
    ids = sorted({int(pk) for pk in premises_ids})
    premises = list(Premises.objects.filter(pk__in=ids, is_active=True).order_by("pk"))
    if not ids:
        errors["premises"] = _("Select at least one premises.")
    elif len(premises) != len(ids):
        errors["premises"] = _("Some of the selected premises are unknown or out of operation.")
    inspector_list = list(inspector_ids)
    if not inspector_list:
        errors["inspectors"] = _("Choose at least one inspector.")
    if errors:
        raise ValidationError(errors)
    inspectors = _inspectors(inspector_list, "inspectors")
    _not_in_past(scheduled_for)

    batch = InspectionBatch.objects.create(
        title=title,
        criteria=criteria.to_dict() if criteria else {},
        created_by=actor,
    )
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                premises=item,
                batch=batch,
                purpose=InspectionPurpose.ROUTINE,
                scheduled_for=scheduled_for,
                experts=experts.strip(),
                created_by=actor,
            )
            for item in premises
        ]
    )
    leads = balance(len(inspections), open_loads(user.pk for user in inspectors))
    InspectionAssignment.objects.bulk_create(
        [
            InspectionAssignment(inspection=inspection, user_id=lead, role=AssignmentRole.LEAD)
            for inspection, lead in zip(inspections, leads, strict=True)
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=batch,
        changes={
            "title": [None, title],
            "criteria": [None, batch.criteria],
            "inspections": [None, [inspection.pk for inspection in inspections]],
        },
    )
    for inspection in inspections:
        _audit_created(actor, inspection)
    return batch


def _assignment_state(inspection: Inspection) -> dict[str, Any]:
    rows = list(inspection.assignments.order_by("role", "user_id").values_list("user_id", "role"))
    return {
        "lead": next((pk for pk, role in rows if role == AssignmentRole.LEAD), None),
        "inspectors": sorted(pk for pk, role in rows if role != AssignmentRole.LEAD),
    }


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("premises").get(pk=inspection.pk)


def _set_assignments(inspection: Inspection, lead: User, others: Iterable[User]) -> None:
    inspection.assignments.all().delete()
    InspectionAssignment.objects.bulk_create(
        [InspectionAssignment(inspection=inspection, user=lead, role=AssignmentRole.LEAD)]
        + [
            InspectionAssignment(inspection=inspection, user=user, role=AssignmentRole.INSPECTOR)
            for user in others
            if user.pk != lead.pk
        ]
    )


@transaction.atomic
def assign(
    actor: User, inspection: Inspection, lead: User, others: Iterable[User] = (), reason: str = ""
) -> Inspection:
    """Make ``lead`` the lead inspector and ``others`` the team of an open inspection."""
    _require_planner(actor)
    inspection = _locked(inspection)
    if inspection.status not in OPEN_STATUSES:
        raise ValidationError(_("Only a planned or ongoing inspection can be reassigned."))
    (lead,) = _inspectors([lead.pk], "lead")
    team = _inspectors([user.pk for user in others if user.pk != lead.pk], "inspectors")
    before = _assignment_state(inspection)
    _set_assignments(inspection, lead, team)
    changes = audit.diff(before, _assignment_state(inspection))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=inspection,
            changes=changes,
            reason=reason.strip(),
            business_id=inspection.premises.business_id,
        )
    return inspection


@transaction.atomic
def reschedule(actor: User, inspection: Inspection, day: datetime.date, reason: str) -> Inspection:
    """Move a planned inspection to another day, saying why (audited)."""
    _require_planner(actor)
    reason = _require_reason(reason)
    inspection = _locked(inspection)
    if inspection.status != InspectionStatus.PLANNED:
        raise ValidationError(_("Only a planned inspection can be rescheduled."))
    if day == inspection.scheduled_for:
        raise ValidationError({"scheduled_for": _("The inspection is already on that day.")})
    _not_in_past(day)
    before = audit.snapshot(inspection, AUDITED_FIELDS)
    inspection.scheduled_for = day
    try:
        with transaction.atomic():
            inspection.save(update_fields=["scheduled_for", "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            {"scheduled_for": _("This violation already has a re-inspection on that day.")}
        ) from exc
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=inspection,
        changes=audit.diff(before, audit.snapshot(inspection, AUDITED_FIELDS)),
        reason=reason,
        business_id=inspection.premises.business_id,
    )
    return inspection


@transaction.atomic
def cancel(actor: User, inspection: Inspection, reason: str) -> Inspection:
    """Call off an inspection that has not been made, saying why (audited)."""
    _require_planner(actor)
    reason = _require_reason(reason)
    inspection = _locked(inspection)
    if inspection.status not in OPEN_STATUSES:
        raise ValidationError(_("Only a planned or ongoing inspection can be cancelled."))
    if Visit.objects.filter(inspection=inspection, completed_at__isnull=False).exists():
        raise ValidationError(_("The visit has been completed; it cannot be cancelled."))
    before = audit.snapshot(inspection, AUDITED_FIELDS)
    inspection.status = InspectionStatus.CANCELLED
    inspection.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=inspection,
        changes=audit.diff(before, audit.snapshot(inspection, AUDITED_FIELDS)),
        reason=reason,
        business_id=inspection.premises.business_id,
    )
    return inspection


@transaction.atomic
def update_details(
    actor: User, inspection: Inspection, *, experts: str | None = None, notes: str | None = None
) -> Inspection:
    """Change the experts joining (Art. 10-2) or the planning notes (audited)."""
    _require_planner(actor)
    inspection = _locked(inspection)
    before = audit.snapshot(inspection, (*AUDITED_FIELDS, "notes"))
    if experts is not None:
        inspection.experts = experts.strip()
    if notes is not None:
        inspection.notes = notes.strip()
    changes = audit.diff(before, audit.snapshot(inspection, (*AUDITED_FIELDS, "notes")))
    if changes:
        inspection.save(update_fields=["experts", "notes", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=inspection,
            changes=changes,
            business_id=inspection.premises.business_id,
        )
    return inspection


@transaction.atomic
def create_inspection(
    actor: User,
    premises: Premises,
    scheduled_for: datetime.date,
    lead: User | None = None,
    others: Iterable[User] = (),
    *,
    purpose: str = InspectionPurpose.ROUTINE,
    experts: str = "",
    notes: str = "",
) -> Inspection:
    """Plan a single inspection (e.g. after a complaint); the least loaded inspector leads
    unless ``lead`` is given."""
    _require_planner(actor)
    if not premises.is_active:
        raise ValidationError({"premises": _("This premises is out of operation.")})
    _not_in_past(scheduled_for)
    if purpose == InspectionPurpose.REINSPECTION:
        raise ValidationError(
            {"purpose": _("Re-inspections are scheduled from the violation they check.")}
        )
    if lead is not None:
        (lead,) = _inspectors([lead.pk], "lead")
    team = _inspectors(
        [user.pk for user in others if lead is None or user.pk != lead.pk], "inspectors"
    )
    inspection = Inspection(
        premises=premises,
        purpose=purpose,
        scheduled_for=scheduled_for,
        experts=experts.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    if lead is None:
        lead = _least_loaded_inspector()
    if lead is not None:
        _set_assignments(inspection, lead, team)
    _audit_created(actor, inspection)
    return inspection


def _least_loaded_inspector() -> User | None:
    inspectors = {user.pk: user for user in active_inspectors()}
    if not inspectors:
        return None
    (chosen,) = balance(1, open_loads(inspectors))
    return inspectors[chosen]


def _finder_of(violation: Violation) -> User | None:
    """Return the active inspector who found the violation, if there is one."""
    candidates: list[User | None] = []
    prefix, _sep, visit_id = violation.source_reference.partition("-")
    if prefix == "visit" and visit_id.isdigit():
        visit = Visit.objects.select_related("completed_by").filter(pk=int(visit_id)).first()
        if visit is not None:
            candidates.append(visit.completed_by)
            lead = (
                InspectionAssignment.objects.select_related("user")
                .filter(inspection_id=visit.inspection_id, role=AssignmentRole.LEAD)
                .first()
            )
            candidates.append(lead.user if lead else None)
    candidates.append(violation.opened_by)
    for user in candidates:
        if user is not None and user.is_active and user.role == Role.INSPECTOR:
            return user
    return None


def schedule_reinspection(
    violation: Violation, day: datetime.date, actor: User | None = None
) -> Inspection:
    """Plan the re-inspection of a violation on ``day``; once, however often it is called.

    The inspector who found the violation leads it if they still can; otherwise the
    least loaded active inspector. The constraint ``one_reinspection_per_violation_and_day``
    makes it exactly-once even when two sweeps run at the same time.
    """
    with transaction.atomic():
        inspection, created = Inspection.objects.get_or_create(
            violation=violation,
            scheduled_for=day,
            defaults={
                "premises_id": violation.premises_id,
                "purpose": InspectionPurpose.REINSPECTION,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            lead = _finder_of(violation) or _least_loaded_inspector()
            if lead is not None:
                _set_assignments(inspection, lead, ())
            inspection.premises = violation.premises
            _audit_created(actor, inspection)
    return inspection


def verification_day(
    deadline: datetime.date, calendar: rules.WorkingCalendar, today: datetime.date | None = None
) -> datetime.date:
    """Return the day to re-inspect a case whose deadline is ``deadline``.

    The first working day after the deadline (a visit on the deadline itself shows
    progress, not whether the deadline was missed: ``rules.counts_as_verification``),
    and never before the first working day from ``today`` on (a night the job missed).
    """
    (first,) = calendar.working_days_after(deadline, 1)
    if today is not None:
        first = max(first, calendar.next_working_day(today))
    return first


def latest_deadline_left_to_records(day: datetime.date, calendar: rules.WorkingCalendar):
    """Return the latest deadline of a record-verifiable case that gets a re-inspection on ``day``.

    The sweep checks the Art. 5-3, 8-2 and 12 duties from the portal's records; a case
    the records have not settled by the second working day after its deadline is
    re-inspected. Returns the latest deadline whose second working day after it is on or
    before ``day`` (the days are monotone in the deadline, so one walk back finds it).
    """
    candidate = rules.last_missed_deadline(day)
    while calendar.working_days_after(candidate, RECORDS_GRACE_WORKING_DAYS)[-1] > day:
        candidate -= datetime.timedelta(days=1)
    return candidate


def _has_verifying_reinspection():
    """A re-inspection of the violation planned after its current deadline (it verifies it).

    Cancelled ones count too: an administrator's cancellation is not undone by the job.
    """
    return Exists(
        Inspection.objects.filter(violation=OuterRef("pk"), scheduled_for__gt=OuterRef("deadline"))
    )


def schedule_verification(
    violation: Violation,
    deadline: datetime.date,
    *,
    today: datetime.date | None = None,
    actor: User | None = None,
) -> Inspection:
    """Plan the re-inspection that verifies whether ``deadline`` was met; once.

    A re-inspection of the violation already planned after ``deadline`` is that
    re-inspection; otherwise one is planned on :func:`verification_day`.
    """
    existing = (
        Inspection.objects.filter(violation=violation, scheduled_for__gt=deadline)
        .order_by("scheduled_for", "pk")
        .first()
    )
    if existing is not None:
        return existing
    calendar = calendar_for(deadline, today or deadline)
    return schedule_reinspection(violation, verification_day(deadline, calendar, today), actor)


def awaiting_reinspection(day: datetime.date, calendar: rules.WorkingCalendar) -> QuerySet:
    """Return the cases the nightly job plans a re-inspection for on ``day``.

    Cases awaiting verification (running, deadline before ``day``, non-rectification not
    yet established) of a premises, without a re-inspection planned after their deadline.
    The duties the sweep checks from records wait two working days for that check.
    """
    records_cutoff = latest_deadline_left_to_records(day, calendar)
    return (
        Violation.objects.active()
        .filter(
            premises__isnull=False,
            deadline__isnull=False,
            deadline__lt=day,
            fine_due_on__isnull=True,
        )
        .filter(
            ~Q(article__in=sorted(rules.RECORD_VERIFIABLE_ARTICLES))
            | Q(deadline__lte=records_cutoff)
        )
        .exclude(_has_verifying_reinspection())
        .select_related("premises")
        .order_by("deadline", "pk")
    )


def schedule_due_reinspections(day: datetime.date) -> int:
    """Plan a re-inspection for every case whose missed deadline awaits verification.

    Run nightly (Asia/Taipei), after the deadline sweep. Each case is re-inspected on the
    first working day after its deadline (on the first working day from ``day`` for one
    the job catches up); the duties checked from records (``rules.RECORD_VERIFIABLE_ARTICLES``)
    only once the records have not settled them two working days after the deadline.
    Exactly once per case and deadline: a case with a re-inspection planned after its
    deadline gets none (and ``one_reinspection_per_violation_and_day`` holds under
    concurrent runs). Returns how many were planned.
    """
    oldest = (
        Violation.objects.active()
        .filter(premises__isnull=False, deadline__lt=day, fine_due_on__isnull=True)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    calendar = calendar_for(min(oldest, day - datetime.timedelta(days=31)), day)
    planned = 0
    for violation in awaiting_reinspection(day, calendar).iterator(chunk_size=500):
        schedule_reinspection(violation, verification_day(violation.deadline, calendar, day))
        planned += 1
    return planned
