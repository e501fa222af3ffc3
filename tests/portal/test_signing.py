"""Issued PDFs are signed (PAdES) where a certificate is configured (issue 15 §4).

With the demonstration certificate `manage.py make_demo_certificate` writes, the render
job signs the PDF before it hashes and stores it: the stored file carries a signature
pyHanko finds intact, the recorded SHA-256 is the stored file's, the verification page
accepts that file and refuses it with one byte changed, and names the signer and says the
certificate is self-signed. Without a certificate the PDF is issued unsigned, as before.
Real WeasyPrint renderings of an approval letter, nothing mocked.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.management.commands.make_demo_certificate import CERT_FILE, COMMON_NAME, KEY_FILE
from portal.pdf import signing
from subsidies.documents import letters
from subsidies.models import ApprovalLetter
from subsidies.services import applications as application_services
from tests.subsidies.scheme_builders import make_application, make_scheme

pytestmark = pytest.mark.django_db

SIGNER = f"Taipei City Government, {COMMON_NAME}"
SELF_SIGNED_NOTE = "This demonstration uses a self-signed certificate"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = "https://energy.gov.taipei"
    settings.DOCUMENT_SIGNING_KEY = settings.DOCUMENT_SIGNING_CERT = ""
    settings.DOCUMENT_SIGNING_SELF_SIGNED = False


@pytest.fixture
def certificate(tmp_path):
    """The demonstration key and certificate, written by the command into a tmp folder."""
    folder = tmp_path / "signing"
    call_command("make_demo_certificate", "--dir", str(folder))
    return folder / KEY_FILE, folder / CERT_FILE


@pytest.fixture
def signing_on(settings, certificate):
    key, cert = certificate
    settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_CERT = str(key), str(cert)
    settings.DOCUMENT_SIGNING_SELF_SIGNED = True
    return certificate


def _issue_letter(premises, programme_officer) -> tuple[ApprovalLetter, bytes]:
    application = make_application(make_scheme(), premises, status="under_review")
    application_services.approve(programme_officer, application, 90_000)
    letter = ApprovalLetter.objects.get(application=application, language="zh-hant")
    assert letters.render(letter.pk) == "ready", letter.error
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        return letter, handle.read()


@pytest.fixture
def signed_letter(signing_on, premises, programme_officer):
    return _issue_letter(premises, programme_officer)


@pytest.fixture
def unsigned_letter(premises, programme_officer):
    return _issue_letter(premises, programme_officer)


def _page(client, letter, pdf: bytes | None = None) -> str:
    url = reverse("document-verify", args=[letter.verification_code])
    if pdf is None:
        response = client.get(url)
    else:
        response = client.post(url, {"file": SimpleUploadedFile("d.pdf", pdf, "application/pdf")})
    assert response.status_code == 200
    return response.content.decode()


def _one_byte_changed(pdf: bytes) -> bytes:
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01
    return bytes(changed)


def test_the_command_writes_a_self_signed_pair_once(certificate):
    key, cert = certificate
    written = key.read_bytes(), cert.read_bytes()

    call_command("make_demo_certificate", "--dir", str(key.parent))

    assert (key.read_bytes(), cert.read_bytes()) == written  # kept, not replaced
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    loaded = x509.load_pem_x509_certificate(written[1])
    assert loaded.subject == loaded.issuer
    assert loaded.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == COMMON_NAME
    lifetime = loaded.not_valid_after_utc - loaded.not_valid_before_utc
    assert lifetime >= datetime.timedelta(days=3650)


def test_the_stored_file_carries_an_intact_pades_signature(signed_letter, certificate):
    _letter, pdf = signed_letter

    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures

    assert len(embedded) == 1
    signature = embedded[0]
    assert signature.field_name == signing.FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.md_algorithm == "sha256"
    own = x509.load_pem_x509_certificate(certificate[1].read_bytes())
    assert signature.signer_cert.dump() == own.public_bytes(Encoding.DER)
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    )
    assert status.intact and status.valid
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_recorded_hash_is_of_the_signed_file_that_is_stored(signed_letter):
    letter, pdf = signed_letter

    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert signing.signature_of(pdf) == signing.Signature(
        signer=SIGNER, intact=True, self_signed=True
    )


def test_the_page_accepts_the_stored_file_and_refuses_one_changed_byte(client, signed_letter):
    letter, pdf = signed_letter

    same = _page(client, letter, pdf)
    other = _page(client, letter, _one_byte_changed(pdf))

    assert 'data-verify-result="match"' in same
    assert 'data-verify-result="mismatch"' in other


def test_the_page_names_the_signer_and_says_the_certificate_is_self_signed(client, signed_letter):
    letter, _pdf = signed_letter

    html = _page(client, letter)

    assert 'data-signature="intact"' in html
    assert f"Digitally signed (PAdES) by {SIGNER}" in html
    assert SELF_SIGNED_NOTE in html


def test_a_changed_byte_breaks_the_signature(signed_letter):
    _letter, pdf = signed_letter

    read = signing.signature_of(_one_byte_changed(pdf))

    assert read is not None and read.signer == SIGNER
    assert read.intact is False


def test_without_a_certificate_the_pdf_is_unsigned_and_the_page_works(client, unsigned_letter):
    letter, pdf = unsigned_letter

    html = _page(client, letter)

    assert not signing.configured()
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert signing.signature_of(pdf) is None
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert "data-signature" not in html and SELF_SIGNED_NOTE not in html
    assert 'data-verify-result="match"' in _page(client, letter, pdf)


def test_a_key_that_cannot_be_read_fails_the_rendering_with_the_reason(
    settings, certificate, premises, programme_officer
):
    settings.DOCUMENT_SIGNING_KEY = str(certificate[0].parent / "missing.pem")
    settings.DOCUMENT_SIGNING_CERT = str(certificate[1])
    application = make_application(make_scheme(), premises, status="under_review")
    application_services.approve(programme_officer, application, 90_000)
    letter = ApprovalLetter.objects.get(application=application, language="zh-hant")

    assert letters.render(letter.pk) == "failed"

    letter.refresh_from_db()
    assert "DOCUMENT_SIGNING_KEY" in letter.error
    assert not letter.file and not letter.sha256
