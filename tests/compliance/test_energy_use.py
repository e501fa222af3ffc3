"""The Art. 12 energy-use register: supplier import, matching, the register, its pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.energy.imports import (
    export_energy_use_csv,
    validate_energy_use_csv,
)
from compliance.energy.services import register
from compliance.energy.services.uploads import import_energy_use_csv
from compliance.models import EnergyUseBatch, MonthlyEnergyUse, SupplierAccount
from inspections.services.planning import TargetCriteria, select_targets
from portal.choices import Role
from tests.compliance.energy_use_builders import make_use
from tests.factories import make_business, make_premises

pytestmark = pytest.mark.django_db

HEADER = "account,energy_type,month,quantity,unit,premises_id\n"


def _errors(report):
    return {(error.line, error.column) for error in report.errors}


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_is_saved(supplier, premises):
    text = HEADER + (
        f"A-1,electricity,2026-01,60000,kwh,{premises.pk}\n"
        "A-2,steam,2026-01,10,kwh,\n"
        "A-3,electricity,2026-13,10,kwh,\n"
        "A-4,electricity,2026-02,-5,kwh,\n"
        "A-5,natural_gas,2026-02,10,kwh,\n"
        "A-6,electricity,2026-02,10,kwh,999999\n"
        f"A-1,electricity,2026-01,1,kwh,{premises.pk}\n"
        ",electricity,2026-02,abc,kwh,\n"
    )
    report = import_energy_use_csv(text, supplier)
    assert not report.committed
    assert _errors(report) == {
        (3, "energy_type"),
        (4, "month"),
        (5, "quantity"),
        (6, "unit"),
        (7, "premises_id"),
        (8, "month"),
        (9, "account"),
        (9, "quantity"),
    }
    assert not SupplierAccount.objects.exists()
    assert not MonthlyEnergyUse.objects.exists()


def test_a_missing_column_is_reported_on_the_header_line(supplier):
    report = validate_energy_use_csv(
        "account,energy_type,month,unit\nA,electricity,2026-01,kwh\n", supplier
    )
    assert _errors(report) == {(1, "quantity")}


def test_a_good_file_is_saved_whole_and_matches_accounts_to_premises(supplier, premises):
    text = HEADER + (
        f"A-1,electricity,2026-01,60000,kwh,{premises.pk}\n"
        "A-1,electricity,2026-02,40000,kwh,\n"
        "B-7,natural_gas,2026-01,12.5,m3,\n"
    )
    report = import_energy_use_csv(text, supplier)
    assert report.committed and report.created == 3 and report.new_accounts == 2
    assert report.unmatched == 1
    electricity = SupplierAccount.objects.get(account_number="A-1")
    assert electricity.premises == premises and electricity.supplier == supplier
    assert SupplierAccount.objects.get(account_number="B-7").premises is None
    assert MonthlyEnergyUse.objects.filter(account=electricity).count() == 2


def test_uploading_the_same_month_again_replaces_the_figure_and_keeps_the_match(
    supplier, premises, other_premises
):
    import_energy_use_csv(HEADER + f"A-1,electricity,2026-01,100,kwh,{premises.pk}\n", supplier)
    report = import_energy_use_csv(HEADER + "A-1,electricity,2026-01,250,kwh,\n", supplier)
    assert report.committed and report.updated == 1 and report.created == 0
    use = MonthlyEnergyUse.objects.get()
    assert use.quantity == Decimal("250.00") and use.account.premises == premises

    moved = import_energy_use_csv(
        HEADER + f"A-1,electricity,2026-02,1,kwh,{other_premises.pk}\n", supplier
    )
    assert _errors(moved) == {(2, "premises_id")}


def test_the_export_guards_cells_a_spreadsheet_would_run(supplier, premises):
    import_energy_use_csv(HEADER + "=HYPERLINK(1),electricity,2026-01,1,kwh,\n", supplier)
    text = export_energy_use_csv(MonthlyEnergyUse.objects.all())
    assert "'=HYPERLINK(1),electricity,2026-01,1.00,kwh," in text
    # and the exported file imports again as the same account
    again = import_energy_use_csv(text, supplier)
    assert again.committed and again.updated == 1


def test_a_premises_reaching_the_threshold_enters_the_register_one_below_does_not(
    supplier, business
):
    big = make_premises(business)
    small = make_premises(business)
    make_use(supplier, big, date(2026, 3, 1), "50000")  # the initial threshold: 50,000 kWh
    make_use(supplier, small, date(2026, 3, 1), "49999.99")
    entries = register.register_on(date(2026, 4, 15))
    assert [(e.premises, e.energy_type, e.month) for e in entries] == [
        (big, "electricity", date(2026, 3, 1))
    ]
    assert entries[0].threshold == Decimal("50000")
    assert register.register_premises_ids(date(2026, 4, 15)) == {big.pk}


def test_the_accounts_of_one_premises_are_summed_and_old_months_drop_out(supplier, premises):
    make_use(supplier, premises, date(2026, 3, 1), "30000", account_number="M1")
    make_use(supplier, premises, date(2026, 3, 1), "20000", account_number="M2")
    assert register.register_premises_ids(date(2026, 3, 31)) == {premises.pk}
    assert register.register_premises_ids(date(2027, 3, 1)) == set()  # 12 months later
    assert register.register_premises_ids(date(2026, 2, 28)) == set()  # before it happened


def test_an_unmatched_account_counts_once_an_administrator_matches_it(
    client, administrator, supplier, premises
):
    account = SupplierAccount.objects.create(
        supplier=supplier, account_number="X", energy_type="electricity"
    )
    MonthlyEnergyUse.objects.create(
        account=account, month=date(2026, 3, 1), quantity=60000, unit="kwh", uploaded_by=supplier
    )
    assert register.register_premises_ids(date(2026, 3, 1)) == set()
    client.force_login(administrator)
    page = client.get(reverse("energy-account-unmatched"))
    assert "X" in page.content.decode()
    response = client.post(
        reverse("energy-account-match", args=[account.pk]), {"premises": premises.pk}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.premises == premises and account.matched_at is not None
    assert register.register_premises_ids(date(2026, 3, 1)) == {premises.pk}


def test_a_supplier_sees_only_its_own_uploads(client, supplier, make_user, premises):
    rival = make_user("supplier2", Role.ENERGY_SUPPLIER)
    make_use(supplier, premises, date(2026, 1, 1), "1", account_number="MINE-1")
    make_use(rival, premises, date(2026, 1, 1), "1", account_number="THEIRS-1")
    assert set(
        MonthlyEnergyUse.objects.visible_to(supplier).values_list(
            "account__account_number", flat=True
        )
    ) == {"MINE-1"}
    client.force_login(supplier)
    content = client.get(reverse("energy-use-list")).content.decode()
    assert "MINE-1" in content and "THEIRS-1" not in content
    export = b"".join(client.get(reverse("energy-use-export")).streaming_content).decode()
    assert "MINE-1" in export and "THEIRS-1" not in export
    batch = EnergyUseBatch.objects.create(supplier=rival, content=HEADER)
    assert client.get(reverse("energy-use-upload-review", args=[batch.pk])).status_code == 404


def test_a_business_sees_its_premises_use_and_another_business_gets_404(
    client, owner, other_owner, supplier, premises
):
    make_use(supplier, premises, date(2026, 1, 1), "1234")
    url = reverse("premises-energy-use", args=[premises.pk])
    client.force_login(owner)
    assert "1,234" in client.get(url).content.decode()
    assert MonthlyEnergyUse.objects.visible_to(owner).count() == 1
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    assert MonthlyEnergyUse.objects.visible_to(other_owner).count() == 0


def test_a_supplier_uploads_checks_and_confirms_a_file(client, supplier, premises):
    client.force_login(supplier)
    upload = SimpleUploadedFile(
        "january.csv", (HEADER + f"A-1,electricity,2026-01,60000,kwh,{premises.pk}\n").encode()
    )
    response = client.post(reverse("energy-use-upload"), {"file": upload})
    batch = EnergyUseBatch.objects.get()
    assert response.url == reverse("energy-use-upload-review", args=[batch.pk])
    review = client.get(response.url)
    assert "Nothing has been saved yet" in review.content.decode()
    assert not MonthlyEnergyUse.objects.exists()
    assert client.post(response.url).status_code == 302
    assert MonthlyEnergyUse.objects.get().batch == batch
    # A second confirmation imports nothing twice.
    assert client.post(response.url).status_code == 404


def test_a_bad_upload_shows_every_error_and_saves_nothing(client, supplier):
    client.force_login(supplier)
    upload = SimpleUploadedFile("bad.csv", (HEADER + "A,steam,2026-1,x,kwh,\n").encode())
    review = client.get(client.post(reverse("energy-use-upload"), {"file": upload}).url)
    content = review.content.decode()
    assert "3 errors" in content
    assert client.post(review.request["PATH_INFO"]).status_code == 200
    assert not MonthlyEnergyUse.objects.exists()


def _register_page_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(reverse("energy-register") + "?on=2026-04-01")
    assert response.status_code == 200
    return response


def test_the_register_page_takes_the_same_queries_for_one_or_many_premises(
    client, administrator, supplier, business, django_assert_num_queries
):
    client.force_login(administrator)
    make_use(supplier, make_premises(business), date(2026, 3, 1), "70000")
    client.get(reverse("energy-register"))  # the published parameters are cached once read
    # session, user, published versions, the grouped register, the premises
    response = _register_page_queries(client, django_assert_num_queries, 5)
    assert len(response.context["entries"]) == 1
    other = make_business()
    for _n in range(5):
        make_use(supplier, make_premises(other, district="daan"), date(2026, 2, 1), "80000")
    response = _register_page_queries(client, django_assert_num_queries, 5)
    assert len(response.context["entries"]) == 6
    daan = client.get(reverse("energy-register") + "?on=2026-04-01&district=daan")
    assert len(daan.context["entries"]) == 5


def test_the_monthly_use_list_takes_the_same_queries_for_one_or_many_rows(
    client, supplier, business, django_assert_num_queries
):
    client.force_login(supplier)
    make_use(supplier, make_premises(business), date(2026, 1, 1), "1")
    with django_assert_num_queries(4) as one:
        client.get(reverse("energy-use-list"))
    for month in range(2, 10):
        make_use(supplier, make_premises(business), date(2026, month, 1), "1")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("energy-use-list"))


def test_the_monthly_use_list_pages_newest_month_first_without_gaps(client, supplier, premises):
    months = [date(2021 + index // 12, 1 + index % 12, 1) for index in range(60)]
    for month in months:
        make_use(supplier, premises, month, "1")
    client.force_login(supplier)

    first = client.get(reverse("energy-use-list"))
    html = first.content.decode()
    second = client.get(reverse("energy-use-list") + "?" + first.context["page"].next_query)

    shown = [use.month for use in first.context["object_list"]]
    shown += [use.month for use in second.context["object_list"]]
    assert shown == sorted(months, reverse=True)
    assert "60 monthly figures" in html
    assert not second.context["page"].has_next and second.context["page"].has_previous


def test_only_suppliers_upload_and_only_city_staff_read_the_register(client, owner, inspector):
    client.force_login(owner)
    assert client.get(reverse("energy-use-upload")).status_code == 403
    assert client.get(reverse("energy-register")).status_code == 403
    client.force_login(inspector)
    assert client.get(reverse("energy-register")).status_code == 200
    assert client.get(reverse("energy-account-unmatched")).status_code == 403


def test_the_register_feeds_the_published_inspection_targets(supplier, business):
    heavy = make_premises(business)  # a small retail shop: only its electricity use counts
    light = make_premises(business)
    make_use(supplier, heavy, date(2026, 3, 1), "50000")
    make_use(supplier, light, date(2026, 3, 1), "49999")
    selected = select_targets(TargetCriteria(published_criteria=True, on=date(2026, 4, 1)))
    assert set(selected) == {heavy}
