"""Commune-code crosswalks between vintages of the Code officiel géographique.

A yearly passage is a sparse matrix ``M`` of shape (n_origin, n_destination)
whose row ``i`` holds the share of origin commune ``i`` that goes to each
destination commune (a fusion is a single 1, a scission splits the row by
population share). Rows sum to one, so applying a passage preserves totals.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

# Refusals, asserted by reference in the tests.
LINK_SHAPES = "origin_index, destination_index and ratio must have the same shape"
RATIO_POSITIVE = "every ratio must be finite and strictly positive"
NO_PASSAGE = "at least one passage is needed"
COUNTS_SHAPE = "counts must have shape (n_origin,)"
COUNTS_NON_NEGATIVE = "counts must be non-negative"
COUNT_WITHOUT_DESTINATION = "a non-zero count has no destination in the passage"


def passage_matrix(
    origin_index: ArrayLike,
    destination_index: ArrayLike,
    ratio: ArrayLike,
    shape: tuple[int, int],
) -> sp.csr_matrix:
    """Build a row-stochastic passage matrix from (origin, destination, ratio) triplets.

    Duplicate triplets are counted once, and each origin row is renormalised to
    sum to one: published passage tables repeat rows and sometimes give a fusion
    the population shares of a scission, which would otherwise lose or create mass.

    Parameters
    ----------
    origin_index, destination_index : array_like of int, shape (k,)
        Row and column of each link.
    ratio : array_like of float, shape (k,)
        Share of the origin going to the destination (unnormalised, > 0).
    shape : tuple of int
        (n_origin, n_destination).

    Returns
    -------
    scipy.sparse.csr_matrix, shape ``shape``
        Row-stochastic on every row that has at least one link; other rows are empty.

    Raises
    ------
    ValueError
        If a ratio is not strictly positive and finite.
    """
    rows = np.asarray(origin_index, dtype=np.int64)
    cols = np.asarray(destination_index, dtype=np.int64)
    weights = np.asarray(ratio, dtype=np.float64)
    if rows.shape != cols.shape or rows.shape != weights.shape:
        raise ValueError(LINK_SHAPES)
    if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
        raise ValueError(RATIO_POSITIVE)
    # Deduplicate identical (origin, destination) links, keeping the first ratio.
    keys = rows * shape[1] + cols
    _, first = np.unique(keys, return_index=True)
    rows, cols, weights = rows[first], cols[first], weights[first]
    matrix = sp.csr_matrix((weights, (rows, cols)), shape=shape)
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, row_sums, out=np.zeros_like(row_sums), where=row_sums > 0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)


def compose(passages: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Chain yearly passages: year 0 → year 1 → … → last year.

    Parameters
    ----------
    passages : list of scipy.sparse.csr_matrix
        Consecutive passages; the columns of one are the rows of the next.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape (n_rows of the first, n_columns of the last).
    """
    if not passages:
        raise ValueError(NO_PASSAGE)
    result = passages[0]
    for step in passages[1:]:
        result = sp.csr_matrix(result @ step)
    result.eliminate_zeros()
    return result


def apportion_counts(counts: ArrayLike, passage: sp.csr_matrix) -> NDArray[np.int64]:
    """Move whole counts (professionals, equipment) through a passage, exactly.

    Each origin's count is split over its destinations by the largest-remainder
    method, so every destination receives a whole number and, for every origin,
    the parts add up to the origin's count: the national total is preserved
    exactly. Ties go to the destination with the smaller column index.

    Parameters
    ----------
    counts : array_like of int, shape (n_origin,)
        Non-negative counts per origin commune.
    passage : scipy.sparse.csr_matrix, shape (n_origin, n_destination)
        Row-stochastic passage (see :func:`passage_matrix`).

    Returns
    -------
    numpy.ndarray of int64, shape (n_destination,)
        Counts per destination commune.

    Raises
    ------
    ValueError
        If a count is negative or a non-zero count has no destination.
    """
    values = np.asarray(counts, dtype=np.int64)
    if values.ndim != 1 or values.shape[0] != passage.shape[0]:
        raise ValueError(COUNTS_SHAPE)
    if np.any(values < 0):
        raise ValueError(COUNTS_NON_NEGATIVE)
    csr = sp.csr_matrix(passage)
    links_per_row = np.diff(csr.indptr)
    if np.any((links_per_row == 0) & (values > 0)):
        raise ValueError(COUNT_WITHOUT_DESTINATION)
    result = np.zeros(csr.shape[1], dtype=np.int64)
    single = links_per_row == 1
    single_rows = np.flatnonzero(single & (values > 0))
    np.add.at(result, csr.indices[csr.indptr[single_rows]], values[single_rows])
    for row in np.flatnonzero(~single & (values > 0)):
        start, end = csr.indptr[row], csr.indptr[row + 1]
        columns = csr.indices[start:end]
        exact = values[row] * csr.data[start:end]
        whole = np.floor(exact).astype(np.int64)
        remaining = int(values[row] - whole.sum())
        if remaining > 0:
            order = np.lexsort((columns, -(exact - whole)))
            whole[order[:remaining]] += 1
        np.add.at(result, columns, whole)
    return result


def apportion_quantities(quantities: ArrayLike, passage: sp.csr_matrix) -> NDArray[np.float64]:
    """Move continuous quantities (populations) through a passage.

    Parameters
    ----------
    quantities : array_like of float, shape (n_origin,)
    passage : scipy.sparse.csr_matrix, shape (n_origin, n_destination)

    Returns
    -------
    numpy.ndarray of float64, shape (n_destination,)
        ``quantities @ passage``: totals are preserved on rows with a destination.
    """
    values = np.asarray(quantities, dtype=np.float64)
    moved: NDArray[np.float64] = passage.T @ values
    return moved
