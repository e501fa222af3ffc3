"""Reviews and awards through the API: the call's reviewers score, officers read scores,
the ranking is for reviewers until published, 400 with field errors, constant queries."""

import pytest
from django.urls import reverse

from subsidies.models import AwardCertificate, ReviewScore
from tests.factories import make_business, make_premises
from tests.subsidies.scheme_builders import make_application, make_call, make_reviewer

pytestmark = pytest.mark.django_db

CRITERIA = [("saving", "Energy saved", 60), ("management", "Energy management", 40)]


@pytest.fixture
def call(programme_officer):
    scheme = make_call("excellence", criteria=CRITERIA)
    scheme.reviewers.add(programme_officer)
    return scheme


@pytest.fixture
def entry(call, premises):
    return make_application(call, premises, status="under_review")


def _score(client, application, **scores):
    return client.post(
        reverse("api:review-score-list"),
        {"application": application.pk, "scores": scores},
        content_type="application/json",
    )


def test_an_assigned_reviewer_scores_every_criterion(client, programme_officer, entry):
    client.force_login(programme_officer)

    response = _score(client, entry, saving=80, management=60)

    assert response.status_code == 201, response.json()
    rows = {row["criterion"]: row for row in response.json()}
    assert {code: row["score"] for code, row in rows.items()} == {"saving": 80, "management": 60}
    assert rows["saving"]["weight"] == 60
    assert rows["saving"]["reviewer"] == programme_officer.username
    assert ReviewScore.objects.filter(application=entry, reviewer=programme_officer).count() == 2


def test_scoring_again_replaces_the_reviewers_scores(client, programme_officer, entry):
    client.force_login(programme_officer)
    _score(client, entry, saving=80, management=60)

    _score(client, entry, saving=50, management=50)

    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [50, 50]


def test_an_officer_not_assigned_to_the_call_may_not_score(client, call, entry):
    outsider = make_reviewer("officer-elsewhere")
    client.force_login(outsider)

    response = _score(client, entry, saving=80, management=60)
    page = client.post(
        reverse("application-score", args=[entry.pk]), {"score_saving": 1, "score_management": 1}
    )

    assert response.status_code == 403
    assert page.status_code == 403
    assert not ReviewScore.objects.exists()


def test_an_administrator_scores_without_being_assigned(client, administrator, entry):
    client.force_login(administrator)

    assert _score(client, entry, saving=80, management=60).status_code == 201


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"saving": 80}, "scores"),  # a criterion left out
        ({"saving": 80, "management": 60, "design": 10}, "scores"),  # not a criterion
        ({"saving": 101, "management": 60}, "scores"),  # above 100
        ({"saving": "high", "management": 60}, "scores"),  # not a number
    ],
)
def test_bad_scores_are_400_with_field_errors(client, programme_officer, entry, scores, field):
    client.force_login(programme_officer)

    response = _score(client, entry, **scores)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ReviewScore.objects.exists()


def test_only_applications_under_review_are_scored(client, programme_officer, call, premises):
    submitted = make_application(call, premises, status="submitted")
    client.force_login(programme_officer)

    response = _score(client, submitted, saving=80, management=60)

    assert response.status_code == 400
    assert response.json()["errors"]["application"] == [
        "Only applications under review are scored."
    ]


def test_another_business_application_does_not_exist_for_the_scorer(
    client, owner, other_owner, entry
):
    client.force_login(other_owner)

    response = _score(client, entry, saving=80, management=60)

    assert response.status_code == 403  # business users never score


def test_scores_are_read_by_officers_only(
    client, programme_officer, inspector, owner, administrator, entry
):
    client.force_login(programme_officer)
    _score(client, entry, saving=80, management=60)
    score = ReviewScore.objects.first()
    url = reverse("api:review-score-list")

    for user in (owner, inspector):
        client.force_login(user)
        assert client.get(url).json()["results"] == []
        assert client.get(reverse("api:review-score-detail", args=[score.pk])).status_code == 404
    client.force_login(administrator)
    assert len(client.get(url).json()["results"]) == 2


