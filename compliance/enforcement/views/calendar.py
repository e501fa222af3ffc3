"""The working calendar's pages: a year's rest days and workdays; declarations by administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from compliance.enforcement.forms.calendar import (
    YEARS_AHEAD,
    YEARS_BACK,
    CalendarDayForm,
    WithdrawDayForm,
)
from compliance.enforcement.services import working_calendar
from compliance.models import CalendarDay
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import AdministratorRequiredMixin


class CalendarView(LoginRequiredMixin, TemplateView):
    """A year's days off and weekend workdays, national and declared (APA Art. 48)."""

    template_name = "compliance/working_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        years = list(range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1))
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = year if year in years else today.year
        context.update(
            year=year,
            years=years,
            days=working_calendar.days_of_year(year),
            may_declare=can(self.request.user, "enforcement.declare_working_day"),
        )
        return context


class DeclareDayView(AdministratorRequiredMixin, FormView):
    """An administrator declares a day off or a working day; deadlines on a day off move."""

    template_name = "compliance/working_calendar_form.html"
    form_class = CalendarDayForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            row, moved = working_calendar.declare_day(
                self.request.user,
                day=data["day"],
                kind=data["kind"],
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(day)s is declared: %(kind)s. Deadlines moved: %(moved)d.")
            % {"day": row.day.isoformat(), "kind": row.get_kind_display(), "moved": moved},
        )
        return redirect(f"{redirect('working-calendar').url}?year={row.day.year}")


class WithdrawDayView(AdministratorRequiredMixin, FormView):
    """An administrator withdraws a declaration; the national calendar applies again."""

    template_name = "compliance/working_calendar_withdraw.html"
    form_class = WithdrawDayForm

    @cached_property
    def row(self) -> CalendarDay:
        return get_object_or_404(CalendarDay, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(row=self.row, **kwargs)

    def form_valid(self, form):
        year = self.row.day.year
        try:
            working_calendar.withdraw_day(
                self.request.user, self.row, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The declaration is withdrawn."))
        return redirect(f"{redirect('working-calendar').url}?year={year}")
