"""The calculation units (communes, with Paris, Lyon and Marseille by arrondissement) as arrays."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from oasis.datasets.fingerprint import kept
from oasis.datasets.models import BundleLoad
from oasis.territories.models import Commune


@dataclass(frozen=True)
class Units:
    """One row per unit, ordered by code INSEE; arrays of shape (n,)."""

    codes: tuple[str, ...]
    index: dict[str, int]
    longitude: np.ndarray
    latitude: np.ndarray
    area_km2: np.ndarray  # NaN when unknown
    categorie_aav: tuple[str, ...]
    pop_standardisee: np.ndarray  # NaN when unknown (Mayotte)
    pop_totale: np.ndarray  # DREES total population (2021), NaN when unknown: a demand input of the APL, never shown
    population: np.ndarray  # INSEE population municipale (Commune.population): every count of inhabitants shown
    departement: tuple[str, ...]
    region: tuple[str, ...]
    epci: tuple[str, ...]
    bassin_de_vie: tuple[str, ...]
    plm: frozenset[str]
    fingerprint: str

    @property
    def n(self) -> int:
        return len(self.codes)

    # Kept as a file every process reads on its first request (``kept``): the columns of strings are pickled as one
    # string each and the index rebuilt, a few milliseconds to read instead of forty (35,000 tuples' items and a dict).
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["index"]
        state["n"] = self.n
        for name in _STRING_COLUMNS:
            state[name] = _SEPARATOR.join(state[name])
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        count = state.pop("n")
        for name in _STRING_COLUMNS:
            joined = state[name]
            assert isinstance(joined, str)
            state[name] = tuple(joined.split(_SEPARATOR)) if count else ()
        codes = state["codes"]
        assert isinstance(codes, tuple)
        state["index"] = dict(zip(codes, range(len(codes)), strict=True))
        self.__dict__.update(state)

    @property
    def has_demand_data(self) -> np.ndarray:
        """Units with a DREES population (all but Mayotte): the APL is defined there."""
        known: np.ndarray = ~np.isnan(self.pop_standardisee)
        return known


_STRING_COLUMNS = ("codes", "categorie_aav", "departement", "region", "epci", "bassin_de_vie")
_SEPARATOR = "\x1f"  # ASCII unit separator: in no code nor category


_cache: dict[str, Units] = {}
_lock = threading.Lock()


def bundle_fingerprint() -> str:
    """The loaded bundle's fingerprint (``Units.fingerprint``), without reading the units."""
    return BundleLoad.objects.order_by("-loaded_at").values_list("bundle_sha256", flat=True).first() or "aucun"


def units_key(fingerprint: str) -> str:
    """The key the units are kept under (``kept``) for a bundle."""
    return f"unites-2:{fingerprint}"


def load_units() -> Units:
    """The units of the loaded bundle, cached for the process (refreshed when another bundle is loaded)."""
    latest = bundle_fingerprint()
    with _lock:
        if latest not in _cache:
            _cache.clear()
            # Read from the files every process shares when another process (or oasis precalculer) read them already.
            _cache[latest] = kept(units_key(latest), lambda: _read_units(latest), process_cache=False)
        return _cache[latest]


def _read_units(fingerprint: str) -> Units:
    rows = list(
        Commune.objects.units()
        .order_by("code_insee")
        .values_list(
            "code_insee",
            "longitude",
            "latitude",
            "area_km2",
            "categorie_aav",
            "pop_standardisee",
            "pop_totale_drees",
            "departement_id",
            "region_id",
            "epci_id",
            "bassin_de_vie_id",
            "population",
        )
    )
    if not rows:
        raise LookupError("Aucune commune en base : l'administrateur d'OASIS doit charger les données nationales.")
    columns = list(zip(*rows, strict=True))

    def floats(values: tuple[object, ...]) -> np.ndarray:
        return np.array([np.nan if value is None else value for value in values], dtype=np.float64)

    codes = tuple(columns[0])
    plm = frozenset(Commune.objects.filter(arrondissements__isnull=False).values_list("code_insee", flat=True))
    return Units(
        codes=codes,
        index={code: position for position, code in enumerate(codes)},
        longitude=floats(columns[1]),
        latitude=floats(columns[2]),
        area_km2=floats(columns[3]),
        categorie_aav=tuple(value or "" for value in columns[4]),
        pop_standardisee=floats(columns[5]),
        pop_totale=floats(columns[6]),
        departement=tuple(columns[7]),
        region=tuple(columns[8]),
        epci=tuple(value or "" for value in columns[9]),
        bassin_de_vie=tuple(value or "" for value in columns[10]),
        population=floats(columns[11]),
        plm=plm,
        fingerprint=fingerprint,
    )
