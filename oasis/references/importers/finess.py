"""Import the FINESS établissements extract (data.gouv « etalab cs1100507 ») or the FINESS+ export (``finess_plus``):
maisons, centres de santé and CPTS.

First line ``finess;etalab;<n>;<YYYY-MM-DD>``, no header; ``;``-separated lines ``structureet`` (32 fields) and
``geolocalisation`` (6 fields, coordinates in the system its ``sourcecoordet`` names: Lambert-93 in metropolitan
France, UTM zones overseas), converted to WGS84 with pyproj. UTF-8, or Latin-1 for older files. Structures of other
categories are counted, not kept. See ``common`` for the contract.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from oasis.core.geo import haversine_km
from oasis.datasets.errors import DataFileError
from oasis.references.enums import ReferenceKind, StructureCategory
from oasis.references.importers import finess_plus
from oasis.references.importers.common import (
    REPEATED_HEADER,
    CommuneResolver,
    ImportReport,
    Progress,
    check_figure,
    extract_date,
    no_progress,
    previous_import,
)
from oasis.references.models import FinessStructure, ReferenceImport
from oasis.territories.models import Commune

SOURCE = "Ministère de la santé (DREES), FINESS — extraction des établissements (data.gouv.fr)"
STAGES = 2
STRUCTUREET_FIELDS = 32
GEOLOCALISATION_FIELDS = 6
# FINESS codes the overseas départements and collectivités 9A–9F and 9J; a commune keeps its INSEE code's last
# three digits, the first of them the département's (Chirongui: 9F + 606 → 97606; Uvéa: 9J + 613 → 98613).
OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976", "9J": "986"}
KEPT = {category.value for category in StructureCategory}

NOT_FINESS = "n'est pas une extraction FINESS (première ligne « finess;etalab;… » attendue)"
WRONG_WIDTH = "nombre de champs inattendu"
BAD_DATE = "date invalide"
UNKNOWN_SYSTEM = "système de coordonnées inconnu"
BAD_COORDINATES = "coordonnées non numériques"
BAD_LINE = "ligne illisible (champ démesuré ou mal délimité)"


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _date(path: Path, line: int, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DataFileError(path, line, f"{BAD_DATE} : « {value} »") from None


@cache
def _transformer(epsg: int) -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def to_wgs84(x: float, y: float, epsg: int) -> tuple[float, float]:
    """(longitude, latitude) in degrees of a point given in the EPSG system named by FINESS."""
    longitude, latitude = _transformer(epsg).transform(x, y)
    return float(longitude), float(latitude)


def _code_insee(departement: str, commune: str) -> str:
    if departement in OVERSEAS:
        return OVERSEAS[departement] + commune[-2:]
    return f"{departement}{commune}"


@dataclass
class _Read:
    """What a reader found: the kept structures (WGS84 coordinates), the extract's date, counts, all published codes."""

    structures: list[dict[str, Any]]
    extract: date | None
    outcome: Counter[str]
    published: list[str]


def _lines(reader: Any, path: Path) -> Iterator[list[str]]:
    """The reader's lines; one the ``csv`` module cannot read is refused with its number."""
    try:
        yield from reader
    except csv.Error:
        raise DataFileError(path, reader.line_num, BAD_LINE) from None


def _read_etalab(path: Path) -> _Read:
    reader = csv.reader(io.StringIO(_text(path)), delimiter=";")
    try:
        first = next(reader)
    except (StopIteration, csv.Error):
        first = []
    if len(first) < 4 or first[0] != "finess":
        raise DataFileError(path, 1, NOT_FINESS)
    found = _Read([], _date(path, 1, first[3]), Counter(), [])
    kept: dict[str, dict[str, Any]] = {}
    places: dict[str, tuple[float, float, int, int]] = {}
    for values in _lines(reader, path):
        line = reader.line_num
        if not values:
            continue
        kind = values[0]
        if kind == "finess":  # two extracts pasted one after the other: which one is the vintage?
            raise DataFileError(path, line, f"{REPEATED_HEADER} « finess;etalab;… » (déjà ligne 1)")
        if kind == "structureet":
            if len(values) not in (STRUCTUREET_FIELDS, STRUCTUREET_FIELDS + 1):  # a trailing ; adds an empty field
                raise DataFileError(path, line, f"{WRONG_WIDTH} ({len(values)} au lieu de {STRUCTUREET_FIELDS})")
            found.outcome["etablissements"] += 1
            found.published.append(_code_insee(values[13], values[12]))
            if values[18] not in KEPT:
                continue
            address = " ".join(part for part in (values[7], values[8], values[9], values[15]) if part.strip())
            kept[values[1]] = {
                "numero_finess": values[1],
                "nom": (values[4] or values[3]).strip(),
                "categorie": values[18],
                "code_commune_publie": _code_insee(values[13], values[12]),
                "adresse": address[:300],
                "date_ouverture": _date(path, line, values[28]),
                "longitude": None,
                "latitude": None,
            }
        elif kind == "geolocalisation":
            if len(values) not in (GEOLOCALISATION_FIELDS, GEOLOCALISATION_FIELDS + 1):
                raise DataFileError(path, line, f"{WRONG_WIDTH} ({len(values)} au lieu de {GEOLOCALISATION_FIELDS})")
            if not values[2].strip() or not values[3].strip():
                continue
            system = re.search(r"EPSG:(\d+)", values[4])
            if system is None:
                raise DataFileError(path, line, f"{UNKNOWN_SYSTEM} : « {values[4]} »")
            try:
                x, y = float(values[2]), float(values[3])
            except ValueError:
                raise DataFileError(path, line, f"{BAD_COORDINATES} : « {values[2]} », « {values[3]} »") from None
            check_figure(path, line, "coordonnée X", x, negative=True)
            check_figure(path, line, "coordonnée Y", y, negative=True)
            places[values[1]] = (x, y, int(system.group(1)), line)
        else:
            found.outcome["lignes_autres"] += 1
    for numero, structure in kept.items():
        if numero in places:
            x, y, epsg, line = places[numero]
            try:
                structure["longitude"], structure["latitude"] = to_wgs84(x, y, epsg)
            except Exception as error:  # pyproj raises its own CRSError for an unknown EPSG code
                raise DataFileError(path, line, f"{UNKNOWN_SYSTEM} : EPSG:{epsg} ({error})") from error
        found.structures.append(structure)
    return found


