"""Every issued document is verifiable: inspection reports, approval letters and award
certificates print their code and the address of their public page (as notices and
decisions do, tests/enforcement/test_document_verification.py); the page finds each one by
its code and states its facts, the addressee masked; the issued PDF matches, a changed byte
does not."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.reports.gather import report_data, verification_hash
from inspections.services import reports
from portal.models.documents import RenderedDocument
from portal.pdf import verify
from subsidies.documents import certificates, letters
from subsidies.models import ApprovalLetter
from subsidies.services import applications as application_services
from tests.inspections.report_builders import make_completed_visit
from tests.subsidies.scheme_builders import make_application, make_scheme
from tests.subsidies.test_certificates import (  # the call and its published awards
    PUBLISHED,
    _publish,
    call,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://energy.gov.taipei"
NAME_ZH, MASKED_ZH = "臺北綠能股份有限公司", "臺○○○○○○○○司"
NAME_EN, MASKED_EN = "Taipei Green Energy Co., Ltd.", "T***** G**** E***** C*., L**."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = BASE_URL


@pytest.fixture
def named(business):
    business.name_zh, business.name_en = NAME_ZH, NAME_EN
    business.save()
    return business


def _issued(document, render) -> tuple:
    assert render(document.pk) == "ready"
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        pdf = handle.read()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return document, pdf, text


@pytest.fixture
def report(named, premises, inspector):
    visit = make_completed_visit(premises, inspector)
    return _issued(reports.request_report(visit, "en", actor=inspector), reports.render)


@pytest.fixture
def letter(named, premises, programme_officer):
    application = make_application(
        make_scheme(title="Lamp replacement subsidy"), premises, status="under_review"
    )
    application_services.approve(programme_officer, application, 90_000)
    document = ApprovalLetter.objects.get(application=application, language="zh-hant")
    return _issued(document, letters.render)


@pytest.fixture
def certificate(call, programme_officer, administrator, named, time_machine):  # noqa: F811
    return _certificate(call, programme_officer, administrator, named, time_machine, "zh-hant")


@pytest.fixture
def english_certificate(call, programme_officer, administrator, named, time_machine):  # noqa: F811
    return _certificate(call, programme_officer, administrator, named, time_machine, "en")


def _certificate(prize_call, programme_officer, administrator, named, time_machine, language):
    time_machine.move_to(PUBLISHED)
    publication, first, _second, _third = _publish(
        prize_call, programme_officer, administrator, named
    )
    document = certificates.request_certificate(publication, first, language)
    return _issued(document, certificates.render)


DOCUMENTS = ["report", "letter", "certificate"]


@pytest.fixture(params=DOCUMENTS)
def issued(request):
    return request.getfixturevalue(request.param)


def test_every_rendered_document_can_be_verified():
    concrete = {
        model
        for model in apps.get_models()
        if issubclass(model, RenderedDocument) and not model._meta.abstract
    }

    assert concrete == set(verify._FACTS)
    assert {model._meta.model_name for model in concrete} >= {
        "inspectionreport",
        "enforcementdocument",
        "approvalletter",
        "awardcertificate",
    }


def test_the_document_prints_its_code_and_the_address_of_its_page(issued):
    document, pdf, text = issued

    assert document.verification_code in text
    url = f"{BASE_URL}/documents/verify/{document.verification_code}/"
    assert url in text.replace("\n", "")
    # The QR code is drawn as vectors (a path), not an image nobody can check.
    images = subprocess.run(
        ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert len(images.strip().splitlines()) == 2  # the header lines only: no raster image


@pytest.mark.parametrize("fixture", ["certificate", "english_certificate"])
def test_the_certificate_stays_on_one_page(request, fixture):
    _document, pdf, _text = request.getfixturevalue(fixture)

    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)

    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout.decode(), re.MULTILINE)
    assert pages and pages.group(1) == "1"


@pytest.mark.parametrize(
    ("fixture", "title", "issued_on", "amount"),
    [
        ("report", "Inspection report", "Nov. 20, 2026", None),
        ("letter", "Subsidy approval letter", None, "NT$90,000"),
        ("certificate", "Certificate of Award", "Nov. 17, 2026", None),
    ],
)
def test_the_page_states_the_citys_record_with_the_addressee_masked(
    client, request, fixture, title, issued_on, amount
):
    document, _pdf, _text = request.getfixturevalue(fixture)

    page = client.get(reverse("document-verify", args=[document.verification_code]))

    html = page.content.decode()
    assert page.status_code == 200
    assert title in html
    assert str(document) in html  # the document's number
    assert document.sha256 in html
    assert issued_on is None or issued_on in html
    if amount:
        assert amount in html
    else:
        assert "data-amount" not in html
    assert MASKED_EN in html  # the tests speak English
    assert NAME_EN not in html and NAME_ZH not in html


def test_the_chinese_page_masks_the_chinese_name(client, letter):
    document, _pdf, _text = letter

    page = client.get(
        reverse("document-verify", args=[document.verification_code]),
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )

    html = page.content.decode()
    assert MASKED_ZH in html and NAME_ZH not in html
    assert "補助核定函" in html
    assert "新臺幣 90,000 元" in html


def test_the_code_typed_on_the_start_page_leads_to_the_document(client, issued):
    document, _pdf, _text = issued

    page = client.get(
        reverse("document-verify-start"), {"code": document.verification_code.lower()}
    )

    assert page.status_code == 302
    assert page["Location"] == reverse("document-verify", args=[document.verification_code])


def test_the_issued_pdf_matches_and_a_changed_byte_does_not(client, issued):
    document, pdf, _text = issued
    url = reverse("document-verify", args=[document.verification_code])
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01

    same = client.post(url, {"file": SimpleUploadedFile("d.pdf", pdf, "application/pdf")})
    other = client.post(
        url, {"file": SimpleUploadedFile("d.pdf", bytes(changed), "application/pdf")}
    )

    assert same.status_code == other.status_code == 200
    assert 'data-verify-result="match"' in same.content.decode()
    assert 'data-verify-result="mismatch"' in other.content.decode()


def test_a_document_not_issued_yet_has_no_page(client, named, premises, programme_officer):
    application = make_application(make_scheme(), premises, status="under_review")
    application_services.approve(programme_officer, application, 50_000)
    pending = ApprovalLetter.objects.get(application=application, language="zh-hant")
    assert pending.status == "pending"

    page = client.get(reverse("document-verify", args=[pending.verification_code]))

    assert page.status_code == 404


def test_the_code_leaves_the_reports_data_hash_unchanged(report):
    document, _pdf, _text = report

    with_code = report_data(
        document.visit,
        "en",
        document_number=document.document_number,
        verification_code=document.verification_code,
    )
    without = report_data(document.visit, "en", document_number=document.document_number)

    assert with_code["verification_url"].endswith(f"/{document.verification_code}/")
    assert with_code["verification_hash"] == without["verification_hash"]
    assert verification_hash(with_code) == with_code["verification_hash"]
