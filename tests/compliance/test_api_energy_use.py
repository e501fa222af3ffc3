"""The Art. 12 energy-use API: the register, monthly use, supplier accounts, CSV uploads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.energy.models.suppliers import DataOrderStatus
from compliance.energy.services import data_orders, register
from compliance.models import EnergyUseBatch, MonthlyEnergyUse, SupplierAccount
from portal.choices import AuditAction, Role
from portal.models import AuditEntry
from tests.compliance.energy_use_builders import make_use
from tests.factories import ensure_rulebook, make_business, make_premises

pytestmark = pytest.mark.django_db

HEADER = "account,energy_type,month,quantity,unit,premises_id\n"
UPLOADS = reverse("api:energy-use-upload-list")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


# The register.


def test_the_register_of_a_month_lists_the_premises_that_reached_the_threshold(
    inspector, supplier, business
):
    big = make_premises(business)
    small = make_premises(business)
    make_use(supplier, big, date(2026, 3, 1), "50000")  # the initial threshold: 50,000 kWh
    make_use(supplier, small, date(2026, 3, 1), "49999.99")

    body = api(inspector).get(reverse("api:energy-register-list"), {"month": "2026-03"}).json()

    assert body["month"] == "2026-03-01"
    assert body["count"] == 1
    [entry] = body["results"]
    assert entry["premises"] == big.pk
    assert entry["business"] == business.pk and entry["ubn"] == business.ubn
    assert entry["energy_type"] == "electricity" and entry["unit"] == "kwh"
    assert entry["latest_qualifying_month"] == "2026-03-01"
    assert Decimal(entry["highest_monthly_use"]) == Decimal("50000")
    assert Decimal(entry["threshold"]) == Decimal("50000")


def test_the_register_looks_back_twelve_months_from_the_month_asked(
    api_client_user, supplier, premises
):
    make_use(supplier, premises, date(2025, 4, 1), "70000")
    client = api(api_client_user)
    url = reverse("api:energy-register-list")

    assert client.get(url, {"month": "2026-03"}).json()["count"] == 1
    assert client.get(url, {"month": "2026-04"}).json()["count"] == 0  # thirteen months on
    assert client.get(url, {"month": "2025-03"}).json()["count"] == 0  # before it happened


def test_the_register_is_of_the_last_complete_month_by_default(
    inspector, supplier, business, time_machine
):
    time_machine.move_to("2026-05-03 10:00 +0800")
    april = make_premises(business)
    may = make_premises(business)
    make_use(supplier, april, date(2026, 4, 1), "60000")
    make_use(supplier, may, date(2026, 5, 1), "60000")  # the month is not over yet

    body = api(inspector).get(reverse("api:energy-register-list")).json()

    assert body["month"] == "2026-04-01"
    assert [entry["premises"] for entry in body["results"]] == [april.pk]


def test_the_register_is_filtered_by_district_industry_and_energy_type(inspector, supplier):
    shop = make_business(industry_code="4711")
    hotel = make_business(industry_code="5510")
    in_daan = make_premises(shop, district="daan")
    in_xinyi = make_premises(shop, district="xinyi")
    at_hotel = make_premises(hotel, district="daan")
    for premises in (in_daan, in_xinyi, at_hotel):
        make_use(supplier, premises, date(2026, 3, 1), "60000")
    make_use(supplier, at_hotel, date(2026, 3, 1), "12000", energy_type="natural_gas", unit="m3")
    client = api(inspector)
    url = reverse("api:energy-register-list")

    def listed(**params):
        body = client.get(url, {"month": "2026-03", **params}).json()
        return sorted((row["premises"], row["energy_type"]) for row in body["results"])

    assert listed(district="daan") == sorted(
        [(in_daan.pk, "electricity"), (at_hotel.pk, "electricity"), (at_hotel.pk, "natural_gas")]
    )
    assert listed(industry="55") == [(at_hotel.pk, "electricity"), (at_hotel.pk, "natural_gas")]
    assert listed(energy_type="natural_gas") == [(at_hotel.pk, "natural_gas")]
    assert listed(district="xinyi", industry="47") == [(in_xinyi.pk, "electricity")]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "March"}, "month"),
        ({"district": "atlantis"}, "district"),
        ({"industry": "47a"}, "industry"),
        ({"energy_type": "steam"}, "energy_type"),
    ],
)
def test_a_bad_register_query_is_a_400_naming_the_field(inspector, params, field):
    response = api(inspector).get(reverse("api:energy-register-list"), params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_register_pages_and_takes_the_same_queries_for_one_or_many_entries(
    inspector, supplier, business
):
    client = api(inspector)
    url = reverse("api:energy-register-list")
    make_use(supplier, make_premises(business), date(2026, 3, 1), "70000")
    client.get(url, {"month": "2026-03"})  # the published parameters are cached once read
    one = _queries(client, url, {"month": "2026-03"})
    for _n in range(6):
        make_use(supplier, make_premises(make_business()), date(2026, 2, 1), "80000")

    assert _queries(client, url, {"month": "2026-03", "page_size": 5}) == one
    first = client.get(url, {"month": "2026-03", "page_size": 5}).json()
    second = client.get(first["next"]).json()
    assert first["count"] == 7
    assert len(first["results"]) == 5 and len(second["results"]) == 2
    assert not {r["premises"] for r in first["results"]} & {
        r["premises"] for r in second["results"]
    }


@pytest.mark.parametrize("persona", ["owner", "supplier", "programme_officer"])
def test_only_city_staff_and_api_clients_read_the_register(persona, personas):
    response = api(personas[persona]).get(reverse("api:energy-register-list"))

    assert response.status_code == 403


# Monthly use.


def _listed_accounts(user, **params) -> set[str]:
    response = api(user).get(reverse("api:monthly-use-list"), params)
    assert response.status_code == 200, response.content
    return {row["account_number"] for row in response.json()["results"]}


def test_each_user_lists_the_monthly_use_they_may_see(
    supplier, make_user, owner, other_owner, inspector, api_client_user, premises, other_premises
):
    rival = make_user("supplier2", Role.ENERGY_SUPPLIER)
    make_use(supplier, premises, date(2026, 1, 1), "1", account_number="MINE")
    make_use(rival, other_premises, date(2026, 1, 1), "1", account_number="RIVALS")
    make_use(rival, None, date(2026, 1, 1), "1", account_number="UNMATCHED")

    assert _listed_accounts(supplier) == {"MINE"}
    assert _listed_accounts(rival) == {"RIVALS", "UNMATCHED"}
    assert _listed_accounts(owner) == {"MINE"}  # the owner's premises, whoever supplies it
    assert _listed_accounts(other_owner) == {"RIVALS"}
    assert (
        _listed_accounts(inspector)
        == _listed_accounts(api_client_user)
        == {
            "MINE",
            "RIVALS",
            "UNMATCHED",
        }
    )


def test_another_business_gets_404_for_a_monthly_figure_it_may_not_see(
    supplier, other_owner, premises
):
    use = make_use(supplier, premises, date(2026, 1, 1), "1")

    response = api(other_owner).get(reverse("api:monthly-use-detail", args=[use.pk]))

    assert response.status_code == 404


def test_a_monthly_figure_reads_with_its_account_supplier_and_premises(supplier, owner, premises):
    use = make_use(supplier, premises, date(2026, 1, 1), "1234.5", account_number="A-1")

    body = api(owner).get(reverse("api:monthly-use-detail", args=[use.pk])).json()

    assert body["account_number"] == "A-1" and body["energy_type"] == "electricity"
    assert body["premises"] == premises.pk and body["supplier"] == supplier.pk
    assert body["month"] == "2026-01-01" and body["quantity"] == "1234.50"
    assert body["unit"] == "kwh"


def test_monthly_use_is_filtered_by_premises_account_energy_type_and_months(
    inspector, supplier, business
):
    here, there = make_premises(business), make_premises(business)
    for month in (1, 2, 3, 4):
        make_use(supplier, here, date(2026, month, 1), "1", account_number="E-HERE")
    make_use(
        supplier,
        here,
        date(2026, 2, 1),
        "1",
        energy_type="natural_gas",
        unit="m3",
        account_number="G-HERE",
    )
    make_use(supplier, there, date(2026, 2, 1), "1", account_number="E-THERE")
    gas = SupplierAccount.objects.get(account_number="G-HERE")
    client = api(inspector)

    def months(**params):
        rows = client.get(reverse("api:monthly-use-list"), params).json()["results"]
        return sorted((row["account_number"], row["month"]) for row in rows)

    assert months(premises=here.pk, energy_type="electricity", month_from="2026-02") == [
        ("E-HERE", "2026-02-01"),
        ("E-HERE", "2026-03-01"),
        ("E-HERE", "2026-04-01"),
    ]
    assert months(month_from="2026-02", month_to="2026-02", premises=here.pk) == [
        ("E-HERE", "2026-02-01"),
        ("G-HERE", "2026-02-01"),
    ]
    assert months(account=gas.pk) == [("G-HERE", "2026-02-01")]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month_from": "2026-2"}, "month_from"),
        ({"month_from": "2026-05", "month_to": "2026-04"}, "month_to"),
        ({"energy_type": "steam"}, "energy_type"),
        ({"premises": "x"}, "premises"),
    ],
)
def test_a_bad_monthly_use_filter_is_a_400_naming_the_field(inspector, params, field):
    response = api(inspector).get(reverse("api:monthly-use-list"), params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("persona", ["supplier", "owner", "administrator"])
def test_the_monthly_use_list_takes_the_same_queries_for_few_or_many_rows(
    persona, personas, business
):
    supplier = personas["supplier"]
    client = api(personas[persona])
    url = reverse("api:monthly-use-list")
    make_use(supplier, make_premises(business), date(2026, 1, 1), "1")
    few = _queries(client, url, {"page_size": 100})
    for n in range(12):
        make_use(supplier, make_premises(business), date(2026, 1, 1), "1", account_number=f"N{n}")

    assert _queries(client, url, {"page_size": 100}) == few
    assert len(client.get(url, {"page_size": 100}).json()["results"]) == 13


# Supplier accounts and matching.


def test_each_user_lists_the_supplier_accounts_they_may_see(
    supplier, make_user, owner, other_owner, inspector, premises
):
    rival = make_user("supplier2", Role.ENERGY_SUPPLIER)
    make_use(supplier, premises, date(2026, 1, 1), "1", account_number="MINE")
    SupplierAccount.objects.create(supplier=rival, account_number="LOOSE", energy_type="lpg")

    def listed(user, **params):
        body = api(user).get(reverse("api:supplier-account-list"), params).json()
        return {row["account_number"] for row in body["results"]}

    assert listed(supplier) == {"MINE"}
    assert listed(rival) == {"LOOSE"}
    assert listed(owner) == {"MINE"}
    assert listed(other_owner) == set()
    assert listed(inspector) == {"MINE", "LOOSE"}
    assert listed(inspector, matched="false") == {"LOOSE"}
    assert listed(inspector, matched="true") == {"MINE"}
    assert listed(inspector, supplier=rival.pk) == {"LOOSE"}


def test_an_administrator_matches_an_account_and_the_register_counts_it(
    administrator, supplier, premises
):
    account = SupplierAccount.objects.create(
        supplier=supplier, account_number="X", energy_type="electricity"
    )
    MonthlyEnergyUse.objects.create(
        account=account, month=date(2026, 3, 1), quantity=60000, unit="kwh", uploaded_by=supplier
    )
    assert register.register_premises_ids(date(2026, 3, 1)) == set()

    response = api(administrator).post(
        reverse("api:supplier-account-match", args=[account.pk]),
        {"premises": premises.pk},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["premises"] == premises.pk
    assert response.json()["premises_name"] == premises.name
    account.refresh_from_db()
    assert account.premises == premises and account.matched_at is not None
    assert register.register_premises_ids(date(2026, 3, 1)) == {premises.pk}
    entry = AuditEntry.objects.get(object_type="compliance.supplieraccount")
    assert entry.actor == administrator
    assert entry.changes == {"premises": [None, premises.pk]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"premises": 987654321}, "There is no premises 987654321."),
        ({}, "This field is required."),
        ({"premises": "abc"}, "Incorrect type"),
    ],
)
def test_matching_to_a_premises_that_does_not_exist_is_a_400_and_changes_nothing(
    administrator, supplier, body, message
):
    account = SupplierAccount.objects.create(
        supplier=supplier, account_number="X", energy_type="electricity"
    )

    response = api(administrator).post(
        reverse("api:supplier-account-match", args=[account.pk]), body, format="json"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]["premises"]
    assert message in error
    account.refresh_from_db()
    assert account.premises is None and account.matched_at is None
    assert not AuditEntry.objects.filter(object_type="compliance.supplieraccount").exists()


def test_the_supplier_sees_its_account_but_may_not_match_it_and_a_business_gets_404(
    supplier, owner, premises
):
    account = SupplierAccount.objects.create(
        supplier=supplier, account_number="X", energy_type="electricity"
    )
    url = reverse("api:supplier-account-match", args=[account.pk])

    assert api(supplier).post(url, {"premises": premises.pk}, format="json").status_code == 403
    assert api(owner).post(url, {"premises": premises.pk}, format="json").status_code == 404
    account.refresh_from_db()
    assert account.premises is None


def test_the_supplier_account_list_takes_the_same_queries_for_few_or_many(
    inspector, supplier, business
):
    client = api(inspector)
    url = reverse("api:supplier-account-list")
    make_use(supplier, make_premises(business), date(2026, 1, 1), "1", account_number="A0")
    few = _queries(client, url, {"page_size": 100})
    for n in range(10):
        make_use(
            supplier, make_premises(business), date(2026, 1, 1), "1", account_number=f"A{n + 1}"
        )
        SupplierAccount.objects.create(supplier=supplier, account_number=f"U{n}", energy_type="lpg")

    assert _queries(client, url, {"page_size": 100}) == few


# Uploads.


def _csv_file(text: str, name: str = "march.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(user, text: str, *, dry_run: str | None, as_body: bool = False):
    url = UPLOADS if dry_run is None else f"{UPLOADS}?dry_run={dry_run}"
    client = api(user)
    if as_body:
        return client.post(url, text.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"file": _csv_file(text)}, format="multipart")


def _nothing_saved() -> bool:
    return not (
        SupplierAccount.objects.exists()
        or MonthlyEnergyUse.objects.exists()
        or EnergyUseBatch.objects.exists()
    )


def test_a_dry_run_answers_the_summary_and_planned_rows_and_saves_nothing(supplier, premises):
    make_use(supplier, premises, date(2026, 1, 1), "5", account_number="A-1")
    text = HEADER + (
        f"A-1,electricity,2026-01,60000,kwh,{premises.pk}\n"
        "A-1,electricity,2026-02,40000,kwh,\n"
        "B-7,natural_gas,2026-01,12.5,m3,\n"
    )

    response = _upload(supplier, text, dry_run="true")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["imported"] is False and body["upload"] is None
    assert body["summary"] == {
        "rows": 3,
        "created": 2,
        "updated": 1,
        "new_accounts": 1,
        "unmatched_accounts": 1,
    }
    assert body["rows"][0] == {
        "line": 2,
        "action": "update",
        "account": "A-1",
        "energy_type": "electricity",
        "month": "2026-01-01",
        "quantity": "60000.00",
        "unit": "kwh",
        "premises": premises.pk,
    }
    assert [row["action"] for row in body["rows"]] == ["update", "create", "create"]
    assert MonthlyEnergyUse.objects.get().quantity == Decimal("5")
    assert SupplierAccount.objects.count() == 1
    assert not EnergyUseBatch.objects.exists()


def test_without_dry_run_the_file_is_only_checked(supplier):
    response = _upload(supplier, HEADER + "A-1,electricity,2026-01,1,kwh,\n", dry_run=None)

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert _nothing_saved()


@pytest.mark.parametrize("as_body", [False, True], ids=["multipart", "text-csv-body"])
def test_an_import_saves_every_row_under_one_audited_upload(supplier, premises, as_body):
    text = HEADER + (
        f"A-1,electricity,2026-01,60000,kwh,{premises.pk}\nA-1,electricity,2026-02,40000,kwh,\n"
    )

    response = _upload(supplier, text, dry_run="false", as_body=as_body)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["imported"] is True and body["summary"]["created"] == 2
    batch = EnergyUseBatch.objects.get()
    assert body["upload"]["id"] == str(batch.pk) and body["upload"]["status"] == "imported"
    assert batch.committed_at is not None and batch.row_count == 2
    assert batch.filename == ("" if as_body else "march.csv")
    assert set(MonthlyEnergyUse.objects.values_list("batch", flat=True)) == {batch.pk}
    assert SupplierAccount.objects.get(account_number="A-1").premises == premises
    entry = AuditEntry.objects.get(object_type="compliance.energyusebatch")
    assert entry.actor == supplier and entry.action == AuditAction.IMPORT
    assert entry.changes["created"] == [None, 2]
    assert register.register_premises_ids(date(2026, 1, 31)) == {premises.pk}


BAD_FILE = HEADER + (
    "A-1,electricity,2026-01,60000,kwh,\n"
    "A-2,steam,2026-01,10,kwh,\n"
    "A-3,electricity,2026-13,10,kwh,\n"
    "A-4,electricity,2026-02,-5,kwh,\n"
    "A-5,natural_gas,2026-02,10,kwh,\n"
    "A-6,electricity,2026-02,10,kwh,999999\n"
    "A-1,electricity,2026-01,1,kwh,\n"
    ",electricity,2026-02,abc,kwh,\n"
)
BAD_CELLS = [
    (3, "energy_type"),
    (4, "month"),
    (5, "quantity"),
    (6, "unit"),
    (7, "premises_id"),
    (8, "month"),
    (9, "account"),
    (9, "quantity"),
]


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_bad_file_is_a_400_listing_every_bad_row_and_nothing_is_saved(supplier, dry_run):
    response = _upload(supplier, BAD_FILE, dry_run=dry_run)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The file has 8 errors; nothing was saved."
    assert [(e["line"], e["column"]) for e in body["row_errors"]] == BAD_CELLS
    assert all(error["message"] for error in body["row_errors"])
    assert len(body["errors"]["file"]) == 8
    assert body["errors"]["file"][0].startswith("Line 3, column energy_type: ")
    assert _nothing_saved()


def test_a_file_that_is_not_utf8_is_a_400_on_the_file(supplier):
    response = APIClient()
    response.force_authenticate(supplier)
    upload = SimpleUploadedFile(
        "big5.csv", (HEADER + "甲,electricity,2026-01,1,kwh,\n").encode("big5")
    )

    answer = response.post(f"{UPLOADS}?dry_run=false", {"file": upload}, format="multipart")

    assert answer.status_code == 400
    [error] = answer.json()["row_errors"]
    assert error["line"] == 2 and "UTF-8" in error["message"]
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "text/csv"),
        (b'{"file": "account,energy_type"}', "application/json"),
        (b"", "multipart/form-data; boundary=x"),
    ],
    ids=["empty-body", "json", "multipart-without-file"],
)
def test_a_request_without_a_csv_file_is_a_400_saying_how_to_send_one(
    supplier, content, content_type
):
    client = api(supplier)

    response = client.generic("POST", f"{UPLOADS}?dry_run=false", content, content_type)

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"]["file"]
    assert "text/csv" in message
    assert _nothing_saved()


def test_a_bad_dry_run_value_is_a_400_and_nothing_is_imported(supplier):
    response = _upload(supplier, HEADER + "A-1,electricity,2026-01,1,kwh,\n", dry_run="perhaps")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["dry_run"]
    assert _nothing_saved()


@pytest.mark.parametrize("persona", ["administrator", "inspector", "owner", "api_client"])
def test_only_energy_suppliers_upload(persona, personas):
    response = _upload(
        personas[persona], HEADER + "A-1,electricity,2026-01,1,kwh,\n", dry_run="false"
    )

    assert response.status_code == 403
    assert _nothing_saved()


def test_an_api_import_keeps_the_suppliers_unconfirmed_page_upload(client, supplier):
    client.force_login(supplier)
    page_upload = _csv_file(HEADER + "P-1,electricity,2026-01,1,kwh,\n", "page.csv")
    review_url = client.post(reverse("energy-use-upload"), {"file": page_upload}).url

    _upload(supplier, HEADER + "A-1,electricity,2026-01,1,kwh,\n", dry_run="false")

    assert client.post(review_url).status_code == 302  # the page upload is still confirmable
    assert set(SupplierAccount.objects.values_list("account_number", flat=True)) == {"A-1", "P-1"}


def test_uploads_are_listed_to_their_supplier_and_imported_ones_to_city_staff(
    supplier, make_user, owner, inspector, api_client_user, programme_officer
):
    rival = make_user("supplier2", Role.ENERGY_SUPPLIER)
    _upload(supplier, HEADER + "A-1,electricity,2026-01,1,kwh,\n", dry_run="false")
    _upload(rival, HEADER + "B-1,electricity,2026-01,1,kwh,\n", dry_run="false")
    pending = EnergyUseBatch.objects.create(supplier=supplier, filename="draft.csv", content=HEADER)
    imported = {b.supplier_id: str(b.pk) for b in EnergyUseBatch.objects.exclude(pk=pending.pk)}

    def listed(user):
        response = api(user).get(UPLOADS)
        assert response.status_code == 200
        return {row["id"]: row["status"] for row in response.json()["results"]}

    assert listed(supplier) == {imported[supplier.pk]: "imported", str(pending.pk): "pending"}
    assert listed(rival) == {imported[rival.pk]: "imported"}
    assert set(listed(inspector)) == set(listed(api_client_user)) == set(imported.values())
    assert listed(owner) == listed(programme_officer) == {}


def test_the_upload_list_takes_the_same_queries_for_few_or_many(supplier, inspector):
    def add(n):
        for _i in range(n):
            EnergyUseBatch.objects.create(
                supplier=supplier, content=HEADER, row_count=1, committed_at="2026-01-01T00:00Z"
            )

    add(1)
    few = {user: _queries(api(user), UPLOADS, {"page_size": 100}) for user in (supplier, inspector)}
    add(10)

    for user, count in few.items():
        assert _queries(api(user), UPLOADS, {"page_size": 100}) == count


def test_an_import_through_the_api_fulfils_the_data_order_it_completes(administrator, supplier):
    ensure_rulebook()
    order = data_orders.issue_order(
        administrator,
        supplier=supplier,
        energy_type="electricity",
        period_from=date(2026, 5, 1),
        period_to=date(2026, 7, 1),
        deadline=date(2026, 10, 1),
        today=date(2026, 9, 1),
    )
    text = HEADER + "".join(f"A-1,electricity,2026-0{m},1,kwh,\n" for m in (5, 6, 7))

    _upload(supplier, text, dry_run="true")
    order.refresh_from_db()
    assert order.status == DataOrderStatus.OPEN

    assert _upload(supplier, text, dry_run="false").status_code == 201
    order.refresh_from_db()
    assert order.status == DataOrderStatus.FULFILLED
