"""Load the national bundle into the database.

Contract
--------
- The bundle is verified first (manifest, SHA-256 of every file), then every row
  is parsed and checked (types, codes, references between files) before the
  first write: a bad bundle is refused naming the file, the line and the reason,
  and the database keeps exactly what it had.
- All writes happen in one transaction.
- Idempotent: loading the same bundle again does nothing (unless ``force``);
  loading another bundle upserts territories by code (rows that users' data may
  reference are updated in place, never deleted) and replaces the tables the
  bundle owns alone (supply counts, crosswalk, series, control totals).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from oasis.datasets.bundle import Bundle, open_bundle
from oasis.datasets.csvio import parse_code_insee, parse_float, parse_int
from oasis.datasets.errors import DataFileError
from oasis.datasets.models import BundleLoad, Dataset
from oasis.supply.enums import Equipement, IndicateurStructures, NiveauSerie
from oasis.supply.models import CnamDemography, StructureSeriesPoint, SupplyCount
from oasis.territories.models import (
    BassinDeVie,
    CategorieAav,
    Commune,
    CommuneCrosswalk,
    CommuneGeometry,
    CommuneType,
    Departement,
    DepartementGeometry,
    Epci,
    Region,
)
from oasis.territories.text import search_key

BATCH_SIZE = 1000


@dataclass
class LoadReport:
    sha256: str
    directory: Path
    skipped: bool = False
    dry_run: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    duration_seconds: float = 0.0


@dataclass
class _Parsed:
    regions: list[Region] = field(default_factory=list)
    departements: list[Departement] = field(default_factory=list)
    epci: list[Epci] = field(default_factory=list)
    bassins: list[BassinDeVie] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)
    crosswalk: list[CommuneCrosswalk] = field(default_factory=list)
    supply: list[SupplyCount] = field(default_factory=list)
    series: list[StructureSeriesPoint] = field(default_factory=list)
    cnam: list[CnamDemography] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)
    commune_shapes: list[CommuneGeometry] = field(default_factory=list)
    departement_shapes: list[DepartementGeometry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(value) for name, value in vars(self).items()}


def load_bundle(
    directory: Path | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Verify, parse and load a bundle; see the module contract."""
    started = time.perf_counter()
    bundle = open_bundle(directory or Path(settings.OASIS_BUNDLE_DIR))
    report = LoadReport(sha256=bundle.sha256, directory=bundle.directory, dry_run=dry_run)
    if not force and not dry_run and BundleLoad.objects.filter(bundle_sha256=bundle.sha256).exists():
        report.skipped = True
        return report
    parsed = _parse(bundle)
    report.rows = parsed.counts()
    if not dry_run:
        _write(parsed, progress or (lambda _n: None))
        report.duration_seconds = time.perf_counter() - started
        BundleLoad.objects.create(
            bundle_sha256=bundle.sha256,
            source=str(bundle.directory),
            duration_seconds=report.duration_seconds,
            rows=report.rows,
        )
    report.duration_seconds = time.perf_counter() - started
    return report


def is_loaded() -> bool:
    return BundleLoad.objects.exists()


def total_rows(directory: Path | None = None) -> int:
    """Rows the bundle will write, for a progress bar."""
    bundle = open_bundle(directory or Path(settings.OASIS_BUNDLE_DIR))
    return sum(int(entry["rows"]) for entry in bundle.manifest["files"].values()) + len(bundle.manifest["datasets"])


# --- parsing (no writes) ------------------------------------------------------------------------