def _read_plus(path: Path) -> _Read:
    today = date.today()
    found = _Read([], extract_date(path.name) or today, Counter(), [])
    for structure in finess_plus.etablissements(path, today):
        found.outcome["etablissements"] += 1
        found.published.append(structure["code_commune_publie"])
        if structure["categorie"] in KEPT:
            found.structures.append(structure)
    return found


def _swapped(structure: dict[str, Any], commune: tuple[float, float] | None) -> bool:
    """FINESS+ sometimes swaps latitude and longitude: keep the pair that lies closer to the commune."""
    longitude, latitude = structure["longitude"], structure["latitude"]
    if longitude is None or latitude is None:
        return False
    if not -90 <= latitude <= 90:
        return True
    if commune is None:
        return False
    straight = float(haversine_km(longitude, latitude, *commune))
    crossed = float(haversine_km(latitude, longitude, *commune)) if -90 <= longitude <= 90 else float("inf")
    return crossed < straight


def import_finess(path: Path, *, dry_run: bool = False, progress: Progress = no_progress) -> ImportReport:
    """Import a FINESS extract or FINESS+ export (see the module contract); ``progress`` advances ``STAGES`` times."""
    started = time.perf_counter()
    sha256, done = previous_import(ReferenceKind.FINESS, path)
    if done is not None:
        return done
    plus = finess_plus.is_finess_plus(path)
    found = _read_plus(path) if plus else _read_etalab(path)
    outcome, extract = found.outcome, found.extract
    progress(1)
    resolver = CommuneResolver()
    outcome["etablissements_places"] = sum(1 for code in found.published if resolver.resolve(code))
    points = dict((code, (lon, lat)) for code, lon, lat in Commune.objects.values_list("code_insee", "longitude", "latitude"))
    rows = []
    for structure in found.structures:
        links = resolver.resolve(structure["code_commune_publie"])
        commune = max(links, key=lambda link: link[1])[0] if links else None
        if commune is None:
            outcome["commune_inconnue"] += 1
        if _swapped(structure, points.get(commune) if commune else None):
            structure["longitude"], structure["latitude"] = structure["latitude"], structure["longitude"]
            outcome["coordonnees_inversees"] += 1
        if structure["longitude"] is None:
            outcome["sans_coordonnees"] += 1
        rows.append(FinessStructure(**structure, commune_id=commune))
    by_category = Counter(row.categorie for row in rows)
    reference = ReferenceImport(
        kind=ReferenceKind.FINESS,
        fichier=path.name,
        sha256=sha256,
        source=SOURCE,
        millesime=f"extraction du {extract:%d/%m/%Y}" if extract else "extraction non datée",
        date_reference=extract,
        lignes={**dict(outcome), "retenues": len(rows), "par_categorie": dict(by_category)},
        parametres={"categories": sorted(KEPT), "format": "FINESS+ (JSON)" if plus else "extraction etalab (CSV)"},
    )
    report = ImportReport(reference, changes=_changes(rows))
    if dry_run:
        progress(1)
        return report
    with transaction.atomic():
        reference.save()
        for row in rows:
            row.reference = reference
        FinessStructure.objects.bulk_create(rows, batch_size=2000)
        reference.duration_seconds = time.perf_counter() - started
        reference.save(update_fields=["duration_seconds"])
    progress(1)
    return report


def _changes(rows: list[FinessStructure]) -> dict[str, list[str]]:
    """Structures opened (new numbers) and closed (numbers gone) since the previous extract."""
    previous = ReferenceImport.objects.latest_of(ReferenceKind.FINESS)
    before = dict(FinessStructure.objects.filter(reference=previous).values_list("numero_finess", "nom")) if previous else {}
    after = {row.numero_finess: row.nom for row in rows}
    return {
        "ouvertes": sorted(f"{after[n]} ({n})" for n in after.keys() - before.keys()),
        "fermees": sorted(f"{before[n]} ({n})" for n in before.keys() - after.keys()),
    }
