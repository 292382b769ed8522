"""The national data bundle: its files, their columns, and how it is read back and verified.

The bundle is a folder of gzipped CSV files and a ``manifest.json`` giving, for
each file, the SHA-256 of its uncompressed content and its row count, and the
provenance of every dataset. It is built by :mod:`oasis.datasets.build` (written by
:mod:`oasis.datasets.writing`) and read by :mod:`oasis.datasets.load`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis.datasets.csvio import iter_csv, read_json, read_text
from oasis.datasets.errors import DataFileError

BUNDLE_FORMAT = 1
DEFAULT_BUNDLE_DIR = Path(__file__).resolve().parent.parent / "data" / "bundle"
MANIFEST = "manifest.json"

FILES: dict[str, tuple[str, ...]] = {
    "regions.csv.gz": ("code", "nom"),
    "departements.csv.gz": ("code", "nom", "region"),
    "epci.csv.gz": ("code", "nom", "nature"),
    "bassins_de_vie.csv.gz": (
        "code",
        "nom",
        "deces_2024",
        "part_75_ans_et_plus_2022",
        "taux_pauvrete_2021",
        "niveau_vie_median_2021",
        "part_moins_15_ans_2022",
        "densite_2022",
    ),
    "communes.csv.gz": (
        "code_insee",
        "nom",
        "type",
        "commune_parent",
        "departement",
        "region",
        "epci",
        "population",
        "pop_totale_drees",
        "pop_standardisee",
        "longitude",
        "latitude",
        "point_source",
        "area_km2",
        "bassin_de_vie",
        "aav2020",
        "aav2020_nom",
        "categorie_aav",
        "codes_postaux",
    ),
    "crosswalk.csv.gz": ("millesime", "code_origine", "code_insee", "ratio"),
    "offre_bpe.csv.gz": ("millesime", "code_insee", "equipement", "nombre"),
    "series_structures.csv.gz": ("niveau", "code", "libelle", "indicateur", "date", "valeur"),
    "cnam_demographie.csv.gz": ("annee", "profession", "region", "departement", "effectif", "densite"),
    "geometrie_communes.csv.gz": ("code_insee", "geometrie"),
    "geometrie_departements.csv.gz": ("code", "geometrie"),
}


@dataclass(frozen=True)
class Bundle:
    """A bundle folder whose manifest and file checksums have been verified."""

    directory: Path
    manifest: dict[str, Any]

    @property
    def sha256(self) -> str:
        """Fingerprint of the whole bundle: the hash of its manifest."""
        return hashlib.sha256((self.directory / MANIFEST).read_bytes()).hexdigest()

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        return iter_csv(self.directory / name, FILES[name])


def open_bundle(directory: Path = DEFAULT_BUNDLE_DIR) -> Bundle:
    """Check a bundle's manifest, file list and checksums; refuse it naming the first fault."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise DataFileError(manifest_path, None, "manifeste introuvable : ce dossier n'est pas un paquet de données OASIS")
    manifest = read_json(manifest_path)
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise DataFileError(manifest_path, None, f"format de paquet non reconnu (attendu : {BUNDLE_FORMAT})")
    files = manifest.get("files", {})
    for name in FILES:
        if name not in files:
            raise DataFileError(manifest_path, None, f"le manifeste ne décrit pas le fichier {name}")
        path = directory / name
        if not path.is_file():
            raise DataFileError(path, None, "fichier absent du paquet")
        content = read_text(path).encode("utf-8")
        expected = files[name]
        if hashlib.sha256(content).hexdigest() != expected["sha256"]:
            lines = content.count(b"\n") - 1
            raise DataFileError(
                path,
                None,
                f"contenu altéré ou tronqué : empreinte SHA-256 différente du manifeste "
                f"({lines} lignes lues, {expected['rows']} attendues)",
            )
    return Bundle(directory=directory, manifest=manifest)


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
