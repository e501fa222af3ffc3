"""What the inspections app does when compliance reports an enforcement act."""

from django.dispatch import receiver

from compliance.signals import fine_issued, premises_removing


@receiver(fine_issued, dispatch_uid="inspections-reinspect-after-fine")
def plan_reinspection_after_fine(sender, fine, **kwargs) -> None:
    """A fine sets a new deadline: plan its verification, once.

    The re-inspection is on the first working day after the new deadline (a visit on the
    deadline cannot establish that it was missed). An energy supplier's Art. 18 case has
    no premises to visit: its data arrives by upload.
    """
    from inspections.services.planning import schedule_verification

    if fine.new_deadline is not None and fine.violation.premises_id is not None:
        schedule_verification(fine.violation, fine.new_deadline)


@receiver(premises_removing, dispatch_uid="inspections-remove-with-premises")
def remove_inspections_of(sender, premises, **kwargs) -> None:
    """Delete the inspections of premises being removed (demo data), visits and reports too."""
    from inspections.models import Inspection, InspectionReport, Visit

    inspections = Inspection.objects.filter(premises__in=premises)
    visits = Visit.objects.filter(inspection__in=inspections)
    InspectionReport.objects.filter(visit__in=visits).delete()
    visits.delete()
    inspections.delete()
