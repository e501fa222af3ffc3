"""Services of the programme records: who may change them, and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.audit import history_of
from programs import services
from programs.models import (
    Criterion,
    CriterionAssessment,
    FrameworkItem,
    Programme,
    Project,
    ReviewStep,
    ScoringCriterion,
    ScoringScheme,
)
from tests.programs.builders import make_programme, make_project

pytestmark = pytest.mark.django_db


def test_a_programme_officer_creates_records_unpublished(programme_officer):
    programme = Programme(code="locarnet-2", name_en="LoCARNet 2", kind="research_network")
    programme.published = True  # asked for, but only administrators publish

    services.save_record(programme_officer, programme)

    programme.refresh_from_db()
    assert not programme.published
    (entry,) = history_of(programme)
    assert entry.actor == programme_officer
    assert entry.changes["name_en"] == [None, "LoCARNet 2"]


@pytest.mark.parametrize("persona", ["owner", "inspector", "api_client", "supplier"])
def test_users_outside_the_programmes_cannot_write_records(persona, personas):
    with pytest.raises(PermissionDenied):
        services.save_record(personas[persona], Programme(code="x", name_en="X", kind="other"))

    assert not Programme.objects.exists()


def test_saving_validates_the_model(programme_officer):
    with pytest.raises(ValidationError) as error:
        services.save_record(programme_officer, Programme(code="bad code!", name_en="X"))

    assert {"code", "kind"} <= set(error.value.message_dict)


def test_an_officer_edit_keeps_the_publication_and_is_audited(programme_officer):
    programme = make_programme("esc", published=True)
    programme.name_en = "ESC (renamed)"
    programme.published = False

    services.save_record(programme_officer, programme, reason="typo")

    programme.refresh_from_db()
    assert programme.published
    (entry,) = history_of(programme)
    assert entry.changes == {"name_en": ["Programme esc", "ESC (renamed)"]}
    assert entry.reason == "typo"


def test_only_administrators_publish_and_unpublish(programme_officer, administrator):
    programme = make_programme("jcm", published=False)

    with pytest.raises(PermissionDenied):
        services.publish(programme_officer, programme)
    services.publish(administrator, programme, reason="checked against doc 003")
    services.publish(administrator, programme)  # again: nothing changes

    programme.refresh_from_db()
    assert programme.published
    (entry,) = history_of(programme)
    assert entry.actor == administrator
    assert entry.changes == {"published": [False, True]}
    assert entry.reason == "checked against doc 003"

    services.unpublish(administrator, programme)
    programme.refresh_from_db()
    assert not programme.published
    assert history_of(programme).count() == 2


def test_a_proposal_is_reviewed_step_by_step_with_who_and_when(programme_officer, administrator):
    proposal = make_project(make_programme(), status="draft")

    services.take_review_step(programme_officer, proposal, "submit")
    with pytest.raises(ValidationError) as error:
        services.take_review_step(administrator, proposal, "reject")  # no reason
    assert "reason" in error.value.message_dict
    services.take_review_step(administrator, proposal, "reject", reason="No master plan.")

    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    steps = list(ReviewStep.objects.filter(project=proposal))
    assert [(s.from_status, s.to_status, s.actor) for s in steps] == [
        ("draft", "under_review", programme_officer),
        ("under_review", "rejected", administrator),
    ]
    assert steps[1].reason == "No master plan."
    assert steps[0].at <= steps[1].at
    assert [e.action for e in history_of(proposal)] == ["reject", "update"]


def test_a_step_the_table_does_not_allow_is_refused(programme_officer):
    proposal = make_project(make_programme(), status="draft")

    with pytest.raises(ValidationError, match="not possible"):
        services.take_review_step(programme_officer, proposal, "approve")

    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert not ReviewStep.objects.exists()


def test_business_users_cannot_review(owner):
    proposal = make_project(make_programme(), status="draft")

    with pytest.raises(PermissionDenied):
        services.take_review_step(owner, proposal, "submit")


def test_a_criterion_decision_records_who_and_when(programme_officer):
    programme = make_programme()
    FrameworkItem.objects.create(
        programme=programme,
        item_type="project_criterion",
        item_no=1,
        text_original="必須是已取得APEC會員體官方認可的計畫",
        text_en="Officially endorsed",
    )
    FrameworkItem.objects.create(
        programme=programme,
        item_type="tf_responsibility",
        item_no=1,
        text_original="x",
        text_en="Not a criterion",
    )
    assert [c.text_en for c in Criterion.objects.all()] == ["Officially endorsed"]
    assessment = CriterionAssessment.objects.create(
        criterion=Criterion.objects.get(), project=make_project(programme)
    )

    services.decide_criterion(
        programme_officer, assessment, "met", reason="Letter of NEA", evidence="NEA letter"
    )

    assessment.refresh_from_db()
    assert assessment.decision == "met"
    assert assessment.decided_by == programme_officer
    assert assessment.decided_at is not None
    assert assessment.evidence == "NEA letter"


def test_weighted_scores_rank_competing_proposals(programme_officer, administrator):
    programme = make_programme()
    scheme = ScoringScheme.objects.create(programme=programme, name="LCMT call 2026")
    ScoringCriterion.objects.create(scheme=scheme, code="economic", label="Economic", weight=40)
    ScoringCriterion.objects.create(scheme=scheme, code="carbon", label="Carbon", weight=60)
    first, second, third = (make_project(programme, f"p{n}") for n in range(3))

    services.score_proposal(programme_officer, scheme, first, {"economic": 60, "carbon": 90})
    services.score_proposal(administrator, scheme, first, {"economic": 80, "carbon": 90})
    services.score_proposal(programme_officer, scheme, second, {"economic": "90", "carbon": 40})
    scheme.proposals.add(third)  # competing, not scored yet

    ranking = services.ranking(scheme)

    assert [(r.key, r.total, r.rank) for r in ranking.ranked] == [
        (first.pk, Decimal("82.00"), 1),  # economic averaged over two reviewers: 70
        (second.pk, Decimal("60.00"), 2),
    ]
    assert ranking.incomplete == [third.pk]


@pytest.mark.parametrize(
    "scores",
    [{"economic": 101, "carbon": 1}, {"economic": "many", "carbon": 1}, {"economic": 50}],
)
def test_bad_scores_are_refused(programme_officer, scores):
    programme = make_programme()
    scheme = ScoringScheme.objects.create(programme=programme, name="call")
    ScoringCriterion.objects.create(scheme=scheme, code="economic", label="E", weight=1)
    ScoringCriterion.objects.create(scheme=scheme, code="carbon", label="C", weight=1)
    proposal = make_project(programme)

    with pytest.raises(ValidationError):
        services.score_proposal(programme_officer, scheme, proposal, scores)

    assert not scheme.criteria.filter(scores__isnull=False).exists()
    assert Project.objects.get(pk=proposal.pk).scores.count() == 0
