"""An application's documents: uploaded through the API like on the page, downloaded safely.

A business using the API starts a draft, uploads the scheme's required documents (checked
by :func:`portal.uploads.check_upload`: pictures encoded again, active PDFs refused) and
submits it; the applying business and the officers download the files from the
application's page; everyone else gets a 404.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import ApiToken, AuditEntry
from subsidies.models import Application, ApplicationDocument
from tests.enforcement.test_upload_safety import polyglot
from tests.subsidies.scheme_builders import draft_with_document, make_application, make_scheme
from tests.uploads import PDF, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(user) -> APIClient:
    """A client holding ``user``'s API token, as a business's own software would."""
    client = APIClient()
    _token, raw = ApiToken.generate(user, "accounting system")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def _documents_url(application) -> str:
    return reverse("api:application-documents", args=[application.pk])


def _upload(client, application, kind="quotation", name="quote.pdf", data=PDF):
    return client.post(
        _documents_url(application),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


def test_an_api_client_uploads_the_required_document_and_submits(owner, business, premises):
    scheme = make_scheme()  # requires a quotation
    client = _api(owner)
    body = {
        "idempotency_key": "erp-2026-0001",
        "scheme": scheme.pk,
        "business": business.pk,
        "premises": premises.pk,
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
    }

    # Submitted at once, the missing quotation refuses it and nothing is kept.
    refused = client.post(reverse("api:application-list"), body, format="json")
    assert refused.status_code == 400
    assert "Required documents missing: Quotation" in str(refused.json()["errors"])
    assert not Application.objects.exists()

    draft = client.post(reverse("api:application-list"), {**body, "submit": False}, format="json")
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"
    application = Application.objects.get(pk=draft.json()["id"])
    # Retrying the draft's creation returns the same draft.
    again = client.post(reverse("api:application-list"), {**body, "submit": False}, format="json")
    assert again.json()["id"] == application.pk

    uploaded = _upload(client, application)
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["kind"] == "quotation"
    assert uploaded.json()["original_name"] == "quote.pdf"
    assert uploaded.json()["content_type"] == "application/pdf"
    listed = client.get(_documents_url(application))
    assert [row["kind"] for row in listed.json()] == ["quotation"]

    submitted = client.post(reverse("api:application-submit", args=[application.pk]))
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["eligible_amount_ntd"] == 100_000
    # Submitting again (a retry after a lost answer) returns it, not an error.
    repeated = client.post(reverse("api:application-submit", args=[application.pk]))
    assert repeated.status_code == 200
    assert Application.objects.get().status == "submitted"


def test_the_upload_is_audited_like_every_change(owner, premises):
    application = make_application(make_scheme(), premises)

    response = _upload(_api(owner), application)

    entry = AuditEntry.objects.get(
        object_type="subsidies.applicationdocument", object_id=str(response.json()["id"])
    )
    assert entry.action == "create"
    assert entry.actor == owner
    assert entry.changes["kind"] == [None, "quotation"]
    assert entry.business_id == premises.business_id


def test_a_polyglot_picture_is_encoded_again_and_downloads_as_a_picture(owner, premises):
    application = make_application(make_scheme(), premises)
    client = _api(owner)

    response = _upload(client, application, name="evil.html", data=polyglot())

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"
    document = ApplicationDocument.objects.get(pk=response.json()["id"])
    assert document.file.name.endswith(".png")
    assert b"<script" not in document.file.read()
    download = client.get(response.json()["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="evil.png"'
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in b"".join(download.streaming_content)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "invoice", "file": ("q.pdf", PDF)}, "kind", "asks for these documents"),
        ({"kind": "quotation"}, "file", "No file was submitted."),
        (
            {"kind": "quotation", "file": ("q.pdf", b"<html><script>alert(1)</script>")},
            "file",
            "q.pdf is not a JPEG, PNG or PDF file.",
        ),
        (
            {"kind": "quotation", "file": ("q.pdf", pdf_bytes("app.alert(1)"))},
            "file",
            "contains scripts",
        ),
        ({"kind": "quotation", "file": ("big.pdf", PDF + b"%" * 2048)}, "file", "larger than"),
    ],
    ids=["wrong kind", "no file", "not a document", "pdf with a script", "too large"],
)
def test_bad_input_is_a_400_on_its_field_and_nothing_is_kept(
    owner, premises, settings, fields, field, message
):
    settings.EVIDENCE_FILE_MAX_BYTES = len(PDF) + 1024
    application = make_application(make_scheme(), premises)
    body = {
        key: SimpleUploadedFile(*value) if isinstance(value, tuple) else value
        for key, value in fields.items()
    }

    response = _api(owner).post(_documents_url(application), body, format="multipart")

    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    assert not application.documents.exists()


def test_documents_change_only_while_the_applicant_holds_the_application(owner, premises):
    scheme = make_scheme()
    draft, document = draft_with_document(scheme, premises, owner)
    client = _api(owner)
    submitted = make_application(scheme, premises, status="submitted")
    kept = submitted.documents.get()

    deleted = client.delete(reverse("api:application-document", args=[draft.pk, document.pk]))
    late_upload = _upload(client, submitted)
    late_delete = client.delete(reverse("api:application-document", args=[submitted.pk, kept.pk]))

    assert deleted.status_code == 204
    assert not draft.documents.exists()
    assert AuditEntry.objects.filter(
        object_type="subsidies.applicationdocument", object_id=str(document.pk), action="delete"
    ).exists()
    assert late_upload.status_code == 400
    assert "draft or returned for more information" in str(late_upload.json())
    assert late_delete.status_code == 400
    assert list(submitted.documents.all()) == [kept]
    # Returned for more information, the applicant may add again.
    submitted.status = "more_information_requested"
    submitted.save(update_fields=["status"])
    assert _upload(client, submitted).status_code == 201


def test_another_business_gets_404_everywhere(owner, other_owner, premises):
    draft, document = draft_with_document(make_scheme(), premises, owner)
    client = _api(other_owner)

    assert client.get(_documents_url(draft)).status_code == 404
    assert _upload(client, draft).status_code == 404
    assert (
        client.delete(reverse("api:application-document", args=[draft.pk, document.pk])).status_code
        == 404
    )
    document_url = reverse("api:application-document", args=[draft.pk, document.pk])
    assert client.get(document_url).status_code == 404
    page = Client()
    page.force_login(other_owner)
    assert page.get(reverse("application-document-file", args=[document.pk])).status_code == 404
    assert draft.documents.get() == document


def test_officers_and_the_business_download_from_the_application_page(
    client, owner, programme_officer, inspector, premises
):
    application = make_application(make_scheme(), premises, status="submitted")
    application.documents.all().delete()
    application.status = "more_information_requested"
    application.save(update_fields=["status"])
    _upload(_api(owner), application, name="報價單.pdf")
    application.status = "resubmitted"
    application.save(update_fields=["status"])
    document = application.documents.get()
    link = reverse("application-document-file", args=[document.pk])

    for reader in (owner, programme_officer):
        client.force_login(reader)
        page = client.get(application.get_absolute_url())
        assert link in page.content.decode(), reader.role
        download = client.get(link)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert "pdf" in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == PDF

    # An inspector sees the application, not the documents behind it.
    client.force_login(inspector)
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert "Quotation" in page.content.decode()
    assert client.get(link).status_code == 404
