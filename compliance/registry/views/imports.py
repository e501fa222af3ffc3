"""Pages of the equipment CSV import: upload, dry-run report, confirmation; the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from compliance.models import ImportBatch, Premises
from compliance.registry.forms.equipment import EquipmentImportForm
from compliance.registry.imports import (
    ImportFileError,
    equipment_template_csv,
    validate_equipment_csv,
)
from compliance.registry.imports.batches import commit_equipment_import, stage_equipment_import
from compliance.registry.imports.writing import UTF8_BOM
from portal.views.mixins import WriterRequiredMixin

REPORT_TEMPLATE = "compliance/import_report.html"
# The report lists every error but only the first planned rows (the counts cover all).
PLANNED_ROWS_SHOWN = 200


class EquipmentImportView(WriterRequiredMixin, FormView):
    """Upload an equipment CSV file; it is kept on the server and checked, not saved."""

    form_class = EquipmentImportForm
    template_name = "compliance/import_form.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = stage_equipment_import(self.request.user, upload, upload.name)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        return redirect("equipment-import-review", batch_id=batch.pk)


class EquipmentImportReviewView(WriterRequiredMixin, View):
    """Show the dry run of an uploaded file (GET) and import it for good (POST)."""

    def get(self, request, batch_id):
        batch = get_object_or_404(ImportBatch.objects.pending_for(request.user), pk=batch_id)
        report = validate_equipment_csv(batch.content, request.user)
        return self._render(request, batch, report)

    def post(self, request, batch_id):
        try:
            batch, report = commit_equipment_import(request.user, batch_id)
        except ImportBatch.DoesNotExist as exc:
            raise Http404 from exc
        if not report.committed:
            # The registry changed since the dry run (e.g. a premises was removed).
            messages.error(request, _("Nothing was imported: the file no longer passes the check."))
            return self._render(request, batch, report)
        messages.success(
            request,
            _("Imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return redirect("equipment-list")

    def _render(self, request, batch, report):
        return render(
            request,
            REPORT_TEMPLATE,
            {
                "batch": batch,
                "report": report,
                "planned_rows": report.rows[:PLANNED_ROWS_SHOWN],
                "more_rows": max(0, len(report.rows) - PLANNED_ROWS_SHOWN),
                "upload_form": EquipmentImportForm(),
                "upload_url": reverse("equipment-import"),
            },
        )


class EquipmentTemplateView(LoginRequiredMixin, View):
    """Download an empty import file: the header and one example row of each kind."""

    def get(self, request):
        premises = None
        if request.user.is_business_user:
            # Fill in one of the user's own premises so the example rows import as they are.
            premises = Premises.objects.editable_by(request.user).order_by("pk").first()
        text = equipment_template_csv(premises.pk if premises else None)
        response = HttpResponse(UTF8_BOM + text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="equipment-template.csv"'
        return response
