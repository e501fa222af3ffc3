"""PAdES signatures of the issued PDFs (pyHanko), and reading them back.

Where a signing certificate is configured (``DOCUMENT_SIGNING_KEY`` and
``DOCUMENT_SIGNING_CERT``, paths to PEM files), the render job signs every PDF before it
hashes and stores it (:func:`sign`): an invisible PAdES signature in an incremental
update, so the SHA-256 the verification page states is that of the signed file. Without
them the bytes stay as rendered. The verification page reads the stored file's signature
back (:func:`signature_of`) and states who signed it and whether the file is intact;
``DOCUMENT_SIGNING_SELF_SIGNED`` says the certificate is a demonstration one, which
proves a file unchanged since it was issued but not who issued it
(``manage.py make_demo_certificate`` writes such a certificate for ``make demo``).

Nothing is cached between calls: the key is loaded for each signature, so changed
settings (or files) take effect at once. pyHanko takes a third of a second to import:
it is imported only when a PDF is signed or read, not by every process that imports the
render job or the verification page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The signature field the portal adds to each PDF (invisible: no widget on a page).
FIELD_NAME = "CityPortalSignature"


@dataclass(frozen=True)
class Signature:
    """What a PDF's first signature says: who signed it and whether the file is unchanged.

    ``signer`` is the certificate's organisation and common name (:func:`signer_name`);
    ``intact`` that the signature covers the whole file, whose bytes hash to what was
    signed, and is valid; ``self_signed`` that the certificate is its own issuer or
    configured as a demonstration one (nobody vouches for who holds it).
    """

    signer: str
    intact: bool
    self_signed: bool


def configured() -> bool:
    """Say whether documents are signed: both a key and a certificate are configured."""
    return bool(settings.DOCUMENT_SIGNING_KEY and settings.DOCUMENT_SIGNING_CERT)


def sign(pdf: bytes) -> bytes:
    """Return ``pdf`` signed (PAdES, SHA-256), or unchanged when no certificate is configured."""
    if not configured():
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load(
        settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_CERT
    )
    if signer is None:  # pyHanko logs why and returns None
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT must name a readable PEM key "
            "and its certificate."
        )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


def signature_of(pdf: bytes) -> Signature | None:
    """Return the first signature of ``pdf``, or None if it has none (or is no PDF)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except (PdfError, ValueError):
        return None
    if not embedded:
        return None
    signature = embedded[0]
    certificate = signature.signer_cert
    return Signature(
        signer=signer_name(certificate.subject.native) or certificate.subject.human_friendly,
        intact=_intact(signature),
        self_signed=settings.DOCUMENT_SIGNING_SELF_SIGNED or certificate.self_issued,
    )


def signer_name(subject: dict) -> str:
    """Return who a certificate's subject names: its organisation, then its common name.

    The organisation is left out when the common name already says it.
    """
    organisation = subject.get("organization_name") or ""
    common_name = subject.get("common_name") or ""
    if isinstance(organisation, list):  # several O attributes
        organisation = ", ".join(organisation)
    if not organisation or organisation in common_name:
        return common_name or organisation
    return f"{organisation}, {common_name}" if common_name else organisation


def _intact(signature) -> bool:
    """Say whether the whole file is what was signed and the signature is valid.

    Trust is not what this states (the page says whether a certificate is self-signed):
    the signer's own certificate is taken as the trust anchor, so validation checks the
    bytes and the signature without building a chain or reaching the network.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except (PdfError, ValueError):
        return False
    return bool(
        status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
