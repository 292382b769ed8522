"""The national rule of the GP zoning method, applied to an APL: « sélection nationale », « vivier », « hors vivier ».

The zoning method of the GPs (arrêté du 13 novembre 2017, « cadre national » of the DREES zoning tool) sorts each
territory by its APL to GPs aged 65 and under, in consultations per year per age-standardised inhabitant:

- APL < ``selection_below``: « sélection nationale », classed ZIP by law;
- ``selection_below`` ≤ APL < ``vivier_below``: the « vivier », where the ARS chooses ZIP, ZAC or neither;
- APL ≥ ``vivier_below``: « hors vivier ».

A missing or non-finite APL has no class.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

NO_CLASS = -1
NATIONAL_SELECTION = 0
VIVIER = 1
OUTSIDE_VIVIER = 2


def national_gp_classes(apl_65_and_under: npt.ArrayLike, selection_below: float, vivier_below: float) -> npt.NDArray[np.int8]:
    """Class of each APL under the national rule.

    Parameters
    ----------
    apl_65_and_under : array_like of float, shape (n,)
        APL to GPs aged 65 and under, consultations per year per standardised inhabitant; NaN where unknown.
    selection_below : float
        Threshold of the « sélection nationale » (2.5 in the 2017 method): an APL strictly below it is selected.
    vivier_below : float
        Upper bound of the « vivier » (exclusive); must not be below ``selection_below``.

    Returns
    -------
    numpy.ndarray of int8, shape (n,)
        ``NATIONAL_SELECTION`` (0), ``VIVIER`` (1), ``OUTSIDE_VIVIER`` (2), or ``NO_CLASS`` (-1) for NaN and ±inf.
    """
    if not selection_below <= vivier_below:
        raise ValueError(f"seuils incohérents : sélection nationale {selection_below} > vivier {vivier_below}")
    apl = np.asarray(apl_65_and_under, dtype=np.float64)
    classes = np.full(apl.shape, NO_CLASS, dtype=np.int8)
    known = np.isfinite(apl)
    classes[known & (apl < selection_below)] = NATIONAL_SELECTION
    classes[known & (apl >= selection_below) & (apl < vivier_below)] = VIVIER
    classes[known & (apl >= vivier_below)] = OUTSIDE_VIVIER
    return classes
