"""Pages of the Art. 10-4 report: ask for it, retry it, download it.

The report's status shows on the visit's page through ``inspections/_reports.html``.
Who sees a report is ``InspectionReport.objects.visible_to(user)`` (a business only its
own premises' reports; 404 for the rest); inspectors and administrators ask for and
retry reports (403 for others who see them). Every change goes through
:mod:`inspections.services.reports`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from inspections.choices import ReportStatus
from inspections.models import InspectionReport, Visit
from inspections.services import reports as services
from portal.permissions import can
from portal.views.mixins import visible_or_404


def _back(request, visit: Visit) -> HttpResponseRedirect:
    """Redirect to ``next`` if it is ours, else to the visit's page (or its inspection's)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    try:
        return redirect(visit.get_absolute_url())
    except NoReverseMatch:
        return redirect(visit.inspection.get_absolute_url())


def _refusal_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ReportRequestView(LoginRequiredMixin, View):
    """Ask for the report of a completed visit in a language (POST; inspectors, admins)."""

    http_method_names = ["post"]

    def post(self, request, visit_pk: int):
        visit = visible_or_404(
            Visit.objects.select_related("inspection"), request.user, pk=visit_pk
        )
        if not can(request.user, "inspections.render_report"):
            raise PermissionDenied
        language = request.POST.get("language", services.DEFAULT_LANGUAGE)
        try:
            report = services.request_report(visit, language, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _refusal_message(exc))
        else:
            messages.success(
                request,
                _("Report %(number)s: %(status)s.")
                % {"number": report.document_number, "status": report.get_status_display()},
            )
        return _back(request, visit)


class ReportRetryView(LoginRequiredMixin, View):
    """Render a failed report again; administrators may force a ready one (POST)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = visible_or_404(
            InspectionReport.objects.select_related("visit__inspection__premises"),
            request.user,
            pk=pk,
        )
        force = request.POST.get("force") in ("1", "true", "on", "yes")
        report = services.retry_report(request.user, report, force=force)
        if report.status == ReportStatus.PENDING:
            messages.success(
                request,
                _("Report %(number)s will be rendered again.") % {"number": report.document_number},
            )
        else:
            messages.info(
                request,
                _("Report %(number)s is %(status)s; nothing to retry.")
                % {"number": report.document_number, "status": report.get_status_display()},
            )
        return _back(request, report.visit)


class ReportDownloadView(LoginRequiredMixin, View):
    """The report's PDF, as an attachment named by its document number."""

    def get(self, request, pk: int):
        report = visible_or_404(InspectionReport.objects.all(), request.user, pk=pk)
        if report.status != ReportStatus.READY or not report.file:
            raise Http404(_("This report is not ready yet."))
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(
                _("The report's file is missing; ask for it to be rendered again.")
            ) from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{report.document_number}.pdf",
            content_type="application/pdf",
        )
