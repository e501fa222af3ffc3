"""Administrators publish and unpublish programme records (buttons on the pages).

The change is made and audited by :func:`programs.services.publish` / ``unpublish``.
Others get a 403 for a record they can see and a 404 for one they cannot.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from programs import models, services
from programs.views.access import AdministratorRequiredMixin, safe_next, visible_record_or_404

# The records a page can publish, by the name their URLs use.
PUBLISHABLE = {
    "programme": models.Programme,
    "organisation": models.Organisation,
    "fund": models.Fund,
    "country": models.Country,
    "city": models.City,
    "partner-country": models.PartnerCountry,
    "participation": models.Participation,
    "collaboration": models.CityCollaboration,
    "project": models.Project,
    "framework-item": models.FrameworkItem,
    "assessment": models.CriterionAssessment,
    "scoring-scheme": models.ScoringScheme,
    "event": models.Event,
    "milestone": models.Milestone,
    "contribution": models.FundingContribution,
    "key-figure": models.KeyFigure,
}


def record_page(record) -> str:
    """Return the page that shows ``record`` (its own, or the one it is listed on)."""
    if isinstance(record, models.Programme):
        return reverse("programme-detail", args=[record.code])
    if isinstance(record, models.City):
        return reverse("programme-city-detail", args=[record.pk])
    if isinstance(record, models.Project):
        return reverse("programme-project-detail", args=[record.pk])
    programme_id = getattr(record, "programme_id", None)
    if programme_id:
        return reverse("programme-detail", args=[record.programme.code])
    return reverse("programme-list")


class PublishView(AdministratorRequiredMixin, View):
    """Publish (``publish=True``) or unpublish one record, then go back to its page."""

    http_method_names = ["post"]
    publish = True

    def get_model(self):
        try:
            return PUBLISHABLE[self.kwargs["kind"]]
        except KeyError:
            raise Http404 from None

    def refuse(self):
        visible_record_or_404(self.get_model(), self.request.user, pk=self.kwargs["pk"])
        raise PermissionDenied

    def post(self, request, kind, pk):
        model = self.get_model()
        record = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
        if self.publish:
            services.publish(request.user, record)
            messages.success(request, _("“%(record)s” is published.") % {"record": record})
        else:
            services.unpublish(request.user, record)
            messages.success(
                request,
                _("“%(record)s” is no longer published: only programme staff see it.")
                % {"record": record},
            )
        return redirect(safe_next(request, record_page(record)))
