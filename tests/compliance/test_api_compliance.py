"""The compliance status API: lists, filters, decisions by date, business roll-up, visibility."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.models import BusinessMembership, PremisesStatus
from compliance.rulebook.services import assessment
from portal.models import ApiToken
from tests.compliance.decisions import LATER, TODAY, chiller_without_meter, decided_then_changed
from tests.factories import make_business, make_premises

pytestmark = pytest.mark.django_db
LIST = reverse("api:compliance-premises-list")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(premises) -> str:
    return reverse("api:compliance-premises-detail", args=[premises.pk])


def business_url(business) -> str:
    return reverse("api:compliance-business-detail", args=[business.pk])


def parameters(client, decision: dict) -> dict:
    """The parameter values of the rule-book version a decision links to."""
    response = client.get(decision["rulebook_version"]["url"])
    assert response.status_code == 200, response.json()
    return response.json()["parameters"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def breaking(business):
    """A premises breaking Art. 5-3 (a 120 HP chiller without its own meter), in Da'an."""
    item = make_premises(business, name="Breaking", district="daan", category="hotel")
    chiller_without_meter(item)
    assessment.assess_premises([item.pk], day=TODAY)
    return item


@pytest.fixture
def unknown(other_business):
    """A premises of another business with nothing declared: unknown, in Xinyi."""
    item = make_premises(other_business, name="Unknown", district="xinyi", category="general")
    assessment.assess_premises([item.pk], day=TODAY)
    return item


# The list of current statuses.


def test_list_shows_each_premises_current_status_with_its_articles(inspector, breaking):
    (row,) = api(inspector).get(LIST).json()["results"]

    status = PremisesStatus.objects.get(premises=breaking)
    assert row["id"] == breaking.pk
    assert row["name"] == "Breaking"
    assert row["business"] == breaking.business_id
    assert row["business_name"] == breaking.business.name_zh
    assert (row["district"], row["category"]) == ("daan", "hotel")
    assert row["outcome"] == "non_compliant"
    assert row["as_of"] == TODAY.isoformat()
    assert row["rulebook_version"] == status.assessment.rulebook_version_id
    assert row["articles"]["5-3"] == "non_compliant"
    assert row["articles"]["5-5"] == "unknown"
    assert row["articles"]["8-1"] is None  # no boiler: the article does not arise


def test_a_premises_never_assessed_is_listed_without_a_status(inspector, premises):
    (row,) = api(inspector).get(LIST).json()["results"]

    assert (row["id"], row["outcome"], row["as_of"], row["articles"]) == (
        premises.pk,
        None,
        None,
        None,
    )


def test_list_filters_by_status_district_category_and_business(inspector, breaking, unknown):
    client = api(inspector)

    assert ids(client.get(LIST, {"status": "non_compliant"})) == [breaking.pk]
    assert ids(client.get(LIST, {"status": "unknown"})) == [unknown.pk]
    assert ids(client.get(LIST, {"district": "xinyi"})) == [unknown.pk]
    assert ids(client.get(LIST, {"category": "hotel"})) == [breaking.pk]
    assert ids(client.get(LIST, {"business": unknown.business_id})) == [unknown.pk]
    assert ids(client.get(LIST, {"status": "compliant"})) == []


def test_list_filters_by_article_and_its_outcome(inspector, breaking, unknown):
    client = api(inspector)

    assert ids(client.get(LIST, {"article": "5-3"})) == [breaking.pk]
    assert ids(client.get(LIST, {"article": "5-5"})) == []
    assert ids(client.get(LIST, {"article": "5-5", "article_outcome": "unknown"})) == sorted(
        [breaking.pk, unknown.pk]
    )
    assert ids(client.get(LIST, {"article": "5-3", "article_outcome": "compliant"})) == []


def test_bad_filters_are_400s_with_field_errors(inspector):
    client = api(inspector)

    for query, field in (
        ({"status": "fine"}, "status"),
        ({"article": "99"}, "article"),
        ({"article_outcome": "unknown"}, "article_outcome"),
    ):
        response = client.get(LIST, query)
        assert response.status_code == 400
        assert field in response.json()["errors"]


