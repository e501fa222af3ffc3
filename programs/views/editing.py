"""Programme staff create and edit records in the browser (through the audited service).

Programme officers and administrators reach these pages; other signed-in users get a
403 for a record they can see and a 404 for one they cannot; anonymous visitors are
sent to the login page. A form with errors comes back with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from programs import services
from programs.forms import (
    AssessmentForm,
    CityForm,
    EventForm,
    FundingContributionForm,
    MilestoneForm,
    ParticipationForm,
    ProgrammeForm,
    ProjectForm,
    add_model_errors,
)
from programs.models import (
    City,
    CriterionAssessment,
    Event,
    Fund,
    FundingContribution,
    Milestone,
    Participation,
    Programme,
    Project,
)
from programs.views.access import ProgrammeStaffRequiredMixin, visible_record_or_404


def programme_page(programme_code: str, anchor: str = "") -> str:
    url = reverse("programme-detail", args=[programme_code])
    return f"{url}#{anchor}" if anchor else url


class RecordFormView(ProgrammeStaffRequiredMixin, FormView):
    """Create (no ``pk`` in the URL) or edit one record, saved by ``services.save_record``."""

    model = None
    template_name = "programs/record_form.html"
    m2m_fields: tuple[str, ...] = ()
    title_create = ""
    title_edit = ""
    lookup_field = "pk"

    def refuse(self):
        """A record the user cannot see is a 404 (they never learn it exists); else 403."""
        if self.kwargs.get(self.lookup_field) is not None:
            visible_record_or_404(
                self.model, self.request.user, **{self.lookup_field: self.kwargs[self.lookup_field]}
            )
        raise PermissionDenied

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        key = self.kwargs.get(self.lookup_field)
        if key is None:
            return None
        queryset = self.model.objects.editable_by(self.request.user)
        return get_object_or_404(queryset, **{self.lookup_field: key})

    def new_instance(self):
        """Return the unsaved record a create page starts from (pre-filled from the URL)."""
        return self.model()

    def get_form_kwargs(self):
        if self.object is None:
            self.object = self.get_object() or self.new_instance()
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        creating = self.object is None or self.object.pk is None
        return super().get_context_data(
            object=self.object,
            title=self.title_create if creating else self.title_edit,
            cancel_url=self.cancel_url(),
            **kwargs,
        )

    def cancel_url(self) -> str:
        if self.object is not None and self.object.pk is not None:
            return self.success_url_for(self.object)
        return reverse("programme-list")

    def success_url_for(self, record) -> str:
        return reverse("programme-list")

    def form_valid(self, form):
        instance = form.save(commit=False)
        m2m = {name: form.cleaned_data[name] for name in self.m2m_fields if name in form.fields}
        creating = instance.pk is None
        try:
            record = services.save_record(self.request.user, instance, m2m=m2m)
        except ValidationError as error:
            add_model_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(record)s” was added.") % {"record": record}
            if creating
            else _("The changes to “%(record)s” were saved.") % {"record": record},
        )
        return redirect(self.success_url_for(record))


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


class ProgrammeChildMixin:
    """A record created from its programme's page: the programme's code is in the URL."""

    def refuse(self):
        if self.kwargs.get("pk") is None:
            visible_record_or_404(Programme, self.request.user, code=self.kwargs["code"])
        super().refuse()

    def get_programme(self) -> Programme:
        return get_object_or_404(Programme, code=self.kwargs["code"])


class ProgrammeFormView(RecordFormView):
    model = Programme
    form_class = ProgrammeForm
    m2m_fields = ("organisers",)
    lookup_field = "code"
    title_create = gettext_lazy("New programme")
    title_edit = gettext_lazy("Edit the programme")

    def success_url_for(self, record) -> str:
        return programme_page(record.code)


class CityFormView(RecordFormView):
    model = City
    form_class = CityForm
    title_create = gettext_lazy("New city")
    title_edit = gettext_lazy("Edit the city")

    def success_url_for(self, record) -> str:
        return reverse("programme-city-detail", args=[record.pk])


class ParticipationFormView(ProgrammeChildMixin, RecordFormView):
    """A city's participation; created from its programme's page (the programme's code)."""

    model = Participation
    form_class = ParticipationForm
    title_create = gettext_lazy("Add a city's participation")
    title_edit = gettext_lazy("Edit the participation")

    def new_instance(self):
        return Participation(programme=self.get_programme())

    def success_url_for(self, record) -> str:
        return programme_page(record.programme.code, "cities")

    def cancel_url(self) -> str:
        if self.object is not None and self.object.programme_id:
            return programme_page(self.object.programme.code, "cities")
        return super().cancel_url()


class ProjectFormView(RecordFormView):
    model = Project
    form_class = ProjectForm
    m2m_fields = ("countries",)
    title_create = gettext_lazy("Add a project")
    title_edit = gettext_lazy("Edit the project")

    def get_initial(self):
        programme = _int_param(self.request, "programme")
        return {"programme": programme} if programme else {}

    def success_url_for(self, record) -> str:
        return reverse("programme-project-detail", args=[record.pk])


class EventFormView(RecordFormView):
    model = Event
    form_class = EventForm
    title_create = gettext_lazy("Add an event")
    title_edit = gettext_lazy("Edit the event")

    def get_initial(self):
        programme = _int_param(self.request, "programme")
        return {"programme": programme} if programme else {}

    def success_url_for(self, record) -> str:
        if record.programme_id:
            return programme_page(record.programme.code)
        return reverse("programme-event-list")


class FundingContributionFormView(RecordFormView):
    model = FundingContribution
    form_class = FundingContributionForm
    title_create = gettext_lazy("Add a funding contribution")
    title_edit = gettext_lazy("Edit the funding contribution")

    def get_initial(self):
        fund = _int_param(self.request, "fund")
        return {"fund": fund} if fund else {}

    def success_url_for(self, record) -> str:
        fund = Fund.objects.select_related("programme").get(pk=record.fund_id)
        if fund.programme_id:
            return programme_page(fund.programme.code)
        return reverse("programme-list")


class MilestoneFormView(ProgrammeChildMixin, RecordFormView):
    """A dated milestone of a programme (its code in the URL) or of one of its proposals."""

    model = Milestone
    form_class = MilestoneForm
    title_create = gettext_lazy("Add a milestone")
    title_edit = gettext_lazy("Edit the milestone")

    def new_instance(self):
        return Milestone(programme=self.get_programme())

    def get_initial(self):
        project = _int_param(self.request, "project")
        return {"project": project} if project else {}

    def success_url_for(self, record) -> str:
        if record.project_id:
            return reverse("programme-project-detail", args=[record.project_id])
        return programme_page(record.programme.code)


class AssessmentFormView(RecordFormView):
    """A criterion assessment of a proposal (``?project=``) or participation, with evidence."""

    model = CriterionAssessment
    form_class = AssessmentForm
    title_create = gettext_lazy("Add a criterion assessment")
    title_edit = gettext_lazy("Edit the evidence")

    def subject(self):
        """Return the model and id of the proposal or participation the URL names."""
        if "project" in self.kwargs:
            return Project, self.kwargs["project"]
        return Participation, self.kwargs["participation"]

    def refuse(self):
        if self.kwargs.get("pk") is None:
            model, pk = self.subject()
            visible_record_or_404(model, self.request.user, pk=pk)
        super().refuse()

    def new_instance(self):
        model, pk = self.subject()
        subject = get_object_or_404(model.objects.editable_by(self.request.user), pk=pk)
        if model is Project:
            return CriterionAssessment(project=subject)
        return CriterionAssessment(participation=subject)

    def success_url_for(self, record) -> str:
        if record.project_id:
            return reverse("programme-project-detail", args=[record.project_id])
        participation = record.participation
        if participation.city_id:
            return reverse("programme-city-detail", args=[participation.city_id])
        return programme_page(participation.programme.code, "cities")
