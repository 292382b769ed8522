r"""Accessibilité potentielle localisée (APL), the DREES two-step floating catchment.

For demand places i, k and supply places j (here the same communes), with a
step weight W of the travel time d from the demand place to the supply place::

    R_j   = S_j / Σ_k W(d_kj) · P_k          (step 1: supply per weighted demand around j)
    APL_i = Σ_j W(d_ij) · R_j                (step 2: ratios reachable from i)

Both steps use the time **from the demand place to the supply place**: with an
asymmetric matrix, step 1 reads column j (everyone who travels to j) and step 2
row i (everywhere i travels to). Reading the transpose in one of them is the
error of PySAL ``access`` issue #18.

Units: S in counted acts per year (GPs) or ETP (other professions), P in
(standardised) inhabitants; APL in acts per year per inhabitant, or ETP per
inhabitant (multiply by 100,000 for the DREES unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from oasis.core.traveltime import TravelTimes, to_sparse

# Refusals, asserted by reference in the tests.
ONE_WEIGHT_PER_BAND = "one weight per band is needed"
BANDS_INCREASING = "band bounds must be positive and increasing"
WEIGHTS_IN_UNIT_INTERVAL = "weights must lie in [0, 1]"
SHAPES = "weights must be (n, n) and demand (n,)"
DEMAND_NON_NEGATIVE = "demand must be finite and non-negative"
SUPPLY_SHAPE = "supply must have shape (n,)"


@dataclass(frozen=True)
class StepDecay:
    """Piecewise-constant weight of travel time.

    ``weights[b]`` applies to times in ``[upper_minutes[b-1], upper_minutes[b])``
    (the first band starts at 0); times at or beyond the last bound weigh 0.
    The DREES GP decay is ``StepDecay((10, 15, 20), (1, 2/3, 1/3))``.
    """

    upper_minutes: tuple[float, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.upper_minutes) != len(self.weights) or not self.weights:
            raise ValueError(ONE_WEIGHT_PER_BAND)
        if list(self.upper_minutes) != sorted(self.upper_minutes) or self.upper_minutes[0] <= 0:
            raise ValueError(BANDS_INCREASING)
        if any(weight < 0 or weight > 1 for weight in self.weights):
            raise ValueError(WEIGHTS_IN_UNIT_INTERVAL)

    @property
    def max_minutes(self) -> float:
        """Times at or beyond this weigh nothing."""
        return float(self.upper_minutes[-1])

    def __call__(self, minutes: ArrayLike) -> NDArray[np.float64]:
        """Weight of each time; shape of ``minutes``."""
        band = np.searchsorted(self.upper_minutes, minutes, side="right")
        table = np.append(np.asarray(self.weights, dtype=np.float64), 0.0)
        weighed: NDArray[np.float64] = table[band]
        return weighed


def weight_matrix(times: TravelTimes, decay: StepDecay) -> sp.csr_matrix:
    """CSR matrix W (n, n): W[i, j] = decay(minutes from i to j); pairs weighing 0 are dropped."""
    if times.max_minutes < decay.max_minutes and any(w > 0 for w in decay.weights):
        # Pairs between the matrix cutoff and the decay's last bound would be missing, not zero.
        raise ValueError(f"travel times stop at {times.max_minutes} min, the decay needs {decay.max_minutes} min")
    return to_sparse(times, decay(times.minutes))


@dataclass(frozen=True)
class ActivityCaps:
    """How a GP's yearly acts count in the supply (DREES rule).

    Acts ≤ ``zero_at_most`` count 0; up to ``low`` they count as ``low``; between
    ``low`` and ``high`` as they are; above ``high`` as ``high``. Centres de santé
    are not capped; a newly installed doctor counts ``newly_installed``.
    """

    zero_at_most: float = 250.0
    low: float = 3600.0
    high: float = 6000.0
    newly_installed: float = 5400.0


def counted_activity(
    acts: ArrayLike,
    caps: ActivityCaps,
    *,
    centre_de_sante: ArrayLike | None = None,
    newly_installed: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Return the counted acts of each practitioner.

    Parameters
    ----------
    acts : array_like, shape (m,)
        Consultations + visits of each practitioner in the year.
    caps : ActivityCaps
    centre_de_sante, newly_installed : array_like of bool, shape (m,), optional
        Salaried in a centre de santé (uncapped); installed this year (imputed).

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
    """
    values = np.asarray(acts, dtype=np.float64)
    counted = np.where(values <= caps.zero_at_most, 0.0, np.clip(values, caps.low, caps.high))
    if centre_de_sante is not None:
        counted = np.where(centre_de_sante, values, counted)
    if newly_installed is not None:
        counted = np.where(newly_installed, caps.newly_installed, counted)
    return counted


