"""Figures from measurements: the exact average decides, the half-up figure is shown."""

import pytest

from compliance.rules import Outcome, check_5_5
from compliance.rules.measurements import average, shown, shown_average
from tests.compliance.rules.helpers import D, facts, inspection, only, run


@pytest.mark.parametrize(
    ("values", "exact", "figure"),
    [
        (("25.967",), D("25.967"), D("25.97")),  # shown 25.97, not 25.96
        (("25.9", "26.0", "26.0"), D("77.9") / 3, D("25.97")),  # 25.966…
        (("25.965",), D("25.965"), D("25.97")),  # a half goes up
        (("25.964999",), D("25.964999"), D("25.96")),
        (("25.0", "26.0"), D("25.5"), D("25.50")),
        (("26.0",), D("26.0"), D("26.00")),
        (("27.5", "28.1"), D("27.8"), D("27.80")),
        (("-0.005",), D("-0.005"), D("-0.01")),  # half-up is away from zero
        ((None, "26.0"), D("26.0"), D("26.00")),  # a missing point is left out, not zero
        ((), None, None),
        ((None,), None, None),
    ],
)
def test_average_is_exact_and_the_shown_figure_rounds_half_up(values, exact, figure):
    points = [None if value is None else D(value) for value in values]
    assert average(points) == exact
    assert shown_average(points) == figure
    assert shown(average(points)) == figure


@pytest.mark.parametrize(
    ("value", "figure"),
    [(D("26"), D("26.00")), (D("25.995"), D("26.00")), (D("25.9949"), D("25.99")), (None, None)],
)
def test_shown_rounds_any_figure_half_up_to_hundredths(value, figure):
    assert shown(value) == figure


def test_the_rounded_figure_never_decides_the_outcome():
    # 545.9 / 21 = 25.99523…: shown as 26.00, still below the floor of 26 °C.
    points = (D("25.9"),) + (D("26.0"),) * 20
    finding = only(run(check_5_5, facts(inspection=inspection(indoor_temperatures_c=points))))
    assert (finding.outcome, finding.measured) == (Outcome.NON_COMPLIANT, D("26.00"))
