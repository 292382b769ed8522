"""Match scores: closed-form limits of each component."""

import numpy as np
import pytest

from oasis.core.matching import COMPONENTS, MatchWeights, score

W = MatchWeights()


def one(**overrides):
    args = {
        "territory_match": np.array([True]),
        "has_territory_preference": np.array([True]),
        "minutes": np.array([0.0]),
        "max_minutes": np.array([30.0]),
        "date_gap_days": np.array([0.0]),
        "mode_match": np.array([1], dtype=np.int8),
        "aid_eligible": np.array([True]),
        "has_structure": np.array([True]),
        "under_served": np.array([True]),
        "weights": W,
    }
    args.update(overrides)
    return dict(zip(COMPONENTS, score(**args)[0], strict=True))


def test_a_perfect_match_scores_100():
    assert sum(one().values()) == pytest.approx(100)


def test_unknowns_give_half_the_weight():
    points = one(
        has_territory_preference=np.array([False]),
        minutes=np.array([np.nan]),
        date_gap_days=np.array([np.nan]),
        mode_match=np.array([-1], dtype=np.int8),
    )
    assert points["territoire"] == W.territoire / 2
    assert points["distance"] == W.distance / 2
    assert points["date"] == W.date / 2
    assert points["mode"] == W.mode / 2
    assert one(max_minutes=np.array([np.nan]), minutes=np.array([12.0]))["distance"] == W.distance / 2


def test_distance_and_date_fall_linearly():
    assert one(minutes=np.array([15.0]))["distance"] == pytest.approx(W.distance / 2)
    assert one(minutes=np.array([45.0]))["distance"] == 0
    assert one(date_gap_days=np.array([30.0]))["date"] == W.date
    assert one(date_gap_days=np.array([105.0]))["date"] == pytest.approx(W.date / 2)
    assert one(date_gap_days=np.array([400.0]))["date"] == 0


def test_a_limit_under_one_minute_still_falls_linearly():
    # Half a minute at most, a quarter of a minute away: half the points (the span's floor only guards a zero limit).
    assert one(minutes=np.array([0.25]), max_minutes=np.array([0.5]))["distance"] == pytest.approx(W.distance / 2)
    assert one(minutes=np.array([0.0]), max_minutes=np.array([0.0]))["distance"] == 0


def test_misses_score_nothing():
    points = one(
        territory_match=np.array([False]),
        mode_match=np.array([0], dtype=np.int8),
        aid_eligible=np.array([False]),
        has_structure=np.array([False]),
        under_served=np.array([False]),
    )
    assert points["territoire"] == points["mode"] == points["aide"] == points["attractivite"] == 0
