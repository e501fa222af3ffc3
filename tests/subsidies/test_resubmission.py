"""Resubmitting after "more information requested": the documents' kinds are checked
against the scheme's required documents, with a clear error naming what is missing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from subsidies.models import ApplicationDocument
from subsidies.services import applications as services
from tests.subsidies.scheme_builders import make_application, make_scheme
from tests.uploads import PDF

pytestmark = pytest.mark.django_db

ASKED = "Please add the energy audit report."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def waiting(premises, programme_officer):
    """An application asked for more information; it has its quotation, not the audit."""
    scheme = make_scheme(
        "city-improvement-test", required_documents=["quotation", "energy_audit_report"]
    )
    application = make_application(scheme, premises, status="under_review")
    return services.request_information(programme_officer, application, ASKED)


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_resubmitting_without_a_required_document_names_it_and_saves_nothing(owner, waiting):
    with pytest.raises(ValidationError) as refused:
        services.resubmit(owner, waiting, "Here it is.")

    assert refused.value.message_dict["documents"] == [
        "The scheme requires these documents before resubmitting: energy_audit_report."
    ]
    waiting.refresh_from_db()
    assert waiting.status == "more_information_requested"
    assert not waiting.events.filter(action="resubmit").exists()


def test_the_page_shows_what_is_missing_and_keeps_the_answer(client, owner, waiting):
    client.force_login(owner)
    url = reverse("application-resubmit", args=[waiting.pk])
    form_page = client.get(url).content.decode()
    assert ASKED in form_page

    response = client.post(url, {"note": "We replaced the lamps in March."})

    assert response.status_code == 200
    page = response.content.decode()
    assert "requires these documents before resubmitting: energy_audit_report" in page
    assert "We replaced the lamps in March." in page
    waiting.refresh_from_db()
    assert waiting.status == "more_information_requested"


def test_the_missing_document_uploaded_resubmits_the_application(client, owner, waiting):
    client.force_login(owner)

    response = client.post(
        reverse("application-resubmit", args=[waiting.pk]),
        {"note": "Audit attached.", "document_energy_audit_report": _pdf("audit.pdf")},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "resubmitted"
    document = waiting.documents.get(kind="energy_audit_report")
    assert (document.original_name, document.uploaded_by) == ("audit.pdf", owner)
    event = waiting.events.get(action="resubmit")
    assert (event.actor, event.reason) == (owner, "Audit attached.")


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(client, owner, waiting):
    client.force_login(owner)
    fake = SimpleUploadedFile("audit.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("application-resubmit", args=[waiting.pk]),
        {"note": "Audit attached.", "document_energy_audit_report": fake},
    )

    assert response.status_code == 200
    assert "is not a JPEG, PNG or PDF file" in " ".join(
        response.context["form"].errors["document_energy_audit_report"]
    )
    assert not ApplicationDocument.objects.filter(kind="energy_audit_report").exists()
    waiting.refresh_from_db()
    assert waiting.status == "more_information_requested"


def test_documents_already_provided_count(owner, waiting):
    waiting.documents.create(
        kind="energy_audit_report", original_name="audit.pdf", file="subsidies/test/audit.pdf"
    )

    services.resubmit(owner, waiting, "Nothing new.")

    waiting.refresh_from_db()
    assert waiting.status == "resubmitted"


def test_the_step_form_resubmission_is_checked_too(client, owner, waiting):
    client.force_login(owner)

    response = client.post(
        reverse("application-step", args=[waiting.pk]), {"step": "resubmit"}, follow=True
    )

    assert "energy_audit_report" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "more_information_requested"


def test_the_application_page_leads_the_applicant_to_the_resubmission(client, owner, waiting):
    client.force_login(owner)

    page = client.get(waiting.get_absolute_url())

    assert reverse("application-resubmit", args=[waiting.pk]) in page.content.decode()
    assert "resubmit" not in page.context["steps"]


def test_an_application_not_waiting_for_information_is_not_resubmitted(client, owner, premises):
    submitted = make_application(make_scheme(), premises, status="submitted")
    client.force_login(owner)

    response = client.get(reverse("application-resubmit", args=[submitted.pk]), follow=True)

    assert "not waiting for more information" in response.content.decode()
