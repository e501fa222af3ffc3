"""The exemptions API: requests by businesses, decisions and revocations by administrators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.choices import District, EquipmentKind, ExemptionReason, ExemptionStatus
from compliance.models import ArticleStatus, ComplianceAssessment, Exemption
from compliance.rulebook.services import assessment, exemptions
from portal.models import ApiToken
from tests.factories import make_business, make_equipment, make_premises

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def chiller(premises):
    """A 120 HP chiller without its own meter: the premises breaks Art. 5-3."""
    item = make_equipment(
        premises, EquipmentKind.CHILLER, capacity_hp=Decimal("120"), has_separate_meter=False
    )
    assessment.assess_premises([premises.pk], day=TODAY)
    return item


def body(premises, equipment=None, **changes) -> dict:
    data = {
        "premises": premises.pk,
        "equipment": equipment.pk if equipment else None,
        "article": "5-3",
        "reason": ExemptionReason.TECHNICAL_IMPOSSIBILITY,
        "explanation": "The meter room is being rebuilt.",
        "evidence": "Building permit 115-0001.",
        "valid_from": "2026-11-23",
        "valid_until": "2027-03-31",
    }
    data.update(changes)
    return data


def make_exemption(premises, *, status=ExemptionStatus.REQUESTED, **fields) -> Exemption:
    values = {
        "premises": premises,
        "article": "8-1",
        "reason": ExemptionReason.GAS_SUPPLY_INSUFFICIENT,
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


def decide(user, exemption, **data):
    return api(user).post(reverse("api:exemption-decide", args=[exemption.pk]), data, format="json")


def revoke(user, exemption, **data):
    return api(user).post(reverse("api:exemption-revoke", args=[exemption.pk]), data, format="json")


def test_request_then_approval_makes_the_article_compliant(
    owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    created = api(owner).post(reverse("api:exemption-list"), body(premises, chiller), format="json")
    assert created.status_code == 201, created.json()
    exemption = Exemption.objects.get(pk=created.json()["id"])
    assert created.json()["status"] == "requested"
    assert created.json()["business"] == premises.business_id
    assert exemption.requested_by == owner
    assert article_outcome(premises) == "non_compliant"

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(administrator, exemption, approve=True, reason="Permit checked.")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"] == administrator.pk
    assert response.json()["decision_reason"] == "Permit checked."
    assert article_outcome(premises) == "compliant"
    latest = ComplianceAssessment.objects.filter(premises=premises).latest("id")
    finding = next(f for f in latest.findings if f["article"] == "5-3")
    assert finding["exemption"] == "grant"
    assert f"exemption-{exemption.pk}" in finding["exemption_detail"]


def test_refusal_leaves_the_article_non_compliant(
    owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    exemption = exemptions.request_exemption(
        owner, make_exemption(premises, article="5-3", equipment=chiller)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(administrator, exemption, approve=False, reason="No permit.")

    assert response.status_code == 200
    assert response.json()["status"] == "refused"
    assessment.assess_premises([premises.pk], day=TODAY)
    assert article_outcome(premises) == "non_compliant"


def test_revocation_stops_the_exemption_from_its_date(
    owner, administrator, premises, chiller, django_capture_on_commit_callbacks
):
    started = TODAY - datetime.timedelta(days=10)
    exemption = exemptions.request_exemption(
        owner, make_exemption(premises, article="5-3", equipment=chiller, valid_from=started)
    )
    with django_capture_on_commit_callbacks(execute=True):
        exemptions.decide_exemption(administrator, exemption, approve=True, reason="ok")
    assert article_outcome(premises) == "compliant"

    with django_capture_on_commit_callbacks(execute=True):
        response = revoke(administrator, exemption, reason="Meter installed.")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_on"] == TODAY.isoformat()  # default: today
    assert response.json()["revoked_by"] == administrator.pk
    assert article_outcome(premises) == "non_compliant"
    yesterday = TODAY - datetime.timedelta(days=1)
    assessment.assess_premises([premises.pk], day=yesterday)
    # It still applied the day before (that day's assessment; today's status stands).
    before = ComplianceAssessment.objects.filter(premises=premises, as_of=yesterday).latest("pk")
    assert before.article_outcomes["5-3"] == "compliant"
    assert article_outcome(premises) == "non_compliant"


def test_posted_status_and_decision_fields_are_ignored(owner, administrator, premises):
    data = body(
        premises,
        status="approved",
        decided_by=administrator.pk,
        decided_at="2026-11-01T00:00:00Z",
        decision_reason="Approved by myself.",
        revoked_on="2026-12-01",
        requested_by=administrator.pk,
    )

    response = api(owner).post(reverse("api:exemption-list"), data, format="json")

    assert response.status_code == 201, response.json()
    exemption = Exemption.objects.get()
    assert exemption.status == ExemptionStatus.REQUESTED
    assert exemption.decided_by is None
    assert exemption.decided_at is None
    assert exemption.decision_reason == ""
    assert exemption.revoked_on is None
    assert exemption.requested_by == owner


def test_a_business_cannot_request_for_another_business(owner, business, premises, other_premises):
    theirs = make_equipment(other_premises, EquipmentKind.BOILER)
    second = make_premises(business)
    mine_elsewhere = make_equipment(second, EquipmentKind.BOILER)
    client = api(owner)

    foreign_premises = client.post(
        reverse("api:exemption-list"), body(other_premises), format="json"
    )
    foreign_item = client.post(reverse("api:exemption-list"), body(premises, theirs), format="json")
    other_premises_item = client.post(
        reverse("api:exemption-list"), body(premises, mine_elsewhere), format="json"
    )

    assert foreign_premises.status_code == 400
    assert "premises" in foreign_premises.json()["errors"]
    assert foreign_item.status_code == 400
    assert "equipment" in foreign_item.json()["errors"]
    assert other_premises_item.status_code == 400
    assert other_premises_item.json()["errors"]["equipment"] == [
        "This equipment belongs to another premises."
    ]
    assert not Exemption.objects.exists()


def test_bad_input_is_a_400_with_field_errors(owner, premises):
    client = api(owner)

    backwards = client.post(
        reverse("api:exemption-list"),
        body(premises, valid_from="2027-01-10", valid_until="2027-01-09"),
        format="json",
    )
    missing = client.post(
        reverse("api:exemption-list"), body(premises, reason="", article="99"), format="json"
    )

    assert backwards.status_code == 400
    assert backwards.json()["errors"]["valid_until"] == [
        "The end date cannot come before the start date."
    ]
    assert missing.status_code == 400
    assert {"reason", "article"} <= set(missing.json()["errors"])
    assert not Exemption.objects.exists()


@pytest.mark.parametrize("persona", ["inspector", "api_client_user", "supplier"])
def test_roles_that_only_read_cannot_request(request, persona, premises):
    user = request.getfixturevalue(persona)

    response = api(user).post(reverse("api:exemption-list"), body(premises), format="json")

    assert response.status_code == 403
    assert not Exemption.objects.exists()


def test_an_administrator_requests_for_a_business(administrator, premises):
    response = api(administrator).post(reverse("api:exemption-list"), body(premises), format="json")

    assert response.status_code == 201
    assert Exemption.objects.get().requested_by == administrator


def test_only_administrators_decide_and_others_learn_nothing(
    owner, other_owner, inspector, premises
):
    exemption = exemptions.request_exemption(owner, make_exemption(premises))

    own = decide(owner, exemption, approve=True, reason="Mine.")
    staff = decide(inspector, exemption, approve=True, reason="x")
    stranger = decide(other_owner, exemption, approve=True, reason="x")
    stranger_revoke = revoke(other_owner, exemption, reason="x")

    assert own.status_code == staff.status_code == 403
    assert stranger.status_code == stranger_revoke.status_code == 404
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REQUESTED


def test_decisions_and_revocations_with_bad_input_are_400s(administrator, owner, premises):
    requested = exemptions.request_exemption(owner, make_exemption(premises))
    future = make_exemption(
        premises, status=ExemptionStatus.APPROVED, valid_from=TODAY + datetime.timedelta(days=9)
    )

    no_reason = decide(administrator, requested, approve=True, reason="  ")
    no_choice = decide(administrator, requested, reason="ok")
    not_approved = revoke(administrator, requested, reason="x")
    too_early = revoke(administrator, future, reason="x", on=TODAY.isoformat())
    bad_date = revoke(administrator, future, reason="x", on="someday")
    decide(administrator, requested, approve=False, reason="No.")
    again = decide(administrator, requested, approve=True, reason="Yes after all.")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert no_choice.status_code == 400 and "approve" in no_choice.json()["errors"]
    assert not_approved.status_code == 400
    assert not_approved.json()["errors"]["non_field_errors"] == [
        "Only an approved exemption can be revoked."
    ]
    assert too_early.status_code == 400
    assert too_early.json()["errors"]["on"] == ["An exemption cannot be revoked before it starts."]
    assert bad_date.status_code == 400 and "on" in bad_date.json()["errors"]
    assert again.status_code == 400
    assert again.json()["errors"]["non_field_errors"] == ["This request has already been decided."]
    requested.refresh_from_db()
    future.refresh_from_db()
    assert requested.status == ExemptionStatus.REFUSED
    assert future.status == ExemptionStatus.APPROVED


def test_businesses_see_their_own_exemptions_and_city_staff_all(
    owner, inspector, supplier, api_client_user, premises, other_premises
):
    mine = make_exemption(premises)
    theirs = make_exemption(other_premises)

    def listed(user):
        return {row["id"] for row in api(user).get(reverse("api:exemption-list")).json()["results"]}

    assert listed(owner) == {mine.pk}
    assert listed(inspector) == listed(api_client_user) == {mine.pk, theirs.pk}
    assert listed(supplier) == set()
    detail = api(owner).get(reverse("api:exemption-detail", args=[theirs.pk]))
    assert detail.status_code == 404


def test_the_list_filters_by_status_article_premises_business_and_district(
    inspector, business, other_business, premises
):
    beitou = make_premises(other_business, district=District.BEITOU)
    wanted = make_exemption(premises, status=ExemptionStatus.APPROVED)
    make_exemption(premises, status=ExemptionStatus.REQUESTED)
    make_exemption(premises, status=ExemptionStatus.APPROVED, article="5-3")
    elsewhere = make_exemption(beitou, status=ExemptionStatus.APPROVED)
    client = api(inspector)

    def ids(**query):
        response = client.get(reverse("api:exemption-list"), query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(status="approved", article="8-1", premises=premises.pk) == [wanted.pk]
    assert ids(status="approved", article="8-1", business=business.pk) == [wanted.pk]
    assert ids(district=District.BEITOU) == [elsewhere.pk]
    assert client.get(reverse("api:exemption-list"), {"status": "granted"}).status_code == 400


def _list_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("api:exemption-list"), {"page_size": 100})
    assert response.status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize("persona", ["owner", "administrator"])
def test_the_list_keeps_a_constant_query_count_and_never_counts(
    persona, owner, administrator, business
):
    user = {"owner": owner, "administrator": administrator}[persona]
    client = APIClient()
    _, raw = ApiToken.generate(user, "counting")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.get(reverse("api:api-root"))  # the token's first use records last_used_at

    def add(count):
        for _ in range(count):
            premises = make_premises(make_business(members=[owner]))
            item = make_equipment(premises, EquipmentKind.BOILER)
            granted = exemptions.request_exemption(owner, make_exemption(premises, equipment=item))
            exemptions.decide_exemption(administrator, granted, approve=True, reason="ok")

    add(3)
    small = _list_queries(client)
    add(27)
    large = _list_queries(client)

    assert len(large) == len(small), large
    assert not [sql for sql in large if "COUNT(" in sql.upper()]


def test_the_schema_describes_the_exemption_endpoints():
    out, err = StringIO(), StringIO()

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        stdout=out,
        stderr=err,
    )

    schema = out.getvalue()
    for path in (
        "/api/v1/exemptions/",
        "/api/v1/exemptions/{id}/",
        "/api/v1/exemptions/{id}/decide/",
        "/api/v1/exemptions/{id}/revoke/",
    ):
        assert f'"{path}"' in schema, path
    assert "Warning" not in err.getvalue() and "Error" not in err.getvalue(), err.getvalue()
