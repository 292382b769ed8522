"""Great-circle geometry on WGS84 longitude/latitude (degrees)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""


def haversine_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance between points given in degrees.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array_like
        Longitudes and latitudes in decimal degrees (WGS84); broadcast together.

    Returns
    -------
    numpy.ndarray of float64
        Distance in kilometres, with the broadcast shape of the inputs.
    """
    lon1_r, lat1_r, lon2_r, lat2_r = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lon1, lat1, lon2, lat2))
    half_dlat = (lat2_r - lat1_r) / 2.0
    half_dlon = (lon2_r - lon1_r) / 2.0
    a = np.sin(half_dlat) ** 2 + np.cos(lat1_r) * np.cos(lat2_r) * np.sin(half_dlon) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def equivalent_radius_km(area_km2: ArrayLike) -> NDArray[np.float64]:
    """Radius of the disc with the given area.

    Parameters
    ----------
    area_km2 : array_like
        Areas in km², shape (n,).

    Returns
    -------
    numpy.ndarray of float64
        Radii in km, shape (n,).
    """
    return np.asarray(np.sqrt(np.asarray(area_km2, dtype=np.float64) / np.pi))
