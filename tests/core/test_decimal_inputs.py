"""Numbers as the database and the files give them — `Decimal`, integers, Python lists — are computed in float64.

The core's functions take `array_like` inputs. A `Decimal` left as it is would make an array of Python objects, on
which numpy's ufuncs fail or which they carry through to an `object` result; integer positions given as floats
would index nothing. Each test compares with the same call on plain float arrays, and checks the result's dtype.
"""

from dataclasses import astuple
from decimal import Decimal

import numpy as np
import scipy.sparse as sp

from oasis.core.aci import AciRules, simulate
from oasis.core.agreement import agreement, agreement_by_group
from oasis.core.apl import (
    ActivityCaps,
    AplModel,
    StepDecay,
    counted_activity,
    population_below,
    weighted_mean_by_group,
)
from oasis.core.crosswalk import apportion_counts, apportion_quantities, passage_matrix
from oasis.core.geo import equivalent_radius_km, haversine_km


def decimals(values):
    return [Decimal(str(value)) for value in values]


def test_counted_activity_of_acts_given_as_decimals():
    acts = [100.0, 3000.0, 4500.5, 7000.0]
    counted = counted_activity(decimals(acts), ActivityCaps(), centre_de_sante=[0, 0, 0, 1], newly_installed=[0, 1, 0, 0])
    assert counted.dtype == np.float64
    np.testing.assert_array_equal(counted, [0.0, 5400.0, 4500.5, 7000.0])


def test_an_apl_model_of_demand_and_supply_given_as_decimals():
    weights = sp.csr_matrix(np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    demand = [100.0, 300.0, 0.0]
    supply = [2.0, 5.0, 1.0]
    model = AplModel(weights, decimals(demand))
    assert model.demand.dtype == np.float64
    assert model.catchment_demand.dtype == np.float64
    np.testing.assert_allclose(model.catchment_demand, [250.0, 350.0, 0.0])
    ratio = model.ratio(decimals(supply))
    assert ratio.dtype == np.float64
    np.testing.assert_allclose(ratio, [2 / 250, 5 / 350, 0.0])
    apl = model.apl(decimals(supply))
    assert apl.dtype == np.float64
    np.testing.assert_allclose(apl, AplModel(weights, np.array(demand)).apl(np.array(supply)))
    assert model.lost_supply(decimals(supply)) == 1.0


def test_aggregates_of_decimals_and_of_groups_given_as_floats():
    values = [0.5, 1.5, 2.0, 4.0]
    population = [10.0, 30.0, 20.0, 5.0]
    group = [0.0, 0.0, 1.0, -1.0]
    mean = weighted_mean_by_group(decimals(values), decimals(population), group, 2)
    assert mean.dtype == np.float64
    np.testing.assert_allclose(mean, [(0.5 * 10 + 1.5 * 30) / 40, 2.0])
    below = population_below(decimals(values), decimals(population), 1.75, group, 2)
    assert below.dtype == np.float64
    np.testing.assert_array_equal(below, [40.0, 0.0])


def test_a_passage_of_decimal_ratios_and_indices_given_as_floats():
    passage = passage_matrix([0.0, 0.0, 1.0], [0.0, 1.0, 1.0], decimals([1, 3, 2]), (2, 2))
    assert passage.dtype == np.float64
    np.testing.assert_allclose(passage.toarray(), [[0.25, 0.75], [0.0, 1.0]])
    moved = apportion_quantities(decimals([100, 10]), passage)
    assert moved.dtype == np.float64
    np.testing.assert_allclose(moved, [25.0, 85.0])


def test_counts_given_as_floats_are_apportioned_as_whole_numbers():
    passage = passage_matrix([0, 0, 1], [0, 1, 1], [1.0, 3.0, 2.0], (2, 2))
    counts = apportion_counts([5.0, 2.0], passage)
    assert counts.dtype == np.int64
    np.testing.assert_array_equal(counts, [1, 6])


def test_distances_and_radii_of_decimals():
    lon1, lat1, lon2, lat2 = [0.0, 2.0], [45.0, 48.0], [1.0, 4.0], [46.0, 45.0]
    expected = haversine_km(np.array(lon1), np.array(lat1), np.array(lon2), np.array(lat2))
    distances = haversine_km(decimals(lon1), decimals(lat1), decimals(lon2), decimals(lat2))
    assert distances.dtype == np.float64
    np.testing.assert_array_equal(distances, expected)
    radii = equivalent_radius_km([Decimal(np.pi), Decimal(4 * np.pi)])
    assert radii.dtype == np.float64
    np.testing.assert_allclose(radii, [1.0, 2.0])


def test_a_decay_of_decimal_weights_weighs_in_float64():
    decay = StepDecay((10, 20), (Decimal("1"), Decimal("0.5")))
    weights = decay(np.array([0.0, 9.5, 10.0, 19.0, 20.0, 45.0]))
    assert weights.dtype == np.float64
    np.testing.assert_array_equal(weights, [1.0, 1.0, 0.5, 0.5, 0.0, 0.0])


def test_an_aci_year_of_points_and_units_given_as_decimals():
    fixed, variable, units = [100.0, 200.0, 300.0], [1000.0, 0.0, 500.0], [1.0, 2.0, 0.0]
    flags = {"prerequisite": np.array([True, False, False]), "socle": np.array([True, True, False])}
    flags["per_professional"] = np.array([False, True, False])
    plain = simulate(
        np.array(fixed), np.array(variable), np.array(units), **flags, patients=2000, professionals=5, rules=AciRules()
    )
    result = simulate(
        decimals(fixed), decimals(variable), decimals(units), **flags, patients=2000, professionals=5, rules=AciRules()
    )
    assert result.fixed_points.dtype == result.variable_points.dtype == np.float64
    np.testing.assert_array_equal(result.fixed_points, [100.0, 400.0, 0.0])
    np.testing.assert_array_equal(result.variable_points, [500.0, 0.0, 0.0])
    assert (result.total_points, result.amount, result.advance) == (plain.total_points, plain.amount, plain.advance)


def test_an_agreement_of_decimals():
    estimate, reference, population = [1.0, 2.0, 3.0, 4.0], [1.5, 3.5, 2.0, 5.0], [100.0, 200.0, 300.0, 400.0]
    expected = agreement(np.array(estimate), np.array(reference), np.array(population), 2.5)
    assert agreement(decimals(estimate), decimals(reference), decimals(population), 2.5) == expected
    assert (expected.both_below, expected.estimate_only_below, expected.reference_only_below) == (100.0, 200.0, 300.0)
    groups = np.array(["86", "86", "17", "17"])
    by_group = agreement_by_group(decimals(estimate), decimals(reference), decimals(population), 2.5, groups)
    plain = agreement_by_group(np.array(estimate), np.array(reference), np.array(population), 2.5, groups)
    np.testing.assert_equal(
        {group: astuple(result) for group, result in by_group.items()}, {g: astuple(r) for g, r in plain.items()}
    )
