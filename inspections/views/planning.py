"""Planning pages: target selection and batches, the inspections list, inspectors' loads,
the inspector's agenda, and the page of one inspection.

Administrators plan; inspectors read every inspection and work from their agenda;
a business user reads the inspections of its own premises and no planning page (403).
Every change goes through :mod:`inspections.services.planning`.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from compliance.choices import ComplianceOutcome
from compliance.models import ComplianceAssessment, Violation
from compliance.registry.overview import premises_overview
from compliance.rulebook.explain import article_label, explain_finding
from inspections import verifications
from inspections.forms.planning import (
    AgendaInspectorForm,
    AssignForm,
    BatchForm,
    CancelForm,
    InspectionFilterForm,
    RescheduleForm,
    TargetCriteriaForm,
)
from inspections.models import Inspection, InspectionAssignment, Visit
from inspections.services import planning
from inspections.services.visits import draft_key
from portal.audit import history_of
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import RuleRequiredMixin, VisibleMixin, visible_or_404

PLAN_LIMIT = 300


class CityStaffRequiredMixin(RuleRequiredMixin):
    """Let in the City's staff and API clients, who read every inspection."""

    permission_rule = "inspections.read_all"


def assignments_prefetch() -> Prefetch:
    """Prefetch an inspection's team, the lead first."""
    return Prefetch(
        "assignments",
        queryset=InspectionAssignment.objects.select_related("user").order_by("role", "user_id"),
    )


def visit_start_url(inspection: Inspection) -> str | None:
    """Return the page that starts the visit, if the visits pages are installed."""
    try:
        return reverse("visit-start", args=[inspection.pk])
    except NoReverseMatch:
        return None


