"""What the public verification page states of an issued inspection report.

The page, the code and the PDF check are the portal's (:mod:`portal.pdf.verify`); this
module registers the report's facts: its number, the day of the report (the visit's
completion), the business inspected (masked) and the SHA-256 of the PDF. A report
states no amount.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspections.facts import visit_day
from inspections.models import InspectionReport
from portal.pdf import formats
from portal.pdf.verify import Facts, business_name, mask_name, verifies


@verifies(InspectionReport)
def facts(report: InspectionReport, language: str) -> Facts:
    """Return the report's public facts in ``language``."""
    report = InspectionReport.objects.select_related("visit__inspection__premises__business").get(
        pk=report.pk
    )
    visit = report.visit
    # As the report dates itself: the day the visit was completed.
    day = timezone.localtime(visit.completed_at).date() if visit.completed_at else visit_day(visit)
    with translation.override(language):
        return Facts(
            title=_("Inspection report"),
            number=report.document_number,
            issued_on=formats.date(day, language),
            addressee=mask_name(business_name(visit.inspection.premises.business, language)),
            language=report.get_language_display(),
            sha256=report.sha256,
        )
