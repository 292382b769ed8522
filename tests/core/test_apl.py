"""The APL core against a slow, obviously-correct oracle, closed-form limits and directional sentences."""

import numpy as np
import pytest

from oasis.core.apl import (
    BANDS_INCREASING,
    DEMAND_NON_NEGATIVE,
    ONE_WEIGHT_PER_BAND,
    SHAPES,
    SUPPLY_SHAPE,
    WEIGHTS_IN_UNIT_INTERVAL,
    ActivityCaps,
    AplModel,
    StepDecay,
    classify,
    counted_activity,
    population_below,
    weight_matrix,
    weighted_mean_by_group,
)
from oasis.core.traveltime import from_dense

DREES = StepDecay((10.0, 15.0, 20.0), (1.0, 2 / 3, 1 / 3))


def oracle_apl(minutes, supply, demand, decay):
    """Textbook 2SFCA with loops; minutes[i, j] is the time from demand place i to supply place j."""
    n = len(supply)

    def w(t):
        for bound, weight in zip(decay.upper_minutes, decay.weights, strict=True):
            if t < bound:
                return weight
        return 0.0

    ratio = []
    for j in range(n):
        catchment = sum(w(minutes[k][j]) * demand[k] for k in range(n))
        ratio.append(supply[j] / catchment if catchment > 0 else 0.0)
    return np.array([sum(w(minutes[i][j]) * ratio[j] for j in range(n)) for i in range(n)])


def random_instance(seed, n=30, symmetric=True):
    rng = np.random.default_rng(seed)
    minutes = rng.uniform(0, 35, size=(n, n))
    if symmetric:
        minutes = (minutes + minutes.T) / 2
    np.fill_diagonal(minutes, rng.uniform(0, 5, size=n))
    supply = rng.integers(0, 4, size=n) * 4000.0
    demand = rng.uniform(50, 5000, size=n)
    return minutes, supply, demand


def model_for(minutes, demand, decay=DREES):
    return AplModel(weight_matrix(from_dense(minutes, decay.max_minutes), decay), demand)


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_matches_the_oracle(seed, symmetric):
    minutes, supply, demand = random_instance(seed, symmetric=symmetric)
    expected = oracle_apl(minutes, supply, demand, DREES)
    assert np.allclose(model_for(minutes, demand).apl(supply), expected, rtol=0, atol=1e-12)


def test_asymmetric_matrix_uses_demand_to_supply_time_in_both_steps():
    # Two places. Going from 0 to 1 takes 5 min, coming back from 1 to 0 takes 30 min.
    # The GP is at 1. Patients of 0 reach it (5 min), so both populations share it:
    # R_1 = 3600 / (100 + 100) = 18, and both APLs are 18.
    minutes = np.array([[0.0, 5.0], [30.0, 0.0]])
    supply = np.array([0.0, 3600.0])
    demand = np.array([100.0, 100.0])
    apl = model_for(minutes, demand).apl(supply)
    assert apl == pytest.approx([18.0, 18.0])
    # With the transpose in step 1 (the PySAL access #18 error), R_1 would be 36 and APL_0 would be 36.
    assert apl == pytest.approx(oracle_apl(minutes, supply, demand, DREES))


def test_mass_conservation_when_no_catchment_is_truncated():
    # All places within 10 min of each other (weight 1 everywhere): Σ P·APL = Σ S.
    rng = np.random.default_rng(7)
    n = 25
    minutes = rng.uniform(0, 9.9, size=(n, n))
    supply = rng.uniform(0, 6000, size=n)
    demand = rng.uniform(10, 1000, size=n)
    apl = model_for(minutes, demand).apl(supply)
    assert np.dot(demand, apl) == pytest.approx(supply.sum(), rel=1e-12)


def test_infinite_catchment_gives_total_supply_over_total_demand_everywhere():
    n = 12
    minutes = np.zeros((n, n))
    supply = np.arange(n) * 1000.0
    demand = np.linspace(100, 1200, n)
    apl = model_for(minutes, demand).apl(supply)
    assert np.allclose(apl, supply.sum() / demand.sum())


