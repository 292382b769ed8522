"""Douglas–Peucker simplification: each dropped vertex lies within the tolerance of the chord between its kept
neighbours (measured by rotating the chord onto the x axis, not by the code's formula); distances exactly at the
tolerance are dropped; chords off the origin, diagonal chords and closed loops; rings kept whole below 4 vertices."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from oasis.core.geometry import simplify_line, simplify_polygon_rings


def distance_to_chord(point: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """|y| of the point once the chord a→b is turned onto the x axis (a at the origin); the distance to a when a = b."""
    angle = np.arctan2(b[1] - a[1], b[0] - a[0])
    x, y = point - a
    if np.allclose(a, b):
        return float(np.hypot(x, y))
    return abs(-np.sin(angle) * x + np.cos(angle) * y)


def test_every_dropped_vertex_is_within_the_tolerance_of_its_kept_neighbours_chord():
    rng = np.random.default_rng(7)
    line = np.cumsum(rng.normal(size=(200, 2)), axis=0) + np.array([0.34, 46.58])
    tolerance = 0.8
    kept = simplify_line(line, tolerance)
    indices = [int(np.flatnonzero((line == vertex).all(axis=1))[0]) for vertex in kept]
    assert indices[0] == 0 and indices[-1] == len(line) - 1 and indices == sorted(indices)
    assert 2 < len(kept) < len(line)
    for left, right in itertools.pairwise(indices):
        for dropped in range(left + 1, right):
            assert distance_to_chord(line[dropped], line[left], line[right]) <= tolerance


@pytest.mark.parametrize(("tolerance", "kept"), [(0.4, 3), (0.6, 2)])
def test_a_chord_away_from_the_origin(tolerance, kept):
    # The middle vertex is 0.5 from the chord (10, 10) → (12, 10).
    assert simplify_line([[10, 10], [11, 10.5], [12, 10]], tolerance).shape[0] == kept


@pytest.mark.parametrize(("tolerance", "kept"), [(0.7, 3), (0.71, 2)])
def test_a_diagonal_chord(tolerance, kept):
    # (11.5, 10.5) is √2 / 2 ≈ 0.7071 from the chord (10, 10) → (12, 12).
    assert simplify_line([[10, 10], [11.5, 10.5], [12, 12]], tolerance).shape[0] == kept


@pytest.mark.parametrize(("tolerance", "kept"), [(0.49, 3), (0.5, 2), (0.51, 2)])
def test_a_vertex_exactly_at_the_tolerance_is_dropped(tolerance, kept):
    assert simplify_line([[0, 0], [1, 0.5], [2, 0]], tolerance).shape[0] == kept


@pytest.mark.parametrize(("tolerance", "kept"), [(4.9, 3), (5.2, 2)])
def test_a_closed_loop_measures_from_its_start(tolerance, kept):
    # Start and end are the same point: the middle vertex (3, 4) is 5 away from it.
    assert simplify_line([[0, 0], [3, 4], [0, 0]], tolerance).shape[0] == kept


def test_integer_vertices_come_back_as_floats():
    assert simplify_line([[0, 0], [1, 0], [2, 0]], 0.1).dtype == np.float64
    assert simplify_line([[0, 0], [1, 1]], 0.1).dtype == np.float64


def test_a_ring_simplified_to_four_vertices_is_kept_simplified_and_below_four_kept_whole():
    triangle_with_extra_vertex = [[0, 0], [1, 0], [2, 0], [2, 2], [0, 0]]
    assert simplify_polygon_rings([triangle_with_extra_vertex], 0.1) == [[[0, 0], [2, 0], [2, 2], [0, 0]]]
    square = [[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_polygon_rings([square], 0.1) == [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]
    sliver = [[0, 0], [0.001, 0], [0, 0.001], [0, 0]]
    assert simplify_polygon_rings([sliver], 1.0) == [[[0.0, 0.0], [0.001, 0.0], [0.0, 0.001], [0.0, 0.0]]]


def test_simplification_keeps_the_shape_and_drops_collinear_points():
    line = [[0, 0], [1, 0.001], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_line(line, 0.01).tolist() == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_line(line, 0.0001).shape[0] == 6
    tiny = [[0, 0], [0.0001, 0], [0, 0.0001], [0, 0]]
    assert simplify_polygon_rings([tiny], 1.0) == [tiny]
