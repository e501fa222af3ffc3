"""The public verification of an issued notice or decision (its code, its PDF's SHA-256).

Every document prints a random verification code and a QR code of its page. Anyone
holding the document (a bank, a court, the business's lawyer) opens the page, without
signing in, and reads what the City's records say of it: the number, the date, the
addressee (partly masked: the page must not publish who was fined to whoever guesses a
code), the amount and the SHA-256 of the PDF the City issued. A PDF uploaded there is
compared byte for byte, by its SHA-256, with the issued one: a changed byte fails.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from compliance.choices import DocumentKind, DocumentStatus
from compliance.enforcement.documents import formats
from compliance.enforcement.models.documents import CODE_ALPHABET, CODE_GROUPS
from compliance.models import EnforcementDocument

_CODE_LENGTH = 4 * CODE_GROUPS
_CJK_MASK = "○"
_LATIN_MASK = "*"


def normalise_code(text: str) -> str | None:
    """Return ``text`` as a code (``ABCD-EFGH-…``), or None if it cannot be one.

    Spaces, dashes and case do not matter; letters that are not in a code are refused.
    """
    letters = re.sub(r"[\s\-]", "", str(text or "")).upper()
    if len(letters) != _CODE_LENGTH or any(letter not in CODE_ALPHABET for letter in letters):
        return None
    return "-".join(letters[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def verification_url(code: str) -> str:
    """Return the absolute address of a document's verification page (printed as a QR)."""
    return f"{settings.PORTAL_BASE_URL}{reverse('document-verify', args=[code])}"


def issued_document(code: str) -> EnforcementDocument | None:
    """Return the issued (rendered) document with this code, or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return (
        EnforcementDocument.objects.select_related(
            "fine", "violation__premises__business", "violation__supplier"
        )
        .filter(verification_code=normalised, status=DocumentStatus.READY)
        .first()
    )


def mask_name(name: str) -> str:
    """Mask a name for a public page: 台北節能股份有限公司 → 台○○○○○○○○司.

    Chinese keeps its first and last character; Latin words keep their first letter
    (``Taipei Energy Co.`` → ``T***** E***** C**``); punctuation and spaces stay.
    """
    name = (name or "").strip()
    if not name:
        return ""
    if any(ord(character) >= 0x2E80 for character in name):
        if len(name) <= 2:
            return name[0] + _CJK_MASK
        return (
            name[0]
            + "".join(
                character if not character.isalnum() else _CJK_MASK for character in name[1:-1]
            )
            + name[-1]
        )
    return re.sub(r"(?<=\w)\w", _LATIN_MASK, name)


@dataclass(frozen=True)
class Facts:
    """What the verification page states of one issued document, in the reader's language."""

    title: str
    number: str
    issued_on: str
    addressee: str
    amount: str
    fine_status: str
    language: str
    sha256: str


def facts(document: EnforcementDocument) -> Facts:
    """Return the document's public facts in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    violation = document.violation
    fine = document.fine if document.kind == DocumentKind.PENALTY_DECISION else None
    issued = fine.issued_on if fine is not None else timezone.localdate(document.requested_at)
    if violation.concerns_supplier:
        addressee = violation.supplier.display_name or ""
    else:
        business = violation.premises.business
        addressee = (business.name_en if language == "en" and business.name_en else "") or (
            business.name_zh
        )
    return Facts(
        title=formats.title(document.kind, language),
        number=document.document_number,
        issued_on=formats.date(issued, language),
        addressee=mask_name(addressee),
        amount=formats.amount(fine.amount_ntd, language) if fine is not None else "",
        fine_status=str(fine.get_status_display()) if fine is not None else "",
        language=document.get_language_display(),
        sha256=document.sha256,
    )


def matches(document: EnforcementDocument, uploaded) -> bool:
    """Say whether the uploaded file is, byte for byte, the PDF the City issued."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return bool(document.sha256) and digest.hexdigest() == document.sha256