@dataclass
class AplModel:
    """The parts of the APL that do not depend on supply, so that a new supply costs one sparse product.

    Parameters
    ----------
    weights : scipy.sparse.csr_matrix, shape (n, n)
        W[i, j], demand place i → supply place j.
    demand : array_like, shape (n,)
        Demand P (standardised population), ≥ 0.
    """

    weights: sp.csr_matrix
    demand: NDArray[np.float64]
    catchment_demand: NDArray[np.float64] = field(init=False)
    _weights_by_supply: sp.csc_matrix = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.demand = np.asarray(self.demand, dtype=np.float64)
        n = self.weights.shape[0]
        if self.weights.shape != (n, n) or self.demand.shape != (n,):
            raise ValueError(SHAPES)
        if np.any(self.demand < 0) or not np.all(np.isfinite(self.demand)):
            raise ValueError(DEMAND_NON_NEGATIVE)
        # Step 1's denominator: D_j = Σ_k W[k, j] · P_k (column j: everyone who travels to j).
        self.catchment_demand = self.weights.T @ self.demand
        self._weights_by_supply = sp.csc_matrix(self.weights)

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    def ratio(self, supply: ArrayLike) -> NDArray[np.float64]:
        """R_j = S_j / D_j; 0 where nobody can reach j (that supply serves no one)."""
        values = np.asarray(supply, dtype=np.float64)
        if values.shape != (self.n,):
            raise ValueError(SUPPLY_SHAPE)
        return np.divide(values, self.catchment_demand, out=np.zeros(self.n), where=self.catchment_demand > 0)

    def apl(self, supply: ArrayLike) -> NDArray[np.float64]:
        """APL_i = Σ_j W[i, j] · R_j, shape (n,)."""
        apl: NDArray[np.float64] = self.weights @ self.ratio(supply)
        return apl

    def apl_change(self, supply_change: dict[int, float]) -> NDArray[np.float64]:
        """ΔAPL (n,) for a change of supply at a few places: touches only their columns.

        The APL is linear in S for fixed weights and demand, so the change is
        Σ_{j changed} W[:, j] · ΔS_j / D_j.
        """
        change = np.zeros(self.n)
        for column, delta in supply_change.items():
            if self.catchment_demand[column] <= 0 or delta == 0:
                continue
            start, end = self._weights_by_supply.indptr[column], self._weights_by_supply.indptr[column + 1]
            rows = self._weights_by_supply.indices[start:end]
            change[rows] += self._weights_by_supply.data[start:end] * (delta / self.catchment_demand[column])
        return change

    def lost_supply(self, supply: ArrayLike) -> float:
        """Supply at places no demand reaches (it appears in no APL)."""
        values = np.asarray(supply, dtype=np.float64)
        return float(values[self.catchment_demand <= 0].sum())


def weighted_mean_by_group(values: ArrayLike, weights: ArrayLike, group: ArrayLike, n_groups: int) -> NDArray[np.float64]:
    """Mean of ``values`` in each group, weighted (the DREES aggregation of communal APLs).

    Parameters
    ----------
    values, weights : array_like, shape (n,)
        E.g. APL and standardised population.
    group : array_like of int, shape (n,)
        Group of each place in 0..n_groups-1; -1 leaves a place out.
    n_groups : int

    Returns
    -------
    numpy.ndarray of float64, shape (n_groups,)
        NaN for a group with no weight.
    """
    values_a = np.asarray(values, dtype=np.float64)
    weights_a = np.asarray(weights, dtype=np.float64)
    group_a = np.asarray(group, dtype=np.int64)
    inside = group_a >= 0
    numerator = np.bincount(group_a[inside], weights=values_a[inside] * weights_a[inside], minlength=n_groups)
    denominator = np.bincount(group_a[inside], weights=weights_a[inside], minlength=n_groups)
    mean: NDArray[np.float64] = np.divide(numerator, denominator, out=np.full(n_groups, np.nan), where=denominator > 0)
    return mean


def population_below(
    values: ArrayLike, population: ArrayLike, threshold: float, group: ArrayLike, n_groups: int
) -> NDArray[np.float64]:
    """Sum the population of each group living where ``values < threshold`` (e.g. sous-dense communes).

    Shapes as in :func:`weighted_mean_by_group`; returns (n_groups,).
    """
    values_a = np.asarray(values, dtype=np.float64)
    population_a = np.asarray(population, dtype=np.float64)
    group_a = np.asarray(group, dtype=np.int64)
    selected = (group_a >= 0) & (values_a < threshold)
    return np.bincount(group_a[selected], weights=population_a[selected], minlength=n_groups).astype(np.float64)


def classify(values: ArrayLike, bounds: ArrayLike) -> NDArray[np.int64]:
    """Class of each value for increasing ``bounds`` (k,): 0 below bounds[0], …, k at or above bounds[-1]."""
    return np.searchsorted(bounds, values, side="right").astype(np.int64)
