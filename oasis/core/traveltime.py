"""Sparse commune × commune travel times, up to a cutoff, and the one road-time model of OASIS.

:class:`RoadModel` is the only estimate of a road time between two communes in the application: the APL, the
siting, the distances of the état des lieux and the matching of candidates all go through it (via
``oasis.accessibility.traveltime.EstimateProvider``). It is checked on known pairs (Poitiers–Loudun about 50 minutes
by road, Poitiers–Châtellerault 35–40, a Paris arrondissement to its neighbour a few minutes) within ±25 %
(``tests/core/test_traveltime.py``).

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

from oasis.core.geo import EARTH_RADIUS_KM, haversine_km

# Refusals, asserted by reference in the tests.
PAIR_SHAPES = "origin, destination and minutes must have the same shape"
INDEX_OUTSIDE = "an index is outside 0..n-1"
TIMES_NON_NEGATIVE = "travel times must be finite and non-negative"
SQUARE_EXPECTED = "a square matrix is expected"
PLACE_SHAPES = "lon, lat, area_km2 and speed_kmh must all have shape (n,)"
SPEEDS_POSITIVE = "speeds must be positive"
DETOUR_AT_LEAST_ONE = "detour_factor must be at least 1"
LOCAL_NON_NEGATIVE = "local_km and intra_distance_factor must be non-negative"
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


@dataclass(frozen=True)
class RoadModel:
    """Road minutes between places from their great-circle distance (no road network needed).

    For places i ≠ j at great-circle distance ``g`` (km), with ``v_i``, ``v_j`` the local speeds of the two ends
    (how urban each is) and ``V`` the speed between built-up areas::

        road_km = detour_factor · g
        a       = min(local_km, road_km / 2)          # the stretch driven inside each end's built-up area
        minutes = 60 · (a / v_i + a / v_j + (road_km − 2a) / V)

    A short trip (``road_km ≤ 2 · local_km``) is driven half at each end's speed; a longer one leaves town and
    covers the rest at ``V``. Within place i (its own time, the diagonal of a matrix), the mean distance from the
    centre of a disc of the same area to a point in it, ``intra_distance_factor · √(area/π)``, is driven the same
    way at ``v_i``.

    Attributes
    ----------
    detour_factor : float
        Road distance / great-circle distance (≥ 1).
    local_km : float
        Road km driven at the local speed at each end of a trip (≥ 0).
    route_speed_kmh : float
        Speed between built-up areas, km/h (> 0).
    intra_distance_factor : float
        Mean distance to the centre of a disc, in radii (2/3 for a uniform disc).
    """

    detour_factor: float
    local_km: float
    route_speed_kmh: float
    intra_distance_factor: float = 2.0 / 3.0

    def __post_init__(self) -> None:
        if self.detour_factor < 1:
            raise ValueError(DETOUR_AT_LEAST_ONE)
        if self.route_speed_kmh <= 0:
            raise ValueError(SPEEDS_POSITIVE)
        if self.local_km < 0 or self.intra_distance_factor < 0:
            raise ValueError(LOCAL_NON_NEGATIVE)

    def minutes(self, great_circle_km: ArrayLike, speed_from_kmh: ArrayLike, speed_to_kmh: ArrayLike) -> NDArray[np.float64]:
        """Minutes between distinct places at ``great_circle_km``; all arguments broadcast together, speeds > 0."""
        road = self.detour_factor * np.asarray(great_circle_km, dtype=np.float64)
        local = np.minimum(self.local_km, road / 2.0)
        hours = (
            local / np.asarray(speed_from_kmh, dtype=np.float64)
            + local / np.asarray(speed_to_kmh, dtype=np.float64)
            + (road - 2.0 * local) / self.route_speed_kmh
        )
        return np.asarray(60.0 * hours, dtype=np.float64)

    def between(
        self,
        lon_from: ArrayLike,
        lat_from: ArrayLike,
        speed_from_kmh: ArrayLike,
        lon_to: ArrayLike,
        lat_to: ArrayLike,
        speed_to_kmh: ArrayLike,
    ) -> NDArray[np.float64]:
        """Minutes from points to points (degrees WGS84), pair by pair; broadcast together."""
        return self.minutes(haversine_km(lon_from, lat_from, lon_to, lat_to), speed_from_kmh, speed_to_kmh)

    def intra_minutes(self, area_km2: ArrayLike, speed_kmh: ArrayLike) -> NDArray[np.float64]:
        """Minutes within a place of ``area_km2`` (NaN read as 0, a point) at its local speed."""
        area = np.nan_to_num(np.asarray(area_km2, dtype=np.float64), nan=0.0)
        road = self.detour_factor * self.intra_distance_factor * np.sqrt(area / np.pi)
        return np.asarray(60.0 * road / np.asarray(speed_kmh, dtype=np.float64), dtype=np.float64)

    def reach_km(self, max_minutes: float, fastest_local_kmh: float) -> float:
        """Great-circle km beyond which no trip is within ``max_minutes`` (no stretch is faster than the fastest speed)."""
        return max_minutes / 60.0 * max(self.route_speed_kmh, fastest_local_kmh) / self.detour_factor


def estimate_travel_times(
    lon: ArrayLike,
    lat: ArrayLike,
    area_km2: ArrayLike,
    speed_kmh: ArrayLike,
    *,
    max_minutes: float,
    model: RoadModel,
) -> TravelTimes:
    """Every pair within ``max_minutes`` by the road model, diagonal (a place's own time) included.

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Reference points, degrees WGS84.
    area_km2 : array_like, shape (n,)
        Areas, km²; NaN is read as 0 (a point).
    speed_kmh : array_like, shape (n,)
        Local road speed of each place, km/h (> 0).
    max_minutes : float
        Cutoff, minutes.
    model : RoadModel
        The road-time model.

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
    first, second, distance = neighbour_pairs(lon_a, lat_a, model.reach_km(max_minutes, float(speed.max(initial=0.0))))
    minutes = model.minutes(distance, speed[first], speed[second])
    keep = minutes <= max_minutes
    intra = model.intra_minutes(area, speed)
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
    """Great-circle distance (km) from every place to the nearest target place (see :func:`nearest_target`)."""
    return nearest_target(lon, lat, is_target)[0]


def nearest_target(lon: ArrayLike, lat: ArrayLike, is_target: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Great-circle distance from every place to the nearest target place (itself if it is one), and which.

    Parameters
    ----------
    lon, lat : array_like, shape (n,)
        Degrees, WGS84.
    is_target : array_like of bool, shape (n,)
        Places that count as targets (e.g. communes with at least one professional).

    Returns
    -------
    (distance_km, index) : numpy.ndarray of float64 and of int64, shape (n,)
        Distance in km and index of the nearest target; ``inf`` and −1 everywhere when there is no target.
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    targets = np.asarray(is_target, dtype=bool)
    if not targets.any():
        return np.full(lon_a.shape[0], np.inf), np.full(lon_a.shape[0], -1, dtype=np.int64)
    points = _unit_vectors(lon_a, lat_a)
    chord, position = cKDTree(points[targets]).query(points)
    distance: NDArray[np.float64] = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))
    return distance, np.flatnonzero(targets)[np.asarray(position)].astype(np.int64)
