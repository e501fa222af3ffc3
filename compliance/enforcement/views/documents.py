"""Pages of enforcement documents: download a notice or decision, retry a failed one.

Who sees a document is ``EnforcementDocument.objects.visible_to(user)`` (a business only
its own violations' documents; 404 for the rest and for a document not ready yet);
administrators have a failed document rendered again (403 for others who see it).
Every change goes through :mod:`compliance.enforcement.documents.service`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from compliance.choices import DocumentStatus
from compliance.enforcement.documents import service
from compliance.models import EnforcementDocument
from portal.permissions import can
from portal.views.mixins import visible_or_404


def download_name(document: EnforcementDocument) -> str:
    """The PDF's file name: its number, and the language of a translation."""
    if document.language == "zh-hant":
        return f"{document.document_number}.pdf"
    return f"{document.document_number}-{document.language}.pdf"


def _back(request, document: EnforcementDocument) -> HttpResponseRedirect:
    """Redirect to ``next`` if it is ours, else to the violation's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    try:
        return redirect(reverse("enforcement-violation-detail", args=[document.violation_id]))
    except NoReverseMatch:
        return redirect("home")


class DocumentDownloadView(LoginRequiredMixin, View):
    """The document's PDF, as an attachment named by its document number."""

    def get(self, request, pk: int):
        document = visible_or_404(EnforcementDocument.objects.all(), request.user, pk=pk)
        if not service.may_download(request.user, document):
            raise Http404(_("This document is not ready yet."))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(
                _("The document's file is missing; ask for it to be rendered again.")
            ) from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(document),
            content_type="application/pdf",
        )


class DocumentRetryView(LoginRequiredMixin, View):
    """Render a failed document again (POST; administrators)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        document = visible_or_404(
            EnforcementDocument.objects.select_related("violation__premises"),
            request.user,
            pk=pk,
        )
        if not can(request.user, "enforcement.retry_document"):
            raise PermissionDenied
        document = service.retry(request.user, document)
        if document.status == DocumentStatus.PENDING:
            messages.success(
                request,
                _("Document %(number)s will be rendered again.")
                % {"number": document.document_number},
            )
        else:
            messages.info(
                request,
                _("Document %(number)s is %(status)s; nothing to retry.")
                % {"number": document.document_number, "status": document.get_status_display()},
            )
        return _back(request, document)
