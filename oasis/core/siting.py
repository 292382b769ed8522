r"""Where to open new sites: maximal covering (MCLP), p-median, and a greedy heuristic, on a cost matrix.

Everything works on indices: ``n`` demand places, ``m`` candidate sites, a sparse
coverage or cost matrix between them, demand weights, and the candidates that
are already open (``fixed``: existing maisons and centres de santé). The
geography (which commune, which minutes) is the caller's.

MCLP (Church & ReVelle, 1974), with fixed sites F and p new sites::

    max  Σ_i w_i y_i
    s.t. y_i ≤ Σ_{j ∈ N_i} x_j          for every demand place i  (N_i: sites covering i)
         Σ_{j ∉ F} x_j = p,  x_j = 1 for j ∈ F
         x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

With capacities C_j (patients a team can take), coverage becomes an assignment:
``max Σ w_i z_ij`` with ``Σ_j z_ij ≤ 1``, ``z_ij ≤ x_j`` and ``Σ_i w_i z_ij ≤ C_j x_j``.

p-median (Hakimi, 1964)::

    min  Σ_i Σ_j w_i d_ij z_ij + Σ_i w_i · penalty · u_i
    s.t. Σ_j z_ij + u_i = 1,  z_ij ≤ x_j,  Σ_{j ∉ F} x_j = p,  x_j = 1 for j ∈ F
         (capacities: Σ_i w_i z_ij ≤ C_j x_j)

where d is known only within a cutoff and u_i ("not served within the cutoff")
keeps the model feasible at a stated cost.

The greedy heuristic adds, p times, the site that covers the most uncovered
weight; for the MCLP it reaches at least (1 − 1/e) ≈ 63 % of the optimum
(Nemhauser, Wolsey & Fisher, 1978).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

GREEDY_BOUND = 1.0 - 1.0 / np.e
"""Guaranteed fraction of the optimal MCLP objective reached by the greedy heuristic."""


class SolverError(RuntimeError):
    """The MILP solver did not prove optimality (status given)."""


@dataclass(frozen=True)
class SitingResult:
    """Chosen sites and objective.

    Attributes
    ----------
    sites : numpy.ndarray of int64, shape (p,)
        The new sites, in the order chosen (greedy) or by index (exact).
    objective : float
        Covered weight (MCLP) or weighted cost (p-median), fixed sites included.
    covered : numpy.ndarray of float64, shape (n,)
        Share of each demand place covered or served (0–1).
    status : str
        "optimal" (MILP proved), "greedy" or "brute-force".
    """

    sites: NDArray[np.int64]
    objective: float
    covered: NDArray[np.float64]
    status: str


def _as_coverage(coverage: ArrayLike | sp.spmatrix) -> sp.csc_matrix:
    matrix = sp.csc_matrix(coverage, dtype=np.float64)
    matrix.data[:] = 1.0
    matrix.eliminate_zeros()
    return matrix


def _check(n_sites: int, p: int, fixed: NDArray[np.int64]) -> None:
    if p < 0:
        raise ValueError("the number of new sites must be non-negative")
    if fixed.size and (fixed.min() < 0 or fixed.max() >= n_sites):
        raise ValueError("a fixed site is outside 0..m-1")
    if p > n_sites - len(np.unique(fixed)):
        raise ValueError(f"{p} new sites asked for, only {n_sites - len(np.unique(fixed))} free candidates")


def _solve(
    cost: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    integer: NDArray[np.bool_],
    matrix: sp.csc_matrix,
    row_lower: NDArray[np.float64],
    row_upper: NDArray[np.float64],
    maximize: bool,
    time_limit_seconds: float,
) -> tuple[NDArray[np.float64], float]:
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = int(cost.size)
    lp.num_row_ = int(row_lower.size)
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    lp.a_matrix_.num_col_ = int(cost.size)
    lp.a_matrix_.num_row_ = int(row_lower.size)
    lp.integrality_ = [highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer]
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit_seconds))
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverError(f"HiGHS : {solver.modelStatusToString(status)}")
    values = np.asarray(solver.getSolution().col_value, dtype=np.float64)
    return values, float(solver.getInfo().objective_function_value)


def mclp_exact(
    coverage: ArrayLike | sp.spmatrix,
    weights: ArrayLike,
    p: int,
    fixed: ArrayLike = (),
    capacity: ArrayLike | None = None,
    time_limit_seconds: float = 60.0,
) -> SitingResult:
    """Solve the maximal covering problem exactly (HiGHS MILP).

    Parameters
    ----------
    coverage : array_like or sparse, shape (n, m)
        Non-zero where site j covers demand place i (e.g. travel time ≤ 20 min).
    weights : array_like, shape (n,)
        Demand to cover (population, sous-dense population, APL deficit…), ≥ 0.
    p : int
        Number of new sites.
    fixed : array_like of int
        Sites already open, kept.
    capacity : array_like, shape (m,), optional
        Weight each site can serve; none means unlimited.
    time_limit_seconds : float

    Returns
    -------
    SitingResult
        ``status == "optimal"``; :class:`SolverError` otherwise.
    """
    matrix = _as_coverage(coverage)
    w = np.asarray(weights, dtype=np.float64)
    fixed_sites = np.unique(np.asarray(fixed, dtype=np.int64))
    m = matrix.shape[1]
    _check(m, p, fixed_sites)
    if capacity is not None:
        return _mclp_capacitated(matrix, w, p, fixed_sites, np.asarray(capacity, dtype=np.float64), time_limit_seconds)
    is_fixed = np.zeros(m, dtype=bool)
    is_fixed[fixed_sites] = True
    already = np.asarray(matrix[:, is_fixed].sum(axis=1)).ravel() > 0
    open_demand = np.flatnonzero(~already & (w > 0))
    useful = np.flatnonzero(~is_fixed & (np.diff(matrix[open_demand, :].tocsc().indptr) > 0))
    base = float(w[already].sum())
    if p == 0 or open_demand.size == 0:
        return SitingResult(np.zeros(0, dtype=np.int64), base, already.astype(np.float64), "optimal")
    # Fewer useful candidates than p: every useful one is taken, the rest are indifferent (lowest indices).
    if useful.size <= p:
        others = np.setdiff1d(np.flatnonzero(~is_fixed), useful)[: p - useful.size]
        chosen = np.sort(np.concatenate((useful, others)))
        covered = (np.asarray(matrix[:, np.concatenate((chosen, fixed_sites))].sum(axis=1)).ravel() > 0).astype(float)
        return SitingResult(chosen, float(w @ covered), covered, "optimal")
    sub = matrix[open_demand, :][:, useful].tocsc()  # (d, k)
    d, k = sub.shape
    # Columns: x_0..x_{k-1}, y_0..y_{d-1}. Rows: d coverage rows, then the cardinality row.
    x_block = sp.vstack([-sub, sp.csr_matrix(np.ones((1, k)))]).tocsc()
    y_block = sp.vstack([sp.identity(d, format="csc"), sp.csr_matrix((1, d))]).tocsc()
    a = sp.hstack([x_block, y_block]).tocsc()
    cost = np.concatenate((np.zeros(k), w[open_demand]))
    values, objective = _solve(
        cost,
        np.zeros(k + d),
        np.ones(k + d),
        np.concatenate((np.ones(k, dtype=bool), np.zeros(d, dtype=bool))),
        a,
        np.concatenate((np.full(d, -np.inf), [p])),
        np.concatenate((np.zeros(d), [p])),
        maximize=True,
        time_limit_seconds=time_limit_seconds,
    )
    chosen = np.sort(useful[values[:k] > 0.5])
    covered = (np.asarray(matrix[:, np.concatenate((chosen, fixed_sites))].sum(axis=1)).ravel() > 0).astype(float)
    return SitingResult(chosen, base + objective, covered, "optimal")


Model = tuple[
    NDArray[np.float64],  # cost
    NDArray[np.float64],  # column lower bounds
    NDArray[np.float64],  # column upper bounds
    NDArray[np.bool_],  # integer columns
    sp.csc_matrix,  # constraint matrix
    NDArray[np.float64],  # row lower bounds
    NDArray[np.float64],  # row upper bounds
    int,  # number of assignment pairs
]


def _assignment_model(
    reach: sp.csc_matrix,
    w: NDArray[np.float64],
    p: int,
    fixed: NDArray[np.int64],
    capacity: NDArray[np.float64] | None,
    pair_cost: NDArray[np.float64],
    unserved_cost: NDArray[np.float64] | None,
    equality: bool,
) -> Model:
    """Build the assignment model's arrays, as :func:`_solve` takes them.

    Columns: x (m), z for each stored entry of ``reach`` (e pairs; its values are not read), u (n) when
    ``unserved_cost`` is given.
    """
    n, m = reach.shape
    coo = reach.tocoo()
    pairs_i, pairs_j = coo.row.astype(np.int64), coo.col.astype(np.int64)
    e = pairs_i.size
    with_u = unserved_cost is not None
    columns = m + e + (n if with_u else 0)
    rows_i: list[NDArray[np.int64]] = []
    rows_c: list[NDArray[np.int64]] = []
    rows_v: list[NDArray[np.float64]] = []
    pair_columns = m + np.arange(e)
    # (1) each demand place: Σ_j z_ij (+ u_i) = 1 (p-median) or ≤ 1 (covering)
    rows_i.append(pairs_i)
    rows_c.append(pair_columns)
    rows_v.append(np.ones(e))
    if with_u:
        rows_i.append(np.arange(n))
        rows_c.append(m + e + np.arange(n))
        rows_v.append(np.ones(n))
    # (2) z_ij - x_j ≤ 0, one row per pair
    pair_rows = n + np.arange(e)
    rows_i += [pair_rows, pair_rows]
    rows_c += [pair_columns, pairs_j]
    rows_v += [np.ones(e), -np.ones(e)]
    # (3) cardinality: Σ x_j = p + |F|
    card_row = n + e
    rows_i.append(np.full(m, card_row))
    rows_c.append(np.arange(m))
    rows_v.append(np.ones(m))
    n_rows = card_row + 1
    if capacity is not None:
        # (4) Σ_i w_i z_ij - C_j x_j ≤ 0, one row per site
        cap_rows = n_rows + np.arange(m)
        rows_i += [cap_rows[pairs_j], cap_rows]
        rows_c += [pair_columns, np.arange(m)]
        rows_v += [w[pairs_i], -capacity]
        n_rows += m
    a = sp.csc_matrix((np.concatenate(rows_v), (np.concatenate(rows_i), np.concatenate(rows_c))), shape=(n_rows, columns))
    row_lower = np.full(n_rows, -np.inf)
    row_upper = np.zeros(n_rows)
    row_upper[:n] = 1.0
    if equality:
        row_lower[:n] = 1.0
    row_lower[card_row] = row_upper[card_row] = p + fixed.size
    cost: NDArray[np.float64] = np.concatenate(
        (np.zeros(m), pair_cost, unserved_cost if unserved_cost is not None else np.zeros(0))
    )
    lower = np.zeros(columns)
    lower[fixed] = 1.0
    upper = np.ones(columns)
    integer = np.zeros(columns, dtype=bool)
    integer[:m] = True
    return cost, lower, upper, integer, a, row_lower, row_upper, e


def _mclp_capacitated(
    matrix: sp.csc_matrix,
    w: NDArray[np.float64],
    p: int,
    fixed: NDArray[np.int64],
    capacity: NDArray[np.float64],
    time_limit_seconds: float,
) -> SitingResult:
    n, m = matrix.shape
    reach = matrix.tocoo()
    cost, lower, upper, integer, a, row_lower, row_upper, e = _assignment_model(
        matrix, w, p, fixed, capacity, w[reach.row], None, equality=False
    )
    values, objective = _solve(cost, lower, upper, integer, a, row_lower, row_upper, True, time_limit_seconds)
    opened = np.flatnonzero(values[:m] > 0.5)
    covered = np.zeros(n)
    np.add.at(covered, reach.row, values[m : m + e])
    return SitingResult(np.setdiff1d(opened, fixed), objective, np.clip(covered, 0, 1), "optimal")


def p_median_exact(
    cost_minutes: sp.spmatrix,
    weights: ArrayLike,
    p: int,
    fixed: ArrayLike = (),
    capacity: ArrayLike | None = None,
    unserved_penalty_minutes: float = 120.0,
    time_limit_seconds: float = 60.0,
) -> SitingResult:
    """Solve the p-median problem exactly: minimise the weighted travel time to the nearest open site.

    Parameters
    ----------
    cost_minutes : sparse, shape (n, m)
        Travel time from demand place i to site j, stored only within a cutoff
        (an explicit zero is a zero time: pass a matrix built with explicit entries).
    weights : array_like, shape (n,)
    p : int
    fixed, capacity, time_limit_seconds
        As in :func:`mclp_exact`.
    unserved_penalty_minutes : float
        Cost, per unit of weight, of a demand place with no open site within the cutoff.

    Returns
    -------
    SitingResult
        ``objective`` in weight × minutes; ``covered`` is the share served within the cutoff.
    """
    minutes = sp.csc_matrix(cost_minutes, dtype=np.float64)  # explicit zeros are kept: a zero time is a pair
    n, m = minutes.shape
    w = np.asarray(weights, dtype=np.float64)
    fixed_sites = np.unique(np.asarray(fixed, dtype=np.int64))
    _check(m, p, fixed_sites)
    ordered = minutes.tocoo()  # the model's pairs, in the order the model takes them
    pair_cost = w[ordered.row] * ordered.data
    cost, lower, upper, integer, a, row_lower, row_upper, e = _assignment_model(
        minutes,
        w,
        p,
        fixed_sites,
        None if capacity is None else np.asarray(capacity, dtype=np.float64),
        pair_cost,
        w * unserved_penalty_minutes,
        equality=True,
    )
    values, objective = _solve(cost, lower, upper, integer, a, row_lower, row_upper, False, time_limit_seconds)
    opened = np.flatnonzero(values[:m] > 0.5)
    served = np.zeros(n)
    np.add.at(served, ordered.row, values[m : m + e])
    return SitingResult(np.setdiff1d(opened, fixed_sites), objective, np.clip(served, 0, 1), "optimal")


def mclp_greedy(coverage: ArrayLike | sp.spmatrix, weights: ArrayLike, p: int, fixed: ArrayLike = ()) -> SitingResult:
    """Add p sites one at a time, each covering the most still-uncovered weight; ties go to the lowest index.

    Reaches at least ``GREEDY_BOUND`` of the optimum. Cost O(p · nnz).
    """
    matrix = _as_coverage(coverage)
    w = np.asarray(weights, dtype=np.float64)
    fixed_sites = np.unique(np.asarray(fixed, dtype=np.int64))
    m = matrix.shape[1]
    _check(m, p, fixed_sites)
    covered = np.asarray(matrix[:, fixed_sites].sum(axis=1)).ravel() > 0
    available = np.ones(m, dtype=bool)
    available[fixed_sites] = False
    chosen: list[int] = []
    transposed = matrix.T.tocsr()
    for _ in range(p):
        gains = transposed @ np.where(covered, 0.0, w)
        gains[~available] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        available[best] = False
        covered[transposed.indices[transposed.indptr[best] : transposed.indptr[best + 1]]] = True
    return SitingResult(np.array(chosen, dtype=np.int64), float(w[covered].sum()), covered.astype(np.float64), "greedy")


def mclp_brute_force(coverage: ArrayLike, weights: ArrayLike, p: int, fixed: ArrayLike = ()) -> SitingResult:
    """Try every set of p new sites (tiny instances only: the test oracle)."""
    matrix = np.asarray(sp.csr_matrix(coverage).toarray() != 0)
    w = np.asarray(weights, dtype=np.float64)
    fixed_sites = [int(j) for j in np.unique(np.asarray(fixed, dtype=np.int64))]
    free = [j for j in range(matrix.shape[1]) if j not in fixed_sites]
    best: tuple[float, tuple[int, ...]] = (-1.0, ())
    for combination in combinations(free, p):
        reached = matrix[:, list(combination) + fixed_sites].any(axis=1)
        value = float(w[reached].sum())
        if value > best[0] + 1e-12:
            best = (value, combination)
    shares = np.asarray(matrix[:, list(best[1]) + fixed_sites].any(axis=1), dtype=np.float64)
    return SitingResult(np.array(best[1], dtype=np.int64), best[0], shares, "brute-force")
