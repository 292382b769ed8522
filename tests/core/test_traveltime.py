import numpy as np
import pytest

from oasis.core.geo import haversine_km
from oasis.core.traveltime import (
    RoadModel,
    TravelTimes,
    estimate_travel_times,
    from_dense,
    nearest_distance_km,
    nearest_target,
    neighbour_pairs,
)

# The model of the APL parameter file (detour 1.3, 4 km at each end's speed, 90 km/h between built-up areas).
MODEL = RoadModel(detour_factor=1.3, local_km=4.0, route_speed_kmh=90.0)


def model(detour: float) -> RoadModel:
    return RoadModel(detour_factor=detour, local_km=4.0, route_speed_kmh=90.0)


def random_points(seed, n=300):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1.5, 1.5, n), rng.uniform(45.5, 47.5, n)


@pytest.mark.parametrize("seed", range(3))
def test_neighbour_pairs_match_brute_force(seed):
    lon, lat = random_points(seed)
    radius = 20.0
    i, j, distance = neighbour_pairs(lon, lat, radius)
    full = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    expected = {(a, b) for a, b in zip(*np.nonzero(full <= radius), strict=True) if a != b}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected
    assert np.allclose(distance, full[i, j])


def test_estimate_is_symmetric_with_a_diagonal_and_respects_the_cutoff():
    lon, lat = random_points(5, n=200)
    area = np.full(200, 12.0)
    speed = np.where(np.arange(200) % 2 == 0, 40.0, 70.0)
    times = estimate_travel_times(lon, lat, area, speed, max_minutes=20, model=MODEL)
    dense = times.to_dense()
    assert np.all(times.minutes <= 20)
    assert np.allclose(dense, dense.T)
    # Diagonal: 2/3 of the equivalent radius, with detour, at the place's speed.
    expected_intra = 60 * 1.3 * (2 / 3) * np.sqrt(12 / np.pi) / speed
    assert np.allclose(np.diag(dense), expected_intra)
    # Every pair by hand: 4 km (at most half the road) at each end's speed, the rest at 90 km/h.
    road = 1.3 * haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    local = np.minimum(4.0, road / 2)
    hand = 60 * (local / speed[:, None] + local / speed[None, :] + (road - 2 * local) / 90.0)
    np.fill_diagonal(hand, expected_intra)
    assert np.allclose(np.where(hand <= 20, hand, np.inf), dense)


def test_estimate_finds_every_pair_within_the_cutoff():
    lon, lat = random_points(9, n=250)
    speed = np.full(250, 60.0)
    times = estimate_travel_times(lon, lat, np.zeros(250), speed, max_minutes=15, model=model(1.25))
    road = 1.25 * haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    local = np.minimum(4.0, road / 2)
    full = 60 * (2 * local / 60.0 + (road - 2 * local) / 90.0)  # faster than the local speed beyond 8 km: the reach
    assert times.pairs == int((full <= 15).sum())


def test_restrict_and_refuse_widening():
    times = from_dense([[0, 5], [25, 0]], 30)
    assert times.restricted(20).pairs == 3
    with pytest.raises(ValueError):
        times.restricted(40)


def test_invalid_times_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        TravelTimes(np.array([0]), np.array([0]), np.array([-1.0]), 1, 10)
    with pytest.raises(ValueError, match="outside"):
        TravelTimes(np.array([0]), np.array([3]), np.array([1.0]), 2, 10)


def test_nearest_distance_matches_brute_force():
    from oasis.core.traveltime import nearest_distance_km

    lon, lat = random_points(11, n=200)
    targets = np.zeros(200, dtype=bool)
    targets[::17] = True
    full = haversine_km(lon[:, None], lat[:, None], lon[None, targets], lat[None, targets])
    assert np.allclose(nearest_distance_km(lon, lat, targets), full.min(axis=1))
    assert np.all(nearest_distance_km(lon, lat, targets)[targets] == 0)
    assert np.all(np.isinf(nearest_distance_km(lon, lat, np.zeros(200, dtype=bool))))


def test_road_minutes_is_symmetric_and_zero_in_place():
    there = MODEL.between(0.34, 46.58, 30.0, np.array([0.34, 0.77]), np.array([46.58, 46.41]), np.array([30.0, 65.0]))
    back = MODEL.between(0.77, 46.41, 65.0, np.array([0.34]), np.array([46.58]), np.array([30.0]))
    assert there[0] == 0
    assert there[1] == pytest.approx(back[0])


def test_a_short_trip_is_driven_at_the_speeds_of_its_ends_a_long_one_leaves_town():
    # Road km at, under and over the 2 × 4 km driven at the local speeds (detour 1.3: great circle = road / 1.3).
    for road, expected in (
        (8.0, 60 * (4 / 30 + 4 / 60)),  # exactly both local stretches
        (6.0, 60 * (3 / 30 + 3 / 60)),  # half at each end's speed
        (50.0, 60 * (4 / 30 + 4 / 60 + 42 / 90)),  # 42 km between built-up areas
    ):
        assert MODEL.minutes(road / 1.3, 30.0, 60.0) == pytest.approx(expected)
    assert MODEL.minutes(0.0, 30.0, 60.0) == 0.0


