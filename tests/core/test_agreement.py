"""Agreement of an estimate with a reference: closed forms, a hand-worked case, the threshold at and around its value."""

import numpy as np
import pytest

from oasis.core.agreement import SHAPE_MISMATCH, agreement, agreement_by_group


def test_identical_values_agree_completely():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    result = agreement(values, values, np.ones(4) * 10, 2.5)
    assert result.spearman == pytest.approx(1.0)
    assert result.population_agreement == 1.0
    assert (result.both_below, result.communes_disagreeing) == (20.0, 0)


def test_reversed_ranks_and_a_hand_worked_split():
    estimate = np.array([1.0, 2.0, 3.0, 4.0])
    reference = np.array([4.0, 3.0, 2.0, 1.0])
    population = np.array([100.0, 200.0, 300.0, 400.0])
    result = agreement(estimate, reference, population, 2.5)
    assert result.spearman == pytest.approx(-1.0)
    # below in the estimate: units 0, 1 (300 inhabitants); in the reference: units 2, 3 (700 inhabitants)
    assert (result.estimate_only_below, result.reference_only_below, result.both_below) == (300.0, 700.0, 0.0)
    assert result.population_agreement == 0.0
    assert result.communes_disagreeing == 4


@pytest.mark.parametrize(("value", "below"), [(2.499, True), (2.5, False), (2.501, False)])
def test_the_threshold_is_strict_on_both_sides(value, below):
    result = agreement(np.array([value, 9.0, 9.0]), np.array([9.0, 9.0, 9.0]), np.array([10.0, 1.0, 1.0]), 2.5)
    assert result.estimate_only_below == (10.0 if below else 0.0)
    mirrored = agreement(np.array([9.0, 9.0, 9.0]), np.array([value, 9.0, 9.0]), np.array([10.0, 1.0, 1.0]), 2.5)
    assert mirrored.reference_only_below == (10.0 if below else 0.0)


def test_small_differences_still_rank():
    result = agreement(np.array([0.1, 0.2, 0.3]), np.array([0.31, 0.32, 0.33]), np.ones(3), 2.5)
    assert result.spearman == pytest.approx(1.0)


def test_missing_values_are_left_out_and_groups_are_separate():
    estimate = np.array([1.0, np.nan, 3.0, 1.0, 2.0, 3.0])
    reference = np.array([1.0, 2.0, np.nan, 1.0, 2.0, 3.0])
    groups = np.array(["86", "86", "86", "17", "17", "17"])
    population = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
    result = agreement_by_group(estimate, reference, population, 2.5, groups)
    assert result["86"].communes == 1 and np.isnan(result["86"].spearman)
    assert result["17"].communes == 3 and result["17"].spearman == pytest.approx(1.0)
    assert (result["86"].population, result["17"].population) == (1.0, 56.0)
    assert result["17"].both_below == 24.0  # 1.0 and 2.0 are below 2.5 in both


def test_shapes_must_match():
    with pytest.raises(ValueError) as error:
        agreement(np.ones(3), np.ones(2), np.ones(3), 1.0)
    assert str(error.value) == SHAPE_MISMATCH
