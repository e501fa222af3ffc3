"""Exemption pages: a business asks, an administrator decides or revokes, the status follows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import District, EquipmentKind, ExemptionReason, ExemptionStatus
from compliance.models import ArticleStatus, ComplianceAssessment, Exemption
from compliance.rulebook.services import assessment, exemptions
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


@pytest.fixture
def chiller(premises):
    """A 120 HP chiller without its own meter: the premises breaks Art. 5-3."""
    item = make_equipment(
        premises,
        EquipmentKind.CHILLER,
        tag="CH-1",
        capacity_hp=Decimal("120"),
        has_separate_meter=False,
    )
    assessment.assess_premises([premises.pk], day=TODAY)
    return item


def request_data(premises, equipment=None, **changes) -> dict:
    data = {
        "premises": premises.pk,
        "equipment": equipment.pk if equipment else "",
        "article": "5-3",
        "reason": ExemptionReason.TECHNICAL_IMPOSSIBILITY,
        "explanation": "The meter room is being rebuilt until spring.",
        "evidence": "Building permit 115-0001 of 2026-10-01.",
        "valid_from": "2026-11-23",
        "valid_until": "2027-03-31",
    }
    data.update(changes)
    return data


def make_exemption(premises, *, status=ExemptionStatus.REQUESTED, **fields) -> Exemption:
    values = {
        "premises": premises,
        "article": "5-3",
        "reason": ExemptionReason.OTHER,
        "explanation": "x",
        "evidence": "x",
        "valid_from": TODAY,
        "status": status,
    }
    values.update(fields)
    return Exemption.objects.create(**values)


def article_outcome(premises, article="5-3") -> str | None:
    row = ArticleStatus.objects.filter(premises=premises, article=article).first()
    return row.outcome if row else None


def test_approved_request_makes_the_article_compliant_and_the_finding_names_it(
    client, owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    assert article_outcome(premises) == "non_compliant"
    client.force_login(owner)

    response = client.post(reverse("exemption-create"), request_data(premises, chiller))

    exemption = Exemption.objects.get(premises=premises)
    assert response.status_code == 302
    assert response.url == reverse("exemption-detail", args=[exemption.pk])
    assert exemption.status == ExemptionStatus.REQUESTED
    assert exemption.requested_by == owner
    assert exemption.equipment == chiller
    assert article_outcome(premises) == "non_compliant"  # a request alone changes nothing

    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exemption-decide", args=[exemption.pk]),
            {"approve": "yes", "reason": "The permit was checked."},
        )

    assert response.status_code == 302
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.APPROVED
    assert exemption.decided_by == administrator
    assert article_outcome(premises) == "compliant"
    latest = ComplianceAssessment.objects.filter(premises=premises).latest("id")
    finding = next(f for f in latest.findings if f["article"] == "5-3")
    assert finding["outcome"] == "compliant"
    assert finding["exemption"] == "grant"
    assert f"exemption-{exemption.pk}" in finding["exemption_detail"]

    client.force_login(owner)
    page = client.get(reverse("exemption-detail", args=[exemption.pk])).content.decode()
    assert "The permit was checked." in page
    assert str(administrator) in page
    assert "2026-11-23 through 2027-03-31" in page
    actions = set(
        AuditEntry.objects.filter(
            object_type="compliance.exemption", object_id=str(exemption.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"create", "approve"}


def test_refused_request_leaves_the_article_non_compliant(
    client, owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    exemption = exemptions.request_exemption(
        owner, make_exemption(premises, equipment=chiller, valid_until=None)
    )
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exemption-decide", args=[exemption.pk]),
            {"approve": "no", "reason": "The gas company's letter is missing."},
        )

    assert response.status_code == 302
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REFUSED
    assert exemption.decision_reason == "The gas company's letter is missing."
    assessment.assess_premises([premises.pk], day=TODAY)
    assert article_outcome(premises) == "non_compliant"
    page = client.get(reverse("exemption-detail", args=[exemption.pk])).content.decode()
    assert "Refused" in page
    assert "The gas company&#x27;s letter is missing." in page


def test_revoked_exemption_stops_applying_from_the_revocation_date(
    client, owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    exemption = exemptions.request_exemption(
        owner, make_exemption(premises, equipment=chiller, valid_until=None)
    )
    with django_capture_on_commit_callbacks(execute=True):
        exemptions.decide_exemption(administrator, exemption, approve=True, reason="Seen.")
    assert article_outcome(premises) == "compliant"
    client.force_login(administrator)
    revoked_on = TODAY + datetime.timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exemption-revoke", args=[exemption.pk]),
            {"reason": "The meter has been installed.", "on": revoked_on.isoformat()},
        )

    assert response.status_code == 302
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REVOKED
    assert exemption.revoked_by == administrator
    assert exemption.revoked_on == revoked_on
    assert article_outcome(premises) == "compliant"  # still applies until the day before
    assessment.assess_premises([premises.pk], day=revoked_on - datetime.timedelta(days=1))
    assert article_outcome(premises) == "compliant"
    assessment.assess_premises([premises.pk], day=revoked_on)
    assert article_outcome(premises) == "non_compliant"
    page = client.get(reverse("exemption-detail", args=[exemption.pk])).content.decode()
    assert "The meter has been installed." in page
    assert "2026-11-23 through 2026-11-27" in page


def test_revocation_date_defaults_to_today_and_cannot_precede_the_start(
    client, owner, administrator, premises
):
    exemption = make_exemption(
        premises, status=ExemptionStatus.APPROVED, valid_from=TODAY + datetime.timedelta(days=3)
    )
    client.force_login(administrator)

    form = client.get(reverse("exemption-revoke", args=[exemption.pk])).context["form"]
    response = client.post(
        reverse("exemption-revoke", args=[exemption.pk]),
        {"reason": "No longer needed.", "on": TODAY.isoformat()},
    )

    assert form["on"].value() == TODAY
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert "No longer needed." in response.content.decode()
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.APPROVED


def test_a_business_cannot_request_for_another_business_premises(
    client, owner, premises, other_premises
):
    other_item = make_equipment(other_premises, EquipmentKind.BOILER)
    client.force_login(owner)

    form = client.get(reverse("exemption-create"), {"premises": other_premises.pk}).context["form"]
    response = client.post(reverse("exemption-create"), request_data(other_premises))
    with_foreign_item = client.post(reverse("exemption-create"), request_data(premises, other_item))

    assert other_premises.name not in str(form["premises"])
    assert other_item.tag not in str(form["equipment"])
    assert response.status_code == 200
    assert response.context["form"].errors["premises"]
    assert with_foreign_item.context["form"].errors["equipment"]
    assert not Exemption.objects.exists()


def test_equipment_of_another_premises_is_a_form_error(client, owner, business, premises):
    second = make_premises(business, name="倉庫")
    item = make_equipment(second, EquipmentKind.BOILER, tag="B-1")
    client.force_login(owner)

    response = client.post(reverse("exemption-create"), request_data(premises, item))

    assert response.status_code == 200
    assert response.context["form"].errors["equipment"] == [
        "This equipment belongs to another premises."
    ]
    assert not Exemption.objects.exists()


def test_the_form_offers_only_what_the_user_may_edit_and_preselects_the_premises(
    client, owner, business, premises, other_premises
):
    second = make_premises(business, name="倉庫")
    mine = make_equipment(second, EquipmentKind.BOILER, tag="B-MINE")
    make_equipment(other_premises, EquipmentKind.BOILER, tag="B-THEIRS")
    client.force_login(owner)

    response = client.get(reverse("exemption-create"), {"premises": second.pk})

    form = response.context["form"]
    assert form["premises"].value() == second.pk
    assert set(form.fields["premises"].queryset) == {premises, second}
    html = response.content.decode()
    assert "B-MINE" in html and "B-THEIRS" not in html
    assert other_premises.name not in html
    assert f'value="{mine.pk}"' in html
    assert form["valid_from"].value() == TODAY


def test_missing_reason_is_a_form_error_that_keeps_what_was_typed(client, owner, premises):
    client.force_login(owner)

    response = client.post(reverse("exemption-create"), request_data(premises, reason=""))

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    html = response.content.decode()
    assert "The meter room is being rebuilt until spring." in html
    assert "Building permit 115-0001 of 2026-10-01." in html
    assert 'value="2027-03-31"' in html
    assert not Exemption.objects.exists()


def test_an_end_before_the_start_is_a_form_error(client, owner, premises):
    client.force_login(owner)

    response = client.post(
        reverse("exemption-create"),
        request_data(premises, valid_from="2027-01-10", valid_until="2027-01-09"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"] == [
        "The end date cannot come before the start date."
    ]
    assert not Exemption.objects.exists()


def test_a_business_cannot_decide_its_own_request(client, owner, premises):
    exemption = exemptions.request_exemption(owner, make_exemption(premises))
    client.force_login(owner)

    page = client.get(reverse("exemption-detail", args=[exemption.pk]))
    get = client.get(reverse("exemption-decide", args=[exemption.pk]))
    post = client.post(
        reverse("exemption-decide", args=[exemption.pk]), {"approve": "yes", "reason": "Mine."}
    )

    assert page.status_code == 200
    assert reverse("exemption-decide", args=[exemption.pk]) not in page.content.decode()
    assert get.status_code == post.status_code == 403
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REQUESTED


def test_a_business_cannot_see_another_business_exemptions(
    client, owner, premises, other_owner, other_premises
):
    theirs = make_exemption(other_premises)
    mine = make_exemption(premises)
    client.force_login(owner)

    for name in ("exemption-detail", "exemption-decide", "exemption-revoke"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    listed = list(client.get(reverse("exemption-list")).context["object_list"])
    filtered = client.get(reverse("exemption-list"), {"premises": other_premises.pk})

    assert listed == [mine]
    assert list(filtered.context["object_list"]) == []


def test_decision_without_a_reason_is_refused_and_keeps_the_choice(
    client, administrator, owner, premises
):
    exemption = exemptions.request_exemption(owner, make_exemption(premises))
    client.force_login(administrator)

    response = client.post(reverse("exemption-decide", args=[exemption.pk]), {"approve": "no"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert response.context["form"]["approve"].value() == "no"
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REQUESTED


def test_a_decided_request_cannot_be_decided_again(client, administrator, owner, premises):
    exemption = exemptions.request_exemption(owner, make_exemption(premises))
    exemptions.decide_exemption(administrator, exemption, approve=False, reason="No.")
    client.force_login(administrator)

    page = client.get(reverse("exemption-decide", args=[exemption.pk]))
    response = client.post(
        reverse("exemption-decide", args=[exemption.pk]), {"approve": "yes", "reason": "Yes."}
    )

    assert "This request has already been decided." in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This request has already been decided."]
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REFUSED


def test_an_administrator_files_a_request_for_a_business(
    client, administrator, premises, other_premises
):
    boiler = make_equipment(premises, EquipmentKind.BOILER, tag="B-7")
    make_equipment(other_premises, EquipmentKind.BOILER, tag="B-ELSEWHERE")
    client.force_login(administrator)

    page = client.get(reverse("exemption-create"), {"premises": premises.pk})
    response = client.post(
        reverse("exemption-create"),
        request_data(premises, boiler, article="8-1", reason="gas_supply_insufficient"),
    )

    html = page.content.decode()
    assert "B-7" in html and "B-ELSEWHERE" not in html
    assert other_premises.name not in html
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert exemption.requested_by == administrator
    assert exemption.equipment == boiler
    assert exemption.status == ExemptionStatus.REQUESTED


def test_the_list_filters_by_status_article_premises_and_district(
    client, inspector, business, premises
):
    elsewhere = make_premises(business, district=District.BEITOU)
    wanted = make_exemption(premises, article="8-1", status=ExemptionStatus.APPROVED)
    make_exemption(premises, article="8-1")
    make_exemption(premises, article="5-3", status=ExemptionStatus.APPROVED)
    make_exemption(elsewhere, article="8-1", status=ExemptionStatus.APPROVED)
    client.force_login(inspector)

    def listed(**query):
        response = client.get(reverse("exemption-list"), query)
        return list(response.context["object_list"])

    assert listed(status="approved", article="8-1", district=District.XINYI) == [wanted]
    assert listed(status="approved", article="8-1", premises=premises.pk) == [wanted]
    assert len(listed()) == 4


def test_the_list_query_count_does_not_grow_with_rows(
    client, owner, administrator, business, premises
):
    def add(count):
        for _ in range(count):
            other = make_premises(business)
            item = make_equipment(other, EquipmentKind.BOILER)
            exemptions.decide_exemption(
                administrator,
                exemptions.request_exemption(owner, make_exemption(other, equipment=item)),
                approve=True,
                reason="ok",
            )

    for user in (owner, administrator):
        Exemption.objects.all().delete()
        add(3)
        client.force_login(user)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("exemption-list"))
        add(30)
        with CaptureQueriesContext(connection) as large:
            response = client.get(reverse("exemption-list"))
        assert len(response.context["object_list"]) == 33
        assert len(large.captured_queries) == len(small.captured_queries), user


def test_premises_page_and_navigation_lead_to_the_exemptions(client, owner, premises, supplier):
    client.force_login(owner)

    html = client.get(reverse("premises-detail", args=[premises.pk])).content.decode()

    assert f"{reverse('exemption-list')}?premises={premises.pk}" in html
    assert f"{reverse('exemption-create')}?premises={premises.pk}" in html
    client.force_login(supplier)
    assert reverse("exemption-list") not in client.get(reverse("home")).content.decode()


def test_the_admin_shows_exemptions_but_changes_them_only_through_the_pages(
    client, administrator, premises
):
    exemption = make_exemption(premises)
    client.force_login(administrator)

    listing = client.get(reverse("admin:compliance_exemption_changelist"))
    change = client.get(reverse("admin:compliance_exemption_change", args=[exemption.pk]))
    posted = client.post(
        reverse("admin:compliance_exemption_change", args=[exemption.pk]),
        {"status": "approved", "decision_reason": "via admin"},
    )

    assert listing.status_code == change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:compliance_exemption_add")).status_code == 403
    assert posted.status_code == 403
    assert (
        client.get(reverse("admin:compliance_exemption_delete", args=[exemption.pk])).status_code
        == 403
    )
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REQUESTED


def test_a_business_chooses_among_the_items_of_the_premises_it_chose(client, owner, premises):
    other = make_premises(premises.business)
    here = make_equipment(premises, tag="AC-HERE")
    there = make_equipment(other, tag="AC-THERE")
    client.force_login(owner)
    # From the premises page: that premises's items only.
    page = client.get(reverse("exemption-create"), {"premises": premises.pk})
    choices = str(page.context["form"]["equipment"])
    assert "AC-HERE" in choices and "AC-THERE" not in choices
    # A refused request keeps the chosen premises and its items only.
    refused = client.post(reverse("exemption-create"), request_data(premises, here, explanation=""))
    choices = str(refused.context["form"]["equipment"])
    assert "AC-HERE" in choices and "AC-THERE" not in choices
    # The other premises offers its own item, so the filter is by premises, not a lost item.
    page = client.get(reverse("exemption-create"), {"premises": other.pk})
    choices = str(page.context["form"]["equipment"])
    assert there.tag in choices and "AC-HERE" not in choices
