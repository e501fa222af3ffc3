"""Service-team pages: everyone signed in reads the teams; administrators edit them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from portal.permissions import can
from portal.views.mixins import VisibleMixin
from subsidies.forms.service_teams import ExpertFormSet, ExpertRemovalForm, ServiceTeamForm
from subsidies.models import ServiceTeam, TeamExpert
from subsidies.services import service_teams as services
from subsidies.views.requests import add_service_error


class ServiceTeamListView(VisibleMixin, ListView):
    """The service teams, with their industry and number of experts."""

    model = ServiceTeam
    paginate_by = 50
    template_name = "subsidies/service_team_list.html"

    def get_queryset(self):
        current = Count("experts", filter=Q(experts__removed_at__isnull=True))
        return super().get_queryset().annotate(expert_count=current).order_by("name", "id")


class ServiceTeamDetailView(VisibleMixin, DetailView):
    """One team and its experts."""

    model = ServiceTeam
    template_name = "subsidies/service_team_detail.html"

    def get_queryset(self):
        experts = TeamExpert.objects.select_related("user", "removed_by")
        return super().get_queryset().prefetch_related(Prefetch("experts", queryset=experts))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        experts = list(self.object.experts.all())
        context["current_experts"] = [e for e in experts if e.removed_at is None]
        context["former_experts"] = [e for e in experts if e.removed_at is not None]
        return context


class ServiceTeamEditView(VisibleMixin, View):
    """An administrator creates a team or changes it, adding experts below."""

    template_name = "subsidies/service_team_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "subsidies.manage_teams"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_team(self) -> ServiceTeam:
        if "pk" not in self.kwargs:
            return ServiceTeam()
        return get_object_or_404(
            ServiceTeam.objects.editable_by(self.request.user), pk=self.kwargs["pk"]
        )

    def render_forms(self, form, formset):
        return render(
            self.request,
            self.template_name,
            {"form": form, "formset": formset, "team": form.instance},
        )

    def get(self, request, *args, **kwargs):
        team = self.get_team()
        return self.render_forms(
            ServiceTeamForm(instance=team),
            ExpertFormSet(instance=team, queryset=TeamExpert.objects.current()),
        )

    def post(self, request, *args, **kwargs):
        team = self.get_team()
        form = ServiceTeamForm(request.POST, instance=team)
        formset = ExpertFormSet(request.POST, instance=team, queryset=TeamExpert.objects.current())
        if form.is_valid() and formset.is_valid():
            experts = [f.instance for f in formset.forms if f.has_changed() and f.is_valid()]
            try:
                team = services.save_team(request.user, form.instance, experts)
            except ValidationError as exc:
                form.add_error(None, exc)
                return self.render_forms(form, formset)
            messages.success(request, _("The service team has been saved."))
            return redirect(team)
        return self.render_forms(form, formset)


class TeamExpertRemoveView(View):
    """An administrator removes an expert from a team, with the reason (audited)."""

    template_name = "subsidies/team_expert_remove.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(request.user, "subsidies.manage_teams"):
            raise PermissionDenied
        self.expert = get_object_or_404(
            TeamExpert.objects.current().select_related("team"),
            pk=kwargs["expert"],
            team_id=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "expert": self.expert, "team": self.expert.team},
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(ExpertRemovalForm())

    def post(self, request, *args, **kwargs):
        form = ExpertRemovalForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            services.remove_expert(request.user, self.expert, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.render_form(form)
        messages.success(
            request, _("%(name)s has been removed from the team.") % {"name": self.expert.name}
        )
        return redirect(self.expert.team)
