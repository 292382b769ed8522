"""Sparse commune × commune travel times, up to a cutoff.

A :class:`TravelTimes` holds the pairs (origin, destination, minutes) whose time
does not exceed a cutoff, as three parallel arrays, so that a zero time (same
place) is kept — a scipy sparse matrix would drop it. Index ``i`` is a row of the
caller's commune arrays; the direction is origin → destination.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from oasis.core.geo import EARTH_RADIUS_KM

# Refusals, asserted by reference in the tests.
PAIR_SHAPES = "origin, destination and minutes must have the same shape"
INDEX_OUTSIDE = "an index is outside 0..n-1"
TIMES_NON_NEGATIVE = "travel times must be finite and non-negative"
SQUARE_EXPECTED = "a square matrix is expected"
PLACE_SHAPES = "lon, lat, area_km2 and speed_kmh must all have shape (n,)"
SPEEDS_POSITIVE = "speeds must be positive"
DETOUR_AT_LEAST_ONE = "detour_factor must be at least 1"
WIDEN = "cannot widen the cutoff from {current} to {wanted} minutes"


@dataclass(frozen=True)
class TravelTimes:
    """Travel times between ``n`` places, only for pairs within the cutoff.

    Attributes
    ----------
    origin, destination : numpy.ndarray of int64, shape (k,)
        Indices of the pairs, in 0..n-1.
    minutes : numpy.ndarray of float64, shape (k,)
        Travel time from origin to destination, minutes (≥ 0).
    n : int
        Number of places.
    max_minutes : float
        Cutoff: every pair with a time ≤ max_minutes is present, no other.
    """

    origin: NDArray[np.int64]
    destination: NDArray[np.int64]
    minutes: NDArray[np.float64]
    n: int
    max_minutes: float

    def __post_init__(self) -> None:
        if not (self.origin.shape == self.destination.shape == self.minutes.shape):
            raise ValueError(PAIR_SHAPES)
        if self.origin.size and (
            self.origin.min() < 0 or self.destination.min() < 0 or max(self.origin.max(), self.destination.max()) >= self.n
        ):
            raise ValueError(INDEX_OUTSIDE)
        if self.minutes.size and (not np.all(np.isfinite(self.minutes)) or self.minutes.min() < 0):
            raise ValueError(TIMES_NON_NEGATIVE)

    @property
    def pairs(self) -> int:
        return int(self.origin.size)

    def restricted(self, max_minutes: float) -> TravelTimes:
        """Return the same times with a tighter cutoff."""
        if max_minutes > self.max_minutes:
            raise ValueError(WIDEN.format(current=self.max_minutes, wanted=max_minutes))
        keep = self.minutes <= max_minutes
        return TravelTimes(self.origin[keep], self.destination[keep], self.minutes[keep], self.n, max_minutes)

    def to_dense(self, missing: float = np.inf) -> NDArray[np.float64]:
        """Dense (n, n) matrix of minutes, ``missing`` beyond the cutoff (for tests and small instances)."""
        dense = np.full((self.n, self.n), missing, dtype=np.float64)
        dense[self.origin, self.destination] = self.minutes
        return dense


def from_dense(minutes: ArrayLike, max_minutes: float) -> TravelTimes:
    """Keep the pairs of a dense (n, n) matrix of minutes that are within the cutoff (``inf`` = unreachable)."""
    matrix = np.asarray(minutes, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(SQUARE_EXPECTED)
    origin, destination = np.nonzero(matrix <= max_minutes)
    return TravelTimes(
        origin.astype(np.int64), destination.astype(np.int64), matrix[origin, destination], matrix.shape[0], max_minutes
    )


def _unit_vectors(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)))


def neighbour_pairs(
    lon: ArrayLike, lat: ArrayLike, radius_km: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """All ordered pairs (i, j), i ≠ j, at most ``radius_km`` apart along the great circle.

    Uses a k-d tree on unit-sphere coordinates (chord length is monotonic in the
    great-circle distance), so the cost grows with the number of pairs found, not
    with n².

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Degrees, WGS84.
    radius_km : float
        Great-circle radius, km.

    Returns
    -------
    (i, j, distance_km) : three numpy.ndarray of shape (k,)
        Both orders of every pair; distance in km.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    points = _unit_vectors(lon_a, lat_a)
    angle = min(radius_km / EARTH_RADIUS_KM, np.pi)
    chord = 2.0 * np.sin(angle / 2.0)
    tree = cKDTree(points)
    pairs = tree.query_pairs(chord, output_type="ndarray").astype(np.int64)
    if pairs.size == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        return empty_i, empty_i.copy(), np.zeros(0, dtype=np.float64)
    first, second = pairs[:, 0], pairs[:, 1]
    chord_lengths = np.linalg.norm(points[first] - points[second], axis=1)
    distance = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord_lengths / 2.0, 0.0, 1.0))
    keep = distance <= radius_km
    first, second, distance = first[keep], second[keep], distance[keep]
    return (
        np.concatenate((first, second)),
        np.concatenate((second, first)),
        np.concatenate((distance, distance)),
    )


