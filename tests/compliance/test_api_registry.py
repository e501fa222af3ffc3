"""The registry through the REST API: validation, ignored fields, claims and the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import ClaimStatus, EquipmentKind
from compliance.models import (
    AcMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.validators import is_valid_ubn
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import make_business, make_equipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fresh_ubn(start: int = 90000000) -> str:
    """Return a valid unified business number no factory hands out."""
    return next(u for u in (f"{n:08d}" for n in range(start, start + 100)) if is_valid_ubn(u))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def errors_of(response) -> dict:
    """Return the field errors of a 400 answer in the API's one error shape."""
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body["errors"]


def equipment_payload(premises, kind=EquipmentKind.AIR_CONDITIONER, **fields) -> dict:
    defaults = {
        EquipmentKind.AIR_CONDITIONER: {
            "ac_type": "split",
            "cooling_capacity_kw": "7.10",
            "efficiency_metric": "eer",
            "efficiency_value": "3.50",
            "installed_on": "2024-05-01",
        },
        EquipmentKind.SIGNBOARD: {"lamp_type": "led"},
    }[kind]
    return {"premises": premises.pk, "kind": kind, "tag": "AC-NEW", **defaults, **fields}


@pytest.fixture
def chiller(premises):
    return make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")


def ac_log_payload(chiller, **fields) -> dict:
    return {
        "equipment": chiller.pk,
        "month": "2024-03-01",
        "recorded_by": "陳志明",
        "ac_electricity_kwh": "12000.0",
        **fields,
    }


# Bad input: 400 with field errors, never 500, nothing saved.


def test_invalid_ubn_checksum_is_a_field_error(owner):
    payload = {
        "ubn": "12345678",
        "name_zh": "測試",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "王",
    }
    assert not is_valid_ubn("12345678")

    errors = errors_of(api(owner).post(reverse("api:business-list"), payload, format="json"))

    assert "check digit" in errors["ubn"][0]
    assert not Business.objects.filter(ubn="12345678").exists()


def test_registering_an_already_registered_ubn_suggests_a_claim(owner, other_business):
    payload = {
        "ubn": other_business.ubn,
        "name_zh": "冒名",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "王",
    }

    errors = errors_of(api(owner).post(reverse("api:business-list"), payload, format="json"))

    assert "claim it instead" in errors["ubn"][0]


def test_negative_capacity_is_refused_in_the_models_words(owner, premises):
    payload = equipment_payload(premises, cooling_capacity_kw="-5")

    errors = errors_of(api(owner).post(reverse("api:equipment-list"), payload, format="json"))

    assert errors["cooling_capacity_kw"] == ["Enter a value greater than zero."]
    assert not Equipment.objects.exists()


def test_implausible_eer_is_refused(owner, premises):
    payload = equipment_payload(premises, efficiency_value="42")

    errors = errors_of(api(owner).post(reverse("api:equipment-list"), payload, format="json"))

    assert "not plausible" in errors["efficiency_value"][0]
    assert not Equipment.objects.exists()


def test_attribute_required_for_the_kind_must_be_given(owner, premises):
    payload = equipment_payload(premises)
    del payload["ac_type"]

    errors = errors_of(api(owner).post(reverse("api:equipment-list"), payload, format="json"))

    assert errors["ac_type"][0].startswith("Required for")


def test_attribute_of_another_kind_must_stay_empty(owner, premises):
    payload = equipment_payload(premises, EquipmentKind.SIGNBOARD, fuel="coal")

    errors = errors_of(api(owner).post(reverse("api:equipment-list"), payload, format="json"))

    assert "leave it empty" in errors["fuel"][0]


def test_kind_change_through_patch_is_validated_against_the_stored_values(owner, premises):
    unit = make_equipment(premises, EquipmentKind.AIR_CONDITIONER)
    url = reverse("api:equipment-detail", kwargs={"pk": unit.pk})

    errors = errors_of(api(owner).patch(url, {"kind": "signboard"}, format="json"))

    assert "lamp_type" in errors
    unit.refresh_from_db()
    assert unit.kind == EquipmentKind.AIR_CONDITIONER


