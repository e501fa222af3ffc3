"""What the public verification page states of an issued approval letter or certificate.

The page, the code and the PDF check are the portal's (:mod:`portal.pdf.verify`); this
module registers the facts of both subsidy documents: the number, the date of issue, the
business (masked), for a letter the subsidy approved, and the SHA-256 of the PDF.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import formats
from portal.pdf.verify import Facts, business_name, mask_name, verifies
from subsidies.documents.certificates import title as certificate_title
from subsidies.models import ApprovalLetter, AwardCertificate


@verifies(ApprovalLetter)
def letter_facts(letter: ApprovalLetter, language: str) -> Facts:
    """Return the approval letter's public facts in ``language``."""
    letter = ApprovalLetter.objects.select_related("application__business").get(pk=letter.pk)
    application = letter.application
    # As the letter dates itself: the day the application was decided.
    issued = timezone.localtime(application.decided_at or letter.created_at).date()
    with translation.override(language):
        return Facts(
            title=_("Subsidy approval letter"),
            number=letter.letter_number,
            issued_on=formats.date(issued, language),
            addressee=mask_name(business_name(application.business, language)),
            language=letter.get_language_display(),
            sha256=letter.sha256,
            amount=formats.amount(application.approved_amount_ntd, language),
            amount_label=_("Subsidy approved (up to)"),
        )


@verifies(AwardCertificate)
def certificate_facts(certificate: AwardCertificate, language: str) -> Facts:
    """Return the award certificate's public facts in ``language`` (it states no amount)."""
    certificate = AwardCertificate.objects.select_related(
        "publication", "application__business"
    ).get(pk=certificate.pk)
    issued = timezone.localtime(certificate.publication.published_at).date()
    with translation.override(language):
        return Facts(
            title=certificate_title(language),
            number=certificate.certificate_number,
            issued_on=formats.date(issued, language),
            addressee=mask_name(business_name(certificate.application.business, language)),
            language=certificate.get_language_display(),
            sha256=certificate.sha256,
        )
