"""Administrators configure schemes and a reward call's criteria in the portal: the model's
validation on the form (what was typed kept), the budget never below what is committed,
every change audited."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from portal.models import AuditEntry
from subsidies.models import RewardCriterion, Scheme
from subsidies.services import applications, rewards
from subsidies.services import schemes as services
from tests.subsidies.scheme_builders import make_application, make_call, make_scheme

pytestmark = pytest.mark.django_db


def _terms(**fields) -> dict:
    data = {
        "code": "led-2027",
        "title_zh_hant": "LED 燈具汰換 2027",
        "title_en": "LED lamps 2027",
        "category": "using_products",
        "description": "Half the price of LED lamps replacing incandescent ones.",
        "opens_on": "2027-01-01",
        "closes_on": "2027-12-31",
        "budget_ntd": "5000000",
        "support_rate_cap": "0.5",
        "project_cap_ntd": "500000",
        "business_cap_ntd": "",
        "minimum_project_cost_ntd": "",
        "minimum_saving_percent": "15",
        "eligible_items": ["lamp_replacement", "high_eer_ac"],
        "required_documents": "quotation\nequipment_specification",
        "conditions": ["no_unpaid_fine", "no_overdue_violation"],
        "award_amount_ntd": "",
        "published": "on",
    }
    data.update(fields)
    return data


def _audits(scheme):
    return AuditEntry.objects.filter(object_type="subsidies.scheme", object_id=str(scheme.pk))


def test_an_administrator_creates_a_scheme_on_the_page(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("scheme-create"), _terms())

    scheme = Scheme.objects.get(code="led-2027")
    assert response.status_code == 302
    assert response["Location"] == scheme.get_absolute_url()
    terms = scheme.terms()
    assert terms.support_rate_cap == Decimal("0.5")
    assert terms.required_documents == {"quotation", "equipment_specification"}
    assert terms.eligible_items == {"lamp_replacement", "high_eer_ac"}
    assert (scheme.committed_ntd, scheme.published) == (0, True)
    created = _audits(scheme).get()
    assert (created.action, created.actor) == ("create", administrator)
    assert created.changes["budget_ntd"] == [None, 5_000_000]


def test_the_models_validation_shows_on_the_form_and_keeps_what_was_typed(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("scheme-create"),
        _terms(support_rate_cap="1.5", budget_ntd="-5"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "Support rate cap is 1.5" in " ".join(form.errors["support_rate_cap"])
    assert form.errors["budget_ntd"]  # the field's own check, shown with the model's
    page = response.content.decode()
    assert 'value="LED lamps 2027"' in page
    assert "quotation\nequipment_specification" in page
    assert not Scheme.objects.filter(code="led-2027").exists()


def test_every_refused_term_is_shown_at_once(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("scheme-create"),
        _terms(closes_on="2026-06-30", support_rate_cap="1.5", eligible_items=[]),
    )

    errors = response.context["form"].errors
    assert {"closes_on", "support_rate_cap", "eligible_items"} <= set(errors)


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"closes_on": "2026-06-30"}, "closes_on", "before it opens"),
        ({"eligible_items": []}, "eligible_items", "at least one item"),
        ({"minimum_saving_percent": "120"}, "minimum_saving_percent", "between 0 and 100"),
        ({"required_documents": "Quotation!"}, "required_documents", "Quotation!"),
        ({"award_amount_ntd": "10000"}, "award_amount_ntd", "Only reward calls"),
    ],
)
def test_every_refused_term_is_named_on_its_field(client, administrator, fields, field, text):
    client.force_login(administrator)

    response = client.post(reverse("scheme-create"), _terms(**fields))

    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])


def test_the_budget_cannot_be_cut_below_what_is_committed(
    client, administrator, programme_officer, premises
):
    scheme = make_scheme("lamps", budget_ntd=1_000_000)
    application = make_application(scheme, premises, status="under_review")
    applications.approve(programme_officer, application, 100_000)
    client.force_login(administrator)
    url = reverse("scheme-edit", args=[scheme.pk])
    page = client.get(url).content.decode()
    assert "NT$100,000" in page  # already committed, shown before the form

    response = client.post(url, _terms(code="ignored", budget_ntd="50000"))

    assert response.status_code == 200
    assert response.context["form"].errors["budget_ntd"] == [
        "The budget cannot be less than the NT$100,000 already committed to approved "
        "applications and published prizes."
    ]
    assert 'value="50000"' in response.content.decode()
    scheme.refresh_from_db()
    assert (scheme.budget_ntd, scheme.committed_ntd) == (1_000_000, 100_000)
    assert not _audits(scheme).exists()


def test_editing_changes_the_terms_and_audits_each_change(client, administrator):
    scheme = make_scheme("lamps", title="Lamp replacement subsidy")
    client.force_login(administrator)

    response = client.post(
        reverse("scheme-edit", args=[scheme.pk]),
        _terms(code="renamed", title_en="Lamp replacement subsidy", budget_ntd="12000000"),
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.code, scheme.budget_ntd) == ("lamps", 12_000_000)  # the code stays
    updated = _audits(scheme).get()
    assert updated.action == "update"
    assert updated.changes["budget_ntd"] == [10_000_000, 12_000_000]
    assert "code" not in updated.changes


def test_saving_stale_terms_keeps_what_approvals_committed_meanwhile(
    administrator, programme_officer, premises
):
    scheme = make_scheme("lamps", budget_ntd=1_000_000)
    stale = Scheme.objects.get(pk=scheme.pk)  # the form's copy, read before the approval
    application = make_application(scheme, premises, status="under_review")
    applications.approve(programme_officer, application, 100_000)

    stale.title_en = "Renamed"
    services.save_scheme(administrator, stale)

    scheme.refresh_from_db()
    assert (scheme.title_en, scheme.committed_ntd) == ("Renamed", 100_000)


def test_reviewers_are_programme_officers_of_reward_calls_only(
    administrator, programme_officer, owner
):
    call = make_call("excellence")
    subsidy = make_scheme("lamps")

    with pytest.raises(ValidationError) as refused:
        services.save_scheme(administrator, call, [owner])
    assert refused.value.message_dict["reviewers"] == [
        "Reviewers are programme officers or administrators."
    ]
    with pytest.raises(ValidationError, match="Only reward calls have reviewers"):
        services.save_scheme(administrator, subsidy, [programme_officer])

    services.save_scheme(administrator, call, [programme_officer])
    assert list(call.reviewers.all()) == [programme_officer]
    assert _audits(call).get().changes == {"reviewers": [[], [programme_officer.pk]]}


def test_an_administrator_assigns_a_calls_reviewers_on_the_page(
    client, administrator, programme_officer
):
    call = make_call("excellence", category="promoting_products")
    client.force_login(administrator)

    response = client.post(
        reverse("scheme-edit", args=[call.pk]),
        _terms(
            title_zh_hant="",
            title_en=call.title_en,
            category="promoting_products",
            award_amount_ntd="50000",
            reviewers=[programme_officer.pk],
        ),
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.award_amount_ntd == 50_000
    assert rewards.may_score(programme_officer, call)


def test_criteria_weights_must_add_up_to_100_and_what_was_typed_stays(client, administrator):
    call = make_call("excellence", criteria=[])
    client.force_login(administrator)
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-code": "saving",
        "form-0-label": "Energy saved",
        "form-0-weight": "60",
        "form-1-code": "management",
        "form-1-label": "Energy management",
        "form-1-weight": "30",
    }

    response = client.post(reverse("scheme-criteria", args=[call.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The weights must add up to 100." in page
    # One summary of the whole form at its top (GOV.UK's error summary), not one per row.
    assert page.count("data-error-summary-box") == 1
    start = page.index("data-error-summary-box")
    summary = page[start : page.index("</ul>", start)]
    assert "There is a problem" in summary and "The weights must add up to 100." in summary
    assert 'value="Energy management"' in page
    assert 'value="30"' in page
    assert not RewardCriterion.objects.filter(scheme=call).exists()

    data["form-1-weight"] = "40"
    response = client.post(reverse("scheme-criteria", args=[call.pk]), data)

    assert response.status_code == 302
    assert list(call.criteria.values_list("code", "weight")) == [
        ("saving", 60),
        ("management", 40),
    ]
    audited = _audits(call).get()
    assert audited.changes["criteria"] == [[], [["saving", 60], ["management", 40]]]


def test_criteria_are_edited_and_removed_from_their_page(client, administrator):
    call = make_call("excellence", criteria=[("saving", "Energy saved", 50), ("old", "Old", 50)])
    client.force_login(administrator)
    url = reverse("scheme-criteria", args=[call.pk])
    form = client.get(url).context["formset"]
    assert [f.initial["code"] for f in form.initial_forms] == ["saving", "old"]

    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-code": "saving",
            "form-0-label": "Energy saved",
            "form-0-weight": "100",
            "form-1-code": "old",
            "form-1-label": "Old",
            "form-1-weight": "50",
            "form-1-DELETE": "on",
        },
    )

    assert response.status_code == 302
    assert list(call.criteria.values_list("code", "weight")) == [("saving", 100)]


def test_a_subsidy_scheme_has_no_criteria_page(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("scheme-criteria", args=[make_scheme("lamps").pk]))

    assert response.status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_a_budget_cut_and_an_approval_at_once_never_over_commit(
    administrator, programme_officer, premises
):
    scheme = make_scheme("lamps", budget_ntd=200_000)
    application = make_application(scheme, premises, status="under_review")
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, function):
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            function()
            outcomes[name] = "done"
        except ValidationError as exc:
            outcomes[name] = exc.messages[0]
        finally:
            own.close()

    def cut():
        form_copy = Scheme.objects.get(pk=scheme.pk)
        form_copy.budget_ntd = 50_000
        services.save_scheme(administrator, form_copy)

    threads = [
        threading.Thread(target=run, args=("cut", cut)),
        threading.Thread(
            target=run,
            args=("approve", lambda: applications.approve(programme_officer, application, 100_000)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    scheme.refresh_from_db()
    assert list(outcomes.values()).count("done") == 1, outcomes
    assert scheme.committed_ntd <= scheme.budget_ntd
    assert (scheme.budget_ntd, scheme.committed_ntd) in {(50_000, 0), (200_000, 100_000)}


def test_the_scheme_page_shows_administrators_the_editing_links(client, administrator, owner):
    call = make_call("excellence")
    client.force_login(administrator)
    page = client.get(call.get_absolute_url()).content.decode()
    assert reverse("scheme-edit", args=[call.pk]) in page
    assert reverse("scheme-criteria", args=[call.pk]) in page
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert reverse("scheme-edit", args=[call.pk]) not in page


def test_a_refused_form_keeps_the_dates_and_numbers_typed(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("scheme-create"), _terms(budget_ntd="abc"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="2027-01-01"' in page
    assert 'value="abc"' in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_scheme_list_runs_a_constant_number_of_queries(
    client, administrator, count, django_assert_num_queries
):
    for index in range(count):
        make_scheme(f"scheme-{index}")
    client.force_login(administrator)

    with django_assert_num_queries(4):
        response = client.get(reverse("scheme-list"))

    assert response.status_code == 200
    assert len(response.context["object_list"]) == count + 2  # and the two seeded examples
