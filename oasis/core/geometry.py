"""Polygon simplification for map outlines (lon/lat degrees; a display tolerance, not a measurement)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def simplify_line(points: ArrayLike, tolerance: float) -> NDArray[np.float64]:
    """Douglas–Peucker: keep the vertices farther than ``tolerance`` from the simplified line.

    Parameters
    ----------
    points : array_like, shape (m, 2)
        Vertices (lon, lat) in degrees; a closed ring repeats its first vertex last.
    tolerance : float
        Maximum distance, in degrees, between the line and a dropped vertex.

    Returns
    -------
    numpy.ndarray, shape (k, 2)
        The kept vertices, in order; the first and last are always kept.
    """
    line = np.asarray(points, dtype=np.float64)
    if line.shape[0] < 3:
        return line
    keep = np.zeros(line.shape[0], dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, line.shape[0] - 1)]
    while stack:
        start, end = stack.pop()
        if end <= start + 1:
            continue
        segment = line[end] - line[start]
        inner = line[start + 1 : end] - line[start]
        length = float(np.hypot(*segment))
        if length == 0:
            distances = np.hypot(inner[:, 0], inner[:, 1])
        else:
            distances = np.abs(segment[0] * inner[:, 1] - segment[1] * inner[:, 0]) / length
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            split = start + 1 + farthest
            keep[split] = True
            stack.extend(((start, split), (split, end)))
    return line[keep]


def simplify_polygon_rings(rings: list[list[list[float]]], tolerance: float) -> list[list[list[float]]]:
    """Simplify every ring of a polygon; a ring that would fall below 4 vertices is kept as it was."""
    result = []
    for ring in rings:
        simplified = simplify_line(ring, tolerance)
        result.append(simplified.tolist() if simplified.shape[0] >= 4 else [list(map(float, v)) for v in ring])
    return result
