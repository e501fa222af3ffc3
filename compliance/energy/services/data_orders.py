"""Art. 12-2 data orders to energy suppliers, and their Art. 18 cases when missed.

An administrator orders a supplier to provide its customers' monthly use of one energy
type for some months by a deadline. The order is fulfilled when the supplier's uploaded
figures cover every month ordered (checked whenever an upload is committed, and by the
nightly sweep), or when an administrator records that the data arrived another way.

When the deadline passes with months still missing, the deadline sweep opens the order's
Art. 18 case: a ``Violation`` of article "12" with the supplier as its subject, the order's
deadline as its deadline and the rule-book version in force on the day after it. The same
sweep run then fines it (Art. 18 schedule) and gives the new deadline (the rule book's
period for article "12"); every further missed deadline is fined again. Data arriving
later rectifies the case, which closes once its fines are paid.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import (
    VerificationMethod,
    VerificationResult,
    ViolationArticle,
    ViolationStatus,
)
from compliance.energy import permissions  # noqa: F401 (registers the rules asked below)
from compliance.enforcement.services import verification, violations
from compliance.enforcement.services.violations import actor_and_label
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import (
    DataOrder,
    DataOrderEvent,
    DataOrderStatus,
    MonthlyEnergyUse,
    Violation,
    ViolationEvent,
)
from compliance.rulebook.bridge import version_in_force
from compliance.rules.lifecycle import ACTIVE_STATES
from portal import audit
from portal.choices import AuditAction, Role
from portal.permissions import require

ARTICLE = ViolationArticle.A12_2.value  # the engine's "12"; fined under Art. 18
MESSAGE_KEY = "supplier_data.not_provided"
SWEEP_LABEL = "deadline-sweep"


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Return the first days of every month from ``first`` to ``last``, both included."""
    months = []
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    while index <= end:
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
        index += 1
    return months


def missing_months(order: DataOrder) -> list[datetime.date]:
    """Return the months of ``order`` for which the supplier has provided no figure."""
    provided = set(
        MonthlyEnergyUse.objects.filter(
            account__supplier_id=order.supplier_id,
            account__energy_type=order.energy_type,
            month__gte=order.period_from,
            month__lte=order.period_to,
        )
        .values_list("month", flat=True)
        .distinct()
    )
    return [
        month
        for month in months_between(order.period_from, order.period_to)
        if month not in provided
    ]


def _event(order: DataOrder, before: str, after: str, actor, reason: str) -> None:
    user, label = actor_and_label(actor)
    DataOrderEvent.objects.create(
        order=order,
        from_status=before,
        to_status=after,
        actor=user,
        actor_label=label,
        reason=reason,
    )


def issue_order(
    actor,
    *,
    supplier,
    energy_type: str,
    period_from: datetime.date,
    period_to: datetime.date,
    deadline: datetime.date,
    instructions: str = "",
    today: datetime.date | None = None,
) -> DataOrder:
    """Order ``supplier`` to provide the months ``period_from``-``period_to`` by ``deadline``."""
    require(actor, "energy.order_data")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if supplier is None or supplier.role != Role.ENERGY_SUPPLIER or not supplier.is_active:
        errors["supplier"] = _("Choose an active energy supplier.")
    period_from = period_from.replace(day=1) if period_from else period_from
    period_to = period_to.replace(day=1) if period_to else period_to
    if period_from and period_to and period_from > period_to:
        errors["period_to"] = _("The last month comes before the first.")
    if period_to and period_to > today.replace(day=1):
        errors["period_to"] = _("Data can only be ordered for months that have begun.")
    if deadline and deadline <= today:
        errors["deadline"] = _("The deadline must be after today.")
    version = version_in_force(today)
    if version is None:
        errors["deadline"] = _("No rule book is in force today: publish one first.")
    if errors:
        raise ValidationError(errors)
    # APA Art. 48: a last day on which the Department is closed moves to its next
    # working day; the order states the resulting date.
    deadline = calendar_for(deadline).next_working_day(deadline)
    with transaction.atomic():
        order = DataOrder(
            supplier=supplier,
            energy_type=energy_type,
            period_from=period_from,
            period_to=period_to,
            deadline=deadline,
            instructions=instructions,
            rulebook_version=version,
            ordered_by=actor,
        )
        order.full_clean()
        order.save()
        reason = _("Data ordered under Art. 12-2, due by %(deadline)s.") % {"deadline": deadline}
        _event(order, "", DataOrderStatus.OPEN, actor, reason)
        audit.record(actor=actor, action=AuditAction.CREATE, instance=order, reason=reason)
    return order


