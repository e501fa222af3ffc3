"""The approval letter: requested with the approval, rendered once by the worker, downloaded."""

import pytest
from django.urls import reverse

from portal.models import OutboxMessage
from subsidies.documents import letters
from subsidies.models import ApprovalLetter
from subsidies.services import applications as services
from tests.subsidies.scheme_builders import make_application, make_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def approved(premises, programme_officer):
    application = make_application(
        make_scheme(title="Lamp replacement subsidy"), premises, status="under_review"
    )
    return services.approve(programme_officer, application, 90_000)


def test_approval_requests_one_letter_and_queues_its_rendering(approved):
    letter = ApprovalLetter.objects.get(application=approved)

    assert letter.status == "pending"
    assert letter.letter_number.startswith("TPE-EC-S-")
    assert OutboxMessage.objects.filter(topic=letters.RENDER_TOPIC).count() == 1
    assert letters.request_letter(approved) == letter


def test_the_letter_says_who_gets_how_much_under_which_scheme(approved):
    letter = letters.request_letter(approved, "en")

    html = letters.render_html(letters.letter_data(letter.pk))

    assert "Lamp replacement subsidy" in html
    assert "is approved with a subsidy of up to NT$90,000." in html
    assert "NT$90,000" in html.split("Approved amount")[1]  # the table's figure, grouped
    assert letter.letter_number in html


def test_the_chinese_letter_writes_the_amount_with_thousands_separators(approved):
    letter = letters.request_letter(approved, "zh-hant")

    html = letters.render_html(letters.letter_data(letter.pk))

    assert "新臺幣 90,000 元" in html
    assert "90000" not in html


def test_the_letter_renders_once_and_the_business_downloads_it(client, owner, approved):
    letter = ApprovalLetter.objects.get(application=approved)

    assert letters.render(letter.pk) == "ready"
    assert letters.render(letter.pk) == "ready"
    letter.refresh_from_db()
    assert letter.attempts == 1
    client.force_login(owner)
    response = client.get(reverse("application-letter", args=[approved.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_business_cannot_download_the_letter(client, other_owner, approved):
    letters.render(ApprovalLetter.objects.get(application=approved).pk)
    client.force_login(other_owner)

    response = client.get(reverse("application-letter", args=[approved.pk]))

    assert response.status_code == 404
