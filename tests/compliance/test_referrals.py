"""Art. 11 referrals: suppliers file them, administrators match, close or target them.

Targeting (an inspection is planned) is in tests/inspections/test_referral_targets.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.energy.services import referrals
from compliance.models import ReferralStatus, SupplierReferral
from portal.choices import AuditAction, Role
from portal.models import AuditEntry
from tests.compliance.referral_builders import make_account, make_referral
from tests.factories import make_business, make_premises

pytestmark = pytest.mark.django_db

FILED = {
    "customer_name": "好運餐廳",
    "address": "臺北市大安區復興南路一段100號",
    "equipment_kind": "lighting",
    "description": "Incandescent lamps in the dining room.",
    "seen_on": date(2026, 3, 2),
    "urged_on": date(2026, 3, 3),
}


def _form_data(**overrides) -> dict:
    data = {key: str(value) for key, value in FILED.items()}
    return {**data, **overrides}


def _audit_of(referral) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="compliance.supplierreferral", object_id=str(referral.pk)
        ).order_by("id")
    )


@pytest.fixture
def second_supplier(make_user):
    return make_user("supplier2", Role.ENERGY_SUPPLIER)


# --- Filing -------------------------------------------------------------------------------


def test_a_supplier_files_a_referral_that_waits_for_the_citys_decision(supplier):
    referral = referrals.file_referral(supplier, **FILED)

    referral.refresh_from_db()
    assert referral.supplier == supplier
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.premises is None
    assert referral.urged_on == date(2026, 3, 3)
    (entry,) = _audit_of(referral)
    assert entry.actor == supplier
    assert entry.action == AuditAction.CREATE
    assert entry.changes["customer_name"] == [None, "好運餐廳"]


def test_naming_its_own_matched_account_takes_the_premises_from_the_account(supplier, premises):
    account = make_account(supplier, premises)

    referral = referrals.file_referral(supplier, account=account, **FILED)

    assert referral.account == account
    assert referral.premises == premises
    assert _audit_of(referral)[0].business_id == premises.business_id


def test_an_own_account_not_yet_matched_leaves_the_premises_to_the_city(supplier):
    account = make_account(supplier)

    referral = referrals.file_referral(supplier, account=account, **FILED)

    assert referral.account == account
    assert referral.premises is None


def test_another_suppliers_account_is_refused_on_the_account_field(
    supplier, second_supplier, premises
):
    foreign = make_account(second_supplier, premises, number="THEIRS-1")

    with pytest.raises(ValidationError) as refused:
        referrals.file_referral(supplier, account=foreign, **FILED)

    assert refused.value.message_dict == {"account": ["Choose one of your own customer accounts."]}
    assert not SupplierReferral.objects.exists()
    assert not AuditEntry.objects.filter(object_type="compliance.supplierreferral").exists()


def test_urging_the_customer_before_the_visit_is_refused_on_the_urged_day(supplier):
    with pytest.raises(ValidationError) as refused:
        referrals.file_referral(supplier, **{**FILED, "urged_on": date(2026, 3, 1)})

    assert refused.value.message_dict == {
        "urged_on": ["The customer cannot be urged before the visit."]
    }
    assert not SupplierReferral.objects.exists()


def test_days_in_the_future_and_missing_facts_are_refused_each_on_its_field(supplier):
    tomorrow = timezone.localdate() + timedelta(days=1)
    fields = {**FILED, "seen_on": tomorrow, "urged_on": tomorrow, "description": ""}

    with pytest.raises(ValidationError) as refused:
        referrals.file_referral(supplier, **fields)

    errors = refused.value.message_dict
    assert errors["seen_on"] == ["The day cannot be in the future."]
    assert errors["urged_on"] == ["The day cannot be in the future."]
    assert "description" in errors
    assert not SupplierReferral.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "administrator", "inspector"])
def test_only_energy_suppliers_file_referrals(persona, personas):
    with pytest.raises(PermissionDenied):
        referrals.file_referral(personas[persona], **FILED)
    assert not SupplierReferral.objects.exists()


# --- Closing and naming the premises ------------------------------------------------------


def test_an_administrator_closes_a_referral_saying_why_and_it_is_audited(supplier, administrator):
    referral = make_referral(supplier)

    referrals.close_referral(administrator, referral, "  The lamps were replaced already.  ")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.decided_by == administrator
    assert referral.decided_at is not None
    assert referral.decision_reason == "The lamps were replaced already."
    (entry,) = _audit_of(referral)
    assert entry.actor == administrator
    assert entry.changes == {"status": ["submitted", "closed"]}
    assert entry.reason == "The lamps were replaced already."


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_needs_a_reason(reason, supplier, administrator):
    referral = make_referral(supplier)

    with pytest.raises(ValidationError) as refused:
        referrals.close_referral(administrator, referral, reason)

    assert refused.value.message_dict == {"decision_reason": ["Say why the referral is closed."]}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert _audit_of(referral) == []


@pytest.mark.parametrize("status", [ReferralStatus.CLOSED, ReferralStatus.TARGETED])
def test_a_decided_referral_is_neither_closed_again_nor_given_a_premises(
    status, supplier, administrator, premises
):
    referral = make_referral(supplier, premises, status=status, decision_reason="Decided before.")

    with pytest.raises(ValidationError, match="Only a submitted referral can be closed"):
        referrals.close_referral(administrator, referral, "Again.")
    with pytest.raises(ValidationError, match="Only a submitted referral can be given a premises"):
        referrals.set_referral_premises(administrator, referral, make_premises(premises.business))

    referral.refresh_from_db()
    assert referral.status == status
    assert referral.premises == premises
    assert _audit_of(referral) == []


@pytest.mark.parametrize("persona", ["inspector", "supplier", "owner", "api_client"])
def test_only_administrators_decide(persona, personas, premises):
    referral = make_referral(personas["supplier"])

    with pytest.raises(PermissionDenied):
        referrals.close_referral(personas[persona], referral, "No.")
    with pytest.raises(PermissionDenied):
        referrals.set_referral_premises(personas[persona], referral, premises)

    referral.refresh_from_db()
    assert (referral.status, referral.premises) == (ReferralStatus.SUBMITTED, None)


def test_an_administrator_names_the_premises_of_an_unmatched_referral(
    supplier, administrator, premises
):
    referral = make_referral(supplier)

    referrals.set_referral_premises(administrator, referral, premises)

    referral.refresh_from_db()
    assert referral.premises == premises
    assert referral.status == ReferralStatus.SUBMITTED
    (entry,) = _audit_of(referral)
    assert entry.actor == administrator
    assert entry.changes == {"premises": [None, premises.pk]}
    assert entry.business_id == premises.business_id


# --- Pages --------------------------------------------------------------------------------


def test_a_supplier_files_through_the_form_choosing_among_its_own_accounts_only(
    client, supplier, second_supplier, premises
):
    own = make_account(supplier, premises, number="MINE-1")
    make_account(second_supplier, premises, number="THEIRS-1")
    client.force_login(supplier)
    url = reverse("referral-create")

    page = client.get(url).content.decode()
    assert "MINE-1" in page
    assert "THEIRS-1" not in page

    response = client.post(url, _form_data(account=str(own.pk)))

    referral = SupplierReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referral-detail", args=[referral.pk])
    assert (referral.supplier, referral.account, referral.premises) == (supplier, own, premises)


def test_another_suppliers_account_posted_anyway_is_refused_on_the_form(
    client, supplier, second_supplier
):
    foreign = make_account(second_supplier, number="THEIRS-1")
    client.force_login(supplier)

    response = client.post(reverse("referral-create"), _form_data(account=str(foreign.pk)))

    assert response.status_code == 200
    assert response.context["form"].errors["account"] == [
        "Choose one of your own customer accounts."
    ]
    assert not SupplierReferral.objects.exists()


def test_a_refused_form_shows_the_error_on_its_field_and_keeps_what_was_typed(client, supplier):
    client.force_login(supplier)

    response = client.post(reverse("referral-create"), _form_data(urged_on="2026-03-01"))

    assert response.status_code == 200
    assert response.context["form"].errors["urged_on"] == [
        "The customer cannot be urged before the visit."
    ]
    page = response.content.decode()
    assert 'value="好運餐廳"' in page
    assert "Incandescent lamps in the dining room." in page
    assert not SupplierReferral.objects.exists()


def test_a_supplier_lists_only_its_own_referrals(client, supplier, second_supplier):
    own = make_referral(supplier, customer_name="自己的客戶")
    make_referral(second_supplier, customer_name="別人的客戶")
    client.force_login(supplier)

    response = client.get(reverse("referral-list"))

    assert [r.pk for r in response.context["object_list"]] == [own.pk]
    assert "別人的客戶" not in response.content.decode()
    assert "supplier" not in response.context["filter_form"].fields
    other = SupplierReferral.objects.exclude(pk=own.pk).get()
    assert client.get(reverse("referral-detail", args=[other.pk])).status_code == 404


def test_city_staff_filter_every_referral_by_status_supplier_and_equipment(
    client, inspector, supplier, second_supplier
):
    lamps = make_referral(supplier)
    signboard = make_referral(second_supplier, equipment_kind="signboard")
    closed = make_referral(
        second_supplier, status=ReferralStatus.CLOSED, decision_reason="Replaced."
    )
    client.force_login(inspector)

    def listed(**query) -> set[int]:
        response = client.get(reverse("referral-list"), query)
        assert response.status_code == 200
        return {r.pk for r in response.context["object_list"]}

    assert listed() == {lamps.pk, signboard.pk, closed.pk}
    assert listed(status="submitted") == {lamps.pk, signboard.pk}
    assert listed(supplier=str(second_supplier.pk)) == {signboard.pk, closed.pk}
    assert listed(equipment_kind="signboard") == {signboard.pk}


@pytest.mark.parametrize("persona", ["administrator", "supplier"])
def test_the_referral_list_takes_the_same_queries_for_1_or_20_rows(
    persona, personas, client, premises, django_assert_num_queries
):
    supplier = personas["supplier"]
    make_referral(supplier, premises, account=make_account(supplier, premises))
    client.force_login(personas[persona])
    url = reverse("referral-list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        other = make_premises(make_business())
        make_referral(supplier, other, account=make_account(supplier, other, number=f"ACC-{n}"))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 20


def test_an_administrator_closes_a_referral_from_its_page(client, administrator, supplier):
    referral = make_referral(supplier)
    client.force_login(administrator)

    response = client.post(
        reverse("referral-close", args=[referral.pk]), {"reason": "Customer moved away."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("referral-detail", args=[referral.pk])
    referral.refresh_from_db()
    assert (referral.status, referral.decision_reason) == ("closed", "Customer moved away.")
    page = client.get(response["Location"]).content.decode()
    assert "Customer moved away." in page
    assert "Close the referral" not in page  # decided: no more decisions offered


def test_closing_without_a_reason_shows_the_page_again_with_the_error(
    client, administrator, supplier
):
    referral = make_referral(supplier)
    client.force_login(administrator)

    response = client.post(reverse("referral-close", args=[referral.pk]), {"reason": ""})

    assert response.status_code == 200
    assert response.context["close_form"].errors["reason"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_a_second_close_is_refused_with_the_reason_on_the_page(client, administrator, supplier):
    referral = make_referral(supplier, status=ReferralStatus.CLOSED, decision_reason="First.")
    client.force_login(administrator)

    response = client.post(reverse("referral-close", args=[referral.pk]), {"reason": "Second."})

    assert response.status_code == 200
    assert "Only a submitted referral can be closed." in response.content.decode()
    referral.refresh_from_db()
    assert referral.decision_reason == "First."


def test_an_administrator_names_the_premises_from_the_page_helped_by_the_address(
    client, administrator, supplier, business
):
    registered = make_premises(business, address="臺北市大安區復興南路一段100號1樓")
    referral = make_referral(supplier)
    client.force_login(administrator)
    url = reverse("referral-detail", args=[referral.pk])

    assert client.get(url).context["suggestions"] == [registered]

    unknown = client.post(reverse("referral-premises", args=[referral.pk]), {"premises": "999999"})
    assert unknown.status_code == 200
    assert unknown.context["premises_form"].errors["premises"] == ["There is no premises 999999."]

    response = client.post(
        reverse("referral-premises", args=[referral.pk]), {"premises": str(registered.pk)}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.premises == registered


@pytest.mark.parametrize("persona", ["supplier", "inspector", "api_client"])
def test_only_administrators_are_offered_the_decisions(persona, personas, client):
    referral = make_referral(personas["supplier"])
    client.force_login(personas[persona])

    response = client.get(reverse("referral-detail", args=[referral.pk]))

    assert response.status_code == 200
    assert not response.context["deciding"]
    assert "Close the referral" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("supplier", True), ("administrator", True), ("inspector", True), ("owner", False)],
)
def test_the_navigation_leads_suppliers_and_city_staff_to_the_referrals(
    persona, shown, personas, client
):
    client.force_login(personas[persona])

    page = client.get(reverse("home")).content.decode()

    assert (f'href="{reverse("referral-list")}"' in page) is shown


# --- API ----------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(**overrides) -> dict:
    return {**{key: str(value) for key, value in FILED.items()}, **overrides}


def test_a_supplier_files_a_referral_through_the_api(supplier, premises):
    account = make_account(supplier, premises)

    response = api_as(supplier).post(
        reverse("api:referral-list"), _payload(account=account.pk), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["premises"] == premises.pk
    assert body["account_number"] == account.account_number
    assert body["supplier"] == supplier.pk
    assert SupplierReferral.objects.get().premises == premises


def test_the_api_refuses_bad_input_with_field_errors_and_saves_nothing(supplier, second_supplier):
    foreign = make_account(second_supplier, number="THEIRS-1")
    payload = _payload(account=foreign.pk, urged_on="2026-03-01", equipment_kind="toaster")

    response = api_as(supplier).post(reverse("api:referral-list"), payload, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["account"] == ["Choose one of your own customer accounts."]
    assert "equipment_kind" in errors
    assert not SupplierReferral.objects.exists()

    payload = _payload(urged_on="2026-03-01")
    response = api_as(supplier).post(reverse("api:referral-list"), payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "urged_on": ["The customer cannot be urged before the visit."]
    }


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("supplier", {"own"}),
        ("administrator", {"own", "other"}),
        ("inspector", {"own", "other"}),
        ("api_client", {"own", "other"}),
        ("owner", set()),
        ("programme_officer", set()),
    ],
)
def test_the_api_lists_a_supplier_its_own_and_city_staff_every_referral(
    persona, sees, personas, second_supplier
):
    ids = {
        "own": make_referral(personas["supplier"]).pk,
        "other": make_referral(second_supplier).pk,
    }

    response = api_as(personas[persona]).get(reverse("api:referral-list"))

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {ids[name] for name in sees}


def test_the_api_closes_a_referral_with_a_reason_and_refuses_without(supplier, administrator):
    referral = make_referral(supplier)
    client = api_as(administrator)
    url = reverse("api:referral-close", args=[referral.pk])

    refused = client.post(url, {"reason": ""}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]

    response = client.post(url, {"reason": "Customer moved away."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["decision_reason"] == "Customer moved away."

    again = client.post(url, {"reason": "Twice."}, format="json")
    assert again.status_code == 400
    assert "Only a submitted referral can be closed." in str(again.json()["errors"])


def test_the_api_names_the_premises_of_a_referral(supplier, administrator, premises):
    referral = make_referral(supplier)
    url = reverse("api:referral-premises", args=[referral.pk])

    response = api_as(administrator).post(url, {"premises": premises.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["premises"] == premises.pk
    assert response.json()["business"] == premises.business_id
    unknown = api_as(administrator).post(url, {"premises": 999999}, format="json")
    assert unknown.status_code == 400
    assert "premises" in unknown.json()["errors"]


@pytest.mark.parametrize("persona", ["administrator", "supplier"])
def test_the_referral_endpoint_takes_the_same_queries_for_1_or_20_rows(
    persona, personas, premises, django_assert_num_queries
):
    supplier = personas["supplier"]
    make_referral(supplier, premises, account=make_account(supplier, premises))
    client = api_as(personas[persona])
    url = reverse("api:referral-list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        other = make_premises(make_business())
        make_referral(supplier, other, account=make_account(supplier, other, number=f"ACC-{n}"))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.json()["results"]) == 20
