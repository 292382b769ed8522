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


def test_simplification_keeps_the_shape_and_drops_collinear_points():
    from oasis.core.geometry import simplify_line, simplify_polygon_rings

    line = [[0, 0], [1, 0.001], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_line(line, 0.01).tolist() == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_line(line, 0.0001).shape[0] == 6
    tiny = [[0, 0], [0.0001, 0], [0, 0.0001], [0, 0]]
    assert simplify_polygon_rings([tiny], 1.0) == [tiny]
