"""The nearest maisons and centres de santé of a place (FINESS by name, else the BPE count per commune), with the
distance and the road time of the application's one road model (``EstimateProvider``, as the APL, the siting and the
matching use it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oasis.core.geo import haversine_km
from oasis.core.traveltime import RoadModel
from oasis.datasets.fingerprint import kept
from oasis.references.enums import STRUCTURE_EQUIPEMENT
from oasis.references.models import FinessStructure
from oasis.references.services import latest_finess
from oasis.supply.enums import STRUCTURES
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes
from oasis.territories.models import Commune

NEAREST = 5
TRAVEL_SOURCE = (
    "temps de trajet estimés par le modèle routier d'OASIS, celui de l'APL (distance à vol d'oiseau × détour, vitesse "
    "du lieu au départ et à l'arrivée, vitesse entre agglomérations au-delà)"
)


@dataclass(frozen=True)
class Nearby:
    """A maison or centre de santé (or a commune's count of them, from the BPE), with its road time from the place."""

    nom: str
    categorie: str
    commune: str
    distance_km: float
    minutes: float
    adresse: str = ""


@dataclass(frozen=True)
class RoadTimes:
    """The application's one road-time model (``EstimateProvider``: ``RoadModel`` and the speed of each urban
    category), as the APL, the siting and the matching use it."""

    model: RoadModel
    speeds: dict[str, float]
    default_speed: float

    def speed(self, category: str) -> float:
        return self.speeds.get(category, self.default_speed)


def road_model() -> RoadTimes:
    from oasis.accessibility.params import load_parameters
    from oasis.accessibility.traveltime import EstimateProvider

    def build() -> RoadTimes:
        provider = EstimateProvider(load_parameters().travel)
        return RoadTimes(provider.model, provider.speeds, provider.default_speed)

    return kept("installation:modele-trajets", build)


def travel(
    origin: Commune, longitude: Iterable[float | None], latitude: Iterable[float | None], speeds: Iterable[float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Great-circle km and estimated road minutes from a commune to points (the APL engine's estimate)."""
    estimate = road_model()
    lon, lat = np.asarray(list(longitude), dtype=float), np.asarray(list(latitude), dtype=float)
    km = haversine_km(origin.longitude, origin.latitude, lon, lat)
    speed = np.asarray(list(speeds), dtype=float)
    return km, estimate.model.minutes(km, estimate.speed(origin.categorie_aav), speed)


@dataclass(frozen=True)
class _Points:
    """Every maison and centre de santé of France with its place, read once per data version."""

    rows: list[tuple[str, str, str, str]]
    """(name, category, commune, address)"""
    longitude: NDArray[np.float64]
    latitude: NDArray[np.float64]
    speed: NDArray[np.float64]
    source: str


def _structure_points() -> _Points:
    """Named from the newest FINESS import, else counted per commune by the newest BPE."""
    estimate = road_model()
    reference = latest_finess()
    if reference is not None:
        finess = list(
            FinessStructure.objects.filter(
                reference=reference, categorie__in=list(STRUCTURE_EQUIPEMENT), longitude__isnull=False
            ).select_related("commune")
        )
        if finess:
            return _Points(
                [
                    (r.nom, r.get_categorie_display(), r.commune.nom if r.commune else r.code_commune_publie, r.adresse)
                    for r in finess
                ],
                np.array([r.longitude for r in finess], dtype=float),
                np.array([r.latitude for r in finess], dtype=float),
                np.array([estimate.speed(r.commune.categorie_aav if r.commune else "") for r in finess], dtype=float),
                f"FINESS, {reference.millesime} ; {TRAVEL_SOURCE}",
            )
    latest = max(bpe_millesimes(), default=None)
    counts = (
        list(
            SupplyCount.objects.filter(millesime=latest, equipement__in=STRUCTURES, nombre__gt=0).values_list(
                "equipement", "nombre", "commune__nom", "commune__longitude", "commune__latitude", "commune__categorie_aav"
            )
        )
        if latest is not None
        else []
    )
    labels = {
        "maison-de-sante": ("Maison de santé", "Maisons de santé"),
        "centre-de-sante": ("Centre de santé", "Centres de santé"),
    }
    rows = []
    for kind, number, name, *_ in counts:
        singular, plural = labels[kind]
        rows.append((f"{singular}, {name}" if number == 1 else f"{number} {plural.lower()}, {name}", singular, name, ""))
    return _Points(
        rows,
        np.array([c[3] for c in counts], dtype=float),
        np.array([c[4] for c in counts], dtype=float),
        np.array([estimate.speed(c[5]) for c in counts], dtype=float),
        f"INSEE, BPE {latest} (nombre par commune, sans les noms : FINESS non importé) ; {TRAVEL_SOURCE}" if counts else "",
    )


def structures_near(centre: Commune) -> tuple[list[Nearby], str]:
    """The nearest maisons and centres de santé, by estimated road time from the commune."""
    points = kept("installation:structures", _structure_points)
    if not points.rows:
        return [], ""
    km, minutes = travel(centre, points.longitude, points.latitude, points.speed)
    return [
        Nearby(
            nom=points.rows[i][0],
            categorie=points.rows[i][1],
            commune=points.rows[i][2],
            distance_km=float(km[i]),
            minutes=float(minutes[i]),
            adresse=points.rows[i][3],
        )
        for i in np.argsort(minutes, kind="stable")[:NEAREST]
    ], points.source
