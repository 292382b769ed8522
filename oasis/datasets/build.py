"""Build the national bundle from the raw open-data files.

Contract
--------
- Reads only the files listed in :mod:`oasis.datasets.sources`, below ``source``.
- Every file is validated (header, encoding, types, vintage) and cross-checked
  against the COG 2025; the first fault raises :class:`DataFileError` naming the
  file, the line and the reason, and nothing is written.
- Every dataset keyed on an older COG is mapped to COG 2025 through the
  crosswalk; whole counts are apportioned so that no professional is lost or
  duplicated.
- The output is deterministic: the same raw files give byte-identical
  uncompressed files and the same manifest.
- The bundle is written to a temporary folder next to ``output`` and swapped in
  only when complete.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from oasis.core.crosswalk import apportion_counts, apportion_quantities, compose, passage_matrix
from oasis.core.geo import equivalent_radius_km, haversine_km
from oasis.core.geometry import simplify_polygon_rings
from oasis.datasets import sources as src
from oasis.datasets.bundle import BUNDLE_FORMAT, FILES, MANIFEST, manifest_bytes
from oasis.datasets.csvio import (
    csv_bytes,
    iter_csv,
    parse_code_insee,
    parse_float,
    parse_int,
    read_json,
    sha256,
    write_gzip,
)
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import BPE_TYPEQU, IndicateurStructures, NiveauSerie

STEPS = (
    "découpage administratif",
    "points et superficies",
    "table de passage",
    "zonages",
    "populations standardisées",
    "équipements BPE",
    "bassins de vie",
    "séries des structures",
    "démographie Cnam",
    "contours",
    "écriture",
)

DEPARTEMENT_SIMPLIFICATION = 0.005
"""Douglas–Peucker tolerance for département outlines, degrees (about 500 m: invisible at national zoom)."""

MAIRIE_TOLERANCE_KM = 0.5
"""A town-hall point is kept when it lies within 2 equivalent radii + this margin of the inner point."""


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


class CodeSpace:
    """Every commune code met in any vintage, numbered for the sparse crosswalk matrices."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.position: dict[str, int] = {}

    def __call__(self, code: str) -> int:
        index = self.position.get(code)
        if index is None:
            index = len(self.codes)
            self.position[code] = index
            self.codes.append(code)
        return index

    def __len__(self) -> int:
        return len(self.codes)


