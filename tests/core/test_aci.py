"""The ACI simulator against the worked example of the domain research (§4.3) and closed-form limits."""

import numpy as np
import pytest

from oasis.core.aci import AciRules, professional_points, simulate

# code: fixed, variable, max, prerequisite, socle, per professional (the socle of the avenant 1 table)
SOCLE = {
    "horaires": (800, 0, 1, True, True, False),
    "crises": (100, 350, 1, False, True, False),
    "coordination": (1000, 1700, 1, True, True, False),
    "protocoles": (100, 0, 8, False, True, False),
    "concertation": (0, 1000, 1, False, True, False),
    "si": (500, 0, 1, True, True, True),
}


DEFAULT_RULES = AciRules()


def run(units, patients=4000.0, professionals=13, rules=DEFAULT_RULES):
    rows = list(SOCLE.values())
    return simulate(
        fixed=np.array([r[0] for r in rows], dtype=float),
        variable=np.array([r[1] for r in rows], dtype=float),
        units=np.array([units.get(code, 0) for code in SOCLE], dtype=float),
        prerequisite=np.array([r[3] for r in rows]),
        socle=np.array([r[4] for r in rows]),
        per_professional=np.array([r[5] for r in rows]),
        patients=patients,
        professionals=professionals,
        rules=rules,
    )


ALL_SOCLE = {"horaires": 1, "crises": 1, "coordination": 1, "protocoles": 8, "concertation": 1, "si": 1}


def test_worked_example_8850_points_61950_euros():
    result = run(ALL_SOCLE)
    assert result.eligible
    assert result.total_points == pytest.approx(8850)
    assert result.amount == pytest.approx(61_950)
    assert result.professional_points == 13 * 200
    assert result.advance == pytest.approx(0.6 * 61_950)


def test_an_unmet_prerequisite_pays_nothing():
    result = run({**ALL_SOCLE, "coordination": 0})
    assert not result.eligible
    assert result.amount == 0 and result.advance == 0 and result.total_points == 0


def test_variable_points_scale_with_patientele_and_stop_at_the_cap():
    half = run(ALL_SOCLE, patients=2000)
    full = run(ALL_SOCLE, patients=4000)
    double = run(ALL_SOCLE, patients=8000)
    variable = 350 + 1700 + 1000
    assert full.total_points - half.total_points == pytest.approx(variable / 2)
    assert double.total_points == pytest.approx(full.total_points)
    uncapped = run(ALL_SOCLE, patients=8000, rules=AciRules(ratio_cap=float("inf")))
    assert uncapped.total_points - full.total_points == pytest.approx(variable)


def test_professional_points_beyond_the_threshold():
    rules = AciRules()
    assert professional_points(0, rules) == 0
    assert professional_points(16, rules) == 3200
    assert professional_points(20, rules) == 3200 + 4 * 150


def test_advance_floor_and_never_more_than_the_amount():
    small = run({"horaires": 1, "coordination": 1, "si": 1}, patients=100, professionals=2)
    assert 0.6 * small.amount < 12_000 < small.amount
    assert small.advance == 12_000


def _custom(units, *, per_professional, socle, prerequisite, patients=4000.0, professionals=10, floor=0.0):
    """Three indicators: fixed 100/200/300, variable 1,000/0/0 for the reference patientèle."""
    return simulate(
        fixed=np.array([100.0, 200.0, 300.0]),
        variable=np.array([1000.0, 0.0, 0.0]),
        units=np.array(units, dtype=float),
        prerequisite=np.array(prerequisite),
        socle=np.array(socle),
        per_professional=np.array(per_professional),
        patients=patients,
        professionals=professionals,
        rules=AciRules(advance_floor=floor),
    )


def test_an_unmet_prerequisite_pays_nothing_at_all():
    result = _custom(
        [0, 1, 1], per_professional=[False, False, True], socle=[True, True, True], prerequisite=[True, False, False]
    )
    assert result.eligible is False
    assert result.fixed_points.tolist() == [0.0, 0.0, 0.0]
    assert result.variable_points.tolist() == [0.0, 0.0, 0.0]
    assert (result.professional_points, result.total_points, result.amount, result.advance) == (0.0, 0.0, 0.0, 0.0)
    assert result.ratio == 1.0


def test_no_patients_no_variable_points():
    result = _custom([1, 1, 1], per_professional=[False] * 3, socle=[True] * 3, prerequisite=[False] * 3, patients=0)
    assert result.ratio == 0.0
    assert result.variable_points.tolist() == [0.0, 0.0, 0.0]
    assert result.total_points == 600.0


def test_professional_points_only_when_their_indicator_is_met():
    unmet = _custom([1, 1, 0], per_professional=[False, False, True], socle=[True] * 3, prerequisite=[False] * 3)
    assert unmet.professional_points == 0.0
    assert unmet.total_points == 100 + 200 + 1000
    met = _custom([1, 1, 1], per_professional=[False, False, True], socle=[True] * 3, prerequisite=[False] * 3)
    assert met.professional_points == 10 * 200
    assert met.total_points == 100 + 200 + 300 + 1000 + 2000
    assert met.fixed_points.tolist() == [100.0, 200.0, 300.0]
    assert met.variable_points.tolist() == [1000.0, 0.0, 0.0]


def test_the_advance_counts_professional_points_only_through_a_met_socle_indicator():
    # The per-professional indicator is met but is not in the socle: its SI points stay out of the advance.
    outside = _custom([1, 1, 1], per_professional=[False, False, True], socle=[True, True, False], prerequisite=[False] * 3)
    assert outside.advance == pytest.approx(0.6 * 7 * (100 + 200 + 1000))
    inside = _custom([1, 1, 1], per_professional=[False, False, True], socle=[True, True, True], prerequisite=[False] * 3)
    assert inside.advance == pytest.approx(0.6 * 7 * (100 + 200 + 300 + 1000 + 2000))
    # A socle indicator that is not met brings no SI points into the advance either.
    socle_unmet = _custom([1, 1, 0], per_professional=[True, False, True], socle=[False, True, True], prerequisite=[False] * 3)
    assert socle_unmet.advance == pytest.approx(0.6 * 7 * 200)


def test_negative_units_count_as_nothing():
    result = _custom([-2, 1, 1], per_professional=[False] * 3, socle=[True] * 3, prerequisite=[False] * 3)
    assert result.fixed_points.tolist() == [0.0, 200.0, 300.0]
    assert result.variable_points.tolist() == [0.0, 0.0, 0.0]
