"""Import a DREES APL workbook: every ``APL <year>`` sheet, any profession the DREES publishes.

Columns are matched by the start of their (accent- and case-insensitive) name, since the wording and trailing spaces
change between years; title, unit and note rows are skipped; the ``Paramètres`` sheet is kept with the vintage.
See ``common`` for the contract (all-or-nothing, idempotent, recorded as a vintage).
"""

from __future__ import annotations

import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from oasis.datasets.errors import DataFileError
from oasis.references.enums import ReferenceKind
from oasis.references.importers.common import (
    DUPLICATE_COLUMN,
    REPEATED_HEADER,
    CommuneResolver,
    ImportReport,
    Progress,
    check_figure,
    check_unique_columns,
    no_progress,
    previous_import,
)
from oasis.references.models import OfficialApl, OfficialAplUnit, ReferenceImport
from oasis.supply.enums import Equipement
from oasis.territories.text import search_key

SOURCE = "DREES, indicateur d'accessibilité potentielle localisée (APL)"
SHEET = re.compile(r"^\s*APL\s+(\d{4})\s*$", re.IGNORECASE)
CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
HEADER_SEARCH_ROWS = 40
STAGES = 3  # read, place on current communes, write

PROFESSION_PREFIXES: tuple[tuple[str, Equipement], ...] = (
    ("apl aux medecins generalistes", Equipement.GENERALISTE),
    ("apl aux infirmi", Equipement.INFIRMIER),
    ("apl aux masseurs kinesitherapeutes", Equipement.MASSEUR_KINESITHERAPEUTE),
    ("apl aux kinesitherapeutes", Equipement.MASSEUR_KINESITHERAPEUTE),
    ("apl aux sages femmes", Equipement.SAGE_FEMME),
    ("apl aux chirurgiens dentistes", Equipement.CHIRURGIEN_DENTISTE),
    ("apl aux dentistes", Equipement.CHIRURGIEN_DENTISTE),
)
AGE_VARIANTS = (("65", "apl_moins_65"), ("62", "apl_moins_62"), ("60", "apl_moins_60"))

UNREADABLE = "n'est pas un classeur Excel (.xlsx) lisible"
NO_SHEET = "aucun onglet « APL <année> » (par exemple « APL 2023 »)"
NO_HEADER = "ligne d'en-tête introuvable (une colonne « Code commune INSEE » est attendue)"
NO_APL_COLUMN = "aucune colonne « APL aux … » d'une profession publiée par la DREES"
UNKNOWN_APL_COLUMN = "colonne APL d'une profession inconnue"
TWO_PROFESSIONS = "un onglet ne peut porter qu'une profession"
BAD_CODE = "code commune invalide"
DUPLICATE_CODE = "code commune en double"
BAD_NUMBER = "valeur non numérique"


@dataclass
class _Sheet:
    annee: int
    profession: Equipement
    unite: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: int = 0


def _key(value: object) -> str:
    return search_key(str(value)) if value is not None else ""


def _is_code_header(cell: object) -> bool:
    key = _key(cell)
    return key.startswith("code commune") or key in ("code insee", "codgeo")


def _columns(header: tuple[object, ...], path: Path, line: int) -> tuple[dict[str, int], Equipement]:
    check_unique_columns(path, line, [str(cell) if cell is not None else "" for cell in header], search_key)
    placed: list[tuple[str, int]] = []
    names: dict[str, int] = {}
    professions: set[Equipement] = set()

    def place(name: str, index: int) -> None:
        placed.append((name, index))

    for index, cell in enumerate(header):
        key = _key(cell)
        if not key:
            continue
        if _is_code_header(cell):
            place("code_insee", index)
        elif key.startswith("apl "):
            profession = next((p for prefix, p in PROFESSION_PREFIXES if key.startswith(prefix)), None)
            if profession is None:
                raise DataFileError(path, line, f"{UNKNOWN_APL_COLUMN} : « {str(cell).strip()} »")
            professions.add(profession)
            variant = next((name for age, name in AGE_VARIANTS if re.search(rf"\b{age} ans\b", key)), "apl")
            place(variant, index)
        elif key.startswith("population") and "standardis" in key:
            place("pop_standardisee", index)
        elif key.startswith("population"):
            place("pop_totale", index)
        elif "commune" in key:  # « Commune », « Libellé de la commune »…
            names.setdefault("nom", index)
    if "apl" not in {name for name, _ in placed}:
        raise DataFileError(path, line, NO_APL_COLUMN)
    if len(professions) > 1:
        raise DataFileError(path, line, f"{TWO_PROFESSIONS} ({', '.join(sorted(p.label for p in professions))})")
    columns: dict[str, int] = {}
    for name, index in placed:  # one column per figure: a second one is refused, never silently preferred
        if name in columns:
            first, second = str(header[columns[name]]).strip(), str(header[index]).strip()
            raise DataFileError(path, line, f"{DUPLICATE_COLUMN} : « {first} » et « {second} » donnent la même valeur")
        columns[name] = index
    return {**columns, **names}, professions.pop()