def test_malformed_json_is_a_400_not_a_500(owner):
    response = api(owner).generic(
        "POST", reverse("api:premises-list"), '{"name": "broken', content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("floor_area_m2", "lots"),
        ("floor_area_m2", "-3"),
        ("has_arcade", "perhaps"),
        ("district", "atlantis"),
        ("opens_at", "noon"),
        ("business", "first"),
        ("name", ["a", "list"]),
    ],
)
def test_wrong_types_are_field_errors(owner, business, field, value):
    payload = {
        "business": business.pk,
        "name": "門市",
        "kind": "business",
        "address": "臺北市",
        "district": "xinyi",
        "floor_area_m2": "50",
        field: value,
    }

    errors = errors_of(api(owner).post(reverse("api:premises-list"), payload, format="json"))

    assert field in errors
    assert not Premises.objects.exists()


def test_model_clean_runs_through_the_api(owner, business):
    payload = {
        "business": business.pk,
        "name": "門市",
        "kind": "business",
        "address": "臺北市",
        "district": "xinyi",
        "floor_area_m2": "50",
        "opens_at": "10:00",
    }

    errors = errors_of(api(owner).post(reverse("api:premises-list"), payload, format="json"))

    assert "closes_at" in errors


def test_duplicate_monthly_log_is_a_400_and_keeps_the_first(owner, chiller):
    client = api(owner)
    assert (
        client.post(reverse("api:ac-log-list"), ac_log_payload(chiller), format="json").status_code
        == 201
    )

    same_month = client.post(
        reverse("api:ac-log-list"), ac_log_payload(chiller, ac_electricity_kwh="1"), format="json"
    )
    same_month_other_day = client.post(
        reverse("api:ac-log-list"), ac_log_payload(chiller, month="2024-03-17"), format="json"
    )

    assert "already has a log for this month" in str(errors_of(same_month))
    assert errors_of(same_month_other_day)
    assert AcMonthlyLog.objects.get().ac_electricity_kwh == 12000


