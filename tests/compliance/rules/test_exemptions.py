"""The Art. 19 grace period, individual grants and the calendar they rely on."""

from dataclasses import replace
from datetime import date

import pytest

from compliance.rules import (
    EntranceFacts,
    Exemption,
    ExemptionGrant,
    LightingFacts,
    Outcome,
    SignboardFacts,
    check_5_1,
    check_5_3,
    check_6_3,
    check_7,
    existed_on_effective_date,
    grace_last_day,
    grant_applies,
    grant_last_day,
    in_grace,
)
from compliance.rules.facts import ChillerFacts
from compliance.rules.periods import add_months, due_periods, months_between, period_last_day
from tests.compliance.rules.helpers import (
    EFFECTIVE,
    GRACE_LAST,
    NEW,
    OLD,
    PARAMS,
    D,
    facts,
    only,
    run,
)

# Calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2025, 1, 1), 6, date(2025, 6, 30)),
        (date(2025, 1, 15), 6, date(2025, 7, 14)),
        # Civil Code Art. 121(2): no corresponding day in the last month -> its last day.
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 30), 6, date(2024, 2, 29)),
        (date(2025, 3, 31), 6, date(2025, 9, 30)),
        (date(2025, 7, 1), 6, date(2025, 12, 31)),
    ],
)
def test_grace_ends_the_day_before_the_corresponding_day(start, months, last):
    assert period_last_day(start, months) == last
    assert grace_last_day(start, months) == last


def test_month_arithmetic_crosses_years_both_ways():
    assert add_months(date(2025, 11, 20), 3) == date(2026, 2, 1)
    assert add_months(date(2025, 1, 31), -1) == date(2024, 12, 1)
    assert months_between(date(2024, 12, 31), date(2025, 2, 1)) == 2


def test_due_periods_are_anchored_at_the_start_and_limited_by_the_lookback():
    periods = due_periods(date(2025, 1, 20), date(2025, 8, 1), 3, 12)
    assert periods == [
        (date(2025, 1, 1), date(2025, 3, 1)),
        (date(2025, 4, 1), date(2025, 6, 1)),
    ]
    assert due_periods(date(2020, 1, 1), date(2025, 8, 1), 1, 2) == [
        (date(2025, 6, 1), date(2025, 6, 1)),
        (date(2025, 7, 1), date(2025, 7, 1)),
    ]


# Art. 19 grace -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "inside"),
    [
        (date(2024, 12, 31), False),
        (EFFECTIVE, True),  # first day
        (GRACE_LAST, True),  # last day: 2025-06-30
        (date(2025, 7, 1), False),  # the day after
    ],
)
def test_grace_runs_from_the_effective_date_for_six_months(on, inside):
    assert in_grace(PARAMS, on) is inside


@pytest.mark.parametrize(
    ("installed_on", "declared_on", "existed"),
    [
        (date(2024, 12, 31), None, True),
        (EFFECTIVE, None, False),  # installed on the day it took effect: new
        (EFFECTIVE, date(2024, 1, 1), False),  # the installation date decides
        (None, date(2024, 12, 31), True),
        (None, EFFECTIVE, None),  # declared late: could be either
        (None, None, None),
    ],
)
def test_existing_equipment_is_told_by_installation_then_declaration(
    installed_on, declared_on, existed
):
    item = EntranceFacts("E-1", installed_on=installed_on, declared_on=declared_on)
    assert existed_on_effective_date(item, EFFECTIVE) is existed


@pytest.mark.parametrize(
    ("on", "outcome", "exemption"),
    [
        (EFFECTIVE, Outcome.COMPLIANT, Exemption.ART19_GRACE),
        (GRACE_LAST, Outcome.COMPLIANT, Exemption.ART19_GRACE),
        (date(2025, 7, 1), Outcome.NON_COMPLIANT, None),
    ],
)
def test_existing_equipment_has_six_months_to_rectify(on, outcome, exemption):
    entrance = EntranceFacts("E-1", installed_on=OLD, air_barrier="none")
    finding = only(run(check_5_1, facts(entrances=(entrance,)), on=on))
    assert (finding.outcome, finding.exemption) == (outcome, exemption)
    assert finding.message_key == "entrance.no_air_barrier"  # what was found stays named
    if exemption:
        assert finding.exemption_until == GRACE_LAST
        assert finding.exemption_detail == "existed before 2025-01-01"


@pytest.mark.parametrize(
    ("check", "field", "item"),
    [
        (check_6_3, "lighting", LightingFacts("L-1", declared_on=OLD, lamp_type="halogen")),
        (check_7, "signboards", SignboardFacts("S-1", declared_on=OLD, lamp_type="incandescent")),
        (
            check_5_3,
            "chillers",
            ChillerFacts("CH-1", OLD, None, D("200"), False, has_separate_meter=False),
        ),
    ],
)
def test_grace_covers_lamps_signboards_and_central_ac_that_existed(check, field, item):
    during = only(run(check, facts(**{field: (item,)}), on=GRACE_LAST))
    assert (during.outcome, during.exemption) == (Outcome.COMPLIANT, Exemption.ART19_GRACE)
    after = run(check, facts(**{field: (item,)}), on=date(2025, 7, 1))
    assert after[0].outcome is Outcome.NON_COMPLIANT


def test_new_equipment_gets_no_grace():
    entrance = EntranceFacts("E-1", installed_on=NEW, air_barrier="none")
    finding = only(run(check_5_1, facts(entrances=(entrance,)), on=GRACE_LAST))
    assert (finding.outcome, finding.exemption) == (Outcome.NON_COMPLIANT, None)


