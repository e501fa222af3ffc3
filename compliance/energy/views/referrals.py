"""Pages of Art. 11 referrals: suppliers file and follow theirs, the City decides.

An energy supplier lists its own referrals and files new ones; administrators,
inspectors and API clients list every referral and read each one; administrators name
its premises, close it with a reason, or make it an inspection target (the inspections
app, which owns inspections, plans it through :mod:`compliance.energy.services.referrals`). A
referral the user may not see is a 404; other roles get 403 on the lists. Every change
goes through :mod:`compliance.energy.services.referrals` (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from compliance.energy.forms.referrals import (
    FORM_FIELD_OF,
    ReferralCloseForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralPremisesForm,
    ReferralTargetForm,
)
from compliance.energy.services import referrals as services
from compliance.models import Premises, SupplierReferral
from compliance.registry.querysets import READ_ALL_ROLES
from portal.audit import history_of
from portal.choices import Role
from portal.forms import add_service_errors
from portal.permissions import can
from portal.views.mixins import visible_or_404

SUGGESTED_PREMISES = 10


def is_city_staff(user) -> bool:
    """Return whether ``user`` reads every referral (administrators, inspectors, API clients)."""
    return user.is_superuser or user.role in READ_ALL_ROLES


class ReferralReadersMixin(LoginRequiredMixin):
    """Let in energy suppliers (their own referrals) and the City's staff (403 for others)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_city_staff(user) or user.role == Role.ENERGY_SUPPLIER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReferralListView(ReferralReadersMixin, ListView):
    """The referrals the user may see, filterable by status, supplier and equipment kind."""

    paginate_by = 50
    template_name = "compliance/referral_list.html"

    def get_queryset(self):
        user = self.request.user
        self.filter_form = ReferralFilterForm(self.request.GET or None, user=user)
        queryset = SupplierReferral.objects.visible_to(user).select_related(
            "supplier", "premises__business", "account"
        )
        return self.filter_form.filter(queryset).order_by("-submitted_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        context.update(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            city_staff=is_city_staff(user),
            can_file=user.role == Role.ENERGY_SUPPLIER,
        )
        return context


class ReferralCreateView(LoginRequiredMixin, FormView):
    """An energy supplier files a referral (Art. 11); nobody else does (403)."""

    form_class = ReferralForm
    template_name = "compliance/referral_form.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.role != Role.ENERGY_SUPPLIER:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "supplier": self.request.user}

    def form_valid(self, form):
        try:
            referral = services.file_referral(self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, FORM_FIELD_OF)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The referral has been filed. The City will decide whether to inspect."),
        )
        return redirect("referral-detail", pk=referral.pk)


def _referral_queryset():
    return SupplierReferral.objects.select_related(
        "supplier", "account", "premises__business", "decided_by"
    )


def suggested_premises(referral: SupplierReferral) -> list[Premises]:
    """Return registered premises whose address contains the referral's (for administrators)."""
    address = referral.address.strip()
    if not address:
        return []
    return list(
        Premises.objects.filter(Q(address__iexact=address) | Q(address__icontains=address))
        .select_related("business")
        .order_by("-is_active", "business__name_zh", "name", "id")[:SUGGESTED_PREMISES]
    )


def render_referral_detail(
    request,
    referral: SupplierReferral,
    *,
    close_form: ReferralCloseForm | None = None,
    premises_form: ReferralPremisesForm | None = None,
    target_form: ReferralTargetForm | None = None,
    status: int = 200,
):
    """Render a referral's page, with the administrator's forms (bound ones show errors).

    The inspections app's targeting view renders it too when its form is refused.
    """
    user = request.user
    city_staff = is_city_staff(user)
    deciding = can(user, "energy.decide_referral", referral)
    context = {
        "referral": referral,
        "city_staff": city_staff,
        "deciding": deciding,
        # Inspections are the City's: a supplier learns the referral was targeted, no more.
        "inspections": (
            list(referral.inspections.order_by("scheduled_for", "id")) if city_staff else []
        ),
        "history": history_of(referral)[:20],
        # A decision refused because the referral was decided meanwhile: no form to show
        # it on, so the reason goes above the page.
        "refusals": []
        if deciding
        else [
            error
            for form in (close_form, premises_form, target_form)
            if form is not None
            for error in form.non_field_errors()
        ],
    }
    if deciding:
        context.update(
            close_form=close_form or ReferralCloseForm(),
            premises_form=premises_form or ReferralPremisesForm(),
            target_form=target_form or ReferralTargetForm(),
            suggestions=suggested_premises(referral),
        )
    return render(request, "compliance/referral_detail.html", context, status=status)


class ReferralDetailView(LoginRequiredMixin, View):
    """One referral: what the supplier saw, the premises, the decision, the history."""

    def get(self, request, pk):
        referral = visible_or_404(_referral_queryset(), request.user, pk=pk)
        return render_referral_detail(request, referral)


class ReferralActionView(LoginRequiredMixin, View):
    """Base of an administrator's decision posted from the referral's page.

    A referral the user may not see is a 404; one they see but may not decide is a 403.
    A refused form shows the page again with the errors and what was typed.
    """

    form_class: type = ReferralCloseForm
    form_name = ""
    http_method_names = ["post"]

    def post(self, request, pk):
        referral = visible_or_404(_referral_queryset(), request.user, pk=pk)
        if not can(request.user, "energy.decide_referral"):
            raise PermissionDenied
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.act(referral, form)
            except ValidationError as exc:
                add_service_errors(form, exc, FORM_FIELD_OF)
            else:
                messages.success(request, message)
                return redirect("referral-detail", pk=referral.pk)
        return render_referral_detail(request, referral, **{self.form_name: form})

    def act(self, referral: SupplierReferral, form) -> str:
        """Call the service with the form's data; return the message to show."""
        raise NotImplementedError


class ReferralCloseView(ReferralActionView):
    """Close a submitted referral without an inspection, with the reason."""

    form_class = ReferralCloseForm
    form_name = "close_form"

    def act(self, referral, form) -> str:
        services.close_referral(self.request.user, referral, form.cleaned_data["reason"])
        return _("The referral has been closed.")


class ReferralPremisesView(ReferralActionView):
    """Name the registered premises of a submitted referral."""

    form_class = ReferralPremisesForm
    form_name = "premises_form"

    def act(self, referral, form) -> str:
        premises = form.cleaned_data["premises"]
        services.set_referral_premises(self.request.user, referral, premises)
        return _("The referral now concerns %(premises)s.") % {"premises": premises.name}


class ReferralTargetView(ReferralActionView):
    """Plan a complaint inspection of the referral's premises (by the inspections app)."""

    form_class = ReferralTargetForm
    form_name = "target_form"

    def act(self, referral, form) -> str:
        inspection = services.plan_inspection(
            self.request.user,
            referral,
            form.cleaned_data["scheduled_for"],
            form.cleaned_data["notes"],
        )
        return _("An inspection of %(premises)s is planned for %(day)s.") % {
            "premises": inspection.premises.name,
            "day": inspection.scheduled_for.isoformat(),
        }