def test_log_month_is_stored_as_the_first_of_the_month(owner, chiller):
    response = api(owner).post(
        reverse("api:ac-log-list"), ac_log_payload(chiller, month="2024-04-20"), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["month"] == "2024-04-01"
    assert AcMonthlyLog.objects.get().month == date(2024, 4, 1)


def test_log_for_a_month_not_begun_is_refused(owner, chiller):
    errors = errors_of(
        api(owner).post(
            reverse("api:ac-log-list"), ac_log_payload(chiller, month="2999-01-01"), format="json"
        )
    )

    assert "month" in errors


def test_ac_log_for_a_boiler_is_refused(owner, premises):
    boiler = make_equipment(premises, EquipmentKind.BOILER)

    errors = errors_of(
        api(owner).post(reverse("api:ac-log-list"), ac_log_payload(boiler), format="json")
    )

    assert "equipment" in errors
    assert not AcMonthlyLog.objects.exists()


def test_duplicate_tag_in_a_premises_is_a_400(owner, premises):
    make_equipment(premises, EquipmentKind.SIGNBOARD, tag="SB-1")

    errors = errors_of(
        api(owner).post(
            reverse("api:equipment-list"),
            equipment_payload(premises, EquipmentKind.SIGNBOARD, tag="SB-1"),
            format="json",
        )
    )

    assert "already has equipment with this tag" in str(errors)


# Fields a role may not set are ignored even when posted.


def test_posted_ids_and_timestamps_are_ignored(owner, business):
    payload = {
        "id": 999999,
        "business": business.pk,
        "name": "門市",
        "kind": "business",
        "address": "臺北市",
        "district": "xinyi",
        "floor_area_m2": "50",
        "created_at": "2001-01-01T00:00:00Z",
        "updated_at": "2001-01-01T00:00:00Z",
    }

    response = api(owner).post(reverse("api:premises-list"), payload, format="json")

    assert response.status_code == 201, response.content
    created = Premises.objects.get()
    assert created.pk != 999999
    assert created.created_at.year > 2001
    assert response.json()["id"] == created.pk


def test_posted_claim_decision_and_claimant_are_ignored(owner, other_owner, administrator):
    target = make_business()
    payload = {
        "business": target.pk,
        "evidence": "店長",
        "status": ClaimStatus.APPROVED,
        "decided_by": administrator.pk,
        "decided_at": "2024-01-01T00:00:00Z",
        "decision_reason": "ok",
        "user": other_owner.pk,
    }

    response = api(owner).post(reverse("api:claim-list"), payload, format="json")

    assert response.status_code == 201, response.content
    claim = BusinessClaim.objects.get()
    assert claim.user == owner
    assert claim.status == ClaimStatus.PENDING
    assert claim.decided_by is None and claim.decided_at is None and not claim.decision_reason
    assert not BusinessMembership.objects.filter(business=target).exists()


def test_ubn_of_a_registered_business_cannot_be_changed(owner, business):
    url = reverse("api:business-detail", kwargs={"pk": business.pk})
    original = business.ubn

    response = api(owner).patch(url, {"ubn": fresh_ubn(), "name_zh": "新名"}, format="json")

    assert response.status_code == 200, response.content
    business.refresh_from_db()
    assert business.ubn == original
    assert business.name_zh == "新名"


def test_computed_business_of_equipment_cannot_be_set(owner, premises, other_business):
    unit = make_equipment(premises, EquipmentKind.SIGNBOARD)
    url = reverse("api:equipment-detail", kwargs={"pk": unit.pk})

    response = api(owner).patch(url, {"business": other_business.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["business"] == premises.business_id


# Businesses, claims and memberships.


def test_business_user_who_registers_a_business_acts_for_it(owner):
    payload = {
        "ubn": fresh_ubn(),
        "name_zh": "新商行",
        "sector": "industry",
        "industry_code": "2599",
        "responsible_person": "林",
    }

    response = api(owner).post(reverse("api:business-list"), payload, format="json")

    assert response.status_code == 201, response.content
    business = Business.objects.get(ubn=payload["ubn"])
    assert list(business.memberships.values_list("user", flat=True)) == [owner.pk]
    detail = api(owner).get(reverse("api:business-detail", kwargs={"pk": business.pk}))
    assert detail.status_code == 200


def test_administrator_who_registers_a_business_does_not_become_a_member(administrator):
    payload = {
        "ubn": fresh_ubn(),
        "name_zh": "市府登記",
        "sector": "commerce",
        "industry_code": "4711",
        "responsible_person": "林",
    }

    response = api(administrator).post(reverse("api:business-list"), payload, format="json")

    assert response.status_code == 201
    assert not BusinessMembership.objects.exists()


def test_claim_by_ubn_then_approval_lets_the_claimant_see_the_business(owner, administrator):
    target = make_business()
    detail = reverse("api:business-detail", kwargs={"pk": target.pk})
    assert api(owner).get(detail).status_code == 404

    claimed = api(owner).post(
        reverse("api:claim-list"), {"ubn": target.ubn, "evidence": "負責人之子"}, format="json"
    )
    assert claimed.status_code == 201, claimed.content
    assert claimed.json()["business"] == target.pk
    decide = reverse("api:claim-decide", kwargs={"pk": claimed.json()["id"]})
    decided = api(administrator).post(decide, {"approve": True, "reason": "已查核"}, format="json")

    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == ClaimStatus.APPROVED
    assert decided.json()["decided_by"] == administrator.pk
    assert api(owner).get(detail).status_code == 200


def test_rejected_claim_gives_no_access(owner, administrator):
    target = make_business()
    claim = BusinessClaim.objects.create(user=owner, business=target, evidence="x")

    response = api(administrator).post(
        reverse("api:claim-decide", kwargs={"pk": claim.pk}),
        {"approve": False, "reason": "無法證明"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == ClaimStatus.REJECTED
    assert not BusinessMembership.objects.filter(user=owner, business=target).exists()


def test_deciding_twice_is_a_400(owner, administrator):
    claim = BusinessClaim.objects.create(user=owner, business=make_business(), evidence="x")
    url = reverse("api:claim-decide", kwargs={"pk": claim.pk})
    api(administrator).post(url, {"approve": False, "reason": "no"}, format="json")

    errors = errors_of(
        api(administrator).post(url, {"approve": True, "reason": "yes"}, format="json")
    )

    assert "already been decided" in str(errors)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"approve": True, "reason": ""}, "reason"),
        ({"reason": "ok"}, "approve"),
        ({"approve": "perhaps", "reason": "ok"}, "approve"),
    ],
)
def test_decision_needs_a_verdict_and_a_reason(owner, administrator, payload, field):
    claim = BusinessClaim.objects.create(user=owner, business=make_business(), evidence="x")

    errors = errors_of(
        api(administrator).post(
            reverse("api:claim-decide", kwargs={"pk": claim.pk}), payload, format="json"
        )
    )

    assert field in errors
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_second_pending_claim_for_the_same_business_is_a_400(owner):
    target = make_business()
    BusinessClaim.objects.create(user=owner, business=target, evidence="x")

    errors = errors_of(
        api(owner).post(
            reverse("api:claim-list"), {"business": target.pk, "evidence": "again"}, format="json"
        )
    )

    assert "already waiting for a decision" in str(errors)
    assert BusinessClaim.objects.count() == 1


def test_claiming_a_business_one_already_acts_for_is_a_400(owner, business):
    errors = errors_of(
        api(owner).post(
            reverse("api:claim-list"), {"business": business.pk, "evidence": "x"}, format="json"
        )
    )

    assert "already act for" in str(errors)
    assert not BusinessClaim.objects.exists()


@pytest.mark.parametrize("ubn", ["99999999", "1234"])
def test_claiming_an_unknown_or_invalid_ubn_is_a_field_error(owner, ubn):
    errors = errors_of(
        api(owner).post(reverse("api:claim-list"), {"ubn": ubn, "evidence": "x"}, format="json")
    )

    assert "ubn" in errors


def test_claim_must_name_a_business(owner):
    errors = errors_of(api(owner).post(reverse("api:claim-list"), {"evidence": "x"}, format="json"))

    assert "business" in errors


# Deleting and the audit log.


def test_deleting_a_business_with_premises_is_a_clear_400(administrator, business, premises):
    response = api(administrator).delete(reverse("api:business-detail", kwargs={"pk": business.pk}))

    errors = errors_of(response)
    assert "cannot be deleted while it has premises" in str(errors)
    assert Business.objects.filter(pk=business.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_deleting_a_premises_removes_its_equipment(owner, premises, chiller):
    response = api(owner).delete(reverse("api:premises-detail", kwargs={"pk": premises.pk}))

    assert response.status_code == 204
    assert not Premises.objects.filter(pk=premises.pk).exists()
    assert not Equipment.objects.filter(pk=chiller.pk).exists()


def test_each_change_writes_one_audit_entry_with_before_and_after(owner, premises):
    url = reverse("api:premises-detail", kwargs={"pk": premises.pk})
    old_name = premises.name

    api(owner).patch(url, {"name": "信義旗艦店"}, format="json")

    entry = AuditEntry.objects.get(object_type="compliance.premises")
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == owner
    assert entry.business_id == premises.business_id
    assert entry.changes["name"] == [old_name, "信義旗艦店"]


def test_create_and_delete_are_each_audited_once(owner, premises):
    client = api(owner)
    created = client.post(
        reverse("api:equipment-list"),
        equipment_payload(premises, EquipmentKind.SIGNBOARD),
        format="json",
    )
    pk = created.json()["id"]
    client.delete(reverse("api:equipment-detail", kwargs={"pk": pk}))

    entries = AuditEntry.objects.filter(object_type="compliance.equipment", object_id=str(pk))
    assert sorted(entries.values_list("action", flat=True)) == [
        AuditAction.CREATE,
        AuditAction.DELETE,
    ]
