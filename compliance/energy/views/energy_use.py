"""Pages of the Art. 12 energy-use register: supplier uploads, matching, the register."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from compliance.choices import District
from compliance.energy.chart import premises_use_charts
from compliance.energy.imports import (
    energy_use_csv_rows,
    validate_energy_use_csv,
)
from compliance.energy.models.energy_use import EnergyUseBatch
from compliance.energy.services import register
from compliance.energy.services.uploads import commit_energy_use_import, stage_energy_use_import
from compliance.form_fields import EquipmentImportForm
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount
from compliance.registry.imports.reading import ImportFileError
from compliance.registry.imports.writing import UTF8_BOM, write_rows
from portal import bounds
from portal.choices import Role
from portal.views.keyset import KeysetListMixin
from portal.views.mixins import RuleRequiredMixin, visible_or_404

PLANNED_ROWS_SHOWN = 200


class SupplierRequiredMixin(LoginRequiredMixin):
    """Let only energy suppliers upload their customers' monthly use."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.role != Role.ENERGY_SUPPLIER:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CityStaffMixin(LoginRequiredMixin):
    """Let the city's staff and API clients read the whole city's register."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        staff = user.is_authenticated and (
            user.is_superuser or user.role in {Role.ADMINISTRATOR, Role.INSPECTOR, Role.API_CLIENT}
        )
        if user.is_authenticated and not staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EnergyUseUploadView(SupplierRequiredMixin, FormView):
    """Upload a CSV file of monthly use; it is kept on the server and checked, not saved."""

    form_class = EquipmentImportForm
    template_name = "compliance/energy_use_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = stage_energy_use_import(self.request.user, upload, upload.name)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        return redirect("energy-use-upload-review", batch_id=batch.pk)


class EnergyUseReviewView(SupplierRequiredMixin, View):
    """Show the dry run of an uploaded file (GET) and import it for good (POST)."""

    def get(self, request, batch_id):
        batch = get_object_or_404(EnergyUseBatch.objects.pending_for(request.user), pk=batch_id)
        return self._render(request, batch, validate_energy_use_csv(batch.content, request.user))

    def post(self, request, batch_id):
        try:
            batch, report = commit_energy_use_import(request.user, batch_id)
        except EnergyUseBatch.DoesNotExist as exc:
            raise Http404 from exc
        if not report.committed:
            messages.error(request, _("Nothing was imported: the file no longer passes the check."))
            return self._render(request, batch, report)
        messages.success(
            request,
            _("Imported: %(created)s months added, %(updated)s months replaced.")
            % {"created": report.created, "updated": report.updated},
        )
        return redirect("energy-use-list")

    def _render(self, request, batch, report):
        return render(
            request,
            "compliance/energy_use_review.html",
            {
                "batch": batch,
                "report": report,
                "planned_rows": report.rows[:PLANNED_ROWS_SHOWN],
                "more_rows": max(0, len(report.rows) - PLANNED_ROWS_SHOWN),
                "upload_form": EquipmentImportForm(),
                "upload_url": reverse("energy-use-upload"),
            },
        )


class MonthlyEnergyUseListView(LoginRequiredMixin, KeysetListMixin, ListView):
    """The monthly figures the user may see (a supplier: its own uploads).

    A city's suppliers send a figure per account and month: millions of rows in a few
    years. Paged by keyset on the index of (month, account), newest month first, with a
    total counted up to a bound.
    """

    keyset_ordering = ["-month", "-account_id", "-id"]
    template_name = "compliance/energy_use_list.html"

    def get_queryset(self):
        return MonthlyEnergyUse.objects.visible_to(self.request.user).select_related(
            "account", "account__premises"
        )


class MonthlyEnergyUseExportView(LoginRequiredMixin, View):
    """Download the figures the user may see, in the import format (formulas guarded)."""

    def get(self, request):
        rows = energy_use_csv_rows(MonthlyEnergyUse.objects.visible_to(request.user))
        response = StreamingHttpResponse(
            (UTF8_BOM, *write_rows(rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="energy-use.csv"'
        return response


class RegisterFilterForm(forms.Form):
    """Narrow the register to a district and an industry (code prefix)."""

    district = forms.ChoiceField(
        label=gettext_lazy("District"),
        required=False,
        choices=[("", gettext_lazy("All districts")), *District.choices],
    )
    industry = forms.RegexField(
        label=gettext_lazy("Industry code starts with"),
        required=False,
        regex=r"^\d{1,4}$",
        max_length=4,
    )
    on = bounds.DateField(
        label=gettext_lazy("On"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class EnergyRegisterView(CityStaffMixin, View):
    """The Art. 12 register by district and industry, with the count per district."""

    def get(self, request):
        form = RegisterFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        day = data.get("on") or timezone.localdate()
        premises = Premises.objects.all()
        if data.get("district"):
            premises = premises.filter(district=data["district"])
        if data.get("industry"):
            premises = premises.filter(business__industry_code__startswith=data["industry"])
        entries = register.register_on(day, premises)
        by_district: dict[str, int] = {}
        for entry in entries:
            label = entry.premises.get_district_display()
            by_district[label] = by_district.get(label, 0) + 1
        return render(
            request,
            "compliance/energy_use_register.html",
            {
                "form": form,
                "day": day,
                "entries": entries,
                "by_district": sorted(by_district.items()),
                "premises_count": len({entry.premises.pk for entry in entries}),
            },
        )


class PremisesEnergyUseView(LoginRequiredMixin, View):
    """A premises' monthly use over time, a chart and table per energy type (404 if unseen)."""

    def get(self, request, pk):
        premises = visible_or_404(Premises.objects.select_related("business"), request.user, pk=pk)
        return render(
            request,
            "compliance/energy_use_premises.html",
            {"premises": premises, "charts": premises_use_charts(premises)},
        )


class AccountMatchForm(forms.Form):
    """An administrator's choice of the premises an account supplies."""

    premises = forms.IntegerField(
        label=gettext_lazy("Premises id"), min_value=1, max_value=bounds.INTEGER_MAX
    )

    def clean_premises(self):
        pk = self.cleaned_data["premises"]
        premises = Premises.objects.filter(pk=pk).first()
        if premises is None:
            raise forms.ValidationError(_("There is no premises %(id)s.") % {"id": pk})
        return premises


class UnmatchedAccountListView(RuleRequiredMixin, ListView):
    """Accounts no upload matched to a premises, for administrators to resolve."""

    paginate_by = 100
    template_name = "compliance/energy_use_unmatched.html"
    permission_rule = "energy.match_accounts"

    def get_queryset(self):
        return (
            SupplierAccount.objects.editable_by(self.request.user)
            .unmatched()
            .select_related("supplier")
            .order_by("supplier__username", "account_number", "energy_type")
        )


class AccountMatchView(LoginRequiredMixin, View):
    """Set the premises of a supplier account (administrators; 404 if it is not visible)."""

    def post(self, request, pk):
        account = visible_or_404(SupplierAccount.objects.all(), request.user, pk=pk)
        if not SupplierAccount.objects.editable_by(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        form = AccountMatchForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("premises", []):
                messages.error(request, f"{account}: {error}")
            return redirect("energy-account-unmatched")
        register.match_account(request.user, account, form.cleaned_data["premises"])
        messages.success(
            request,
            _("Account %(account)s is matched to %(premises)s.")
            % {"account": account, "premises": form.cleaned_data["premises"].name},
        )
        return redirect("energy-account-unmatched")
