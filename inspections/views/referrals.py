"""An administrator makes an Art. 11 referral an inspection target (posted from its page).

The referral's page lives in the compliance app; this view plans the inspection through
:func:`inspections.services.referrals.target_referral` and, when the form or the service
refuses, shows the referral's page again with the errors and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from compliance.forms_referrals import ReferralTargetForm, add_service_errors
from compliance.models import SupplierReferral
from compliance.views.referrals import render_referral_detail
from inspections.services.referrals import target_referral
from portal.views.mixins import visible_or_404


class ReferralTargetView(LoginRequiredMixin, View):
    """Plan a complaint inspection of a referral's premises (404 if not visible, else 403)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        queryset = SupplierReferral.objects.select_related(
            "supplier", "account", "premises__business", "decided_by"
        )
        referral = visible_or_404(queryset, request.user, pk=pk)
        if not request.user.is_administrator:
            raise PermissionDenied
        form = ReferralTargetForm(request.POST)
        if form.is_valid():
            try:
                inspection = target_referral(
                    request.user,
                    referral,
                    form.cleaned_data["scheduled_for"],
                    form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("An inspection of %(premises)s is planned for %(day)s.")
                    % {
                        "premises": inspection.premises.name,
                        "day": inspection.scheduled_for.isoformat(),
                    },
                )
                return redirect("referral-detail", pk=referral.pk)
        return render_referral_detail(request, referral, target_form=form)