def test_the_model_refuses_what_has_no_meaning():
    from oasis.core.traveltime import DETOUR_AT_LEAST_ONE, LOCAL_NON_NEGATIVE, SPEEDS_POSITIVE

    RoadModel(detour_factor=1.0, local_km=0.0, route_speed_kmh=0.5)  # the edges are allowed
    for arguments, message in (
        ({"detour_factor": 0.99, "local_km": 4.0, "route_speed_kmh": 90.0}, DETOUR_AT_LEAST_ONE),
        ({"detour_factor": 1.3, "local_km": -0.1, "route_speed_kmh": 90.0}, LOCAL_NON_NEGATIVE),
        ({"detour_factor": 1.3, "local_km": 4.0, "route_speed_kmh": 0.0}, SPEEDS_POSITIVE),
    ):
        with pytest.raises(ValueError) as error:
            RoadModel(**arguments)
        assert str(error.value) == message


def test_nearest_target_says_which():
    lon, lat = np.array([0.0, 1.0, 2.0, 2.1]), np.array([46.0, 46.0, 46.0, 46.0])
    distance, index = nearest_target(lon, lat, np.array([True, False, False, True]))
    assert index.tolist() == [0, 0, 3, 3]
    assert distance[0] == 0 and distance[1] == pytest.approx(haversine_km(0.0, 46.0, 1.0, 46.0))
    none_distance, none_index = nearest_target(lon, lat, np.zeros(4, dtype=bool))
    assert np.isinf(none_distance).all() and none_index.tolist() == [-1] * 4


def test_indices_at_and_beyond_the_last_place():
    from oasis.core.traveltime import INDEX_OUTSIDE

    TravelTimes(np.array([1]), np.array([1]), np.array([1.0]), 2, 10)  # n − 1 is the last place
    for origin, destination in ((2, 0), (0, 2), (-1, 0), (0, -1)):
        with pytest.raises(ValueError) as error:
            TravelTimes(np.array([origin]), np.array([destination]), np.array([1.0]), 2, 10)
        assert str(error.value) == INDEX_OUTSIDE


def test_shapes_and_times_are_refused_by_reference():
    from oasis.core.traveltime import PAIR_SHAPES, SQUARE_EXPECTED, TIMES_NON_NEGATIVE

    cases = (
        (lambda: TravelTimes(np.array([0, 1]), np.array([0]), np.array([1.0]), 2, 10), PAIR_SHAPES),
        (lambda: TravelTimes(np.array([0]), np.array([0]), np.array([np.inf]), 1, 10), TIMES_NON_NEGATIVE),
        (lambda: from_dense(np.zeros((2, 3)), 10), SQUARE_EXPECTED),
        (lambda: from_dense(np.zeros(4), 10), SQUARE_EXPECTED),
    )
    for build, message in cases:
        with pytest.raises(ValueError) as error:
            build()
        assert str(error.value) == message


def test_cutoffs_keep_the_pairs_exactly_at_them():
    times = from_dense([[0, 5], [20, 0]], 20)
    assert times.pairs == 4 and times.n == 2  # 20 minutes is within a 20-minute cutoff
    same = times.restricted(20)  # restricting to the same cutoff is allowed and keeps everything
    assert (same.pairs, same.max_minutes) == (4, 20)
    tighter = times.restricted(5)
    assert (tighter.pairs, tighter.max_minutes) == (3, 5)
    from oasis.core.traveltime import WIDEN

    with pytest.raises(ValueError) as error:
        times.restricted(20.5)
    assert str(error.value) == WIDEN.format(current=20, wanted=20.5)


def test_a_rectangular_count_of_places_is_kept_in_the_sparse_matrix():
    from oasis.core.traveltime import to_sparse

    times = TravelTimes(np.array([0, 1]), np.array([1, 0]), np.array([3.0, 3.0]), 3, 10)  # place 2 reaches nobody
    matrix = to_sparse(times, np.array([1.0, 2.0]))
    assert matrix.shape == (3, 3)
    assert matrix.toarray().tolist() == [[0, 1, 0], [2, 0, 0], [0, 0, 0]]