def build_bundle(source: Path, output: Path, on_step: Callable[[str], None] | None = None) -> dict[str, object]:
    """Build the bundle from ``source`` into ``output``; return the manifest."""
    step = on_step or (lambda _name: None)
    source = source.resolve()

    def path(relative: str) -> Path:
        file_path = source / relative
        if not file_path.is_file():
            raise DataFileError(file_path, None, "fichier source introuvable")
        return file_path

    step(STEPS[0])
    cog = _read_cog(path(src.COMMUNES_JSON), path(src.EPCI_JSON), path(src.DEPARTEMENTS_JSON), path(src.REGIONS_JSON))
    step(STEPS[1])
    _read_points(path(src.CENTROIDES_CSV), cog)
    step(STEPS[2])
    cog.population_2024 = _read_population_2024(path(src.POP_2024_CSV))
    space = CodeSpace()
    for code in cog.communes:
        space(code)
    links = _read_passage(path(src.PASSAGE_CSV), space)
    to_2025 = _passage_to_2025(cog, space, path(src.COMMUNES_JSON))
    yearly = [_yearly_matrix(links.get(year, []), len(space)) for year in range(2015, 2024)]
    composite = {year: compose([*yearly[year - 2015 :], to_2025]) for year in range(2015, 2025)}
    step(STEPS[3])
    _read_zonages(path(src.SUPRACOM_2023_CSV), path(src.SUPRACOM_2024_CSV), cog, space, composite)
    libelles = _read_libelles(path(src.LIBELLES_2024_CSV))
    step(STEPS[4])
    _read_pop_standardisee(path(src.POP_STANDARDISEE_CSV), cog, space, composite)
    step(STEPS[5])
    offre = _read_bpe(path(src.BPE_CSV), cog, space, composite)
    step(STEPS[6])
    bassins = _read_bassins_de_vie(path(src.BASSINS_DE_VIE_CSV), libelles, cog, space, composite)
    step(STEPS[7])
    series = _read_barometre(path(src.BAROMETRE_CSV), cog)
    step(STEPS[8])
    cnam = _read_cnam(path(src.CNAM_CSV), cog)
    step(STEPS[9])
    commune_shapes = _read_shapes(path(src.POLYGONES_COMMUNES), set(cog.communes), "code", 4)
    departement_shapes = _read_shapes(
        path(src.POLYGONES_DEPARTEMENTS), set(cog.departements), "code", 3, simplify_degrees=DEPARTEMENT_SIMPLIFICATION
    )
    step(STEPS[10])

    contents = {
        "regions.csv.gz": csv_bytes(FILES["regions.csv.gz"], sorted(cog.regions.items())),
        "departements.csv.gz": csv_bytes(
            FILES["departements.csv.gz"], [(c, n, r) for c, (n, r) in sorted(cog.departements.items())]
        ),
        "epci.csv.gz": csv_bytes(FILES["epci.csv.gz"], [(c, n, t) for c, (n, t) in sorted(cog.epci.items())]),
        "bassins_de_vie.csv.gz": csv_bytes(FILES["bassins_de_vie.csv.gz"], bassins),
        "communes.csv.gz": csv_bytes(FILES["communes.csv.gz"], _commune_rows(cog, libelles)),
        "crosswalk.csv.gz": csv_bytes(FILES["crosswalk.csv.gz"], _crosswalk_rows(composite, space)),
        "offre_bpe.csv.gz": csv_bytes(FILES["offre_bpe.csv.gz"], offre),
        "series_structures.csv.gz": csv_bytes(FILES["series_structures.csv.gz"], series),
        "cnam_demographie.csv.gz": csv_bytes(FILES["cnam_demographie.csv.gz"], cnam),
        "geometrie_communes.csv.gz": csv_bytes(FILES["geometrie_communes.csv.gz"], commune_shapes),
        "geometrie_departements.csv.gz": csv_bytes(FILES["geometrie_departements.csv.gz"], departement_shapes),
    }
    manifest: dict[str, object] = {
        "format": BUNDLE_FORMAT,
        "cog": src.COG_MILLESIME,
        "millesimes": {
            "bpe": list(src.BPE_MILLESIMES),
            "bpe_courant": src.BPE_LATEST,
            "pop_standardisee": src.POP_STANDARDISEE_MILLESIME,
        },
        "datasets": [info.as_dict() for info in src.DATASETS],
        "files": {name: {"sha256": sha256(content), "rows": content.count(b"\n") - 1} for name, content in contents.items()},
    }
    _write_atomically(output, contents, manifest)
    return manifest


def _write_atomically(output: Path, contents: dict[str, bytes], manifest: dict[str, object]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=output.parent))
    try:
        for name, content in contents.items():
            write_gzip(staging / name, content)
        (staging / MANIFEST).write_bytes(manifest_bytes(manifest))
        previous = output.with_name(output.name + ".previous")
        if previous.exists():
            shutil.rmtree(previous)
        if output.exists():
            output.rename(previous)
        staging.rename(output)
        if previous.exists():
            shutil.rmtree(previous)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


# --- découpage administratif ------------------------------------------------------------------


def _read_cog(communes_path: Path, epci_path: Path, departements_path: Path, regions_path: Path) -> Cog2025:
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


# --- points -------------------------------------------------------------------------------------


def _read_points(path: Path, cog: Cog2025) -> None:
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


# --- crosswalk ----------------------------------------------------------------------------------


def _read_population_2024(path: Path) -> dict[str, int]:
    population: dict[str, int] = {}
    for line, row in iter_csv(path, ("CODGEO", "POP")):
        code = parse_code_insee(path, line, "CODGEO", row["CODGEO"])
        # Mayotte's 2021 population is published empty: the commune exists, its population is unknown.
        population[code] = parse_int(path, line, "POP", row["POP"]) if row["POP"].strip() else 0
    return population


def _read_passage(path: Path, space: CodeSpace) -> dict[int, list[tuple[int, int, float]]]:
    """The links of each yearly passage, keyed by the year before (2015 → 2023)."""
    links: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    columns = ("cog_avant", "cog_apres", "cod_avant", "cod_apres", "typemodif", "ratio")
    for line, row in iter_csv(path, columns):
        before = parse_int(path, line, "cog_avant", row["cog_avant"])
        after = parse_int(path, line, "cog_apres", row["cog_apres"])
        if after != before + 1 or not 2015 <= before <= 2023:
            raise DataFileError(path, line, f"millésimes {before} → {after} hors de la période 2015 → 2024")
        origin = parse_code_insee(path, line, "cod_avant", row["cod_avant"])
        destination = parse_code_insee(path, line, "cod_apres", row["cod_apres"])
        ratio = parse_float(path, line, "ratio", row["ratio"], minimum=0, maximum=1)
        if ratio == 0:
            raise DataFileError(path, line, "colonne ratio : une part nulle n'a pas de sens")
        links[before].append((space(origin), space(destination), ratio))
    if not links:
        raise DataFileError(path, None, "aucune ligne de passage")
    return links