def _parse(bundle: Bundle) -> _Parsed:
    parsed = _Parsed()
    directory = bundle.directory

    def check(path: Path, line: int, condition: bool, reason: str) -> None:
        if not condition:
            raise DataFileError(path, line, reason)

    path = directory / "regions.csv.gz"
    for line, row in bundle.rows("regions.csv.gz"):
        check(path, line, bool(row["code"] and row["nom"]), "code ou nom vide")
        parsed.regions.append(Region(code=row["code"], nom=row["nom"], search_key=search_key(row["nom"])))
    regions = {region.code for region in parsed.regions}

    path = directory / "departements.csv.gz"
    for line, row in bundle.rows("departements.csv.gz"):
        check(path, line, row["region"] in regions, f"région inconnue « {row['region']} »")
        parsed.departements.append(
            Departement(code=row["code"], nom=row["nom"], region_id=row["region"], search_key=search_key(row["nom"]))
        )
    departements = {departement.code for departement in parsed.departements}

    path = directory / "epci.csv.gz"
    for line, row in bundle.rows("epci.csv.gz"):
        check(path, line, len(row["code"]) == 9 and row["code"].isdigit(), f"SIREN invalide « {row['code']} »")
        parsed.epci.append(Epci(code=row["code"], nom=row["nom"], nature=row["nature"], search_key=search_key(row["nom"])))
    epcis = {epci.code for epci in parsed.epci}

    path = directory / "bassins_de_vie.csv.gz"
    for line, row in bundle.rows("bassins_de_vie.csv.gz"):
        values: dict[str, Any] = {}
        for column in (
            "part_75_ans_et_plus_2022",
            "taux_pauvrete_2021",
            "niveau_vie_median_2021",
            "part_moins_15_ans_2022",
            "densite_2022",
        ):
            values[column] = parse_float(path, line, column, row[column], minimum=0) if row[column] else None
        values["deces_2024"] = parse_int(path, line, "deces_2024", row["deces_2024"]) if row["deces_2024"] else None
        parsed.bassins.append(BassinDeVie(code=row["code"], nom=row["nom"], **values))
    bassins = {bassin.code for bassin in parsed.bassins}

    path = directory / "communes.csv.gz"
    categories = {choice.value for choice in CategorieAav}
    for line, row in bundle.rows("communes.csv.gz"):
        code = parse_code_insee(path, line, "code_insee", row["code_insee"])
        check(
            path,
            line,
            row["type"] in (CommuneType.COMMUNE, CommuneType.ARRONDISSEMENT),
            f"type « {row['type']} »",
        )
        check(path, line, row["departement"] in departements, f"département inconnu « {row['departement']} »")
        check(path, line, row["region"] in regions, f"région inconnue « {row['region']} »")
        check(path, line, not row["epci"] or row["epci"] in epcis, f"EPCI inconnu « {row['epci']} »")
        check(path, line, not row["bassin_de_vie"] or row["bassin_de_vie"] in bassins, "bassin de vie inconnu")
        check(
            path,
            line,
            not row["categorie_aav"] or row["categorie_aav"] in categories,
            "catégorie AAV inconnue",
        )

        def optional(column: str, line: int = line, row: dict[str, str] = row) -> float | None:
            return parse_float(path, line, column, row[column], minimum=0) if row[column] else None

        parsed.communes.append(
            Commune(
                code_insee=code,
                nom=row["nom"],
                type=row["type"],
                commune_parent_id=row["commune_parent"] or None,
                departement_id=row["departement"],
                region_id=row["region"],
                epci_id=row["epci"] or None,
                bassin_de_vie_id=row["bassin_de_vie"] or None,
                population=parse_int(path, line, "population", row["population"]),
                pop_totale_drees=optional("pop_totale_drees"),
                pop_standardisee=optional("pop_standardisee"),
                longitude=parse_float(path, line, "longitude", row["longitude"], minimum=-180, maximum=180),
                latitude=parse_float(path, line, "latitude", row["latitude"], minimum=-90, maximum=90),
                point_source=row["point_source"],
                area_km2=optional("area_km2"),
                aav2020=row["aav2020"],
                aav2020_nom=row["aav2020_nom"],
                categorie_aav=row["categorie_aav"],
                codes_postaux=row["codes_postaux"],
                search_key=search_key(row["nom"]),
            )
        )
    communes = {commune.code_insee for commune in parsed.communes}
    for commune in parsed.communes:
        if commune.commune_parent_id and commune.commune_parent_id not in communes:
            raise DataFileError(path, None, f"arrondissement {commune.code_insee} : commune parente inconnue")

    path = directory / "crosswalk.csv.gz"
    for line, row in bundle.rows("crosswalk.csv.gz"):
        check(path, line, row["code_insee"] in communes, f"commune 2025 inconnue « {row['code_insee']} »")
        parsed.crosswalk.append(
            CommuneCrosswalk(
                millesime=parse_int(path, line, "millesime", row["millesime"], minimum=2000),
                code_origine=parse_code_insee(path, line, "code_origine", row["code_origine"]),
                commune_id=row["code_insee"],
                ratio=parse_float(path, line, "ratio", row["ratio"], minimum=0, maximum=1),
            )
        )

    path = directory / "offre_bpe.csv.gz"
    equipements = {choice.value for choice in Equipement}
    for line, row in bundle.rows("offre_bpe.csv.gz"):
        check(path, line, row["code_insee"] in communes, f"commune inconnue « {row['code_insee']} »")
        check(path, line, row["equipement"] in equipements, f"équipement inconnu « {row['equipement']} »")
        parsed.supply.append(
            SupplyCount(
                commune_id=row["code_insee"],
                equipement=row["equipement"],
                millesime=parse_int(path, line, "millesime", row["millesime"], minimum=2000),
                nombre=parse_int(path, line, "nombre", row["nombre"]),
            )
        )

    path = directory / "series_structures.csv.gz"
    for line, row in bundle.rows("series_structures.csv.gz"):
        check(path, line, row["niveau"] in NiveauSerie.values, f"niveau inconnu « {row['niveau']} »")
        check(path, line, row["indicateur"] in IndicateurStructures.values, "indicateur inconnu")
        try:
            when = date.fromisoformat(row["date"])
        except ValueError:
            raise DataFileError(path, line, f"date invalide « {row['date']} »") from None
        parsed.series.append(
            StructureSeriesPoint(
                niveau=row["niveau"],
                code=row["code"],
                libelle=row["libelle"],
                indicateur=row["indicateur"],
                date=when,
                valeur=parse_int(path, line, "valeur", row["valeur"]),
            )
        )

    path = directory / "cnam_demographie.csv.gz"
    for line, row in bundle.rows("cnam_demographie.csv.gz"):
        parsed.cnam.append(
            CnamDemography(
                annee=parse_int(path, line, "annee", row["annee"], minimum=2000),
                profession=row["profession"],
                region=row["region"],
                departement=row["departement"],
                effectif=parse_int(path, line, "effectif", row["effectif"]),
                densite=parse_float(path, line, "densite", row["densite"], minimum=0) if row["densite"] else None,
            )
        )

    path = directory / "geometrie_communes.csv.gz"
    for line, row in bundle.rows("geometrie_communes.csv.gz"):
        check(path, line, row["code_insee"] in communes, f"commune inconnue « {row['code_insee']} »")
        check(path, line, row["geometrie"].startswith('{"type":'), "géométrie GeoJSON attendue")
        parsed.commune_shapes.append(CommuneGeometry(commune_id=row["code_insee"], geojson=row["geometrie"]))
    path = directory / "geometrie_departements.csv.gz"
    for line, row in bundle.rows("geometrie_departements.csv.gz"):
        check(path, line, row["code"] in departements, f"département inconnu « {row['code']} »")
        check(path, line, row["geometrie"].startswith('{"type":'), "géométrie GeoJSON attendue")
        parsed.departement_shapes.append(DepartementGeometry(departement_id=row["code"], geojson=row["geometrie"]))

    for entry in bundle.manifest.get("datasets", []):
        parsed.datasets.append(
            Dataset(
                key=entry["key"],
                titre=entry["titre"],
                producteur=entry["producteur"],
                millesime=entry["millesime"],
                licence=entry["licence"],
                url=entry["url"],
                notes=entry.get("notes", ""),
            )
        )
    return parsed


