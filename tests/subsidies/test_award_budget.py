"""Awarding a reward call commits its prizes from the budget, never over-committed;
honorary awards (no prize per award) commit nothing."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.models import AuditEntry
from subsidies.models import AwardCertificate, AwardPublication, Scheme
from subsidies.services import applications, rewards
from tests.factories import make_business, make_premises
from tests.subsidies.scheme_builders import make_application, make_call, make_scheme

pytestmark = pytest.mark.django_db


def _entries(call, reviewer, scores):
    entries = []
    for value in scores:
        entry = make_application(call, make_premises(make_business()), status="under_review")
        rewards.score_application(reviewer, entry, {"saving": value})
        entries.append(entry)
    return entries


def _call(reviewer, **fields):
    call = make_call("prizes", **fields)
    call.reviewers.add(reviewer)
    return call


def test_publishing_a_call_with_a_prize_commits_every_prize(administrator, programme_officer):
    call = _call(programme_officer, budget_ntd=500_000, award_amount_ntd=100_000)
    _entries(call, programme_officer, [90, 80, 70])

    publication = rewards.publish_awards(administrator, call, 2)

    call.refresh_from_db()
    assert call.committed_ntd == 200_000
    assert (publication.award_amount_ntd, publication.committed_ntd) == (100_000, 200_000)
    entry = AuditEntry.objects.get(object_type="subsidies.awardpublication")
    assert entry.changes["committed_ntd"] == [None, 200_000]
    assert entry.actor == administrator


def test_prizes_beyond_the_remaining_budget_are_refused_and_nothing_is_published(
    administrator, programme_officer
):
    call = _call(programme_officer, budget_ntd=250_000, award_amount_ntd=100_000)
    Scheme.objects.filter(pk=call.pk).update(committed_ntd=100_000)  # an earlier approval
    _entries(call, programme_officer, [90, 80])

    with pytest.raises(ValidationError) as refused:
        rewards.publish_awards(administrator, call, 2)

    assert refused.value.message_dict["count"] == [
        "The call's budget has NT$150,000 left: 2 award(s) of NT$100,000 need NT$200,000."
    ]
    call.refresh_from_db()
    assert call.committed_ntd == 100_000
    assert not AwardPublication.objects.exists()
    assert not AwardCertificate.objects.exists()
    # One award fits: the administrator may publish fewer.
    rewards.publish_awards(administrator, call, 1)
    call.refresh_from_db()
    assert call.committed_ntd == 200_000


def test_honorary_awards_commit_nothing(administrator, programme_officer):
    call = _call(programme_officer, budget_ntd=0)
    _entries(call, programme_officer, [90, 80])

    publication = rewards.publish_awards(administrator, call, 2)

    call.refresh_from_db()
    assert call.committed_ntd == 0
    assert (publication.award_amount_ntd, publication.committed_ntd) == (None, 0)
    assert AwardCertificate.objects.count() == 2


def test_only_reward_calls_pay_a_prize_per_award():
    subsidy = make_scheme("lamps", award_amount_ntd=10_000)

    with pytest.raises(ValidationError) as refused:
        subsidy.full_clean()

    assert refused.value.message_dict["award_amount_ntd"] == [
        "Only reward calls pay a prize per award."
    ]


def _race(*calls):
    """Run the callables at the same moment, each on its own connection; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, function):
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            function()
            outcomes[index] = "done"
        except ValidationError as exc:
            outcomes[index] = exc.messages[0]
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_administrators_publishing_at_once_commit_the_prizes_once(
    administrator, programme_officer, make_user
):
    from portal.choices import Role

    second_administrator = make_user("admin2", Role.ADMINISTRATOR)
    call = _call(programme_officer, budget_ntd=1_000_000, award_amount_ntd=100_000)
    _entries(call, programme_officer, [90, 80])

    outcomes = _race(
        lambda: rewards.publish_awards(administrator, call, 2),
        lambda: rewards.publish_awards(second_administrator, call, 2),
    )

    call.refresh_from_db()
    assert sorted(outcomes) == ["The awards of this call are already published.", "done"]
    assert call.committed_ntd == 200_000
    assert AwardPublication.objects.count() == 1
    assert AwardCertificate.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_a_publication_and_an_approval_at_once_never_exceed_the_budget(
    administrator, programme_officer
):
    call = _call(programme_officer, budget_ntd=150_000, award_amount_ntd=100_000)
    _entries(call, programme_officer, [90])
    # Another application of the same call, approved through the workflow for NT$100,000.
    other = make_application(
        call, make_premises(make_business()), status="under_review", eligible_cost_ntd=200_000
    )

    outcomes = _race(
        lambda: rewards.publish_awards(administrator, call, 1),
        lambda: applications.approve(programme_officer, other, 100_000),
    )

    call.refresh_from_db()
    assert outcomes.count("done") == 1, outcomes
    assert call.committed_ntd == 100_000
    assert call.committed_ntd <= call.budget_ntd
