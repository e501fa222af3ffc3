"""Data order pages and API, and an Art. 18 case on the enforcement pages and exports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.enforcement.services import sweep
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import DataOrder, DataOrderStatus, Violation
from portal import outbox
from tests.deciding import decide_and_serve
from tests.enforcement.data_order_builders import make_order

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def first_of_last_month() -> datetime.date:
    return (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def order(supplier):
    supplier.display_name = "臺北能源股份有限公司"
    supplier.save()
    return make_order(
        supplier,
        today=today(),
        period_from=first_of_last_month(),
        period_to=first_of_last_month(),
        deadline=today() + datetime.timedelta(days=20),
    )


@pytest.fixture
def case(supplier):
    """An Art. 18 case: an order missed, its fine proposed by the sweep, decided and served."""
    supplier.display_name = "臺北能源股份有限公司"
    supplier.save()
    late = make_order(
        supplier, today=datetime.date(2026, 9, 1), deadline=datetime.date(2026, 9, 30)
    )
    sweep.sweep(datetime.date(2026, 10, 1))
    decide_and_serve(datetime.date(2026, 10, 1))
    outbox.deliver("celery")
    late.refresh_from_db()
    return late.violation


def test_an_administrator_orders_data_on_the_page(client, administrator, supplier):
    client.force_login(administrator)
    month = f"{first_of_last_month():%Y-%m}"
    # A Saturday: APA Art. 48 ends the period on the next working day, Monday.
    deadline = today() + datetime.timedelta(days=14)
    deadline += datetime.timedelta(days=(5 - deadline.weekday()) % 7)
    response = client.post(
        reverse("data-order-create"),
        {
            "supplier": supplier.pk,
            "energy_type": "natural_gas",
            "period_from": month,
            "period_to": month,
            "deadline": deadline.isoformat(),
            "instructions": "Every customer in Taipei.",
        },
    )
    order = DataOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("data-order-detail", args=[order.pk])
    assert (order.energy_type, order.period_from, order.deadline) == (
        "natural_gas",
        first_of_last_month(),
        calendar_for(deadline).next_working_day(deadline),
    )
    assert order.deadline.weekday() < 5 and order.deadline >= deadline + datetime.timedelta(2)
    page = client.get(response["Location"]).content.decode()
    assert order.number in page
    assert first_of_last_month().strftime("%Y-%m") in page  # the month still missing


def test_a_bad_order_shows_the_error_and_keeps_what_was_typed(client, administrator, supplier):
    client.force_login(administrator)
    response = client.post(
        reverse("data-order-create"),
        {
            "supplier": supplier.pk,
            "energy_type": "electricity",
            "period_from": "2026-03",
            "period_to": "2026-02",
            "deadline": "2020-01-01",
            "instructions": "Keep me",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"period_to", "deadline"}
    page = response.content.decode()
    assert "Keep me" in page and 'value="2026-03"' in page
    # The error summary at the top links to each refused field.
    summary = page[page.index("data-error-summary-box") :]
    summary = summary[: summary.index("</ul>")]
    assert 'href="#id_period_to"' in summary and 'href="#id_deadline"' in summary
    assert not DataOrder.objects.exists()


def test_a_supplier_sees_its_own_orders_only(client, order, make_user):
    other = make_user("supplier2", "energy_supplier")
    client.force_login(other)
    assert client.get(reverse("data-order-detail", args=[order.pk])).status_code == 404
    assert order.number not in client.get(reverse("data-order-list")).content.decode()
    client.force_login(order.supplier)
    page = client.get(reverse("data-order-list")).content.decode()
    assert order.number in page


def test_an_administrator_cancels_with_a_reason_or_is_told_why_not(client, administrator, order):
    client.force_login(administrator)
    url = reverse("data-order-cancel", args=[order.pk])
    refused = client.post(url, {"cancel-reason": ""})
    assert refused.status_code == 400
    assert refused.context["cancel_form"].errors
    done = client.post(url, {"cancel-reason": "Sent to the wrong supplier."})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == DataOrderStatus.CANCELLED
    page = client.get(reverse("data-order-detail", args=[order.pk])).content.decode()
    assert "Sent to the wrong supplier." in page


def test_the_list_takes_the_same_queries_for_1_or_15_orders(
    client, administrator, order, django_assert_num_queries
):
    client.force_login(administrator)
    url = reverse("data-order-list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _n in range(14):
        make_order(
            order.supplier,
            today=today(),
            period_from=first_of_last_month(),
            period_to=first_of_last_month(),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 15


def test_the_art_18_case_reads_as_the_suppliers_on_the_violation_pages(client, case, supplier):
    client.force_login(supplier)
    detail = client.get(reverse("enforcement-violation-detail", args=[case.pk]))
    page = detail.content.decode()
    assert "臺北能源股份有限公司" in page
    assert case.data_order.number in page
    assert detail.context["evidence_form"] is None  # rectified by uploading the data
    assert "2026-05, 2026-06, 2026-07" in detail.context["finding_text"]
    fine = case.fines.get()
    assert any(f.pk == fine.pk for f in detail.context["fines"])
    listing = client.get(reverse("enforcement-violation-list")).content.decode()
    assert "臺北能源股份有限公司" in listing


def test_the_violation_export_names_the_supplier(client, administrator, case):
    client.force_login(administrator)
    response = client.get(reverse("enforcement-violations-export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    line = next(row for row in text.splitlines() if "臺北能源股份有限公司" in row)
    assert "12" in line


def test_the_api_orders_lists_and_refuses_bad_bodies(administrator, supplier, make_user):
    api = APIClient()
    api.force_authenticate(administrator)
    month = f"{first_of_last_month():%Y-%m}-01"
    bad = api.post(
        reverse("api:data-order-list"),
        {
            "supplier": supplier.pk,
            "energy_type": "electricity",
            "period_from": month,
            "period_to": month,
            "deadline": "2020-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "deadline" in bad.json()["errors"]
    created = api.post(
        reverse("api:data-order-list"),
        {
            "supplier": supplier.pk,
            "energy_type": "electricity",
            "period_from": month,
            "period_to": month,
            "deadline": (today() + datetime.timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "open"
    assert body["missing_months"] == [f"{first_of_last_month():%Y-%m}"]
    api.force_authenticate(supplier)
    assert [row["id"] for row in api.get(reverse("api:data-order-list")).json()["results"]] == [
        body["id"]
    ]
    api.force_authenticate(make_user("supplier2", "energy_supplier"))
    assert api.get(reverse("api:data-order-list")).json()["results"] == []
    assert api.get(reverse("api:data-order-detail", args=[body["id"]])).status_code == 404


def test_the_violation_api_names_the_supplier_of_an_art_18_case(case, supplier):
    api = APIClient()
    api.force_authenticate(supplier)
    rows = api.get(reverse("api:violation-list"), {"article": "12"}).json()["results"]
    assert [(row["supplier"], row["premises"], row["business"]) for row in rows] == [
        (supplier.pk, None, None)
    ]
    assert Violation.objects.get(pk=rows[0]["id"]).penalty_article == "18"