def test_isolated_places():
    minutes = np.full((3, 3), np.inf)
    np.fill_diagonal(minutes, 0.0)
    supply = np.array([3600.0, 0.0, 7200.0])
    demand = np.array([1000.0, 500.0, 0.0])
    model = model_for(minutes, demand)
    # An isolated GP serves only its own commune; a GP where nobody lives serves nobody.
    assert model.apl(supply) == pytest.approx([3.6, 0.0, 0.0])
    assert model.lost_supply(supply) == 7200.0


@pytest.mark.parametrize("seed", range(4))
def test_adding_a_gp_never_lowers_any_apl(seed):
    minutes, supply, demand = random_instance(seed, symmetric=seed % 2 == 0)
    model = model_for(minutes, demand)
    before = model.apl(supply)
    for j in range(len(supply)):
        more = supply.copy()
        more[j] += 5400
        assert np.all(model.apl(more) >= before - 1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_apl_change_equals_a_full_recomputation(seed):
    minutes, supply, demand = random_instance(seed, symmetric=False)
    model = model_for(minutes, demand)
    change = {3: 5400.0, 7: -supply[7], 11: 1000.0}
    after = supply.copy()
    for j, delta in change.items():
        after[j] += delta
    assert np.allclose(model.apl(supply) + model.apl_change(change), model.apl(after), atol=1e-12)


def test_step_decay_bands():
    assert DREES([0, 9.99, 10, 14.9, 15, 19.99, 20, 45]).tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 0, 0])
    assert DREES.max_minutes == 20


def test_decay_needs_times_up_to_its_last_bound():
    times = from_dense(np.zeros((2, 2)), 15.0)
    with pytest.raises(ValueError, match="decay needs 20"):
        weight_matrix(times, DREES)


def test_drees_activity_caps():
    caps = ActivityCaps()
    acts = [0, 250, 251, 3600, 4200, 6000, 9000]
    assert counted_activity(acts, caps).tolist() == [0, 0, 3600, 3600, 4200, 6000, 6000]
    assert counted_activity([9000, 100], caps, centre_de_sante=[True, False]).tolist() == [9000, 0]
    assert counted_activity([100], caps, newly_installed=[True]).tolist() == [5400]
    assert counted_activity([100, 4200], caps, newly_installed=[True, False]).tolist() == [5400, 4200]


def test_aggregation_is_weighted_by_standardised_population():
    values = [2.0, 4.0, 10.0, 1.0]
    weights = [100.0, 300.0, 0.0, 50.0]
    group = [0, 0, 0, 1]
    assert weighted_mean_by_group(values, weights, group, 3).tolist()[:2] == pytest.approx([3.5, 1.0])
    assert np.isnan(weighted_mean_by_group(values, weights, group, 3)[2])
    assert population_below(values, [1000, 2000, 3000, 400], 2.5, group, 2).tolist() == [1000, 400]


def test_classify():
    assert classify([0.1, 0.5, 0.99, 1.0, 2.0], [0.5, 1.0]).tolist() == [0, 1, 1, 2, 2]
    assert classify([0.7], [0.5, 1.0]).dtype == np.int64  # classes index arrays


@pytest.mark.parametrize(
    ("bounds", "weights", "message"),
    [
        ((10.0, 20.0), (1.0,), ONE_WEIGHT_PER_BAND),
        ((), (), ONE_WEIGHT_PER_BAND),
        ((20.0, 10.0), (1.0, 0.5), BANDS_INCREASING),
        ((0.0, 10.0), (1.0, 0.5), BANDS_INCREASING),
        ((10.0, 20.0), (1.0, -0.01), WEIGHTS_IN_UNIT_INTERVAL),
        ((10.0, 20.0), (1.01, 0.5), WEIGHTS_IN_UNIT_INTERVAL),
    ],
)
def test_a_decay_is_refused_with_its_reason(bounds, weights, message):
    with pytest.raises(ValueError) as error:
        StepDecay(bounds, weights)
    assert str(error.value) == message


