"""The geography read for the bundle: zonages (bassin de vie, aire d'attraction des villes and its category), their
names, the bassins de vie's indicators, and the outlines of communes and départements.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from oasis.core.geometry import simplify_polygon_rings
from oasis.datasets.cog import Cog2025
from oasis.datasets.crosswalk import CodeSpace, largest_origin
from oasis.datasets.csvio import iter_csv, parse_code_insee, parse_float, read_json
from oasis.datasets.errors import DataFileError

DEPARTEMENT_SIMPLIFICATION = 0.005


def read_zonages(path_2023: Path, path_2024: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> None:
    bassin: dict[str, str] = {}
    aav: dict[str, str] = {}
    for line, row in iter_csv(path_2024, ("CODGEO", "AAV2020", "BV2022")):
        if not row["CODGEO"]:
            continue
        code = parse_code_insee(path_2024, line, "CODGEO", row["CODGEO"])
        bassin[code], aav[code] = row["BV2022"].strip(), row["AAV2020"].strip()
    categorie: dict[str, str] = {}
    for line, row in iter_csv(path_2023, ("CODGEO", "CATEAAV2020")):
        if not row["CODGEO"]:
            continue
        code = parse_code_insee(path_2023, line, "CODGEO", row["CODGEO"])
        value = row["CATEAAV2020"].strip()
        if value not in {"11", "12", "13", "20", "30"}:
            raise DataFileError(path_2023, line, f"colonne CATEAAV2020 : catégorie inconnue « {value} »")
        categorie[code] = value
    for code, commune in cog.communes.items():
        key = commune.parent if commune.type == "ARM" else code
        commune.bassin_de_vie = bassin.get(key) or largest_origin(key, 2024, space, composite, bassin)
        commune.aav2020 = aav.get(key) or largest_origin(key, 2024, space, composite, aav)
        commune.categorie_aav = categorie.get(key) or largest_origin(key, 2023, space, composite, categorie)
        if not commune.bassin_de_vie and commune.departement != "976":
            raise DataFileError(path_2024, None, f"commune {code} sans bassin de vie 2022")


def read_libelles(path: Path) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    for _line, row in iter_csv(path, ("NIVGEO", "CODGEO", "LIBGEO")):
        labels[(row["NIVGEO"].strip(), row["CODGEO"].strip())] = row["LIBGEO"].strip()
    if not any(level == "BV2022" for level, _ in labels):
        raise DataFileError(path, None, "aucun libellé de bassin de vie 2022 (BV2022) : fichier d'un autre millésime ?")
    return labels


BASSIN_COLUMNS = {
    "deces_2024": "Nombre de décès domiciliés 2024",
    "part_75_ans_et_plus_2022": "Part des pers. âgées de 75 ans ou + 2022",
    "taux_pauvrete_2021": "Taux de pauvreté 2021",
    "niveau_vie_median_2021": "Médiane du niveau de vie 2021",
    "part_moins_15_ans_2022": "Part des pers. âgées de - 15 ans 2022",
    "densite_2022": "Densité de population (historique depuis 1876) 2022",
}


def read_bassins_de_vie(
    path: Path,
    libelles: dict[tuple[str, str], str],
    cog: Cog2025,
    space: CodeSpace,
    composite: dict[int, sp.csr_matrix],
) -> list[tuple[object, ...]]:
    values: dict[str, list[str]] = {}
    for line, row in iter_csv(path, ("Code", "Libellé", *BASSIN_COLUMNS.values()), delimiter=";", skip_lines=2):
        code = row["Code"].strip()
        if not code:
            continue
        fields = []
        for key, column in BASSIN_COLUMNS.items():
            raw = row[column].strip()
            if raw.startswith("N/A"):
                fields.append("")
            else:
                number = parse_float(path, line, column, raw, minimum=0)
                fields.append(str(int(number)) if key == "deces_2024" else f"{number:g}")
        values[code] = fields
    # A bassin de vie is named after its pole commune's code, which follows that commune's fusions
    # (49069 Orée d'Anjou became 49126 in 2025): rename the COG 2024 code the same way.
    renamed: dict[str, str] = {}
    for commune in cog.communes.values():
        code = commune.bassin_de_vie
        if code and code not in values and code in space.position:
            row = composite[2024][space.position[code]].tocoo()
            if row.nnz:
                new_code = space.codes[row.col[int(np.argmax(row.data))]]
                renamed[new_code] = libelles.get(("BV2022", code), code)
                commune.bassin_de_vie = new_code
    used = {commune.bassin_de_vie for commune in cog.communes.values() if commune.bassin_de_vie}
    unknown = sorted(used - values.keys())
    if unknown:
        raise DataFileError(path, None, f"bassins de vie 2022 absents du fichier (tronqué ?) : {', '.join(unknown[:5])}")
    return [(code, renamed.get(code) or libelles.get(("BV2022", code), code), *values[code]) for code in sorted(used)]


def _rounded(coordinates: Any, digits: int) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(coordinates[0]), digits), round(float(coordinates[1]), digits)]
    return [_rounded(part, digits) for part in coordinates]


def read_shapes(
    path: Path, known: set[str], code_key: str, digits: int, simplify_degrees: float = 0.0
) -> list[tuple[object, ...]]:
    """Polygons as compact GeoJSON geometries keyed by code, simplified, rounded to ``digits`` decimals of a degree."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFileError(path, 1, "une FeatureCollection GeoJSON est attendue")
    rows: dict[str, str] = {}
    for position, feature in enumerate(data.get("features", []), start=1):
        code = str((feature.get("properties") or {}).get(code_key, ""))
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataFileError(path, None, f"objet {position} ({code}) : polygone attendu, « {geometry.get('type')} » lu")
        if code not in known:
            raise DataFileError(path, None, f"objet {position} : code « {code} » absent du COG 2025 (autre millésime ?)")
        coordinates = geometry["coordinates"]
        if simplify_degrees:
            polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
            polygons = [simplify_polygon_rings(rings, simplify_degrees) for rings in polygons]
            coordinates = polygons[0] if geometry["type"] == "Polygon" else polygons
        shape = {"type": geometry["type"], "coordinates": _rounded(coordinates, digits)}
        rows[code] = json.dumps(shape, separators=(",", ":"))
    return sorted(rows.items())
