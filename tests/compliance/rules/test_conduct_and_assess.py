"""Art. 9 (advisory), Art. 10-1 (refusal) and the assessment of a whole premises."""

from datetime import date

import pytest

from compliance.rules import (
    ARTICLES,
    CHECKS,
    AcLogFacts,
    AirConditionerFacts,
    ArcadeMeasurement,
    BoilerFacts,
    BoilerLogFacts,
    ChillerFacts,
    EntranceFacts,
    Exemption,
    ExemptionGrant,
    IlluminanceMeasurement,
    LightingFacts,
    Outcome,
    SignboardFacts,
    assess,
    check_9,
    check_10_1,
)
from tests.compliance.rules.helpers import (
    AFTER_GRACE,
    BEFORE,
    GRACE_LAST,
    NEW,
    OLD,
    PARAMS,
    D,
    facts,
    inspection,
    only,
    premises,
    run,
)

# Art. 9 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_inspection", "outcome", "key"),
    [
        (None, Outcome.UNKNOWN, "inspection.none"),
        (inspection(), Outcome.UNKNOWN, "after_hours.not_recorded"),
        (
            inspection(after_hours_equipment_on=True),
            Outcome.NON_COMPLIANT,
            "after_hours.equipment_on",
        ),
        (inspection(after_hours_equipment_on=False), Outcome.COMPLIANT, "after_hours.switched_off"),
    ],
)
def test_after_hours_finding_is_advisory(the_inspection, outcome, key):
    finding = only(run(check_9, facts(inspection=the_inspection)))
    assert (finding.outcome, finding.message_key, finding.advisory) == (outcome, key, True)


# Art. 10-1 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("refused", "outcome", "key"),
    [
        (None, Outcome.UNKNOWN, "inspection.refusal_not_recorded"),
        (True, Outcome.NON_COMPLIANT, "inspection.refused"),
        (False, Outcome.COMPLIANT, "inspection.admitted"),
    ],
)
def test_refusing_an_inspection_does_not_comply(refused, outcome, key):
    finding = only(run(check_10_1, facts(inspection=inspection(refused=refused))))
    assert (finding.outcome, finding.message_key, finding.advisory) == (outcome, key, False)


def test_refusal_does_not_arise_without_an_inspection():
    assert run(check_10_1, facts()) == []


@pytest.mark.parametrize("check", [check_9, check_10_1])
def test_conduct_is_not_judged_before_the_effective_date(check):
    the_facts = facts(inspection=inspection(refused=True, after_hours_equipment_on=True))
    assert check(the_facts, PARAMS, BEFORE) == []


# Assessment ----------------------------------------------------------------------------


def compliant_facts(**changes):
    """Return a premises that complies with every article on AFTER_GRACE."""
    months = ("2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08")
    values = {
        "premises": premises(has_arcade=True),
        "entrances": (EntranceFacts("E-1", installed_on=NEW, air_barrier="air_curtain"),),
        "air_conditioners": (
            AirConditionerFacts("AC-1", NEW, None, "split", D("3.6"), "cspf", D("4.1")),
        ),
        "chillers": (
            ChillerFacts(
                "CH-1",
                installed_on=NEW,
                capacity_hp=D("150"),
                is_production_use=False,
                has_separate_meter=True,
                logs=tuple(
                    AcLogFacts(date.fromisoformat(f"{m}-01"), D("900"), True) for m in months
                ),
            ),
        ),
        "lighting": (LightingFacts("L-1", installed_on=NEW, space_type="office", lamp_type="led"),),
        "signboards": (SignboardFacts("S-1", installed_on=NEW, lamp_type="led"),),
        "boilers": (
            BoilerFacts(
                "B-1",
                installed_on=NEW,
                steam_evaporation_tph=D("3"),
                fuel="natural_gas",
                is_standby=False,
                logs=tuple(
                    BoilerLogFacts(
                        date.fromisoformat(f"{m}-01"), D("1"), D("1"), D("1"), D("1"), True
                    )
                    for m in months
                ),
            ),
        ),
        "inspection": inspection(
            refused=False,
            indoor_temperatures_c=(D("26.5"), D("27.0")),
            arcade=(ArcadeMeasurement("A-1", True, D("40"), D("200")),),
            illuminance=(IlluminanceMeasurement("P-1", "office", D("500")),),
            obstruction_found=False,
            after_hours_equipment_on=False,
        ),
    }
    return facts(**{**values, **changes})


