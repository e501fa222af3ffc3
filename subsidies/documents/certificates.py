"""Award certificates (獎狀) of Art. 14 reward calls: requested on publication, rendered later.

:func:`request_certificate` creates the status row and an outbox message in the
publishing transaction; the handler renders it on the "reports" queue
(:mod:`portal.pdf.jobs`). Exactly once comes from the conditional UPDATE of
:meth:`portal.models.documents.RenderedDocument.claim` (rendering it again does
nothing), as for approval letters (:mod:`subsidies.documents.letters`). The
certificate's text is a plain dict (:func:`certificate_data`) rendered with
``subsidies/award_certificate.html`` in the certificate's language.

The title, the rank, the date and amounts follow each official language's conventions
(獎狀, 第 1 名, 2026年11月17日, 新臺幣 100,000 元), like the enforcement documents
(:mod:`portal.pdf.formats`), not the interface's catalogue.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import formats, jobs, numbers
from portal.pdf.qr import qr_svg
from portal.pdf.verify import verification_url
from subsidies.models import Application, AwardCertificate, AwardPublication

RENDER_TOPIC = AwardCertificate.render_topic
DEFAULT_LANGUAGE = "zh-hant"
_HTML_LANG = {"zh-hant": "zh-Hant", "en": "en"}
TITLE = ("獎狀", "Certificate of Award")


def title(language: str) -> str:
    """Return the certificate's title: 獎狀 or Certificate of Award."""
    return formats.pick(TITLE, language)


def rank_text(rank: int, language: str) -> str:
    """Return a place in the ranking: 第 1 名 or 1st place."""
    if formats.is_chinese(language):
        return f"第 {rank} 名"
    return f"{formats.ordinal(rank)} place"


def certificate_number(application: Application, publication: AwardPublication, language: str):
    """Return the certificate's number, e.g. TPE-EC-A-2026-0000042 (the City's prefix in force).

    The English copy is a translation of the same certificate: it carries the Chinese
    original's number (and says it is a translation); the Chinese original prevails.
    """
    copies = AwardCertificate.objects.filter(application=application)
    year = timezone.localtime(publication.published_at).year
    original = numbers.original_number(language, copies, "certificate_number")
    return original or numbers.new_number("A", year, application.pk)


def rank_of(publication: AwardPublication, application_id: int) -> int:
    """Return the application's place in the published ranking (1 is the best)."""
    for place, row in enumerate(publication.ranking, start=1):
        if row["application"] == application_id:
            return place
    raise ValueError(f"Application {application_id} is not in the published ranking.")


def request_certificate(
    publication: AwardPublication, application: Application, language: str = DEFAULT_LANGUAGE
) -> AwardCertificate:
    """Return the application's certificate in ``language``, creating and queueing it if new."""
    return jobs.request(
        AwardCertificate,
        {"application": application, "language": language},
        {
            "publication": publication,
            "rank": lambda: rank_of(publication, application.pk),
            "certificate_number": lambda: certificate_number(application, publication, language),
        },
    )


def certificate_data(certificate_id: int) -> dict:
    """Return everything the certificate says, as plain values, in its language."""
    certificate = AwardCertificate.objects.select_related(
        "publication__scheme", "application__business"
    ).get(pk=certificate_id)
    publication, language = certificate.publication, certificate.language
    business = certificate.application.business
    scheme = publication.scheme
    row = next(r for r in publication.ranking if r["application"] == certificate.application_id)
    with translation.override(language):
        return {
            "language": language,
            "authority": _("Department of Economic Development, Taipei City Government"),
            "title": title(language),
            "certificate_number": certificate.certificate_number,
            "issue_date": formats.date(timezone.localtime(publication.published_at).date()),
            "business": {
                "name": business.name_zh,
                "name_en": business.name_en,
                "ubn": business.ubn,
            },
            "call": str(scheme.title_in(language)),
            "category": scheme.get_category_display(),
            "rank": rank_text(certificate.rank, language),
            "score": row["score"],
            "prize": formats.amount(publication.award_amount_ntd)
            if publication.award_amount_ntd
            else "",
            # Printed with a QR code of the public verification page (portal.pdf.verify).
            "verification_code": certificate.verification_code,
            "verification_url": verification_url(certificate.verification_code),
        }


def render_html(data: dict) -> str:
    """Return the certificate's HTML in its language."""
    language = data.get("language", DEFAULT_LANGUAGE)
    with translation.override(language):
        return render_to_string(
            "subsidies/award_certificate.html",
            {
                "doc": data,
                "html_lang": _HTML_LANG.get(language, language),
                # Smaller than on a letter: the certificate is one landscape page.
                "qr": qr_svg(data["verification_url"], size_mm=20)
                if data.get("verification_url")
                else "",
            },
        )


@jobs.renders(AwardCertificate)
def pdf_of(certificate: AwardCertificate) -> bytes:
    """Return the certificate's PDF."""
    from portal.pdf.layout import write_pdf  # WeasyPrint loads only where PDFs render

    return write_pdf(render_html(certificate_data(certificate.pk)))


def render(certificate_id: int) -> str:
    """Render a certificate and store it; return its status (does nothing unless claimed)."""
    return jobs.render(AwardCertificate, certificate_id, pdf_of)
