"""What the public verification page states of an issued notice or decision.

The page, the code and the PDF check are the portal's (:mod:`portal.pdf.verify`); this
module registers, for enforcement documents, the facts it shows: the number, the date,
the addressee (masked), the amount decided and where the fine stands.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.choices import DocumentKind
from compliance.enforcement.documents import formats
from compliance.models import EnforcementDocument
from portal.pdf.verify import Facts, business_name, mask_name, verifies


@verifies(EnforcementDocument)
def facts(document: EnforcementDocument, language: str) -> Facts:
    """Return the document's public facts in ``language``."""
    document = EnforcementDocument.objects.select_related(
        "fine", "violation__premises__business", "violation__supplier"
    ).get(pk=document.pk)
    violation = document.violation
    fine = document.fine if document.kind == DocumentKind.PENALTY_DECISION else None
    issued = fine.issued_on if fine is not None else timezone.localdate(document.requested_at)
    if violation.concerns_supplier:
        addressee = violation.supplier.person_name
    else:
        addressee = business_name(violation.premises.business, language)
    with translation.override(language):
        return Facts(
            title=formats.title(document.kind, language),
            number=document.document_number,
            issued_on=formats.date(issued, language),
            addressee=mask_name(addressee),
            language=document.get_language_display(),
            sha256=document.sha256,
            amount=formats.amount(fine.amount_ntd, language) if fine is not None else "",
            amount_label=_("Amount decided") if fine is not None else "",
            details=((_("Where the fine stands"), str(fine.get_status_display())),)
            if fine is not None
            else (),
        )