def _number(value: object, path: Path, line: int, column: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "NA", "n.d.", "nd")):
        return None
    if isinstance(value, bool):
        raise DataFileError(path, line, f"{BAD_NUMBER} dans « {column} » : {value!r}")
    if isinstance(value, int | float):
        return check_figure(path, line, column, float(value))
    try:
        number = float(str(value).replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        raise DataFileError(path, line, f"{BAD_NUMBER} dans « {column} » : « {value} »") from None
    return check_figure(path, line, column, number)  # an APL or a population is finite and never negative


def _code(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):05d}"
    return str(value).strip().upper() if value is not None else ""


def _read_sheet(worksheet: Any, annee: int, path: Path) -> _Sheet:
    rows = worksheet.iter_rows(values_only=True)
    try:
        return _parse_rows(rows, worksheet.title, annee, path)
    finally:
        rows.close()  # a refused sheet must not leave its part of the archive open


def _parse_rows(rows: Any, title: str, annee: int, path: Path) -> _Sheet:
    header: tuple[object, ...] | None = None
    line = 0
    for line, row in enumerate(rows, start=1):
        if row and any(_is_code_header(cell) for cell in row):
            header = row
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    where = f"{path} (onglet « {title} »)"
    if header is None:
        raise DataFileError(where, None, NO_HEADER)
    columns, profession = _columns(header, Path(where), line)
    sheet = _Sheet(annee=annee, profession=profession, unite="")
    seen: set[str] = set()
    numeric = [name for name in columns if name not in ("code_insee", "nom")]
    header_line = line
    for line, row in enumerate(rows, start=header_line + 1):
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if _is_code_header(cells["code_insee"]):
            raise DataFileError(where, line, f"{REPEATED_HEADER} (déjà ligne {header_line})")
        code = _code(cells["code_insee"])
        if not code:
            if not sheet.unite and isinstance(cells["apl"], str):
                sheet.unite = cells["apl"].strip()  # the unit row under the header
            continue
        if not CODE.match(code):
            if all(cells[name] in (None, "") for name in numeric):
                sheet.notes += 1  # a note or source line below the table
                continue
            raise DataFileError(where, line, f"{BAD_CODE} : « {cells['code_insee']} »")
        if code in seen:
            raise DataFileError(where, line, f"{DUPLICATE_CODE} : {code}")
        seen.add(code)
        values = {name: _number(cells[name], Path(where), line, str(header[columns[name]]).strip()) for name in numeric}
        sheet.rows.append({"code_insee": code, "nom": str(cells.get("nom") or "").strip(), **values})
    return sheet


def _parameters(workbook: Any) -> list[list[str]]:
    for name in workbook.sheetnames:
        if _key(name).startswith("parametre"):
            return [
                [str(cell).strip() for cell in row if cell not in (None, "")]
                for row in workbook[name].iter_rows(values_only=True)
                if any(cell not in (None, "") for cell in row)
            ]
    return []


def read_workbook(path: Path) -> tuple[list[_Sheet], list[list[str]]]:
    """Every APL sheet of the workbook (parsed and checked) and the parameter sheet's text."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):  # a CSV, a PDF, a text: another kind of file, named as such
        raise DataFileError(path, None, UNREADABLE)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException:  # openpyxl goes by the name's extension (« .csv », « .zip »…)
        raise DataFileError(path, None, f"{UNREADABLE} : extension « {path.suffix} » attendue « .xlsx »") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataFileError(path, None, f"{UNREADABLE} ({error})") from error
    try:
        sheets = [
            _read_sheet(workbook[name], int(match.group(1)), path) for name in workbook.sheetnames if (match := SHEET.match(name))
        ]
        if not sheets:
            raise DataFileError(path, None, NO_SHEET)
        return sheets, _parameters(workbook)
    finally:
        workbook.close()


def _units(sheet: _Sheet, resolver: CommuneResolver) -> tuple[dict[str, dict[str, float | None]], list[str]]:
    """Values per current commune: standardised-population weighted means over the published rows that land there."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unplaced: list[str] = []
    for row in sheet.rows:
        links = resolver.resolve(row["code_insee"], sheet.annee if sheet.annee <= 2024 else None)
        if not links:
            unplaced.append(row["code_insee"])
            continue
        weight = row.get("pop_standardisee") or 0.0
        for code, share in links:
            total = sums[code]
            total["pop_standardisee"] += weight * share
            total["pop_totale"] += (row.get("pop_totale") or 0.0) * share
            for name in ("apl", "apl_moins_65"):
                if row.get(name) is not None:
                    total[name] += row[name] * weight * share
                    total[f"w_{name}"] += weight * share
    units: dict[str, dict[str, float | None]] = {}
    for code, total in sums.items():
        units[code] = {
            "pop_standardisee": total["pop_standardisee"],
            "pop_totale": total["pop_totale"],
            **{name: (total[name] / total[f"w_{name}"] if total[f"w_{name}"] > 0 else None) for name in ("apl", "apl_moins_65")},
        }
    return units, unplaced


