"""Eligibility (Art. 14): every rule a scheme configures, its reason, and the amount."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from subsidies.rules import (
    CITY_IMPROVEMENT_SCHEME,
    EQUIPMENT_REPLACEMENT_SCHEME,
    REASON_MESSAGES,
    TERMS_MESSAGES,
    ApplicantFacts,
    Condition,
    Item,
    ProposedProject,
    ReasonOutcome,
    SchemeCategory,
    SchemeTerms,
    SchemeTermsError,
    assess,
    render_reason,
)

PASS, FAIL = ReasonOutcome.PASS, ReasonOutcome.FAIL
TODAY = date(2026, 6, 1)
DOCUMENTS = frozenset({"quotation", "energy_audit_report"})

TERMS = SchemeTerms(
    code="test-scheme",
    category=SchemeCategory.USING_PRODUCTS,
    opens_on=date(2026, 1, 1),
    closes_on=date(2026, 12, 31),
    budget_ntd=10_000_000,
    committed_ntd=0,
    support_rate_cap=Decimal("0.30"),
    project_cap_ntd=2_000_000,
    business_cap_ntd=3_000_000,
    minimum_project_cost_ntd=500_000,
    minimum_saving_percent=Decimal("15"),
    eligible_items=frozenset({Item.LAMP_REPLACEMENT, Item.HIGH_EER_AC}),
    required_documents=DOCUMENTS,
    conditions=frozenset(Condition),
)
APPLICANT = ApplicantFacts(premises_registered=True, documents_provided=DOCUMENTS)
PROJECT = ProposedProject(
    items=frozenset({Item.LAMP_REPLACEMENT}),
    eligible_cost_ntd=1_000_000,
    expected_saving_percent=Decimal("20"),
)
ALL_CODES = (
    "window",
    "budget",
    "no_unpaid_fine",
    "no_overdue_violation",
    "registered_premises",
    "items",
    "cost",
    "saving",
    "documents",
    "business_cap",
    "amount",
)


def decide(terms=None, applicant=None, project=None, today=TODAY, **changes):
    """Assess the passing baseline with some fields of terms, applicant or project changed."""
    terms = terms or TERMS
    applicant = applicant or APPLICANT
    project = project or PROJECT
    for name, value in changes.items():
        target, field = name.split("__")
        if target == "terms":
            terms = replace(terms, **{field: value})
        elif target == "applicant":
            applicant = replace(applicant, **{field: value})
        else:
            project = replace(project, **{field: value})
    return assess(terms, applicant, project, today)


def reason(decision, code):
    (found,) = [reason for reason in decision.reasons if reason.code == code]
    return found


def test_the_baseline_passes_every_check_in_a_fixed_order():
    decision = decide()
    assert [r.code for r in decision.reasons] == list(ALL_CODES)
    assert all(r.outcome is PASS for r in decision.reasons)
    assert decision.eligible
    assert decision.supported_amount_ntd == 300_000
    assert decision.failures == ()


# (what, changes, code, outcome, message key)
CONDITIONS = [
    # The window, both ends included.
    ("first day", {"today": date(2026, 1, 1)}, "window", PASS, "window.open"),
    ("last day", {"today": date(2026, 12, 31)}, "window", PASS, "window.open"),
    ("day before", {"today": date(2025, 12, 31)}, "window", FAIL, "window.not_open"),
    ("day after", {"today": date(2027, 1, 1)}, "window", FAIL, "window.closed"),
    (
        "no closing day",
        {"terms__closes_on": None, "today": date(2099, 1, 1)},
        "window",
        PASS,
        "window.open_until_further_notice",
    ),
    # The budget.
    ("NT$1 left", {"terms__committed_ntd": 9_999_999}, "budget", PASS, "budget.available"),
    ("none left", {"terms__committed_ntd": 10_000_000}, "budget", FAIL, "budget.exhausted"),
    # Conditions on the applicant.
    ("no fine", {"applicant__unpaid_fines": 0}, "no_unpaid_fine", PASS, "unpaid_fines.none"),
    (
        "a fine",
        {"applicant__unpaid_fines": 1},
        "no_unpaid_fine",
        FAIL,
        "unpaid_fines.outstanding",
    ),
    (
        "no overdue",
        {"applicant__overdue_violations": 0},
        "no_overdue_violation",
        PASS,
        "overdue_violations.none",
    ),
    (
        "overdue",
        {"applicant__overdue_violations": 2},
        "no_overdue_violation",
        FAIL,
        "overdue_violations.outstanding",
    ),
    (
        "registered",
        {"applicant__premises_registered": True},
        "registered_premises",
        PASS,
        "premises.registered",
    ),
    (
        "unregistered",
        {"applicant__premises_registered": False},
        "registered_premises",
        FAIL,
        "premises.not_registered",
    ),
    # Items.
    (
        "two eligible items",
        {"project__items": frozenset({Item.LAMP_REPLACEMENT, Item.HIGH_EER_AC})},
        "items",
        PASS,
        "items.eligible",
    ),
    ("no item", {"project__items": frozenset()}, "items", FAIL, "items.none"),
    (
        "an item the scheme does not pay for",
        {"project__items": frozenset({Item.RENEWABLE_ENERGY})},
        "items",
        FAIL,
        "items.not_eligible",
    ),
    (
        "one eligible and one not",
        {"project__items": frozenset({Item.LAMP_REPLACEMENT, Item.BOILER_UPGRADE})},
        "items",
        FAIL,
        "items.not_eligible",
    ),
    # Minimum cost: "over NT$500,000".
    ("NT$1 over", {"project__eligible_cost_ntd": 500_001}, "cost", PASS, "cost.over_minimum"),
    (
        "exactly the minimum",
        {"project__eligible_cost_ntd": 500_000},
        "cost",
        FAIL,
        "cost.not_over_minimum",
    ),
    ("no cost", {"project__eligible_cost_ntd": 0}, "cost", FAIL, "cost.not_positive"),
    ("negative cost", {"project__eligible_cost_ntd": -1}, "cost", FAIL, "cost.not_positive"),
    # Minimum saving: "at least 15 %".
    (
        "exactly 15 %",
        {"project__expected_saving_percent": Decimal("15")},
        "saving",
        PASS,
        "saving.reaches_minimum",
    ),
    (
        "just below",
        {"project__expected_saving_percent": Decimal("14.99")},
        "saving",
        FAIL,
        "saving.below_minimum",
    ),
    (
        "not stated",
        {"project__expected_saving_percent": None},
        "saving",
        FAIL,
        "saving.not_stated",
    ),
    # Documents.
    (
        "more than required",
        {"applicant__documents_provided": DOCUMENTS | {"photo"}},
        "documents",
        PASS,
        "documents.complete",
    ),
    (
        "one missing",
        {"applicant__documents_provided": frozenset({"quotation"})},
        "documents",
        FAIL,
        "documents.missing",
    ),
    # The business cap.
    (
        "NT$1 left of the cap",
        {"applicant__awarded_in_scheme_ntd": 2_999_999},
        "business_cap",
        PASS,
        "business_cap.available",
    ),
    (
        "cap reached",
        {"applicant__awarded_in_scheme_ntd": 3_000_000},
        "business_cap",
        FAIL,
        "business_cap.reached",
    ),
]


@pytest.mark.parametrize(
    ("changes", "code", "outcome", "key"),
    [case[1:] for case in CONDITIONS],
    ids=[case[0] for case in CONDITIONS],
)
def test_each_condition_passes_or_fails_with_its_reason(changes, code, outcome, key):
    decision = decide(**changes)
    found = reason(decision, code)
    assert (found.outcome, found.message_key) == (outcome, key)
    assert decision.eligible is (outcome is PASS)
    if outcome is FAIL:
        assert found in decision.failures
        assert decision.supported_amount_ntd == 0


def test_failing_reasons_name_what_is_wrong():
    decision = decide(
        applicant__documents_provided=frozenset({"quotation"}),
        project__items=frozenset({Item.LAMP_REPLACEMENT, Item.RENEWABLE_ENERGY}),
        project__expected_saving_percent=Decimal("12.50"),
        applicant__unpaid_fines=3,
    )
    assert render_reason(reason(decision, "documents")) == (
        "Required documents missing: energy_audit_report."
    )
    assert reason(decision, "items").values["items"] == "renewable_energy"
    assert render_reason(reason(decision, "saving")) == (
        "The expected energy saving of 12.5 % is below the minimum of 15 %."
    )
    assert render_reason(reason(decision, "no_unpaid_fine")) == "The business has 3 unpaid fine(s)."


def test_every_failing_reason_is_listed_not_only_the_first():
    decision = decide(
        today=date(2027, 1, 2),
        applicant=ApplicantFacts(
            unpaid_fines=1,
            overdue_violations=1,
            premises_registered=False,
            documents_provided=frozenset(),
            awarded_in_scheme_ntd=3_000_000,
        ),
        project=ProposedProject(frozenset({Item.RENEWABLE_ENERGY}), 500_000, Decimal("10")),
    )
    assert [r.code for r in decision.failures] == [
        "window",
        "no_unpaid_fine",
        "no_overdue_violation",
        "registered_premises",
        "items",
        "cost",
        "saving",
        "documents",
        "business_cap",
        "amount",
    ]
    assert reason(decision, "budget").passed
    assert not decision.eligible
    assert decision.supported_amount_ntd == 0


@pytest.mark.parametrize(
    ("changes", "absent"),
    [
        ({"terms__minimum_project_cost_ntd": None}, "cost"),
        ({"terms__minimum_saving_percent": None}, "saving"),
        ({"terms__required_documents": frozenset()}, "documents"),
        ({"terms__business_cap_ntd": None}, "business_cap"),
        ({"terms__conditions": frozenset({Condition.NO_UNPAID_FINE})}, "no_overdue_violation"),
        ({"terms__conditions": frozenset()}, "registered_premises"),
    ],
)
def test_a_rule_the_scheme_does_not_set_gives_no_reason(changes, absent):
    decision = decide(**changes)
    assert absent not in [r.code for r in decision.reasons]
    assert decision.eligible


def test_an_unset_condition_is_not_held_against_the_applicant():
    decision = decide(
        terms__conditions=frozenset(),
        applicant__unpaid_fines=4,
        applicant__overdue_violations=1,
        applicant__premises_registered=False,
    )
    assert decision.eligible


def test_without_a_minimum_cost_a_zero_cost_still_fails():
    decision = decide(terms__minimum_project_cost_ntd=None, project__eligible_cost_ntd=0)
    assert reason(decision, "cost").message_key == "cost.not_positive"
    assert not decision.eligible


# (cost, rate, project cap, business cap, awarded, budget, committed) -> (amount, key)
AMOUNTS = [
    # cost x rate, rounded down to a whole NT$.
    ((1_000_001, "0.30", None, None, 0, 10**8, 0), (300_000, "amount.rate")),
    ((1_666_666, "0.30", None, None, 0, 10**8, 0), (499_999, "amount.rate")),
    ((1_000, "0.333", None, None, 0, 10**8, 0), (333, "amount.rate")),
    ((999_999, "0.5", None, None, 0, 10**8, 0), (499_999, "amount.rate")),
    ((3, "0.3", None, None, 0, 10**8, 0), (0, "amount.zero")),
    ((100, "1", None, None, 0, 10**8, 0), (100, "amount.rate")),
    # The cap per project.
    ((10_000_000, "0.30", 2_000_000, None, 0, 10**8, 0), (2_000_000, "amount.project_cap")),
    # A tie names the earlier limit.
    ((1_000_000, "0.50", 500_000, None, 0, 10**8, 0), (500_000, "amount.rate")),
    # The business cap less what the business already holds.
    ((1_000_000, "0.30", None, 3_000_000, 2_900_000, 10**8, 0), (100_000, "amount.business_cap")),
    # The budget less what is committed.
    ((1_000_000, "0.30", None, None, 0, 10_000_000, 9_950_000), (50_000, "amount.budget")),
    ((1_000_000, "0.30", 40_000, 3_000_000, 2_970_000, 10_000, 0), (10_000, "amount.budget")),
    ((1_000_000, "0.30", None, None, 0, 10_000_000, 10_000_000), (0, "amount.zero")),
]


@pytest.mark.parametrize(("limits", "expected"), AMOUNTS)
def test_the_amount_is_the_least_of_share_caps_and_budget_in_whole_ntd(limits, expected):
    cost, rate, project_cap, business_cap, awarded, budget, committed = limits
    terms = replace(
        TERMS,
        support_rate_cap=Decimal(rate),
        project_cap_ntd=project_cap,
        business_cap_ntd=business_cap,
        minimum_project_cost_ntd=None,
        budget_ntd=budget,
        committed_ntd=committed,
    )
    decision = decide(
        terms=terms,
        applicant__awarded_in_scheme_ntd=awarded,
        project__eligible_cost_ntd=cost,
    )
    amount, key = expected
    found = reason(decision, "amount")
    assert (found.values["amount"], found.message_key) == (amount, key)
    assert isinstance(found.values["amount"], int)
    assert decision.supported_amount_ntd == amount
    assert decision.eligible is (amount > 0)


def test_an_exhausted_budget_makes_the_project_ineligible_with_that_reason():
    decision = decide(terms__committed_ntd=TERMS.budget_ntd)
    assert [r.message_key for r in decision.failures] == ["budget.exhausted", "amount.zero"]
    assert decision.supported_amount_ntd == 0


def test_the_amount_reason_explains_the_share_the_cap_cut():
    decision = decide(project__eligible_cost_ntd=10_000_000)
    assert render_reason(reason(decision, "amount")) == (
        "The scheme would pay NT$2,000,000: the cap per project "
        "(30 % of NT$10,000,000 would be NT$3,000,000)."
    )


def test_an_ineligible_project_is_supported_with_nothing_even_if_the_share_is_positive():
    decision = decide(applicant__unpaid_fines=1)
    assert reason(decision, "amount").values["amount"] == 300_000
    assert decision.supported_amount_ntd == 0


def _every_decision():
    yield decide()
    for case in CONDITIONS:
        yield decide(**case[1])
    for limits, _expected in AMOUNTS:
        cost, rate, project_cap, business_cap, awarded, budget, committed = limits
        terms = replace(
            TERMS,
            support_rate_cap=Decimal(rate),
            project_cap_ntd=project_cap,
            business_cap_ntd=business_cap,
            budget_ntd=budget,
            committed_ntd=committed,
        )
        yield decide(terms=terms, applicant__awarded_in_scheme_ntd=awarded)
        yield decide(
            terms=terms,
            applicant__awarded_in_scheme_ntd=awarded,
            project__eligible_cost_ntd=cost,
        )


def test_every_message_key_is_reachable_and_renders_from_its_values():
    seen = set()
    for decision in _every_decision():
        for found in decision.reasons:
            assert render_reason(found)
            seen.add(found.message_key)
    assert seen == set(REASON_MESSAGES)


# Scheme terms an administrator cannot save.
@pytest.mark.parametrize(
    ("changes", "key", "field"),
    [
        ({"closes_on": date(2025, 12, 31)}, "window_inverted", "closes_on"),
        ({"budget_ntd": 10.5}, "not_whole_ntd", "budget_ntd"),
        ({"budget_ntd": True}, "not_whole_ntd", "budget_ntd"),
        ({"budget_ntd": -1}, "negative", "budget_ntd"),
        ({"committed_ntd": 10_000_001}, "over_committed", "committed_ntd"),
        ({"support_rate_cap": 0.3}, "not_decimal", "support_rate_cap"),
        ({"support_rate_cap": Decimal("NaN")}, "not_decimal", "support_rate_cap"),
        ({"support_rate_cap": Decimal("0")}, "rate_out_of_range", "support_rate_cap"),
        ({"support_rate_cap": Decimal("1.01")}, "rate_out_of_range", "support_rate_cap"),
        ({"project_cap_ntd": Decimal("5")}, "not_whole_ntd", "project_cap_ntd"),
        ({"business_cap_ntd": -5}, "negative", "business_cap_ntd"),
        ({"minimum_project_cost_ntd": "500000"}, "not_whole_ntd", "minimum_project_cost_ntd"),
        ({"minimum_saving_percent": 15}, "not_decimal", "minimum_saving_percent"),
        (
            {"minimum_saving_percent": Decimal("101")},
            "percent_out_of_range",
            "minimum_saving_percent",
        ),
        ({"eligible_items": frozenset()}, "no_items", "eligible_items"),
        ({"eligible_items": frozenset({"solar_kettle"})}, "unknown_item", "eligible_items"),
        ({"conditions": frozenset({"good_mood"})}, "unknown_condition", "conditions"),
    ],
)
def test_invalid_scheme_terms_are_refused_with_a_message(changes, key, field):
    with pytest.raises(SchemeTermsError) as caught:
        replace(TERMS, **changes)
    assert (caught.value.key, caught.value.field) == (key, field)
    assert TERMS_MESSAGES[key].format(field=field, value=caught.value.value)


def test_a_rate_of_one_and_open_ended_window_are_valid_terms():
    terms = replace(TERMS, support_rate_cap=Decimal("1"), closes_on=None)
    assert terms.remaining_budget_ntd == 10_000_000


# The two starting schemes from the issue.
CITY_APPLICANT = ApplicantFacts(
    premises_registered=True, documents_provided=CITY_IMPROVEMENT_SCHEME.required_documents
)


@pytest.mark.parametrize(
    ("cost", "saving", "eligible", "amount"),
    [
        (500_000, Decimal("20"), False, 0),  # not over NT$500,000
        (500_001, Decimal("15"), True, 150_000),  # 150,000.3 rounded down
        (500_001, Decimal("14.9"), False, 0),
        (2_000_000, Decimal("30"), True, 600_000),
    ],
)
def test_city_scheme_pays_30_percent_over_500000_saving_15_percent(cost, saving, eligible, amount):
    project = ProposedProject(frozenset({Item.LAMP_REPLACEMENT}), cost, saving)
    decision = assess(CITY_IMPROVEMENT_SCHEME, CITY_APPLICANT, project, TODAY)
    assert (decision.eligible, decision.supported_amount_ntd) == (eligible, amount)


@pytest.mark.parametrize(
    ("cost", "amount"),
    [(1, 0), (2, 1), (999_999, 499_999), (1_000_000, 500_000), (1_200_000, 500_000)],
)
def test_equipment_scheme_pays_half_the_price_up_to_500000(cost, amount):
    applicant = ApplicantFacts(
        premises_registered=True,
        documents_provided=EQUIPMENT_REPLACEMENT_SCHEME.required_documents,
    )
    project = ProposedProject(frozenset({Item.HIGH_EER_AC}), cost)
    decision = assess(EQUIPMENT_REPLACEMENT_SCHEME, applicant, project, TODAY)
    assert decision.supported_amount_ntd == amount
    assert decision.eligible is (amount > 0)
