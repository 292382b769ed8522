"""The greedy heuristic and the brute-force oracle, step by step on instances small enough to follow by hand: what each
step gains, how ties are broken, fixed sites, no site asked, weights under one."""

from __future__ import annotations

import numpy as np
import pytest

from oasis.core.siting import mclp_brute_force, mclp_greedy

# Site 0 covers places 0 and 1, site 1 places 1 and 2, site 2 place 3, site 3 places 0, 1 and 2.
COVERAGE = np.array([[1, 0, 0, 1], [1, 1, 0, 1], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=bool)
WEIGHTS = np.array([3.0, 4.0, 5.0, 2.0])


def test_each_step_takes_the_largest_uncovered_weight():
    # Step 1: gains 7, 9, 2, 12 → site 3. Step 2: what is left is place 3 (2) → site 2, although site 1 alone would
    # have gained 9 before step 1.
    result = mclp_greedy(COVERAGE, WEIGHTS, 2)
    assert result.sites.tolist() == [3, 2]
    assert result.objective == 14.0
    assert result.covered.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert result.status == "greedy"


def test_fixed_sites_cover_before_the_first_step():
    # Site 3 is open: places 0–2 are covered, so the only gain left is site 2's place 3 (2).
    result = mclp_greedy(COVERAGE, WEIGHTS, 1, fixed=[3])
    assert result.sites.tolist() == [2]
    assert result.objective == 14.0
    # Site 0 open: site 1 gains 5 (place 2), site 3 gains 5 too; the tie goes to the lower index.
    result = mclp_greedy(COVERAGE, WEIGHTS, 1, fixed=[0])
    assert result.sites.tolist() == [1]
    assert result.objective == 12.0
    assert result.covered.tolist() == [1.0, 1.0, 1.0, 0.0]


def test_a_site_is_never_taken_twice_nor_a_fixed_one():
    # Everything is covered by the fixed site 3 plus site 2: nothing left to gain, yet each new site is a new one.
    result = mclp_greedy(COVERAGE, WEIGHTS, 3, fixed=[3])
    assert result.sites.tolist() == [2, 0, 1]
    # Site 0 open: site 1 gains 5, then site 2 gains 2, then nothing is left and site 3 comes before the open site 0.
    assert mclp_greedy(COVERAGE, WEIGHTS, 3, fixed=[0]).sites.tolist() == [1, 2, 3]
    # Weights under one: a covered place must still gain nothing (not one), an open site still lose.
    small = mclp_greedy(COVERAGE, WEIGHTS / 100, 2)
    assert small.sites.tolist() == [3, 2]
    assert small.objective == pytest.approx(0.14)


def test_no_site_asked():
    for solve in (mclp_greedy, mclp_brute_force):
        result = solve(COVERAGE, WEIGHTS, 0, fixed=[1])
        assert result.sites.dtype == np.int64 and result.sites.tolist() == []
        assert result.objective == 9.0  # places 1 and 2
        assert result.covered.tolist() == [0.0, 1.0, 1.0, 0.0]


def test_brute_force_answers_and_breaks_ties_by_the_first_set():
    result = mclp_brute_force(COVERAGE, WEIGHTS, 2)
    assert result.sites.tolist() == [2, 3]
    assert result.objective == 14.0
    assert result.covered.dtype == np.float64 and result.covered.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert result.status == "brute-force"
    # Sites 1 and 3 both bring 5 to site 0: the first set in order, (1,), is kept.
    assert mclp_brute_force(COVERAGE, WEIGHTS, 1, fixed=[0]).sites.tolist() == [1]
    # Weights under one, and all zero: the best is still a real set of sites, the first one.
    assert mclp_brute_force(COVERAGE, WEIGHTS / 100, 1).objective == pytest.approx(0.12)
    assert mclp_brute_force(COVERAGE, WEIGHTS / 100, 1).sites.tolist() == [3]
    nothing = mclp_brute_force(COVERAGE, np.zeros(4), 2)
    assert nothing.sites.tolist() == [0, 1] and nothing.objective == 0.0