def _fulfil(order: DataOrder, actor, reason: str) -> DataOrder:
    """Mark a locked open or missed order fulfilled and rectify its Art. 18 case."""
    before = order.status
    order.status = DataOrderStatus.FULFILLED
    order.fulfilled_at = timezone.now()
    order.save(update_fields=["status", "fulfilled_at"])
    _event(order, before, order.status, actor, reason)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=order,
        changes={"status": [before, order.status]},
        reason=reason,
    )
    if order.violation_id is not None:
        case = Violation.objects.get(pk=order.violation_id)
        if case.status in ACTIVE_STATES:
            violations.rectify(case, actor=actor, reason=reason)
    return order


def fulfil_if_complete(order: DataOrder, *, actor=None) -> bool:
    """Fulfil ``order`` if the supplier's figures now cover every month; return whether."""
    with transaction.atomic():
        current = DataOrder.objects.select_for_update().get(pk=order.pk)
        if current.status not in (DataOrderStatus.OPEN, DataOrderStatus.MISSED):
            return False
        if missing_months(current):
            return False
        _fulfil(current, actor, _("The supplier provided the data for every month ordered."))
    order.refresh_from_db()
    return True


def fulfil_from_upload(supplier) -> int:
    """After ``supplier``'s upload: fulfil its orders the data now covers; return how many."""
    pending = DataOrder.objects.filter(
        supplier=supplier, status__in=[DataOrderStatus.OPEN, DataOrderStatus.MISSED]
    )
    return sum(fulfil_if_complete(order, actor=supplier) for order in pending)


def record_fulfilled(actor, order: DataOrder, *, reason: str) -> DataOrder:
    """An administrator records that the data arrived another way (with the reason)."""
    require(actor, "energy.fulfil_data_order")
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the data was provided.")})
    with transaction.atomic():
        current = DataOrder.objects.select_for_update().get(pk=order.pk)
        if current.status not in (DataOrderStatus.OPEN, DataOrderStatus.MISSED):
            raise ValidationError(
                _("A data order that is %(status)s cannot be fulfilled.")
                % {"status": DataOrderStatus(current.status).label}
            )
        return _fulfil(current, actor, reason)


def cancel_order(actor, order: DataOrder, *, reason: str) -> DataOrder:
    """An administrator withdraws an open order (e.g. issued in error), with the reason.

    A missed order has become an Art. 18 case: that case is cancelled on its own page.
    """
    require(actor, "energy.cancel_data_order")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this change.")})
    with transaction.atomic():
        current = DataOrder.objects.select_for_update().get(pk=order.pk)
        if current.status != DataOrderStatus.OPEN:
            raise ValidationError(
                _("Only an open data order can be cancelled; this one is %(status)s.")
                % {"status": DataOrderStatus(current.status).label}
            )
        before = current.status
        current.status = DataOrderStatus.CANCELLED
        current.save(update_fields=["status"])
        _event(current, before, current.status, actor, reason)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes={"status": [before, current.status]},
            reason=reason,
        )
    return current


def finding_of(order: DataOrder, missing: list[datetime.date]) -> dict:
    """Return what the Art. 18 case records as its finding (values, no sentence)."""
    return {
        "message_key": MESSAGE_KEY,
        "article": ARTICLE,
        "subject": order.number,
        "measured": ", ".join(f"{month:%Y-%m}" for month in missing),
        "limit": order.deadline.isoformat(),
        "unit": order.energy_type,
        "detail": f"{order.period_from:%Y-%m}..{order.period_to:%Y-%m}",
    }


def open_missed_cases(day: datetime.date, *, run=None) -> int:
    """Turn the open orders whose deadline passed before ``day`` into Art. 18 cases.

    An order whose data is complete by now is fulfilled instead. Each order is handled in
    its own transaction under a row lock, and the case's unique source reference makes a
    second sweep (or one running at the same time) open nothing twice. Returns how many
    cases were opened; the sweep that calls this fines them in the same run.
    """
    opened = 0
    due = DataOrder.objects.filter(status=DataOrderStatus.OPEN, deadline__lt=day).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = (
                DataOrder.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=DataOrderStatus.OPEN, deadline__lt=day)
                .first()
            )
            if order is None:
                continue
            missing = missing_months(order)
            if not missing:
                _fulfil(order, None, _("The supplier provided the data for every month ordered."))
                continue
            opened += _open_case(order, missing, run, day)
    return opened


