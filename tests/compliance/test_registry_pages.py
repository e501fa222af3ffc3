"""Business, claim and premises pages: what each user can see and change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from compliance.choices import ClaimStatus, District, EquipmentKind, PremisesKind
from compliance.models import Business, BusinessClaim, BusinessMembership, Premises
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises, valid_ubns

pytestmark = pytest.mark.django_db

PREMISES_POST = {
    "name": "信義旗艦店",
    "kind": PremisesKind.BUSINESS,
    "address": "臺北市信義區松高路11號",
    "district": District.XINYI,
    "category": "retail_shop",
    "floor_area_m2": "350.5",
    "opens_at": "10:00",
    "closes_at": "22:00",
    "opening_days": "Mon–Sun",
    "is_active": "on",
}


def test_owner_adds_premises_and_the_change_is_audited(client, owner, business):
    client.force_login(owner)
    response = client.post(reverse("premises-create"), {**PREMISES_POST, "business": business.pk})
    premises = Premises.objects.get(name="信義旗艦店")
    assert response.status_code == 302
    assert response.url == reverse("premises-detail", args=[premises.pk])
    assert premises.floor_area_m2 == Decimal("350.50")
    entry = AuditEntry.objects.get(object_type="compliance.premises", object_id=str(premises.pk))
    assert entry.actor == owner
    assert entry.action == "create"
    assert entry.business_id == business.pk
    assert entry.changes["name"] == [None, "信義旗艦店"]


def test_form_with_errors_keeps_what_was_typed(client, owner, business):
    client.force_login(owner)
    data = {**PREMISES_POST, "business": business.pk, "floor_area_m2": "-5"}
    response = client.post(reverse("premises-create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "信義旗艦店" in content
    assert "臺北市信義區松高路11號" in content
    assert 'value="-5"' in content
    assert response.context["form"].errors["floor_area_m2"]
    assert not Premises.objects.filter(name="信義旗艦店").exists()


def test_owner_cannot_add_premises_to_another_business(client, owner, other_business):
    client.force_login(owner)
    response = client.post(
        reverse("premises-create"), {**PREMISES_POST, "business": other_business.pk}
    )
    assert response.status_code == 200
    assert "business" in response.context["form"].errors
    assert not Premises.objects.filter(business=other_business).exists()


def test_owner_cannot_see_another_business_premises_by_guessing_ids(client, owner, other_premises):
    client.force_login(owner)
    for name in ("premises-detail", "premises-edit", "premises-delete"):
        assert client.get(reverse(name, args=[other_premises.pk])).status_code == 404
    assert client.post(reverse("premises-delete", args=[other_premises.pk])).status_code == 404
    assert Premises.objects.filter(pk=other_premises.pk).exists()


def test_owner_cannot_move_own_premises_to_another_business(
    client, owner, premises, other_business
):
    client.force_login(owner)
    data = {**PREMISES_POST, "business": other_business.pk}
    response = client.post(reverse("premises-edit", args=[premises.pk]), data)
    assert response.status_code == 200
    premises.refresh_from_db()
    assert premises.business_id != other_business.pk


def test_inspector_reads_every_premises_but_changes_none(client, inspector, premises):
    client.force_login(inspector)
    assert client.get(reverse("premises-detail", args=[premises.pk])).status_code == 200
    assert client.get(reverse("premises-edit", args=[premises.pk])).status_code == 403
    assert client.get(reverse("premises-create")).status_code == 403


def test_premises_list_shows_only_own_premises(client, owner, premises, other_premises):
    client.force_login(owner)
    response = client.get(reverse("premises-list"))
    listed = list(response.context["object_list"])
    assert listed == [premises]


def test_premises_list_filters_by_district(client, administrator, business):
    make_premises(business, name="A", district=District.BEITOU)
    make_premises(business, name="B", district=District.NEIHU)
    client.force_login(administrator)
    response = client.get(reverse("premises-list"), {"district": District.NEIHU})
    assert [p.name for p in response.context["object_list"]] == ["B"]


def test_premises_list_query_count_does_not_grow_with_rows(
    client, administrator, business, django_assert_max_num_queries
):
    client.force_login(administrator)

    def add(count):
        for _ in range(count):
            make_equipment(make_premises(business), EquipmentKind.LIGHTING)

    add(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("premises-list"))
    add(30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("premises-list"))
    assert len(response.context["object_list"]) == 33
    assert len(large.captured_queries) == len(small.captured_queries)


def test_premises_detail_shows_equipment_and_missing_logs(client, owner, premises):
    make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    client.force_login(owner)
    content = client.get(reverse("premises-detail", args=[premises.pk])).content.decode()
    assert "CH-1" in content and "DOOR-1" in content
    assert "badge bad" in content  # the chiller's recent months are not logged


def test_owner_registers_business_and_becomes_member(client, owner):
    client.force_login(owner)
    ubn = next(valid_ubns())
    response = client.post(
        reverse("business-create"),
        {
            "ubn": ubn,
            "name_zh": "好日子咖啡有限公司",
            "sector": "commerce",
            "industry_code": "5630",
            "responsible_person": "林美玲",
        },
    )
    business = Business.objects.get(ubn=ubn)
    assert response.status_code == 302
    assert BusinessMembership.objects.filter(user=owner, business=business).exists()


def test_registering_with_a_bad_checksum_explains_it(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("business-create"),
        {
            "ubn": "22099132",
            "name_zh": "錯號公司",
            "sector": "commerce",
            "industry_code": "4711",
            "responsible_person": "王",
        },
    )
    assert response.status_code == 200
    assert "22099132" in response.context["form"].errors["ubn"][0]
    assert "錯號公司" in response.content.decode()


def test_registering_an_existing_number_points_to_the_claim(client, owner, other_business):
    client.force_login(owner)
    response = client.post(
        reverse("business-create"),
        {
            "ubn": other_business.ubn,
            "name_zh": "冒名",
            "sector": "commerce",
            "industry_code": "4711",
            "responsible_person": "王",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ubn"]
    assert not BusinessMembership.objects.filter(user=owner, business=other_business).exists()


def test_claim_is_approved_by_an_administrator_with_a_reason(
    client, owner, administrator, other_business
):
    client.force_login(owner)
    response = client.post(
        reverse("claim-create"), {"ubn": other_business.ubn, "evidence": "I am the new manager."}
    )
    assert response.status_code == 302
    claim = BusinessClaim.objects.get(user=owner, business=other_business)
    # Until decided, the claimant sees nothing of the business.
    assert client.get(reverse("business-detail", args=[other_business.pk])).status_code == 404
    # Only administrators decide.
    assert (
        client.post(
            reverse("claim-decide", args=[claim.pk]), {"approve": "yes", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(administrator)
    response = client.post(
        reverse("claim-decide", args=[claim.pk]), {"approve": "yes", "reason": "Checked papers."}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by == administrator
    assert BusinessMembership.objects.filter(user=owner, business=other_business).exists()
    client.force_login(owner)
    assert client.get(reverse("business-detail", args=[other_business.pk])).status_code == 200


def test_decision_without_a_reason_is_refused(client, owner, administrator, other_business):
    claim = BusinessClaim.objects.create(user=owner, business=other_business, evidence="e")
    client.force_login(administrator)
    response = client.post(reverse("claim-decide", args=[claim.pk]), {"approve": "no"})
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_business_edit_records_before_and_after(client, owner, business):
    client.force_login(owner)
    data = {
        "name_zh": business.name_zh,
        "name_en": "New English Name",
        "sector": business.sector,
        "industry_code": business.industry_code,
        "responsible_person": "張三",
    }
    response = client.post(reverse("business-edit", args=[business.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="compliance.business").latest("id")
    assert entry.changes["responsible_person"] == ["王大明", "張三"]
    business.refresh_from_db()
    assert business.ubn  # the number itself cannot be edited from the page
    history = client.get(reverse("business-detail", args=[business.pk])).content.decode()
    assert "張三" in history


def test_home_shows_a_business_user_only_their_businesses(client, owner, business, other_business):
    client.force_login(owner)
    content = client.get(reverse("home")).content.decode()
    assert business.name_zh in content
    assert other_business.name_zh not in content


def test_interface_switches_between_chinese_and_english(client, owner, business):
    client.force_login(owner)
    chinese = client.get(reverse("premises-list"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert chinese.headers["Content-Language"] == "zh-hant"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/premises/"})
    assert response.status_code == 302
    english = client.get(reverse("premises-list"))
    assert english.headers["Content-Language"] == "en"
    assert "Add premises" in english.content.decode()


def test_removing_a_premises_audits_the_equipment_removed_with_it(client, owner, premises):
    item = make_equipment(premises, EquipmentKind.BOILER, tag="B-1")
    client.force_login(owner)
    response = client.post(reverse("premises-delete", args=[premises.pk]))
    assert response.status_code == 302
    assert not Premises.objects.filter(pk=premises.pk).exists()
    entry = AuditEntry.objects.get(object_type="compliance.equipment", object_id=str(item.pk))
    assert entry.action == "delete"
    assert entry.actor == owner
    assert entry.changes["tag"] == ["B-1", None]


def test_saving_without_changes_writes_no_audit_entry(owner, premises):
    from compliance.services import save_record

    before = AuditEntry.objects.count()
    save_record(owner, Premises.objects.get(pk=premises.pk))
    assert AuditEntry.objects.count() == before


def test_audit_compares_decimals_as_stored(owner, premises):
    from compliance.services import save_record

    premises.floor_area_m2 = Decimal("120.0")  # stored as 120.00: no change
    save_record(owner, premises)
    assert not AuditEntry.objects.filter(object_type="compliance.premises").exists()
    premises.floor_area_m2 = Decimal("130.5")
    save_record(owner, premises)
    entry = AuditEntry.objects.get(object_type="compliance.premises")
    assert entry.changes == {"floor_area_m2": ["120.00", "130.50"]}
