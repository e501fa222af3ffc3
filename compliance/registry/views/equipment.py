"""Pages for equipment: list with filters, detail, add, edit, remove, CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DeleteView, DetailView, ListView
from django.views.generic.edit import CreateView, UpdateView

from compliance import services
from compliance.choices import EquipmentKind
from compliance.editing import AuditedSaveMixin, UserFormMixin
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Equipment
from compliance.registry.forms.equipment import EquipmentFilterForm, EquipmentForm
from compliance.registry.imports import iter_equipment_csv
from compliance.registry.imports.writing import UTF8_BOM
from portal.audit import history_of
from portal.permissions import can
from portal.views.keyset import KeysetListMixin
from portal.views.mixins import EditableObjectMixin, VisibleMixin, WriterRequiredMixin

LOG_ROUTES = {
    EquipmentKind.CHILLER: (AcMonthlyLog, "aclog-create", "aclog-edit", "aclog-list"),
    EquipmentKind.BOILER: (
        BoilerMonthlyLog,
        "boilerlog-create",
        "boilerlog-edit",
        "boilerlog-list",
    ),
}


def can_write(user) -> bool:
    """Return whether the user's role may change the registry at all."""
    return can(user, "registry.write")


def filter_equipment(queryset, form: EquipmentFilterForm):
    """Apply the list filters (kind, district, premises) of a bound filter form."""
    if not form.is_bound:
        return queryset
    form.is_valid()
    data = form.cleaned_data
    if "premises" in form.errors:
        # A premises the user cannot see filters to nothing, and says nothing about it.
        return queryset.none()
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("district"):
        queryset = queryset.filter(premises__district=data["district"])
    if data.get("premises"):
        queryset = queryset.filter(premises=data["premises"])
    return queryset


class EquipmentListView(VisibleMixin, KeysetListMixin, ListView):
    """The equipment the user may see, filterable by kind, district and premises.

    Paged by keyset on (business name, premises name, kind, tag, id), down the indexes of
    business names, of a business's premises and of a premises' items; counted up to a
    bound, never over the whole table.
    """

    model = Equipment
    template_name = "compliance/equipment_list.html"
    keyset_ordering = ["premises__business__name_zh", "premises__name", "kind", "tag", "id"]

    def get_queryset(self):
        self.filter_form = EquipmentFilterForm(self.request.GET or None, user=self.request.user)
        queryset = super().get_queryset().select_related("premises__business")
        return filter_equipment(queryset, self.filter_form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter_form=self.filter_form, can_write=can_write(self.request.user))
        return context


class EquipmentDetailView(VisibleMixin, DetailView):
    """One item: its attributes, its recent monthly logs and its history."""

    model = Equipment
    template_name = "compliance/equipment_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("premises__business")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        context["can_edit"] = (
            Equipment.objects.editable_by(self.request.user).filter(pk=item.pk).exists()
        )
        context["history"] = history_of(item)[:20]
        if item.kind in LOG_ROUTES:
            log_model, create_url, edit_url, list_url = LOG_ROUTES[item.kind]
            context.update(
                logs=log_model.objects.filter(equipment=item).order_by("-month")[:12],
                log_create_url=create_url,
                log_edit_url=edit_url,
                log_list_url=list_url,
            )
        return context


class EquipmentFormMixin(UserFormMixin, AuditedSaveMixin):
    """Shared parts of the add and edit pages."""

    model = Equipment
    form_class = EquipmentForm
    template_name = "compliance/equipment_form.html"
    success_message = gettext_lazy("The equipment has been saved.")


class EquipmentCreateView(WriterRequiredMixin, EquipmentFormMixin, CreateView):
    """Declare an item of equipment; ``?premises=<id>`` preselects one of the user's."""

    success_message = gettext_lazy("The equipment has been added.")

    def get_initial(self):
        initial = super().get_initial()
        premises = self.request.GET.get("premises", "")
        if premises.isdigit():
            # Only an editable premises is among the choices, so nothing else is preselected.
            initial["premises"] = int(premises)
        kind = self.request.GET.get("kind", "")
        if kind in EquipmentKind.values:
            initial["kind"] = kind
        return initial


class EquipmentUpdateView(EditableObjectMixin, EquipmentFormMixin, UpdateView):
    """Edit an item of equipment."""

    success_message = gettext_lazy("The changes have been saved.")


class EquipmentDeleteView(EditableObjectMixin, DeleteView):
    """Remove an item (with its monthly logs), after confirmation; kept in the audit log."""

    model = Equipment
    template_name = "compliance/equipment_confirm_delete.html"

    def form_valid(self, form):
        premises_id = self.object.premises_id
        services.delete_record(self.request.user, self.object)
        messages.success(self.request, _("The equipment has been removed."))
        return redirect("premises-detail", pk=premises_id)


class EquipmentExportView(LoginRequiredMixin, View):
    """Download the visible equipment as CSV in the import format, honouring the filters."""

    def get(self, request):
        form = EquipmentFilterForm(request.GET or None, user=request.user)
        queryset = filter_equipment(Equipment.objects.visible_to(request.user), form)

        def lines():
            yield UTF8_BOM  # so that Excel reads the file as UTF-8
            yield from iter_equipment_csv(queryset)

        filename = f"equipment-{timezone.localdate():%Y%m%d}.csv"
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
