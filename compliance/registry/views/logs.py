"""Pages for the monthly logs: chillers (Art. 5-3) and boilers (Art. 8-2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView
from django.views.generic.edit import CreateView, UpdateView

from compliance.editing import AuditedSaveMixin, UserFormMixin
from compliance.models import AcMonthlyLog, BoilerMonthlyLog
from compliance.registry.forms.equipment import (
    AcLogForm,
    BoilerLogForm,
    LogFilterForm,
    duplicate_month_message,
)
from compliance.registry.views.equipment import can_write
from portal.views.keyset import KeysetListMixin
from portal.views.mixins import EditableObjectMixin, VisibleMixin, WriterRequiredMixin


class AcLogPages:
    """What the chiller log pages show and where they link."""

    model = AcMonthlyLog
    form_class = AcLogForm
    heading = gettext_lazy("Air-conditioning monthly logs (Art. 5-3)")
    list_columns = ("ac_electricity_kwh", "chiller_outlet_temp_c", "maintenance_done")
    urls = {"list": "aclog-list", "create": "aclog-create", "edit": "aclog-edit"}


class BoilerLogPages:
    """What the boiler log pages show and where they link."""

    model = BoilerMonthlyLog
    form_class = BoilerLogForm
    heading = gettext_lazy("Boiler monthly logs (Art. 8-2)")
    list_columns = ("exhaust_temp_c", "exhaust_co2_pct", "combustion_complete")
    urls = {"list": "boilerlog-list", "create": "boilerlog-create", "edit": "boilerlog-edit"}


def _display(log, name: str) -> str:
    value = getattr(log, name)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return localize(value)


class LogContextMixin:
    """Put the log kind's heading and links into the page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=self.heading, urls=self.urls)
        return context


class LogListView(LogContextMixin, VisibleMixin, KeysetListMixin, ListView):
    """Visible logs, newest month first, filterable by equipment, premises and month.

    Paged by keyset on the index of (month, id), newest first: no COUNT(*) of the logs.
    """

    keyset_ordering = ["-month", "-id"]
    keyset_counted = False
    template_name = "compliance/log_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("equipment__premises__business")
        self.filter_form = LogFilterForm(self.request.GET or None)
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data.get("equipment"):
                queryset = queryset.filter(equipment_id=data["equipment"])
            if data.get("premises"):
                queryset = queryset.filter(equipment__premises_id=data["premises"])
            if data.get("month"):
                queryset = queryset.filter(month=data["month"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fields = [self.model._meta.get_field(name) for name in self.list_columns]
        context.update(
            filter_form=self.filter_form,
            can_write=can_write(self.request.user),
            columns=[field.verbose_name for field in fields],
            rows=[
                (log, [_display(log, name) for name in self.list_columns])
                for log in context["object_list"]
            ],
        )
        return context


class LogFormMixin(UserFormMixin, AuditedSaveMixin, LogContextMixin):
    """Save a log through the audited service; a month logged twice is a form error."""

    template_name = "compliance/log_form.html"
    success_message = gettext_lazy("The monthly log has been saved.")

    def save(self, form):
        try:
            with transaction.atomic():
                return super().save(form)
        except IntegrityError as exc:
            # Another log of the same month was saved since the form was checked.
            raise ValidationError({"month": duplicate_month_message()}) from exc


class LogCreateView(WriterRequiredMixin, LogFormMixin, CreateView):
    """Record a month; ``?equipment=<id>`` preselects one of the user's items."""

    def get_initial(self):
        initial = super().get_initial()
        equipment = self.request.GET.get("equipment", "")
        if equipment.isdigit():
            # Only editable equipment of the right kind is offered; nothing else is preselected.
            initial["equipment"] = int(equipment)
        return initial


class LogUpdateView(EditableObjectMixin, LogFormMixin, UpdateView):
    """Correct a recorded month."""

    def get_queryset(self):
        return super().get_queryset().select_related("equipment__premises")


class AcLogListView(AcLogPages, LogListView):
    """Chiller logs (Art. 5-3)."""


class AcLogCreateView(AcLogPages, LogCreateView):
    """Record a month of a chiller (Art. 5-3)."""


class AcLogUpdateView(AcLogPages, LogUpdateView):
    """Correct a month of a chiller (Art. 5-3)."""


class BoilerLogListView(BoilerLogPages, LogListView):
    """Boiler logs (Art. 8-2)."""


class BoilerLogCreateView(BoilerLogPages, LogCreateView):
    """Record a boiler check (Art. 8-2)."""


class BoilerLogUpdateView(BoilerLogPages, LogUpdateView):
    """Correct a boiler check (Art. 8-2)."""