def import_drees_apl(path: Path, *, dry_run: bool = False, progress: Progress = no_progress) -> ImportReport:
    """Import every APL sheet of a DREES workbook (see the module contract); ``progress`` advances ``STAGES`` times."""
    started = time.perf_counter()
    sha256, done = previous_import(ReferenceKind.DREES_APL, path)
    if done is not None:
        return done
    sheets, parameters = read_workbook(path)
    progress(1)
    resolver = CommuneResolver()
    placed = [(sheet, *_units(sheet, resolver)) for sheet in sheets]
    progress(1)
    reference = ReferenceImport(
        kind=ReferenceKind.DREES_APL,
        fichier=path.name,
        sha256=sha256,
        source=SOURCE,
        millesime=", ".join(f"{sheet.profession.label} {sheet.annee}" for sheet in sheets),
        lignes={
            f"{sheet.profession.value} {sheet.annee}": {
                "lignes": len(sheet.rows),
                "notes": sheet.notes,
                "communes_actuelles": len(units),
                "non_placees": unplaced,
            }
            for sheet, units, unplaced in placed
        },
        parametres={
            "onglet_parametres": parameters,
            "unites": {f"{sheet.profession.value} {sheet.annee}": sheet.unite for sheet in sheets},
            "cog": {str(sheet.annee): sheet.annee for sheet in sheets},
        },
    )
    changes = {f"{sheet.profession.value} {sheet.annee}": _changes(sheet, units) for sheet, units, _ in placed}
    changes_text = {
        "apl_par_annee": [
            f"{key} : {c['communes']} communes, {c['nouvelles']} nouvelles, {c['modifiees']} modifiées"
            for key, c in changes.items()
        ]
    }
    if dry_run:
        progress(1)
        return ImportReport(reference, changes=changes_text)
    with transaction.atomic():
        reference.save()
        for sheet, units, _ in placed:
            OfficialApl.objects.filter(profession=sheet.profession, annee=sheet.annee).delete()
            OfficialAplUnit.objects.filter(profession=sheet.profession, annee=sheet.annee).delete()
            main = {
                row["code_insee"]: max(links, key=lambda link: link[1])[0]
                for row in sheet.rows
                if (links := resolver.resolve(row["code_insee"], sheet.annee if sheet.annee <= 2024 else None))
            }
            OfficialApl.objects.bulk_create(
                [
                    OfficialApl(
                        reference=reference,
                        profession=sheet.profession,
                        annee=sheet.annee,
                        commune_id=main.get(row["code_insee"]),
                        **row,
                    )
                    for row in sheet.rows
                ],
                batch_size=2000,
            )
            OfficialAplUnit.objects.bulk_create(
                [
                    OfficialAplUnit(
                        reference=reference, profession=sheet.profession, annee=sheet.annee, commune_id=code, **values
                    )
                    for code, values in units.items()
                    if code in resolver.units
                ],
                batch_size=2000,
            )
        reference.duration_seconds = time.perf_counter() - started
        reference.save(update_fields=["duration_seconds"])
    progress(1)
    return ImportReport(reference, changes=changes_text)


def _changes(sheet: _Sheet, units: dict[str, dict[str, float | None]]) -> dict[str, int]:
    """Communes whose published APL differs from what was stored for the same profession and year."""
    before = dict(OfficialAplUnit.objects.filter(profession=sheet.profession, annee=sheet.annee).values_list("commune_id", "apl"))
    changed = sum(1 for code, values in units.items() if code in before and before[code] != values["apl"])
    return {"communes": len(units), "nouvelles": sum(1 for code in units if code not in before), "modifiees": changed}
