"""The public verification of an issued decision: its code and QR code on the PDF, the page
anyone holding it opens without signing in, and a PDF checked byte for byte."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.choices import DocumentKind
from compliance.enforcement.services import notices
from compliance.models import EnforcementDocument
from portal.models.documents import new_verification_code
from portal.pdf import verify
from tests.enforcement.test_documents import (  # the named business and its fined case
    fine_once,
    named_premises,  # noqa: F401 (a fixture)
    rendered_text,
    temperature_finding,  # noqa: F401
    violation,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = "https://energy.gov.taipei"


@pytest.fixture
def decision(violation, tmp_path):  # noqa: F811
    fine = fine_once(violation)
    document = notices.request_document(DocumentKind.PENALTY_DECISION, violation, fine=fine)
    text = rendered_text(document, tmp_path)
    document.refresh_from_db()
    return document, text


def pdf_bytes(document: EnforcementDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_decision_prints_its_code_and_the_address_of_its_page(decision, tmp_path):
    document, text = decision

    assert document.verification_code in text
    url = f"https://energy.gov.taipei/documents/verify/{document.verification_code}/"
    assert url in text.replace("\n", "")
    # The QR code is drawn as vectors (a path), not an image nobody can check.
    pdf = pdf_bytes(document)
    images = subprocess.run(
        ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert len(images.strip().splitlines()) == 2  # the header lines only: no raster image


def test_anyone_opens_the_page_from_the_code_and_reads_the_citys_record(client, decision):
    document, _ = decision

    page = client.get(reverse("document-verify", args=[document.verification_code]))

    html = page.content.decode()
    assert page.status_code == 200
    assert document.document_number in html
    assert document.sha256 in html
    assert "NT$10,000" in html  # the tests speak English
    assert "T***** E***** S***** C*., L**." in html  # the addressee, masked
    assert "Taipei Energy Saving" not in html and "台北節能" not in html
    assert "信義門市" not in html and "松仁路" not in html


def test_the_code_is_typed_in_any_case_with_or_without_dashes(client, decision):
    document, _ = decision
    typed = document.verification_code.replace("-", " ").lower()

    page = client.get(reverse("document-verify-start"), {"code": typed})

    assert page.status_code == 302
    assert page["Location"] == reverse("document-verify", args=[document.verification_code])


@pytest.mark.parametrize(
    ("code", "status"),
    [("ABCD-EFGH-JKLM-NPQR", 404), ("abc", 400), ("O0I1-O0I1-O0I1-O0I1", 400), ("", 400)],
)
def test_an_unknown_or_malformed_code_is_refused_with_a_reason(client, decision, code, status):
    page = client.get(reverse("document-verify-start"), {"code": code})

    assert page.status_code == status
    assert page.context["form"].errors["code"]


def test_an_unknown_code_in_the_address_is_not_found(client, decision):
    assert client.get(reverse("document-verify", args=["ABCD-EFGH-JKLM-NPQR"])).status_code == 404
    assert client.get(reverse("document-verify", args=["not-a-code"])).status_code == 404


def test_a_document_not_issued_yet_has_no_page(client, violation):  # noqa: F811
    pending = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)

    page = client.get(reverse("document-verify", args=[pending.verification_code]))

    assert page.status_code == 404


def test_the_issued_pdf_matches_and_a_changed_byte_does_not(client, decision):
    document, _ = decision
    url = reverse("document-verify", args=[document.verification_code])
    pdf = pdf_bytes(document)
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01

    same = client.post(url, {"file": SimpleUploadedFile("d.pdf", pdf, "application/pdf")})
    other = client.post(
        url, {"file": SimpleUploadedFile("d.pdf", bytes(changed), "application/pdf")}
    )

    assert same.status_code == other.status_code == 200
    assert 'data-verify-result="match"' in same.content.decode()
    assert 'data-verify-result="mismatch"' in other.content.decode()
    assert "is not the document the City issued" in other.content.decode()


def test_checking_without_a_file_says_what_is_missing(client, decision):
    document, _ = decision

    page = client.post(reverse("document-verify", args=[document.verification_code]), {})

    assert page.status_code == 400
    assert page.context["form"].errors["file"]


def test_the_chinese_page_states_the_record_in_chinese(client, decision):
    document, _ = decision

    page = client.get(
        reverse("document-verify", args=[document.verification_code]),
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )

    html = page.content.decode()
    assert "新臺幣 10,000 元" in html
    assert "裁處書" in html
    assert "台○○○○○○○○司" in html


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("台北節能股份有限公司", "台○○○○○○○○司"),
        ("節能", "節○"),
        ("Taipei Energy Saving Co., Ltd.", "T***** E***** S***** C*., L**."),
        ("", ""),
    ],
)
def test_names_are_masked_keeping_the_first_and_last_character(name, masked):
    assert verify.mask_name(name) == masked


def test_codes_are_sixteen_unambiguous_letters_in_four_groups():
    codes = {new_verification_code() for _ in range(500)}

    assert len(codes) == 500
    for code in codes:
        assert verify.normalise_code(code) == code
        assert not set(code) & set("01IO")
        assert [len(group) for group in code.split("-")] == [4, 4, 4, 4]