def test_every_article_is_checked_in_the_order_of_the_ordinance():
    assert tuple(CHECKS) == ARTICLES
    result = assess(compliant_facts(), PARAMS, AFTER_GRACE)
    assert [article.article for article in result.articles] == list(ARTICLES)


def test_premises_complying_with_every_article_is_compliant():
    result = assess(compliant_facts(), PARAMS, AFTER_GRACE)
    assert result.outcome is Outcome.COMPLIANT
    assert result.in_force
    assert {article.outcome for article in result.articles} == {Outcome.COMPLIANT}
    assert result.review_on is None


def test_any_non_compliant_article_makes_the_premises_non_compliant():
    the_facts = compliant_facts(
        entrances=(EntranceFacts("E-1", installed_on=NEW, air_barrier="none"),),
        inspection=inspection(refused=None, indoor_temperatures_c=(D("27"),)),
    )
    result = assess(the_facts, PARAMS, AFTER_GRACE)
    assert result.outcome is Outcome.NON_COMPLIANT
    assert result.result_for("5-1").outcome is Outcome.NON_COMPLIANT
    assert result.result_for("10-1").outcome is Outcome.UNKNOWN


def test_missing_data_makes_the_premises_unknown():
    the_facts = compliant_facts(inspection=None)
    result = assess(the_facts, PARAMS, AFTER_GRACE)
    assert result.outcome is Outcome.UNKNOWN
    assert result.result_for("5-5").outcome is Outcome.UNKNOWN
    assert result.result_for("10-1").outcome is None  # no inspection, no refusal


@pytest.mark.parametrize("after_hours", [True, None])
def test_advisory_article_never_changes_the_premises_outcome(after_hours):
    base = compliant_facts().inspection
    the_facts = compliant_facts(
        inspection=inspection(
            refused=False,
            indoor_temperatures_c=base.indoor_temperatures_c,
            arcade=base.arcade,
            illuminance=base.illuminance,
            obstruction_found=False,
            after_hours_equipment_on=after_hours,
        )
    )
    result = assess(the_facts, PARAMS, AFTER_GRACE)
    assert result.outcome is Outcome.COMPLIANT
    article_9 = result.result_for("9")
    assert article_9.advisory and article_9.outcome is not Outcome.COMPLIANT


def test_articles_that_do_not_arise_have_no_outcome():
    result = assess(facts(), PARAMS, AFTER_GRACE)
    for article in ("5-3", "5-4", "6-1", "7", "8-1", "8-2", "10-1"):
        assert result.result_for(article).outcome is None
        assert result.result_for(article).findings == ()


def test_unknown_article_is_a_key_error():
    with pytest.raises(KeyError):
        assess(facts(), PARAMS, AFTER_GRACE).result_for("11")


def test_before_the_effective_date_nothing_is_assessed():
    result = assess(compliant_facts(), PARAMS, BEFORE)
    assert not result.in_force
    assert result.findings == ()
    assert result.outcome is Outcome.COMPLIANT


def test_assessment_names_the_day_an_exemption_ends():
    the_facts = compliant_facts(
        entrances=(EntranceFacts("E-1", installed_on=OLD, air_barrier="none"),),
        grants=(
            ExemptionGrant("8-1", valid_from=NEW, reason="x"),  # open-ended, not needed
            ExemptionGrant("5-5", valid_from=NEW, valid_until=date(2025, 12, 31)),
        ),
    )
    result = assess(the_facts, PARAMS, date(2025, 6, 1))
    entrance = result.result_for("5-1").findings[0]
    assert (entrance.outcome, entrance.exemption) == (Outcome.COMPLIANT, Exemption.ART19_GRACE)
    assert result.review_on == date(2025, 7, 1) == date.fromordinal(GRACE_LAST.toordinal() + 1)


def test_open_ended_grant_gives_no_review_day():
    the_facts = compliant_facts(
        inspection=inspection(refused=False, obstruction_found=True),
        grants=(ExemptionGrant("5-2", valid_from=NEW),),
    )
    result = assess(the_facts, PARAMS, AFTER_GRACE)
    assert result.result_for("5-2").findings[0].exemption is Exemption.GRANT
    assert result.review_on is None


def test_assessment_passes_installation_parameters_to_5_4_and_8_1():
    seen = []

    def at_installation(day):
        seen.append(day)
        return PARAMS

    assess(compliant_facts(), PARAMS, AFTER_GRACE, at_installation=at_installation)
    assert seen == [NEW, NEW]
