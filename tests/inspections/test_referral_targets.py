"""An Art. 11 referral made an inspection target: service, page and API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance.models import ReferralStatus
from inspections.choices import AssignmentRole, InspectionPurpose, InspectionStatus
from inspections.models import Inspection
from inspections.services.referrals import target_referral
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.compliance.referral_builders import make_referral

pytestmark = pytest.mark.django_db

DAY = date(2099, 2, 1)


def _entries(instance) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        ).order_by("id")
    )


def test_targeting_plans_a_complaint_inspection_of_the_premises_on_the_day(
    supplier, administrator, inspector, premises
):
    referral = make_referral(supplier, premises)

    inspection = target_referral(administrator, referral, DAY, "Check the dining-room lamps.")

    inspection.refresh_from_db()
    assert inspection.purpose == InspectionPurpose.COMPLAINT
    assert inspection.scheduled_for == DAY
    assert inspection.premises == premises
    assert inspection.status == InspectionStatus.PLANNED
    assert inspection.referral == referral
    assert inspection.notes == "Check the dining-room lamps."
    assert inspection.created_by == administrator
    lead = inspection.assignments.get(role=AssignmentRole.LEAD)
    assert lead.user == inspector
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TARGETED
    assert referral.decided_by == administrator
    assert referral.decided_at is not None


def test_targeting_is_audited_on_the_referral_and_the_inspection(supplier, administrator, premises):
    referral = make_referral(supplier, premises)

    inspection = target_referral(administrator, referral, DAY)

    (on_referral,) = _entries(referral)
    assert on_referral.actor == administrator
    assert on_referral.action == AuditAction.UPDATE
    assert on_referral.changes == {
        "status": ["submitted", "targeted"],
        "inspection": [None, inspection.pk],
        "scheduled_for": [None, "2099-02-01"],
    }
    assert str(inspection.pk) in on_referral.reason
    (on_inspection,) = _entries(inspection)
    assert on_inspection.action == AuditAction.CREATE
    assert on_inspection.changes["purpose"] == [None, "complaint"]


def test_a_referral_without_premises_is_refused_and_nothing_is_planned(supplier, administrator):
    referral = make_referral(supplier)

    with pytest.raises(ValidationError) as refused:
        target_referral(administrator, referral, DAY)

    assert "Set its premises first" in refused.value.message_dict["premises"][0]
    assert not Inspection.objects.exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert _entries(referral) == []


@pytest.mark.parametrize("status", [ReferralStatus.CLOSED, ReferralStatus.TARGETED])
def test_a_decided_referral_cannot_be_targeted(status, supplier, administrator, premises):
    referral = make_referral(supplier, premises, status=status, decision_reason="Decided.")

    with pytest.raises(ValidationError, match="Only a submitted referral can be made"):
        target_referral(administrator, referral, DAY)

    assert not Inspection.objects.exists()
    referral.refresh_from_db()
    assert referral.status == status


def test_a_day_in_the_past_plans_nothing_and_leaves_the_referral_submitted(
    supplier, administrator, premises
):
    referral = make_referral(supplier, premises)
    yesterday = timezone.localdate() - timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        target_referral(administrator, referral, yesterday)

    assert "scheduled_for" in refused.value.message_dict
    assert not Inspection.objects.exists()
    referral.refresh_from_db()
    assert (referral.status, referral.decided_by) == (ReferralStatus.SUBMITTED, None)
    assert _entries(referral) == []


@pytest.mark.parametrize("persona", ["inspector", "supplier", "owner", "api_client"])
def test_only_administrators_make_a_referral_an_inspection_target(persona, personas, premises):
    referral = make_referral(personas["supplier"], premises)

    with pytest.raises(PermissionDenied):
        target_referral(personas[persona], referral, DAY)

    assert not Inspection.objects.exists()


# --- The page ----------------------------------------------------------------------------


def test_an_administrator_targets_from_the_referral_page_which_then_links_the_inspection(
    client, supplier, administrator, premises
):
    referral = make_referral(supplier, premises)
    client.force_login(administrator)
    detail = reverse("referral-detail", args=[referral.pk])
    assert f'action="{reverse("referral-target", args=[referral.pk])}"' in (
        client.get(detail).content.decode()
    )

    response = client.post(
        reverse("referral-target", args=[referral.pk]),
        {"scheduled_for": "2099-02-01", "notes": "Bring a lux meter."},
    )

    assert response.status_code == 302
    assert response["Location"] == detail
    inspection = Inspection.objects.get()
    assert (inspection.purpose, inspection.scheduled_for) == ("complaint", DAY)
    page = client.get(detail).content.decode()
    assert reverse("inspection-detail", args=[inspection.pk]) in page
    assert "Made an inspection target" in page


def test_the_supplier_sees_its_referral_targeted_but_not_the_citys_inspection(
    client, supplier, administrator, premises
):
    referral = make_referral(supplier, premises)
    inspection = target_referral(administrator, referral, DAY)
    client.force_login(supplier)

    page = client.get(reverse("referral-detail", args=[referral.pk])).content.decode()

    assert "Made an inspection target" in page
    assert reverse("inspection-detail", args=[inspection.pk]) not in page


def test_targeting_a_referral_without_premises_shows_the_page_again_with_the_reason(
    client, supplier, administrator
):
    referral = make_referral(supplier)
    client.force_login(administrator)

    response = client.post(
        reverse("referral-target", args=[referral.pk]),
        {"scheduled_for": "2099-02-01", "notes": "Bring a lux meter."},
    )

    assert response.status_code == 200
    form = response.context["target_form"]
    assert "Set its premises first" in form.non_field_errors()[0]
    page = response.content.decode()
    assert "Bring a lux meter." in page  # what was typed is kept
    assert not Inspection.objects.exists()


def test_a_missing_day_is_refused_on_its_field(client, supplier, administrator, premises):
    referral = make_referral(supplier, premises)
    client.force_login(administrator)

    response = client.post(reverse("referral-target", args=[referral.pk]), {"notes": "x"})

    assert response.status_code == 200
    assert response.context["target_form"].errors["scheduled_for"]
    assert not Inspection.objects.exists()


def test_the_inspection_api_names_the_referral_an_inspection_follows_up(
    supplier, administrator, premises
):
    referral = make_referral(supplier, premises)
    inspection = target_referral(administrator, referral, DAY)
    client = APIClient()
    client.force_authenticate(administrator)

    body = client.get(reverse("api:inspection-detail", args=[inspection.pk])).json()

    assert body["referral"] == referral.pk
    assert body["purpose"] == "complaint"


# --- The API -----------------------------------------------------------------------------


def test_the_api_makes_a_referral_an_inspection_target(supplier, administrator, premises):
    referral = make_referral(supplier, premises)
    client = APIClient()
    client.force_authenticate(administrator)

    response = client.post(
        reverse("api:referral-target", args=[referral.pk]),
        {"scheduled_for": "2099-02-01", "notes": "Lamps."},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["purpose"], body["scheduled_for"], body["premises"]) == (
        "complaint",
        "2099-02-01",
        premises.pk,
    )
    assert body["referral"] == referral.pk
    detail = client.get(reverse("api:referral-detail", args=[referral.pk])).json()
    assert detail["status"] == "targeted"
    assert detail["inspections"] == [body["id"]]


def test_the_api_refuses_a_referral_without_premises_with_a_field_error(supplier, administrator):
    referral = make_referral(supplier)
    client = APIClient()
    client.force_authenticate(administrator)
    url = reverse("api:referral-target", args=[referral.pk])

    response = client.post(url, {"scheduled_for": "2099-02-01"}, format="json")

    assert response.status_code == 400
    assert "premises" in response.json()["errors"]
    missing_day = client.post(url, {}, format="json")
    assert missing_day.status_code == 400
    assert "scheduled_for" in missing_day.json()["errors"]
    assert not Inspection.objects.exists()
