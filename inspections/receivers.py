"""What the inspections app does when compliance reports an enforcement act."""

from django.dispatch import receiver

from compliance.signals import (
    demo_premises_loaded,
    fine_issued,
    premises_removing,
    proposal_returned,
)


@receiver(fine_issued, dispatch_uid="inspections-reinspect-after-fine")
def plan_reinspection_after_fine(sender, fine, **kwargs) -> None:
    """A served decision sets a new deadline: plan its verification, once.

    The re-inspection is on the first working day after the new deadline (a visit on the
    deadline cannot establish that it was missed). An energy supplier's Art. 18 case has
    no premises to visit: its data arrives by upload.
    """
    from inspections.services.planning import schedule_verification

    if fine.new_deadline is not None and fine.violation.premises_id is not None:
        schedule_verification(fine.violation, fine.new_deadline)


@receiver(proposal_returned, dispatch_uid="inspections-reinspect-after-return")
def plan_reinspection_after_return(sender, fine, violation, **kwargs) -> None:
    """An official returned a proposed fine for a new verification: plan a re-inspection.

    On the first working day after today (the earlier visit no longer decides the
    missed deadline); the duties the portal's records verify are checked again by the
    nightly records check instead.
    """
    from django.utils import timezone

    from compliance import rules
    from inspections.services.planning import schedule_verification

    if violation.premises_id is None or violation.article in rules.RECORD_VERIFIABLE_ARTICLES:
        return
    schedule_verification(violation, timezone.localdate())


@receiver(premises_removing, dispatch_uid="inspections-remove-with-premises")
def remove_inspections_of(sender, premises, **kwargs) -> None:
    """Delete the inspections of premises being removed (demo data), visits and reports too."""
    from inspections.models import Inspection, InspectionReport, Visit

    inspections = Inspection.objects.filter(premises__in=premises)
    visits = Visit.objects.filter(inspection__in=inspections)
    InspectionReport.objects.filter(visit__in=visits).delete()
    visits.delete()
    inspections.delete()


@receiver(demo_premises_loaded, dispatch_uid="inspections-demo-visits")
def record_demo_visits(sender, premises, today, seed, **kwargs) -> None:
    """Demo premises were inspected in the last months: record their routine visits."""
    from inspections.demo import record_visits

    record_visits(premises, today, seed)
