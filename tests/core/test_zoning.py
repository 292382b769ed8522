"""The national rule of the GP zoning method: each threshold at, just under and just over its value."""

import numpy as np
import pytest

from oasis.core.zoning import NATIONAL_SELECTION, NO_CLASS, OUTSIDE_VIVIER, VIVIER, national_gp_classes


@pytest.mark.parametrize(
    ("apl", "expected"),
    [
        (0.0, NATIONAL_SELECTION),
        (2.4999, NATIONAL_SELECTION),
        (2.5, VIVIER),
        (2.5001, VIVIER),
        (3.9999, VIVIER),
        (4.0, OUTSIDE_VIVIER),
        (4.0001, OUTSIDE_VIVIER),
        (np.nan, NO_CLASS),
        (np.inf, NO_CLASS),
        (-np.inf, NO_CLASS),
    ],
)
def test_each_threshold_at_under_and_over(apl, expected):
    assert national_gp_classes([apl], 2.5, 4.0).tolist() == [expected]


def test_the_thresholds_are_parameters():
    classes = national_gp_classes(np.array([1.9, 2.0, 2.9, 3.0]), 2.0, 3.0)
    assert classes.tolist() == [NATIONAL_SELECTION, VIVIER, VIVIER, OUTSIDE_VIVIER]
    assert classes.dtype == np.int8


def test_an_empty_vivier_and_reversed_thresholds():
    assert national_gp_classes([2.49, 2.5], 2.5, 2.5).tolist() == [NATIONAL_SELECTION, OUTSIDE_VIVIER]
    with pytest.raises(ValueError, match="seuils incohérents"):
        national_gp_classes([1.0], 4.0, 2.5)


def test_a_missing_apl_given_as_none_has_no_class():
    # « A missing or non-finite APL has no class », whether it comes as NaN or as None (a database's NULL).
    assert national_gp_classes([None, 2.0, 4.5], 2.5, 4.0).tolist() == [NO_CLASS, NATIONAL_SELECTION, OUTSIDE_VIVIER]
