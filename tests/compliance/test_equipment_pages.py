"""Equipment pages and the CSV import pages, as a business user and the other roles see them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import District, EquipmentKind
from compliance.models import AcMonthlyLog, Equipment, ImportBatch
from compliance.registry.forms.equipment import ATTRIBUTE_GROUPS
from compliance.registry.imports import COLUMNS
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db


def ac_form(premises, **values) -> dict:
    data = {
        "premises": premises.pk,
        "kind": "air_conditioner",
        "tag": "AC-01",
        "description": "Lobby unit",
        "ac_type": "split",
        "cooling_capacity_kw": "7.1",
        "efficiency_metric": "cspf",
        "efficiency_value": "5.2",
        "installed_on": "2024-05-01",
        # Nullable yes/no attributes post "unknown" when not used.
        "is_production_use": "unknown",
        "has_separate_meter": "unknown",
        "is_standby": "unknown",
    }
    data.update(values)
    return data


@pytest.fixture
def owner_client(client, owner, business):
    client.force_login(owner)
    return client


@pytest.fixture
def inspector_client(client, inspector):
    client.force_login(inspector)
    return client


def test_owner_adds_equipment_to_own_premises(owner_client, owner, premises):
    response = owner_client.post(reverse("equipment-create"), ac_form(premises))

    item = Equipment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("equipment-detail", args=[item.pk])
    assert (item.premises, item.tag, item.efficiency_value) == (premises, "AC-01", Decimal("5.20"))
    entry = AuditEntry.objects.get(object_type="compliance.equipment")
    assert (entry.action, entry.actor) == (AuditAction.CREATE, owner)
    detail = owner_client.get(response.url)
    assert "Lobby unit" in detail.content.decode()


def test_create_page_preselects_the_premises_and_offers_only_editable_ones(
    owner_client, premises, other_premises
):
    response = owner_client.get(reverse("equipment-create"), {"premises": premises.pk})

    form = response.context["form"]
    assert form["premises"].value() == premises.pk
    assert list(form.fields["premises"].queryset) == [premises]
    assert f'value="{other_premises.pk}"' not in response.content.decode()


def test_create_page_shows_every_attribute_group_without_javascript(owner_client, premises):
    response = owner_client.get(reverse("equipment-create"))

    html = response.content.decode()
    # Every group is rendered and visible; only the optional script hides some.
    assert html.count("<fieldset") == len(ATTRIBUTE_GROUPS) and " hidden" not in html
    for kinds, _names in ATTRIBUTE_GROUPS:
        assert f'data-kinds="{" ".join(kinds)}"' in html
    for name in ("cooling_capacity_kw", "capacity_hp", "air_barrier", "lamp_count", "fuel"):
        assert f'name="{name}"' in html
    assert "(kW)" in html and "(t/h)" in html
    assert "<script>" not in html and 'src="/static/js/equipment_form.js"' in html


def test_posting_another_business_premises_is_refused(owner_client, other_premises):
    response = owner_client.post(reverse("equipment-create"), ac_form(other_premises))

    assert response.status_code == 200
    assert "premises" in response.context["form"].errors
    assert not Equipment.objects.exists()


def test_form_with_an_error_keeps_what_was_typed(owner_client, premises):
    response = owner_client.post(
        reverse("equipment-create"),
        ac_form(premises, efficiency_value="55", description="Meeting room unit"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "is not plausible" in html
    assert 'value="Meeting room unit"' in html
    assert 'value="55"' in html and 'value="7.1"' in html
    assert not Equipment.objects.exists()


def test_attribute_of_another_kind_is_a_form_error(owner_client, premises):
    response = owner_client.post(reverse("equipment-create"), ac_form(premises, fuel="diesel"))

    assert response.status_code == 200
    assert "fuel" in response.context["form"].errors


def test_owner_edits_own_equipment(owner_client, premises):
    item = make_equipment(premises, tag="AC-01")

    response = owner_client.post(
        reverse("equipment-edit", args=[item.pk]), ac_form(premises, efficiency_value="6.3")
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.efficiency_value == Decimal("6.30")
    entry = AuditEntry.objects.get(object_id=str(item.pk), action=AuditAction.UPDATE)
    before, after = entry.changes["efficiency_value"]
    assert (Decimal(before), Decimal(after)) == (Decimal("5.2"), Decimal("6.3"))


def test_owner_removes_own_equipment_after_confirming(owner_client, premises):
    item = make_equipment(premises)

    confirm = owner_client.get(reverse("equipment-delete", args=[item.pk]))
    response = owner_client.post(reverse("equipment-delete", args=[item.pk]))

    assert confirm.status_code == 200 and item.tag in confirm.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("premises-detail", args=[premises.pk])
    assert not Equipment.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(item.pk), action=AuditAction.DELETE).exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "equipment-detail"),
        ("get", "equipment-edit"),
        ("post", "equipment-edit"),
        ("get", "equipment-delete"),
        ("post", "equipment-delete"),
    ],
)
def test_another_business_equipment_is_not_found(owner_client, other_premises, method, name):
    item = make_equipment(other_premises)

    response = getattr(owner_client, method)(reverse(name, args=[item.pk]), ac_form(other_premises))

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.description == ""


def test_inspector_reads_but_cannot_write(inspector_client, premises):
    item = make_equipment(premises)

    detail = inspector_client.get(reverse("equipment-detail", args=[item.pk]))
    assert detail.status_code == 200
    assert reverse("equipment-edit", args=[item.pk]) not in detail.content.decode()
    listing = inspector_client.get(reverse("equipment-list"))
    assert reverse("equipment-create") not in listing.content.decode()
    assert inspector_client.get(reverse("equipment-create")).status_code == 403
    assert inspector_client.post(reverse("equipment-create"), ac_form(premises)).status_code == 403
    assert (
        inspector_client.post(
            reverse("equipment-edit", args=[item.pk]), ac_form(premises, tag="X")
        ).status_code
        == 403
    )
    assert inspector_client.post(reverse("equipment-delete", args=[item.pk])).status_code == 403
    assert Equipment.objects.get().tag == item.tag


def test_anonymous_visitor_is_sent_to_log_in(client, premises):
    response = client.get(reverse("equipment-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_shows_only_visible_equipment_and_applies_filters(
    owner_client, business, premises, other_premises
):
    make_equipment(premises, EquipmentKind.AIR_CONDITIONER, tag="AC-MINE")
    make_equipment(premises, EquipmentKind.BOILER, tag="BL-MINE")
    far = make_premises(business, district=District.BEITOU)
    make_equipment(far, EquipmentKind.BOILER, tag="BL-FAR")
    make_equipment(other_premises, tag="AC-THEIRS")

    def tags(**params) -> set[str]:
        response = owner_client.get(reverse("equipment-list"), params)
        return {item.tag for item in response.context["object_list"]}

    assert tags() == {"AC-MINE", "BL-MINE", "BL-FAR"}
    assert tags(kind="boiler") == {"BL-MINE", "BL-FAR"}
    assert tags(district="beitou") == {"BL-FAR"}
    assert tags(premises=premises.pk) == {"AC-MINE", "BL-MINE"}
    assert tags(premises=other_premises.pk) == set()


def test_list_takes_the_same_queries_for_5_or_50_items(owner_client, premises):
    def queries_for(count: int) -> int:
        Equipment.objects.all().delete()
        for n in range(count):
            other = make_premises(premises.business) if n % 5 == 0 else premises
            make_equipment(other, tag=f"AC-{n}")
        with CaptureQueriesContext(connection) as context:
            response = owner_client.get(reverse("equipment-list"))
        assert len(response.context["object_list"]) == count
        return len(context.captured_queries)

    assert queries_for(5) == queries_for(50)


def test_export_downloads_visible_equipment_with_the_list_filters(
    owner_client, premises, other_premises
):
    make_equipment(premises, EquipmentKind.BOILER, tag="BL-1")
    make_equipment(premises, EquipmentKind.LIGHTING, tag="LT-1")
    make_equipment(other_premises, EquipmentKind.BOILER, tag="BL-THEIRS")

    response = owner_client.get(reverse("equipment-export"), {"kind": "boiler"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == list(COLUMNS)
    assert [row[1] for row in rows[1:]] == ["BL-1"]


def test_template_has_the_header_and_an_example_row_per_kind(owner_client, premises):
    response = owner_client.get(reverse("equipment-template"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert sorted(row[2] for row in rows[1:]) == sorted(EquipmentKind.values)
    assert {row[0] for row in rows[1:]} == {str(premises.pk)}


# --- CSV import pages -------------------------------------------------------------------


def upload(client, text: str, name: str = "equipment.csv", encoding: str = "utf-8"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("equipment-import"), {"file": file})


def import_text(premises, *, bad_fuel: str = "natural_gas") -> str:
    header = "premises_id,tag,kind,fuel,steam_evaporation_tph,is_standby,installed_on\n"
    return (
        header
        + f"{premises.pk},BL-1,boiler,natural_gas,1.5,no,2020-01-15\n"
        + f"{premises.pk},BL-2,boiler,{bad_fuel},2.0,no,2021-02-01\n"
        + f"{premises.pk},BL-3,boiler,diesel,abc,no,2021-02-01\n"
    )


def test_import_shows_each_bad_row_then_imports_the_corrected_file(owner_client, premises):
    response = upload(owner_client, import_text(premises, bad_fuel="wood"))
    assert response.status_code == 302
    review = owner_client.get(response.url)

    report = review.context["report"]
    assert {(e.line, e.column) for e in report.errors} == {
        (3, "fuel"),
        (4, "steam_evaporation_tph"),
    }
    html = review.content.decode()
    assert "wood" in html and "Confirm import" not in html
    assert not Equipment.objects.exists()

    fixed = import_text(premises).replace(",abc,", ",3.0,")
    review = owner_client.get(upload(owner_client, fixed).url)
    assert review.context["report"].ok and review.context["report"].created == 3
    assert not Equipment.objects.exists()
    confirmed = owner_client.post(review.wsgi_request.path)

    assert confirmed.status_code == 302 and confirmed.url == reverse("equipment-list")
    assert sorted(premises.equipment.values_list("tag", flat=True)) == ["BL-1", "BL-2", "BL-3"]
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 3
    assert owner_client.post(review.wsgi_request.path).status_code == 404


def test_a_confirmation_cannot_import_a_file_with_errors(owner_client, premises):
    review_url = upload(owner_client, import_text(premises, bad_fuel="wood")).url

    response = owner_client.post(review_url)

    assert response.status_code == 200
    assert response.context["report"].errors
    assert not Equipment.objects.exists()


def test_another_user_cannot_see_or_confirm_an_upload(client, owner, other_owner, premises):
    client.force_login(owner)
    review_url = upload(client, import_text(premises).replace(",abc,", ",3.0,")).url
    client.force_login(other_owner)

    assert client.get(review_url).status_code == 404
    assert client.post(review_url).status_code == 404
    assert not Equipment.objects.exists()
    assert ImportBatch.objects.get().committed_at is None


def test_a_file_in_another_encoding_is_refused_on_the_upload_form(owner_client, premises):
    response = upload(
        owner_client, "premises_id,tag,kind,description\n1,A,entrance,大門\n", encoding="big5"
    )

    assert response.status_code == 200
    assert "UTF-8" in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_inspector_cannot_import(inspector_client, premises):
    assert inspector_client.get(reverse("equipment-import")).status_code == 403
    assert upload(inspector_client, import_text(premises)).status_code == 403
    assert not ImportBatch.objects.exists()


def test_kind_of_an_item_with_monthly_logs_cannot_change(owner_client, premises):
    chiller = make_equipment(premises, EquipmentKind.CHILLER, tag="CH-01")
    AcMonthlyLog.objects.create(
        equipment=chiller, month=date(2025, 1, 1), ac_electricity_kwh=1, recorded_by="x"
    )
    data = {
        "premises": premises.pk,
        "kind": "boiler",
        "tag": "CH-01",
        "description": "renamed",
        "capacity_hp": "150",
        "is_production_use": "false",
        "has_separate_meter": "true",
        "is_standby": "unknown",
    }

    response = owner_client.post(reverse("equipment-edit", args=[chiller.pk]), data)

    assert response.status_code == 302
    chiller.refresh_from_db()
    assert (chiller.kind, chiller.description) == (EquipmentKind.CHILLER, "renamed")
