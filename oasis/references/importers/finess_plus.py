"""Read the FINESS+ « Structures » export (JSON, gzip or not): the établissements (EGE) of each legal entity (PMEJ).

The layout follows the publisher's schema ``structure.json`` (v1): ``pmej[].ege[]`` with ``categorieEntiteGeographique
Exercice.code``, ``adresse[].cogCommune`` and WGS84 ``coordonneesGeographique.directionLatitude/Longitude``. The
schema leaves ``informationsGeneralesEGE`` undefined, so the number, name and dates are looked up under the names the
PMEJ level uses (``numFinessEt``/``numFinessEge``, ``denomination…``, ``dateCreation``/``dateOuverture``,
``dateFermeture``): check them on the first real file. Latitude and longitude are sometimes swapped in the data: the
pair closer to the commune's point is kept.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from oasis.datasets.errors import DataFileError
from oasis.references.importers.common import check_figure

NUMBER_KEYS = ("numFinessEt", "numFinessEge", "numFinessEGE", "numFinessET")
NAME_KEYS = ("denominationLongueEge", "denominationEge", "denominationLongueEGE", "denominationEGE", "raisonSociale")
OPENING_KEYS = ("dateOuverture", "dateCreation")
CLOSING_KEYS = ("dateFermeture",)

NOT_JSON = "JSON FINESS+ illisible"
NOT_UTF8 = "FINESS+ : le fichier n'est pas en UTF-8"
NOT_STRUCTURES = "aucune structure FINESS+ (objets « pmej » attendus)"
UNEXPECTED_SHAPE = "structure FINESS+ inattendue"


def is_finess_plus(path: Path) -> bool:
    """A FINESS+ export is gzip or JSON; the etalab extract is ``;``-separated text starting with ``finess;``."""
    with path.open("rb") as stream:
        head = stream.read(64).lstrip()
    return head[:2] == b"\x1f\x8b" or head[:1] in (b"{", b"[")


def _load(path: Path) -> Any:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DataFileError(path, None, f"archive gzip corrompue ({error})") from error
    try:
        text = raw.decode("utf-8", errors="strict").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, f"{NOT_UTF8} (octet n° {error.start + 1})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        document_error = error
    structures = []  # JSON Lines: one structure per line
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            structures.append(json.loads(line))
        except json.JSONDecodeError as error:
            # A first line that is no JSON alone makes one document, wrong where the parser of the whole said.
            failed, where = (error, number) if structures else (document_error, document_error.lineno)
            raise DataFileError(path, where, f"{NOT_JSON} ({failed.msg})") from error
    return structures


def _first(mapping: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((mapping[key] for key in keys if mapping.get(key) not in (None, "")), None)


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _float(path: Path, name: str, value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return check_figure(path, None, name, number, negative=True)


def _objects(path: Path, value: Any, where: str) -> list[dict[str, Any]]:
    """``value`` as a list of JSON objects (absent: none); anything else is not the publisher's schema."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise DataFileError(path, None, f"{UNEXPECTED_SHAPE} : « {where} » devrait être une liste d'objets")
    return value


def _object(path: Path, value: Any, where: str) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DataFileError(path, None, f"{UNEXPECTED_SHAPE} : « {where} » devrait être un objet")
    return value


def etablissements(path: Path, today: date) -> Iterator[dict[str, Any]]:
    """One dict per établissement still open: numero, nom, categorie, code_commune, date_ouverture, lon, lat."""
    data = _load(path)
    structures = data if isinstance(data, list) else [data]
    if not any(isinstance(item, dict) and "pmej" in item for item in structures):
        raise DataFileError(path, None, NOT_STRUCTURES)
    for structure in _objects(path, structures, "structures"):
        for pmej in _objects(path, structure.get("pmej"), "pmej"):
            for ege in _objects(path, pmej.get("ege"), "ege"):
                info = _object(path, ege.get("informationsGeneralesEGE"), "informationsGeneralesEGE")
                closed = _date(_first(info, CLOSING_KEYS))
                if closed is not None and closed <= today:
                    continue
                address = (_objects(path, ege.get("adresse"), "adresse") or [{}])[0]
                coordinates = _object(path, address.get("coordonneesGeographique"), "coordonneesGeographique")
                category = _object(path, ege.get("categorieEntiteGeographiqueExercice"), "categorieEntiteGeographiqueExercice")
                yield {
                    "numero_finess": str(_first(info, NUMBER_KEYS) or ""),
                    "nom": str(_first(info, NAME_KEYS) or ""),
                    "categorie": str(category.get("code") or ""),
                    "code_commune_publie": str(address.get("cogCommune") or ""),
                    "adresse": " ".join(
                        str(address.get(key) or "") for key in ("numeroVoie", "typeVoie", "libelleVoie", "ligneAcheminement")
                    ).strip(),
                    "date_ouverture": _date(_first(info, OPENING_KEYS)),
                    "longitude": _float(path, "directionLongitude", coordinates.get("directionLongitude")),
                    "latitude": _float(path, "directionLatitude", coordinates.get("directionLatitude")),
                }
