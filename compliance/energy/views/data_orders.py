"""Pages of the Art. 12-2 data orders: the list, ordering, one order, and its acts.

Administrators order and act; inspectors and API clients read every order; a supplier
reads its own (others' are a 404); business users have no list (403) and see no order.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from compliance.energy.forms.data_orders import (
    DataOrderFilterForm,
    DataOrderForm,
    DataOrderReasonForm,
)
from compliance.energy.services import data_orders
from compliance.enforcement.texts import countdown
from compliance.models import DataOrder, DataOrderStatus
from portal.actors import shown_actor
from portal.choices import Role
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import AdministratorRequiredMixin, visible_or_404

READERS = {Role.ADMINISTRATOR, Role.INSPECTOR, Role.API_CLIENT, Role.ENERGY_SUPPLIER}


class ReaderMixin(LoginRequiredMixin):
    """City staff, API clients and suppliers read data orders; other roles are refused."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_superuser or user.role in READERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DataOrderListView(ReaderMixin, ListView):
    """The orders the user may see, newest first, with their countdown and case."""

    paginate_by = 50
    template_name = "compliance/data_orders/list.html"

    def get_queryset(self):
        self.filter_form = DataOrderFilterForm(self.request.GET or None)
        queryset = DataOrder.objects.visible_to(self.request.user).select_related(
            "supplier", "violation"
        )
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["status"]:
                queryset = queryset.filter(status=data["status"])
            if data["energy_type"]:
                queryset = queryset.filter(energy_type=data["energy_type"])
        return queryset.order_by("-ordered_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for order in context["object_list"]:
            order.countdown = countdown(order, today)
        context.update(filter_form=self.filter_form, today=today)
        return context


class DataOrderCreateView(AdministratorRequiredMixin, FormView):
    """An administrator orders a supplier to provide monthly use data by a deadline."""

    form_class = DataOrderForm
    template_name = "compliance/data_orders/form.html"

    def form_valid(self, form):
        try:
            order = data_orders.issue_order(self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Data order %(number)s has been issued.") % {"number": order.number},
        )
        return redirect("data-order-detail", pk=order.pk)


class DataOrderDetailView(LoginRequiredMixin, DetailView):
    """One order: what is due, the months still missing, its events and its Art. 18 case."""

    template_name = "compliance/data_orders/detail.html"
    context_object_name = "order"

    def get_queryset(self):
        return DataOrder.objects.visible_to(self.request.user).select_related(
            "supplier", "violation", "ordered_by", "rulebook_version"
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **order_context(self.request, self.object)}


def _with_shown_actor(user, event):
    event.shown_actor = shown_actor(user, event.actor, event.actor_label)
    return event


def order_context(request, order: DataOrder, bound: tuple[str, DataOrderReasonForm] | None = None):
    """Return what an order's page shows, with the administrator's forms (or a refused one)."""
    user = request.user
    active = order.status in (DataOrderStatus.OPEN, DataOrderStatus.MISSED)

    def form(kind: str, offered: bool):
        if bound is not None and bound[0] == kind:
            return bound[1]
        return DataOrderReasonForm(prefix=kind) if offered else None

    return {
        "order": order,
        "object": order,
        "missing": data_orders.missing_months(order) if active else [],
        "months": data_orders.months_between(order.period_from, order.period_to),
        "events": [
            _with_shown_actor(user, event)
            for event in order.events.select_related("actor").order_by("at", "id")
        ],
        "countdown": countdown(order, timezone.localdate()),
        "cancel_form": form("cancel", can(user, "energy.cancel_data_order", order)),
        "fulfil_form": form("fulfil", can(user, "energy.fulfil_data_order", order)),
    }


class DataOrderActionView(LoginRequiredMixin, View):
    """Cancel an open order, or record that its data arrived another way (with a reason).

    An order the user cannot see is a 404; one they see but may not act on a 403.
    """

    kind = ""
    #: The rule (``compliance.energy.permissions``) the user's role must pass.
    action = ""

    def post(self, request, pk):
        queryset = DataOrder.objects.select_related("supplier", "violation")
        order = visible_or_404(queryset, request.user, pk=pk)
        if not can(request.user, self.action):
            raise PermissionDenied
        form = DataOrderReasonForm(request.POST, prefix=self.kind)
        if form.is_valid():
            try:
                self.act(order, form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return redirect("data-order-detail", pk=order.pk)
        order.refresh_from_db()
        context = order_context(request, order, bound=(self.kind, form))
        return render(request, "compliance/data_orders/detail.html", context, status=400)


class DataOrderCancelView(DataOrderActionView):
    kind = "cancel"
    action = "energy.cancel_data_order"

    def act(self, order, reason):
        data_orders.cancel_order(self.request.user, order, reason=reason)

    def success_message(self) -> str:
        return _("The data order has been cancelled.")


class DataOrderFulfilView(DataOrderActionView):
    kind = "fulfil"
    action = "energy.fulfil_data_order"

    def act(self, order, reason):
        data_orders.record_fulfilled(self.request.user, order, reason=reason)

    def success_message(self) -> str:
        return _("The data order is recorded as fulfilled.")
