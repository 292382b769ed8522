"""Travel-time providers behind one interface: estimate, user matrix file, OSRM server.

Each provider returns :class:`oasis.core.traveltime.TravelTimes` over the
calculation units (communes, PLM arrondissements) and describes itself for the
run's provenance.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from oasis.accessibility.units import Units
from oasis.core.traveltime import RoadModel, TravelTimes, estimate_travel_times, nearest_target, neighbour_pairs
from oasis.datasets.csvio import parse_float
from oasis.datasets.errors import DataFileError

logger = logging.getLogger(__name__)


class TravelTimeError(Exception):
    """A travel-time source could not answer; the message says which and why, in French."""


class Place(Protocol):
    """A commune or unit as the models read it (``territories.models.Commune`` is one)."""

    pk: str
    longitude: float
    latitude: float
    area_km2: float | None
    categorie_aav: str


class TravelTimeProvider(Protocol):
    def describe(self) -> dict[str, Any]: ...

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes: ...


class EstimateProvider:
    """The road-time model of OASIS (:class:`oasis.core.traveltime.RoadModel`) with the APL parameter file's values:
    great-circle distance × detour, the first and last kilometres at the speed of each end's urban/rural category
    (AAV 2020), the rest at the speed between built-up areas.

    Every time or distance between communes in OASIS comes from here: the APL and the siting (``travel_times``),
    the état des lieux (``nearest_minutes``) and the matching of candidates (``minutes_between``).
    """

    def __init__(self, parameters: dict[str, Any]) -> None:
        self.speeds = {str(key): float(value) for key, value in parameters["vitesse_kmh_par_categorie_aav"].items()}
        self.default_speed = float(parameters["vitesse_kmh_defaut"])
        self.model = RoadModel(
            detour_factor=float(parameters["coefficient_detour"]),
            local_km=float(parameters["distance_locale_km"]),
            route_speed_kmh=float(parameters["vitesse_kmh_entre_agglomerations"]),
            intra_distance_factor=float(parameters["facteur_distance_interne"]),
        )

    def describe(self) -> dict[str, Any]:
        return {
            "source": "estimation",
            "libelle": (
                "estimation à vol d'oiseau × coefficient de détour, vitesse selon la catégorie AAV aux deux bouts, "
                "vitesse entre agglomérations au-delà"
            ),
            "coefficient_detour": self.model.detour_factor,
            "vitesse_kmh_par_categorie_aav": self.speeds,
            "vitesse_kmh_defaut": self.default_speed,
            "distance_locale_km": self.model.local_km,
            "vitesse_kmh_entre_agglomerations": self.model.route_speed_kmh,
            "facteur_distance_interne": self.model.intra_distance_factor,
        }

    def speed_of(self, categories: Iterable[str]) -> np.ndarray:
        """The local speed (km/h) of each AAV category, the default one when unknown."""
        return np.array([self.speeds.get(category or "", self.default_speed) for category in categories], dtype=np.float64)

    def speed_kmh(self, units: Units) -> np.ndarray:
        return self.speed_of(units.categorie_aav)

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes:
        return estimate_travel_times(
            units.longitude, units.latitude, units.area_km2, self.speed_kmh(units), max_minutes=max_minutes, model=self.model
        )

    def minutes_between(self, origins: Sequence[Place], destinations: Sequence[Place]) -> np.ndarray:
        """Minutes from each origin to the destination at the same position (communes or units), as the APL's matrix
        holds them: a commune's own time is the time within it."""
        if len(origins) != len(destinations):
            raise ValueError("origins and destinations must pair up")
        if not origins:
            return np.zeros(0)
        speed_from = self.speed_of(place.categorie_aav for place in origins)
        speed_to = self.speed_of(place.categorie_aav for place in destinations)
        between = self.model.between(
            np.array([place.longitude for place in origins], dtype=np.float64),
            np.array([place.latitude for place in origins], dtype=np.float64),
            speed_from,
            np.array([place.longitude for place in destinations], dtype=np.float64),
            np.array([place.latitude for place in destinations], dtype=np.float64),
            speed_to,
        )
        same = np.array([a.pk == b.pk for a, b in zip(origins, destinations, strict=True)])
        area = np.array([np.nan if place.area_km2 is None else place.area_km2 for place in origins], dtype=np.float64)
        return np.where(same, self.model.intra_minutes(area, speed_from), between)

    def nearest_minutes(self, units: Units, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(km, minutes) from every unit to the nearest unit where ``present`` (0 for a unit that is one of them)."""
        km, nearest = nearest_target(units.longitude, units.latitude, present)
        if not present.any():
            return km, np.full(units.n, np.inf)
        speed = self.speed_kmh(units)
        return km, self.model.minutes(km, speed, speed[nearest])


class MatrixFileProvider:
    """A distancier supplied by the user: CSV or Parquet with columns origin, destination, minutes (INSEE codes).

    Pairs absent from the file are unreachable; a unit's time to itself is 0 unless the file says otherwise.
    """

    COLUMNS = ("origine", "destination", "minutes")

    def __init__(self, path: Path | str) -> None:
        self.path = path = Path(path)
        if not path.is_file():
            raise DataFileError(path, None, "distancier introuvable")
        self.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {
            "source": "fichier",
            "libelle": f"distancier fourni ({self.path.name})",
            "fichier": self.path.name,
            "sha256": self.sha256,
        }

    def _rows(self) -> list[tuple[int, str, str, str]]:
        if self.path.suffix.lower() == ".parquet":
            try:
                import pyarrow.parquet as pq
            except ImportError as error:
                raise DataFileError(self.path, None, "lire un fichier Parquet demande le paquet pyarrow") from error
            try:
                table = pq.read_table(self.path)
            except Exception as error:  # pyarrow raises several unrelated types for a bad file
                raise DataFileError(self.path, None, f"fichier Parquet illisible ({error})") from error
            missing = [name for name in self.COLUMNS if name not in table.column_names]
            if missing:
                raise DataFileError(self.path, None, f"colonnes manquantes : {', '.join(missing)}")
            columns = [table.column(name).to_pylist() for name in self.COLUMNS]
            return [(position + 2, str(o), str(d), str(m)) for position, (o, d, m) in enumerate(zip(*columns, strict=True))]
        from oasis.datasets.csvio import iter_csv

        return [(line, row["origine"], row["destination"], row["minutes"]) for line, row in iter_csv(self.path, self.COLUMNS)]

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes:
        origins: list[int] = []
        destinations: list[int] = []
        minutes: list[float] = []
        seen: set[tuple[int, int]] = set()
        for line, origin_code, destination_code, raw_minutes in self._rows():
            pair = []
            for column, code in (("origine", origin_code), ("destination", destination_code)):
                index = units.index.get(code.strip())
                if index is None:
                    hint = " (Paris, Lyon, Marseille : codes d'arrondissement attendus)" if code in units.plm else ""
                    raise DataFileError(self.path, line, f"colonne {column} : « {code} » n'est pas une commune du COG 2025{hint}")
                pair.append(index)
            value = parse_float(self.path, line, "minutes", raw_minutes, minimum=0)
            key = (pair[0], pair[1])
            if key in seen:
                raise DataFileError(self.path, line, f"couple {origin_code} → {destination_code} en double")
            seen.add(key)
            if value <= max_minutes:
                origins.append(pair[0])
                destinations.append(pair[1])
                minutes.append(value)
        for index in range(units.n):
            if (index, index) not in seen:
                origins.append(index)
                destinations.append(index)
                minutes.append(0.0)
        return TravelTimes(
            np.array(origins, dtype=np.int64), np.array(destinations, dtype=np.int64), np.array(minutes), units.n, max_minutes
        )


class OsrmProvider:
    """Road times from an OSRM server's ``table`` service (the user runs the server on their own road data).

    Only pairs whose great-circle distance could be driven within the cutoff at
    ``max_speed_kmh`` are asked for; requests are chunked to the server's table
    size, with a timeout and retries.
    """

    def __init__(
        self,
        base_url: str,
        *,
        profile: str = "driving",
        max_table_size: int = 100,
        timeout_seconds: float = 30.0,
        retries: int = 3,
        max_speed_kmh: float = 130.0,
    ) -> None:
        parsed = urllib.parse.urlparse(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise TravelTimeError(f"Adresse du serveur OSRM invalide : « {base_url} » (ex. http://127.0.0.1:5000)")
        if max_table_size < 2:
            raise TravelTimeError("La taille de table OSRM doit être au moins 2")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.max_table_size = max_table_size
        self.timeout = timeout_seconds
        self.retries = retries
        self.max_speed = max_speed_kmh
        self.requests = 0

    def describe(self) -> dict[str, Any]:
        return {
            "source": "osrm",
            "libelle": f"serveur OSRM {self.base_url} (profil {self.profile})",
            "url": self.base_url,
            "profil": self.profile,
        }

    def _get(self, url: str) -> dict[str, Any]:
        last_error = ""
        for attempt in range(self.retries + 1):
            try:
                self.requests += 1
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    payload: dict[str, Any] = json.load(response)
                break
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace")[:200]
                if error.code < 500:
                    raise TravelTimeError(f"Le serveur OSRM refuse la requête (HTTP {error.code}) : {body}") from error
                last_error = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last_error = str(getattr(error, "reason", error))
            except json.JSONDecodeError as error:
                raise TravelTimeError(f"Réponse OSRM illisible (pas du JSON) : {error}") from error
            if attempt < self.retries:
                time.sleep(min(2.0**attempt * 0.2, 5.0))
        else:
            raise TravelTimeError(f"Serveur OSRM injoignable à {self.base_url} après {self.retries + 1} essais : {last_error}")
        if payload.get("code") != "Ok" or "durations" not in payload:
            raise TravelTimeError(f"Réponse OSRM en erreur : {payload.get('code')} {payload.get('message', '')}".strip())
        return payload

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes:
        reach_km = max_minutes / 60.0 * self.max_speed
        first, second, _ = neighbour_pairs(units.longitude, units.latitude, reach_km)
        candidates: dict[int, list[int]] = defaultdict(list)
        for origin, destination in zip(first.tolist(), second.tolist(), strict=True):
            candidates[origin].append(destination)
        origins_out: list[np.ndarray] = []
        destinations_out: list[np.ndarray] = []
        minutes_out: list[np.ndarray] = []
        block = max(1, self.max_table_size // 2)
        for origin in range(units.n):
            targets = [origin, *candidates.get(origin, [])]
            for start in range(0, len(targets), block):
                chunk = targets[start : start + block]
                points = [origin, *chunk]
                coordinates = ";".join(f"{units.longitude[i]:.6f},{units.latitude[i]:.6f}" for i in points)
                query = urllib.parse.urlencode(
                    {"sources": "0", "destinations": ";".join(str(k) for k in range(1, len(points))), "annotations": "duration"}
                )
                url = f"{self.base_url}/table/v1/{self.profile}/{coordinates}?{query}"
                row = self._get(url)["durations"][0]
                seconds = np.array([np.nan if value is None else float(value) for value in row])
                minutes = seconds / 60.0
                keep = np.isfinite(minutes) & (minutes <= max_minutes)
                origins_out.append(np.full(int(keep.sum()), origin, dtype=np.int64))
                destinations_out.append(np.array(chunk, dtype=np.int64)[keep])
                minutes_out.append(minutes[keep])
        return TravelTimes(
            np.concatenate(origins_out) if origins_out else np.zeros(0, dtype=np.int64),
            np.concatenate(destinations_out) if destinations_out else np.zeros(0, dtype=np.int64),
            np.concatenate(minutes_out) if minutes_out else np.zeros(0),
            units.n,
            max_minutes,
        )
