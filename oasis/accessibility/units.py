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

    @property
    def has_demand_data(self) -> np.ndarray:
        """Units with a DREES population (all but Mayotte): the APL is defined there."""
        known: np.ndarray = ~np.isnan(self.pop_standardisee)
        return known


_cache: dict[str, Units] = {}
_lock = threading.Lock()


def load_units() -> Units:
    """The units of the loaded bundle, cached for the process (refreshed when another bundle is loaded)."""
    latest = BundleLoad.objects.order_by("-loaded_at").values_list("bundle_sha256", flat=True).first() or "aucun"
    with _lock:
        if latest not in _cache:
            _cache.clear()
            # Read from the files every process shares when another process (or oasis precalculer) read them already.
            _cache[latest] = kept(f"unites:{latest}", lambda: _read_units(latest))
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
