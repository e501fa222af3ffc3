"""CSV exports of the enforcement lists: visibility, filters, Excel-friendly and safe cells."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import ViolationStatus
from compliance.enforcement.services import violations as services
from compliance.models import Violation
from tests.enforcement.builders import FINED_ON, FOUND, fined_violation, matrix_objects
from tests.factories import make_premises, make_violation

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
EXPORTS = ["violations", "fines", "payments", "appeals"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def download(client, kind: str, **query) -> list[list[str]]:
    """Return the export's rows (the heading first), checking it is an Excel-ready CSV."""
    response = client.get(reverse(f"enforcement-{kind}-export"), query)
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="enforcement-{kind}-{TODAY:%Y%m%d}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def first_column(rows: list[list[str]]) -> list[int]:
    return [int(row[0]) for row in rows[1:]]


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_business_exports_only_its_own_rows(
    client, kind, owner, premises, other_owner, other_premises
):
    own = matrix_objects(premises, owner)
    matrix_objects(other_premises, other_owner)
    client.force_login(owner)

    rows = download(client, kind)

    key = {"violations": "violation", "fines": "fine", "payments": "payment", "appeals": "appeal"}
    assert first_column(rows) == [own[key[kind]]]


@pytest.mark.parametrize("kind", EXPORTS)
def test_city_staff_export_every_business(
    client, kind, inspector, owner, premises, other_owner, other_premises
):
    matrix_objects(premises, owner)
    matrix_objects(other_premises, other_owner)
    client.force_login(inspector)

    assert len(download(client, kind)) == 3


@pytest.mark.parametrize("kind", EXPORTS)
def test_roles_outside_the_registry_get_only_the_heading(client, kind, supplier, owner, premises):
    matrix_objects(premises, owner)
    client.force_login(supplier)

    rows = download(client, kind)

    assert len(rows) == 1
    assert rows[0][0]


def test_violations_export_reads_like_the_list(client, inspector, premises, business):
    violation, _fine = fined_violation(premises)
    client.force_login(inspector)

    heading, row = download(client, "violations")

    record = dict(zip(heading, row, strict=True))
    assert record["Violation"] == str(violation.pk)
    assert record["Unified business number"] == business.ubn
    assert record["Business"] == business.name_zh
    assert record["District"] == premises.get_district_display()
    assert record["Article"] == "5-5"
    assert record["Status"] == "Fined"
    assert record["Found on"] == FOUND.isoformat()
    assert record["Deadline"] == violation.deadline.isoformat()
    assert record["Days left"] == str((violation.deadline - TODAY).days)
    assert record["Fines issued"] == "1"
    # The rule book by its published number, how it was found in words (no internal code).
    assert record["Rule book no."] == str(violation.rulebook_version.number)
    assert record["How it was found"] == "at an on-site inspection"


def test_fines_export_has_amounts_and_deadlines(client, administrator, premises):
    violation, fine = fined_violation(premises)
    client.force_login(administrator)

    heading, row = download(client, "fines")

    record = dict(zip(heading, row, strict=True))
    assert record["Decision number"] == fine.document_number
    assert record["Amount decided (NT$)"] == record["Amount due (NT$)"] == "10000"
    assert record["Nth fine"] == "1"
    assert record["Issued on"] == FINED_ON.isoformat()
    assert record["New deadline"] == violation.deadline.isoformat()
    assert record["Appeal until"] == fine.appeal_until.isoformat()


def test_violations_export_honours_status_article_district_and_dates(client, inspector, business):
    daan = make_premises(business, district="daan")
    wanted = make_violation(daan, "5-5", found_on=datetime.date(2026, 10, 1))
    make_violation(daan, "5-5", found_on=datetime.date(2026, 9, 1))
    make_violation(daan, "6-1", found_on=datetime.date(2026, 10, 1))
    make_violation(make_premises(business, district="xinyi"), "5-5", found_on=wanted.found_on)
    make_violation(daan, "5-5", found_on=wanted.found_on, status=ViolationStatus.CANCELLED)
    client.force_login(inspector)

    rows = download(
        client,
        "violations",
        status="open",
        article="5-5",
        district="daan",
        found_on_after="2026-09-15",
        found_on_before="2026-10-15",
    )

    assert first_column(rows) == [wanted.pk]


def test_violations_export_understands_the_list_page_filters(client, inspector, premises):
    overdue = make_violation(premises, "5-5", found_on=datetime.date(2026, 10, 1))
    make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 15))  # still running
    make_violation(premises, "5-5", found_on=datetime.date(2026, 9, 1))  # overdue, found earlier
    client.force_login(inspector)

    rows = download(
        client, "violations", overdue="on", found_from="2026-09-15", found_to="2026-10-31"
    )

    assert first_column(rows) == [overdue.pk]


def test_fines_export_honours_district_and_issue_dates(client, inspector, business):
    _v, wanted = fined_violation(make_premises(business, district="beitou"))
    fined_violation(make_premises(business, district="xinyi"))
    client.force_login(inspector)

    by_district = download(client, "fines", district="beitou")
    by_day = download(client, "fines", issued_on_after="2026-11-18")

    assert first_column(by_district) == [wanted.pk]
    assert first_column(by_day) == []


def test_payments_and_appeals_exports_honour_their_status(client, administrator, owner, premises):
    objects = matrix_objects(premises, owner)
    _v, fine = fined_violation(make_premises(premises.business))
    services.decide_payment(
        administrator,
        services.report_payment(owner, fine, amount_ntd=1, paid_on=TODAY, reference="R"),
        confirm=False,
        reason="No such transfer.",
    )
    client.force_login(administrator)

    assert first_column(download(client, "payments", status="reported")) == [objects["payment"]]
    assert len(download(client, "payments", status="rejected")) == 2
    assert first_column(download(client, "appeals", status="filed")) == [objects["appeal"]]
    assert first_column(download(client, "appeals", status="dismissed")) == []


def test_a_bad_filter_is_a_400_naming_it(client, inspector):
    client.force_login(inspector)

    response = client.get(reverse("enforcement-violations-export"), {"district": "atlantis"})

    assert response.status_code == 400
    assert b"district" in response.content


def test_cells_a_spreadsheet_would_run_are_neutralised(client, owner, business, administrator):
    premises = make_premises(business, name='=HYPERLINK("http://evil.example","x")')
    _violation, fine = fined_violation(premises)
    payment = services.report_payment(
        owner, fine, amount_ntd=10_000, paid_on=TODAY, reference="@SUM(1+1)"
    )
    services.decide_payment(administrator, payment, confirm=False, reason="+cmd|' /C calc'!A0")
    client.force_login(owner)

    violations = download(client, "violations")
    payments = download(client, "payments")

    premises_cell = violations[1][violations[0].index("Premises")]
    assert premises_cell == "'" + premises.name
    record = dict(zip(payments[0], payments[1], strict=True))
    assert record["Payment reference"] == "'@SUM(1+1)"
    assert record["Reason for the decision"].startswith("'+cmd")
    assert record["Premises"].startswith("'=")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("enforcement-fines-export"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def _queries(client, kind: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        download(client, kind)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["owner", "administrator"])
def test_every_export_costs_the_same_queries_for_one_row_and_for_many(
    client, persona, personas, owner, premises
):
    client.force_login(personas[persona])
    matrix_objects(premises, owner)
    one = {kind: _queries(client, kind) for kind in EXPORTS}
    for _ in range(4):
        matrix_objects(make_premises(premises.business), owner)

    many = {kind: _queries(client, kind) for kind in EXPORTS}

    assert Violation.objects.count() == 5
    assert many == one
