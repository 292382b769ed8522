import numpy as np
import pytest

from oasis.core.geo import equivalent_radius_km, haversine_km


def test_paris_lyon_great_circle():
    # Notre-Dame de Paris → place Bellecour, Lyon: 392 km by great circle.
    assert haversine_km(2.3499, 48.8530, 4.8320, 45.7578) == pytest.approx(392.2, abs=1.0)


def test_distance_is_symmetric_and_zero_on_the_diagonal():
    lon = np.array([0.34, 2.35, -1.55])
    lat = np.array([46.58, 48.85, 47.22])
    matrix = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    assert matrix.shape == (3, 3)
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 0.0)


def test_one_degree_of_latitude():
    assert haversine_km(0, 45, 0, 46) == pytest.approx(111.2, abs=0.1)


def test_equivalent_radius():
    assert equivalent_radius_km([np.pi]) == pytest.approx([1.0])


def test_antipodal_points_are_half_the_circumference_never_nan():
    # Rounding pushes the haversine term one unit in the last place above 1 for a few percent of antipodal pairs.
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-180, 180, 1_000), rng.uniform(-89, 89, 1_000)
    distances = haversine_km(lon, lat, lon + 180, -lat)
    assert np.all(np.isfinite(distances))
    assert distances == pytest.approx(np.full(1_000, np.pi * 6371.0088), rel=1e-7)  # arcsin is steep near 1


def test_single_precision_inputs_are_computed_in_double_precision():
    lon1, lat1, lon2, lat2 = (np.array([value], dtype=np.float32) for value in (0.3401, 46.5802, 2.3499, 48.8530))
    expected = haversine_km(*(value.astype(np.float64) for value in (lon1, lat1, lon2, lat2)))
    result = haversine_km(lon1, lat1, lon2, lat2)
    assert result.dtype == np.float64 and result[0] == expected[0]  # exactly: no float32 step inside
    areas = np.array([12.345, 678.9], dtype=np.float32)
    radius = equivalent_radius_km(areas)
    assert radius.dtype == np.float64
    assert list(radius) == list(np.sqrt(areas.astype(np.float64) / np.pi))
