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
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from oasis.accessibility.units import Units
from oasis.core.traveltime import TravelTimes, estimate_travel_times, neighbour_pairs
from oasis.datasets.csvio import parse_float
from oasis.datasets.errors import DataFileError

logger = logging.getLogger(__name__)


class TravelTimeError(Exception):
    """A travel-time source could not answer; the message says which and why, in French."""


class TravelTimeProvider(Protocol):
    def describe(self) -> dict[str, Any]: ...

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes: ...


class EstimateProvider:
    """Great-circle distance × detour, at a speed set by the urban/rural category of each end."""

    def __init__(self, parameters: dict[str, Any]) -> None:
        self.detour = float(parameters["coefficient_detour"])
        self.speeds = {str(key): float(value) for key, value in parameters["vitesse_kmh_par_categorie_aav"].items()}
        self.default_speed = float(parameters["vitesse_kmh_defaut"])
        self.intra_factor = float(parameters["facteur_distance_interne"])

    def describe(self) -> dict[str, Any]:
        return {
            "source": "estimation",
            "libelle": "estimation à vol d'oiseau × coefficient de détour, vitesse selon la catégorie AAV",
            "coefficient_detour": self.detour,
            "vitesse_kmh_par_categorie_aav": self.speeds,
            "vitesse_kmh_defaut": self.default_speed,
            "facteur_distance_interne": self.intra_factor,
        }

    def speed_kmh(self, units: Units) -> np.ndarray:
        return np.array([self.speeds.get(category, self.default_speed) for category in units.categorie_aav])

    def travel_times(self, units: Units, max_minutes: float) -> TravelTimes:
        return estimate_travel_times(
            units.longitude,
            units.latitude,
            units.area_km2,
            self.speed_kmh(units),
            max_minutes=max_minutes,
            detour_factor=self.detour,
            intra_distance_factor=self.intra_factor,
        )


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
