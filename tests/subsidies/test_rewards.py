"""Rewards for excellent performance: criteria with weights, reviewers' scores, the ranking."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import AwardPublication
from subsidies.services import rewards
from tests.factories import make_business, make_premises
from tests.subsidies.scheme_builders import make_application, make_scheme

pytestmark = pytest.mark.django_db

CRITERIA = [("saving", "Energy saved", 60), ("management", "Energy management", 40)]


@pytest.fixture
def call(administrator, programme_officer):
    scheme = make_scheme(
        "excellence",
        title="Energy-saving excellence award",
        category="excellent_performance",
        opens_on=date(2026, 1, 1),
    )
    rewards.save_criteria(administrator, scheme, CRITERIA)
    scheme.reviewers.add(programme_officer)
    return scheme


def _entry(call):
    return make_application(call, make_premises(make_business()), status="under_review")


def test_the_weights_must_add_up_to_100(administrator, call):
    with pytest.raises(ValidationError, match="add up to 100"):
        rewards.save_criteria(administrator, call, [("saving", "Energy saved", 50)])


def test_only_reward_calls_take_criteria(administrator):
    subsidy = make_scheme("subsidy")

    with pytest.raises(ValidationError, match="not a reward call"):
        rewards.save_criteria(administrator, subsidy, CRITERIA)


def test_the_ranking_averages_the_weighted_scores_of_the_reviewers(
    call, programme_officer, administrator
):
    first, second = _entry(call), _entry(call)
    rewards.score_application(programme_officer, first, {"saving": 90, "management": 70})
    rewards.score_application(administrator, first, {"saving": 70, "management": 50})
    rewards.score_application(programme_officer, second, {"saving": 100, "management": 100})

    ranked = rewards.ranking(call)

    assert [(e.application, e.score, e.reviewers) for e in ranked] == [
        (second, Decimal("100.00"), 1),
        (first, Decimal("72.00"), 2),  # (82 + 62) / 2
    ]


def test_a_reviewer_scores_every_criterion_from_0_to_100(call, programme_officer, owner):
    entry = _entry(call)

    with pytest.raises(ValidationError):
        rewards.score_application(programme_officer, entry, {"saving": 90})
    with pytest.raises(ValidationError):
        rewards.score_application(programme_officer, entry, {"saving": 101, "management": 1})
    with pytest.raises(PermissionDenied):
        rewards.score_application(owner, entry, {"saving": 1, "management": 1})


def test_the_awarded_list_is_published_once(call, programme_officer, administrator):
    entries = [_entry(call) for _ in range(3)]
    for value, entry in zip((50, 80, 65), entries, strict=True):
        rewards.score_application(programme_officer, entry, {"saving": value, "management": value})

    publication = rewards.publish_awards(administrator, call, 2)

    assert publication.awarded == [entries[1].pk, entries[2].pk]
    assert [row["score"] for row in publication.ranking] == ["80.00", "65.00", "50.00"]
    with pytest.raises(ValidationError, match="already published"):
        rewards.publish_awards(administrator, call, 1)
    assert AwardPublication.objects.count() == 1


def test_the_criteria_cannot_change_once_scored(call, programme_officer, administrator):
    rewards.score_application(programme_officer, _entry(call), {"saving": 1, "management": 1})

    with pytest.raises(ValidationError, match="cannot change"):
        rewards.save_criteria(administrator, call, [("saving", "Energy saved", 100)])


def test_the_published_ranking_is_shown_to_everyone_signed_in(
    client, owner, call, programme_officer, administrator
):
    from django.urls import reverse

    entry = _entry(call)
    url = reverse("scheme-awards", args=[call.pk])
    client.force_login(programme_officer)
    client.post(
        reverse("application-score", args=[entry.pk]), {"score_saving": 80, "score_management": 60}
    )
    client.force_login(owner)
    assert client.get(url).status_code == 404

    client.force_login(administrator)
    client.post(reverse("scheme-awards-publish", args=[call.pk]), {"count": 1})
    client.force_login(owner)
    page = client.get(url).content.decode()

    assert "72.00" in page
    assert "Awarded" in page
    assert entry.business.display_name in page
