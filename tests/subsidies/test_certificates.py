"""Award certificates: requested when the awarded list is published, rendered once by the
worker on the reports queue, read back from the PDF, downloaded by the business and staff."""

import subprocess

import pytest
from django.urls import reverse

from portal import outbox
from portal.models import OutboxMessage
from subsidies.documents import certificates
from subsidies.models import AwardCertificate
from subsidies.services import rewards
from tests.factories import make_business, make_premises
from tests.subsidies.scheme_builders import make_application, make_call

pytestmark = pytest.mark.django_db

PUBLISHED = "2026-11-17 10:00 +0800"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def call(programme_officer):
    scheme = make_call(
        "excellence-2026",
        title="2026 節能績優獎",
        criteria=[("saving", "Energy saved", 60), ("management", "Energy management", 40)],
    )
    scheme.reviewers.add(programme_officer)
    return scheme


def _scored(call, reviewer, business, value):
    application = make_application(call, make_premises(business), status="under_review")
    rewards.score_application(reviewer, application, {"saving": value, "management": value})
    return application


def _publish(call, programme_officer, administrator, business):
    business.name_zh = "臺北綠能股份有限公司"
    business.save()
    first = _scored(call, programme_officer, business, 95)
    second = _scored(call, programme_officer, make_business(), 80)
    third = _scored(call, programme_officer, make_business(), 50)
    publication = rewards.publish_awards(administrator, call, 2)
    return publication, first, second, third


@pytest.fixture
def published(call, programme_officer, administrator, business, time_machine):
    """Three scored entries, two awarded on 17 Nov 2026; the owner's business ranks first."""
    time_machine.move_to(PUBLISHED)
    return _publish(call, programme_officer, administrator, business)


@pytest.fixture
def published_now(call, programme_officer, administrator, business):
    """The same, published now (the outbox's messages are due at once)."""
    return _publish(call, programme_officer, administrator, business)


def pdf_text(certificate: AwardCertificate, tmp_path) -> str:
    """Return the stored PDF's text as poppler's pdftotext reads it.

    pdftotext drops the narrow spaces between CJK characters and digits (第 1 名 reads
    第1名), so spaces next to CJK characters are not compared.
    """
    path = tmp_path / "certificate.pdf"
    with certificate.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_publishing_requests_one_certificate_per_awarded_application(published):
    publication, first, second, _third = published

    rows = AwardCertificate.objects.order_by("rank")

    assert [(c.application_id, c.rank, c.status) for c in rows] == [
        (first.pk, 1, "pending"),
        (second.pk, 2, "pending"),
    ]
    assert all(c.publication == publication and c.language == "zh-hant" for c in rows)
    assert rows[0].certificate_number == f"TPE-EC-A-2026-{first.pk:07d}"
    messages = OutboxMessage.objects.filter(topic=certificates.RENDER_TOPIC)
    assert sorted(m.payload["certificate"] for m in messages) == sorted(c.pk for c in rows)
    assert certificates.RENDER_TOPIC in outbox.topics_of("reports")


def test_the_chinese_certificate_names_the_business_the_call_the_rank_and_the_date(
    published, tmp_path
):
    _publication, first, _second, _third = published
    certificate = AwardCertificate.objects.get(application=first)

    assert certificates.render(certificate.pk) == "ready"

    certificate.refresh_from_db()
    text = pdf_text(certificate, tmp_path)
    assert "獎狀" in text
    assert "臺北綠能股份有限公司" in text
    assert "2026 節能績優獎" in text
    assert "第1名" in text.replace(" ", "")
    assert "中華民國115年11月17日" in text
    assert certificate.certificate_number in text
    assert first.business.ubn in text


def test_the_second_place_certificate_says_second(published, tmp_path):
    _publication, _first, second, _third = published
    certificate = AwardCertificate.objects.get(application=second)
    certificates.render(certificate.pk)
    certificate.refresh_from_db()

    assert "第2名" in pdf_text(certificate, tmp_path).replace(" ", "")
    assert "第 2 名" in certificates.certificate_data(certificate.pk)["rank"]


def test_the_english_certificate_says_the_place_and_the_prize(
    administrator, programme_officer, business, time_machine
):
    time_machine.move_to(PUBLISHED)
    call = make_call("prize-call", award_amount_ntd=100_000, budget_ntd=1_000_000)
    call.reviewers.add(programme_officer)
    application = make_application(call, make_premises(business), status="under_review")
    rewards.score_application(programme_officer, application, {"saving": 90})
    publication = rewards.publish_awards(administrator, call, 1)

    english = certificates.request_certificate(publication, application, "en")
    html = certificates.render_html(certificates.certificate_data(english.pk))
    chinese = AwardCertificate.objects.get(application=application, language="zh-hant")
    chinese_html = certificates.render_html(certificates.certificate_data(chinese.pk))

    assert "Certificate of Award" in html
    assert "1st place" in html
    assert "NT$100,000" in html
    assert "Nov. 17, 2026" in html
    # A translation of the same certificate: the Chinese original's number, marked as such.
    assert english.certificate_number == chinese.certificate_number
    assert english.certificate_number in html
    assert "Translation of the official document in Chinese" in html
    assert "Translation of the official document" not in chinese_html
    assert "新臺幣 100,000 元" in chinese_html


def test_the_worker_renders_a_certificate_once(published_now):
    _publication, first, _second, _third = published_now

    delivered = outbox.deliver("reports")
    again = certificates.render(AwardCertificate.objects.get(application=first).pk)

    assert delivered == 2
    assert again == "ready"
    rows = AwardCertificate.objects.all()
    assert {c.status for c in rows} == {"ready"}
    assert {c.attempts for c in rows} == {1}
    assert all(c.sha256 for c in rows)


def test_the_business_and_city_staff_download_the_certificate(
    client, owner, administrator, inspector, published
):
    _publication, first, _second, _third = published
    certificates.render(AwardCertificate.objects.get(application=first).pk)
    url = reverse("application-certificate", args=[first.pk])

    for user in (owner, administrator, inspector):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(owner)
    page = client.get(first.get_absolute_url()).content.decode()
    assert url in page  # "Download the award certificate (PDF)"


def test_another_business_cannot_download_the_certificate(client, other_owner, published):
    _publication, first, _second, _third = published
    certificates.render(AwardCertificate.objects.get(application=first).pk)
    client.force_login(other_owner)

    response = client.get(reverse("application-certificate", args=[first.pk]))

    assert response.status_code == 404


def test_no_certificate_for_an_application_not_awarded(client, administrator, published):
    _publication, _first, _second, third = published
    client.force_login(administrator)

    response = client.get(reverse("application-certificate", args=[third.pk]))

    assert response.status_code == 404
    assert not AwardCertificate.objects.filter(application=third).exists()
