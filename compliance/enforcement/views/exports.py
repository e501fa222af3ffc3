"""CSV exports of the enforcement lists: violations, fines, payments and appeals.

Each export is what the user may see (``visible_to``: a business only its own rows),
narrowed by the filters of the API's list (:mod:`compliance.enforcement.filtersets`;
the violation list page's own names ``found_from``, ``found_to`` and ``overdue=on`` are
understood too), streamed row by row so that a city's worth never sits in memory, as
UTF-8 with a byte-order mark for Excel, and with every text cell that a spreadsheet
would run as a formula neutralised (:func:`compliance.registry.imports.cells.format_cell`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View

from compliance.enforcement import filtersets as filters
from compliance.enforcement.texts import how_found
from compliance.models import Appeal, Fine, FinePayment, Violation
from compliance.registry.imports.cells import format_cell
from compliance.registry.imports.writing import UTF8_BOM, write_rows

CHUNK = 2000
# The violation list page names some filters differently from the API.
PAGE_PARAMETERS = {"found_from": "found_on_after", "found_to": "found_on_before"}
CHECKBOX_ON = "on"


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and how a row gives its value."""

    heading: str
    value: Callable[[object], object]


def local_time(value) -> str:
    """Return a moment as Taipei wall-clock time to the minute (empty when missing)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def business_columns(path: Callable[[object], object]) -> list[Column]:
    """Return the columns naming who a row concerns (``path`` leads to the violation).

    An Art. 18 case concerns an energy supplier: its name fills the business column and
    the premises columns stay empty.
    """

    def premises(row):
        return path(row).premises

    return [
        Column(
            _("Unified business number"), lambda row: p.business.ubn if (p := premises(row)) else ""
        ),
        Column(_("Business"), lambda row: path(row).party_business_name),
        Column(_("Premises"), lambda row: p.name if (p := premises(row)) else ""),
        Column(_("District"), lambda row: p.get_district_display() if (p := premises(row)) else ""),
    ]


def query_of(request) -> dict[str, str]:
    """Return the request's filters under the API's names."""
    query = {}
    for name, value in request.GET.items():
        name = PAGE_PARAMETERS.get(name, name)
        if name == "overdue" and value == CHECKBOX_ON:
            value = "true"
        query[name] = value
    return query


class CsvExportView(LoginRequiredMixin, View):
    """Stream the visible, filtered rows of ``model`` as a CSV file."""

    model = None
    filterset_class = None
    related: tuple[str, ...] = ()
    name = ""

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def annotate(self, queryset):
        """Add the values a column reads from a related row without loading the row."""
        return queryset

    def get(self, request):
        queryset = self.annotate(
            self.model.objects.visible_to(request.user).select_related(*self.related)
        )
        filterset = self.filterset_class(query_of(request), queryset=queryset)
        if not filterset.is_valid():
            lines = [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
            return HttpResponse(
                "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
            )
        rows = filterset.qs.order_by("id")
        columns = self.columns()
        language = translation.get_language()

        def lines() -> Iterator[str]:
            # Streaming runs after the view returns: keep the request's language for labels.
            with translation.override(language):
                yield UTF8_BOM  # so that Excel reads the file as UTF-8
                yield from write_rows([[str(column.heading) for column in columns]])
                yield from write_rows(
                    [format_cell(column.value(row)) for column in columns]
                    for row in rows.iterator(chunk_size=CHUNK)
                )

        filename = f"enforcement-{self.name}-{timezone.localdate():%Y%m%d}.csv"
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ViolationExportView(CsvExportView):
    """Download the visible violations as CSV, honouring the list's filters."""

    model = Violation
    filterset_class = filters.ViolationFilterSet
    related = ("premises__business", "supplier")
    name = "violations"

    def annotate(self, queryset):
        # The rule book's published number, not its parameters (large) nor its id.
        return queryset.annotate(rulebook_number=F("rulebook_version__number"))

    def columns(self) -> list[Column]:
        today = timezone.localdate()
        return [
            Column(_("Violation"), lambda v: v.pk),
            *business_columns(lambda v: v),
            Column(_("Article"), lambda v: v.article),
            Column(_("Penalty article"), lambda v: v.penalty_article),
            Column(_("Subject"), lambda v: v.subject),
            Column(pgettext_lazy("state of a record", "Status"), lambda v: v.get_status_display()),
            Column(_("Found on"), lambda v: v.found_on),
            Column(pgettext_lazy("deadline to comply", "Deadline"), lambda v: v.deadline),
            Column(_("Days left"), lambda v: v.days_left(today)),
            Column(_("Fines issued"), lambda v: v.fines_issued),
            Column(_("Rule book no."), lambda v: v.rulebook_number),
            Column(_("How it was found"), lambda v: how_found(v.source_reference)),
        ]


