"""What the siting models accept and refuse: the number of sites and the fixed ones at their bounds, weights and
capacities as the database gives them (Decimal), and a solver that writes nothing on the console."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pytest
import scipy.sparse as sp

from oasis.core.siting import mclp_exact, mclp_greedy, p_median_exact


def exactly(message):
    """A ``match`` pattern for this whole message, not a part of it."""
    return f"^{re.escape(message)}$"


COVERAGE = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], dtype=bool)
WEIGHTS = [10.0, 20.0, 30.0]


@pytest.mark.parametrize("solve", [mclp_exact, mclp_greedy])
def test_the_number_of_sites_and_the_fixed_ones_at_their_bounds(solve):
    with pytest.raises(ValueError, match=exactly("the number of new sites must be non-negative")):
        solve(COVERAGE, WEIGHTS, -1)
    # The last candidate (2) may be fixed; 3 is outside, and so is -1.
    assert solve(COVERAGE, WEIGHTS, 1, fixed=[2]).sites.size == 1
    for outside in (3, -1):
        with pytest.raises(ValueError, match=exactly("a fixed site is outside 0..m-1")):
            solve(COVERAGE, WEIGHTS, 1, fixed=[outside])
    # Two free candidates when one of three is fixed (named twice): two may be asked, not three.
    assert solve(COVERAGE, WEIGHTS, 2, fixed=[0, 0]).sites.size == 2
    with pytest.raises(ValueError, match=exactly("3 new sites asked for, only 2 free candidates")):
        solve(COVERAGE, WEIGHTS, 3, fixed=[0, 0])


def test_decimal_weights_and_capacities_give_the_same_answer():
    decimals = [Decimal("10"), Decimal("20"), Decimal("30")]
    assert mclp_exact(COVERAGE, decimals, 1).objective == mclp_exact(COVERAGE, WEIGHTS, 1).objective == 50.0
    capacity = [Decimal("25"), Decimal("25"), Decimal("5")]
    assert mclp_exact(COVERAGE, decimals, 1, capacity=capacity).objective == pytest.approx(25.0)
    costs = sp.coo_matrix(([5.0, 7.0, 9.0], ([0, 1, 2], [0, 1, 1])), shape=(3, 3))
    plain = p_median_exact(costs, WEIGHTS, 1, capacity=[60.0, 60.0, 60.0])
    assert p_median_exact(costs, decimals, 1, capacity=[Decimal(60)] * 3).objective == pytest.approx(plain.objective)


def test_the_solver_writes_nothing_on_the_console(capfd):
    # HiGHS prints its banner once per process, when its first solver is built, whatever the options: set it aside.
    mclp_exact(COVERAGE, WEIGHTS, 1, capacity=[20.0, 20.0, 20.0])
    capfd.readouterr()
    mclp_exact(COVERAGE, WEIGHTS, 1, capacity=[20.0, 20.0, 20.0])
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
