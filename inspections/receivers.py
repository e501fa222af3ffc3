"""What the inspections app does when compliance reports an enforcement act."""

from django.dispatch import receiver

from compliance.signals import fine_issued


@receiver(fine_issued, dispatch_uid="inspections-reinspect-after-fine")
def plan_reinspection_after_fine(sender, fine, **kwargs) -> None:
    """A fine sets a new deadline: plan the re-inspection for that day (once)."""
    from inspections.services.planning import schedule_reinspection

    if fine.new_deadline is not None:
        schedule_reinspection(fine.violation, fine.new_deadline)