# --- writing (one transaction) -------------------------------------------------------------------


def _upsert(model: type[models.Model], objects: list[Any], progress: Callable[[int], None]) -> None:
    key = model._meta.pk.name
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model._default_manager.bulk_create(batch, update_conflicts=True, unique_fields=[key], update_fields=fields)
        progress(len(batch))


def _replace(model: type[models.Model], objects: list[Any], progress: Callable[[int], None]) -> None:
    model._default_manager.all().delete()
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model._default_manager.bulk_create(batch)
        progress(len(batch))


def _write(parsed: _Parsed, progress: Callable[[int], None]) -> None:
    # Communes are upserted parents first so that arrondissements find their commune.
    communes = sorted(parsed.communes, key=lambda commune: commune.commune_parent_id is not None)
    with transaction.atomic():
        _upsert(Region, parsed.regions, progress)
        _upsert(Departement, parsed.departements, progress)
        _upsert(Epci, parsed.epci, progress)
        _upsert(BassinDeVie, parsed.bassins, progress)
        _upsert(Commune, communes, progress)
        _replace(CommuneCrosswalk, parsed.crosswalk, progress)
        _replace(SupplyCount, parsed.supply, progress)
        _replace(StructureSeriesPoint, parsed.series, progress)
        _replace(CnamDemography, parsed.cnam, progress)
        _replace(CommuneGeometry, parsed.commune_shapes, progress)
        _replace(DepartementGeometry, parsed.departement_shapes, progress)
        _upsert(Dataset, parsed.datasets, progress)
    _refresh_statistics(
        [Region, Departement, Epci, BassinDeVie, Commune, CommuneCrosswalk, SupplyCount, CommuneGeometry, DepartementGeometry]
    )


def _refresh_statistics(tables: list[type[models.Model]]) -> None:
    """PostgreSQL plans from table statistics: refresh them after a load, or the first queries may plan as if the
    tables were empty (nested loops over the 35,000 communes). SQLite plans without them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