def test_list_costs_the_same_queries_for_3_and_30_premises_and_never_counts(administrator):
    business = make_business()

    def add(n):
        made = [make_premises(business) for _ in range(n)]
        for item in made[::2]:
            chiller_without_meter(item)
        assessment.assess_premises([p.pk for p in made[1:]], day=TODAY)

    client = api(administrator)
    add(3)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(LIST, {"page_size": 100}).json()["results"]) == 3
    add(27)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(LIST, {"page_size": 100}).json()["results"]) == 30
    assert len(large) == len(small)
    assert not any("COUNT(" in q["sql"].upper() for q in large.captured_queries)


def test_list_pages_with_a_cursor(inspector, business):
    made = [make_premises(business) for _ in range(3)]

    first = api(inspector).get(LIST, {"page_size": 2}).json()
    second = api(inspector).get(first["next"]).json()

    assert "count" not in first
    listed = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(listed) == sorted(p.pk for p in made)


# One premises' decision, current or as of a date.


def test_detail_gives_the_current_decision_with_findings_version_and_parameters(owner, breaking):
    client = api(owner)
    response = client.get(detail(breaking))

    data = response.json()
    assert response.status_code == 200
    assert data["premises"] == breaking.pk
    assert data["outcome"] == "non_compliant"
    assert data["as_of"] == TODAY.isoformat()
    assert data["rulebook_version"]["effective_from"]
    assert "parameters" not in data  # API 1.1: the version's link, not a copy
    assert parameters(client, data)["chiller_threshold_hp"] == "100"
    (finding,) = [f for f in data["findings"] if f["article"] == "5-3"]
    assert (finding["measured"], finding["limit"], finding["unit"]) == ("120.0", "100", "hp")
    assert "separate" in finding["explanation"]
    assert finding["exemption_explanation"] is None


def test_as_of_gives_the_decision_valid_that_day_with_its_old_parameters(
    administrator, owner, premises
):
    new_version = decided_then_changed(administrator, premises)
    client = api(owner)

    current = client.get(detail(premises)).json()
    old = client.get(detail(premises), {"as_of": (LATER - datetime.timedelta(days=1))}).json()

    assert current["rulebook_version"]["id"] == new_version.pk
    assert parameters(client, current)["chiller_threshold_hp"] == "150"
    assert current["article_outcomes"]["5-3"] is None
    assert old["as_of"] == TODAY.isoformat()
    assert old["rulebook_version"]["id"] != new_version.pk
    assert parameters(client, old)["chiller_threshold_hp"] == "100"
    assert old["article_outcomes"]["5-3"] == "non_compliant"


def token_client(user) -> APIClient:
    """A client signed in with an API token, as integrations are."""
    client = APIClient()
    _, raw = ApiToken.generate(user, "status")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.get(reverse("api:api-root"))  # the token's first use records last_used_at
    return client


def test_a_decision_costs_two_queries_rendered_or_not_whatever_its_findings(owner, business):
    client = token_client(owner)
    plain = make_premises(business)
    assessment.assess_premises([plain.pk], day=TODAY)
    busy = make_premises(business)
    for hp in ("120", "130", "140", "150"):
        chiller_without_meter(busy, hp)
    assessment.assess_premises([busy.pk], day=TODAY)

    counts = []
    for item in (plain, busy, plain, busy):  # first rendered, then served as rendered
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(detail(item))
        assert response.status_code == 200
        counts.append(len(ctx))

    assert counts == [2, 2, 2, 2]  # the token, then the premises with its decision
    assert len(response.json()["findings"]) > 1


def test_a_business_status_costs_three_queries_whatever_its_premises(owner, business):
    client = token_client(owner)
    counts = []
    for _ in range(2):
        make_premises(business)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(business_url(business))
        assert response.status_code == 200
        counts.append(len(ctx))

    assert counts == [3, 3]  # the token, the business, its premises with their statuses
    assert len(response.json()["premises"]) == 2