def road_minutes(
    great_circle_km: ArrayLike, speed_from_kmh: ArrayLike, speed_to_kmh: ArrayLike, detour_factor: float
) -> NDArray[np.float64]:
    """Estimated road minutes for great-circle distances (km): detour × distance, half of it at each end's speed.

    All array arguments broadcast together; speeds in km/h (> 0).
    """
    distance = np.asarray(great_circle_km, dtype=np.float64)
    inverse = 1.0 / np.asarray(speed_from_kmh, dtype=np.float64) + 1.0 / np.asarray(speed_to_kmh, dtype=np.float64)
    return np.asarray(60.0 * detour_factor * distance * inverse / 2.0, dtype=np.float64)


def estimate_travel_times(
    lon: ArrayLike,
    lat: ArrayLike,
    area_km2: ArrayLike,
    speed_kmh: ArrayLike,
    *,
    max_minutes: float,
    detour_factor: float,
    intra_distance_factor: float = 2.0 / 3.0,
) -> TravelTimes:
    """Estimate road times from great-circle distances (no road network needed).

    Model, for places i ≠ j at great-circle distance ``g`` (km)::

        road_km = detour_factor · g
        minutes = 60 · road_km · (1/v_i + 1/v_j) / 2

    i.e. half of the trip at the speed of each end (the speed of a place depends
    on how urban it is). Within place i (its own time, the diagonal), the mean
    distance from the centre of a disc of the same area to a point in it,
    ``intra_distance_factor · √(area/π)``, is driven the same way::

        minutes_ii = 60 · detour_factor · intra_distance_factor · √(area_i/π) / v_i

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Reference points, degrees WGS84.
    area_km2 : array_like, shape (n,)
        Areas, km²; NaN is read as 0 (a point).
    speed_kmh : array_like, shape (n,)
        Mean road speed around each place, km/h (> 0).
    max_minutes : float
        Cutoff, minutes.
    detour_factor : float
        Road distance / great-circle distance (≥ 1).
    intra_distance_factor : float
        Mean distance to the centre of a disc, in radii (2/3 for a uniform disc).

    Returns
    -------
    TravelTimes
        Symmetric times up to ``max_minutes``, diagonal included.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    speed = np.asarray(speed_kmh, dtype=np.float64)
    area = np.nan_to_num(np.asarray(area_km2, dtype=np.float64), nan=0.0)
    n = lon_a.shape[0]
    if not (lat_a.shape == speed.shape == area.shape == (n,)):
        raise ValueError(PLACE_SHAPES)
    if np.any(speed <= 0):
        raise ValueError(SPEEDS_POSITIVE)
    if detour_factor < 1:
        raise ValueError(DETOUR_AT_LEAST_ONE)
    reach_km = max_minutes / 60.0 * float(speed.max()) / detour_factor
    first, second, distance = neighbour_pairs(lon_a, lat_a, reach_km)
    minutes = road_minutes(distance, speed[first], speed[second], detour_factor)
    keep = minutes <= max_minutes
    intra = 60.0 * detour_factor * intra_distance_factor * np.sqrt(area / np.pi) / speed
    diagonal = np.flatnonzero(intra <= max_minutes)
    return TravelTimes(
        origin=np.concatenate((first[keep], diagonal)),
        destination=np.concatenate((second[keep], diagonal)),
        minutes=np.concatenate((minutes[keep], intra[diagonal])),
        n=n,
        max_minutes=max_minutes,
    )


def to_sparse(times: TravelTimes, values: NDArray[np.float64]) -> sp.csr_matrix:
    """Build a CSR matrix (n, n) with ``values`` (one per pair) at (origin, destination), zeros dropped."""
    matrix = sp.csr_matrix((values, (times.origin, times.destination)), shape=(times.n, times.n))
    matrix.eliminate_zeros()
    return matrix


def nearest_distance_km(lon: ArrayLike, lat: ArrayLike, is_target: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance from every place to the nearest target place (itself if it is one).

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Degrees, WGS84.
    is_target : array_like of bool, shape (n,)
        Places that count as targets (e.g. communes with at least one professional).

    Returns
    -------
    numpy.ndarray of float64, shape (n,)
        Distance in km; ``inf`` everywhere when there is no target.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    targets = np.asarray(is_target, dtype=bool)
    if not targets.any():
        return np.full(lon_a.shape[0], np.inf)
    points = _unit_vectors(lon_a, lat_a)
    chord, _ = cKDTree(points[targets]).query(points)
    distance: NDArray[np.float64] = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))
    return distance
