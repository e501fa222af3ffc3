"""Approval letters of Art. 14 applications: requested on approval, rendered by a worker.

:func:`request_letter` creates the status row and an outbox message in the approving
transaction; the handler renders it on the "reports" queue (:mod:`portal.pdf.jobs`).
Exactly once comes from the conditional UPDATE of
:meth:`portal.models.documents.RenderedDocument.claim` (rendering it again does
nothing). The letter's text is a plain dict (:func:`letter_data`) rendered with
``subsidies/approval_letter.html`` in the letter's language.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import formats, jobs, numbers
from portal.pdf.qr import qr_svg
from portal.pdf.verify import verification_url
from subsidies.choices import item_label
from subsidies.models import Application, ApprovalLetter

RENDER_TOPIC = ApprovalLetter.render_topic
DEFAULT_LANGUAGE = "zh-hant"
_HTML_LANG = {"zh-hant": "zh-Hant", "en": "en"}


def letter_number(application: Application, language: str) -> str:
    """Return the letter's number, e.g. TPE-EC-S-2026-0000042 (the City's prefix in force).

    The English copy is a translation of the same letter: it carries the Chinese
    original's number (and says it is a translation); the Chinese original prevails.
    """
    copies = ApprovalLetter.objects.filter(application=application)
    year = (application.decided_at or timezone.now()).year
    original = numbers.original_number(language, copies, "letter_number")
    return original or numbers.new_number("S", year, application.pk)


def request_letter(application: Application, language: str = DEFAULT_LANGUAGE) -> ApprovalLetter:
    """Return the application's letter in ``language``, creating and queueing it if new."""
    return jobs.request(
        ApprovalLetter,
        {"application": application, "language": language},
        {"letter_number": lambda: letter_number(application, language)},
    )


def letter_data(letter_id: int) -> dict:
    """Return everything the letter says, as plain values, in the letter's language."""
    letter = ApprovalLetter.objects.select_related(
        "application__scheme", "application__business", "application__premises"
    ).get(pk=letter_id)
    application = letter.application
    with translation.override(letter.language):
        return {
            "language": letter.language,
            "authority": _("Department of Economic Development, Taipei City Government"),
            "title": _("Subsidy approval letter"),
            "letter_number": letter.letter_number,
            "issue_date": timezone.localtime(application.decided_at or timezone.now()).date(),
            "business": {
                "name": application.business.name_zh,
                "ubn": application.business.ubn,
            },
            "premises": application.premises.name if application.premises else "",
            "scheme": str(application.scheme.title_in(letter.language)),
            "items": [item_label(code) for code in application.items],
            "eligible_cost_ntd": application.eligible_cost_ntd,
            "approved_amount_ntd": application.approved_amount_ntd,
            # As the letter prints them: 新臺幣 90,000 元 or NT$90,000; the sentence
            # "NT$%(amount)s" takes the number grouped by three.
            "eligible_cost": formats.amount(application.eligible_cost_ntd),
            "approved_amount": formats.amount(application.approved_amount_ntd),
            "approved_amount_number": formats.thousands(application.approved_amount_ntd or 0),
            # Printed with a QR code of the public verification page (portal.pdf.verify).
            "verification_code": letter.verification_code,
            "verification_url": verification_url(letter.verification_code),
        }


def render_html(data: dict) -> str:
    """Return the letter's HTML in its language."""
    language = data.get("language", DEFAULT_LANGUAGE)
    with translation.override(language):
        return render_to_string(
            "subsidies/approval_letter.html",
            {
                "doc": data,
                "html_lang": _HTML_LANG.get(language, language),
                "qr": qr_svg(data["verification_url"]) if data.get("verification_url") else "",
            },
        )


@jobs.renders(ApprovalLetter)
def pdf_of(letter: ApprovalLetter) -> bytes:
    """Return the letter's PDF."""
    from portal.pdf.layout import write_pdf  # WeasyPrint loads only where letters render

    return write_pdf(render_html(letter_data(letter.pk)))


def render(letter_id: int) -> str:
    """Render a letter and store it; return its status (does nothing unless claimed here)."""
    return jobs.render(ApprovalLetter, letter_id, pdf_of)
