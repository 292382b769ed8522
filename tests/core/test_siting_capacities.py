"""Capacitated siting (a team takes so many patients) against an oracle written apart from the code: every set of open
sites is tried, and for each the best assignment of demand to open sites is a small dense linear programme solved by
``scipy.optimize.linprog``. The p-median's places beyond every open site, and its default penalty, are checked too."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from oasis.core.siting import mclp_exact, p_median_exact


def best_assignment(reach, weights, capacity, open_sites, pair_minutes=None, penalty=None):
    """The covered weight (no minutes) or the weighted minutes (with minutes and penalty) of the best assignment.

    Variables: z[i, j] for each place i and open site j that reaches it (share of i's demand sent to j), then, for the
    p-median, u[i] (share of i not served). Each place sends at most (covering) or exactly (p-median, with u) all of
    its demand; each open site takes at most its capacity.
    """
    pairs = [(i, j) for j in open_sites for i in range(reach.shape[0]) if reach[i, j]]
    n = reach.shape[0]
    with_u = penalty is not None
    size = len(pairs) + (n if with_u else 0)
    place_rows = np.zeros((n, size))
    site_rows = np.zeros((len(open_sites), size))
    cost = np.zeros(size)
    for column, (i, j) in enumerate(pairs):
        place_rows[i, column] = 1.0
        site_rows[list(open_sites).index(j), column] = weights[i]
        cost[column] = -weights[i] if not with_u else weights[i] * pair_minutes[i, j]
    if with_u:
        place_rows[np.arange(n), len(pairs) + np.arange(n)] = 1.0
        cost[len(pairs) :] = weights * penalty
    capacities = np.asarray(capacity, dtype=float)[list(open_sites)]
    if with_u:
        solution = linprog(cost, A_ub=site_rows, b_ub=capacities, A_eq=place_rows, b_eq=np.ones(n), bounds=(0, None))
    else:
        rows = np.vstack([place_rows, site_rows])
        solution = linprog(cost, A_ub=rows, b_ub=np.concatenate([np.ones(n), capacities]), bounds=(0, None))
    assert solution.status == 0
    return solution.fun if with_u else -solution.fun


def oracle(reach, weights, capacity, p, fixed=(), pair_minutes=None, penalty=None):
    """The best objective over every set of p new sites (with the fixed ones)."""
    free = [j for j in range(reach.shape[1]) if j not in fixed]
    values = [
        best_assignment(reach, weights, capacity, [*combination, *fixed], pair_minutes, penalty)
        for combination in combinations(free, p)
    ]
    return min(values) if penalty is not None else max(values)


@pytest.mark.parametrize("seed", range(6))
def test_capacitated_mclp_against_the_oracle(seed):
    rng = np.random.default_rng(100 + seed)
    n, m = 10, 6
    reach = rng.random((n, m)) < 0.4
    weights = rng.integers(1, 40, size=n).astype(float)
    capacity = rng.integers(20, 90, size=m).astype(float)
    fixed = [seed % m] if seed % 2 else []
    result = mclp_exact(reach, weights, 2, fixed=fixed, capacity=capacity)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(oracle(reach, weights, capacity, 2, fixed), abs=1e-6)
    # Two new sites, none of them a fixed one, and their own best assignment gives the objective.
    assert len(result.sites) == 2 and not set(result.sites.tolist()) & set(fixed)
    assert best_assignment(reach, weights, capacity, [*result.sites.tolist(), *fixed]) == pytest.approx(
        result.objective, abs=1e-6
    )
    # The shares served are those of an assignment reaching the objective, each within 0..1 and only where reached.
    assert (weights * result.covered).sum() == pytest.approx(result.objective, abs=1e-6)
    assert result.covered.min() >= 0.0 and result.covered.max() <= 1.0 + 1e-9
    unreached = ~reach[:, [*result.sites.tolist(), *fixed]].any(axis=1)
    assert result.covered[unreached].tolist() == [0.0] * int(unreached.sum())


def test_a_place_reached_by_two_open_sites_counts_once():
    # Both sites reach the single place, with room for it twice over: it is covered once, not twice.
    reach = np.array([[1, 1]], dtype=bool)
    result = mclp_exact(reach, [30.0], 2, capacity=[100.0, 100.0])
    assert result.objective == pytest.approx(30.0)
    assert result.sites.tolist() == [0, 1]
    assert result.covered.tolist() == pytest.approx([1.0])


def test_capacitated_sites_are_named_fixed_ones_left_out():
    # Site 0 (fixed) takes 10 of place 0's 40; site 2 takes the rest of it; site 1 reaches only place 1 (5).
    reach = np.array([[1, 0, 1], [0, 1, 0]], dtype=bool)
    result = mclp_exact(reach, [40.0, 5.0], 1, fixed=[0], capacity=[10.0, 50.0, 50.0])
    assert result.sites.tolist() == [2]
    assert result.objective == pytest.approx(40.0)
    assert result.covered.tolist() == pytest.approx([1.0, 0.0])
    assert result.status == "optimal"


def minutes_instance(seed, n=9, m=5, cutoff=30.0):
    rng = np.random.default_rng(200 + seed)
    dense = rng.uniform(0, 40, size=(n, m))
    dense[dense > cutoff] = np.inf
    dense[-1, :] = np.inf  # the last place is beyond every site's cutoff
    dense[:, -1] = np.inf  # and the last site reaches nobody
    weights = rng.integers(1, 30, size=n).astype(float)
    rows, cols = np.nonzero(np.isfinite(dense))
    return dense, sp.coo_matrix((dense[rows, cols], (rows, cols)), shape=(n, m)), weights


@pytest.mark.parametrize("seed", range(6))
def test_capacitated_p_median_against_the_oracle(seed):
    dense, costs, weights = minutes_instance(seed)
    capacity = np.full(dense.shape[1], weights.sum() / 3)
    fixed = [1] if seed % 2 else []
    result = p_median_exact(costs, weights, 2, fixed=fixed, capacity=capacity, unserved_penalty_minutes=50)
    reach = np.isfinite(dense)
    expected = oracle(reach, weights, capacity, 2, fixed, pair_minutes=np.where(reach, dense, 0), penalty=50)
    assert result.objective == pytest.approx(expected, rel=1e-7)
    assert result.status == "optimal"
    assert len(result.sites) == 2 and not set(result.sites.tolist()) & set(fixed)
    # The place beyond every site is not served; the open sites serve no more than their capacities together.
    assert result.covered[-1] == 0.0
    assert (weights * result.covered).sum() <= capacity[0] * (2 + len(fixed)) + 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_uncapacitated_p_median_serves_every_place_within_reach(seed):
    dense, costs, weights = minutes_instance(seed)
    result = p_median_exact(costs, weights, 2, unserved_penalty_minutes=45)
    reach = np.isfinite(dense)
    served = reach[:, result.sites].any(axis=1).astype(float)
    assert result.covered.tolist() == served.tolist()
    assert result.covered[-1] == 0.0


def test_the_default_penalty_is_two_hours_per_unserved_unit():
    # Place 1 is beyond the only site: 3 units × 120 minutes, plus place 0's 2 units × 10 minutes.
    costs = sp.coo_matrix(([10.0], ([0], [0])), shape=(2, 1))
    result = p_median_exact(costs, [2.0, 3.0], 1)
    assert result.objective == pytest.approx(2 * 10 + 3 * 120)
    assert result.covered.tolist() == [1.0, 0.0]
    assert result.sites.tolist() == [0]


def test_a_zero_time_is_a_pair_not_an_absence():
    # Place 0 is at site 0 (0 minutes, stored explicitly); place 1 is 15 minutes from site 1 and 20 from site 0.
    costs = sp.coo_matrix(([0.0, 20.0, 15.0], ([0, 1, 1], [0, 0, 1])), shape=(2, 2))
    result = p_median_exact(costs, [4.0, 1.0], 1, unserved_penalty_minutes=60)
    assert result.sites.tolist() == [0]
    assert result.objective == pytest.approx(4 * 0 + 1 * 20)
    assert result.covered.tolist() == [1.0, 1.0]