class InspectionListView(CityStaffRequiredMixin, ListView):
    """Every inspection, filterable; administrators reschedule, reassign or cancel."""

    model = Inspection
    paginate_by = 50
    template_name = "inspections/planning_list.html"

    def get_queryset(self):
        queryset = (
            Inspection.objects.visible_to(self.request.user)
            .select_related("premises__business", "batch")
            .prefetch_related(assignments_prefetch())
        )
        self.filter_form = InspectionFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            for field in ("status", "purpose", "batch"):
                if data.get(field):
                    queryset = queryset.filter(**{field: data[field]})
            if data.get("district"):
                queryset = queryset.filter(premises__district=data["district"])
            if data.get("inspector"):
                queryset = queryset.filter(
                    pk__in=InspectionAssignment.objects.filter(user=data["inspector"]).values(
                        "inspection_id"
                    )
                )
            if data.get("scheduled_from"):
                queryset = queryset.filter(scheduled_for__gte=data["scheduled_from"])
            if data.get("scheduled_to"):
                queryset = queryset.filter(scheduled_for__lte=data["scheduled_to"])
        return queryset.order_by("scheduled_for", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["open_statuses"] = planning.OPEN_STATUSES
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class InspectionPlanView(RuleRequiredMixin, TemplateView):
    """Select targets by the Art. 10-5 criteria, then plan a batch for those ticked."""

    template_name = "inspections/planning_plan.html"
    permission_rule = "inspections.plan"

    def criteria_form(self) -> TargetCriteriaForm:
        return TargetCriteriaForm(self.request.GET if self.request.GET else None)

    def get_context_data(self, batch_form: BatchForm | None = None, selected=None, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria_form = self.criteria_form()
        context["criteria_form"] = criteria_form
        context["batch_form"] = batch_form or BatchForm()
        if criteria_form.is_bound and criteria_form.is_valid():
            targets = planning.select_targets(criteria_form.criteria())
            context["targets"] = list(targets[:PLAN_LIMIT])
            context["target_count"] = (
                len(context["targets"]) if len(context["targets"]) < PLAN_LIMIT else targets.count()
            )
            context["limit"] = PLAN_LIMIT
            context["selected"] = (
                {target.pk for target in context["targets"]} if selected is None else selected
            )
        context["query_string"] = self.request.GET.urlencode()
        return context

    def post(self, request, *args, **kwargs):
        batch_form = BatchForm(request.POST)
        criteria_form = self.criteria_form()
        selected = {int(pk) for pk in request.POST.getlist("premises") if pk.isdigit()}
        if batch_form.is_valid():
            data = batch_form.cleaned_data
            criteria = criteria_form.criteria() if criteria_form.is_valid() else None
            try:
                batch = planning.create_batch(
                    request.user,
                    data["title"],
                    selected,
                    data["scheduled_for"],
                    [user.pk for user in data["inspectors"]],
                    experts=data["experts"],
                    criteria=criteria,
                )
            except ValidationError as exc:
                add_service_errors(batch_form, exc)
            else:
                count = batch.inspections.count()
                messages.success(
                    request,
                    _("%(count)d inspections planned in “%(title)s”.")
                    % {"count": count, "title": batch.title},
                )
                return HttpResponseRedirect(f"{reverse('inspection-list')}?batch={batch.pk}")
        return self.render_to_response(
            self.get_context_data(batch_form=batch_form, selected=selected)
        )


@dataclass(frozen=True)
class LoadRow:
    """One inspector's open inspections."""

    inspector: object
    open: int
    overdue: int
    today: int
    next_week: int


class InspectorLoadView(RuleRequiredMixin, TemplateView):
    """How many open inspections each active inspector has (for balancing by hand)."""

    template_name = "inspections/planning_load.html"
    permission_rule = "inspections.plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        week = today + datetime.timedelta(days=7)
        is_open = Q(inspection_assignments__inspection__status__in=planning.OPEN_STATUSES)
        day = "inspection_assignments__inspection__scheduled_for"
        inspectors = (
            planning.active_inspectors()
            .annotate(
                open_total=Count("inspection_assignments", filter=is_open),
                overdue=Count(
                    "inspection_assignments", filter=is_open & Q(**{f"{day}__lt": today})
                ),
                due_today=Count("inspection_assignments", filter=is_open & Q(**{day: today})),
                next_week=Count(
                    "inspection_assignments",
                    filter=is_open & Q(**{f"{day}__gt": today, f"{day}__lte": week}),
                ),
            )
            .order_by("-open_total", "username")
        )
        context["rows"] = [
            LoadRow(user, user.open_total, user.overdue, user.due_today, user.next_week)
            for user in inspectors
        ]
        return context


# How far ahead the agenda looks: whatever the day of the week, two weeks are shown.
AGENDA_DAYS = 14


@dataclass(frozen=True)
class Agenda:
    """An inspector's open inspections: overdue, today, and the next :data:`AGENDA_DAYS` days."""

    today: datetime.date
    until: datetime.date
    overdue: list[Inspection]
    due_today: list[Inspection]
    coming: list[Inspection]

    def offline_urls(self) -> list[str]:
        """Return the pages the tablet keeps for the day: briefings and visit forms.

        Every inspection of the agenda (overdue, today and the next days): its briefing,
        and its visit's form, that of a visit not yet started included (an inspector
        without a network begins it there); a started visit's record for the overdue
        and today's. The agenda itself is kept too.
        """
        urls = [reverse("inspection-agenda")]
        for inspection in (*self.overdue, *self.due_today, *self.coming):
            urls.append(reverse("inspection-detail", args=[inspection.pk]))
            visit = inspection.visit_record
            if visit is None:
                if inspection.visit_new_url:
                    urls.append(inspection.visit_new_url)
                    if inspection.scheduled_for <= self.today:
                        urls.append(inspection.visit_start_url)
                continue
            if inspection.scheduled_for <= self.today:
                urls.append(reverse("visit-detail", args=[visit.pk]))
            if not visit.is_completed:
                urls.append(reverse("visit-edit", args=[visit.pk]))
        return urls


def agenda_of(user, today: datetime.date) -> Agenda:
    """Return the open inspections assigned to ``user`` for the next two weeks, with cases.

    ``inspection.cases``: what its visit is to verify (:mod:`inspections.services.verifications`);
    ``inspection.visit_record``: its visit, if started. Three queries, however many
    inspections.
    """
    until = today + datetime.timedelta(days=AGENDA_DAYS)
    inspections = (
        Inspection.objects.filter(
            assignments__user=user,
            status__in=planning.OPEN_STATUSES,
            scheduled_for__lte=until,
        )
        .select_related("premises__business", "visit")
        .order_by("scheduled_for", "premises__district", "premises__address", "id")
    )
    agenda = Agenda(today, until, [], [], [])
    inspections = list(inspections)
    cases = verifications.cases_to_verify(inspections, today)
    for inspection in inspections:
        inspection.visit_start_url = visit_start_url(inspection)
        inspection.visit_new_url = (
            reverse("visit-new", args=[inspection.pk]) if inspection.visit_start_url else None
        )
        # The key under which this inspector's tablet keeps a visit begun offline.
        inspection.draft_key = draft_key(inspection.pk, user.pk)
        inspection.cases = cases.get(inspection.pk, [])
        try:
            inspection.visit_record = inspection.visit
        except Visit.DoesNotExist:
            inspection.visit_record = None
        if inspection.scheduled_for < today:
            agenda.overdue.append(inspection)
        elif inspection.scheduled_for == today:
            agenda.due_today.append(inspection)
        else:
            agenda.coming.append(inspection)
    return agenda


class AgendaView(RuleRequiredMixin, TemplateView):
    """The inspector's agenda; an administrator may look at any inspector's.

    An inspector's own agenda asks the service worker to keep the day's pages
    (``static/js/agenda.js``) and shows each started visit's sync state on this device.
    """

    template_name = "inspections/agenda.html"
    permission_rule = "inspections.read_agenda"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Whose agenda is shown at first (not a permission): an inspector's own.
        inspector = user if user.is_inspector else None
        if can(user, "inspections.read_any_agenda"):
            form = AgendaInspectorForm(self.request.GET or None)
            context["inspector_form"] = form
            if form.is_valid():
                inspector = form.cleaned_data["inspector"]
        context["inspector"] = inspector
        if inspector is not None:
            agenda = agenda_of(inspector, timezone.localdate())
            context["agenda"] = agenda
            if inspector == user:
                context["offline_urls"] = json.dumps(agenda.offline_urls())
        return context


@dataclass(frozen=True)
class PreviousFinding:
    """A non-compliant finding of the premises' latest assessment."""

    article: str
    subject: str
    explanation: str


def previous_findings(premises_id: int) -> tuple[ComplianceAssessment | None, list]:
    """Return the premises' latest assessment and its non-compliant findings."""
    latest = (
        ComplianceAssessment.objects.filter(premises_id=premises_id)
        .select_related("rulebook_version")
        .order_by("-as_of", "-id")
        .first()
    )
    if latest is None:
        return None, []
    findings = [
        PreviousFinding(
            article=article_label(str(finding.get("article") or "")),
            subject=str(finding.get("subject") or ""),
            explanation=explain_finding(finding),
        )
        for finding in latest.findings
        if finding.get("outcome") == ComplianceOutcome.NON_COMPLIANT
    ]
    return latest, findings


def inspection_cases(inspection: Inspection, today: datetime.date) -> tuple[list, bool]:
    """Return the cases of an inspection's visit and whether the visit was completed."""
    visit = Visit.objects.filter(inspection=inspection).first()
    if visit is not None and visit.is_completed:
        visit.inspection = inspection
        return verifications.verified_at(visit), True
    if visit is not None:
        visit.inspection = inspection
        return verifications.visit_cases(visit, today), False
    return verifications.cases_to_verify([inspection], today)[inspection.pk], False


class InspectionDetailView(VisibleMixin, DetailView):
    """One inspection: the premises, its declared equipment, what was found before."""

    model = Inspection
    template_name = "inspections/inspection_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("premises__business", "premises__status", "batch", "violation")
            .prefetch_related(assignments_prefetch())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        city_staff = can(user, "inspections.read_all")
        is_open = inspection.status in planning.OPEN_STATUSES
        context["city_staff"] = city_staff
        context["can_plan"] = can(user, "inspections.plan", inspection)
        context["overview"] = premises_overview(inspection.premises)
        context["assessment"], context["findings"] = previous_findings(inspection.premises_id)
        # Every running case (open or fined): a fined case is still to be rectified.
        context["violations"] = list(
            Violation.objects.active()
            .filter(premises_id=inspection.premises_id)
            .order_by("deadline", "id")
        )
        context["cases"], context["cases_completed"] = inspection_cases(
            inspection, timezone.localdate()
        )
        # The assigned inspectors (and administrators) record the visit.
        may_visit = (
            is_open and Inspection.objects.editable_by(user).filter(pk=inspection.pk).exists()
        )
        context["visit_start_url"] = visit_start_url(inspection) if may_visit else None
        context["history"] = history_of(inspection)[:20] if city_staff else []
        return context


class InspectionActionView(LoginRequiredMixin, FormView):
    """An administrator's change to one inspection, with a form (404 if not visible)."""

    template_name = "inspections/planning_action.html"
    title = ""
    submit_label = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        queryset = Inspection.objects.select_related("premises__business")
        self.inspection = visible_or_404(queryset, request.user, pk=kwargs["pk"])
        if not can(request.user, "inspections.plan"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(inspection=self.inspection, title=self.title, submit_label=self.submit_label)
        return context

    def perform(self, form) -> str:
        """Make the change through the service; return the message to show."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.inspection.get_absolute_url())


class InspectionRescheduleView(InspectionActionView):
    """Move an inspection to another day, with the reason (kept in the history)."""

    form_class = RescheduleForm

    @property
    def title(self) -> str:
        return _("Reschedule the inspection")

    @property
    def submit_label(self) -> str:
        return _("Reschedule")

    def get_initial(self):
        return {"scheduled_for": self.inspection.scheduled_for}

    def perform(self, form) -> str:
        data = form.cleaned_data
        planning.reschedule(
            self.request.user, self.inspection, data["scheduled_for"], data["reason"]
        )
        return _("The inspection has been moved to %(day)s.") % {
            "day": data["scheduled_for"].isoformat()
        }


class InspectionAssignView(InspectionActionView):
    """Choose the lead inspector and the team."""

    form_class = AssignForm

    @property
    def title(self) -> str:
        return _("Assign inspectors")

    @property
    def submit_label(self) -> str:
        return _("Assign")

    def get_initial(self):
        rows = list(self.inspection.assignments.values_list("user_id", "role"))
        return {
            "lead": next((pk for pk, role in rows if role == "lead"), None),
            "others": [pk for pk, role in rows if role != "lead"],
        }

    def perform(self, form) -> str:
        data = form.cleaned_data
        planning.assign(
            self.request.user, self.inspection, data["lead"], data["others"], data["reason"]
        )
        return _("The inspectors have been assigned.")


class InspectionCancelView(InspectionActionView):
    """Call off an inspection, with the reason."""

    form_class = CancelForm

    @property
    def title(self) -> str:
        return _("Cancel the inspection")

    @property
    def submit_label(self) -> str:
        return _("Cancel the inspection")

    def perform(self, form) -> str:
        planning.cancel(self.request.user, self.inspection, form.cleaned_data["reason"])
        return _("The inspection has been cancelled.")