def _missing_text(missing: list[datetime.date]) -> str:
    return ", ".join(f"{month:%Y-%m}" for month in missing)


def verify_cases(day: datetime.date, *, run=None) -> int:
    """Verify from the supplier's data every Art. 18 case whose deadline passed before ``day``.

    Months still missing: not rectified (the fine follows); none missing: rectified and
    the order fulfilled, without a fine. Returns how many cases were verified.
    """
    waiting = Violation.objects.active().filter(
        article=ARTICLE,
        deadline__lte=rules.last_missed_deadline(day),
        fine_due_on__isnull=True,
    )
    verified = 0
    for case in waiting.order_by("pk"):
        order = DataOrder.objects.filter(violation=case).first()
        if order is None:  # pragma: no cover - every Art. 18 case comes from an order
            continue
        verified += _verify_case(case, order, missing_months(order), run, day) is not None
        if not missing_months(order):
            fulfil_if_complete(order, actor=getattr(run, "triggered_by", None))
    return verified


def _verify_case(case: Violation, order: DataOrder, missing, run, day: datetime.date):
    """Record what the supplier's data shows about the case's missed deadline."""
    if missing:
        explanation = _(
            "Checked the uploaded data on %(day)s: the months %(months)s ordered by %(order)s "
            "are still missing."
        ) % {"day": day, "months": _missing_text(missing), "order": order.number}
    else:
        explanation = _(
            "Checked the uploaded data on %(day)s: every month ordered by %(order)s is there."
        ) % {"day": day, "order": order.number}
    return verification.verify(
        case,
        result=VerificationResult.PERSISTING if missing else VerificationResult.RECTIFIED,
        method=VerificationMethod.RECORDS,
        verified_on=day,
        source_reference=f"data-order:{order.pk}",
        explanation=explanation,
        actor=getattr(run, "triggered_by", None),
        finding=finding_of(order, missing) if missing else None,
    )


def _open_case(order: DataOrder, missing: list[datetime.date], run, day: datetime.date) -> int:
    offence_on = order.deadline + datetime.timedelta(days=1)
    version = version_in_force(offence_on) or order.rulebook_version
    user = getattr(run, "triggered_by", None)
    label = getattr(run, "actor_label", None) or SWEEP_LABEL
    reason = _(
        "Art. 18: the data ordered by %(order)s was not provided by %(deadline)s "
        "(missing: %(months)s)."
    ) % {
        "order": order.number,
        "deadline": order.deadline,
        "months": _missing_text(missing),
    }
    case = Violation(
        supplier_id=order.supplier_id,
        article=ARTICLE,
        penalty_article=rules.penalty_article_for(ARTICLE),
        subject=order.number,
        message_key=MESSAGE_KEY,
        finding=finding_of(order, missing),
        rulebook_version=version,
        parameters=version.parameters,
        found_on=offence_on,
        deadline=order.deadline,
        status=ViolationStatus.OPEN,
        source_reference=f"data-order:{order.pk}",
        opened_by=None,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        case = Violation.objects.get(source_reference=f"data-order:{order.pk}", article=ARTICLE)
        opened = 0
    else:
        ViolationEvent.objects.create(
            violation=case,
            from_status="",
            to_status=ViolationStatus.OPEN,
            actor=user,
            actor_label=label,
            reason=reason,
        )
        opened = 1
    before = order.status
    order.status = DataOrderStatus.MISSED
    order.violation = case
    order.save(update_fields=["status", "violation"])
    DataOrderEvent.objects.create(
        order=order,
        from_status=before,
        to_status=order.status,
        actor=user,
        actor_label=label,
        reason=reason,
    )
    audit.record(
        actor=user,
        action=AuditAction.UPDATE,
        instance=order,
        changes={"status": [before, order.status]},
        reason=reason,
        actor_label=label,
    )
    # The missing months, read from the portal's own records, establish that the
    # deadline was not met: the case is verified as it opens.
    _verify_case(case, order, missing, run, day)
    return opened