def test_grace_is_undetermined_when_existence_is_not_recorded():
    entrance = EntranceFacts("E-1", declared_on=date(2025, 2, 1), air_barrier="none")
    during = only(run(check_5_1, facts(entrances=(entrance,)), on=date(2025, 3, 1)))
    assert (during.outcome, during.message_key, during.detail) == (
        Outcome.UNKNOWN,
        "art19_grace.undetermined",
        "entrance.no_air_barrier",
    )
    after = only(run(check_5_1, facts(entrances=(entrance,)), on=date(2025, 7, 1)))
    assert after.outcome is Outcome.NON_COMPLIANT


@pytest.mark.parametrize(
    ("entrance", "outcome", "exemption"),
    [
        # Existing equipment needs nothing during the grace, recorded or not.
        (EntranceFacts("E-1", installed_on=OLD), Outcome.COMPLIANT, Exemption.ART19_GRACE),
        # Unrecorded data of an item that may be new stays unknown.
        (EntranceFacts("E-1", declared_on=NEW), Outcome.UNKNOWN, None),
    ],
)
def test_unknown_data_during_the_grace(entrance, outcome, exemption):
    finding = only(run(check_5_1, facts(entrances=(entrance,)), on=date(2025, 4, 1)))
    assert (finding.outcome, finding.exemption) == (outcome, exemption)
    assert finding.message_key == "entrance.air_barrier_unknown"


def test_a_longer_grace_is_a_parameter():
    longer = replace(PARAMS, grace_months=12)
    entrance = EntranceFacts("E-1", installed_on=OLD, air_barrier="none")
    finding = only(
        run(check_5_1, facts(entrances=(entrance,)), on=date(2025, 12, 31), params=longer)
    )
    assert finding.exemption is Exemption.ART19_GRACE


# Individual grants ---------------------------------------------------------------------

GRANT = ExemptionGrant(
    "5-1",
    valid_from=date(2025, 8, 1),
    valid_until=date(2025, 12, 31),
    equipment_tag="E-1",
    reason="listed_building",
)


@pytest.mark.parametrize(
    ("grant", "on", "applies"),
    [
        (GRANT, date(2025, 7, 31), False),  # not yet valid
        (GRANT, date(2025, 8, 1), True),  # first day
        (GRANT, date(2025, 12, 31), True),  # last day
        (GRANT, date(2026, 1, 1), False),  # expired: the rule applies again
        (replace(GRANT, revoked_on=date(2025, 9, 15)), date(2025, 9, 14), True),
        (replace(GRANT, revoked_on=date(2025, 9, 15)), date(2025, 9, 15), False),  # revoked
        (replace(GRANT, valid_until=None), date(2030, 1, 1), True),  # open-ended
        (replace(GRANT, equipment_tag=None), date(2025, 9, 1), True),  # whole premises
        (replace(GRANT, equipment_tag="E-2"), date(2025, 9, 1), False),  # another item
        (replace(GRANT, article="5-2"), date(2025, 9, 1), False),  # another article
    ],
)
def test_grant_applies_only_while_valid_and_not_revoked(grant, on, applies):
    assert grant_applies(grant, "5-1", "E-1", on) is applies
    entrance = EntranceFacts("E-1", installed_on=NEW, air_barrier="none")
    finding = only(run(check_5_1, facts(entrances=(entrance,), grants=(grant,)), on=on))
    expected = (Outcome.COMPLIANT, Exemption.GRANT) if applies else (Outcome.NON_COMPLIANT, None)
    assert (finding.outcome, finding.exemption) == expected


@pytest.mark.parametrize(
    ("valid_until", "revoked_on", "last"),
    [
        (date(2025, 12, 31), None, date(2025, 12, 31)),
        (date(2025, 12, 31), date(2025, 9, 15), date(2025, 9, 14)),
        (date(2025, 9, 1), date(2025, 12, 1), date(2025, 9, 1)),
        (None, date(2025, 9, 15), date(2025, 9, 14)),
        (None, None, None),
    ],
)
def test_grant_ends_on_its_last_day_or_the_eve_of_its_revocation(valid_until, revoked_on, last):
    grant = replace(GRANT, valid_until=valid_until, revoked_on=revoked_on)
    assert grant_last_day(grant) == last


def test_grant_is_named_before_the_grace():
    entrance = EntranceFacts("E-1", installed_on=OLD, air_barrier="none")
    grant = replace(GRANT, valid_from=EFFECTIVE, reference="")
    finding = only(
        run(check_5_1, facts(entrances=(entrance,), grants=(grant,)), on=date(2025, 3, 1))
    )
    assert (finding.exemption, finding.exemption_detail) == (Exemption.GRANT, "listed_building")
    assert finding.exemption_until == date(2025, 12, 31)


def test_compliant_finding_needs_no_exemption():
    entrance = EntranceFacts("E-1", installed_on=OLD, air_barrier="air_curtain")
    grant = replace(GRANT, valid_from=EFFECTIVE)
    finding = only(
        run(check_5_1, facts(entrances=(entrance,), grants=(grant,)), on=date(2025, 3, 1))
    )
    assert (finding.outcome, finding.exemption) == (Outcome.COMPLIANT, None)


def test_premises_grant_covers_a_premises_level_finding():
    grant = replace(GRANT, equipment_tag=None, valid_from=EFFECTIVE)
    finding = only(run(check_5_1, facts(grants=(grant,)), on=date(2025, 9, 1)))
    assert (finding.message_key, finding.exemption) == ("entrance.none_declared", Exemption.GRANT)
