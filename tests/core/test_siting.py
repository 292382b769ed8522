"""Siting models against brute force, the greedy's bound, fixed sites, capacities."""

from itertools import combinations

import numpy as np
import pytest
import scipy.sparse as sp

from oasis.core.siting import (
    GREEDY_BOUND,
    SolverError,
    mclp_brute_force,
    mclp_exact,
    mclp_greedy,
    p_median_exact,
)


def instance(seed, n=14, m=9, density=0.25):
    rng = np.random.default_rng(seed)
    coverage = rng.random((n, m)) < density
    weights = rng.integers(1, 100, size=n).astype(float)
    return coverage, weights


def achieved(coverage, weights, sites, fixed=()):
    """The weight the reported sites (with the fixed ones) really cover, recomputed from the matrix."""
    open_sites = [*map(int, sites), *fixed]
    return float(weights[coverage[:, open_sites].any(axis=1)].sum()) if open_sites else 0.0


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("p", [1, 2, 3])
def test_exact_matches_brute_force(seed, p):
    coverage, weights = instance(seed)
    fixed = [seed % 9] if seed % 3 == 0 else []
    exact = mclp_exact(coverage, weights, p, fixed)
    brute = mclp_brute_force(coverage, weights, p, fixed)
    assert exact.status == "optimal"
    assert exact.objective == pytest.approx(brute.objective)
    assert len(exact.sites) == p
    assert not set(exact.sites) & set(fixed)
    # The sites it reports achieve the objective it claims, and its coverage vector is theirs.
    assert achieved(coverage, weights, exact.sites, fixed) == pytest.approx(exact.objective)
    assert exact.covered.tolist() == coverage[:, [*exact.sites, *fixed]].any(axis=1).astype(float).tolist()


def test_the_reported_site_covers_somebody():
    # Site 0 covers nobody, site 1 covers the heaviest demand: the answer must be site 1, not an index of the sub-problem.
    coverage = np.array([[0, 0, 1], [0, 1, 0], [0, 1, 0]], dtype=bool)
    weights = np.array([5.0, 10.0, 10.0])
    for solve in (mclp_exact, mclp_greedy):
        result = solve(coverage, weights, 1)
        assert result.sites.tolist() == [1]
        assert achieved(coverage, weights, result.sites) == result.objective == 20.0


@pytest.mark.parametrize("seed", range(12))
def test_greedy_never_beats_exact_and_keeps_its_bound(seed):
    coverage, weights = instance(seed, n=30, m=15)
    exact = mclp_exact(coverage, weights, 3)
    greedy = mclp_greedy(coverage, weights, 3)
    assert achieved(coverage, weights, greedy.sites) == pytest.approx(greedy.objective)
    assert greedy.objective <= exact.objective + 1e-9
    assert greedy.objective >= GREEDY_BOUND * exact.objective - 1e-9


def test_fixed_sites_are_kept_and_count():
    coverage = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]], dtype=bool)
    weights = np.array([10.0, 20.0, 5.0, 5.0])
    result = mclp_exact(coverage, weights, 1, fixed=[2])
    assert result.sites.tolist() == [1]
    assert result.objective == 30.0  # 10 (site 2, fixed) + 20 (site 1)
    assert result.covered.tolist() == [0, 1, 1, 1]
    assert mclp_greedy(coverage, weights, 1, fixed=[2]).sites.tolist() == [1]


def test_capacities_are_respected():
    # One site covers everybody but can take only 50; two small sites can take 40 each.
    coverage = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]], dtype=bool)
    weights = np.array([60.0, 60.0, 60.0])
    unlimited = mclp_exact(coverage, weights, 1)
    assert unlimited.objective == 180.0 and unlimited.sites.tolist() == [0]
    capacity = np.array([50.0, 40.0, 40.0])
    one = mclp_exact(coverage, weights, 1, capacity=capacity)
    assert one.objective == pytest.approx(50.0)
    two = mclp_exact(coverage, weights, 2, capacity=capacity)
    assert two.objective == pytest.approx(90.0)  # the big one (50) and a small one (40)
    assert (two.covered * weights).sum() == pytest.approx(90.0)


def p_median_brute_force(costs, weights, p, penalty, fixed=()):
    m = costs.shape[1]
    best = np.inf
    for combination in combinations([j for j in range(m) if j not in fixed], p):
        open_sites = list(combination) + list(fixed)
        nearest = np.min(np.where(np.isfinite(costs[:, open_sites]), costs[:, open_sites], penalty), axis=1)
        best = min(best, float(weights @ np.minimum(nearest, penalty)))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_p_median_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = 12, 7
    dense = rng.uniform(0, 40, size=(n, m))
    dense[dense > 30] = np.inf  # beyond the cutoff
    weights = rng.integers(1, 50, size=n).astype(float)
    rows, cols = np.nonzero(np.isfinite(dense))
    costs = sp.coo_matrix((dense[rows, cols], (rows, cols)), shape=(n, m))
    fixed = [0] if seed % 2 else []
    result = p_median_exact(costs, weights, 2, fixed=fixed, unserved_penalty_minutes=60)
    assert result.objective == pytest.approx(p_median_brute_force(dense, weights, 2, 60, fixed))
    # The reported sites, with the fixed ones, give that total travel time.
    open_sites = [*map(int, result.sites), *fixed]
    nearest = np.min(np.where(np.isfinite(dense[:, open_sites]), dense[:, open_sites], 60), axis=1)
    assert float(weights @ np.minimum(nearest, 60)) == pytest.approx(result.objective)
    assert 0 not in result.sites.tolist() or not fixed


def test_impossible_requests_are_refused():
    coverage, weights = instance(0, n=5, m=3)
    with pytest.raises(ValueError, match="free candidates"):
        mclp_exact(coverage, weights, 3, fixed=[0])
    with pytest.raises(ValueError, match="outside"):
        mclp_greedy(coverage, weights, 1, fixed=[7])


def test_time_limit_is_reported_not_hidden():
    rng = np.random.default_rng(1)
    coverage = rng.random((400, 200)) < 0.08
    weights = rng.random(400)
    with pytest.raises(SolverError, match="HiGHS"):
        mclp_exact(coverage, weights, 20, time_limit_seconds=1e-4)


@pytest.mark.parametrize("seed", [129, 187, 218])
def test_exact_means_no_gap_left_on_large_weights(seed):
    # Communes of about a million weight, differing by units: HiGHS's default relative gap (0.01 %) accepts a plan a
    # few units short of the best on these instances. The exact model closes the gap.
    rng = np.random.default_rng(seed)
    coverage = rng.random((40, 14)) < 0.2
    weights = 1e6 + rng.integers(0, 3, size=40).astype(float)
    assert mclp_exact(coverage, weights, 4).objective == mclp_brute_force(coverage, weights, 4).objective