def _yearly_matrix(links: list[tuple[int, int, float]], size: int) -> sp.csr_matrix:
    """One year's passage: the published links, and every other code kept as it is."""
    origins = {origin for origin, _, _ in links}
    return _matrix(links + [(index, index, 1.0) for index in range(size) if index not in origins], size)


def _passage_to_2025(cog: Cog2025, space: CodeSpace, communes_path: Path) -> sp.csr_matrix:
    """2024 → 2025 from the COG 2025 itself: fusions (délégués, anciens codes) and the listed scissions."""
    for code in [*cog.deleguees, *cog.anciens_codes, *cog.population_2024]:
        space(code)
    restored = {child for children in src.SCISSIONS_2025.values() for child in children}
    for code in cog.communes:
        if code not in cog.population_2024 and cog.communes[code].type == "COM":
            explained = code in restored or code in cog.deleguees.values() or code in cog.anciens_codes.values()
            if not explained:
                raise DataFileError(
                    communes_path,
                    None,
                    f"commune {code} nouvelle en 2025 sans origine connue (ni fusion ni scission)",
                )
    triplets: list[tuple[int, int, float]] = []
    for code in list(space.codes):
        origin = space(code)
        if code in src.SCISSIONS_2025:
            pieces = (code, *src.SCISSIONS_2025[code])
            total = sum(cog.communes[piece].population for piece in pieces)
            triplets += [(origin, space(piece), cog.communes[piece].population / total) for piece in pieces]
        elif code in cog.communes:
            triplets.append((origin, origin, 1.0))
        elif code in cog.deleguees:
            triplets.append((origin, space(cog.deleguees[code]), 1.0))
        elif code in cog.anciens_codes:
            triplets.append((origin, space(cog.anciens_codes[code]), 1.0))
    return _matrix(triplets, len(space))


def _matrix(triplets: list[tuple[int, int, float]], size: int) -> sp.csr_matrix:
    rows, cols, ratios = zip(*triplets, strict=True) if triplets else ((), (), ())
    return passage_matrix(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(ratios), (size, size))


def _resolve(
    path: Path, line: int, code: str, year: int, space: CodeSpace, composite: dict[int, sp.csr_matrix]
) -> tuple[int, sp.csr_matrix]:
    """Check that ``code`` of COG ``year`` reaches the COG 2025; return its row and the year's passage."""
    matrix = composite[min(year, 2024)]
    index = space.position.get(code)
    if index is None or index >= matrix.shape[0] or matrix.indptr[index] == matrix.indptr[index + 1]:
        raise DataFileError(path, line, f"code commune « {code} » (COG {year}) sans correspondance dans le COG 2025")
    return index, matrix


def _crosswalk_rows(composite: dict[int, sp.csr_matrix], space: CodeSpace) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for year, matrix in sorted(composite.items()):
        coo = matrix.tocoo()
        for origin, destination, ratio in zip(coo.row, coo.col, coo.data, strict=True):
            if origin == destination and math.isclose(ratio, 1.0):
                continue
            rows.append((year, space.codes[origin], space.codes[destination], f"{ratio:.6f}"))
    return sorted(rows, key=lambda row: (row[0], row[1], row[2]))


# --- zonages ------------------------------------------------------------------------------------


def _largest_origin(
    code_2025: str, year: int, space: CodeSpace, composite: dict[int, sp.csr_matrix], known: dict[str, str]
) -> str:
    """The attribute a new 2025 commune inherits: that of its largest contributor in the older table."""
    column = composite[year][:, space(code_2025)].tocoo()
    candidates = [(ratio, space.codes[row]) for row, ratio in zip(column.row, column.data, strict=True)]
    candidates = [(ratio, code) for ratio, code in candidates if code in known]
    return known[max(candidates)[1]] if candidates else ""


