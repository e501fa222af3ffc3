"""Approval letters and award certificates are requested through the one shared path of
rendered documents (portal.pdf.jobs.request): created once per application and language,
queued on the "reports" queue in the same transaction, and returned when asked again."""

import pytest
from django.db import IntegrityError

from portal.models import OutboxMessage
from portal.pdf import jobs
from subsidies.documents import certificates, letters
from subsidies.models import ApprovalLetter, AwardCertificate
from subsidies.services import applications as services
from subsidies.services import rewards
from tests.factories import make_premises
from tests.subsidies.scheme_builders import make_application, make_call, make_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_made(monkeypatch):
    """Record the models requested through the shared path."""
    made = []
    shared = jobs.request

    def spy(model, lookup, defaults=None):
        made.append(model)
        return shared(model, lookup, defaults)

    monkeypatch.setattr(jobs, "request", spy)
    return made


@pytest.fixture
def approved(premises, programme_officer):
    application = make_application(make_scheme(), premises, status="under_review")
    return services.approve(programme_officer, application, 90_000)


@pytest.fixture
def published(programme_officer, administrator, business):
    call = make_call("excellence-2026")
    call.reviewers.add(programme_officer)
    application = make_application(call, make_premises(business), status="under_review")
    rewards.score_application(programme_officer, application, {"saving": 90})
    return rewards.publish_awards(administrator, call, 1), application


def test_both_kinds_are_requested_through_the_shared_path(
    requests_made, premises, programme_officer, administrator, business
):
    application = make_application(make_scheme(), premises, status="under_review")
    services.approve(programme_officer, application, 90_000)
    call = make_call("excellence-2026")
    call.reviewers.add(programme_officer)
    entry = make_application(call, make_premises(business), status="under_review")
    rewards.score_application(programme_officer, entry, {"saving": 90})
    rewards.publish_awards(administrator, call, 1)

    assert requests_made == [ApprovalLetter, AwardCertificate]
    assert OutboxMessage.objects.filter(topic=letters.RENDER_TOPIC).count() == 1
    assert OutboxMessage.objects.filter(topic=certificates.RENDER_TOPIC).count() == 1


def test_asking_again_returns_the_same_letter_without_queueing_it_again(approved):
    letter = ApprovalLetter.objects.get(application=approved)

    assert letters.request_letter(approved) == letter
    english = letters.request_letter(approved, "en")
    assert letters.request_letter(approved, "en") == english

    # A translation of the same letter: the Chinese original's number, marked as such.
    assert english.letter_number == letter.letter_number
    html = letters.render_html(letters.letter_data(english.pk))
    assert "Translation of the official document in Chinese" in html
    assert english.letter_number in html
    assert "Translation of the official document" not in letters.render_html(
        letters.letter_data(letter.pk)
    )
    assert OutboxMessage.objects.filter(topic=letters.RENDER_TOPIC).count() == 2


def test_asking_again_returns_the_same_certificate_without_queueing_it_again(published):
    publication, application = published
    certificate = AwardCertificate.objects.get(application=application)

    again = certificates.request_certificate(publication, application)

    assert again == certificate
    assert (certificate.rank, certificate.status) == (1, "pending")
    assert OutboxMessage.objects.filter(topic=certificates.RENDER_TOPIC).count() == 1


def test_a_document_created_meanwhile_is_returned_instead_of_a_second(approved, monkeypatch):
    letter = ApprovalLetter.objects.get(application=approved)
    # As if a concurrent request created it between the look-up and the insert.
    monkeypatch.setattr(type(ApprovalLetter.objects.none()), "first", lambda self: None)

    def refused(**fields):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(ApprovalLetter.objects, "create", refused)

    assert letters.request_letter(approved) == letter
    assert OutboxMessage.objects.filter(topic=letters.RENDER_TOPIC).count() == 1


def test_the_other_fields_are_computed_only_for_a_new_document(approved):
    computed = []
    letter = ApprovalLetter.objects.get(application=approved)

    again = jobs.request(
        ApprovalLetter,
        {"application": approved, "language": "zh-hant"},
        {"letter_number": lambda: computed.append(1) or "never"},
    )

    assert again == letter
    assert computed == []
