"""How far two sets of commune values agree: rank correlation and agreement on a threshold, overall and per group.

Used to compare OASIS's estimated APL with the official DREES APL: the model is never calibrated on the official
values, so this comparison is how users judge it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import spearmanr

SHAPE_MISMATCH = "estimate, reference and population must be 1-D arrays of the same length"


@dataclass(frozen=True)
class Agreement:
    """Agreement of an estimate with a reference over ``communes`` units (populations in inhabitants)."""

    communes: int
    spearman: float
    population: float
    both_below: float
    estimate_only_below: float
    reference_only_below: float
    communes_disagreeing: int

    @property
    def population_agreement(self) -> float:
        """Share of the population classified the same way (both below, or both at or above the threshold)."""
        return 1.0 - (self.estimate_only_below + self.reference_only_below) / self.population if self.population else float("nan")


def agreement(estimate: ArrayLike, reference: ArrayLike, population: ArrayLike, threshold: float) -> Agreement:
    """Rank correlation and threshold agreement of two value vectors over the units where both are defined.

    Parameters
    ----------
    estimate, reference : array_like of float, shape (n,)
        Values per unit (e.g. consultations per standardised inhabitant); NaN where undefined.
    population : array_like of float, shape (n,)
        Inhabitants per unit (total, not standardised, as the DREES counts populations under a threshold).
    threshold : float
        A unit is « below » when its value is strictly lower than ``threshold``.

    Returns
    -------
    Agreement
        Spearman's rho (NaN with fewer than 3 units or a constant vector), the population below in both, in the
        estimate only, in the reference only, and the number of units classified differently.
    """
    a = np.asarray(estimate, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    weights = np.nan_to_num(np.asarray(population, dtype=np.float64))
    if not (a.shape == b.shape == weights.shape) or a.ndim != 1:
        raise ValueError(SHAPE_MISMATCH)
    valid = ~np.isnan(a) & ~np.isnan(b)
    a, b, weights = a[valid], b[valid], weights[valid]
    below_a, below_b = a < threshold, b < threshold
    defined = a.size >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0  # a constant vector has no ranks to correlate
    rho = float(spearmanr(a, b).statistic) if defined else float("nan")
    return Agreement(
        communes=int(a.size),
        spearman=rho,
        population=float(weights.sum()),
        both_below=float(weights[below_a & below_b].sum()),
        estimate_only_below=float(weights[below_a & ~below_b].sum()),
        reference_only_below=float(weights[~below_a & below_b].sum()),
        communes_disagreeing=int(np.count_nonzero(below_a != below_b)),
    )


def agreement_by_group(
    estimate: ArrayLike, reference: ArrayLike, population: ArrayLike, threshold: float, group: NDArray[np.str_]
) -> dict[str, Agreement]:
    """``agreement`` computed within each group (e.g. département code), keyed by group."""
    labels = np.asarray(group)
    a, b, p = (np.asarray(x, dtype=np.float64) for x in (estimate, reference, population))
    return {
        str(label): agreement(a[labels == label], b[labels == label], p[labels == label], threshold)
        for label in np.unique(labels)
    }
