"""Scoring of candidate ↔ vacancy pairs, component by component, so that every score can be explained.

Arrays in (one entry per pair, shape (n,)), points out (shape (n, 6), columns in ``COMPONENTS`` order). The
profession is a hard filter applied before scoring; every other criterion gives points on a 0–100 scale:

- ``territoire``: the place is in one of the candidate's preferred territories (half the weight when none is stated);
- ``distance``: full weight at 0 minutes, falling linearly to 0 at the candidate's maximum travel time;
- ``date``: full weight when the start date is within ``date_full_days`` of the candidate's availability, falling
  linearly to 0 at ``date_zero_days``;
- ``mode``: the vacancy's mode (libéral, salarié…) is one the candidate accepts;
- ``aide``: the candidate can receive an aid scheme for installing there;
- ``attractivite``: half for an existing or planned maison or centre de santé in the commune, half for the commune
  being under-served (its APL below the threshold: where the installation matters most).

An unknown input (NaN, or -1 for ``mode_match``) gives half of the component's weight: neither reward nor penalty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

COMPONENTS = ("territoire", "distance", "date", "mode", "aide", "attractivite")


@dataclass(frozen=True)
class MatchWeights:
    """Points of each component (they sum to 100) and the date tolerance, in days."""

    territoire: float = 30.0
    distance: float = 25.0
    date: float = 15.0
    mode: float = 10.0
    aide: float = 10.0
    attractivite: float = 10.0
    date_full_days: float = 30.0
    date_zero_days: float = 180.0


def _linear(
    value: NDArray[np.float64], full_until: float | NDArray[np.float64], zero_at: float | NDArray[np.float64]
) -> NDArray[np.float64]:
    """1 up to ``full_until``, 0 from ``zero_at``, linear between."""
    span = np.maximum(np.asarray(zero_at, dtype=np.float64) - full_until, 1e-9)
    return np.asarray(np.clip((np.asarray(zero_at) - value) / span, 0.0, 1.0), dtype=np.float64)


def score(
    territory_match: NDArray[np.bool_],
    has_territory_preference: NDArray[np.bool_],
    minutes: NDArray[np.float64],
    max_minutes: NDArray[np.float64],
    date_gap_days: NDArray[np.float64],
    mode_match: NDArray[np.int8],
    aid_eligible: NDArray[np.bool_],
    has_structure: NDArray[np.bool_],
    under_served: NDArray[np.bool_],
    weights: MatchWeights,
) -> NDArray[np.float64]:
    """Points per component, shape (n, 6) in ``COMPONENTS`` order; the row sum is the score out of 100.

    Args:
        territory_match: place within a preferred territory, shape (n,).
        has_territory_preference: whether the candidate stated any preferred territory, shape (n,).
        minutes: estimated road minutes from the candidate's reference place, NaN if unknown, shape (n,).
        max_minutes: the candidate's maximum travel time (minutes), NaN if none, shape (n,).
        date_gap_days: |start date − availability date| in days, NaN if either is unknown, shape (n,).
        mode_match: 1 accepted mode, 0 not accepted, -1 unknown, shape (n,).
        aid_eligible: an aid scheme applies to this candidate at this place, shape (n,).
        has_structure: an existing or planned maison or centre de santé in the commune, shape (n,).
        under_served: the commune is under-served, shape (n,).
        weights: points per component.
    """
    n = len(minutes)
    points = np.zeros((n, len(COMPONENTS)), dtype=np.float64)
    points[:, 0] = np.where(has_territory_preference, np.where(territory_match, weights.territoire, 0.0), weights.territoire / 2)
    minutes = np.asarray(minutes, dtype=np.float64)
    limit = np.asarray(max_minutes, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        distance = weights.distance * _linear(minutes, 0.0, np.where(np.isnan(limit), 1.0, limit))
    points[:, 1] = np.where(np.isnan(minutes) | np.isnan(limit), weights.distance / 2, distance)
    gap = np.asarray(date_gap_days, dtype=np.float64)
    timing = weights.date * _linear(gap, weights.date_full_days, weights.date_zero_days)
    points[:, 2] = np.where(np.isnan(gap), weights.date / 2, timing)
    mode = np.asarray(mode_match)
    points[:, 3] = np.select([mode == 1, mode == 0], [weights.mode, 0.0], weights.mode / 2)
    points[:, 4] = np.where(aid_eligible, weights.aide, 0.0)
    points[:, 5] = weights.attractivite / 2 * (np.asarray(has_structure, dtype=np.float64) + np.asarray(under_served))
    return points