def test_the_ranking_is_for_reviewers_until_published_then_for_everyone(
    client, programme_officer, administrator, owner, call, entry
):
    other = make_application(call, make_premises(make_business()), status="under_review")
    client.force_login(programme_officer)
    _score(client, entry, saving=90, management=70)  # 82
    _score(client, other, saving=50, management=50)  # 50
    url = reverse("api:reward-call-ranking", args=[call.pk])

    reviewers_view = client.get(url).json()
    client.force_login(owner)
    assert client.get(url).status_code == 404

    client.force_login(administrator)
    published = client.post(
        reverse("api:reward-call-publish", args=[call.pk]), {"count": 1}, "application/json"
    )
    client.force_login(owner)
    public = client.get(url).json()

    assert reviewers_view["published"] is False
    assert [(r["application"], r["score"]) for r in reviewers_view["rows"]] == [
        (entry.pk, "82.00"),
        (other.pk, "50.00"),
    ]
    assert published.status_code == 201, published.json()
    assert public["published"] is True
    assert [(r["rank"], r["application"], r["awarded"]) for r in public["rows"]] == [
        (1, entry.pk, True),
        (2, other.pk, False),
    ]
    assert AwardCertificate.objects.get().application == entry
    detail = client.get(reverse("api:reward-call-detail", args=[call.pk])).json()
    assert detail["awarded"] == [entry.pk]
    assert [c["code"] for c in detail["criteria"]] == ["saving", "management"]


def test_publishing_refusals_are_400(client, administrator, programme_officer, call, entry):
    client.force_login(administrator)
    url = reverse("api:reward-call-publish", args=[call.pk])

    no_count = client.post(url, {}, "application/json")
    nothing_scored = client.post(url, {"count": 1}, "application/json")

    assert no_count.status_code == 400
    assert "count" in no_count.json()["errors"]
    assert nothing_scored.status_code == 400
    assert nothing_scored.json()["errors"]["non_field_errors"] == [
        "No application of this call has been scored."
    ]


def test_a_publication_beyond_the_budget_is_400_on_the_count(
    client, administrator, programme_officer, premises
):
    call = make_call("prizes", criteria=CRITERIA, budget_ntd=50_000, award_amount_ntd=100_000)
    call.reviewers.add(programme_officer)
    entry = make_application(call, premises, status="under_review")
    client.force_login(programme_officer)
    _score(client, entry, saving=90, management=90)
    client.force_login(administrator)

    response = client.post(
        reverse("api:reward-call-publish", args=[call.pk]), {"count": 1}, "application/json"
    )

    assert response.status_code == 400
    assert "NT$50,000 left" in response.json()["errors"]["count"][0]


def test_subsidy_schemes_are_not_reward_calls(client, owner, call):
    from tests.subsidies.scheme_builders import make_scheme

    subsidy = make_scheme("lamps")
    client.force_login(owner)

    listed = client.get(reverse("api:reward-call-list")).json()["results"]

    assert [row["id"] for row in listed] == [call.pk]
    assert client.get(reverse("api:reward-call-detail", args=[subsidy.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_the_score_list_runs_a_constant_number_of_queries(
    client, administrator, programme_officer, call, count, django_assert_num_queries
):
    client.force_login(programme_officer)
    for _ in range(count):
        application = make_application(call, make_premises(make_business()), status="under_review")
        _score(client, application, saving=70, management=70)
    client.force_login(administrator)

    with django_assert_num_queries(3):
        response = client.get(reverse("api:review-score-list"))

    assert len(response.json()["results"]) == 2 * count


@pytest.mark.parametrize("count", [1, 5])
def test_the_reward_call_list_runs_a_constant_number_of_queries(
    client, owner, count, django_assert_num_queries
):
    for index in range(count):
        make_call(f"call-{index}", criteria=CRITERIA)
    client.force_login(owner)

    with django_assert_num_queries(4):
        response = client.get(reverse("api:reward-call-list"))

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_the_ranking_page_and_endpoint_run_a_constant_number_of_queries(
    client, administrator, programme_officer, call, count, django_assert_num_queries
):
    client.force_login(programme_officer)
    for _ in range(count):
        application = make_application(call, make_premises(make_business()), status="under_review")
        _score(client, application, saving=70, management=70)

    with django_assert_num_queries(8):
        page = client.get(reverse("scheme-awards", args=[call.pk]))
    with django_assert_num_queries(7):
        api = client.get(reverse("api:reward-call-ranking", args=[call.pk]))

    assert page.status_code == api.status_code == 200
    assert len(api.json()["rows"]) == count
