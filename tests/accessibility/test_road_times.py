"""OASIS's one road-time model, with the parameter file's values, on pairs whose road time is known, and the same
minutes wherever a time between communes is shown: the APL's matrix, the siting's, the matching of candidates.

Tolerance: ±25 % of the reference road time (a range's bounds widened by 25 %); a Paris arrondissement to its
neighbour: between 1 and 10 minutes. The references are the usual road times (Poitiers–Loudun about 50 minutes by
the D347, Poitiers–Châtellerault 35 to 40 minutes); the old model (the whole trip at the ends' urban speeds) gave
134 and 80."""

from dataclasses import replace

import numpy as np
import pytest

from oasis.accessibility.computation import default_provider
from oasis.accessibility.params import load_parameters
from oasis.accessibility.traveltime import EstimateProvider
from oasis.accessibility.units import Units, load_units
from oasis.territories.models import Commune

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

TOLERANCE = 0.25

KNOWN = [
    # (from, to, shortest reference minutes, longest reference minutes)
    ("86194", "86137", 50, 50),  # Poitiers – Loudun, 52 km as the crow flies
    ("86194", "86066", 35, 40),  # Poitiers – Châtellerault, 31 km as the crow flies
]


def provider() -> EstimateProvider:
    return EstimateProvider(load_parameters().travel)


@pytest.mark.parametrize(("origin", "destination", "low", "high"), KNOWN)
def test_known_pairs_within_the_tolerance(origin, destination, low, high):
    there, back = provider().minutes_between(
        [Commune.objects.get(pk=origin), Commune.objects.get(pk=destination)],
        [Commune.objects.get(pk=destination), Commune.objects.get(pk=origin)],
    )
    assert low * (1 - TOLERANCE) <= there <= high * (1 + TOLERANCE)
    assert back == pytest.approx(there)


def test_a_paris_arrondissement_to_its_neighbour_takes_a_few_minutes():
    first, second = Commune.objects.get(pk="75101"), Commune.objects.get(pk="75102")
    (minutes,) = provider().minutes_between([first], [second])
    assert 1 <= minutes <= 10


def _vienne_units() -> Units:
    """The Vienne's units only: each time of the matrix depends on its two ends alone, so the Vienne's matrix holds the
    national matrix's times between them (the national one at 70 minutes took minutes to build)."""
    units = load_units()
    keep = np.flatnonzero(np.array(units.departement) == "86")
    codes = tuple(units.codes[i] for i in keep)

    def pick(values):  # type: ignore[no-untyped-def]
        return values[keep] if isinstance(values, np.ndarray) else tuple(values[i] for i in keep)

    return replace(
        units,
        codes=codes,
        index={code: i for i, code in enumerate(codes)},
        fingerprint=f"{units.fingerprint}:86",
        **{
            name: pick(getattr(units, name))
            for name in (
                "longitude",
                "latitude",
                "area_km2",
                "categorie_aav",
                "pop_standardisee",
                "pop_totale",
                "population",
                "departement",
                "region",
                "epci",
                "bassin_de_vie",
            )
        },
    )


def _matrix_minutes(times, origin: int, destination: int) -> float:  # type: ignore[no-untyped-def]
    (found,) = np.flatnonzero((times.origin == origin) & (times.destination == destination))
    return float(times.minutes[found])


def test_a_commune_to_itself_is_the_time_within_it_as_in_the_apl_matrix():
    poitiers = Commune.objects.get(pk="86194")
    (minutes,) = provider().minutes_between([poitiers], [poitiers])
    units = _vienne_units()
    times = default_provider(load_parameters()).travel_times(units, 30)
    i = units.index["86194"]
    assert minutes == pytest.approx(_matrix_minutes(times, i, i))
    assert 0 < minutes < 10


def test_the_apl_matrix_holds_the_same_minutes_as_the_matching():
    # The provider the APL and the siting use, asked for a matrix wide enough to hold Loudun from Poitiers.
    units = _vienne_units()
    times = default_provider(load_parameters()).travel_times(units, 70)
    for origin, destination, _low, _high in KNOWN:
        (expected,) = provider().minutes_between([Commune.objects.get(pk=origin)], [Commune.objects.get(pk=destination)])
        assert _matrix_minutes(times, units.index[origin], units.index[destination]) == pytest.approx(expected)


def test_the_nearest_professional_is_reached_by_the_same_model():
    units = load_units()
    present = np.zeros(units.n, dtype=bool)
    present[units.index["86137"]] = True  # only Loudun has one
    km, minutes = provider().nearest_minutes(units, present)
    (expected,) = provider().minutes_between([Commune.objects.get(pk="86194")], [Commune.objects.get(pk="86137")])
    assert minutes[units.index["86194"]] == pytest.approx(expected)
    assert minutes[units.index["86137"]] == 0 and km[units.index["86137"]] == 0