def _read_zonages(path_2023: Path, path_2024: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> None:
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
        commune.bassin_de_vie = bassin.get(key) or _largest_origin(key, 2024, space, composite, bassin)
        commune.aav2020 = aav.get(key) or _largest_origin(key, 2024, space, composite, aav)
        commune.categorie_aav = categorie.get(key) or _largest_origin(key, 2023, space, composite, categorie)
        if not commune.bassin_de_vie and commune.departement != "976":
            raise DataFileError(path_2024, None, f"commune {code} sans bassin de vie 2022")


def _read_libelles(path: Path) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    for _line, row in iter_csv(path, ("NIVGEO", "CODGEO", "LIBGEO")):
        labels[(row["NIVGEO"].strip(), row["CODGEO"].strip())] = row["LIBGEO"].strip()
    if not any(level == "BV2022" for level, _ in labels):
        raise DataFileError(path, None, "aucun libellé de bassin de vie 2022 (BV2022) : fichier d'un autre millésime ?")
    return labels


# --- demand -------------------------------------------------------------------------------------


def _read_pop_standardisee(path: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> None:
    columns = ("annee_population", "code_insee", "pop_totale", "pop_standardisee")
    year = src.POP_STANDARDISEE_MILLESIME
    totale = np.zeros(len(space))
    standardisee = np.zeros(len(space))
    years_seen: set[int] = set()
    for line, row in iter_csv(path, columns):
        # Every row is checked, the vintages not kept included: a damaged file is refused whole.
        annee = parse_int(path, line, "annee_population", row["annee_population"])
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        pop_totale = parse_float(path, line, "pop_totale", row["pop_totale"], minimum=0)
        pop_standardisee = parse_float(path, line, "pop_standardisee", row["pop_standardisee"], minimum=0)
        years_seen.add(annee)
        if annee != year:
            continue
        index, _ = _resolve(path, line, code, src.POP_STANDARDISEE_COG, space, composite)
        totale[index] += pop_totale
        standardisee[index] += pop_standardisee
    if year not in years_seen:
        raise DataFileError(path, None, f"aucune population de l'année {year} (années lues : {sorted(years_seen)})")
    matrix = composite[src.POP_STANDARDISEE_COG]
    plm = {commune.parent for commune in cog.communes.values() if commune.type == "ARM"}
    totale_2025 = apportion_quantities(totale, matrix)
    standardisee_2025 = apportion_quantities(standardisee, matrix)
    for code, commune in cog.communes.items():
        index = space.position[code]
        if commune.departement == "976":
            continue  # Mayotte is absent from the DREES data: left unknown, never zero.
        if code in plm:
            continue  # Paris, Lyon, Marseille: carried by their arrondissements.
        commune.pop_totale_drees = round(float(totale_2025[index]), 3)
        commune.pop_standardisee = round(float(standardisee_2025[index]), 3)
    for parent in sorted(plm):
        children = [c for c in cog.communes.values() if c.parent == parent]
        cog.communes[parent].pop_totale_drees = round(sum(c.pop_totale_drees or 0.0 for c in children), 3)
        cog.communes[parent].pop_standardisee = round(sum(c.pop_standardisee or 0.0 for c in children), 3)


# --- supply -------------------------------------------------------------------------------------


def _read_bpe(path: Path, cog: Cog2025, space: CodeSpace, composite: dict[int, sp.csr_matrix]) -> list[tuple[object, ...]]:
    counts: dict[tuple[int, str], np.ndarray] = {}
    for line, row in iter_csv(path, ("annee", "code_insee", "typequ", "nb")):
        year = parse_int(path, line, "annee", row["annee"])
        if year not in src.BPE_MILLESIMES:
            raise DataFileError(path, line, f"millésime BPE {year} non pris en charge (attendus : {src.BPE_MILLESIMES})")
        typequ = row["typequ"].strip()
        if typequ not in BPE_TYPEQU:
            if not (len(typequ) == 4 and typequ[0] == "D" and typequ[1:].isdigit()):
                raise DataFileError(path, line, f"colonne typequ : « {typequ} » n'est pas un type d'équipement de santé")
            continue
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        index, _ = _resolve(path, line, code, year, space, composite)
        number = parse_int(path, line, "nb", row["nb"])
        vector = counts.setdefault((year, typequ), np.zeros(len(space), dtype=np.int64))
        vector[index] += number
    for year in src.BPE_MILLESIMES:
        if not any(key[0] == year for key in counts):
            raise DataFileError(path, None, f"aucune ligne pour le millésime BPE {year}")
    rows: list[tuple[object, ...]] = []
    for (year, typequ), vector in sorted(counts.items()):
        mapped = apportion_counts(vector, composite[year])
        for position in np.flatnonzero(mapped):
            rows.append((year, space.codes[position], BPE_TYPEQU[typequ].value, int(mapped[position])))
    return sorted(rows, key=lambda row: (row[0], row[1], row[2]))


# --- bassins de vie -----------------------------------------------------------------------------

BASSIN_COLUMNS = {
    "deces_2024": "Nombre de décès domiciliés 2024",
    "part_75_ans_et_plus_2022": "Part des pers. âgées de 75 ans ou + 2022",
    "taux_pauvrete_2021": "Taux de pauvreté 2021",
    "niveau_vie_median_2021": "Médiane du niveau de vie 2021",
    "part_moins_15_ans_2022": "Part des pers. âgées de - 15 ans 2022",
    "densite_2022": "Densité de population (historique depuis 1876) 2022",
}


def _read_bassins_de_vie(
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


# --- structures and control totals ---------------------------------------------------------------


def _read_barometre(path: Path, cog: Cog2025) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    seen: set[tuple[str, str, str, str]] = set()
    niveaux = {choice.value for choice in NiveauSerie}
    indicateurs = {choice.value for choice in IndicateurStructures}
    for line, row in iter_csv(path, ("niveau", "code", "libelle", "indicateur", "date", "valeur")):
        niveau, code, indicateur, date = row["niveau"], row["code"].strip(), row["indicateur"], row["date"]
        if niveau not in niveaux:
            raise DataFileError(path, line, f"colonne niveau : « {niveau} » inconnu")
        if indicateur not in indicateurs:
            raise DataFileError(path, line, f"colonne indicateur : « {indicateur} » inconnu")
        if not (len(date) == 10 and date[4] == "-" and date[7] == "-" and 2017 <= int(date[:4] or 0) <= 2030):
            raise DataFileError(path, line, f"colonne date : « {date} » n'est pas une date AAAA-MM-JJ de 2017 à 2030")
        if niveau == NiveauSerie.REGION and code not in cog.regions:
            raise DataFileError(path, line, f"région inconnue « {code} »")
        if niveau == NiveauSerie.DEPARTEMENT and code not in cog.departements:
            raise DataFileError(path, line, f"département inconnu « {code} »")
        key = (niveau, code, indicateur, date)
        if key in seen:
            raise DataFileError(path, line, "ligne en double (même niveau, code, indicateur et date)")
        seen.add(key)
        value = parse_int(path, line, "valeur", row["valeur"])
        rows.append((niveau, code, row["libelle"].strip(), indicateur, date, value))
    return sorted(rows, key=lambda row: (row[0], row[1], row[3], row[4]))


def _read_cnam(path: Path, cog: Cog2025) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    columns = (
        "annee",
        "profession_sante",
        "region",
        "departement",
        "classe_age",
        "libelle_sexe",
        "effectif",
        "densite",
    )
    for line, row in iter_csv(path, columns):
        annee = parse_int(path, line, "annee", row["annee"])
        if annee != 2024:
            raise DataFileError(path, line, f"millésime {annee} : le fichier attendu est celui de 2024")
        if row["classe_age"] != "tout_age" or row["libelle_sexe"] != "tout sexe":
            continue
        region, departement = row["region"].strip(), row["departement"].strip()
        if region != "99" and region not in cog.regions:
            raise DataFileError(path, line, f"région inconnue « {region} »")
        if departement != "999" and departement not in cog.departements:
            raise DataFileError(path, line, f"département inconnu « {departement} »")
        effectif = parse_int(path, line, "effectif", row["effectif"])
        densite = parse_float(path, line, "densite", row["densite"], minimum=0) if row["densite"].strip() else None
        rows.append(
            (
                annee,
                row["profession_sante"].strip(),
                region,
                departement,
                effectif,
                "" if densite is None else f"{densite:g}",
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[1], row[2], row[3]))


# --- shapes ---------------------------------------------------------------------------------------


def _rounded(coordinates: Any, digits: int) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(coordinates[0]), digits), round(float(coordinates[1]), digits)]
    return [_rounded(part, digits) for part in coordinates]


def _read_shapes(
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


# --- communes -----------------------------------------------------------------------------------


def _commune_rows(cog: Cog2025, libelles: dict[tuple[str, str], str]) -> list[tuple[object, ...]]:
    def number(value: float | None, digits: int) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    rows: list[tuple[object, ...]] = []
    for code in sorted(cog.communes):
        commune = cog.communes[code]
        rows.append(
            (
                code,
                commune.nom,
                commune.type,
                commune.parent,
                commune.departement,
                commune.region,
                commune.epci,
                commune.population,
                number(commune.pop_totale_drees, 0),
                number(commune.pop_standardisee, 3),
                number(commune.longitude, 6),
                number(commune.latitude, 6),
                commune.point_source,
                number(commune.area_km2, 3),
                commune.bassin_de_vie,
                commune.aav2020,
                libelles.get(("AAV2020", commune.aav2020), ""),
                commune.categorie_aav,
                commune.codes_postaux,
            )
        )
    return rows
