"""Views of the portal app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class HomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's dashboard."""

    template_name = "portal/home.html"
