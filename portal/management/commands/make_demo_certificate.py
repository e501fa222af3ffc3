"""``manage.py make_demo_certificate [--dir PATH]``: a self-signed key and certificate.

For the demonstration only (``make demo``): the portal signs every issued PDF with it
(:mod:`portal.pdf.signing`, ``DOCUMENT_SIGNING_KEY``/``DOCUMENT_SIGNING_CERT``), and the
verification page says that a self-signed certificate proves a file unchanged, not who
issued it. A pair already there is kept, so documents signed before stay verifiable by
the same certificate.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

KEY_FILE = "demo-key.pem"
CERT_FILE = "demo-cert.pem"
# The page names the signer "<organisation>, <common name>" (a common name has at most 64
# characters, RFC 5280, too few for the whole name in one attribute).
ORGANISATION = "Taipei City Government"
COMMON_NAME = "Department of Economic Development (DEMO, self-signed)"
VALID_DAYS = 10 * 365


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "var" / "signing"


def demo_certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """Return a self-signed certificate of ``key`` for signing documents, valid ten years."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME),
        ]
    )
    # A little in the past, so a clock slightly behind does not find it not yet valid.
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation: what a document signature is for
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


class Command(BaseCommand):
    help = (
        "Write a self-signed demonstration key and certificate (EC P-256, ten years) for "
        "signing the issued PDFs into var/signing/ (or --dir), unless they are there already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", help="Where to write the two PEM files.")

    def handle(self, *args, directory=None, **options):
        folder = Path(directory) if directory else default_directory()
        key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
        if key_path.is_file() and cert_path.is_file():
            self.stdout.write(f"The demonstration certificate is there already: {cert_path}")
            return
        folder.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        key_path.touch(mode=0o600)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_path.write_bytes(demo_certificate(key).public_bytes(serialization.Encoding.PEM))
        self.stdout.write(f"Wrote a self-signed demonstration key and certificate: {cert_path}")
