"""Uploaded evidence can never turn into a page or a script of the portal.

A PNG that is also an HTML page, named ``evil.html``, is kept as its picture only and
downloads as ``evil.png`` with ``nosniff``; a PDF that runs JavaScript is refused on
every path that takes files (rectification evidence, appeals, subsidy documents).
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from compliance.enforcement.services import appeals
from compliance.models import AppealAttachment, RectificationEvidence
from subsidies.models import ApplicationDocument
from subsidies.services import applications
from tests.enforcement.builders import fined_violation, served_fine
from tests.subsidies.scheme_builders import make_application, make_scheme
from tests.uploads import PDF, pdf_bytes, pdf_with_open_action

pytestmark = pytest.mark.django_db

PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"
PDF_REFUSED = "contains scripts, automatic actions or embedded files, which are not accepted"


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to("2026-11-24 10:00 +0800")


def polyglot() -> bytes:
    """Return a real PNG that is also an HTML page: a script in a text chunk and after IEND."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PAGE.decode())
    output = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(output, format="PNG", pnginfo=info)
    return output.getvalue() + PAGE


def submit_evidence(client, violation, *files):
    return client.post(
        reverse("enforcement-evidence-submit", args=[violation.pk]),
        {"description": "New thermostat.", "files": list(files)},
    )


def test_a_png_html_polyglot_named_evil_html_is_kept_as_a_picture_and_served_as_png(
    client, owner, premises
):
    violation, _fine = fined_violation(premises)
    client.force_login(owner)

    response = submit_evidence(
        client, violation, SimpleUploadedFile("evil.html", polyglot(), "text/html")
    )

    assert response.status_code == 302
    item = RectificationEvidence.objects.get(violation=violation).files.get()
    stored = item.file.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)
    assert item.file.name.endswith(".png")
    download = client.get(reverse("enforcement-evidence-file", args=[item.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="evil.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == stored


@pytest.mark.parametrize(
    "content", [pdf_bytes("app.alert(1)"), pdf_with_open_action("app.alert(1)")]
)
def test_a_pdf_carrying_javascript_is_refused_as_evidence_and_nothing_is_kept(
    client, owner, premises, content
):
    violation, _fine = fined_violation(premises)
    client.force_login(owner)

    response = submit_evidence(
        client, violation, SimpleUploadedFile("invoice.pdf", content, "application/pdf")
    )

    assert response.status_code == 200
    assert f"invoice.pdf {PDF_REFUSED}" in response.content.decode()
    assert not RectificationEvidence.objects.filter(violation=violation).exists()


def test_a_pdf_with_a_name_escaped_javascript_key_is_refused(owner, premises):
    violation, _fine = fined_violation(premises)
    hidden = pdf_bytes("app.alert(1)").replace(b"/JavaScript", b"/J#61vaScript")
    from compliance.enforcement.services import violations

    with pytest.raises(ValidationError) as refused:
        violations.submit_evidence(
            owner, violation, description="Fixed.", files=[SimpleUploadedFile("a.pdf", hidden)]
        )

    assert PDF_REFUSED in str(refused.value)


def test_a_plain_pdf_that_opens_at_its_first_page_is_accepted(client, owner, premises):
    violation, _fine = fined_violation(premises)
    client.force_login(owner)

    response = submit_evidence(
        client, violation, SimpleUploadedFile("invoice.pdf", PDF, "application/pdf")
    )

    assert response.status_code == 302
    item = RectificationEvidence.objects.get(violation=violation).files.get()
    download = client.get(reverse("enforcement-evidence-file", args=[item.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert download["Content-Type"] == "application/pdf"


def test_appeal_files_are_cleaned_and_refused_the_same_way(client, owner, premises):
    _violation, fine = served_fine(premises)

    with pytest.raises(ValidationError) as refused:
        appeals.file_appeal(
            owner,
            fine,
            grounds="Not ours.",
            files=[SimpleUploadedFile("grounds.pdf", pdf_bytes("app.launchURL('x')"))],
        )
    appeal = appeals.file_appeal(
        owner, fine, grounds="Not ours.", files=[SimpleUploadedFile("evil.html", polyglot())]
    )

    assert PDF_REFUSED in str(refused.value)
    item = AppealAttachment.objects.get(appeal=appeal)
    assert b"<script" not in item.file.read()
    client.force_login(owner)
    download = client.get(reverse("enforcement-appeal-attachment", args=[item.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="evil.png"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_subsidy_document_carrying_javascript_is_refused(owner, premises):
    application = make_application(make_scheme("lamps"), premises)

    with pytest.raises(ValidationError) as refused:
        applications.add_document(
            owner, application, "quotation", SimpleUploadedFile("q.pdf", pdf_bytes("x()"))
        )
    kept = applications.add_document(
        owner, application, "quotation", SimpleUploadedFile("evil.html", polyglot())
    )

    assert PDF_REFUSED in str(refused.value)
    assert ApplicationDocument.objects.filter(application=application).count() == 1
    assert kept.file.name.endswith(".png")
    assert b"<script" not in kept.file.read()
