"""Pages for premises, with the per-premises overview of equipment and logs."""

from django.contrib import messages
from django.db.models import Count, ProtectedError, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, DetailView, ListView
from django.views.generic.edit import CreateView, UpdateView

from compliance import services
from compliance.editing import AuditedSaveMixin, UserFormMixin
from compliance.models import Equipment, Premises
from compliance.registry.forms.business import NOT_ASSESSED, PremisesFilterForm, PremisesForm
from compliance.registry.overview import premises_overview
from portal.audit import history_of
from portal.views.keyset import KeysetListMixin
from portal.views.mixins import EditableObjectMixin, VisibleMixin, WriterRequiredMixin


class PremisesListView(VisibleMixin, KeysetListMixin, ListView):
    """Premises the user may see, filterable by district, kind and category.

    Paged by keyset on (business name, name, id): the business index of names, then each
    business's premises by the index of (business, name, id); the equipment is counted
    for the rows shown only.
    """

    model = Premises
    keyset_ordering = ["business__name_zh", "name", "id"]
    keyset_counted = False
    template_name = "compliance/premises_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("business", "status")
        self.filter_form = PremisesFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            for field in ("district", "kind", "category"):
                if data.get(field):
                    queryset = queryset.filter(**{field: data[field]})
            if data.get("status") == NOT_ASSESSED:
                queryset = queryset.filter(status__isnull=True)
            elif data.get("status"):
                queryset = queryset.filter(status__outcome=data["status"])
            if data.get("q"):
                q = data["q"]
                queryset = queryset.filter(
                    Q(name__icontains=q)
                    | Q(address__icontains=q)
                    | Q(business__name_zh__icontains=q)
                    | Q(business__ubn=q)
                )
        business_id = self.request.GET.get("business", "")
        if business_id.isdigit():
            queryset = queryset.filter(business_id=int(business_id))
        return queryset

    def decorate(self, rows: list) -> None:
        counts = dict(
            Equipment.objects.filter(premises__in=[premises.pk for premises in rows])
            .values_list("premises")
            .annotate(Count("pk"))
            .order_by()
        )
        for premises in rows:
            premises.equipment_count = counts.get(premises.pk, 0)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class PremisesDetailView(VisibleMixin, DetailView):
    """The per-premises overview: facts, equipment by kind, monthly logs, history."""

    model = Premises
    template_name = "compliance/premises_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("business", "status")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = premises_overview(self.object)
        context["can_edit"] = (
            Premises.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        context["history"] = history_of(self.object)[:20]
        return context


class PremisesCreateView(WriterRequiredMixin, UserFormMixin, AuditedSaveMixin, CreateView):
    """Add a premises to one of the user's businesses."""

    model = Premises
    form_class = PremisesForm
    template_name = "compliance/premises_form.html"
    success_message = gettext_lazy("The premises has been added.")

    def get_initial(self):
        initial = super().get_initial()
        business = self.request.GET.get("business", "")
        if business.isdigit():
            initial["business"] = int(business)
        return initial


class PremisesUpdateView(EditableObjectMixin, UserFormMixin, AuditedSaveMixin, UpdateView):
    """Edit a premises."""

    model = Premises
    form_class = PremisesForm
    template_name = "compliance/premises_form.html"
    success_message = gettext_lazy("The changes have been saved.")


class PremisesDeleteView(EditableObjectMixin, DeleteView):
    """Remove a premises (with its declared equipment and logs), after confirmation."""

    model = Premises
    template_name = "compliance/premises_confirm_delete.html"

    def form_valid(self, form):
        business_id = self.object.business_id
        try:
            services.delete_record(self.request.user, self.object)
        except ProtectedError:
            messages.error(self.request, _("This premises still has records that keep it."))
            return redirect("premises-detail", pk=self.object.pk)
        messages.success(self.request, _("The premises has been removed."))
        return redirect("business-detail", pk=business_id)