@pytest.mark.parametrize(("bounds", "weights"), [((0.5, 20.0), (0.0, 1.0)), ((10.0, 10.5), (1.0, 0.0)), ((1.0,), (1.0,))])
def test_a_decay_at_the_edges_of_what_is_allowed(bounds, weights):
    decay = StepDecay(bounds, weights)
    assert decay.max_minutes == bounds[-1]
    assert decay([0.0, bounds[-1]]).tolist() == [weights[0], 0.0]


def test_a_model_refuses_wrong_shapes_and_demand():
    import scipy.sparse as sp

    weights = sp.identity(2, format="csr")
    for bad, message in (
        ((sp.identity(3, format="csr"), np.ones(2)), SHAPES),
        ((weights, np.ones(3)), SHAPES),
        ((weights, np.array([1.0, -1e-9])), DEMAND_NON_NEGATIVE),
        ((weights, np.array([1.0, np.inf])), DEMAND_NON_NEGATIVE),
    ):
        with pytest.raises(ValueError) as error:
            AplModel(*bad)
        assert str(error.value) == message
    model = AplModel(weights, np.array([0.0, 2.0]))  # zero demand is allowed
    with pytest.raises(ValueError) as error:
        model.ratio(np.ones(3))
    assert str(error.value) == SUPPLY_SHAPE


def test_supply_where_nobody_reaches_is_lost_and_unchanged_by_what_ifs():
    minutes = np.array([[0.0, np.inf], [np.inf, 0.0]])
    model = model_for(minutes, np.array([1.0, 0.0]))  # nobody lives in place 1
    assert model.lost_supply(np.array([0.0, 1.0])) == 1.0
    assert model.lost_supply(np.array([1.0, 0.0])) == 0.0
    assert model.apl_change({1: 5400.0}).tolist() == [0.0, 0.0]
    assert model.apl_change({0: 0.0}).tolist() == [0.0, 0.0]
    assert model.apl_change({0: 2.0}).tolist() == [2.0, 0.0]
    # A catchment demand under one inhabitant still counts: ratios are per inhabitant, not per person whole.
    small = model_for(np.zeros((1, 1)), np.array([0.5]))
    assert small.apl(np.array([1.0])).tolist() == [2.0]
    assert small.apl_change({0: 1.0}).tolist() == [2.0]
    assert small.lost_supply(np.array([1.0])) == 0.0


def test_aggregates_leave_out_places_without_group_and_keep_small_weights():
    values = [2.0, 4.0, 1.0]
    weights = [0.5, 0.5, 100.0]
    group = [0, 0, -1]
    assert weighted_mean_by_group(values, weights, group, 1).tolist() == [3.0]  # denominators under 1 still divide
    assert population_below([2.5, 2.4999, 1.0], [10.0, 20.0, 40.0], 2.5, [0, 0, -1], 1).tolist() == [20.0]


def test_a_what_if_goes_on_past_a_place_nobody_reaches():
    minutes = np.array([[0.0, np.inf], [np.inf, 0.0]])
    model = model_for(minutes, np.array([1.0, 0.0]))
    assert model.apl_change({1: 5400.0, 0: 2.0}).tolist() == [2.0, 0.0]  # the first change touches nobody


def test_a_decay_that_weighs_nothing_needs_no_longer_times():
    times = from_dense(np.zeros((2, 2)), 15.0)
    decay = StepDecay((10.0, 20.0), (0.0, 0.0))  # nothing is missing when every band weighs zero
    assert weight_matrix(times, decay).nnz == 0


def test_population_below_keeps_every_group_even_the_empty_last_ones():
    assert population_below([1.0, 3.0], [10.0, 20.0], 2.5, [0, 1], 4).tolist() == [10.0, 0.0, 0.0, 0.0]
