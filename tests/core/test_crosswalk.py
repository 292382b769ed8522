import numpy as np
import pytest
import scipy.sparse as sp

from oasis.core.crosswalk import apportion_counts, apportion_quantities, compose, passage_matrix


def test_duplicate_links_are_counted_once_and_rows_renormalised():
    # A fusion published twice, and a fusion given scission shares (0.5 each): both must move whole communes.
    matrix = passage_matrix([0, 0, 1, 2], [0, 0, 0, 0], [1.0, 1.0, 0.5, 0.5], (3, 1))
    assert np.allclose(matrix.toarray().ravel(), [1.0, 1.0, 1.0])


def test_scission_keeps_population_shares():
    matrix = passage_matrix([0, 0], [0, 1], [0.25, 0.75], (1, 2))
    assert np.allclose(matrix.toarray(), [[0.25, 0.75]])


def test_non_positive_ratio_is_refused():
    with pytest.raises(ValueError, match="strictly positive"):
        passage_matrix([0], [0], [0.0], (1, 1))


def test_compose_chains_years():
    first = passage_matrix([0, 1], [0, 0], [1, 1], (2, 1))  # fusion of 0 and 1
    second = passage_matrix([0, 0], [0, 1], [0.4, 0.6], (1, 2))  # then scission
    assert np.allclose(compose([first, second]).toarray(), [[0.4, 0.6], [0.4, 0.6]])


@pytest.mark.parametrize("seed", range(5))
def test_apportion_counts_preserves_every_origin_total(seed):
    rng = np.random.default_rng(seed)
    n_origin, n_destination = 40, 30
    rows, cols, ratios = [], [], []
    for origin in range(n_origin):
        destinations = rng.choice(n_destination, size=rng.integers(1, 4), replace=False)
        rows += [origin] * len(destinations)
        cols += list(destinations)
        ratios += list(rng.random(len(destinations)) + 0.01)
    matrix = passage_matrix(rows, cols, ratios, (n_origin, n_destination))
    counts = rng.integers(0, 50, size=n_origin)
    result = apportion_counts(counts, matrix)
    assert result.dtype == np.int64
    assert result.sum() == counts.sum()
    # Each destination gets within one unit per origin of its exact share.
    exact = apportion_quantities(counts, matrix)
    assert np.all(np.abs(result - exact) <= np.diff(matrix.indptr).max())


def test_apportion_counts_largest_remainder():
    matrix = passage_matrix([0, 0, 0], [0, 1, 2], [0.5, 0.3, 0.2], (1, 3))
    # 3 × (0.5, 0.3, 0.2) = (1.5, 0.9, 0.6): floors (1, 0, 0), the two largest remainders get one each.
    assert apportion_counts([3], matrix).tolist() == [1, 1, 1]
    # 5 × (0.5, 0.3, 0.2) = (2.5, 1.5, 1.0): a tie between 0.5 and 0.5 goes to the first column.
    assert apportion_counts([5], matrix).tolist() == [3, 1, 1]


def test_apportion_counts_refuses_count_without_destination():
    matrix = sp.csr_matrix((2, 2))
    with pytest.raises(ValueError, match="no destination"):
        apportion_counts([0, 1], matrix)


def test_apportion_quantities_is_the_matrix_product():
    matrix = passage_matrix([0, 0, 1], [0, 1, 1], [0.5, 0.5, 1.0], (2, 2))
    assert np.allclose(apportion_quantities([10.0, 4.0], matrix), [5.0, 9.0])


def test_refusals_are_asserted_by_reference():
    from oasis.core.crosswalk import (
        COUNT_WITHOUT_DESTINATION,
        COUNTS_NON_NEGATIVE,
        COUNTS_SHAPE,
        LINK_SHAPES,
        NO_PASSAGE,
        RATIO_POSITIVE,
        apportion_counts,
        compose,
        passage_matrix,
    )

    passage = passage_matrix([0, 1], [0, 0], [1.0, 1.0], (3, 2))  # origin 2 has no destination
    cases = (
        (lambda: passage_matrix([0], [0, 1], [1.0], (2, 2)), LINK_SHAPES),
        (lambda: passage_matrix([0, 1], [0, 1], [1.0], (2, 2)), LINK_SHAPES),
        (lambda: passage_matrix([0], [0], [0.0], (1, 1)), RATIO_POSITIVE),
        (lambda: compose([]), NO_PASSAGE),
        (lambda: apportion_counts([1, 2], passage), COUNTS_SHAPE),
        (lambda: apportion_counts([[1, 2, 3]], passage), COUNTS_SHAPE),
        (lambda: apportion_counts([1, -1, 0], passage), COUNTS_NON_NEGATIVE),
        (lambda: apportion_counts([1, 1, 1], passage), COUNT_WITHOUT_DESTINATION),
    )
    for build, message in cases:
        with pytest.raises(ValueError) as error:
            build()
        assert str(error.value) == message
    # A zero count may have no destination; the shape follows the destinations, even the empty last one.
    assert apportion_counts([2, 3, 0], passage).tolist() == [5, 0]


def test_keys_of_distinct_links_never_collide():
    from oasis.core.crosswalk import passage_matrix

    # (0, 2) and (1, 0) would share a key if rows and columns were combined any other way than row × n + column.
    matrix = passage_matrix([0, 1, 0], [2, 0, 1], [1.0, 1.0, 1.0], (2, 3)).toarray()
    assert matrix.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    assert passage_matrix([0], [0], [1.0], (2, 4)).shape == (2, 4)  # rows and columns without links are kept
    assert passage_matrix([0], [0], [1.0], (2, 4)).toarray()[1].tolist() == [0.0, 0.0, 0.0, 0.0]
    # More origins than destinations: (0, 1) and (2, 0) would merge under row / n + column.
    tall = passage_matrix([0, 2], [1, 0], [1.0, 1.0], (3, 2)).toarray()
    assert tall.tolist() == [[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]


def test_apportioning_an_origin_split_in_two_with_nothing_left_over():
    from oasis.core.crosswalk import apportion_counts, passage_matrix

    passage = passage_matrix([0, 0], [0, 1], [0.5, 0.5], (1, 2))
    assert apportion_counts([4], passage).tolist() == [2, 2]  # exact halves: no remainder to hand out
    assert apportion_counts([0], passage).tolist() == [0, 0]
