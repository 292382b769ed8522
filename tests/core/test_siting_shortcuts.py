"""The exact MCLP's shortcuts, which answer without the solver: nothing left to cover, no new site asked, fewer useful
candidates than sites asked. Each answer is written out by hand and checked against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from oasis.core.siting import mclp_brute_force, mclp_exact

# Site 0 covers places 0 and 1, site 1 place 2, site 2 place 1, site 3 nobody; place 3 weighs nothing.
COVERAGE = np.array([[1, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]], dtype=float)
WEIGHTS = np.array([1.0, 2.0, 4.0, 0.0])


@pytest.mark.parametrize(
    ("p", "fixed", "sites", "objective", "covered"),
    [
        (2, [0, 1], [], 7.0, [1, 1, 1, 0]),  # every weighed place already covered: nothing to open
        (0, [0], [], 3.0, [1, 1, 0, 0]),  # no new site asked
        (2, [0], [1, 2], 7.0, [1, 1, 1, 0]),  # one useful candidate (1), the other is the lowest left (2)
    ],
)
def test_answers_without_the_solver(p, fixed, sites, objective, covered):
    result = mclp_exact(COVERAGE, WEIGHTS, p, fixed)
    assert result.sites.dtype == np.int64 and result.sites.tolist() == sites
    assert result.objective == objective == mclp_brute_force(COVERAGE, WEIGHTS, p, fixed).objective
    assert result.covered.dtype == np.float64 and result.covered.tolist() == covered
    assert result.status == "optimal"