# The token and the visible rows are read by statements compiled once: what changes
# after they were compiled is seen on the next request.


def test_a_token_revoked_or_expired_after_use_is_refused_at_once(owner, breaking, time_machine):
    revoked, expiring = token_client(owner), token_client(owner)
    ApiToken.objects.filter(user=owner).update(expires_at=None)
    token = ApiToken.objects.filter(user=owner).order_by("pk")
    for client in (revoked, expiring):
        assert client.get(detail(breaking)).status_code == 200

    token.filter(pk=token[0].pk).update(revoked_at=datetime.datetime.now(datetime.UTC))
    token.filter(pk=token[1].pk).update(
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    )
    assert expiring.get(detail(breaking)).status_code == 200
    time_machine.shift(datetime.timedelta(hours=2))

    for client in (revoked, expiring):
        response = client.get(detail(breaking), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid or revoked token."
        assert client.get(business_url(breaking.business)).status_code == 401


def test_a_token_of_a_user_made_inactive_is_refused(owner, breaking):
    client = token_client(owner)
    assert client.get(detail(breaking)).status_code == 200
    owner.is_active = False
    owner.save()

    assert client.get(detail(breaking)).status_code == 401


def test_a_token_records_its_use_at_most_each_minute(owner, breaking, time_machine):
    client = token_client(owner)
    token = ApiToken.objects.get(user=owner)
    first = token.last_used_at
    time_machine.shift(datetime.timedelta(seconds=30))
    client.get(detail(breaking))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    time_machine.shift(datetime.timedelta(seconds=60))
    client.get(detail(breaking))
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_each_business_user_sees_its_own_and_not_another_s_in_turn(
    owner, other_owner, breaking, unknown
):
    mine, theirs = token_client(owner), token_client(other_owner)
    for _ in range(2):  # the statements of both visibilities compiled, then reused
        assert mine.get(detail(breaking)).status_code == 200
        assert mine.get(detail(unknown)).status_code == 404
        assert mine.get(business_url(unknown.business)).status_code == 404
        assert theirs.get(detail(unknown)).status_code == 200
        assert theirs.get(detail(breaking)).status_code == 404
        assert theirs.get(business_url(breaking.business)).status_code == 404


def test_visibility_changes_are_seen_on_the_next_request(owner, administrator, breaking, unknown):
    client = token_client(owner)
    assert client.get(detail(breaking)).status_code == 200
    assert client.get(business_url(breaking.business)).status_code == 200

    BusinessMembership.objects.filter(user=owner).delete()
    assert client.get(detail(breaking)).status_code == 404
    assert client.get(business_url(breaking.business)).status_code == 404

    staff = token_client(administrator)
    assert staff.get(detail(unknown)).status_code == 200
    administrator.role = owner.role  # now a business user of no business
    administrator.save()
    assert staff.get(detail(unknown)).status_code == 404
    assert staff.get(business_url(unknown.business)).status_code == 404


@pytest.mark.parametrize("pk", ["abc", "-1", "0", "99999999999999999999"])
def test_an_id_that_names_nothing_is_not_found(administrator, pk):
    client = token_client(administrator)
    for url in ("compliance-premises-detail", "compliance-business-detail"):
        for query in ({}, {"as_of": TODAY.isoformat()}):
            response = client.get(
                reverse(f"api:{url}", args=[pk]), query, HTTP_ACCEPT_LANGUAGE="en"
            )
            assert response.status_code == 404
            assert response.json()["detail"] == "Not found."


def test_a_decision_is_served_in_the_language_asked_and_confirmed_anew(owner, breaking):
    client = api(owner)
    english = client.get(detail(breaking), HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get(detail(breaking), HTTP_ACCEPT_LANGUAGE="zh-hant").json()
    assessment.assess_premises([breaking.pk], day=LATER)  # nothing changed: confirmed
    confirmed = client.get(detail(breaking), HTTP_ACCEPT_LANGUAGE="en").json()

    (en_finding,) = [f for f in english["findings"] if f["article"] == "5-3"]
    (zh_finding,) = [f for f in chinese["findings"] if f["article"] == "5-3"]
    assert "separate" in en_finding["explanation"]
    assert en_finding["explanation"] != zh_finding["explanation"]
    assert english["confirmed_on"] == TODAY.isoformat()
    assert confirmed["id"] == english["id"]
    assert confirmed["confirmed_on"] == LATER.isoformat()


def test_a_premises_never_assessed_or_not_visible_is_not_found(owner, other_owner, premises):
    assert api(owner).get(detail(premises)).status_code == 404  # not assessed yet
    assessment.assess_premises([premises.pk], day=TODAY)
    assert api(owner).get(detail(premises)).status_code == 200
    assert api(other_owner).get(detail(premises)).status_code == 404


def test_as_of_before_any_decision_is_not_found(owner, breaking):
    response = api(owner).get(detail(breaking), {"as_of": "2020-01-01"})

    assert response.status_code == 404
    assert "by that day" in response.json()["detail"]


def test_a_bad_as_of_is_a_400_naming_the_field(owner, breaking, business):
    for url in (detail(breaking), business_url(business)):
        response = api(owner).get(url, {"as_of": "2026-02-30"})
        assert response.status_code == 400
        assert "as_of" in response.json()["errors"]


# Who sees what.


def test_business_users_see_only_their_own_premises(owner, other_owner, breaking, unknown):
    assert ids(api(owner).get(LIST)) == [breaking.pk]
    assert ids(api(other_owner).get(LIST)) == [unknown.pk]
    assert api(other_owner).get(detail(breaking)).status_code == 404
    assert api(other_owner).get(business_url(breaking.business)).status_code == 404
    # Filtering by another business's id tells nothing either.
    assert ids(api(owner).get(LIST, {"business": unknown.business_id})) == []


@pytest.mark.parametrize("role", ["administrator", "inspector", "api_client"])
def test_city_staff_and_api_clients_see_every_premises(personas, role, breaking, unknown):
    client = api(personas[role])

    assert ids(client.get(LIST)) == sorted([breaking.pk, unknown.pk])
    assert client.get(detail(unknown)).status_code == 200


@pytest.mark.parametrize("role", ["supplier", "programme_officer"])
def test_other_roles_see_nothing(personas, role, breaking):
    client = api(personas[role])

    assert ids(client.get(LIST)) == []
    assert client.get(detail(breaking)).status_code == 404
    assert client.get(business_url(breaking.business)).status_code == 404


def test_anonymous_clients_are_refused(breaking):
    assert APIClient().get(LIST).status_code == 401


# A business's status.


def test_business_status_rolls_up_its_premises(owner, business, breaking):
    quiet = make_premises(business, name="Quiet")
    assessment.assess_premises([quiet.pk], day=TODAY)
    never = make_premises(business, name="Never")

    data = api(owner).get(business_url(business)).json()

    assert data["business"] == business.pk
    assert data["outcome"] == "non_compliant"
    outcomes = {row["id"]: row["outcome"] for row in data["premises"]}
    assert outcomes == {breaking.pk: "non_compliant", quiet.pk: "unknown", never.pk: None}


def test_business_status_as_of_a_date_uses_the_decisions_valid_then(administrator, owner, business):
    premises = make_premises(business)
    decided_then_changed(administrator, premises)
    client = api(owner)

    before = client.get(business_url(business), {"as_of": TODAY.isoformat()}).json()
    earlier = client.get(business_url(business), {"as_of": "2020-01-01"}).json()
    now = client.get(business_url(business)).json()

    assert before["as_of"] == TODAY.isoformat()
    assert before["outcome"] == "non_compliant"
    assert before["premises"][0]["as_of"] == TODAY.isoformat()
    assert earlier["outcome"] == "unknown"
    assert earlier["premises"][0]["outcome"] is None
    assert now["outcome"] == "unknown"  # 5-3 no longer arises; 5-5 awaits an inspection
    assert now["premises"][0]["as_of"] == LATER.isoformat()