def test_estimate_at_its_edges():
    from oasis.core.traveltime import PLACE_SHAPES, SPEEDS_POSITIVE

    lon, lat, area = np.array([0.0, 0.1]), np.array([45.0, 45.0]), np.array([1.0, 1.0])
    # A detour of exactly 1 and a slow but positive speed are allowed.
    slow = estimate_travel_times(lon, lat, area, np.array([0.5, 0.5]), max_minutes=10_000, model=model(1.0))
    assert slow.pairs == 4
    for speed, message in ((np.array([0.0, 50.0]), SPEEDS_POSITIVE), (np.array([50.0]), PLACE_SHAPES)):
        with pytest.raises(ValueError) as error:
            estimate_travel_times(lon, lat, area, speed, max_minutes=30, model=MODEL)
        assert str(error.value) == message
    # A pair and a diagonal exactly at the cutoff are kept.
    full = estimate_travel_times(lon, lat, area, np.array([50.0, 50.0]), max_minutes=1_000, model=MODEL)
    between = float(full.minutes[(full.origin == 0) & (full.destination == 1)][0])
    at = estimate_travel_times(lon, lat, area, np.array([50.0, 50.0]), max_minutes=between, model=MODEL)
    assert at.pairs == 4 and at.max_minutes == between
    within = float(full.minutes[(full.origin == 0) & (full.destination == 0)][0])
    only_diagonal = estimate_travel_times(lon, lat, area, np.array([50.0, 50.0]), max_minutes=within, model=MODEL)
    assert sorted(zip(only_diagonal.origin.tolist(), only_diagonal.destination.tolist(), strict=True)) == [(0, 0), (1, 1)]


def test_no_neighbour_gives_typed_empty_arrays():
    first, second, distance = neighbour_pairs(np.array([0.0, 0.2]), np.array([45.0, 45.0]), 1.0)
    assert (first.dtype, second.dtype, distance.dtype, distance.shape) == (np.int64, np.int64, np.float64, (0,))
    assert first.shape == second.shape == (0,)


def _pairs(times: TravelTimes) -> list[tuple[int, int, float]]:
    return sorted(zip(times.origin.tolist(), times.destination.tolist(), times.minutes.tolist(), strict=True))


def test_single_precision_inputs_are_computed_in_double_precision():
    # Coordinates, areas or speeds read as float32 must give exactly what their float64 values give: a float32 step
    # inside would change the last digits of every distance and time.
    rng = np.random.default_rng(3)
    single = [rng.uniform(low, high, 30).astype(np.float32) for low, high in ((0, 1), (46, 47), (5, 80), (30, 70))]
    double = [values.astype(np.float64) for values in single]
    options = {"max_minutes": 40.0, "model": MODEL}
    assert _pairs(estimate_travel_times(*single, **options)) == _pairs(estimate_travel_times(*double, **options))
    lon32, lat32, area32, speed32 = single
    lon64, lat64, _, speed64 = double
    for got, expected in zip(neighbour_pairs(lon32, lat32, 30.0), neighbour_pairs(lon64, lat64, 30.0), strict=True):
        assert got.tolist() == expected.tolist()
    targets = rng.uniform(size=30) < 0.3
    assert nearest_distance_km(lon32, lat32, targets).tolist() == nearest_distance_km(lon64, lat64, targets).tolist()
    distances = area32  # any float32 kilometres
    assert (
        MODEL.minutes(distances, speed32, speed32[::-1]).tolist()
        == MODEL.minutes(distances.astype(np.float64), speed64, speed64[::-1]).tolist()
    )
    dense = from_dense(np.array([[0.0, 12.5], [12.5, 0.0]], dtype=np.float32), 20.0)
    assert dense.minutes.dtype == np.float64


def test_an_unknown_area_is_a_point():
    lon, lat, speed = np.array([0.0, 0.1]), np.array([46.0, 46.0]), np.array([50.0, 50.0])
    options = {"max_minutes": 30.0, "model": MODEL}
    unknown = estimate_travel_times(lon, lat, np.array([np.nan, 20.0]), speed, **options)
    point = estimate_travel_times(lon, lat, np.array([0.0, 20.0]), speed, **options)
    assert _pairs(unknown) == _pairs(point)
    assert (0, 0, 0.0) in _pairs(point)


def test_targets_given_as_zeros_and_ones_are_a_mask():
    lon, lat = np.array([0.0, 1.0, 2.0]), np.array([46.0, 46.0, 46.0])
    as_bool = nearest_distance_km(lon, lat, np.array([False, True, False]))
    assert nearest_distance_km(lon, lat, np.array([0, 1, 0])).tolist() == as_bool.tolist()
    assert as_bool[1] == 0.0 and as_bool[0] == pytest.approx(as_bool[2])


def test_a_dense_matrix_keeps_fractional_minutes_whatever_fills_the_gaps():
    times = from_dense(np.array([[0.0, 12.5], [12.5, 0.0]]), 20.0)
    assert times.to_dense(missing=0).tolist() == [[0.0, 12.5], [12.5, 0.0]]
    assert from_dense([[0.0, 25.0], [25.0, 0.0]], 20.0).to_dense(missing=-1).tolist() == [[0.0, -1.0], [-1.0, 0.0]]
