"""Amounts on the subsidy pages are written with thousands separators, in each language
as the enforcement documents write them (NT$100,000 / 新臺幣 100,000 元)."""

import pytest
from django.urls import reverse

from subsidies.services import applications as services
from tests.subsidies.scheme_builders import make_application, make_call, make_scheme
from tests.uploads import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(premises, programme_officer):
    scheme = make_scheme("lamps", budget_ntd=10_000_000)
    application = make_application(scheme, premises, status="under_review")
    return services.approve(programme_officer, application, 100_000)


def test_the_application_page_groups_every_amount(client, owner, approved):
    client.force_login(owner)

    page = client.get(approved.get_absolute_url()).content.decode()

    assert "NT$200,000" in page  # eligible cost
    assert "NT$100,000" in page  # eligible and approved amounts, and the timeline
    assert "200000" not in page
    assert "100000" not in page


def test_the_application_list_groups_the_amounts(client, owner, approved):
    client.force_login(owner)

    page = client.get(reverse("application-list")).content.decode()

    assert "NT$200,000" in page
    assert "NT$100,000" in page


def test_the_scheme_pages_group_the_budget_and_caps(client, owner, approved):
    client.force_login(owner)

    detail = client.get(approved.scheme.get_absolute_url()).content.decode()
    listing = client.get(reverse("scheme-list")).content.decode()

    assert "NT$10,000,000" in detail  # budget
    assert "NT$500,000" in detail  # cap per project
    assert "NT$9,900,000" in listing  # remaining budget
    assert "9900000" not in listing


def test_chinese_pages_write_amounts_as_the_documents_do(client, owner, approved):
    client.force_login(owner)

    page = client.get(approved.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hant")

    assert "新臺幣 100,000 元" in page.content.decode()


def test_the_eligibility_preview_groups_the_amount(client, owner, business, premises):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scheme = make_scheme("lamps")
    client.force_login(owner)

    preview = client.post(
        reverse("scheme-apply", args=[scheme.pk]),
        {
            "business": business.pk,
            "premises": premises.pk,
            "items": ["lamp_replacement"],
            "eligible_cost_ntd": 2_000_000,
            "description": "LED",
            "idempotency_key": "k",
            "document_quotation": SimpleUploadedFile("q.pdf", PDF),
            "preview": "1",
        },
    ).content.decode()

    assert "Eligible: the scheme would pay NT$500,000." in preview


def test_the_awards_page_groups_the_prize(client, administrator):
    call = make_call("prizes", award_amount_ntd=100_000, budget_ntd=1_000_000)
    client.force_login(administrator)

    page = client.get(reverse("scheme-awards", args=[call.pk])).content.decode()

    assert "a prize of NT$100,000" in page
    assert "NT$1,000,000 left" in page
