"""The public verification of an issued document (its code, its PDF's SHA-256).

Every rendered document (:class:`portal.models.documents.RenderedDocument`: inspection
reports, notices and decisions, approval letters, award certificates) prints a random
verification code and a QR code of its page. Anyone holding the document (a bank, a
court, the business's lawyer) opens the page, without signing in, and reads what the
City's records say of it: the number, the date, the addressee (partly masked: the page
must not publish who was fined to whoever guesses a code), the amount where there is one,
the SHA-256 of the PDF the City issued and, when the issued file is signed (PAdES,
:mod:`portal.pdf.signing`), who signed it as its signature reads (:func:`signature`). A
PDF uploaded there is compared byte for byte, by its SHA-256, with the issued one: a
changed byte fails.

Portal imports no domain app: each app registers, in its ``AppConfig.ready``, the
function that states its document's facts (:func:`verifies`); the page looks a code up
in every registered model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from portal.choices import RenderStatus
from portal.models.documents import CODE_ALPHABET, CODE_GROUPS, RenderedDocument
from portal.pdf import signing

_CODE_LENGTH = 4 * CODE_GROUPS
_CJK_MASK = "○"
_LATIN_MASK = "*"


@dataclass(frozen=True)
class Facts:
    """What the verification page states of one issued document, in the reader's language.

    ``amount`` is empty for a document without one (a report, a certificate), and
    ``amount_label`` says what it is (the amount decided, the subsidy approved);
    ``details`` adds what only one kind of document says, as (label, value) pairs.
    """

    title: str
    number: str
    issued_on: str
    addressee: str
    language: str
    sha256: str
    amount: str = ""
    amount_label: str = ""
    details: tuple[tuple[str, str], ...] = ()


FactsOf = Callable[[RenderedDocument, str], Facts]
# The verifiable documents: model → the function stating a document's facts in a language.
_FACTS: dict[type[RenderedDocument], FactsOf] = {}


def verifies(model: type[RenderedDocument]) -> Callable[[FactsOf], FactsOf]:
    """Register the decorated ``facts(document, language)`` as how ``model``'s page reads."""
    if not issubclass(model, RenderedDocument):
        raise TypeError(f"{model.__name__} is not a rendered document.")

    def register(function: FactsOf) -> FactsOf:
        _FACTS[model] = function
        return function

    return register


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


def issued_document(code: str) -> RenderedDocument | None:
    """Return the issued (READY) document of any registered kind with this code, or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    for model in _FACTS:
        document = model._default_manager.filter(
            verification_code=normalised, status=RenderStatus.READY
        ).first()
        if document is not None:
            return document
    return None


def facts(document: RenderedDocument, language: str) -> Facts:
    """Return the document's public facts in ``language``."""
    return _FACTS[type(document)](document, language)


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


def business_name(business, language: str) -> str:
    """Return the name a document addresses a business by: English on an English page."""
    if language == "en" and getattr(business, "name_en", ""):
        return business.name_en
    return business.name_zh


def matches(document: RenderedDocument, uploaded) -> bool:
    """Say whether the uploaded file is, byte for byte, the PDF the City issued."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return bool(document.sha256) and digest.hexdigest() == document.sha256


def signature(document: RenderedDocument) -> signing.Signature | None:
    """Return the signature of the document's stored PDF, or None if it carries none.

    Read from the file itself, so the page states what the issued file says (documents
    issued before signing was configured carry none); a file gone from storage has none.
    """
    if not document.file:
        return None
    try:
        with document.file.open("rb") as handle:
            pdf = handle.read()
    except OSError:
        return None
    return signing.signature_of(pdf)
