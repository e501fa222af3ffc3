"""The signed-in user's dashboard, by role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.utils import timezone
from django.views.generic import TemplateView

from compliance.choices import ClaimStatus
from compliance.enforcement_texts import countdown
from compliance.models import BusinessClaim, Equipment, Premises, Violation
from compliance.overview import business_user_summary
from portal.models import AuditEntry

# A business's active violations on its home page, nearest deadline first.
HOME_VIOLATIONS = 10


class HomeView(LoginRequiredMixin, TemplateView):
    """Show each role what it works on: its businesses, or the city's registry figures."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
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
        else:
            premises = Premises.objects.visible_to(user)
            context["premises_total"] = premises.count()
            context["equipment_total"] = Equipment.objects.visible_to(user).count()
            context["by_district"] = (
                premises.values("district").annotate(total=Count("id")).order_by("district")
            )
            district_labels = dict(Premises._meta.get_field("district").choices)
            for row in context["by_district"]:
                row["label"] = district_labels.get(row["district"], row["district"])
        if user.is_administrator:
            context["pending_claims"] = BusinessClaim.objects.filter(
                status=ClaimStatus.PENDING
            ).count()
            context["recent_changes"] = AuditEntry.objects.select_related("actor")[:15]
        return context
