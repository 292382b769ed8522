"""The COG 2025 read for the bundle: régions, départements, EPCI and communes (with their former codes), then each
commune's point and area. The records built here are filled in by the other readers and written by
:mod:`oasis.datasets.writing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oasis.core.geo import equivalent_radius_km, haversine_km
from oasis.datasets import sources as src
from oasis.datasets.csvio import iter_csv, parse_code_insee, parse_float, read_json
from oasis.datasets.errors import DataFileError

MAIRIE_TOLERANCE_KM = 0.5


@dataclass
class CommuneRecord:
    code: str
    nom: str
    type: str  # "COM" or "ARM"
    parent: str
    departement: str
    region: str
    population: int
    codes_postaux: str
    epci: str = ""
    longitude: float | None = None
    latitude: float | None = None
    point_source: str = ""
    area_km2: float | None = None
    bassin_de_vie: str = ""
    aav2020: str = ""
    categorie_aav: str = ""
    pop_totale_drees: float | None = None
    pop_standardisee: float | None = None


@dataclass
class Cog2025:
    regions: dict[str, str]
    departements: dict[str, tuple[str, str]]
    epci: dict[str, tuple[str, str]]
    communes: dict[str, CommuneRecord]
    deleguees: dict[str, str]  # old code → chef-lieu
    anciens_codes: dict[str, str]  # old code → commune
    population_2024: dict[str, int] = field(default_factory=dict)


def read_cog(communes_path: Path, epci_path: Path, departements_path: Path, regions_path: Path) -> Cog2025:
    regions: dict[str, str] = {}
    for position, entry in enumerate(_json_list(regions_path), start=1):
        if entry.get("zone") == "com":
            continue
        regions[_json_str(regions_path, position, entry, "code")] = _json_str(regions_path, position, entry, "nom")
    departements: dict[str, tuple[str, str]] = {}
    for position, entry in enumerate(_json_list(departements_path), start=1):
        if entry.get("zone") == "com":
            continue
        region = _json_str(departements_path, position, entry, "region")
        if region not in regions:
            raise DataFileError(departements_path, None, f"élément {position} : région inconnue « {region} »")
        departements[_json_str(departements_path, position, entry, "code")] = (
            _json_str(departements_path, position, entry, "nom"),
            region,
        )

    communes: dict[str, CommuneRecord] = {}
    deleguees: dict[str, str] = {}
    anciens_codes: dict[str, str] = {}
    for position, entry in enumerate(_json_list(communes_path), start=1):
        if entry.get("zone") == "com":
            continue
        kind = entry.get("type")
        code = parse_code_insee(communes_path, position, "code", str(entry.get("code", "")))
        if kind in ("commune-deleguee", "commune-associee"):
            deleguees[code] = _json_str(communes_path, position, entry, "chefLieu")
            continue
        if kind not in ("commune-actuelle", "arrondissement-municipal"):
            raise DataFileError(communes_path, None, f"élément {position} : type inconnu « {kind} »")
        departement = _json_str(communes_path, position, entry, "departement")
        if departement not in departements:
            raise DataFileError(communes_path, None, f"élément {position} ({code}) : département inconnu « {departement} »")
        population = entry.get("population")
        if not isinstance(population, int) or population < 0:
            raise DataFileError(communes_path, None, f"élément {position} ({code}) : population absente ou invalide")
        communes[code] = CommuneRecord(
            code=code,
            nom=_json_str(communes_path, position, entry, "nom"),
            type="COM" if kind == "commune-actuelle" else "ARM",
            parent=str(entry.get("commune", "")) if kind == "arrondissement-municipal" else "",
            departement=departement,
            region=departements[departement][1],
            population=population,
            codes_postaux=" ".join(entry.get("codesPostaux", [])),
        )
        for old in entry.get("anciensCodes", []):
            anciens_codes[str(old)] = code
    for commune in communes.values():
        if commune.type == "ARM" and commune.parent not in communes:
            raise DataFileError(communes_path, None, f"arrondissement {commune.code} : commune « {commune.parent} » inconnue")
    for old, chef_lieu in deleguees.items():
        if chef_lieu not in communes:
            raise DataFileError(communes_path, None, f"commune déléguée {old} : chef-lieu « {chef_lieu} » inconnu")

    epci: dict[str, tuple[str, str]] = {}
    for position, entry in enumerate(_json_list(epci_path), start=1):
        code = _json_str(epci_path, position, entry, "code")
        if not (len(code) == 9 and code.isdigit()):
            raise DataFileError(epci_path, None, f"élément {position} : « {code} » n'est pas un numéro SIREN d'EPCI")
        members = entry.get("membres")
        if not isinstance(members, list) or not members:
            raise DataFileError(epci_path, None, f"élément {position} ({code}) : liste des membres absente")
        epci[code] = (str(entry.get("nom") or "").strip() or f"EPCI {code}", str(entry.get("type", "")))
        for member in members:
            member_code = str(member.get("code", ""))
            if member_code not in communes:
                raise DataFileError(epci_path, None, f"EPCI {code} : commune membre « {member_code} » inconnue du COG")
            if communes[member_code].epci and communes[member_code].epci != code:
                raise DataFileError(epci_path, None, f"commune {member_code} membre de deux EPCI")
            communes[member_code].epci = code
    for commune in communes.values():
        if commune.type == "ARM":
            commune.epci = communes[commune.parent].epci
    return Cog2025(regions, departements, epci, communes, deleguees, anciens_codes)


def _json_list(path: Path) -> list[dict[str, Any]]:
    data = read_json(path)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DataFileError(path, 1, "une liste JSON d'objets est attendue")
    return data


def _json_str(path: Path, position: int, entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, None, f"élément {position} : champ « {key} » absent ou vide")
    return value.strip()


def read_points(path: Path, cog: Cog2025) -> None:
    seen: set[str] = set()
    columns = ("code_insee", "pos_lat", "pos_lon", "mairie_lat", "mairie_lon", "area_km2")
    for line, row in iter_csv(path, columns):
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        commune = cog.communes.get(code)
        if commune is None:
            raise DataFileError(path, line, f"commune {code} absente du COG 2025 (fichier d'un autre millésime ?)")
        seen.add(code)
        if not row["pos_lat"]:
            continue
        pos_lat = parse_float(path, line, "pos_lat", row["pos_lat"], minimum=-90, maximum=90)
        pos_lon = parse_float(path, line, "pos_lon", row["pos_lon"], minimum=-180, maximum=180)
        area = parse_float(path, line, "area_km2", row["area_km2"], minimum=0)
        commune.area_km2 = round(area, 3)
        commune.latitude, commune.longitude, commune.point_source = pos_lat, pos_lon, "point-interieur"
        if row["mairie_lat"] and row["mairie_lon"]:
            mairie_lat = parse_float(path, line, "mairie_lat", row["mairie_lat"], minimum=-90, maximum=90)
            mairie_lon = parse_float(path, line, "mairie_lon", row["mairie_lon"], minimum=-180, maximum=180)
            gap_km = float(haversine_km(pos_lon, pos_lat, mairie_lon, mairie_lat))
            if gap_km <= 2.0 * float(equivalent_radius_km(area)) + MAIRIE_TOLERANCE_KM:
                commune.latitude, commune.longitude, commune.point_source = mairie_lat, mairie_lon, "mairie"
    missing = sorted(set(cog.communes) - seen)
    if missing:
        raise DataFileError(
            path,
            None,
            f"{len(missing)} communes du COG 2025 absentes (fichier tronqué ?) : {', '.join(missing[:5])}",
        )
    for parent, children in src.SCISSIONS_2025.items():
        for child in children:
            commune = cog.communes[child]
            if commune.latitude is None:
                origin = cog.communes[parent]
                commune.latitude, commune.longitude = origin.latitude, origin.longitude
                commune.point_source = f"commune-mere:{parent}"
    lacking = [code for code, commune in cog.communes.items() if commune.latitude is None]
    if lacking:
        raise DataFileError(path, None, f"communes sans coordonnées : {', '.join(lacking[:5])}")
