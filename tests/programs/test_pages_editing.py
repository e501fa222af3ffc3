"""Programme staff keep the records in the browser; administrators publish; proposals reviewed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from programs.models import (
    City,
    CriterionAssessment,
    Event,
    FundingContribution,
    Participation,
    Project,
    ProposalScore,
    ReviewStep,
    ScoringScheme,
)
from tests.programs import page_builders as build

pytestmark = pytest.mark.django_db


def audit_of(record) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=record._meta.label_lower, object_id=str(record.pk)
        ).order_by("id")
    )


# --- Creating and editing ---------------------------------------------------------------


def test_an_officer_adds_a_city_unpublished_and_audited(client, programme_officer):
    cambodia = build.country("Cambodia", "カンボジア")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-city-create"),
        {"country": cambodia.pk, "name_original": "バッタンバン", "name_en": "Battambang"},
    )

    city = City.objects.get(name_en="Battambang")
    assert response.status_code == 302
    assert response["Location"] == reverse("programme-city-detail", args=[city.pk])
    assert not city.published  # an administrator publishes it
    [entry] = audit_of(city)
    assert (entry.action, entry.actor) == ("create", programme_officer)
    assert client.get(reverse("programme-city-detail", args=[city.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("programme-city-detail", args=[city.pk])).status_code == 404


def test_a_project_with_errors_comes_back_with_what_was_typed(client, programme_officer):
    jcm = build.programme("jcm", "Joint Crediting Mechanism", kind="crediting_mechanism")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-project-create"),
        {
            "reference": "jcm-fs-fy2014-20",
            "programme": jcm.pk,
            "kind": "jcm_feasibility_study",
            "status": "draft",
            "title_en": "Feasibility study of waste-to-energy in Yangon",
            "title_original": "ヤンゴンにおける廃棄物発電の実現可能性調査",
            "expected_tco2_per_year": "-5",
            "registration_date": "2014-13-40",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "expected_tco2_per_year" in form.errors
    assert "registration_date" in form.errors
    html = response.content.decode()
    assert 'value="Feasibility study of waste-to-energy in Yangon"' in html
    assert "ヤンゴンにおける廃棄物発電の実現可能性調査" in html
    assert 'value="2014-13-40"' in html
    assert not Project.objects.exists()


def test_a_participation_in_a_city_of_another_country_shows_the_models_error(
    client, programme_officer
):
    esc = build.programme("asean-esc", "ASEAN ESC Model Cities Programme")
    yangon = build.city("Yangon", "ヤンゴン", "Myanmar")
    thailand = build.country("Thailand")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-participation-create", args=[esc.code]),
        {
            "city": yangon.pk,
            "country": thailand.pk,
            "programme_year": "2",
            "status": "selected",
            "focus_areas": "Solid waste; 3R",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["city"] == [
        "The city is not in the participation's country."
    ]
    assert "Solid waste; 3R" in response.content.decode()
    assert not Participation.objects.exists()


def test_a_city_twice_in_the_same_programme_year_is_refused_with_the_reason(
    client, programme_officer
):
    esc = build.programme("asean-esc", "ASEAN ESC Model Cities Programme")
    da_nang = build.city("Da Nang", "ダナン", "Viet Nam")
    build.participate(esc, da_nang, 1)
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-participation-create", args=[esc.code]),
        {
            "city": da_nang.pk,
            "country": da_nang.country_id,
            "programme_year": "1",
            "status": "selected",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Participation.objects.count() == 1


def test_an_officer_edits_a_participation_and_the_change_is_audited(client, programme_officer):
    esc = build.programme("asean-esc", "ASEAN ESC Model Cities Programme")
    surabaya = build.city("Surabaya", "スラバヤ", "Indonesia")
    participation = build.participate(esc, surabaya, 1)
    client.force_login(programme_officer)
    url = reverse("programme-participation-edit", args=[participation.pk])

    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(results="Composting reduced waste by 20%", note="Figures: UNSURE.")
    response = client.post(url, data)

    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.results == "Composting reduced waste by 20%"
    assert participation.uncertain  # the note carries a marker
    assert participation.published  # editing does not unpublish
    entry = audit_of(participation)[-1]
    assert entry.action == "update"
    assert entry.changes["results"] == ["", "Composting reduced waste by 20%"]


def test_a_programme_may_not_take_the_code_of_a_page(client, programme_officer):
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-create"),
        {"code": "projects", "name_en": "Projects programme", "kind": "other"},
    )

    assert response.status_code == 200
    assert "names a page of the programmes" in response.context["form"].errors["code"][0]


def test_an_event_takes_its_start_from_the_date_as_written(client, programme_officer):
    esc = build.programme("asean-esc", "ASEAN ESC Model Cities Programme")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-event-create"),
        {
            "code": "ESC-HLS-6",
            "programme": esc.pk,
            "name_en": "6th High Level Seminar on ESC",
            "name_original": "第6回ハイレベルセミナー",
            "start_as_written": "2015-02",
            "status": "planned",
            "venue_en": "Johor Bahru",
        },
    )

    assert response.status_code == 302
    event = Event.objects.get(code="ESC-HLS-6")
    assert (event.start_date, event.date_precision, event.end_date) == (
        date(2015, 2, 1),
        "month",
        date(2015, 2, 28),
    )


def test_a_second_contribution_for_the_same_year_is_refused(client, programme_officer):
    objects = build.matrix_objects()
    contribution = FundingContribution.objects.get(pk=objects["page_contribution"])
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-contribution-create"),
        {
            "fund": contribution.fund_id,
            "economy": contribution.economy_id,
            "year": "2010",
            "amount": "250000",
            "currency": "USD",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="250000"' in response.content.decode()


@pytest.mark.parametrize("role", ["inspector", "owner", "supplier", "api_client"])
def test_other_roles_may_not_create_or_edit_records(client, personas, role):
    objects = build.matrix_objects()
    client.force_login(personas[role])

    assert client.get(reverse("programme-city-create")).status_code == 403
    response = client.post(
        reverse("programme-city-edit", args=[objects["page_city"]]), {"name_en": "Renamed"}
    )
    assert response.status_code == 403
    assert City.objects.get(pk=objects["page_city"]).name_en == "Page City"
    # A record they cannot see is not found at all.
    hidden = reverse("programme-city-edit", args=[objects["page_hidden_city"]])
    assert client.get(hidden).status_code == 404


def test_anonymous_visitors_are_sent_to_login_for_edit_pages(client):
    objects = build.matrix_objects()

    response = client.get(reverse("programme-project-edit", args=[objects["page_project"]]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Publishing -------------------------------------------------------------------------


def test_an_administrator_publishes_and_unpublishes_a_project(client, administrator):
    objects = build.matrix_objects()
    project = Project.objects.get(pk=objects["page_hidden_project"])
    page = reverse("programme-project-detail", args=[project.pk])
    assert client.get(page).status_code == 404

    client.force_login(administrator)
    response = client.post(
        reverse("programme-record-publish", args=["project", project.pk]), {"next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    client.logout()
    assert client.get(page).status_code == 200

    client.force_login(administrator)
    client.post(reverse("programme-record-unpublish", args=["project", project.pk]))
    client.logout()
    assert client.get(page).status_code == 404
    changes = [entry.changes for entry in audit_of(project)]
    assert changes == [{"published": [False, True]}, {"published": [True, False]}]
    assert all(entry.actor == administrator for entry in audit_of(project))


def test_publish_buttons_are_for_administrators_only(client, administrator, programme_officer):
    objects = build.matrix_objects()
    page = reverse("programme-project-detail", args=[objects["page_project"]])
    unpublish = reverse("programme-record-unpublish", args=["project", objects["page_project"]])

    client.force_login(programme_officer)
    assert unpublish not in client.get(page).content.decode()
    assert client.post(unpublish).status_code == 403
    assert Project.objects.get(pk=objects["page_project"]).published

    client.force_login(administrator)
    assert unpublish in client.get(page).content.decode()


def test_publishing_goes_back_only_to_a_page_of_this_site(client, administrator):
    objects = build.matrix_objects()
    client.force_login(administrator)

    response = client.post(
        reverse("programme-record-publish", args=["city", objects["page_hidden_city"]]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse(
        "programme-city-detail", args=[objects["page_hidden_city"]]
    )


# --- Review of proposals ----------------------------------------------------------------


def test_an_officer_takes_review_steps_with_reasons(client, programme_officer):
    objects = build.matrix_objects()
    project = Project.objects.get(pk=objects["page_project"])  # under review
    client.force_login(programme_officer)
    url = reverse("programme-project-review", args=[project.pk])

    refused = client.post(url, {"step": "reject", "reason": "  "})
    assert refused.status_code == 200
    assert refused.context["review_form"].errors["reason"] == ["Give the reason for this decision."]
    project.refresh_from_db()
    assert project.status == "under_review"

    returned = client.post(url, {"step": "return", "reason": "Master plan missing."})
    assert returned.status_code == 302
    client.post(url, {"step": "submit"})
    client.post(url, {"step": "approve", "reason": "All four criteria met."})

    project.refresh_from_db()
    assert project.status == "approved"
    steps = list(ReviewStep.objects.filter(project=project).order_by("id"))
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("under_review", "draft"),
        ("draft", "under_review"),
        ("under_review", "approved"),
    ]
    assert steps[0].reason == "Master plan missing."
    assert steps[-1].actor == programme_officer
    html = client.get(reverse("programme-project-detail", args=[project.pk])).content.decode()
    assert "Master plan missing." in html
    # An approved proposal may only be registered now.
    assert [
        c[0]
        for c in client.get(reverse("programme-project-detail", args=[project.pk]))
        .context["review_form"]
        .fields["step"]
        .choices
    ] == ["register"]


def test_a_reviewer_assesses_a_criterion_with_evidence_and_decides(client, programme_officer):
    objects = build.matrix_objects()
    project = Project.objects.get(pk=objects["page_project"])
    criterion = build.lcmt_criterion(project.programme, number=2)
    client.force_login(programme_officer)

    created = client.post(
        reverse("programme-project-assessment-create", args=[project.pk]),
        {"criterion": criterion.pk, "evidence": "Yujiapu development company set up."},
    )
    assert created.status_code == 302
    assessment = CriterionAssessment.objects.get(criterion=criterion)
    assert assessment.decision == "pending"

    url = reverse("programme-assessment-decide", args=[assessment.pk])
    refused = client.post(url, {"decision": "not_met", "reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"] == ["Say why the criterion is not met."]

    decided = client.post(url, {"decision": "met", "reason": "The body is named."})
    assert decided.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.decision, assessment.decided_by) == ("met", programme_officer)
    assert assessment.decided_at is not None
    assert audit_of(assessment)[-1].changes["decision"] == ["pending", "met"]


def test_a_criterion_of_another_programme_cannot_be_assessed(client, programme_officer):
    objects = build.matrix_objects()
    other = build.programme("other", "Other programme")
    foreign = build.lcmt_criterion(other)
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-project-assessment-create", args=[objects["page_project"]]),
        {"criterion": foreign.pk, "evidence": "Typed evidence"},
    )

    assert response.status_code == 200
    assert "criterion" in response.context["form"].errors
    assert "Typed evidence" in response.content.decode()


# --- Weighted scoring -------------------------------------------------------------------


def _score(scheme, project, reviewer, economic, carbon):
    for criterion in scheme.criteria.all():
        ProposalScore.objects.create(
            criterion=criterion,
            project=project,
            reviewer=reviewer,
            score=economic if criterion.code == "economic" else carbon,
        )


def test_the_scoring_page_ranks_competing_proposals_by_weighted_total(
    client, programme_officer, administrator
):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    tianjin = build.project(lcmt, "lcmt-tianjin", title_en="Tianjin Yujiapu")
    samui = build.project(lcmt, "lcmt-samui", title_en="Koh Samui")
    danang = build.project(lcmt, "lcmt-danang", title_en="Da Nang")
    scheme = build.scoring_scheme(lcmt, [tianjin, samui, danang])
    _score(scheme, tianjin, programme_officer, 80, 70)  # 74
    _score(scheme, tianjin, administrator, 60, 90)  # 78 → averaged: 70, 80 → 76
    _score(scheme, samui, programme_officer, 90, 80)  # 84
    client.force_login(programme_officer)

    response = client.get(reverse("programme-scoring", args=[scheme.pk]))

    assert [(e.rank, p.title_en, e.total) for e, p in response.context["ranked"]] == [
        (1, "Koh Samui", Decimal("84.00")),
        (2, "Tianjin Yujiapu", Decimal("76.00")),
    ]
    assert [p.title_en for p in response.context["incomplete"]] == ["Da Nang"]
    assert "84.00" in response.content.decode()


def test_a_reviewer_enters_scores_on_the_scoring_page(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    samui = build.project(lcmt, "lcmt-samui", title_en="Koh Samui")
    scheme = build.scoring_scheme(lcmt, [samui])
    client.force_login(programme_officer)
    url = reverse("programme-scoring", args=[scheme.pk])

    refused = client.post(url, {"project": samui.pk, "score_economic": "150", "score_carbon": "70"})
    assert refused.status_code == 200
    assert "score_economic" in refused.context["score_form"].errors
    assert 'value="150"' in refused.content.decode()
    assert not ProposalScore.objects.exists()

    saved = client.post(url, {"project": samui.pk, "score_economic": "50", "score_carbon": "100"})
    assert saved.status_code == 302
    ranked = client.get(url).context["ranked"]
    assert [(p.title_en, e.total) for e, p in ranked] == [("Koh Samui", Decimal("80.00"))]


def test_choosing_another_scheme_shows_its_ranking(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    first = build.scoring_scheme(lcmt)
    second = build.scoring_scheme(lcmt, name="Carbon first")
    client.force_login(programme_officer)

    response = client.get(reverse("programme-scoring", args=[first.pk]), {"scheme": second.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("programme-scoring", args=[second.pk])


def test_the_scoring_page_is_for_programme_staff(client, owner):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    scheme = build.scoring_scheme(lcmt)
    url = reverse("programme-scoring", args=[scheme.pk])

    assert client.get(url).status_code == 302
    client.force_login(owner)
    assert client.get(url).status_code == 403


# --- Setting up a scoring scheme --------------------------------------------------------


def _scheme_form(proposals=(), rows=(), **fields) -> dict:
    data = {
        "name": "Economic and carbon benefits",
        "proposals": [p.pk for p in proposals],
        "criteria-TOTAL_FORMS": str(max(2, len(rows))),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, (code, label, weight) in enumerate(rows):
        data.update(
            {
                f"criteria-{index}-code": code,
                f"criteria-{index}-label": label,
                f"criteria-{index}-weight": weight,
            }
        )
    data.update(fields)
    return data


def test_an_officer_sets_up_a_scoring_scheme_with_weighted_criteria(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    tianjin = build.project(lcmt, "lcmt-tianjin", title_en="Tianjin Yujiapu")
    samui = build.project(lcmt, "lcmt-samui", title_en="Koh Samui")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-scoring-scheme-create", args=[lcmt.code]),
        _scheme_form(
            [tianjin, samui],
            [("economic", "Economic benefit", "40"), ("carbon", "Carbon benefit", "60")],
        ),
    )

    scheme = ScoringScheme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme-scoring", args=[scheme.pk])
    assert set(scheme.proposals.all()) == {tianjin, samui}
    assert [(c.code, c.weight) for c in scheme.criteria.order_by("id")] == [
        ("economic", Decimal("40.00")),
        ("carbon", Decimal("60.00")),
    ]
    assert not scheme.published
    criteria_entry = audit_of(scheme)[-1]
    assert criteria_entry.changes["criteria"] == [
        [],
        ["economic: Economic benefit (40)", "carbon: Carbon benefit (60)"],
    ]


def test_a_scheme_with_a_bad_weight_comes_back_with_what_was_typed(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-scoring-scheme-create", args=[lcmt.code]),
        _scheme_form(rows=[("economic", "Economic benefit", "0"), ("carbon", "Carbon", "60")]),
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["weight"]
    html = response.content.decode()
    assert 'value="Economic benefit"' in html
    assert not ScoringScheme.objects.exists()


def test_a_scheme_needs_a_criterion(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    client.force_login(programme_officer)

    response = client.post(
        reverse("programme-scoring-scheme-create", args=[lcmt.code]), _scheme_form()
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A scoring scheme needs at least one weighted criterion."
    ]
    assert not ScoringScheme.objects.exists()


def test_a_scored_criterion_cannot_be_removed(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    samui = build.project(lcmt, "lcmt-samui", title_en="Koh Samui")
    scheme = build.scoring_scheme(lcmt, [samui])
    _score(scheme, samui, programme_officer, 90, 80)
    economic, carbon = scheme.criteria.order_by("id")
    client.force_login(programme_officer)

    data = _scheme_form([samui], name=scheme.name)
    data.update(
        {
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-id": str(economic.pk),
            "criteria-0-code": "economic",
            "criteria-0-label": "Economic benefit",
            "criteria-0-weight": "40",
            "criteria-0-DELETE": "on",
            "criteria-1-id": str(carbon.pk),
            "criteria-1-code": "carbon",
            "criteria-1-label": "Carbon benefit",
            "criteria-1-weight": "60",
        }
    )
    response = client.post(reverse("programme-scoring-scheme-edit", args=[scheme.pk]), data)

    assert response.status_code == 200
    assert "has scores already" in response.context["form"].non_field_errors()[0]
    assert scheme.criteria.count() == 2


def test_the_score_form_names_each_criterion_with_its_weight(client, programme_officer):
    lcmt = build.programme("apec-lcmt", "APEC Low Carbon Model Town", kind="model_towns")
    scheme = build.scoring_scheme(lcmt)
    client.force_login(programme_officer)

    html = client.get(reverse("programme-scoring", args=[scheme.pk])).content.decode()

    assert "Economic benefit (weight 40)" in html
    assert "Carbon benefit (weight 60)" in html