class FineExportView(CsvExportView):
    """Download the visible fines as CSV, honouring the list's filters."""

    model = Fine
    filterset_class = filters.FineFilterSet
    related = ("violation__premises__business", "violation__supplier")
    name = "fines"

    def columns(self) -> list[Column]:
        return [
            Column(_("Fine"), lambda f: f.pk),
            Column(_("Decision number"), lambda f: f.document_number),
            Column(_("Violation"), lambda f: f.violation_id),
            *business_columns(lambda f: f.violation),
            Column(_("Article"), lambda f: f.violation.article),
            Column(_("Penalty article"), lambda f: f.penalty_article),
            Column(_("Nth fine"), lambda f: f.step),
            Column(_("Amount decided (NT$)"), lambda f: f.amount_ntd),
            Column(_("Amount due (NT$)"), lambda f: f.amount_due_ntd),
            Column(pgettext_lazy("state of a record", "Status"), lambda f: f.get_status_display()),
            Column(_("Missed deadline"), lambda f: f.missed_deadline),
            Column(_("Issued on"), lambda f: f.issued_on),
            Column(_("New deadline"), lambda f: f.new_deadline),
            Column(_("Appeal until"), lambda f: f.appeal_until),
        ]


class PaymentExportView(CsvExportView):
    """Download the visible payments of fines as CSV, honouring the list's filters."""

    model = FinePayment
    filterset_class = filters.PaymentFilterSet
    related = ("fine__violation__premises__business", "fine__violation__supplier")
    name = "payments"

    def columns(self) -> list[Column]:
        return [
            Column(_("Payment"), lambda p: p.pk),
            Column(_("Decision number"), lambda p: p.fine.document_number),
            *business_columns(lambda p: p.fine.violation),
            Column(_("Amount paid (NT$)"), lambda p: p.amount_ntd),
            Column(_("Paid on"), lambda p: p.paid_on),
            Column(_("Payment reference"), lambda p: p.reference),
            Column(pgettext_lazy("state of a record", "Status"), lambda p: p.get_status_display()),
            Column(_("Reported"), lambda p: local_time(p.reported_at)),
            Column(_("Decided"), lambda p: local_time(p.decided_at)),
            Column(_("Reason for the decision"), lambda p: p.decision_reason),
        ]


class AppealExportView(CsvExportView):
    """Download the visible appeals as CSV, honouring the list's filters."""

    model = Appeal
    filterset_class = filters.AppealFilterSet
    related = ("fine__violation__premises__business", "fine__violation__supplier")
    name = "appeals"

    def columns(self) -> list[Column]:
        return [
            Column(_("Appeal"), lambda a: a.pk),
            Column(_("Decision number"), lambda a: a.fine.document_number),
            *business_columns(lambda a: a.fine.violation),
            Column(_("Amount decided (NT$)"), lambda a: a.fine.amount_ntd),
            Column(_("Amount due (NT$)"), lambda a: a.fine.amount_due_ntd),
            Column(pgettext_lazy("state of a record", "Status"), lambda a: a.get_status_display()),
            Column(_("Received on"), lambda a: a.received_on),
            Column(_("To be forwarded by"), lambda a: a.forward_by),
            Column(_("Grounds"), lambda a: a.grounds),
            Column(_("Decided"), lambda a: local_time(a.decided_at)),
            Column(_("Reasons for the decision"), lambda a: a.decision_reason),
            Column(_("Amended amount (NT$)"), lambda a: a.amended_amount_ntd),
            Column(_("Forwarded on"), lambda a: a.forwarded_on),
            Column(_("Appeal decision number"), lambda a: a.body_decision_number),
            Column(_("Appeal decided on"), lambda a: a.body_decided_on),
            Column(_("Payment suspended on"), lambda a: a.payment_suspended_on),
        ]
