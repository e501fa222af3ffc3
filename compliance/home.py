"""The compliance panels of the home page (registered with portal.home on start-up)."""

from django.db.models import Count
from django.utils import timezone

from compliance.choices import ClaimStatus
from compliance.enforcement.texts import countdown
from compliance.models import BusinessClaim, Equipment, Premises, Violation
from compliance.registry.overview import business_user_summary
from portal.permissions import can

# A business's active violations on its home page, nearest deadline first.
HOME_VIOLATIONS = 10


def home_panels(user) -> dict:
    """Return a business user's businesses, claims and violations, or the city's figures."""
    context: dict = {}
    if user.is_business_user:
        context["businesses"] = business_user_summary(user)
        context["claims"] = (
            BusinessClaim.objects.visible_to(user)
            .filter(status=ClaimStatus.PENDING)
            .select_related("business")
        )
        today = timezone.localdate()
        context["violations"] = [
            (violation, countdown(violation, today))
            for violation in Violation.objects.visible_to(user)
            .active()
            .select_related("premises")
            .order_by("deadline", "id")[:HOME_VIOLATIONS]
        ]
    elif user.is_administrator or user.is_inspector or user.is_read_only:
        # The city's registry figures, for those who work on or read the whole registry
        # (not programme officers or energy suppliers: nothing of it is theirs).
        context["city_figures"] = True
        premises = Premises.objects.visible_to(user)
        context["premises_total"] = premises.count()
        context["equipment_total"] = Equipment.objects.visible_to(user).count()
        context["by_district"] = (
            premises.values("district").annotate(total=Count("id")).order_by("district")
        )
        district_labels = dict(Premises._meta.get_field("district").choices)
        for row in context["by_district"]:
            row["label"] = district_labels.get(row["district"], row["district"])
    if can(user, "registry.decide_claim"):
        context["pending_claims"] = BusinessClaim.objects.filter(status=ClaimStatus.PENDING).count()
    return context
