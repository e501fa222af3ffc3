"""The signed-in user's dashboard, by role: the panels the apps contribute (portal.home)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from portal import home
from portal.models import AuditEntry


class HomeView(LoginRequiredMixin, TemplateView):
    """Show each role what it works on: its businesses, or the city's registry figures."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(home.context_for(user))
        if user.is_administrator:
            context["recent_changes"] = AuditEntry.objects.select_related("actor")[:15]
        return context
