"""Pages for businesses and claims to act for them."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, UpdateView
from django.views.generic.edit import CreateView

from compliance import services
from compliance.choices import ClaimStatus
from compliance.editing import AuditedSaveMixin
from compliance.models import Business, BusinessClaim, Premises
from compliance.registry.forms.business import BusinessForm, ClaimDecisionForm, ClaimForm
from compliance.rulebook.services import assessment
from portal.audit import history_of
from portal.permissions import can, require
from portal.views.keyset import KeysetListMixin
from portal.views.mixins import EditableObjectMixin, VisibleMixin, WriterRequiredMixin


class BusinessListView(VisibleMixin, KeysetListMixin, ListView):
    """The businesses the user may see, with their premises counts.

    Paged by keyset on the index of (name, id); premises counted for the rows shown only.
    """

    model = Business
    template_name = "compliance/business_list.html"
    keyset_ordering = ["name_zh", "id"]
    keyset_counted = False

    def get_queryset(self):
        queryset = super().get_queryset()
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(
                Q(name_zh__icontains=query) | Q(name_en__icontains=query) | Q(ubn=query)
            )
        return queryset

    def decorate(self, rows: list) -> None:
        counts = dict(
            Premises.objects.filter(business__in=[business.pk for business in rows])
            .values_list("business")
            .annotate(Count("pk"))
            .order_by()
        )
        for business in rows:
            business.premises_count = counts.get(business.pk, 0)


class BusinessDetailView(VisibleMixin, DetailView):
    """A business with its premises and recent changes."""

    model = Business
    template_name = "compliance/business_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        business = self.object
        context["premises_list"] = business.premises.select_related("status").annotate(
            equipment_count=Count("equipment")
        )
        context["business_outcome"] = assessment.business_outcomes([business.pk])[business.pk]
        context["can_edit"] = (
            Business.objects.editable_by(self.request.user).filter(pk=business.pk).exists()
        )
        context["history"] = history_of(business)[:20]
        context["members"] = business.memberships.select_related("user")
        return context


class BusinessCreateView(WriterRequiredMixin, AuditedSaveMixin, CreateView):
    """Register a business; a business user who registers it acts for it."""

    model = Business
    form_class = BusinessForm
    template_name = "compliance/business_form.html"
    success_message = gettext_lazy("The business has been registered.")

    def save(self, form):
        return services.register_business(self.request.user, form.instance)


class BusinessUpdateView(EditableObjectMixin, AuditedSaveMixin, UpdateView):
    """Edit a business's details."""

    model = Business
    form_class = BusinessForm
    template_name = "compliance/business_form.html"
    success_message = gettext_lazy("The changes have been saved.")


class ClaimCreateView(LoginRequiredMixin, FormView):
    """A business user asks to act for an already registered business."""

    form_class = ClaimForm
    template_name = "compliance/claim_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "registry.claim_business"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.request_claim(self.request.user, form.business, form.cleaned_data["evidence"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your claim has been sent. An administrator will decide on it.")
        )
        return redirect("claim-list")


class ClaimListView(VisibleMixin, ListView):
    """Claims: administrators see every claim to decide; business users their own."""

    model = BusinessClaim
    paginate_by = 50
    template_name = "compliance/claim_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("user", "business", "decided_by")
        status = self.request.GET.get("status")
        if status in ClaimStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decision_form"] = ClaimDecisionForm()
        context["statuses"] = ClaimStatus.choices
        return context


class ClaimDecideView(LoginRequiredMixin, FormView):
    """An administrator approves or rejects a pending claim, with a reason."""

    form_class = ClaimDecisionForm
    template_name = "compliance/claim_decide.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(request.user, "registry.decide_claim")
        self.claim = get_object_or_404(
            BusinessClaim.objects.visible_to(request.user).select_related("business", "user"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["claim"] = self.claim
        return context

    def form_valid(self, form):
        try:
            services.decide_claim(
                self.request.user,
                self.claim,
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The decision has been recorded."))
        return redirect("claim-list")
